#!/usr/bin/env python3
"""Independent verifier of a kezek publication (the directory `kezek publish DIR` writes).

Python 3 standard library only; it shares no code with kezek and needs neither the database nor any
personal data. It checks, from the published files alone:

  1. every line of DIR/log/*.jsonl: JSON, its seq, canonical form;
  2. the Merkle root (RFC 6962 / RFC 9162) of the log against DIR/checkpoint, and the checkpoint's
     RSA signature (PKCS#1 v1.5, SHA-256) with a key the log's trust chain vouches for (R-A7);
  3. --previous: an earlier checkpoint is a prefix of this log; --consistency: an RFC 9162
     consistency proof;
  4. --receipt SEQ:LEAF and --inclusion FILE: a family's record is in the checkpoint's tree;
  5. DIR/queues/*.csv against the queue order (R-Q2) replayed from the log, DIR/places.csv against
     the log's places, and every offer round notified the head of its queue;
  6. every allocation run made exactly the directions serial dictatorship over the published
     preferences gives, in queue order (R-C2, R-C5);
  7. every exchange run moved exactly the children Top Trading Cycles moves, in queue order, over the
     participants it publishes and their published preferences (R-C4);
  8. every record was made by an officer whose role at that seq allows its kind, roles following the
     log's officer.add and officer.set_role records and a table of roles written here, not read from the
     publication; only an admin vouches for a new key (R-R3). --print-roles prints that table.

Exit codes: 0 all checks hold; 65 a check failed (each failure names the file, line or seq and the
rule); 2 usage error.
"""

import argparse
import base64
import binascii
import csv
import datetime
import hashlib
import io
import json
import os
import re
import sys

EX_OK = 0
EX_USAGE = 2
EX_DATAERR = 65

RECORDS_PER_FILE = 65536
RECORD_KEYS = {"effective_at", "kind", "officer", "recorded_at", "rows", "seq", "subject"}
ROW_KEYS_REQUIRED = {"key", "table"}
WAITING = ("queued", "notified", "stop_listed")
CLASSES = ("out_of_turn", "first_priority", "general")
DEFAULT_K = 3
K_SETTING = "general_per_first_priority"
QUEUE_HEADER = "number,priority_class,registered_at,status,queue_position,class_position"
PLACES_HEADER = "id,org,group_year,language,place_type,status,release_date"
PLACE_COLUMNS = PLACES_HEADER.split(",")
CHECKPOINT_KEYS = (
    "kezek journal head v2",
    "seq",
    "hash",
    "tree-size",
    "root",
    "previous",
    "officer",
    "signed-at",
    "key-fingerprint",
    "signature",
)
HEX64 = re.compile(r"^[0-9a-f]{64}$")
LOG_NAME = re.compile(r"^([0-9]{6})\.jsonl$")
MAX_PRINTED = 50
MAX_BROKEN_LINES = 3


class Invalid(Exception):
    """Input that breaks a rule: where (a file, a line, a seq) and what."""

    def __init__(self, where, message):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


