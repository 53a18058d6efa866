//! `kezek man --out DIR`: the man pages from the clap definition, in English (DIR) and in Russian and Kazakh
//! (DIR/ru, DIR/kk), each with the exit status and, for the commands an officer runs most, examples; never opens
//! the database.

use std::path::{Path, PathBuf};

use clap::{Args, Command, CommandFactory};

use super::{help, Cli, Ctx};
use crate::domain::role;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::tr_in;

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory for the pages (created if missing); the Russian and Kazakh pages go to its `ru` and `kk`
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Command lines worth showing, by the command's path: the same in every language.
const EXAMPLES: &[(&str, &[&str])] = &[
    ("kezek", &["kezek demo", "kezek --lang ru application list --limit 20", "KEZEK_LANG=kk kezek settings show"]),
    ("kezek-init", &["KEZEK_DB=/srv/kezek/almaty.db kezek init"]),
    ("kezek-officer-keygen", &["kezek officer keygen --out ~/.kezek"]),
    (
        "kezek-officer-add",
        &["kezek officer add --id aigerim --name 'Айгерим Сейткали' --district Алмалинский --public-key aigerim.pub"],
    ),
    ("kezek-org-import", &["kezek org import --dry-run orgs.csv", "kezek org import orgs.csv"]),
    (
        "kezek-application-register",
        &["kezek application register --child-iin 230401500129 --child-name 'Нурланов Алихан' \\\n    --applicant-iin 900505400129 --applicant-name 'Нурланова Айгерим' --phone +77011234567 \\\n    --district Алмалинский --consent egov"],
    ),
    ("kezek-application-import", &["kezek application import --dry-run applications.csv"]),
    ("kezek-application-find", &["kezek application find --iin 230401500129"]),
    ("kezek-application-list", &["kezek application list --status queued --limit 20", "kezek application list --format csv > queue.csv"]),
    ("kezek-application-explain", &["kezek application explain DDO.2026.000001.1 --since 2026-03-01"]),
    ("kezek-place-publish", &["kezek place publish --org DS-001 --group-year 2023 --language kk --count 2"]),
    ("kezek-place-import", &["kezek place import places.csv"]),
    ("kezek-offer", &["kezek offer"]),
    ("kezek-direction-issue", &["kezek direction issue DDO.2026.000001.1 --place 1"]),
    ("kezek-direction-enroll", &["kezek direction enroll NAP.2026.000001 --benefit-doc-date 2026-03-10"]),
    ("kezek-sweep", &["kezek sweep", "kezek sweep --dry-run --format json"]),
    ("kezek-audit-verify", &["kezek audit verify --head head-2026-11-30.txt --trust trust.pem"]),
    ("kezek-audit-public", &["kezek audit public kezek-almaty --trust ivanova.pub --previous checkpoint-seen-last-week"]),
    ("kezek-publish", &["kezek publish kezek-almaty"]),
    ("kezek-db-backup", &["kezek db backup /backup/kezek-$(date +%F).db"]),
    ("kezek-notify-export", &["kezek notify export --mark-sent > outbox.json"]),
];

pub fn run(ctx: &Ctx, args: ManArgs) -> Result<()> {
    for lang in Lang::ALL {
        let dir = match lang {
            Lang::En => args.out.clone(),
            _ => args.out.join(lang.code()),
        };
        let io = |e| Error::io(format!("--out {}", dir.display()), e);
        std::fs::create_dir_all(&dir).map_err(io)?;
        let mut cmd = help::localized(Cli::command(), lang).disable_help_subcommand(true);
        cmd.build();
        write_pages(&cmd, lang, &dir).map_err(io)?;
    }
    ctx.out.status(&crate::tr!(
        "cli-man-written",
        dir = args.out.display().to_string()
    ));
    Ok(())
}

fn write_pages(cmd: &Command, lang: Lang, dir: &Path) -> std::io::Result<()> {
    for sub in cmd.get_subcommands() {
        if !sub.is_hide_set() && sub.get_name() != "help" {
            write_pages(sub, lang, dir)?;
        }
    }
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    std::fs::write(dir.join(format!("{name}.1")), page(cmd, &name, lang)?)
}

