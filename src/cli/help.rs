//! `--help` and the man pages in the interface's language (R-L1). The English texts are the clap definitions
//! themselves (doc comments, `long_about`); `locales/*/help.ftl` holds each of them under a key made of the
//! command's path and the argument's id, so that Russian and Kazakh replace them one by one. A test keeps the
//! English catalog equal to the definitions, so a changed help text cannot leave its translations behind.
//!
//! Keys: `help-kezek-application-register` (about), `…-long` (long about), `…-after` (text after the options),
//! `help-kezek-application-register--number` (an argument's help), `…--number-long`; a global flag is keyed at the
//! top (`help-kezek--db`) wherever it is shown.

use clap::Command;

use crate::lang::{self, Lang};
use crate::tr_in;

/// The command line `cmd`, every text of it in `lang`, headings, the help flag and the help command included.
/// English is the definition as written.
pub fn localized(mut cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    cmd.build();
    walk(cmd, lang, "kezek")
}

fn walk(mut cmd: Command, lang: Lang, path: &str) -> Command {
    let text = |key: String| lang::has(lang, &key).then(|| tr_in!(lang, &key));
    if let Some(about) = text(format!("help-{path}")) {
        cmd = cmd.about(about);
    }
    if let Some(long) = text(format!("help-{path}-long")) {
        cmd = cmd.long_about(long);
    }
    if let Some(after) = text(format!("help-{path}-after")) {
        cmd = cmd.after_long_help(after);
    }
    let word = |id| lang::word(lang, id).unwrap_or_default();
    let (options, arguments) = (word("ui-help-options"), word("ui-help-arguments"));
    cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            tr_in!(lang, "ui-help-usage")
        ))
        .subcommand_help_heading(word("ui-help-commands"))
        .mut_args(|arg| {
            let key = match arg.get_id().as_str() {
                "help" => "help-flag".to_string(),
                "version" => "help-version".to_string(),
                id if arg.is_global_set() => format!("help-kezek--{id}"),
                id => format!("help-{path}--{id}"),
            };
            let heading = if arg.is_positional() {
                arguments
            } else {
                options
            };
            let mut arg = arg.help_heading(heading);
            let notes = notes(&arg, lang);
            let english = |t: Option<&clap::builder::StyledStr>| t.map(|t| t.to_string());
            if let Some(help) = text(key.clone()).or_else(|| english(arg.get_help())) {
                arg = arg.help(format!("{help}{notes}"));
            }
            if let Some(long) = text(format!("{key}-long")).or_else(|| english(arg.get_long_help()))
            {
                arg = arg.long_help(format!("{long}{notes}"));
            }
            arg.hide_default_value(true)
                .hide_env(true)
                .hide_possible_values(true)
        });
    cmd.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        if name == "help" {
            return sub
                .about(tr_in!(lang, "help-help-command"))
                .mut_args(|a| a.help_heading(arguments));
        }
        walk(sub, lang, &format!("{path}-{name}"))
    })
}

/// What clap adds after an argument's help in English (`[default: …]`, `[env: …]`, `[possible values: …]`), in
/// `lang`.
fn notes(arg: &clap::Arg, lang: Lang) -> String {
    let mut notes = String::new();
    let mut add = |id, values: Vec<String>| {
        if !values.is_empty() {
            notes.push_str(&format!(" [{}: {}]", tr_in!(lang, id), values.join(", ")));
        }
    };
    let shown = |v: &std::ffi::OsStr| v.to_string_lossy().into_owned();
    if !arg.is_hide_default_value_set() && arg.get_action().takes_values() {
        add(
            "ui-help-default",
            arg.get_default_values().iter().map(|v| shown(v)).collect(),
        );
    }
    if !arg.is_hide_env_set() {
        add(
            "ui-help-env",
            arg.get_env().map(shown).into_iter().collect(),
        );
    }
    if !arg.is_hide_possible_values_set() && arg.get_action().takes_values() {
        add(
            "ui-help-values",
            arg.get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect(),
        );
    }
    notes
}

/// The interface's language of a command line not yet parsed: its `--lang` (as `--lang X` or `--lang=X`), else
/// the environment (`Lang::choose`), so that `--help` and clap's own errors speak it too.
pub fn language_of(args: &[std::ffi::OsString]) -> Lang {
    let mut flag = None;
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            flag = args.next().and_then(|v| Lang::parse(&v));
        } else if let Some(v) = arg.strip_prefix("--lang=") {
            flag = Lang::parse(v);
        }
    }
    Lang::choose(flag, |name| std::env::var(name).ok())
}

