//! The language kezek speaks (R-L1): Russian, Kazakh or English. The texts are Fluent messages in
//! `locales/{en,ru,kk}/*.ftl`, compiled into the binary (`fluent-templates`), with the plural rules of each
//! language from CLDR. The interface's language is chosen once, at start (`--lang`, else `KEZEK_LANG`, else the
//! locale: `LC_ALL`, `LC_MESSAGES`, `LANG`), and read by `tr!`; texts for a family name their language
//! (`tr_in!`). JSON keys, JSON and CSV values, exit codes and rule ids never pass through here.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: the texts go to terminals, SMS and printers.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language of the interface and of the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Ru,
    Kk,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Kk];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Kk => "kk",
        }
    }

    /// `en`, `ru` or `kk`.
    pub fn parse(text: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == text.trim().to_ascii_lowercase())
    }

    /// The language of a POSIX locale name: `ru_KZ.UTF-8` is Russian, `kk_KZ` Kazakh, anything else English.
    pub fn of_locale(locale: &str) -> Lang {
        let name = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or_default();
        match name {
            "ru" => Lang::Ru,
            "kk" => Lang::Kk,
            _ => Lang::En,
        }
    }

    /// The interface's language: the flag, else `KEZEK_LANG`, else the first locale variable that is set (as the
    /// C library reads them: `LC_ALL` over `LC_MESSAGES` over `LANG`), else English. An unknown `KEZEK_LANG` is
    /// passed over.
    pub fn choose(flag: Option<Lang>, var: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = flag {
            return lang;
        }
        if let Some(lang) = var("KEZEK_LANG").as_deref().and_then(Lang::parse) {
            return lang;
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(&var)
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::of_locale(&v))
    }

    fn id(self) -> LanguageIdentifier {
        self.code().parse().expect("a language identifier")
    }
}

static CURRENT: OnceLock<Lang> = OnceLock::new();

/// Sets the interface's language, once, at start; later calls change nothing.
pub fn set(lang: Lang) {
    let _ = CURRENT.set(lang);
}

/// The interface's language (English until it is set).
pub fn current() -> Lang {
    CURRENT.get().copied().unwrap_or(Lang::En)
}

/// An argument of a message.
pub type Arg = FluentValue<'static>;

