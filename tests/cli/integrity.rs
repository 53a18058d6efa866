//! Controls against abuse (SPEC §13): capacity (R-I2).

use crate::common::env::stderr;
use crate::place::{city, publish, Kid};

fn publish_assert(
    env: &crate::common::env::TestEnv,
    org: &str,
    year: &str,
    count: &str,
) -> assert_cmd::assert::Assert {
    env.kezek(&[
        "place",
        "publish",
        "--org",
        org,
        "--group-year",
        year,
        "--language",
        "ru",
        "--count",
        count,
    ])
}

#[test]
fn r_i2_publishing_beyond_capacity_less_enrolled_and_open_places_is_refused() {
    let env = city();
    // No capacity declared: nothing refused.
    publish(&env, "DS-002", "2022", 30);
    let declared = env.json(&[
        "org",
        "capacity",
        "DS-001",
        "--group-year",
        "2022",
        "--places",
        "5",
    ]);
    assert_eq!(declared["places"], 5);
    publish(&env, "DS-001", "2022", 3);
    // 3 open: 2 more fit, 3 do not; nothing is written by the refusal.
    let before = env.snapshot();
    let err = stderr(&publish_assert(&env, "DS-001", "2022", "3").code(3));
    assert!(err.contains("R-I2") && err.contains("DS-001"), "{err}");
    assert_eq!(env.snapshot(), before);
    // Another group year is not limited by this one.
    publish(&env, "DS-001", "2021", 6);
    // An enrolled child fills a place: the places it leaves open shrink, the room stays.
    let kid = Kid::new("2022-05-10", 1);
    let a = kid.register(&env);
    crate::place::offer(&env);
    let open = env.json(&[
        "place",
        "list",
        "--org",
        "DS-001",
        "--group-year",
        "2022",
        "--status",
        "offered",
    ]);
    let place = open[0]["id"].as_i64().unwrap();
    let d = crate::place::issued(&env, &a, place);
    env.kezek(&["direction", "enroll", d["number"].as_str().unwrap()])
        .success();
    publish(&env, "DS-001", "2022", 2);
    publish_assert(&env, "DS-001", "2022", "1").code(3);
    // Raising the capacity makes room.
    env.kezek(&[
        "org",
        "capacity",
        "DS-001",
        "--group-year",
        "2022",
        "--places",
        "7",
    ])
    .success();
    publish(&env, "DS-001", "2022", 1);
    env.kezek(&["audit", "verify"]).success();
}

#[test]
fn r_i2_capacities_import_all_or_nothing_and_bad_values_are_refused() {
    let env = city();
    let bad = env.write(
        "capacity.csv",
        "org_code,group_year,places\nDS-001,2022,26\nDS-404,2022,10\nDS-002,2022,-1\nDS-001,2022,20\n",
    );
    let before = env.snapshot();
    let err = stderr(
        &env.kezek(&["org", "capacity-import", bad.to_str().unwrap()])
            .code(65),
    );
    for needle in [":3:", "'DS-404'", ":4:", "places", ":5:"] {
        assert!(err.contains(needle), "{needle} in {err}");
    }
    assert_eq!(env.snapshot(), before);
    let good = env.write(
        "capacity-good.csv",
        "org_code,group_year,places\nDS-001,2022,1\nDS-002,2021,4\n",
    );
    env.kezek(&["org", "capacity-import", good.to_str().unwrap()])
        .success();
    publish(&env, "DS-001", "2022", 1);
    publish_assert(&env, "DS-001", "2022", "1").code(3);
    env.kezek(&[
        "org",
        "capacity",
        "DS-404",
        "--group-year",
        "2022",
        "--places",
        "3",
    ])
    .code(4);
    env.kezek(&[
        "org",
        "capacity",
        "DS-001",
        "--group-year",
        "20x2",
        "--places",
        "3",
    ])
    .code(65);
}
