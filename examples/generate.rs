//! Writes a synthetic `application import` CSV and prints its SHA-256:
//! `cargo run --release --example generate -- --count 100000 --seed 1 --out applications.csv`

use std::io::BufWriter;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let count: u64 = value("--count")
        .map(|v| v.replace('k', "000").replace('m', "000000"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let seed: u64 = value("--seed").and_then(|v| v.parse().ok()).unwrap_or(1);
    let out = value("--out").unwrap_or_else(|| "applications.csv".into());
    let file = std::fs::File::create(&out).expect("create the output file");
    let mut w = BufWriter::new(file);
    kezek::generate::applications(&mut w, seed, count, kezek::generate::default_now())
        .expect("generate");
    drop(w);
    let (len, sha) = kezek::csvfile::digest_file(std::path::Path::new(&out)).expect("digest");
    println!("{out}: {count} applications, {len} bytes, sha256 {sha}");
}
