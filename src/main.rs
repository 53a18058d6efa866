use clap::Parser;

fn main() {
    let cli = kezek::Cli::parse();
    // A panic is a bug: its message is already printed; the exit code says "unexpected error" (SPEC §8).
    let result = std::panic::catch_unwind(|| kezek::run(cli)).unwrap_or_else(|_| {
        std::process::exit(1);
    });
    if let Err(e) = result {
        let code = e.exit_code();
        if code != 0 {
            eprintln!("kezek: {e}");
        }
        std::process::exit(code);
    }
}