# --------------------------------------------------------------------------------------------
# Merkle tree (RFC 6962 §2.1, RFC 9162 §2.1)
# --------------------------------------------------------------------------------------------


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(record):
    """The leaf hash of one record's bytes (without its newline)."""
    return sha256(b"\x00" + record)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def split_point(n):
    """The largest power of two smaller than n (n >= 2)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def merkle_root(leaves, lo=0, hi=None):
    """MTH of leaves[lo:hi], leaves given as their leaf hashes."""
    if hi is None:
        hi = len(leaves)
    n = hi - lo
    if n == 0:
        return sha256(b"")
    if n == 1:
        return leaves[lo]
    k = split_point(n)
    return node_hash(merkle_root(leaves, lo, lo + k), merkle_root(leaves, lo + k, hi))


def verify_inclusion(leaf_index, tree_size, leaf, path, root):
    """RFC 9162 §2.1.3.2: the leaf is leaf_index of the tree of tree_size leaves whose root is root."""
    if leaf_index < 0 or leaf_index >= tree_size:
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size, new_size, old_root, new_root, path):
    """RFC 9162 §2.1.4.2: the tree of new_size leaves extends the tree of old_size leaves."""
    if old_size < 0 or old_size > new_size:
        return False
    if old_size == new_size:
        return not path and old_root == new_root
    if old_size == 0:
        return not path and old_root == sha256(b"")
    if not path:
        return False
    if old_size & (old_size - 1) == 0:
        path = [old_root] + list(path)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


# --------------------------------------------------------------------------------------------
# RSA (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017 §8.2.2) from first principles
# --------------------------------------------------------------------------------------------

RSA_OID = bytes.fromhex("2a864886f70d010101")  # 1.2.840.113549.1.1.1 rsaEncryption
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def der_read(data, pos, tag):
    """One DER TLV of the expected tag at pos: (contents, position after it)."""
    if pos + 2 > len(data) or data[pos] != tag:
        raise ValueError(f"expected DER tag 0x{tag:02x} at offset {pos}")
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise ValueError("bad DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("DER value runs past the end")
    return data[pos : pos + length], pos + length


def pem_to_der(pem):
    """The DER bytes of a PEM `PUBLIC KEY` block (CRLF or LF line ends)."""
    lines = [line.strip() for line in pem.strip().splitlines()]
    if not lines or lines[0] != "-----BEGIN PUBLIC KEY-----" or lines[-1] != "-----END PUBLIC KEY-----":
        raise ValueError("not a PEM PUBLIC KEY block")
    try:
        return base64.b64decode("".join(lines[1:-1]), validate=True)
    except (binascii.Error, ValueError) as e:
        raise ValueError(f"bad base64 in the PEM block: {e}") from None


def fingerprint(der):
    return hashlib.sha256(der).hexdigest()


def rsa_public_key(der):
    """(n, e) from a SubjectPublicKeyInfo DER of an RSA key."""
    spki, end = der_read(der, 0, 0x30)
    if end != len(der):
        raise ValueError("trailing bytes after the SubjectPublicKeyInfo")
    algorithm, pos = der_read(spki, 0, 0x30)
    oid, _ = der_read(algorithm, 0, 0x06)
    if oid != RSA_OID:
        raise ValueError("not an RSA key")
    bits, pos = der_read(spki, pos, 0x03)
    if pos != len(spki) or not bits or bits[0] != 0:
        raise ValueError("bad subjectPublicKey bit string")
    rsa, _ = der_read(bits[1:], 0, 0x30)
    n, pos = der_read(rsa, 0, 0x02)
    e, pos = der_read(rsa, pos, 0x02)
    if pos != len(rsa):
        raise ValueError("bad RSAPublicKey")
    n, e = int.from_bytes(n, "big"), int.from_bytes(e, "big")
    if n < 2**1023 or e < 3 or e % 2 == 0:
        raise ValueError("an RSA key below 1024 bits or with a bad exponent")
    return n, e


def rsa_verify(der, message, signature):
    """RSASSA-PKCS1-v1_5 verification with SHA-256 of message against the SPKI DER key."""
    n, e = rsa_public_key(der)
    k = (n.bit_length() + 7) // 8
    if len(signature) != k:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    em = pow(s, e, n).to_bytes(k, "big")
    t = SHA256_DIGEST_INFO + sha256(message)
    if k < len(t) + 11:
        return False
    expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    return em == expected


# --------------------------------------------------------------------------------------------
# Reading the publication
# --------------------------------------------------------------------------------------------


def instant(text):
    """An RFC 3339 time with an offset, as an aware datetime (compare as instants)."""
    if not isinstance(text, str) or not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", text):
        raise ValueError(f"not an RFC 3339 time with an offset: {text!r}")
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        raise ValueError(f"no offset: {text!r}")
    return t


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse_checkpoint(path, name):
    """The fields of a checkpoint file, its signed message and its signature bytes."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Invalid(name, f"cannot read the checkpoint: {e.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid(name, "not UTF-8") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(CHECKPOINT_KEYS):
        raise Invalid(name, f"{len(lines)} lines, a checkpoint has {len(CHECKPOINT_KEYS)}")
    if lines[0] != CHECKPOINT_KEYS[0]:
        raise Invalid(f"{name}: line 1", f"expected {CHECKPOINT_KEYS[0]!r}")
    fields = {}
    for i, key in enumerate(CHECKPOINT_KEYS[1:], start=2):
        line = lines[i - 1]
        if not line.startswith(key + ": "):
            raise Invalid(f"{name}: line {i}", f"expected '{key}: ...'")
        fields[key] = line[len(key) + 2 :]
    cp = {"file": name, "message": ("\n".join(lines[:8]) + "\n").encode("utf-8")}
    try:
        cp["seq"] = int(fields["seq"])
        cp["tree_size"] = int(fields["tree-size"])
        if not fields["seq"].isdigit() or not fields["tree-size"].isdigit():
            raise ValueError
    except ValueError:
        raise Invalid(name, "seq and tree-size must be numbers") from None
    for key in ("hash", "root", "key-fingerprint"):
        if not HEX64.match(fields[key]):
            raise Invalid(name, f"{key} must be 64 lowercase hex digits")
    cp["hash"] = fields["hash"]
    cp["root"] = fields["root"]
    cp["fingerprint"] = fields["key-fingerprint"]
    cp["previous"] = fields["previous"]
    if fields["previous"] != "none":
        m = re.match(r"^(\d+) ([0-9a-f]{64})$", fields["previous"])
        if not m or int(m.group(1)) >= cp["seq"]:
            raise Invalid(name, "previous must be 'none' or 'SEQ HASH' of an earlier seq")
    cp["officer"] = fields["officer"]
    cp["signed_at"] = fields["signed-at"]
    try:
        instant(fields["signed-at"])
    except ValueError as e:
        raise Invalid(name, f"signed-at: {e}") from None
    try:
        cp["signature"] = base64.b64decode(fields["signature"], validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(name, "signature is not base64") from None
    if cp["tree_size"] != cp["seq"]:
        raise Invalid(name, f"tree-size {cp['tree_size']} is not seq {cp['seq']} (every journal event is a leaf)")
    return cp


def read_officers(path):
    """officers.json: {seq: {officer, kind, der, fingerprint}}."""
    name = "officers.json"
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
    except OSError as e:
        raise Invalid(name, f"cannot read: {e.strerror}") from None
    except (UnicodeDecodeError, ValueError) as e:
        raise Invalid(name, f"not JSON: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("officers"), list):
        raise Invalid(name, "expected {\"officers\": [...]}")
    keys = {}
    last = 0
    for i, entry in enumerate(doc["officers"]):
        where = f"{name}: officers[{i}]"
        if not isinstance(entry, dict):
            raise Invalid(where, "not an object")
        for field in ("officer", "fingerprint", "public_key", "kind"):
            if not isinstance(entry.get(field), str):
                raise Invalid(where, f"{field} missing")
        seq = entry.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq <= last:
            raise Invalid(where, "seq missing or not in increasing order")
        last = seq
        if entry["kind"] not in ("officer.add", "officer.rotate_key"):
            raise Invalid(where, f"kind {entry['kind']!r} is not officer.add or officer.rotate_key")
        try:
            der = pem_to_der(entry["public_key"])
            rsa_public_key(der)
        except ValueError as e:
            raise Invalid(where, f"public_key: {e}") from None
        if fingerprint(der) != entry["fingerprint"]:
            raise Invalid(where, "fingerprint is not the SHA-256 of the key's DER")
        keys[seq] = {"officer": entry["officer"], "kind": entry["kind"], "der": der, "fingerprint": entry["fingerprint"]}
    return keys


def log_files(log_dir):
    """The log's files in order; refuses gaps and strange names."""
    try:
        names = sorted(os.listdir(log_dir))
    except OSError as e:
        raise Invalid("log/", f"cannot read the log directory: {e.strerror}") from None
    files = []
    for n in names:
        m = LOG_NAME.match(n)
        if not m:
            if n.endswith(".jsonl"):
                raise Invalid(f"log/{n}", "not a log file name (NNNNNN.jsonl)")
            continue
        if int(m.group(1)) != len(files):
            raise Invalid(f"log/{n}", f"expected log/{len(files):06d}.jsonl next (a log file is missing)")
        files.append(n)
    return files


# --------------------------------------------------------------------------------------------
# The queue order (R-Q2)
# --------------------------------------------------------------------------------------------


def queue_order(apps, k):
    """R-Q2: out_of_turn first, then first_priority and general interleaved one for every k general.

    apps: dicts with number, priority_class, registered_at. Returns [(app, queue_position,
    class_position)]."""

    def by_time(a):
        return (instant(a["registered_at"]), a["number"])

    lists = {c: sorted((a for a in apps if a["priority_class"] == c), key=by_time) for c in CLASSES}
    order = list(lists["out_of_turn"])
    first, general = lists["first_priority"], lists["general"]
    i = j = 0
    while i < len(first) or j < len(general):
        if i < len(first):
            order.append(first[i])
            i += 1
        taken = 0
        while j < len(general) and (taken < k or i >= len(first)):
            order.append(general[j])
            j += 1
            taken += 1
    out = []
    rank = {c: 0 for c in CLASSES}
    for pos, a in enumerate(order, start=1):
        c = a["priority_class"]
        rank[c] += 1
        out.append((a, pos, 0 if c == "general" else rank[c]))
    return out


def queue_line(app, pos, class_pos):
    return f"{app['number']},{app['priority_class']},{app['registered_at']},{app['status']},{pos},{class_pos}"


# --------------------------------------------------------------------------------------------
# The allocation by preferences (R-C2, R-C5): serial dictatorship in queue order
# --------------------------------------------------------------------------------------------


def serial_dictatorship(applications, pools):
    """R-C2, R-C5: the directions serial dictatorship gives, and how many applications it leaves unplaced.

    applications: (key, group, preferences) in queue order; preferences: [(org, rank)], org an index into
    pools, rank the family's 1-based rank (gaps allowed, any order); group: None, or the same value for
    twins. pools[org]: the place ids of organization org. Each application in turn takes its best-ranked
    organization with a place left, and there the lowest id left. Twins are served together at the turn of
    their earliest member, by that member's ranking over the organizations every member listed; an
    organization qualifies only with a place left for each of them: all get one there, or none gets any.
    Returns ([(key, place_id, org, rank)], unplaced), rank being each member's own."""
    pools = [ids if all(a < b for a, b in zip(ids, ids[1:])) else sorted(set(ids)) for ids in pools]
    used = [0] * len(pools)

    def left(org):
        return len(pools[org]) - used[org] if 0 <= org < len(pools) else 0

    def rank_of(preferences, org):
        return min((rank for o, rank in preferences if o == org), default=None)

    groups = {}
    for i, (_, group, _) in enumerate(applications):
        if group is not None:
            groups.setdefault(group, []).append(i)
    directions = []
    unplaced = 0
    for i, (_, group, preferences) in enumerate(applications):
        members = [i] if group is None else groups[group]
        if members[0] != i:
            continue  # served at the turn of its earliest sibling
        best = None
        for org, rank in preferences:
            if (
                (best is None or rank < best[1])
                and left(org) >= len(members)
                and all(rank_of(applications[m][2], org) is not None for m in members[1:])
            ):
                best = (org, rank)
        if best is None:
            unplaced += len(members)
            continue
        org = best[0]
        for m in members:
            key, _, own = applications[m]
            rank = rank_of(own, org)
            directions.append((key, pools[org][used[org]], org, best[1] if rank is None else rank))
            used[org] += 1
    return directions, unplaced


# --------------------------------------------------------------------------------------------
# The exchange of places (R-C4): Top Trading Cycles in queue order
# --------------------------------------------------------------------------------------------


def top_trading_cycles(participants):
    """R-C4: the cycles of Top Trading Cycles among participants, in the order found.

    participants: (key, holds, preferences) in queue order; holds: (org, place_id), the place the child
    holds now, org a dense index (0, 1, ...); preferences: [(org, rank)], the organizations it would move to
    with the family's ranks (gaps allowed, any order; its own organization is ignored). Every remaining
    participant points to the earliest remaining participant holding a place in its best-ranked organization
    that a remaining participant holds, or to itself if there is none. From the earliest remaining
    participant the pointers are followed until they close a cycle; the cycle is carried out (each member
    gets the place of the one it points to) and its members leave; one pointing to itself leaves keeping its
    place. This repeats until nobody remains.
    Returns [cycle], a cycle being [(key, gives, gets, rank)] starting with its member earliest in queue
    order, gives and gets (org, place_id) and rank the member's rank of the organization of gets."""
    n = len(participants)
    orgs = max((holds[0] + 1 for _, holds, _ in participants), default=0)
    # holders[org]: who holds a place there, in queue order; head[org] skips those who left.
    holders = [[] for _ in range(orgs)]
    for i, (_, holds, _) in enumerate(participants):
        holders[holds[0]].append(i)
    head = [0] * orgs
    # Each participant's wanted organizations by rank (ties in listed order); at[i] only moves forward: an
    # organization nobody remaining holds never gets a holder back.
    ranked = [
        sorted(((org, rank) for org, rank in preferences if org != holds[0] and 0 <= org < orgs), key=lambda q: q[1])
        for _, holds, preferences in participants
    ]
    at = [0] * n
    gone = [False] * n
    on_path = [False] * n
    path = []  # the pointers followed from the earliest remaining participant
    points_to = [(0, 0)] * n
    earliest = 0
    cycles = []
    while True:
        if not path:
            while earliest < n and gone[earliest]:
                earliest += 1
            if earliest == n:
                break
            path.append(earliest)
            on_path[earliest] = True
            continue
        current = path[-1]
        # Where current points now: the earliest remaining holder in its best organization still held, or itself.
        target = (current, 0)
        wants = ranked[current]
        while at[current] < len(wants):
            org, rank = wants[at[current]]
            hs = holders[org]
            while head[org] < len(hs) and gone[hs[head[org]]]:
                head[org] += 1
            if head[org] < len(hs):
                target = (hs[head[org]], rank)
                break
            at[current] += 1
        points_to[current] = target
        nxt = target[0]
        if not on_path[nxt]:
            path.append(nxt)
            on_path[nxt] = True
            continue
        # The pointers closed a cycle: from nxt to the end of the path. The rest of the path remains, and only
        # its last member's pointer (into the cycle) needs looking at again.
        start = len(path) - 1 - path[::-1].index(nxt)
        members = path[start:]
        del path[start:]
        for m in members:
            gone[m] = True
            on_path[m] = False
        if len(members) > 1:
            first = members.index(min(members))
            members = members[first:] + members[:first]
            cycles.append(
                [
                    (participants[m][0], participants[m][1], participants[points_to[m][0]][1], points_to[m][1])
                    for m in members
                ]
            )
    return cycles


def exchange_participants(value):
    """An exchange_run's participants: the JSON text [[NUMBER, PLACE_ID], ...]; [] when absent or not of that
    form (audit public reads it so too)."""
    if not isinstance(value, str):
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    if not isinstance(items, list) or not all(
        isinstance(x, list) and len(x) == 2 and isinstance(x[0], str) and is_number(x[1]) for x in items
    ):
        return []
    return [(x[0], x[1]) for x in items]


def run_list(value, item):
    """A JSON list an allocation_run row holds as text (passed_over, siblings): [] when absent, or when it or
    one of its items is not of the expected form (audit public reads it so too)."""
    if not isinstance(value, str):
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    if not isinstance(items, list) or not all(item(x) for x in items):
        return []
    return items


def is_texts(value):
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def is_passed_over(value):
    """{"application": N, "orgs": [CODE...]} (orgs absent or null: the whole application was kept out)."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("application"), str)
        and (value.get("orgs") is None or is_texts(value["orgs"]))
    )


def is_number(value):
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------------------------
# Roles (R-R1, R-R3)
# --------------------------------------------------------------------------------------------

ROLES = ("admin", "officer", "kindergarten", "service")
CITY_WIDE = "*"  # the district of an officer who acts for the whole city

# What a command reaches, as `kezek officer roles --format json` codes it.
ADMINISTRATION = "administration"
CITY = "city"  # a round over the city: an officer needs the district `*`
DISTRICT = "district"
ORG = "org"

# Every command that changes data, in the order of `kezek --help`: the roles besides admin that may run it,
# what it reaches, and every journal event kind it writes. Written here by hand from SPEC §16, never read from a
# publication: a publication cannot widen a role by saying so. `kezek officer roles --format json` prints kezek's
# own table, and `--print-roles` prints this one in the same form, so that anyone (and kezek's tests) can see
# that the two are the same.
COMMANDS = (
    ("officer add", (), ADMINISTRATION, ("officer.add",)),
    ("officer set-role", (), ADMINISTRATION, ("officer.set_role",)),
    ("officer rotate-key", (), ADMINISTRATION, ("officer.rotate_key",)),
    ("officer deactivate", (), ADMINISTRATION, ("officer.deactivate",)),
    ("org add", (), ADMINISTRATION, ("org.add",)),
    ("org import", (), ADMINISTRATION, ("org.import",)),
    ("org capacity", (), ADMINISTRATION, ("org.capacity",)),
    ("org capacity-import", (), ADMINISTRATION, ("capacity.import",)),
    ("calendar add", (), ADMINISTRATION, ("calendar.add",)),
    ("calendar remove", (), ADMINISTRATION, ("calendar.remove",)),
    ("calendar import", (), ADMINISTRATION, ("calendar.import",)),
    ("settings set", (), ADMINISTRATION, ("settings.set",)),
    ("district add", (), ADMINISTRATION, ("district.add",)),
    ("application register", ("officer",), DISTRICT, ("application.register",)),
    ("application import", ("officer",), DISTRICT, ("application.import",)),
    ("application set-category", ("officer",), DISTRICT, ("application.set_category",)),
    ("application withdraw", ("officer",), DISTRICT, ("application.withdraw",)),
    ("application prefer", ("officer",), DISTRICT, ("application.prefer",)),
    ("place publish", ("officer",), ORG, ("place.publish",)),
    ("place import", ("officer",), ORG, ("place.import",)),
    ("place withdraw", ("officer",), ORG, ("place.withdraw",)),
    ("offer", ("officer", "service"), CITY, ("offer.window_closed", "offer.round")),
    ("allocate", ("officer", "service"), CITY, ("offer.window_closed", "allocation.run")),
    ("exchange", ("officer",), CITY, ("exchange.run",)),
    ("direction issue", ("officer",), ORG, ("offer.window_closed", "direction.issue")),
    ("direction extend", ("officer",), ORG, ("direction.extend",)),
    ("direction revoke", ("officer",), ORG, ("direction.revoke",)),
    ("direction annul", ("officer",), ORG, ("direction.annul",)),
    ("direction enroll", ("officer", "kindergarten"), ORG, ("direction.enroll",)),
    ("direction confirm-benefit", ("officer",), ORG, ("direction.confirm_benefit",)),
    ("attendance import", ("kindergarten",), ORG, ("attendance.import",)),
    ("child depart", ("kindergarten",), ORG, ("child.depart",)),
    ("notify export", ("officer",), CITY, ("notify.sent",)),
    (
        "sweep",
        ("service",),
        CITY,
        ("offer.window_closed", "sweep.expire", "sweep.benefit", "sweep.stop_list_end", "sweep.age_limit", "sweep.run"),
    ),
    ("db purge", (), ADMINISTRATION, ("db.purge",)),
)


def role_table():
    """The table as `kezek officer roles --format json` prints it: command, roles, reaches, kinds."""
    lines = []
    for command, roles, reach, kinds in COMMANDS:
        names = ["admin"] + [f"officer ({CITY_WIDE})" if r == "officer" and reach == CITY else r for r in roles]
        lines.append({"command": f"kezek {command}", "roles": ", ".join(names), "reaches": reach, "kinds": " ".join(kinds)})
    return lines


def may_write(role, district, kind):
    """Whether an officer of `role` in `district` may write a journal event of `kind` (R-R3): admin writes every
    kind a command writes; any other role, a kind written by a command it may run, and an officer a kind of a
    round over the whole city only with the district `*`. None when no command writes `kind`."""
    writers = [c for c in COMMANDS if kind in c[3]]
    if not writers:
        return None
    if role == "admin":
        return True
    return any(
        role in roles and not (reach == CITY and role == "officer" and district != CITY_WIDE)
        for _, roles, reach, _ in writers
    )


def recorded_standing(record):
    """The standing (role, district, org) that the first officer row of a record leaves behind, None without
    such a row. A role absent or null is admin: the officers registered before roles existed, whom kezek made
    admins. A role that is not one of ROLES raises ValueError."""
    row = next((r for r in record["rows"] if r["table"] == "officer"), None)
    if row is None:
        return None
    fields = row.get("fields")
    fields = fields if isinstance(fields, dict) else {}

    def text(name):
        value = fields.get(name)
        return value if isinstance(value, str) else None

    role = text("role")
    if role is None:
        role = "admin"
    elif role not in ROLES:
        raise ValueError(
            f"R-R3: journal event {record['seq']} ({record['kind']}) gives the role '{canonical(fields['role']).decode()}', "
            "which kezek does not know"
        )
    return (role, text("district") or "", text("org"))


# --------------------------------------------------------------------------------------------
# The verifier
# --------------------------------------------------------------------------------------------

UNKNOWN = object()  # an application row whose fields the log does not show at that seq


class Verifier:
    def __init__(self, directory, trust_der=None, previous=(), receipts=(), inclusions=(), consistencies=()):
        self.dir = directory
        self.trust_der = trust_der
        self.previous_paths = list(previous)
        self.receipts = list(receipts)
        self.inclusion_paths = list(inclusions)
        self.consistency_paths = list(consistencies)
        self.failures = []
        self.warnings = []
        self.summary = {}

    # -- findings ------------------------------------------------------------------------------

    def fail(self, where, message):
        self.failures.append(f"{where}: {message}")

    def warn(self, where, message):
        self.warnings.append(f"{where}: {message}")

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    # -- the run -------------------------------------------------------------------------------

    def run(self):
        try:
            self._run()
        except Invalid as e:
            self.fail(e.where, e.message)
        return not self.failures

    def _run(self):
        cp = parse_checkpoint(self.path("checkpoint"), "checkpoint")
        self.checkpoint = cp
        self.summary.update(
            tree_size=cp["tree_size"], root=cp["root"], signer=cp["officer"], signed_at=cp["signed_at"]
        )
        self.officer_keys = read_officers(self.path("officers.json"))
        self.previous = []
        for p in self.previous_paths:
            try:
                self.previous.append(parse_checkpoint(p, f"--previous {p}"))
            except Invalid as e:
                self.fail(e.where, e.message)
        # Seqs at which the trust chain's state is needed to check a signature.
        self.trust_at = {c["seq"]: None for c in [cp] + self.previous}
        self.leaves = []
        self.read_log()
        self.check_root_and_signature(cp)
        for old in self.previous:
            self.check_previous(old, cp)
        for p in self.consistency_paths:
            self.check_consistency(p, cp)
        for r in self.receipts:
            self.check_receipt(r, cp)
        for p in self.inclusion_paths:
            self.check_inclusion(p, cp)
        if self.broken:
            self.fail(
                "queues/, places.csv, officers.json",
                "not checked against the log: the log has broken lines (see above)",
            )
        else:
            self.check_officers_json()
            self.check_queues()
            self.check_places()

    # -- 1. the log, streamed once: lines, trust chain, replay --------------------------------

    def read_log(self):
        cp = self.checkpoint
        files = log_files(self.path("log"))
        self.summary["log_files"] = len(files)
        self.start_replay()
        self.capture_trust(0)
        seq = 0
        broken = 0
        for index, name in enumerate(files):
            where_file = f"log/{name}"
            with open(self.path("log", name), "rb") as f:
                data = f.read()
            if not data:
                self.fail(where_file, "empty log file")
                continue
            if not data.endswith(b"\n"):
                self.fail(where_file, "the last line has no newline")
            lines = data.split(b"\n")
            if lines[-1] == b"":
                lines.pop()
            first_seq = index * RECORDS_PER_FILE + 1
            if seq + 1 != first_seq:
                self.fail(where_file, f"starts at seq {first_seq} but the log before it ends at seq {seq}")
            if index < len(files) - 1 and len(lines) != RECORDS_PER_FILE:
                self.fail(where_file, f"{len(lines)} lines; every log file but the last holds {RECORDS_PER_FILE}")
            for lineno, line in enumerate(lines, start=1):
                seq += 1
                self.leaves.append(leaf_hash(line))
                where = f"{where_file}: line {lineno}"
                try:
                    record = self.parse_record(line, seq)
                except Invalid as e:
                    broken += 1
                    if broken <= MAX_BROKEN_LINES:
                        self.fail(f"{where} (seq {seq})", e.message)
                    record = None
                if record is not None and seq <= cp["tree_size"]:
                    try:
                        self.apply_trust(record, seq, f"{where} (seq {seq})")
                        self.apply(record, seq, where)
                    except Invalid as e:
                        self.fail(f"{where} (seq {seq})", e.message)
                if seq in self.trust_at:
                    self.capture_trust(seq)
        self.summary["records"] = seq
        self.summary["allocation_runs_checked"] = self.allocation_runs
        self.summary["exchange_runs_checked"] = self.exchange_runs
        self.summary["role_events_checked"] = self.role_events
        self.summary["role_changes"] = self.role_changes
        self.broken = broken
        if broken > MAX_BROKEN_LINES:
            self.fail("log/", f"... {broken - MAX_BROKEN_LINES} more broken line(s)")
        if seq != cp["tree_size"]:
            self.fail("log/", f"{seq} records, the checkpoint's tree-size is {cp['tree_size']} (they must be equal)")

    def start_replay(self):
        """The replay's state before the log's first record."""
        self.apps = {}  # number -> fields | UNKNOWN
        self.app_queue = {}  # number -> last known (queue_type, group_year)
        # number -> the fields the log last showed, kept when a later row hides them (as audit public keeps them)
        self.app_shown = {}
        self.places = {}  # id -> fields
        self.orgs = set()  # the codes of the organizations an org row showed
        self.k = DEFAULT_K
        self.offer_rounds = 0
        self.skips = 0
        self.passed_over = 0
        self.allocation_runs = 0
        self.exchange_runs = 0
        # Trust chain state: officer -> {"fingerprint", "der", "trusted", "active", "standing"}, the standing
        # being (role, district, org), or None for an officer whose key came without an officer.add.
        self.officers = {}
        self.role_events = 0  # records held to their officer's role (R-R3)
        self.role_changes = 0  # role changes that took effect
        self.anchor_seen = False
        self.key_seqs_seen = set()

    def parse_record(self, line, seq):
        if line.endswith(b"\r"):
            raise Invalid("", "a carriage return ends the line")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("", "not UTF-8") from None
        try:
            record = json.loads(text)
        except ValueError as e:
            raise Invalid("", f"not JSON ({e.msg} at column {e.colno})") from None
        if not isinstance(record, dict) or set(record) != RECORD_KEYS:
            raise Invalid("", f"a record has exactly the keys {sorted(RECORD_KEYS)}")
        if record["seq"] != seq or not isinstance(record["seq"], int) or isinstance(record["seq"], bool):
            raise Invalid("", f"seq {record['seq']!r} where the line's seq is {seq} (lines removed, added or swapped)")
        if canonical(record) != line:
            raise Invalid("", "not canonical JSON (keys sorted, no whitespace, UTF-8 unescaped)")
        if not isinstance(record["kind"], str) or not isinstance(record["subject"], str):
            raise Invalid("", "kind and subject must be strings")
        if record["officer"] is None:
            if record["kind"] != "schema.migrate":
                raise Invalid("", f"officer is null in a {record['kind']} record (only migrations have none)")
        elif not isinstance(record["officer"], str):
            raise Invalid("", "officer must be a string or null")
        for key in ("effective_at", "recorded_at"):
            try:
                instant(record[key])
            except ValueError as e:
                raise Invalid("", f"{key}: {e}") from None
        if not isinstance(record["rows"], list):
            raise Invalid("", "rows must be a list")
        for i, row in enumerate(record["rows"]):
            if not isinstance(row, dict) or not ROW_KEYS_REQUIRED <= set(row) <= ROW_KEYS_REQUIRED | {"fields"}:
                raise Invalid("", f"rows[{i}] must be {{fields?, key, table}}")
            if not isinstance(row["table"], str):
                raise Invalid("", f"rows[{i}].table must be a string")
            if "fields" in row and row["fields"] is not None and not isinstance(row["fields"], dict):
                raise Invalid("", f"rows[{i}].fields must be an object or null")
        return record

    # -- trust chain (R-A7) ---------------------------------------------------------------------

    def capture_trust(self, seq):
        self.trust_at[seq] = {o: dict(s) for o, s in self.officers.items()}

    def apply_trust(self, record, seq, where):
        """The record's facts about officers, and its officer's role (R-A7, R-R3), in the order `kezek audit
        public` takes them: a role change is judged by the role its officer had before it, and takes effect only
        when allowed; any other record after its own officer facts (so the first officer's officer.add, made by
        that officer, is allowed by the role it gives)."""
        kind = record["kind"]
        if kind == "officer.set_role":
            refusal = self.role_refusal(record, seq)
            if refusal is not None:
                self.fail(where, refusal)
            self.set_role(record, seq, allowed=refusal is None)
        elif kind.startswith("officer."):
            self.apply_officer(record, seq)
        if kind != "officer.set_role":
            refusal = self.role_refusal(record, seq)
            if refusal is not None:
                self.fail(where, refusal)

    def role_refusal(self, record, seq):
        """Why the record's officer, in the role they had at `seq`, could not have made it (R-R3); None when
        they could, or when the record has no officer (a migration)."""
        actor, kind = record["officer"], record["kind"]
        if actor is None:
            return None
        self.role_events += 1
        o = self.officers.get(actor)
        if o is None or o["standing"] is None:
            return f"R-R3: journal event {seq} ({kind}) names officer '{actor}', whom the journal never registered"
        role, district, _ = o["standing"]
        allowed = may_write(role, district, kind)
        if allowed is None:
            return f"R-R3: journal event {seq} is of kind '{kind}', which no kezek command writes"
        if not allowed:
            return (
                f"R-R3: journal event {seq} ({kind}) was made by officer '{actor}', whose role at that point "
                f"({role}, district {district}) does not allow it"
            )
        if kind == "officer.set_role" and not (o["trusted"] and o["active"]):
            # A role change counts only when covered by the head of an admin trusted at that point (R-R3).
            why = "whose key is not trusted at that point" if not o["trusted"] else "who was deactivated before it"
            return f"R-R3: journal event {seq} (officer.set_role) was made by officer '{actor}', {why} (R-A7)"
        return None

    def set_role(self, record, seq, allowed):
        """officer.set_role: the officer's role and organization from here on, as the officer row the record
        leaves behind shows them; the district stays (R-R1, R-R3)."""
        subject = record["subject"]
        try:
            standing = recorded_standing(record)
        except ValueError as e:
            raise Invalid(f"seq {seq}", str(e)) from None
        if standing is None:
            raise Invalid(f"seq {seq}", f"seq {seq}: an officer.set_role record without the officer's row (R-V1)")
        o = self.officers.get(subject)
        if o is None or o["standing"] is None:
            raise Invalid(f"seq {seq}", f"R-R3: journal event {seq} sets the role of unknown officer '{subject}'")
        if allowed:
            self.role_changes += 1
            o["standing"] = (standing[0], o["standing"][1], standing[2])

    def apply_officer(self, record, seq):
        kind, subject, actor = record["kind"], record["subject"], record["officer"]
        where = f"seq {seq}"
        if kind in ("officer.add", "officer.rotate_key"):
            entry = self.officer_keys.get(seq)
            if entry is None:
                raise Invalid("officers.json", f"no key for the {kind} of officer {subject!r} at seq {seq}")
            self.key_seqs_seen.add(seq)
            if entry["officer"] != subject or entry["kind"] != kind:
                raise Invalid(
                    "officers.json",
                    f"seq {seq} is {kind} of officer {subject!r} in the log, {entry['kind']} of {entry['officer']!r} here",
                )
            for row in record["rows"]:
                fields = row.get("fields")
                if row["table"] == "officer" and row["key"] == subject and isinstance(fields, dict):
                    pem = fields.get("public_key")
                    if isinstance(pem, str):
                        try:
                            same = pem_to_der(pem) == entry["der"]
                        except ValueError:
                            same = False
                        if not same:
                            raise Invalid(where, f"the key of {subject!r} in the record is not the one in officers.json")
            if not self.anchor_seen:
                self.anchor_seen = True
                trusted = kind == "officer.add"
                if not trusted:
                    self.warn(where, f"the first key of the log is a rotation of {subject!r}, not an officer.add")
                if self.trust_der is not None and entry["der"] != self.trust_der:
                    trusted = False
                    self.fail(
                        where,
                        f"R-A7: the anchor key of {subject!r} ({entry['fingerprint'][:16]}…) is not the --trust key "
                        f"({fingerprint(self.trust_der)[:16]}…)",
                    )
            else:
                by = self.officers.get(actor)
                # Only an admin vouches for a key (R-R3).
                role = by["standing"][0] if by and by["standing"] else None
                trusted = bool(by and by["trusted"] and by["active"] and actor != subject and role == "admin")
                if not trusted:
                    why = (
                        "the officer themself"
                        if actor == subject
                        else "not a trusted officer"
                        if not by or not by["trusted"]
                        else "inactive"
                        if not by["active"]
                        else f"not an admin but {role or 'without a role'}, R-R3"
                    )
                    self.warn(
                        where,
                        f"R-A7: the new key of {subject!r} was registered by {actor!r} ({why}): that key is not trusted",
                    )
            old = self.officers.get(subject)
            active = True if kind == "officer.add" else (old["active"] if old else True)
            if kind == "officer.add":
                # The role, district and organization the officer row shows (R-R1); an officer registered
                # before roles existed, or a record without the row, is an admin.
                try:
                    standing = recorded_standing(record) or ("admin", "", None)
                except ValueError as e:
                    raise Invalid(where, str(e)) from None
            else:
                standing = old["standing"] if old else None
            self.officers[subject] = {
                "der": entry["der"],
                "fingerprint": entry["fingerprint"],
                "trusted": trusted,
                "active": active,
                "standing": standing,
            }
        elif kind == "officer.deactivate":
            if subject in self.officers:
                self.officers[subject]["active"] = False
            else:
                self.warn(where, f"officer.deactivate of {subject!r}, an officer the log never added")

    def check_officers_json(self):
        for seq, entry in self.officer_keys.items():
            if seq not in self.key_seqs_seen:
                self.fail(
                    "officers.json",
                    f"a key of {entry['officer']!r} at seq {seq}, where the log has no {entry['kind']} of that officer",
                )

    def check_signature(self, cp):
        """R-A7: the checkpoint's signer is trusted and active at its seq, with its latest key."""
        name = cp["file"]
        state = self.trust_at.get(cp["seq"])
        if state is None:
            self.fail(name, f"seq {cp['seq']} is beyond the log: no trust chain to check its signer")
            return False
        signer = state.get(cp["officer"])
        if signer is None:
            self.fail(name, f"R-A7: signer {cp['officer']!r} has no key in the log up to seq {cp['seq']}")
            return False
        if cp["fingerprint"] != signer["fingerprint"]:
            self.fail(
                name,
                f"R-A7: key-fingerprint {cp['fingerprint'][:16]}… is not officer {cp['officer']}'s latest key at seq "
                f"{cp['seq']} ({signer['fingerprint'][:16]}…)",
            )
            return False
        if not rsa_verify(signer["der"], cp["message"], cp["signature"]):
            self.fail(name, f"the signature does not verify with officer {cp['officer']}'s key (the checkpoint was altered)")
            return False
        if not signer["trusted"]:
            self.fail(name, f"R-A7: officer {cp['officer']}'s key is not trusted: no chain of trusted, active officers vouches for it "
                "from the first officer (see the warnings)")
            return False
        if not signer["active"]:
            self.fail(name, f"R-A7: officer {cp['officer']} was deactivated before seq {cp['seq']}")
            return False
        return True

    # -- 2. root and signature ------------------------------------------------------------------

    def root_of(self, size):
        if size > len(self.leaves):
            return None
        return merkle_root(self.leaves, 0, size).hex()

    def check_root_and_signature(self, cp):
        root = self.root_of(cp["tree_size"])
        if root is not None and root != cp["root"]:
            self.fail(
                "checkpoint",
                f"the root of the log's first {cp['tree_size']} records is {root}, the checkpoint's is {cp['root']} "
                "(a record was changed, removed, added or reordered)",
            )
        self.summary["signature"] = self.check_signature(cp)

    # -- 3. earlier checkpoints and consistency proofs -----------------------------------------

    def check_previous(self, old, cp):
        name = old["file"]
        if old["tree_size"] > cp["tree_size"]:
            self.fail(name, f"tree-size {old['tree_size']} is larger than the current {cp['tree_size']}")
            return
        root = self.root_of(old["tree_size"])
        if root is None or root != old["root"]:
            self.fail(
                name,
                f"its root {old['root']} is not the root of this log's first {old['tree_size']} records ({root}): "
                "the log was rewritten since, or the checkpoint is of another log",
            )
            return
        self.check_signature(old)

    def check_consistency(self, path, cp):
        name = f"--consistency {path}"
        try:
            proof = load_json_file(path)
            old_size, new_size = proof["old_size"], proof["new_size"]
            old_root, new_root = unhex32(proof["old_root"]), unhex32(proof["new_root"])
            steps = [unhex32(h) for h in proof["path"]]
            if not all(isinstance(x, int) and not isinstance(x, bool) for x in (old_size, new_size)):
                raise ValueError("sizes must be numbers")
        except (KeyError, TypeError, ValueError) as e:
            self.fail(name, f"not a consistency proof: {e}")
            return
        if not verify_consistency(old_size, new_size, old_root, new_root, steps):
            self.fail(name, f"RFC 9162 consistency proof from {old_size} to {new_size} leaves does not verify")
            return
        for size, root in ((old_size, old_root), (new_size, new_root)):
            mine = self.root_of(size)
            if mine is not None and mine != root.hex():
                self.fail(name, f"the root of {size} leaves is {root.hex()} in the proof, {mine} in this log")
        if new_size == cp["tree_size"] and new_root.hex() != cp["root"]:
            self.fail(name, "new_root is not the checkpoint's root")

    # -- 4. receipts and inclusion proofs ------------------------------------------------------

    def check_receipt(self, receipt, cp):
        seq, leaf = receipt
        name = f"--receipt {seq}:{leaf.hex()}"
        if seq < 1 or seq > cp["tree_size"] or seq > len(self.leaves):
            self.fail(name, f"seq {seq} is not in the checkpoint's tree of {cp['tree_size']} records")
        elif self.leaves[seq - 1] != leaf:
            self.fail(name, f"the record of seq {seq} hashes to {self.leaves[seq - 1].hex()}, not to the receipt's leaf")

    def check_inclusion(self, path, cp):
        name = f"--inclusion {path}"
        try:
            proof = load_json_file(path)
            index, size = proof["leaf_index"], proof["tree_size"]
            leaf, root = unhex32(proof["leaf_hash"]), unhex32(proof["root"])
            steps = [unhex32(h) for h in proof["path"]]
            if not all(isinstance(x, int) and not isinstance(x, bool) for x in (index, size)):
                raise ValueError("leaf_index and tree_size must be numbers")
        except (KeyError, TypeError, ValueError) as e:
            self.fail(name, f"not an inclusion proof: {e}")
            return
        if not verify_inclusion(index, size, leaf, steps, root):
            self.fail(name, f"RFC 9162 inclusion proof of leaf {index} in {size} leaves does not verify")
            return
        if size == cp["tree_size"]:
            if root.hex() != cp["root"]:
                self.fail(name, "its root is not the checkpoint's root")
                return
        else:
            mine = self.root_of(size)
            if mine is None or mine != root.hex():
                self.fail(name, f"its root of {size} leaves is not this log's ({mine})")
                return
        if index < len(self.leaves) and self.leaves[index] != leaf:
            self.fail(name, f"leaf {index} (seq {index + 1}) of this log is not the proof's leaf")

    # -- 5. replay: applications, places, settings; offer rounds -------------------------------

    def apply(self, record, seq, where=None):
        kind = record["kind"]
        if kind == "offer.round":
            self.check_offer_round(record, seq)
        if kind == "allocation.run":
            self.check_allocation_run(record, seq, f"{where} (seq {seq})" if where else f"seq {seq}")
        if kind == "exchange.run":
            self.check_exchange_run(record, f"{where} (seq {seq})" if where else f"seq {seq}")
        for row in record["rows"]:
            table, key = row["table"], row["key"]
            if table == "application":
                if "fields" not in row:
                    self.apps[key] = UNKNOWN
                elif row["fields"] is None:
                    self.apps.pop(key, None)
                    self.app_queue.pop(key, None)
                    self.app_shown.pop(key, None)
                else:
                    fields = check_application(row["fields"], key, seq)
                    self.apps[key] = fields
                    self.app_shown[key] = fields
                    self.app_queue[key] = (fields["queue_type"], fields["group_year"])
            elif table == "place":
                if row.get("fields") is None:
                    if "fields" in row:
                        self.places.pop(key, None)
                    else:
                        self.places[key] = UNKNOWN
                else:
                    self.places[key] = row["fields"]
            elif table == "org":
                fields = row.get("fields")
                if isinstance(key, str) and isinstance(fields, dict) and isinstance(fields.get("kind"), str):
                    self.orgs.add(key)
            elif table == "setting" and key == K_SETTING and "fields" in row:
                fields = row["fields"]
                if fields is None:
                    self.k = DEFAULT_K
                else:
                    value = fields.get("value")
                    if not isinstance(value, str) or not value.isdigit():
                        raise Invalid(f"seq {seq}", f"setting {K_SETTING} has value {value!r}, not a number")
                    self.k = int(value)

    def waiting(self, queue, statuses):
        return [
            a
            for a in self.apps.values()
            if a is not UNKNOWN and (a["queue_type"], a["group_year"]) == queue and a["status"] in statuses
        ]

    def check_offer_round(self, record, seq):
        """The applications an offer round notified are the head of their queue (R-Q2, R-P3)."""
        self.offer_rounds += 1
        where = f"seq {seq} (offer.round)"
        notified = {}
        for row in record["rows"]:
            if row["table"] == "application" and isinstance(row.get("fields"), dict):
                fields = check_application(row["fields"], row["key"], seq)
                if fields["status"] == "notified":
                    notified.setdefault((fields["queue_type"], fields["group_year"]), []).append(row["key"])
        chosen_all = {n for ns in notified.values() for n in ns}
        rounds = {}
        for row in record["rows"]:
            fields = row.get("fields")
            if row["table"] == "offer_round" and isinstance(fields, dict):
                queue = (fields.get("queue_type"), fields.get("group_year"))
                rounds[queue] = fields
                count = len(notified.get(queue, []))
                if fields.get("notified") != count:
                    self.fail(
                        where,
                        f"R-P3: round {row['key']} of {queue[0]}-{queue[1]} says it notified {fields.get('notified')!r}, "
                        f"the record makes {count} application(s) of that queue notified",
                    )
                if not isinstance(fields.get("places"), int) or count > fields["places"]:
                    self.fail(where, f"R-P3: round {row['key']} notified {count} for {fields.get('places')!r} place(s)")
        for queue, numbers in notified.items():
            qname = f"{queue[0]}-{queue[1]}"
            if queue not in rounds:
                self.fail(where, f"R-P3: notified {numbers[0]} of queue {qname}, for which this record holds no round")
            unknown = [n for n, q in self.app_queue.items() if q == queue and self.apps.get(n) is UNKNOWN]
            if unknown:
                self.warn(
                    where,
                    f"the log does not show the state of {len(unknown)} application(s) of queue {qname} before this "
                    "round (events before the public log): the round is checked only against those it shows",
                )
            for n in numbers:
                before = self.apps.get(n)
                if before is UNKNOWN:
                    continue
                if before is None:
                    self.fail(where, f"R-P3: notified {n}, which was not in the queue {qname} before this round")
                elif (before["queue_type"], before["group_year"]) != queue or before["status"] != "queued":
                    self.fail(
                        where,
                        f"R-P3: notified {n}, which was {before['status']} in queue "
                        f"{before['queue_type']}-{before['group_year']} before this round, not queued in {qname}",
                    )
            # The queue's R-Q2 order (every waiting application, as its CSV shows it), of which an offer
            # goes to the first that are queued: notified and stop-listed ones keep their place but are passed.
            order = [a["number"] for a, _, _ in queue_order(self.waiting(queue, WAITING), self.k) if a["status"] == "queued"]
            rank = {n: i for i, n in enumerate(order)}
            fields = rounds.get(queue, {})
            published = "passed_over" in fields
            try:
                passed_over = passed_over_list(fields.get("passed_over"))
            except ValueError as e:
                self.fail(where, f"R-D5: passed_over of round {fields.get('id')!r}: {e}")
                passed_over = []
            for n in passed_over:
                if n not in rank:
                    self.fail(where, f"R-D5: the round lists {n} as passed over, but it was not queued in {qname}")
                if n in numbers:
                    self.fail(where, f"R-D5: the round lists {n} as passed over and notifies it")
            # Twins notified together (R-C5) take their turn at the first of them in the queue; the round
            # publishes them (siblings), and every one it lists must be notified by it.
            together = run_list(fields.get("siblings"), is_texts)
            for group in together:
                for n in group:
                    if n not in chosen_all:
                        self.fail(where, f"R-C5: the round lists {n} among the twins it notified together, but did not notify it")

            def turn(n):
                group = next((g for g in together if n in g), [n])
                return min(rank[m] for m in group if m in rank)

            ranked = [turn(n) for n in numbers if n in rank]
            if not ranked:
                continue
            last = max(ranked)
            chosen = set(numbers)
            last_number = order[last]
            for n in order[:last]:
                if n in chosen:
                    continue
                self.skips += 1
                if n in passed_over:
                    self.passed_over += 1
                elif published:
                    self.fail(
                        where,
                        f"R-Q2: notified {last_number} but passed over {n}, queued ahead of it in {qname}, and the "
                        "round does not publish it as passed over (R-D5, R-C6, R-C5: only a child attending an "
                        "organization, one under the minimum age, or twins without places together are)",
                    )
                else:
                    self.warn(
                        where,
                        f"R-Q2: notified {last_number} but not {n}, queued ahead of it in {qname} (kezek skips a child "
                        "already enrolled elsewhere, R-D5, which this log's rounds do not show: no passed_over)",
                    )

    def check_allocation_run(self, record, seq, where):
        """R-C2, R-V5: an allocation run made exactly the directions serial dictatorship gives, replayed from
        the log before the run's rows: its places and organizations, the queue order, the preferences, and what
        the run itself publishes (passed_over: whom the rules kept from all or some of their choices; siblings:
        the twins it served together)."""
        self.allocation_runs += 1
        run = next((row.get("fields") for row in record["rows"] if row["table"] == "allocation_run"), None)
        if not isinstance(run, dict):
            run = {}
        passed_over = run_list(run.get("passed_over"), is_passed_over)
        kept_out = {p["application"] for p in passed_over if p.get("orgs") is None}
        kept_from = {p["application"]: p["orgs"] for p in passed_over if p.get("orgs") is not None}
        group_of = {n: group[0] for group in run_list(run.get("siblings"), is_texts) for n in group}
        # The places the run could take on its day: free or offered, released by then, of a known organization.
        day = record["effective_at"][:10]
        places = []
        for place_id in sorted(k for k in self.places if is_number(k)):
            fields = self.places[place_id]
            if not isinstance(fields, dict) or not is_number(fields.get("group_year")):
                continue
            text = {c: fields.get(c) if isinstance(fields.get(c), str) else "" for c in PLACE_COLUMNS}
            if text["status"] in ("free", "offered") and text["release_date"] <= day and text["org"] in self.orgs:
                places.append((place_id, text["org"], text["place_type"], fields["group_year"]))
        expected = set()
        for place_type, group_year in sorted({(p[2], p[3]) for p in places}):
            index, pools = {}, []
            for place_id, org, _, _ in (p for p in places if (p[2], p[3]) == (place_type, group_year)):
                if org not in index:
                    index[org] = len(pools)
                    pools.append([])
                pools[index[org]].append(place_id)
            queue = ("sanatorium" if place_type == "sanatorium" else "general", group_year)
            unknown = [n for n, q in self.app_queue.items() if q == queue and self.apps.get(n) is UNKNOWN]
            if unknown:
                self.warn(
                    where,
                    f"the log does not show the state of {len(unknown)} application(s) of queue "
                    f"{queue[0]}-{queue[1]} at this allocation (events before the public log): it is replayed from "
                    "the state the log showed last",
                )
            members = [
                a
                for a in self.app_shown.values()
                if (a["queue_type"], a["group_year"]) == queue and a["status"] in WAITING
            ]
            waiting = []
            for a, _, _ in queue_order(members, self.k):
                n, codes = a["number"], a.get("preferences")
                if a["status"] not in ("queued", "notified") or not isinstance(codes, str) or n in kept_out:
                    continue
                dropped = kept_from.get(n, ())
                preferences = [
                    (index[code], rank)
                    for rank, code in enumerate(codes.split(";"), start=1)
                    if code not in dropped and code in index
                ]
                waiting.append((n, group_of.get(n), preferences))
            directions, _ = serial_dictatorship(waiting, pools)
            expected.update((n, place_id) for n, place_id, _, _ in directions)
        made = set()
        for row in record["rows"]:
            fields = row.get("fields")
            if row["table"] == "direction" and isinstance(fields, dict):
                if isinstance(fields.get("application"), str) and is_number(fields.get("place_id")):
                    made.add((fields["application"], fields["place_id"]))
        for n, place_id in sorted(made - expected):
            self.fail(
                where,
                f"the allocation gave place {place_id} to {n}, which serial dictatorship over the published "
                "preferences does not (R-C2, R-V5)",
            )
        for n, place_id in sorted(expected - made):
            self.fail(
                where,
                f"serial dictatorship over the published preferences gives place {place_id} to {n}, which the "
                "allocation did not (R-C2, R-V5)",
            )

    def check_exchange_run(self, record, where):
        """R-C4, R-V5: an exchange run moved exactly the children Top Trading Cycles moves, replayed from the
        log before the run's rows: the participants the run publishes (in queue order, each with the place it
        held), the places as the log last showed them and each participant's published preferences. The
        participants are pooled by the place type and group year of the place each holds; in a pool the
        organizations are those the members hold places in."""
        self.exchange_runs += 1
        run = next((row.get("fields") for row in record["rows"] if row["table"] == "exchange_run"), None)
        participants = exchange_participants(run.get("participants") if isinstance(run, dict) else None)
        pools = {}
        for n, place_id in participants:
            fields = self.places.get(place_id)
            if not isinstance(fields, dict) or not is_number(fields.get("group_year")):
                self.fail(where, f"the exchange names place {place_id}, which the log never published (R-C4, R-V5)")
                return
            text = {c: fields.get(c) if isinstance(fields.get(c), str) else "" for c in ("org", "place_type")}
            pools.setdefault((text["place_type"], fields["group_year"]), []).append((n, place_id, text["org"]))
        expected = set()
        for _, members in sorted(pools.items()):
            index = {}
            for _, _, org in members:
                index.setdefault(org, len(index))
            pool = []
            for n, place_id, org in members:
                codes = (self.app_shown.get(n) or {}).get("preferences")
                if not isinstance(codes, str):
                    codes = ""
                preferences = [
                    (index[code], rank) for rank, code in enumerate(codes.split(";"), start=1) if code in index
                ]
                pool.append((n, (index[org], place_id), preferences))
            for cycle in top_trading_cycles(pool):
                expected.update((n, gets[1]) for n, _, gets, _ in cycle)
        movers = {n for n, _ in participants}
        made = set()
        for row in record["rows"]:
            fields = row.get("fields")
            if row["table"] == "direction" and isinstance(fields, dict):
                n, place_id = fields.get("application"), fields.get("place_id")
                if isinstance(n, str) and is_number(place_id) and n in movers:
                    made.add((n, place_id))
        if made != expected:
            n, place_id = min(made ^ expected)
            self.fail(
                where,
                "the exchange's moves are not Top Trading Cycles' over its participants and their published "
                f"preferences: see {n} and place {place_id} (R-C4, R-V5)",
            )

    def check_queues(self):
        qdir = self.path("queues")
        try:
            names = sorted(n for n in os.listdir(qdir) if n.endswith(".csv"))
        except OSError as e:
            self.fail("queues/", f"cannot read: {e.strerror}")
            return
        queues = {}
        for a in self.apps.values():
            if a is not UNKNOWN and a["status"] in WAITING:
                queues.setdefault((a["queue_type"], a["group_year"]), []).append(a)
        unknown = [n for n, a in self.apps.items() if a is UNKNOWN]
        if unknown:
            self.fail(
                "log/",
                f"the log does not show the latest state of {len(unknown)} application(s), e.g. {unknown[0]}: "
                "the queues cannot be replayed",
            )
            return
        checked = 0
        for name in names:
            where = f"queues/{name}"
            m = re.match(r"^(.+)-([0-9]{4})\.csv$", name)
            if not m:
                self.fail(where, "not a queue file name (QUEUE_TYPE-GROUP_YEAR.csv)")
                continue
            queue = (m.group(1), int(m.group(2)))
            expected = [QUEUE_HEADER] + [queue_line(*x) for x in queue_order(queues.pop(queue, []), self.k)]
            try:
                with open(os.path.join(qdir, name), "rb") as f:
                    data = f.read().decode("utf-8")
            except UnicodeDecodeError:
                self.fail(where, "not UTF-8")
                continue
            lines = data.split("\n")
            if lines[-1] == "":
                lines.pop()
            else:
                self.fail(where, "the last line has no newline")
            checked += 1
            for i in range(max(len(lines), len(expected))):
                got = lines[i] if i < len(lines) else None
                want = expected[i] if i < len(expected) else None
                if got != want:
                    if want is None:
                        msg = f"{got!r}, where the queue replayed from the log has ended"
                    elif got is None:
                        msg = f"the file ends where the queue replayed from the log has {want!r}"
                    else:
                        msg = f"{got!r}, where R-Q2 order from the log gives {want!r}"
                    self.fail(f"{where}: line {i + 1}", f"R-Q2: {msg}")
                    break
        for queue, apps in sorted(queues.items()):
            self.fail(
                f"queues/{queue[0]}-{queue[1]}.csv",
                f"missing: the log has {len(apps)} application(s) waiting in this queue",
            )
        self.summary["queues_checked"] = checked
        self.summary["offer_rounds_checked"] = self.offer_rounds
        self.summary["offer_round_skips"] = self.skips
        self.summary["offer_round_passed_over"] = self.passed_over

    def check_places(self):
        where = "places.csv"
        try:
            with open(self.path("places.csv"), "rb") as f:
                data = f.read().decode("utf-8")
        except OSError as e:
            self.fail(where, f"cannot read: {e.strerror}")
            return
        except UnicodeDecodeError:
            self.fail(where, "not UTF-8")
            return
        if any(p is UNKNOWN for p in self.places.values()):
            self.warn(where, "the log does not show the latest state of every place: places.csv not checked")
            return
        rows = list(csv.reader(io.StringIO(data, newline="")))
        if not rows or ",".join(rows[0]) != PLACES_HEADER:
            self.fail(f"{where}: line 1", f"expected the header {PLACES_HEADER!r}")
            return
        expected = []
        for key in sorted(self.places, key=lambda k: (not isinstance(k, int), k if isinstance(k, int) else str(k))):
            fields = self.places[key]
            expected.append(["" if fields.get(c) is None else str(fields.get(c)) for c in PLACE_COLUMNS])
        body = rows[1:]
        for i in range(max(len(body), len(expected))):
            got = body[i] if i < len(body) else None
            want = expected[i] if i < len(expected) else None
            if got != want:
                self.fail(
                    f"{where}: line {i + 2}",
                    f"{','.join(got) if got else 'end of file'!r}, where the log's places give "
                    f"{','.join(want) if want else 'end of file'!r}",
                )
                break
        self.summary["places_checked"] = len(body)


def check_application(fields, key, seq):
    for field in ("number", "queue_type", "group_year", "priority_class", "status", "registered_at"):
        if field not in fields:
            raise Invalid(f"seq {seq}", f"application {key}: no {field}")
    if fields["number"] != key:
        raise Invalid(f"seq {seq}", f"application row key {key!r} is not its number {fields['number']!r}")
    if fields["priority_class"] not in CLASSES:
        raise Invalid(f"seq {seq}", f"application {key}: unknown priority_class {fields['priority_class']!r}")
    try:
        instant(fields["registered_at"])
    except ValueError as e:
        raise Invalid(f"seq {seq}", f"application {key}: registered_at: {e}") from None
    return fields


def passed_over_list(value):
    """An offer round's passed_over: null, or a JSON list of application numbers (as a list or as its text)."""
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError("not a JSON list of application numbers") from None
    if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
        raise ValueError("not a list of application numbers")
    return value


def unhex32(value):
    if not isinstance(value, str) or not HEX64.match(value):
        raise ValueError(f"{value!r} is not a 32-byte hash in lowercase hex")
    return bytes.fromhex(value)


def load_json_file(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="kezek_verify.py",
        description="Verify a kezek publication (kezek publish DIR) without the database.",
        epilog="Exit codes: 0 every check holds; 65 a check failed (the message names the file, line or seq "
        "and the rule); 2 usage error.",
    )
    p.add_argument("dir", metavar="DIR", nargs="?", help="the publication's directory")
    p.add_argument("--trust", metavar="PEM", help="pin the anchor: the first officer's public key (PEM)")
    p.add_argument(
        "--previous", metavar="CHECKPOINT", action="append", default=[], help="an earlier checkpoint file to hold to"
    )
    p.add_argument(
        "--consistency", metavar="FILE", action="append", default=[], help="a `kezek proof consistency` JSON"
    )
    p.add_argument("--receipt", metavar="SEQ:LEAF_HEX", action="append", default=[], help="a family's receipt")
    p.add_argument("--inclusion", metavar="FILE", action="append", default=[], help="a `kezek proof inclusion` JSON")
    p.add_argument("--json", action="store_true", help="print a machine summary on stdout")
    p.add_argument(
        "--print-roles",
        action="store_true",
        help="print the table of roles the verifier holds every record to (R-R1), as `kezek officer roles "
        "--format json` prints kezek's, and exit",
    )
    args = p.parse_args(argv)
    if args.print_roles:
        return args
    if args.dir is None:
        p.error("the publication's directory DIR is required")
    if not os.path.isdir(args.dir):
        p.error(f"{args.dir} is not a directory")
    receipts = []
    for r in args.receipt:
        m = re.match(r"^([0-9]+):([0-9a-fA-F]{64})$", r)
        if not m:
            p.error(f"--receipt {r}: expected SEQ:LEAF_HEX (a number, a colon, 64 hex digits)")
        receipts.append((int(m.group(1)), bytes.fromhex(m.group(2))))
    args.receipts = receipts
    for f in args.previous + args.consistency + args.inclusion + ([args.trust] if args.trust else []):
        if not os.path.isfile(f):
            p.error(f"{f}: no such file")
    args.trust_der = None
    if args.trust:
        try:
            with open(args.trust, encoding="utf-8") as f:
                args.trust_der = pem_to_der(f.read())
            rsa_public_key(args.trust_der)
        except (ValueError, UnicodeDecodeError) as e:
            p.error(f"--trust {args.trust}: {e}")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.print_roles:
        print(json.dumps(role_table(), ensure_ascii=False, indent=2))
        return EX_OK
    v = Verifier(
        args.dir,
        trust_der=args.trust_der,
        previous=args.previous,
        receipts=args.receipts,
        inclusions=args.inclusion,
        consistencies=args.consistency,
    )
    ok = v.run()
    for w in v.warnings[:MAX_PRINTED]:
        print(f"warning: {w}", file=sys.stderr)
    if len(v.warnings) > MAX_PRINTED:
        print(f"warning: ... and {len(v.warnings) - MAX_PRINTED} more", file=sys.stderr)
    for f in v.failures[:MAX_PRINTED]:
        print(f"FAIL: {f}", file=sys.stderr)
    if len(v.failures) > MAX_PRINTED:
        print(f"FAIL: ... and {len(v.failures) - MAX_PRINTED} more", file=sys.stderr)
    s = v.summary
    if args.json:
        out = dict(s, ok=ok, failures=v.failures, warnings=v.warnings)
        out["receipts_checked"] = len(args.receipts)
        out["inclusions_checked"] = len(args.inclusion)
        out["previous_checked"] = len(args.previous)
        out["consistency_checked"] = len(args.consistency)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"publication: {args.dir}")
        if "records" in s:
            print(f"records:     {s['records']} in {s.get('log_files', 0)} log file(s)")
        if "root" in s:
            print(f"root:        {s['root']} (tree of {s['tree_size']})")
            print(f"signer:      {s['signer']} at {s['signed_at']}")
        if "queues_checked" in s:
            print(
                f"queues:      {s['queues_checked']} checked against R-Q2; "
                f"{s['offer_rounds_checked']} offer round(s) checked"
            )
        if s.get("allocation_runs_checked"):
            print(f"allocations: {s['allocation_runs_checked']} run(s) replayed by serial dictatorship (R-C2)")
        if s.get("exchange_runs_checked"):
            print(f"exchanges:   {s['exchange_runs_checked']} run(s) replayed by Top Trading Cycles (R-C4)")
        if "places_checked" in s:
            print(f"places:      {s['places_checked']} checked")
        if s.get("role_events_checked"):
            print(
                f"roles:       {s['role_events_checked']} record(s) held to their officer's role (R-R3); "
                f"{s['role_changes']} role change(s)"
            )
        extra = []
        for label, items in (
            ("previous checkpoint", args.previous),
            ("consistency proof", args.consistency),
            ("receipt", args.receipts),
            ("inclusion proof", args.inclusion),
        ):
            if items:
                extra.append(f"{len(items)} {label}(s)")
        if extra:
            print(f"also:        {', '.join(extra)}")
        if v.warnings:
            print(f"warnings:    {len(v.warnings)} (on stderr)")
        print("result:      OK, every check holds" if ok else f"result:      FAILED, {len(v.failures)} finding(s) (on stderr)")
    return EX_OK if ok else EX_DATAERR


if __name__ == "__main__":
    sys.exit(main())
