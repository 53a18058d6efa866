//! Districts (R-L2): a district is one of the city's, spelled as the city spells it. A name that is not one is
//! refused with the closest of the city's names, so that `Алмалинскй`, `алмалинский` and `Алмалинский район`
//! each get "did you mean Алмалинский".

use crate::error::{Error, Result};
use crate::tr;

/// `name` when it is one of `known`; else the refusal naming the closest known names.
pub fn check<'k>(field: &str, name: &str, known: &'k [String]) -> Result<&'k str> {
    let name = name.trim();
    if let Some(found) = known.iter().find(|k| k.as_str() == name) {
        return Ok(found);
    }
    let closest = closest(name, known);
    let hint = if closest.is_empty() {
        tr!("err-district-known", names = known.join(", "))
    } else {
        let names = closest.join(&tr!("err-district-or"));
        tr!("err-district-did-you-mean", names = names)
    };
    Err(Error::bad(tr!(
        "err-district-unknown",
        field = field.to_string(),
        value = name.to_string(),
        hint = hint
    )))
}

/// The known names closest to `name`: those it contains or that contain it, else those within a few edits,
/// nearest first.
pub fn closest(name: &str, known: &[String]) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(usize, &String)> = known
        .iter()
        .filter_map(|k| {
            let k_lower = k.to_lowercase();
            let distance = edits(&lower, &k_lower);
            let overlaps =
                !lower.is_empty() && (lower.contains(&k_lower) || k_lower.contains(&lower));
            let near = distance <= (k_lower.chars().count() / 3).max(2);
            (overlaps || near).then_some((if overlaps { 0 } else { distance }, k))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k.clone()).collect()
}

/// The Levenshtein distance between two strings, by characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn almaty() -> Vec<String> {
        crate::generate::DISTRICTS
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn r_l2_a_district_of_the_city_is_taken_as_it_is_spelled() {
        assert_eq!(
            check("district", " Алмалинский ", &almaty()).unwrap(),
            "Алмалинский"
        );
    }

    #[test]
    fn r_l2_a_misspelled_district_is_refused_with_the_closest_names() {
        for typed in [
            "Алмалинскй",
            "алмалинский",
            "Алмалинский район",
            "Алмалинскии",
        ] {
            let e = check("district", typed, &almaty()).unwrap_err().to_string();
            assert!(e.contains("did you mean Алмалинский"), "{typed}: {e}");
            assert!(e.contains("R-L2"), "{e}");
        }
        let e = check("district", "Almalinsky", &almaty())
            .unwrap_err()
            .to_string();
        assert!(e.contains("the city's districts: Алатауский"), "{e}");
    }

    #[test]
    fn edits_count_insertions_deletions_and_substitutions() {
        assert_eq!(edits("", "abc"), 3);
        assert_eq!(edits("kitten", "sitting"), 3);
        assert_eq!(edits("Жетысу", "Жетысу"), 0);
    }
}
