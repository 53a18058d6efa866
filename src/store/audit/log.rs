//! The public log walked with the chain (R-V1, R-V2): every event has exactly one public record, which starts
//! and ends as the event's own fields say; its leaf and every complete subtree it completes are stored as
//! recomputed here; and the root at each head is the one the head signed.

use rusqlite::{Connection, Rows, Statement};

use crate::domain::merkle::{Frontier, Hash};
use crate::domain::public;
use crate::error::{Error, Result};
use crate::store::journal::{part_text, tree_node, EventFields};
use crate::tr;

pub(super) struct LogCheck<'s> {
    conn: &'s Connection,
    parts: Rows<'s>,
    /// The next part not yet taken: its seq, its number and its text.
    ahead: Option<(i64, i64, String)>,
    frontier: Frontier,
    nodes: u64,
}

impl<'s> LogCheck<'s> {
    pub(super) fn prepare(conn: &Connection) -> Result<Statement<'_>> {
        Ok(conn.prepare("SELECT seq, part, text FROM public_record ORDER BY seq, part")?)
    }

    pub(super) fn new(conn: &'s Connection, stmt: &'s mut Statement<'_>) -> Result<LogCheck<'s>> {
        let mut parts = stmt.query([])?;
        let ahead = read(&mut parts)?;
        Ok(LogCheck {
            conn,
            parts,
            ahead,
            frontier: Frontier::default(),
            nodes: 0,
        })
    }

    /// Takes event `seq`'s public record and appends its leaf.
    pub(super) fn event(&mut self, seq: i64, e: &EventFields) -> Result<()> {
        let tampered = |why: String| {
            Error::Tampered(tr!(
                "err-audit-record",
                seq = seq,
                kind = e.kind.clone(),
                why = why
            ))
        };
        if self.ahead.as_ref().is_some_and(|(s, ..)| *s < seq) {
            let (s, ..) = self.ahead.as_ref().expect("checked");
            return Err(Error::Tampered(tr!("err-audit-record-no-event", seq = *s)));
        }
        let head = public::record_head(
            &e.effective_at,
            &e.recorded_at,
            e.officer.as_deref(),
            &e.kind,
        );
        let tail = public::record_tail(seq, &e.kind, &e.subject);
        let mut leaf = sha2::Sha256::new();
        use sha2::Digest;
        leaf.update([0u8]);
        let mut count = 0i64;
        let mut last = String::new();
        while let Some((s, part, text)) = self.ahead.take() {
            if s != seq {
                self.ahead = Some((s, part, text));
                break;
            }
            if part != count {
                return Err(tampered(tr!("err-audit-record-lacks-part", part = count)));
            }
            if part == 0 && !text.starts_with(&head) {
                return Err(tampered(tr!("err-audit-record-head")));
            }
            leaf.update(text.as_bytes());
            count += 1;
            last = text;
            self.ahead = read(&mut self.parts)?;
        }
        if count == 0 {
            return Err(tampered(tr!("err-audit-record-missing")));
        }
        if !last.ends_with(&tail) {
            return Err(tampered(tr!("err-audit-record-tail")));
        }
        let leaf: Hash = leaf.finalize().into();
        for (node, hash) in self.frontier.push(leaf) {
            self.nodes += 1;
            if tree_node(self.conn, node)? != hash {
                return Err(Error::Tampered(tr!(
                    "err-audit-tree-node",
                    index = node.index as i64,
                    level = node.level as i64,
                    seq = seq
                )));
            }
        }
        Ok(())
    }

    /// The root of the log read so far.
    pub(super) fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// After the last event: no record and no tree node beyond it.
    pub(super) fn finish(self) -> Result<()> {
        if let Some((s, ..)) = self.ahead {
            return Err(Error::Tampered(tr!("err-audit-record-no-event", seq = s)));
        }
        let stored: i64 = self
            .conn
            .query_row("SELECT count(*) FROM merkle_node", [], |r| r.get(0))?;
        if stored as u64 != self.nodes {
            return Err(Error::Tampered(tr!(
                "err-audit-tree-size",
                stored = stored,
                records = self.frontier.size() as i64,
                nodes = self.nodes as i64
            )));
        }
        Ok(())
    }
}

fn read(rows: &mut Rows<'_>) -> Result<Option<(i64, i64, String)>> {
    Ok(match rows.next()? {
        Some(r) => {
            let (seq, part) = (r.get(0)?, r.get(1)?);
            Some((seq, part, part_text(seq, part, r.get_ref(2)?)?))
        }
        None => None,
    })
}
