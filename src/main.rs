use std::io::IsTerminal;

use clap::{CommandFactory, FromArgMatches};
use kezek::cli::help;
use kezek::domain::iin::mask_iins_in;

/// The allocator: kezek's bulk commands (an import, a night's sweep, a publication's check) allocate and free
/// millions of small texts, often on one thread and freed on another, where mimalloc is markedly quicker than the
/// system's allocator. SQLite keeps its own (the system's).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Every message kezek prints about a failure goes through `mask_iins_in`: messages echo what the officer typed
/// or what a file held (a key, a value, an argument clap did not expect), and none of them may show an IIN in
/// full (SPEC §8), whichever command and whichever code path produced it.
fn main() {
    std::panic::set_hook(Box::new(print_panic));
    // The language is known before the command line is parsed, so that --help and clap's reports speak it.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help::language_of(&args);
    kezek::lang::set(lang);
    let parsed = help::localized(kezek::Cli::command(), lang)
        .try_get_matches_from(&args)
        .and_then(|matches| {
            let mut cli = kezek::Cli::from_arg_matches(&matches)?;
            cli.path = kezek::cli::command_path(&matches);
            Ok(cli)
        });
    let cli = match parsed {
        Ok(cli) => cli,
        // --help and --version go to stdout as clap prints them; they echo nothing typed.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            if let Some(text) = help::parse_error(&e, lang) {
                eprint!("{}", mask_iins_in(&text));
                std::process::exit(e.exit_code());
            }
            let rendered = e.render();
            let text = if stderr_has_colors() {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            };
            eprint!("{}", mask_iins_in(&text));
            std::process::exit(e.exit_code());
        }
    };
    // A panic is a bug: its message is already printed; the exit code says "unexpected error" (SPEC §8).
    let result = std::panic::catch_unwind(|| kezek::run(cli)).unwrap_or_else(|_| {
        std::process::exit(1);
    });
    if let Err(e) = result {
        let code = e.exit_code();
        if code != 0 {
            eprintln!("kezek: {}", mask_iins_in(&e.to_string()));
        }
        std::process::exit(code);
    }
}

/// Whether clap would colour its error on stderr: a terminal, and neither `NO_COLOR` nor a dumb terminal.
fn stderr_has_colors() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// The standard panic report, with the message masked like every other error.
fn print_panic(info: &std::panic::PanicHookInfo) {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "Box<dyn Any>".to_string());
    let thread = std::thread::current();
    let location = info.location().map(|l| l.to_string()).unwrap_or_default();
    eprintln!(
        "\nthread '{}' panicked at {location}:\n{}",
        thread.name().unwrap_or("<unnamed>"),
        mask_iins_in(&message)
    );
    let backtrace = std::backtrace::Backtrace::capture();
    if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
        eprintln!("stack backtrace:\n{backtrace}");
    } else {
        eprintln!("note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace");
    }
}