/// clap's own report of a command line it refused (an unknown flag, a bad value, a missing argument), in `lang`;
/// `None` for English, which clap writes itself. The values quoted are what was typed, as clap quotes them.
pub fn parse_error(error: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if lang == Lang::En {
        return None;
    }
    let value = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let (arg, invalid) = (
        value(ContextKind::InvalidArg),
        value(ContextKind::InvalidValue),
    );
    let text = match error.kind() {
        ErrorKind::InvalidValue => {
            let valid = value(ContextKind::ValidValue);
            let mut text = tr_in!(lang, "ui-clap-invalid-value", value = invalid, arg = arg);
            if !valid.is_empty() {
                text.push_str(&tr_in!(lang, "ui-clap-valid-values", values = valid));
            }
            text
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error)
                .map(|e| e.to_string())
                .unwrap_or_default();
            tr_in!(
                lang,
                "ui-clap-bad-value",
                value = invalid,
                arg = arg,
                reason = reason
            )
        }
        ErrorKind::UnknownArgument => tr_in!(lang, "ui-clap-unknown-argument", arg = arg),
        ErrorKind::InvalidSubcommand => tr_in!(
            lang,
            "ui-clap-unknown-command",
            command = value(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => tr_in!(lang, "ui-clap-missing", args = arg),
        ErrorKind::MissingSubcommand => tr_in!(lang, "ui-clap-missing-command"),
        ErrorKind::ArgumentConflict => tr_in!(
            lang,
            "ui-clap-conflict",
            arg = arg,
            other = value(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => tr_in!(lang, "ui-clap-values", arg = arg),
        _ => return None,
    };
    let suggested = [
        ContextKind::SuggestedValue,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
    ]
    .into_iter()
    .map(value)
    .find(|s| !s.is_empty());
    let text = match suggested {
        Some(s) => format!("{text}\n\n  {}", tr_in!(lang, "ui-clap-similar", value = s)),
        None => text,
    };
    let usage = value(ContextKind::Usage);
    let usage = usage
        .split_once(':')
        .map_or(usage.as_str(), |(_, rest)| rest)
        .trim();
    let usage = if usage.is_empty() {
        String::new()
    } else {
        format!("{} {usage}\n\n", tr_in!(lang, "ui-help-usage"))
    };
    Some(format!(
        "{}: {text}\n\n{usage}{}\n",
        tr_in!(lang, "ui-clap-error"),
        tr_in!(lang, "ui-clap-more")
    ))
}

/// Every (key, English text) of the command line: what `help.ftl` holds, in the order of the definitions.
pub fn english_texts(cmd: &Command) -> Vec<(String, String)> {
    let mut out = Vec::new();
    collect(cmd, "kezek", true, &mut out);
    out
}

fn collect(cmd: &Command, path: &str, top: bool, out: &mut Vec<(String, String)>) {
    let mut push = |key: String, text: Option<String>| {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            out.push((key, text));
        }
    };
    push(
        format!("help-{path}"),
        cmd.get_about().map(|s| s.to_string()),
    );
    push(
        format!("help-{path}-long"),
        cmd.get_long_about().map(|s| s.to_string()),
    );
    push(
        format!("help-{path}-after"),
        cmd.get_after_long_help().map(|s| s.to_string()),
    );
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if matches!(id, "help" | "version") || (arg.is_global_set() && !top) {
            continue;
        }
        let key = format!("help-{path}--{id}");
        push(key.clone(), arg.get_help().map(|s| s.to_string()));
        push(
            format!("{key}-long"),
            arg.get_long_help().map(|s| s.to_string()),
        );
    }
    for sub in cmd.get_subcommands() {
        collect(sub, &format!("{path}-{}", sub.get_name()), false, out);
    }
}

/// `text` as a Fluent message value: one line, or an indented block whose blank lines are kept; the characters
/// Fluent reads as syntax are written as string literals.
pub fn fluent_value(text: &str) -> String {
    let escape = |line: &str| {
        let mut out = String::new();
        for (i, c) in line.chars().enumerate() {
            match c {
                '{' => out.push_str("{\"{\"}"),
                '}' => out.push_str("{\"}\"}"),
                '[' | '*' | '.' if i == 0 => out.push_str(&format!("{{\"{c}\"}}")),
                c => out.push(c),
            }
        }
        if out.ends_with(' ') {
            let trimmed = out.trim_end().len();
            let spaces = out.len() - trimmed;
            out.truncate(trimmed);
            out.push_str(&format!("{{\"{}\"}}", " ".repeat(spaces)));
        }
        if out.starts_with(' ') {
            let spaces = out.len() - out.trim_start().len();
            out = format!("{{\"{}\"}}{}", " ".repeat(spaces), out.trim_start());
        }
        out
    };
    if !text.contains('\n') {
        return format!(" {}", escape(text));
    }
    let mut out = String::new();
    for line in text.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(&escape(line));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// The English catalog of `--help` is the definitions themselves: a changed help text must change it (and
    /// so its translations). `KEZEK_BLESS_HELP=1 cargo test` rewrites `locales/en/help.ftl` from the definitions.
    #[test]
    fn r_l1_the_english_help_catalog_is_the_definitions() {
        let texts = english_texts(&crate::Cli::command());
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/en/help.ftl");
        if std::env::var_os("KEZEK_BLESS_HELP").is_some() {
            let mut file = String::from(
                "# --help and the man pages: generated from the clap definitions (see src/cli/help.rs).\n\n",
            );
            for (key, text) in &texts {
                file.push_str(&format!("{key} ={}\n", fluent_value(text)));
            }
            std::fs::write(&path, file).unwrap();
        }
        let mut stale = Vec::new();
        for (key, text) in &texts {
            if lang::has(Lang::En, key) {
                if &tr_in!(Lang::En, key) != text {
                    stale.push(format!("{key} changed"));
                }
            } else {
                stale.push(format!("{key} missing"));
            }
        }
        assert!(
            stale.is_empty(),
            "locales/en/help.ftl is stale ({stale:?}): run `KEZEK_BLESS_HELP=1 cargo test --lib help` and translate \
             the changed keys in ru and kk"
        );
    }

    #[test]
    fn fluent_values_keep_every_character() {
        for text in [
            "plain",
            "a {brace} and [bracket]",
            "two\n\nparagraphs\n  indented line",
            "[starts] with a bracket\n.dot\n*star",
            "ends with space ",
        ] {
            let source = format!("m ={}\n", fluent_value(text));
            let resource = fluent_templates::fluent_bundle::FluentResource::try_new(source.clone())
                .unwrap_or_else(|_| panic!("{source}"));
            let mut bundle =
                fluent_templates::fluent_bundle::FluentBundle::new(vec!["en".parse().unwrap()]);
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).unwrap();
            let pattern = bundle.get_message("m").unwrap().value().unwrap();
            let mut errors = vec![];
            assert_eq!(
                bundle.format_pattern(pattern, None, &mut errors),
                text,
                "{source}"
            );
        }
    }

    #[test]
    fn r_l1_help_is_russian_under_ru() {
        let mut cmd = localized(crate::Cli::command(), Lang::Ru);
        let help = cmd
            .find_subcommand_mut("application")
            .unwrap()
            .find_subcommand_mut("register")
            .unwrap()
            .render_long_help()
            .to_string();
        assert!(help.contains(&tr_in!(Lang::Ru, "ui-help-usage")), "{help}");
        assert!(
            !help.contains("Options:") && !help.contains("Usage:"),
            "{help}"
        );
        assert!(
            help.contains(&tr_in!(
                Lang::Ru,
                "help-kezek-application-register--child_iin"
            )),
            "{help}"
        );
    }
}

#[cfg(test)]
mod described {
    use clap::CommandFactory;

    /// Every flag and argument says what it is in `--help` and the man pages.
    #[test]
    fn every_argument_has_a_description() {
        fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                if arg
                    .get_help()
                    .is_none_or(|h| h.to_string().trim().is_empty())
                {
                    out.push(format!("{path} --{}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), out);
            }
        }
        let mut missing = Vec::new();
        walk(&crate::Cli::command(), "kezek", &mut missing);
        assert!(
            missing.is_empty(),
            "{} without a description: {missing:#?}",
            missing.len()
        );
    }
}
