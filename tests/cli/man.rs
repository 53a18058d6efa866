//! The man pages in man/ are generated from the clap definitions; this fails when they are stale.

use crate::common::commands_in_help;
use crate::common::env::TestEnv;

#[test]
fn man_pages_are_up_to_date() {
    let env = TestEnv::bare();
    env.kezek(&["man", "--out", "fresh"]).success();
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let fresh = env.path("fresh");
    // The pages of every language: `man/*.1`, `man/ru/*.1`, `man/kk/*.1`.
    let names = |dir: &std::path::Path| {
        let mut v: Vec<String> = Vec::new();
        for sub in ["", "ru", "kk"] {
            if let Ok(rd) = std::fs::read_dir(dir.join(sub)) {
                v.extend(
                    rd.map(|e| e.unwrap())
                        .filter(|e| e.path().is_file())
                        .map(|e| format!("{sub}/{}", e.file_name().to_string_lossy())),
                );
            }
        }
        v.sort();
        v
    };
    let stale = "man/ is stale: run `cargo run -- man --out man` and commit the result";
    assert_eq!(names(&committed), names(&fresh), "{stale}");
    for name in names(&fresh) {
        let name = name.trim_start_matches('/');
        let a = std::fs::read_to_string(committed.join(name)).unwrap();
        let b = std::fs::read_to_string(fresh.join(name)).unwrap();
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

/// Where a help text or man page has a run of three or more spaces inside its prose: what a string literal
/// continued over lines without its `\` leaves behind (the next source line's indentation). A line's own
/// indentation is not a run. Left alone: the column of a list (`  NAME   ABOUT` in clap's lists of commands,
/// the first gap of a line indented by two) and indented examples (in `--help`, the indented lines of the text
/// above `Usage:`; in roff, lines that begin with a space or stand between `.nf` and `.fi`, `.EX` and `.EE`).
fn stray_runs(text: &str, roff: bool) -> Vec<String> {
    let mut found = Vec::new();
    let mut about = !roff;
    let mut example = false;
    for line in text.lines() {
        if about && line.starts_with("Usage:") {
            about = false;
        }
        if roff {
            match line.get(..3) {
                Some(".nf" | ".EX") => example = true,
                Some(".fi" | ".EE") => example = false,
                _ => {}
            }
            if example || line.starts_with(['.', '\'', ' ']) {
                continue;
            }
        }
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if indent > 0 && about {
            continue;
        }
        let mut gaps = body.split(' ').skip(1).peekable();
        let mut first = true;
        let mut run = 0;
        let mut stray = false;
        while let Some(word) = gaps.next() {
            run += 1;
            if !word.is_empty() || gaps.peek().is_none() {
                if run >= 3 && !(first && indent == 2) {
                    stray = true;
                }
                first = false;
                run = 0;
            }
        }
        if stray {
            found.push(line.to_string());
        }
    }
    found
}

#[test]
fn help_texts_and_man_pages_have_no_runs_of_spaces_inside_their_prose() {
    let env = TestEnv::bare();
    let mut found = Vec::new();
    let mut helps = 0;
    let mut todo: Vec<Vec<String>> = vec![vec![]];
    while let Some(command) = todo.pop() {
        let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
        args.push("--help");
        let help = env.stdout(&args);
        helps += 1;
        for line in stray_runs(&help, false) {
            found.push(format!("kezek {}: {line}", args.join(" ")));
        }
        for sub in commands_in_help(&help) {
            let mut next = command.clone();
            next.push(sub);
            todo.push(next);
        }
    }
    let man = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut pages = 0;
    for entry in std::fs::read_dir(&man).expect("man/") {
        let path = entry.expect("a man page").path();
        if path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a man page");
        pages += 1;
        for line in stray_runs(&text, true) {
            let name = path.file_name().expect("a name").to_string_lossy();
            found.push(format!("man/{name}: {line}"));
        }
    }
    assert!(
        helps >= 50 && pages >= 50,
        "{helps} --help texts, {pages} man pages"
    );
    assert!(
        found.is_empty(),
        "runs of spaces inside prose (a string literal continued without `\\`?):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_stray_space_rule_flags_prose_and_leaves_lists_and_examples_alone() {
    let help = "The offer round. For each         queue it takes\n\
                \x20   30 1 * * *   kezek sweep --quiet\n\
                \n\
                Usage: kezek offer\n\
                \n\
                Commands:\n\
                \x20 init         Create the database\n\
                \x20 sweep        The nightly sweep: close windows,         expire\n\
                \x20              (R-S1..R-S7)\n\
                Options:\n\
                \x20     --db <PATH>\n\
                \x20         The   database file\n";
    assert_eq!(
        stray_runs(help, false),
        [
            "The offer round. For each         queue it takes",
            "  sweep        The nightly sweep: close windows,         expire",
            "          The   database file",
        ]
    );
    let roff = ".TH kezek-offer 1  \"offer 0.1.0\"\n\
                .SH DESCRIPTION\n\
                The offer round. For each         queue it takes\n\
                \x20   30 1 * * *   kezek sweep\n\
                .nf\n\
                a   b\n\
                .fi\n\
                The end.\n";
    assert_eq!(
        stray_runs(roff, true),
        ["The offer round. For each         queue it takes"]
    );
}
