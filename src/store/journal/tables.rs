//! The state tables the journal covers, each with its primary key column.

/// A table whose rows are state, covered row by row by the journal, and its primary key column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateTable {
    pub name: &'static str,
    pub key: &'static str,
}

pub const OFFICER: StateTable = StateTable {
    name: "officer",
    key: "id",
};
pub const ORG: StateTable = StateTable {
    name: "org",
    key: "code",
};
pub const CALENDAR_DAY: StateTable = StateTable {
    name: "calendar_day",
    key: "date",
};
pub const SETTING: StateTable = StateTable {
    name: "setting",
    key: "key",
};
pub const CATEGORY: StateTable = StateTable {
    name: "category",
    key: "name",
};
pub const DISTRICT: StateTable = StateTable {
    name: "district",
    key: "name",
};

pub const APPLICATION: StateTable = StateTable {
    name: "application",
    key: "number",
};

pub const PLACE: StateTable = StateTable {
    name: "place",
    key: "id",
};
pub const OFFER_ROUND: StateTable = StateTable {
    name: "offer_round",
    key: "id",
};
pub const DIRECTION: StateTable = StateTable {
    name: "direction",
    key: "number",
};
pub const ENROLLMENT: StateTable = StateTable {
    name: "enrollment",
    key: "direction",
};
pub const SWEEP_RUN: StateTable = StateTable {
    name: "sweep_run",
    key: "date",
};
pub const ALLOCATION_RUN: StateTable = StateTable {
    name: "allocation_run",
    key: "id",
};
pub const EXCHANGE_RUN: StateTable = StateTable {
    name: "exchange_run",
    key: "id",
};
pub const CAPACITY: StateTable = StateTable {
    name: "capacity",
    key: "id",
};
pub const ATTENDANCE: StateTable = StateTable {
    name: "attendance",
    key: "id",
};
pub const NOTIFICATION: StateTable = StateTable {
    name: "notification",
    key: "id",
};

/// Every state table. A table added by a later migration must be added here, or `verify` will not see it.
pub const STATE_TABLES: &[StateTable] = &[
    OFFICER,
    ORG,
    CALENDAR_DAY,
    SETTING,
    CATEGORY,
    DISTRICT,
    APPLICATION,
    PLACE,
    OFFER_ROUND,
    DIRECTION,
    ENROLLMENT,
    NOTIFICATION,
    SWEEP_RUN,
    ALLOCATION_RUN,
    EXCHANGE_RUN,
    CAPACITY,
    ATTENDANCE,
];

/// The state table named `name`, for `history --table` and the migrations' replay.
pub fn table_named(name: &str) -> Option<StateTable> {
    STATE_TABLES.iter().copied().find(|t| t.name == name)
}