/// The text of message `id` in `lang`, with its arguments. A message missing in `lang` falls back to English
/// (the catalog test keeps every language complete); one missing everywhere is its own id.
pub fn text(lang: Lang, id: &str, args: &[(&'static str, Arg)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
        .collect();
    let args = (!args.is_empty()).then_some(&args);
    LOCALES
        .try_lookup_complete(&lang.id(), id, args)
        .unwrap_or_else(|| id.to_string())
}

/// Message `id`, one without arguments, in `lang` itself (no fallback): looked up once, then kept, so that a
/// table of a million rows does not ask Fluent a million times.
pub fn word(lang: Lang, id: &str) -> Option<&'static str> {
    use std::sync::Mutex;
    type Kept = Mutex<HashMap<(Lang, String), Option<&'static str>>>;
    static KEPT: OnceLock<Kept> = OnceLock::new();
    let kept = KEPT.get_or_init(Default::default);
    if let Some(found) = kept
        .lock()
        .expect("the kept words")
        .get(&(lang, id.to_string()))
    {
        return *found;
    }
    let found = LOCALES
        .lookup_no_default_fallback::<&str>(&lang.id(), id, None)
        .map(|text| &*Box::leak(text.into_boxed_str()));
    kept.lock()
        .expect("the kept words")
        .insert((lang, id.to_string()), found);
    found
}

/// Whether message `id`, one without arguments, exists in `lang` itself.
pub fn has(lang: Lang, id: &str) -> bool {
    LOCALES
        .lookup_no_default_fallback::<&str>(&lang.id(), id, None)
        .is_some()
}

/// `tr!("id")`, `tr!("id", name = value, ...)`: message `id` in the interface's language.
#[macro_export]
macro_rules! tr {
    ($id:expr) => {
        $crate::lang::text($crate::lang::current(), $id, &[])
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::lang::text(
            $crate::lang::current(),
            $id,
            &[$((stringify!($name), $crate::lang::Arg::from($value))),+],
        )
    };
}

/// `tr_in!(lang, "id", name = value, ...)`: message `id` in `lang` (a family's texts).
#[macro_export]
macro_rules! tr_in {
    ($lang:expr, $id:expr) => {
        $crate::lang::text($lang, $id, &[])
    };
    ($lang:expr, $id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::lang::text(
            $lang,
            $id,
            &[$((stringify!($name), $crate::lang::Arg::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn r_l1_the_language_is_the_flag_then_kezek_lang_then_the_locale() {
        assert_eq!(Lang::choose(None, env(&[])), Lang::En);
        assert_eq!(
            Lang::choose(None, env(&[("LANG", "ru_KZ.UTF-8")])),
            Lang::Ru
        );
        assert_eq!(
            Lang::choose(None, env(&[("LANG", "kk_KZ.UTF-8")])),
            Lang::Kk
        );
        assert_eq!(
            Lang::choose(
                None,
                env(&[("LANG", "ru_KZ.UTF-8"), ("LC_MESSAGES", "kk_KZ")])
            ),
            Lang::Kk
        );
        assert_eq!(
            Lang::choose(
                None,
                env(&[("LC_MESSAGES", "kk_KZ"), ("LC_ALL", "en_US.UTF-8")])
            ),
            Lang::En
        );
        assert_eq!(Lang::choose(None, env(&[("LANG", "C")])), Lang::En);
        assert_eq!(
            Lang::choose(None, env(&[("LANG", "ru_RU"), ("KEZEK_LANG", "kk")])),
            Lang::Kk
        );
        assert_eq!(
            Lang::choose(Some(Lang::En), env(&[("KEZEK_LANG", "kk")])),
            Lang::En
        );
        assert_eq!(
            Lang::choose(None, env(&[("KEZEK_LANG", "fr"), ("LANG", "ru_KZ")])),
            Lang::Ru
        );
    }

    #[test]
    fn r_l1_plurals_follow_each_language_s_rules() {
        let removed = |lang, n: i64| {
            text(
                lang,
                "notice-expired-removed-body",
                &[
                    ("number", "DDO.2026.000001.1".into()),
                    ("direction", "NAP.2026.000001".into()),
                    ("count", n.into()),
                ],
            )
        };
        assert!(removed(Lang::Ru, 1).contains("истекло 1 направление."));
        assert!(removed(Lang::Ru, 2).contains("истекло 2 направления."));
        assert!(removed(Lang::Ru, 5).contains("истекло 5 направлений."));
        assert!(removed(Lang::Ru, 21).contains("истекло 21 направление."));
        assert!(removed(Lang::En, 2).contains("2 directions expired."));
        assert!(removed(Lang::Kk, 2).contains("саны 2."));
        assert!(
            !removed(Lang::Ru, 2).contains('\u{2068}'),
            "no isolation marks"
        );
    }

    /// The words of a catalog text that are English prose: placeholders, quoted or back-quoted values, flags,
    /// codes (with `_`, `.`, `/`, `=` or digits) and the names kept in every language are left out.
    fn english_words(text: &str) -> Vec<String> {
        const KEPT: &[&str] = &[
            "kezek",
            "JSON",
            "CSV",
            "UTF",
            "SQLite",
            "sqlite",
            "PEM",
            "RSA",
            "SHA",
            "Merkle",
            "Windows",
            "Excel",
            "Litestream",
            "RFC",
            "egov",
            "SMS",
            "mail",
        ];
        let mut plain = String::new();
        let mut depth = 0;
        let mut quote: Option<char> = None;
        for c in text.chars() {
            match (c, quote) {
                ('{', None) => depth += 1,
                ('}', None) if depth > 0 => depth -= 1,
                (q @ ('\'' | '`'), None) if depth == 0 => quote = Some(q),
                ('[', None) if depth == 0 => quote = Some(']'),
                (q, Some(open)) if q == open => quote = None,
                (c, None) if depth == 0 => plain.push(c),
                _ => {}
            }
        }
        plain
            .split(|c: char| c.is_whitespace() || ",;:()!?\"«»".contains(c))
            .filter(|w| !w.starts_with('-'))
            .filter(|w| {
                !w.contains(['_', '.', '/', '=', '<', '>'])
                    && !w.contains(|c: char| c.is_ascii_digit())
            })
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()))
            .filter(|w| !KEPT.contains(w))
            .map(str::to_string)
            .collect()
    }

    /// R-L1: no Russian or Kazakh text is left in English.
    #[test]
    fn r_l1_russian_and_kazakh_texts_have_no_english_words() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        for lang in [Lang::Ru, Lang::Kk] {
            for entry in std::fs::read_dir(dir.join(lang.code())).unwrap() {
                let path = entry.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
                    let value = match line.split_once(" =") {
                        Some((_, v)) if !line.starts_with(' ') => v,
                        _ => line,
                    };
                    let words = english_words(value);
                    assert!(words.is_empty(), "{path:?}: English {words:?} in: {line}");
                }
            }
        }
        assert_eq!(
            english_words("run kezek audit verify"),
            ["run", "audit", "verify"]
        );
        assert!(
            english_words("{ $x } см. `kezek audit verify` --lang '{ $v }' R-Q3 col_x").is_empty()
        );
    }

    /// R-L1: every catalog file exists in every language, parses, and holds the same messages; a message missing
    /// in one language fails here rather than falling back to English at an officer's terminal.
    #[test]
    fn r_l1_every_message_exists_in_every_language() {
        use fluent_templates::fluent_bundle::FluentResource;
        use std::collections::BTreeSet;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let ids = |lang: Lang, file: &str| -> BTreeSet<String> {
            let path = dir.join(lang.code()).join(file);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            if let Err((_, errors)) = FluentResource::try_new(text.clone()) {
                panic!("{path:?}: {errors:?}");
            }
            text.lines()
                .filter(|l| !l.starts_with([' ', '#']))
                .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
                .collect()
        };
        let mut files: Vec<String> = std::fs::read_dir(dir.join("en"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert!(files.len() >= 2, "{files:?}");
        for file in &files {
            let en = ids(Lang::En, file);
            for lang in [Lang::Ru, Lang::Kk] {
                let other = ids(lang, file);
                let missing: Vec<_> = en.difference(&other).collect();
                let extra: Vec<_> = other.difference(&en).collect();
                assert!(
                    missing.is_empty() && extra.is_empty(),
                    "{}/{file}: missing {missing:?}, not in English {extra:?}",
                    lang.code()
                );
            }
        }
    }
}
