//! The interface's language (R-L1): chosen by --lang, KEZEK_LANG or the locale; tables, statuses and prompts in
//! it; JSON and CSV the same bytes in every language.

use crate::common::city::{Applications, City};
use crate::common::env::TestEnv;

fn city() -> TestEnv {
    City::builder()
        .applications(Applications::Examples(20))
        .build()
        .env
}

/// stdout of `kezek ARGS` under the environment variables `vars`.
fn run(env: &TestEnv, vars: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = env.cmd();
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn r_l1_tables_speak_the_locale_s_language() {
    let env = city();
    let list = ["application", "list", "--limit", "3"];
    let en = run(&env, &[], &list);
    assert!(en.contains("Number") && en.contains("waiting"), "{en}");
    let ru = run(&env, &[("LANG", "ru_KZ.UTF-8")], &list);
    assert!(
        ru.contains("Номер") && ru.contains("Статус") && ru.contains("в очереди"),
        "{ru}"
    );
    assert!(!ru.contains("queued") && !ru.contains("Number"), "{ru}");
    let kk = run(&env, &[("LANG", "kk_KZ.UTF-8")], &list);
    assert!(kk.contains("Нөмірі") && kk.contains("кезекте"), "{kk}");
    // KEZEK_LANG over the locale, --lang over both.
    assert_eq!(
        run(
            &env,
            &[("LANG", "ru_KZ.UTF-8"), ("KEZEK_LANG", "kk")],
            &list
        ),
        kk
    );
    let mut flagged = list.to_vec();
    flagged.extend(["--lang", "en"]);
    assert_eq!(run(&env, &[("KEZEK_LANG", "kk")], &flagged), en);
    // One record as a table of fields.
    let number = run(
        &env,
        &[],
        &["application", "list", "--limit", "1", "--format", "csv"],
    )
    .lines()
    .nth(1)
    .unwrap()
    .split(',')
    .next()
    .unwrap()
    .to_string();
    let shown = run(
        &env,
        &[("LANG", "ru_KZ.UTF-8")],
        &["application", "show", &number],
    );
    assert!(
        shown.contains("Поле") && shown.contains("Очередь") && shown.contains("общая"),
        "{shown}"
    );
}

#[test]
fn r_l1_json_and_csv_are_the_same_bytes_in_every_language() {
    let env = city();
    for args in [
        &["application", "list", "--format", "json"][..],
        &["application", "list", "--format", "csv"],
        &["stats", "--format", "json"],
        &["stats", "--format", "csv"],
        &["settings", "show", "--format", "json"],
        &["category", "list", "--format", "csv"],
    ] {
        let en = run(&env, &[], args);
        for lang in ["ru_KZ.UTF-8", "kk_KZ.UTF-8"] {
            assert_eq!(
                run(&env, &[("LANG", lang)], args),
                en,
                "{args:?} under {lang}"
            );
        }
    }
}

#[test]
fn r_l1_a_confirmation_refused_without_a_terminal_says_so_in_the_language() {
    let env = city();
    let number = run(
        &env,
        &[],
        &["application", "list", "--limit", "1", "--format", "csv"],
    )
    .lines()
    .nth(1)
    .unwrap()
    .split(',')
    .next()
    .unwrap()
    .to_string();
    let out = env
        .cmd()
        .env("KEZEK_LANG", "ru")
        .args(["application", "withdraw", &number, "--reason", "переезд"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("Без терминала отказ: добавьте --yes"), "{err}");
}
