//! `kezek district list|add` and the check of every district named (R-L2).

use crate::common::env::{stderr, TestEnv};

#[test]
fn r_l2_the_eight_districts_of_almaty_are_there_from_the_start() {
    let env = TestEnv::with_officer();
    let list = env.json(&["district", "list"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, kezek::generate::DISTRICTS);
    assert_eq!(list[1]["name_kk"], "Алмалы", "{list}");
}

#[test]
fn r_l2_an_unknown_district_is_refused_with_the_closest_names_and_changes_nothing() {
    let env = TestEnv::with_officer();
    let before = env.snapshot();
    let out = env
        .kezek(&[
            "org",
            "add",
            "--code",
            "DS-900",
            "--name",
            "Сад",
            "--kind",
            "state",
            "--district",
            "Алмалинскй",
        ])
        .code(65);
    let err = stderr(&out);
    assert!(
        err.contains("did you mean Алмалинский") && err.contains("R-L2"),
        "{err}"
    );
    // An import names the line and the closest name.
    let sample: Vec<String> = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/applications.csv"),
    )
    .unwrap()
    .lines()
    .take(3)
    .map(str::to_string)
    .collect();
    let bad = sample[2].replace("Турксибский", "Турксиб");
    assert_ne!(bad, sample[2]);
    let file = env.write(
        "apps.csv",
        &format!("{}\n{}\n{}\n", sample[0], sample[1], bad),
    );
    let out = env
        .kezek_args(["application", "import", file.to_str().unwrap()])
        .code(65);
    let err = stderr(&out);
    assert!(
        err.contains("apps.csv:3: district: 'Турксиб'") && err.contains("did you mean Турксибский"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn r_l2_a_district_added_is_journaled_and_can_be_named() {
    let env = TestEnv::with_officer();
    let add_org = || {
        env.kezek(&[
            "org",
            "add",
            "--code",
            "DS-901",
            "--name",
            "Сад",
            "--kind",
            "state",
            "--district",
            "Новый",
        ])
    };
    let out = add_org().code(65);
    assert!(
        stderr(&out).contains("the city's districts"),
        "{}",
        stderr(&out)
    );
    env.kezek(&["district", "add", "Новый", "--name-kk", "Жаңа"])
        .success();
    add_org().success();
    env.kezek(&["district", "add", "новый", "--name-kk", "Жаңа"])
        .code(65);
    let history = env.json(&["history", "Новый"]);
    assert!(history.to_string().contains("district.add"), "{history}");
    env.kezek(&["audit", "verify"]).success();
}
