//! `kezek proof`: inclusion and consistency proofs of the public log (R-V4), as hex, for anyone to check against
//! a published checkpoint.

use clap::Subcommand;
use serde::Serialize;

use super::Ctx;
use crate::crypto::hex;
use crate::domain::merkle::Hash;
use crate::error::{Error, Result};
use crate::store::publication;

#[derive(Debug, Subcommand)]
pub enum ProofCommand {
    /// Prove that an application's registration (or journal event N) is in the log
    #[command(
        long_about = "Prove that the public record of an application's registration (the event that put it \
        in the queue: its registration or the import that brought it), or of journal event N with --seq, is \
        leaf N - 1 of the public log's tree of --size leaves (default: the latest signed checkpoint). Prints \
        {leaf_index, tree_size, leaf_hash, root, path} in hex; RFC 9162's verification recomputes the root from \
        the leaf hash and the path."
    )]
    Inclusion {
        /// The application number
        #[arg(required_unless_present = "seq", conflicts_with = "seq")]
        number: Option<String>,
        /// A journal event instead of an application
        #[arg(long)]
        seq: Option<i64>,
        /// The tree size to prove against [default: the latest checkpoint's]
        #[arg(long)]
        size: Option<i64>,
    },
    /// Prove that the log of --to leaves extends the log of --from leaves (nothing rewritten)
    #[command(
        long_about = "Prove that the public log's tree of --to leaves is the tree of --from leaves with \
        records appended and nothing rewritten. Prints {old_size, new_size, old_root, new_root, path} in hex \
        (RFC 9162 consistency proof)."
    )]
    Consistency {
        /// The size of the earlier tree (a checkpoint's size)
        #[arg(long)]
        from: i64,
        /// [default: the latest checkpoint's tree size]
        #[arg(long)]
        to: Option<i64>,
    },
}

#[derive(Serialize)]
struct Inclusion {
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: String,
    root: String,
    path: Vec<String>,
}

#[derive(Serialize)]
struct Consistency {
    old_size: u64,
    new_size: u64,
    old_root: String,
    new_root: String,
    path: Vec<String>,
}

fn hexes(path: &[Hash]) -> Vec<String> {
    path.iter().map(|h| hex(h)).collect()
}

pub fn run(ctx: &Ctx, command: ProofCommand) -> Result<()> {
    let mut db = ctx.open()?;
    match command {
        ProofCommand::Inclusion { number, seq, size } => {
            let proof = db.snapshot(|s| {
                let size = match size {
                    Some(n) => n,
                    None => publication::checkpoint(s)?.tree_size.unwrap_or(0),
                };
                let seq = match (seq, &number) {
                    (Some(seq), _) => seq,
                    (None, Some(n)) => publication::registration_seq(s, n)?,
                    (None, None) => unreachable!("clap requires one"),
                };
                if seq < 1 || seq > size {
                    return Err(Error::usage(crate::tr!(
                        "cli-proof-seq-out-of-tree",
                        seq = seq,
                        size = size
                    )));
                }
                Ok(Inclusion {
                    leaf_index: (seq - 1) as u64,
                    tree_size: size as u64,
                    leaf_hash: hex(&publication::leaf(s, seq)?),
                    root: hex(&publication::root(s, size as u64)?),
                    path: hexes(&publication::inclusion_proof(s, seq, size as u64)?),
                })
            })?;
            ctx.out.object(&proof)
        }
        ProofCommand::Consistency { from, to } => {
            let proof = db.snapshot(|s| {
                let to = match to {
                    Some(n) => n,
                    None => publication::checkpoint(s)?.tree_size.unwrap_or(0),
                };
                let last = publication::checkpoint(s)?.tree_size.unwrap_or(0).max(to);
                if from < 1 || from > to || to > last {
                    return Err(Error::usage(crate::tr!(
                        "cli-proof-bad-sizes",
                        from = from,
                        to = to,
                        last = last
                    )));
                }
                Ok(Consistency {
                    old_size: from as u64,
                    new_size: to as u64,
                    old_root: hex(&publication::root(s, from as u64)?),
                    new_root: hex(&publication::root(s, to as u64)?),
                    path: hexes(&publication::consistency_proof(s, from as u64, to as u64)?),
                })
            })?;
            ctx.out.object(&proof)
        }
    }
}
