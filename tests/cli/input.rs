//! Files officers name (keys, heads, anchors, CSV): regular files only, read with a bound (SPEC §15's faults:
//! `/dev/zero`, a FIFO or gigabytes are refused at once, never read without end or into memory).

use std::time::{Duration, Instant};

use crate::common::env::{stderr, TestEnv};

fn quick(env: &TestEnv, args: &[&str], code: i32, needle: &str) {
    let start = Instant::now();
    let before = env.snapshot();
    let err = stderr(&env.kezek(args).code(code));
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{args:?} took {:?}",
        start.elapsed()
    );
    assert_eq!(env.snapshot(), before, "{args:?} changed the database");
}

/// `officer add` of officer `x` with the public key file `key`.
fn officer_add(key: &str) -> Vec<&str> {
    vec![
        "officer",
        "add",
        "--id",
        "x",
        "--name",
        "X Y",
        "--district",
        "Алмалинский",
        "--role",
        "officer",
        "--public-key",
        key,
    ]
}

#[test]
fn devices_directories_and_oversized_key_files_are_refused_at_once() {
    let env = TestEnv::with_officer();
    let (_, public) = env.keygen("other");
    let public = public.to_str().unwrap().to_string();
    quick(&env, &officer_add("/dev/zero"), 65, "/dev/zero");
    let big = env.path("big.pem");
    std::fs::write(&big, vec![b'A'; 200_000]).unwrap();
    quick(
        &env,
        &officer_add(big.to_str().unwrap()),
        65,
        "--public-key",
    );
    let dir = env.path("");
    quick(
        &env,
        &["audit", "verify", "--head", dir.to_str().unwrap()],
        65,
        "--head",
    );
    quick(
        &env,
        &["audit", "verify", "--trust", "/dev/zero"],
        65,
        "--trust",
    );
    // A readable public key still works.
    env.kezek(&[
        "officer",
        "add",
        "--id",
        "x",
        "--name",
        "X Y",
        "--district",
        "Алмалинский",
        "--role",
        "officer",
        "--public-key",
        &public,
    ])
    .success();
}

#[test]
fn a_private_key_file_that_is_not_a_small_regular_file_is_refused() {
    let env = TestEnv::with_officer();
    let big = env.path("big.key");
    std::fs::write(&big, vec![b'A'; 200_000]).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&big, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let start = Instant::now();
    let out = env
        .cmd()
        .env("KEZEK_KEY", &big)
        .args(["settings", "set", "general_per_first_priority", "4"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(65),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--key"));
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn csv_imports_refuse_devices_and_lines_past_the_bound() {
    let env = TestEnv::with_officer();
    quick(&env, &["org", "import", "/dev/zero"], 65, "/dev/zero");
    quick(
        &env,
        &["attendance", "import", "/dev/null"],
        65,
        "/dev/null",
    );
    let long = env.path("long.csv");
    let mut text = b"code,name,kind,district\nDS-900,".to_vec();
    text.extend(std::iter::repeat_n(b'x', kezek::input::LINE_MAX + 1));
    text.extend(b",state,Medeu\n");
    std::fs::write(&long, text).unwrap();
    quick(
        &env,
        &["org", "import", long.to_str().unwrap()],
        65,
        "line 2",
    );
}