/// One page: clap_mangen's sections (their headings in `lang`), then EXIT STATUS and EXAMPLES.
fn page(cmd: &Command, name: &str, lang: Lang) -> std::io::Result<String> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut roff)?;
    let mut text = String::from_utf8_lossy(&roff).into_owned();
    if lang != Lang::En {
        text = text
            .lines()
            .map(|line| match line.strip_prefix(".SH ") {
                Some(heading) => format!(".SH {}\n", heading_in(heading, lang)),
                None => format!("{line}\n"),
            })
            .collect();
    }
    text.push_str(&format!(".SH {}\n", tr_in!(lang, "ui-man-exit-status")));
    for line in tr_in!(lang, "ui-man-exit-codes").lines() {
        text.push_str(&format!("{}\n.br\n", roff_text(line)));
    }
    if cmd.get_subcommands().next().is_none() && name != "kezek" {
        text.push_str(&format!(".SH {}\n", tr_in!(lang, "ui-man-role")));
        text.push_str(&format!("{}\n", roff_text(&role_of(name, lang))));
    }
    if let Some((_, lines)) = EXAMPLES.iter().find(|(path, _)| *path == name) {
        text.push_str(&format!(".SH {}\n.nf\n", tr_in!(lang, "ui-man-examples")));
        for line in *lines {
            text.push_str(&format!("{}\n", roff_text(line)));
        }
        text.push_str(".fi\n");
    }
    Ok(text)
}

/// Who may run the command of page `name` (R-R1), from the one table of roles.
fn role_of(name: &str, lang: Lang) -> String {
    let command = name.trim_start_matches("kezek-").replace('-', " ");
    match role::COMMANDS
        .iter()
        .find(|c| c.command.replace('-', " ") == command)
    {
        Some(rule) => tr_in!(
            lang,
            "ui-man-role-needs",
            roles = role::roles_of(rule),
            reach = tr_in!(lang, reach_id(rule.reach))
        ),
        None => tr_in!(lang, "ui-man-role-none"),
    }
}

/// The message id naming what a command reaches.
pub fn reach_id(reach: role::Reach) -> &'static str {
    match reach {
        role::Reach::Administration => "cli-officer-reach-administration",
        role::Reach::City => "cli-officer-reach-city",
        role::Reach::District => "cli-officer-reach-district",
        role::Reach::Org => "cli-officer-reach-org",
    }
}

/// A section heading of clap_mangen in `lang` (headings of our own, already translated, pass as they are).
fn heading_in(heading: &str, lang: Lang) -> String {
    let id = match heading {
        "NAME" => "ui-man-name",
        "SYNOPSIS" => "ui-man-synopsis",
        "DESCRIPTION" => "ui-man-description",
        "OPTIONS" => "ui-man-options",
        "SUBCOMMANDS" => "ui-man-commands",
        "EXTRA" => "ui-man-extra",
        "VERSION" => "ui-man-version",
        other => return other.to_uppercase(),
    };
    tr_in!(lang, id)
}

/// A line of text as roff prints it: backslashes and hyphens escaped, a leading dot or quote kept from being a
/// request.
fn roff_text(line: &str) -> String {
    let escaped = line.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// The languages' headings are words of the catalog; a test keeps the list of examples pointing at real pages.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_names_a_command_that_exists() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut names = vec![];
        fn walk(cmd: &Command, out: &mut Vec<String>) {
            out.push(cmd.get_display_name().unwrap_or(cmd.get_name()).to_string());
            cmd.get_subcommands().for_each(|s| walk(s, out));
        }
        walk(&cmd, &mut names);
        for (path, lines) in EXAMPLES {
            assert!(names.iter().any(|n| n == path), "{path}");
            let words: Vec<&str> = path.split('-').skip(1).collect();
            assert!(
                lines.iter().all(|l| l.contains(&words.join(" "))),
                "{path}: {lines:?}"
            );
        }
    }
}
