//! R-L6: the README's tour runs from start to end as written.

/// The shell block under "A short tour" in the README.
fn tour() -> String {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let at = readme.find("## A short tour").expect("the tour's section");
    let start = readme[at..].find("```sh\n").expect("its shell block") + at + 6;
    let end = readme[start..].find("```\n").expect("the block's end") + start;
    readme[start..end].to_string()
}

#[test]
fn r_l6_the_readme_tour_runs_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for linked in ["examples", "verifier"] {
        std::os::unix::fs::symlink(root.join(linked), dir.path().join(linked)).unwrap();
    }
    std::fs::create_dir(dir.path().join("home")).unwrap();
    std::fs::write(dir.path().join("tour.sh"), tour()).unwrap();
    let kezek = assert_cmd::cargo::cargo_bin("kezek");
    let path = format!(
        "{}:{}",
        kezek.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("bash")
        .args(["-e", "-x", "tour.sh"])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir.path().join("home"))
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "the tour stopped:\n{stderr}");
    for said in [
        "audit ok",
        "db check ok",
        "the child is enrolled at DS-001",
        "R-V5",
    ] {
        assert!(stderr.contains(said), "'{said}' missing:\n{stderr}");
    }
    assert!(stdout.contains("refused, as it should be"), "{stdout}");
    assert!(stdout.contains("DDO.2026.000001.1"), "{stdout}");
}
