//! The man pages in man/ are generated from the clap definitions; this fails when they are stale.

use crate::env::TestEnv;

#[test]
fn man_pages_are_up_to_date() {
    let env = TestEnv::bare();
    env.kezek(&["man", "--out", "fresh"]).success();
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let fresh = env.path("fresh");
    let names = |dir: &std::path::Path| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let stale = "man/ is stale: run `cargo run -- man --out man` and commit the result";
    assert_eq!(names(&committed), names(&fresh), "{stale}");
    for name in names(&fresh) {
        let a = std::fs::read_to_string(committed.join(&name)).unwrap();
        let b = std::fs::read_to_string(fresh.join(&name)).unwrap();
        assert!(a == b, "{name}: {stale}");
    }
}

#[test]
fn completions_for_every_shell() {
    let env = TestEnv::bare();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.stdout(&["completions", shell]);
        assert!(out.contains("officer"), "{shell}");
    }
    env.kezek(&["completions", "tcsh"]).code(2);
}
