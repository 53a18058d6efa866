//! What the store reads through: an open database (`Db`) or a change in progress (`Change`, which sees its own
//! writes). Read functions take `&impl Access`, so a command handler can pass either, while the SQLite connection
//! itself never leaves `store/`: `Access::connection` asks for a `Token` that only the store can make. `Db`,
//! `Snapshot` and `Change` implement it in their own modules, so that this one depends on none of them.

use rusqlite::{Connection, Transaction};

/// Proof that the caller is the store; it cannot be made outside `store/`.
pub struct Token(());

/// Something the store can read through.
pub trait Access {
    /// The connection, for the store only.
    fn connection(&self, token: Token) -> &Connection;
}

/// The connection behind `access`.
pub(in crate::store) fn conn(access: &(impl Access + ?Sized)) -> &Connection {
    access.connection(Token(()))
}

impl Access for Connection {
    fn connection(&self, _: Token) -> &Connection {
        self
    }
}

impl Access for Transaction<'_> {
    fn connection(&self, _: Token) -> &Connection {
        self
    }
}
