#!/usr/bin/env bash
# The failure drill for officers (README, "Operations"): the three checks to run after a crash and, once a month,
# to prove that the backups and the replica can be restored. It never changes the live database: every copy is
# made in a directory of its own, and what to do with a copy that passes is printed, not done.
#
#   1. after a crash: `kezek db check` on the database (SQLite's checks and the whole audit), with the last
#      published head: the journal still reaches it;
#   2. restore from `db backup`: a fresh backup (or the one given with --backup FILE) checked the same way;
#   3. restore from the replica: `litestream restore -o` into the drill's directory, checked the same way, and
#      how far it reaches against the live database.
#
# Usage: drill.sh [--db FILE] [--config LITESTREAM_YML] [--head FILE] [--backup FILE] [--work DIR]
#   --db       the database (default: $KEZEK_DB)
#   --config   Litestream's configuration (default: /etc/kezek/litestream.yml; step 3 is skipped without it)
#   --head     the last published head (default: none; `db check` then checks the database on its own)
#   --backup   a backup to check instead of making a new one
#   --work     where the copies go (default: a new directory under /tmp, kept for a look afterwards)
# Exit 0 when every step passed; otherwise the number of the first step that failed.
set -uo pipefail

db="${KEZEK_DB:-}"
config=/etc/kezek/litestream.yml
head=""
backup=""
work=""
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db="$2"; shift 2 ;;
        --config) config="$2"; shift 2 ;;
        --head) head="$2"; shift 2 ;;
        --backup) backup="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "drill: unknown argument $1 (see --help)" >&2; exit 64 ;;
    esac
done
if [ -z "$db" ]; then
    echo "drill: name the database with --db FILE or KEZEK_DB" >&2
    exit 64
fi
kezek="${KEZEK_BIN:-kezek}"
litestream="${LITESTREAM_BIN:-}"
if [ -z "$litestream" ]; then
    litestream="$(command -v litestream || true)"
    here="$(cd "$(dirname "$0")/../.." && pwd)"
    [ -z "$litestream" ] && [ -x "$here/target/tools/bin/litestream" ] && litestream="$here/target/tools/bin/litestream"
fi
work="${work:-$(mktemp -d /tmp/kezek-drill.XXXXXX)}"
mkdir -p "$work"
head_args=()
[ -n "$head" ] && head_args=(--head "$head")

# `db check` of one file: the verdict and kezek's own summary line.
check() {
    local step="$1" what="$2" file="$3"
    if KEZEK_DB="$file" "$kezek" db check "${head_args[@]}"; then
        echo "drill $step: $what passes db check${head:+ with the head $head}"
    else
        echo "drill $step: FAILED: $what does not pass db check (kept in $work for a look)" >&2
        exit "$step"
    fi
}

# The journal's length of a database file, read only.
seq_of() {
    KEZEK_DB="$1" "$kezek" audit head --format json 2>/dev/null |
        sed -n 's/.*"seq": *\([0-9]*\).*/\1/p' | head -n 1
}

echo "drill: database $db; copies in $work"

# 1. After a crash: the database as the crash left it (SQLite replays its write-ahead log on opening).
check 1 "the database" "$db"

# 2. Restore from `db backup`.
if [ -z "$backup" ]; then
    backup="$work/backup.db"
    KEZEK_DB="$db" "$kezek" db backup "$backup" || { echo "drill 2: FAILED: db backup" >&2; exit 2; }
fi
copy="$work/from-backup.db"
cp "$backup" "$copy"
check 2 "the backup $backup" "$copy"

# 3. Restore from the replica.
if [ ! -f "$config" ]; then
    echo "drill 3: skipped: no Litestream configuration at $config (--config FILE)"
elif [ -z "$litestream" ]; then
    echo "drill 3: FAILED: litestream is not installed (.ci/install-litestream, or LITESTREAM_BIN)" >&2
    exit 3
else
    restored="$work/from-replica.db"
    if ! "$litestream" restore -config "$config" -o "$restored" "$db"; then
        echo "drill 3: FAILED: litestream restore" >&2
        exit 3
    fi
    check 3 "the replica" "$restored"
    echo "drill 3: the replica reaches seq $(seq_of "$restored") of the database's $(seq_of "$db")"
fi

cat <<EOF
drill: every step passed. To put a copy in place of a lost database (kezek and Litestream stopped):
  systemctl stop kezek-sweep.timer litestream
  mv $db $db.lost; rm -f $db-wal $db-shm; rm -rf "$(dirname "$db")/.$(basename "$db")-litestream"
  cp $work/from-replica.db $db      # or from-backup.db
  KEZEK_DB=$db $kezek db check${head:+ --head $head}
  systemctl start litestream kezek-sweep.timer
EOF
