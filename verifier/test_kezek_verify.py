"""Tests of the independent verifier: run with `python3 -m unittest verifier/test_kezek_verify.py`.

Standard library only. The Merkle functions are checked against the test vectors of RFC 6962 and against
naive proofs built from the RFC's recursive definitions; RSA verification against signatures that openssl
made with a fixture key; the whole verifier against small publications built here and signed with the
fixture keys (by a textbook RSA signer below, so that openssl is not needed).
"""

import base64
import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import kezek_verify as kv  # noqa: E402

KEYS = os.path.join(HERE, "..", "tests", "fixtures", "keys")

# RFC 6962's test leaves, and the roots of their first 1..8 (as the RFC's reference tests give them).
LEAVES = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# The prefixes and suffixes the verifier's brief quotes.
ROOT_ENDS = [
    ("6e340b9c", "afa01d"),
    ("fac54203", "00e3c125"),
    ("aeb6bcfe", "29e06e77"),
    ("d37ee418", "209614b7"),
    ("4e3bbb1f", "a86264d4"),
    ("76e67dad", "7f2087ef"),
    ("ddb89be4", "94a74c8c"),
    ("5dc9da79", "f4604328"),
]

# `printf 'kezek verifier test message\n' | openssl dgst -sha256 -sign tests/fixtures/keys/ivanova.key | base64 -w0`
OPENSSL_MESSAGE = b"kezek verifier test message\n"
OPENSSL_SIGNATURE = (
    "G664YasvbDF/Sc47JUCiRModAYsB8isKyA2dZIKIo3saAR72+raQ1/syvKZd3O/TuZAmGzqQiG49yHRVUMXNy4nKakG5zj2R2lIk+YyC"
    "pmAjx4C9sw4m2ylpShluiDN0sSXki8MFFFHLU+cmfi8R3JnoeXV2Ye7YfhXbU+O7ZjBXqRxMVyKUIpxtkl/yf+aK+Uw6eZHFpqmZUvRw"
    "uluNHX3TuZHQa+yG55rbHbeWjAXRig3wgrOdTyANQKbfvrAa9IjHTCPAsF9GferNNeM5bZX0hif1URFvcgEyfIwuDcLSz7kfue6vXwSa"
    "Eq9BSXc5zZopF5Xev4cfNgsFy7zydQ=="
)


# ---------------------------------------------------------------------------------------------------
# Naive references from RFC 6962 §2.1
# ---------------------------------------------------------------------------------------------------


def mth(d):
    """MTH(D[n]) exactly as RFC 6962 §2.1 defines it, over the entries (not their hashes)."""
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = kv.split_point(len(d))
    return hashlib.sha256(b"\x01" + mth(d[:k]) + mth(d[k:])).digest()


def path(m, d):
    """PATH(m, D[n]), RFC 6962 §2.1.1."""
    if len(d) == 1:
        return []
    k = kv.split_point(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def proof(m, d):
    """PROOF(m, D[n]), RFC 6962 §2.1.2."""
    return subproof(m, d, True)


def subproof(m, d, b):
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = kv.split_point(n)
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def entries(n):
    return [b"entry %d" % i for i in range(n)]


class MerkleTest(unittest.TestCase):
    def test_rfc6962_roots_of_the_test_leaves(self):
        hashes = [kv.leaf_hash(x) for x in LEAVES]
        for n in range(1, 9):
            root = kv.merkle_root(hashes, 0, n).hex()
            self.assertEqual(root, ROOTS[n - 1], f"root of {n}")
            self.assertEqual(root, mth(LEAVES[:n]).hex())
            prefix, suffix = ROOT_ENDS[n - 1]
            self.assertTrue(root.startswith(prefix) and root.endswith(suffix), root)

    def test_the_empty_tree(self):
        self.assertEqual(kv.merkle_root([]).hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    def test_roots_agree_with_the_definition(self):
        d = entries(70)
        hashes = [kv.leaf_hash(x) for x in d]
        for n in range(0, 71):
            self.assertEqual(kv.merkle_root(hashes, 0, n), mth(d[:n]), n)

    def test_inclusion_proofs(self):
        for n in range(1, 34):
            d = entries(n)
            root = mth(d)
            for m in range(n):
                leaf = kv.leaf_hash(d[m])
                p = path(m, d)
                self.assertTrue(kv.verify_inclusion(m, n, leaf, p, root), (m, n))
                self.assertFalse(kv.verify_inclusion(m, n, kv.leaf_hash(b"other"), p, root))
                self.assertFalse(kv.verify_inclusion(m, n, leaf, p, kv.sha256(b"x")))
                self.assertFalse(kv.verify_inclusion(m, n, leaf, p + [root], root))
                if p:
                    self.assertFalse(kv.verify_inclusion(m, n, leaf, p[:-1], root))
                self.assertFalse(kv.verify_inclusion(n, n, leaf, p, root))
                for other in range(n):
                    if other != m:
                        self.assertFalse(kv.verify_inclusion(other, n, leaf, p, root), (m, other, n))

    def test_inclusion_against_the_rfc_vectors(self):
        # RFC 6962's reference tests: leaf 0 of 8 and leaf 5 of 8.
        hashes = [kv.leaf_hash(x) for x in LEAVES]
        for m in (0, 5, 7):
            p = path(m, LEAVES)
            self.assertTrue(kv.verify_inclusion(m, 8, hashes[m], p, bytes.fromhex(ROOTS[7])))

    def test_consistency_proofs(self):
        for n in range(1, 34):
            d = entries(n)
            new = mth(d)
            for m in range(1, n + 1):
                old = mth(d[:m])
                p = proof(m, d)
                self.assertTrue(kv.verify_consistency(m, n, old, new, p), (m, n))
                self.assertFalse(kv.verify_consistency(m, n, kv.sha256(b"x"), new, p), (m, n))
                self.assertFalse(kv.verify_consistency(m, n, old, kv.sha256(b"x"), p), (m, n))
                if p:
                    self.assertFalse(kv.verify_consistency(m, n, old, new, p[:-1]), (m, n))
                    bad = list(p)
                    bad[0] = kv.sha256(bad[0])
                    self.assertFalse(kv.verify_consistency(m, n, old, new, bad), (m, n))
                if m < n:
                    # A rewritten entry inside the old tree breaks it.
                    rewritten = list(d)
                    rewritten[m - 1] = b"rewritten"
                    self.assertFalse(kv.verify_consistency(m, n, old, mth(rewritten), proof(m, rewritten)), (m, n))
        self.assertFalse(kv.verify_consistency(5, 4, mth(entries(5)), mth(entries(4)), []))

    def test_consistency_against_the_rfc_vectors(self):
        for m in range(1, 8):
            p = proof(m, LEAVES)
            self.assertTrue(
                kv.verify_consistency(m, 8, bytes.fromhex(ROOTS[m - 1]), bytes.fromhex(ROOTS[7]), p), m
            )


# ---------------------------------------------------------------------------------------------------
# RSA
# ---------------------------------------------------------------------------------------------------


def read_key(name):
    with open(os.path.join(KEYS, name), encoding="utf-8") as f:
        return f.read()


def private_key(pem):
    """(n, d) of a PKCS#8 RSA private key, for the test publications' signatures."""
    body = "".join(line for line in pem.strip().splitlines()[1:-1])
    der = base64.b64decode(body)
    pkcs8, _ = kv.der_read(der, 0, 0x30)
    _, pos = kv.der_read(pkcs8, 0, 0x02)
    _, pos = kv.der_read(pkcs8, pos, 0x30)
    octets, _ = kv.der_read(pkcs8, pos, 0x04)
    rsa, _ = kv.der_read(octets, 0, 0x30)
    pos = 0
    ints = []
    while pos < len(rsa):
        value, pos = kv.der_read(rsa, pos, 0x02)
        ints.append(int.from_bytes(value, "big"))
    return ints[1], ints[3]


def sign(pem, message):
    """Textbook RSASSA-PKCS1-v1_5 with SHA-256."""
    n, d = private_key(pem)
    k = (n.bit_length() + 7) // 8
    t = kv.SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    return pow(int.from_bytes(em, "big"), d, n).to_bytes(k, "big")


class RsaTest(unittest.TestCase):
    def setUp(self):
        self.der = kv.pem_to_der(read_key("ivanova.pub"))

    def test_a_signature_made_by_openssl_verifies(self):
        sig = base64.b64decode(OPENSSL_SIGNATURE)
        self.assertTrue(kv.rsa_verify(self.der, OPENSSL_MESSAGE, sig))
        self.assertFalse(kv.rsa_verify(self.der, OPENSSL_MESSAGE + b"x", sig))
        bad = bytearray(sig)
        bad[10] ^= 1
        self.assertFalse(kv.rsa_verify(self.der, OPENSSL_MESSAGE, bytes(bad)))
        self.assertFalse(kv.rsa_verify(self.der, OPENSSL_MESSAGE, sig[1:]))
        other = kv.pem_to_der(read_key("sadykov.pub"))
        self.assertFalse(kv.rsa_verify(other, OPENSSL_MESSAGE, sig))

    @unittest.skipUnless(shutil.which("openssl"), "openssl is not installed")
    def test_openssl_now_agrees(self):
        with tempfile.TemporaryDirectory() as tmp:
            msg = os.path.join(tmp, "message")
            message = b"kezek journal head v2\nseq: 1\n" + "тест\n".encode("utf-8")
            with open(msg, "wb") as f:
                f.write(message)
            for name in ("ivanova", "sadykov"):
                sig = subprocess.run(
                    ["openssl", "dgst", "-sha256", "-sign", os.path.join(KEYS, f"{name}.key"), msg],
                    check=True,
                    capture_output=True,
                ).stdout
                der = kv.pem_to_der(read_key(f"{name}.pub"))
                self.assertTrue(kv.rsa_verify(der, message, sig), name)
                self.assertEqual(sig, sign(read_key(f"{name}.key"), message), "PKCS#1 v1.5 is deterministic")
                fp = subprocess.run(
                    ["openssl", "pkey", "-pubin", "-in", os.path.join(KEYS, f"{name}.pub"), "-outform", "DER"],
                    check=True,
                    capture_output=True,
                ).stdout
                self.assertEqual(fp, der)

    def test_the_key_is_parsed_from_its_der(self):
        n, e = kv.rsa_public_key(self.der)
        self.assertEqual(e, 65537)
        self.assertEqual(n.bit_length(), 2048)
        with self.assertRaises(ValueError):
            kv.rsa_public_key(self.der[:-1])
        with self.assertRaises(ValueError):
            kv.pem_to_der("not a key")

    def test_the_crlf_pem_of_officers_json_is_the_same_key(self):
        pem = read_key("ivanova.pub")
        self.assertEqual(kv.pem_to_der(pem.replace("\n", "\r\n")), self.der)


# ---------------------------------------------------------------------------------------------------
# The queue order (R-Q2)
# ---------------------------------------------------------------------------------------------------


def app(number, cls, at, status="queued", queue_type="general", group_year=2022):
    return {
        "number": number,
        "priority_class": cls,
        "registered_at": at,
        "status": status,
        "queue_type": queue_type,
        "group_year": group_year,
        "expired_count": 0,
        "removed_reason": None,
        "stop_list_until": None,
    }


class QueueOrderTest(unittest.TestCase):
    def order(self, apps, k=3):
        return [(a["number"], pos, cpos) for a, pos, cpos in kv.queue_order(apps, k)]

    def test_one_first_priority_for_every_three_general(self):
        apps = [app(f"F{i}", "first_priority", f"2022-01-0{i}T10:00:00+06:00") for i in range(1, 4)]
        apps += [app(f"G{i}", "general", f"2021-0{i}-01T10:00:00+06:00") for i in range(1, 8)]
        apps.append(app("O1", "out_of_turn", "2022-05-01T10:00:00+05:00"))
        self.assertEqual(
            [n for n, _, _ in self.order(apps)],
            ["O1", "F1", "G1", "G2", "G3", "F2", "G4", "G5", "G6", "F3", "G7"],
        )
        self.assertEqual(self.order(apps)[:3], [("O1", 1, 1), ("F1", 2, 1), ("G1", 3, 0)])
        self.assertEqual(self.order(apps)[5], ("F2", 6, 2))

    def test_the_longer_list_continues(self):
        apps = [app(f"F{i}", "first_priority", f"2022-01-0{i}T10:00:00+06:00") for i in range(1, 5)]
        apps.append(app("G1", "general", "2021-01-01T10:00:00+06:00"))
        self.assertEqual([n for n, _, _ in self.order(apps)], ["F1", "G1", "F2", "F3", "F4"])
        self.assertEqual([n for n, _, _ in self.order(apps, k=2)], ["F1", "G1", "F2", "F3", "F4"])
        general = [app(f"G{i}", "general", f"2021-01-0{i}T10:00:00+06:00") for i in range(1, 6)]
        self.assertEqual([n for n, _, _ in self.order(general + apps[:1], k=2)], ["F1", "G1", "G2", "G3", "G4", "G5"])

    def test_times_compare_as_instants_and_ties_by_number(self):
        apps = [
            app("B", "general", "2024-01-01T09:30:00+05:00"),  # 04:30Z
            app("A", "general", "2024-01-01T10:00:00+06:00"),  # 04:00Z
            app("D", "general", "2024-01-01T10:00:00+06:00"),
            app("C", "general", "2024-01-01T09:00:00+05:00"),  # 04:00Z, the same instant as A and D
        ]
        self.assertEqual([n for n, _, _ in self.order(apps)], ["A", "C", "D", "B"])


# ---------------------------------------------------------------------------------------------------
# Whole publications
# ---------------------------------------------------------------------------------------------------

T = "2026-03-16T10:00:00+05:00"


class Publication:
    """A small publication written the way the contract describes, signed with the fixture keys."""

    def __init__(self):
        self.records = []
        self.officers = []
        self.k = 3

    def add(self, kind, officer, rows, subject=""):
        seq = len(self.records) + 1
        self.records.append(
            {
                "effective_at": T,
                "kind": kind,
                "officer": officer,
                "recorded_at": T,
                "rows": rows,
                "seq": seq,
                "subject": subject,
            }
        )
        return seq

    def key(self, kind, subject, by, keyname, role=None, district="Алмалинский", org=None):
        """An officer.add or officer.rotate_key; with a role, the officer row shows it (and org) as kezek writes
        them since roles exist, without one as before."""
        pem = read_key(f"{keyname}.pub").replace("\n", "\r\n")
        row = {"fields": {"active": 1, "district": district, "id": subject, "public_key": pem}, "key": subject}
        if role is not None:
            row["fields"].update(role=role, org=org)
        row["table"] = "officer"
        seq = self.add(kind, by, [row], subject)
        fp = kv.fingerprint(kv.pem_to_der(pem))
        self.officers.append({"officer": subject, "fingerprint": fp, "public_key": pem, "seq": seq, "kind": kind})

    def set_role(self, subject, by, role, org=None, district="Алмалинский"):
        fields = {"active": 1, "district": district, "id": subject, "org": org, "role": role}
        return self.add("officer.set_role", by, [{"fields": fields, "key": subject, "table": "officer"}], subject)

    def apps(self, kind, by, apps):
        return self.add(kind, by, [{"fields": a, "key": a["number"], "table": "application"} for a in apps])

    def state(self, upto=None):
        apps = {}
        for r in self.records[:upto]:
            for row in r["rows"]:
                if row["table"] == "application":
                    apps[row["key"]] = row["fields"]
        return apps

    def checkpoint(self, signer, keyname, size=None):
        size = len(self.records) if size is None else size
        leaves = [kv.leaf_hash(kv.canonical(r)) for r in self.records[:size]]
        pem = read_key(f"{keyname}.pub")
        lines = [
            "kezek journal head v2",
            f"seq: {size}",
            f"hash: {'ab' * 32}",
            f"tree-size: {size}",
            f"root: {kv.merkle_root(leaves).hex()}",
            "previous: none",
            f"officer: {signer}",
            f"signed-at: {T}",
        ]
        message = "".join(line + "\n" for line in lines)
        signature = base64.b64encode(sign(read_key(f"{keyname}.key"), message.encode("utf-8"))).decode()
        fp = kv.fingerprint(kv.pem_to_der(pem))
        return message + f"key-fingerprint: {fp}\nsignature: {signature}\n"

    def write(self, directory, signer="ivanova", keyname="ivanova"):
        os.makedirs(os.path.join(directory, "log"), exist_ok=True)
        os.makedirs(os.path.join(directory, "queues"), exist_ok=True)
        with open(os.path.join(directory, "log", "000000.jsonl"), "wb") as f:
            for r in self.records:
                f.write(kv.canonical(r) + b"\n")
        with open(os.path.join(directory, "checkpoint"), "w", encoding="utf-8") as f:
            f.write(self.checkpoint(signer, keyname))
        with open(os.path.join(directory, "officers.json"), "w", encoding="utf-8") as f:
            json.dump({"officers": self.officers}, f, ensure_ascii=False, indent=2)
        with open(os.path.join(directory, "places.csv"), "w", encoding="utf-8") as f:
            f.write(kv.PLACES_HEADER + "\n")
        queues = {}
        for a in self.state().values():
            if a["status"] in kv.WAITING:
                queues.setdefault((a["queue_type"], a["group_year"]), []).append(a)
        for (qt, gy), apps in queues.items():
            with open(os.path.join(directory, "queues", f"{qt}-{gy}.csv"), "w", encoding="utf-8") as f:
                f.write(kv.QUEUE_HEADER + "\n")
                for a, pos, cpos in kv.queue_order(apps, self.k):
                    f.write(kv.queue_line(a, pos, cpos) + "\n")


def city():
    """Two officers and one queue: F1 G1 G2 G3 F2 G4 in R-Q2 order."""
    p = Publication()
    p.add("schema.migrate", None, [{"fields": {"key": "general_per_first_priority", "value": "3"}, "key": "general_per_first_priority", "table": "setting"}])
    p.key("officer.add", "ivanova", "ivanova", "ivanova")
    p.key("officer.add", "sadykov", "ivanova", "sadykov")
    apps = [app(f"DDO.2022.00000{i}.1", "general", f"2022-0{i}-01T10:00:00+06:00") for i in range(1, 5)]
    apps += [app(f"DDO.2022.00001{i}.1", "first_priority", f"2022-0{i}-02T10:00:00+06:00") for i in range(1, 3)]
    p.apps("application.import", "ivanova", apps)
    return p


NO_FIELD = object()


def offer(p, numbers, by="ivanova", passed_over=None):
    """An offer round of general-2022 notifying numbers; passed_over as kezek publishes it (NO_FIELD: a log
    from before rounds published it)."""
    before = p.state()
    rows = [
        {
            "fields": {
                "closed": 0,
                "closes_at": "2026-03-16T20:00:00+05:00",
                "group_year": 2022,
                "held_at": T,
                "id": 1,
                "notified": len(numbers),
                "opens_at": T,
                "places": len(numbers),
                "queue_type": "general",
            },
            "key": 1,
            "table": "offer_round",
        }
    ]
    if passed_over is not NO_FIELD:
        rows[0]["fields"]["passed_over"] = None if passed_over is None else json.dumps(passed_over)
    for n in numbers:
        rows.append({"fields": dict(before[n], status="notified"), "key": n, "table": "application"})
        rows.append({"key": 1, "table": "notification"})
    return p.add("offer.round", by, rows, "general-2022")


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = kv.main(argv)
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


class PublicationCase(unittest.TestCase):
    """A temporary directory to write publications into and verify them."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = os.path.join(self.tmp.name, "pub")

    def tearDown(self):
        self.tmp.cleanup()

    def verify(self, p, *args, signer="ivanova", keyname="ivanova"):
        shutil.rmtree(self.dir, ignore_errors=True)
        p.write(self.dir, signer, keyname)
        return run([self.dir, *args])

    def assertFails(self, result, text):
        code, out, err = result
        self.assertEqual(code, 65, out + err)
        self.assertIn(text, err)


class PublicationTest(PublicationCase):
    def test_a_sound_publication_verifies(self):
        p = city()
        offer(p, ["DDO.2022.000011.1", "DDO.2022.000001.1"])
        code, out, err = self.verify(p, "--trust", os.path.join(KEYS, "ivanova.pub"))
        self.assertEqual(code, 0, out + err)
        self.assertIn("OK", out)
        self.assertEqual(err, "")
        code, out, _ = run([self.dir, "--json"])
        summary = json.loads(out)
        self.assertTrue(summary["ok"])
        self.assertEqual(summary["records"], 5)
        self.assertEqual(summary["queues_checked"], 1)
        self.assertEqual(summary["offer_rounds_checked"], 1)

    def test_the_anchor_pinned_to_another_key_fails(self):
        self.assertFails(self.verify(city(), "--trust", os.path.join(KEYS, "sadykov.pub")), "not the --trust key")

    def test_a_record_not_canonical_fails_with_its_line(self):
        p = city()
        p.write(self.dir)
        log = os.path.join(self.dir, "log", "000000.jsonl")
        with open(log, encoding="utf-8") as f:
            lines = f.read().split("\n")
        lines[2] = lines[2].replace('"kind":', '"kind": ')
        with open(log, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        self.assertFails(run([self.dir]), "log/000000.jsonl: line 3 (seq 3): not canonical JSON")

    def test_a_checkpoint_signed_by_the_second_officer_verifies(self):
        code, out, err = self.verify(city(), signer="sadykov", keyname="sadykov")
        self.assertEqual(code, 0, out + err)

    def test_a_key_an_officer_registered_for_themself_is_not_trusted(self):
        p = city()
        p.key("officer.add", "omarova", "omarova", "omarova")
        result = self.verify(p, signer="omarova", keyname="omarova")
        self.assertFails(result, "R-A7: officer omarova's key is not trusted")
        self.assertIn("registered by 'omarova' (the officer themself)", result[2])

    def test_a_rotated_key_signs_and_the_old_one_no_longer_does(self):
        p = city()
        p.key("officer.rotate_key", "ivanova", "sadykov", "omarova")
        code, out, err = self.verify(p, keyname="omarova")
        self.assertEqual(code, 0, out + err)
        self.assertFails(self.verify(p, keyname="ivanova"), "is not officer ivanova's latest key")

    def test_a_rotation_by_the_officer_themself_is_not_trusted(self):
        p = city()
        p.key("officer.rotate_key", "ivanova", "ivanova", "omarova")
        self.assertFails(self.verify(p, keyname="omarova"), "R-A7: officer ivanova's key is not trusted")

    def test_a_deactivated_officer_signs_nothing(self):
        p = city()
        p.add("officer.deactivate", "ivanova", [{"fields": None, "key": "sadykov", "table": "officer"}], "sadykov")
        self.assertFails(self.verify(p, signer="sadykov", keyname="sadykov"), "officer sadykov was deactivated")
        # Nor does a key a deactivated officer registered count.
        p.key("officer.add", "omarova", "sadykov", "omarova")
        self.assertFails(self.verify(p, signer="omarova", keyname="omarova"), "officer omarova's key is not trusted")

    def test_an_officers_json_key_that_is_not_the_logs_fails(self):
        p = city()
        p.officers[1]["public_key"] = read_key("omarova.pub")
        p.officers[1]["fingerprint"] = kv.fingerprint(kv.pem_to_der(read_key("omarova.pub")))
        self.assertFails(self.verify(p), "the key of 'sadykov' in the record is not the one in officers.json")

    def test_an_earlier_checkpoint_of_this_log_and_of_another(self):
        p = city()
        early = os.path.join(self.tmp.name, "early")
        with open(early, "w", encoding="utf-8") as f:
            f.write(p.checkpoint("ivanova", "ivanova"))
        offer(p, ["DDO.2022.000011.1"])
        code, out, err = self.verify(p, "--previous", early)
        self.assertEqual(code, 0, out + err)
        other = city()
        other.records[3]["rows"][0]["fields"]["registered_at"] = "2022-01-01T10:00:01+06:00"
        with open(early, "w", encoding="utf-8") as f:
            f.write(other.checkpoint("ivanova", "ivanova"))
        self.assertFails(run([self.dir, "--previous", early]), "is not the root of this log's first 4 records")

    def test_receipts_and_proofs(self):
        p = city()
        offer(p, ["DDO.2022.000011.1"])
        p.write(self.dir)
        leaves = [kv.canonical(r) for r in p.records]
        leaf = kv.leaf_hash(leaves[3]).hex()
        self.assertEqual(run([self.dir, "--receipt", f"4:{leaf}"])[0], 0)
        self.assertFails(run([self.dir, "--receipt", f"3:{leaf}"]), "--receipt 3:")
        self.assertFails(run([self.dir, "--receipt", f"9:{leaf}"]), "not in the checkpoint's tree")
        self.assertEqual(run([self.dir, "--receipt", "4:xyz"])[0], 2)
        incl = os.path.join(self.tmp.name, "incl.json")
        doc = {
            "leaf_index": 3,
            "tree_size": 5,
            "leaf_hash": leaf,
            "root": mth(leaves).hex(),
            "path": [h.hex() for h in path(3, leaves)],
        }
        with open(incl, "w") as f:
            json.dump(doc, f)
        self.assertEqual(run([self.dir, "--inclusion", incl])[0], 0)
        doc["leaf_index"] = 2
        with open(incl, "w") as f:
            json.dump(doc, f)
        self.assertFails(run([self.dir, "--inclusion", incl]), "does not verify")
        cons = os.path.join(self.tmp.name, "cons.json")
        doc = {
            "old_size": 3,
            "new_size": 5,
            "old_root": mth(leaves[:3]).hex(),
            "new_root": mth(leaves).hex(),
            "path": [h.hex() for h in proof(3, leaves)],
        }
        with open(cons, "w") as f:
            json.dump(doc, f)
        self.assertEqual(run([self.dir, "--consistency", cons])[0], 0)
        doc["path"] = doc["path"][1:]
        with open(cons, "w") as f:
            json.dump(doc, f)
        self.assertFails(run([self.dir, "--consistency", cons]), "does not verify")

    def test_a_queue_file_out_of_order_fails_with_its_line(self):
        p = city()
        p.write(self.dir)
        q = os.path.join(self.dir, "queues", "general-2022.csv")
        with open(q, encoding="utf-8") as f:
            lines = f.read().split("\n")
        self.assertEqual(lines[1], "DDO.2022.000011.1,first_priority,2022-01-02T10:00:00+06:00,queued,1,1")
        self.assertEqual(lines[5], "DDO.2022.000012.1,first_priority,2022-02-02T10:00:00+06:00,queued,5,2")
        lines[2], lines[3] = lines[3], lines[2]
        with open(q, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        self.assertFails(run([self.dir]), "queues/general-2022.csv: line 3: R-Q2")

    def test_the_setting_changes_the_order(self):
        p = city()
        p.add("settings.set", "ivanova", [{"fields": {"key": "general_per_first_priority", "value": "1"}, "key": "general_per_first_priority", "table": "setting"}])
        p.k = 1
        code, out, err = self.verify(p)
        self.assertEqual(code, 0, out + err)
        p.k = 3
        self.assertFails(self.verify(p), "R-Q2")

    def test_an_offer_round_that_skips_an_application_it_does_not_publish_as_passed_over_fails(self):
        p = city()
        seq = offer(p, ["DDO.2022.000011.1", "DDO.2022.000002.1"])
        self.assertFails(
            self.verify(p),
            f"seq {seq} (offer.round): R-Q2: notified DDO.2022.000002.1 but passed over DDO.2022.000001.1",
        )

    def test_an_offer_round_that_publishes_the_application_it_passed_over_verifies(self):
        p = city()
        offer(p, ["DDO.2022.000011.1", "DDO.2022.000002.1"], passed_over=["DDO.2022.000001.1"])
        code, out, err = self.verify(p)
        self.assertEqual((code, err), (0, ""), out)
        p = city()
        offer(p, ["DDO.2022.000011.1"], passed_over=["DDO.2022.000099.1"])
        self.assertFails(self.verify(p), "lists DDO.2022.000099.1 as passed over, but it was not queued")

    def test_a_skip_in_a_log_whose_rounds_do_not_publish_passed_over_is_a_warning(self):
        p = city()
        seq = offer(p, ["DDO.2022.000011.1", "DDO.2022.000002.1"], passed_over=NO_FIELD)
        code, out, err = self.verify(p)
        self.assertEqual(code, 0, out + err)
        self.assertIn(f"seq {seq} (offer.round): R-Q2: notified DDO.2022.000002.1 but not DDO.2022.000001.1", err)
        self.assertIn("R-D5", err)

    def test_an_offer_round_notifying_an_application_not_queued_fails(self):
        p = city()
        stop = dict(p.state()["DDO.2022.000001.1"], status="stop_listed")
        p.apps("sweep.expire", "ivanova", [stop])
        before = p.state()
        seq = offer(p, ["DDO.2022.000011.1"])
        p.records[-1]["rows"].append(
            {"fields": dict(before["DDO.2022.000001.1"], status="notified"), "key": "DDO.2022.000001.1", "table": "application"}
        )
        p.records[-1]["rows"][0]["fields"]["notified"] = 2
        p.records[-1]["rows"][0]["fields"]["places"] = 2
        self.assertFails(self.verify(p), f"seq {seq} (offer.round): R-P3: notified DDO.2022.000001.1, which was stop_listed")

    def test_an_offer_round_whose_count_is_not_its_rows_fails(self):
        p = city()
        offer(p, ["DDO.2022.000011.1"])
        p.records[-1]["rows"][0]["fields"]["notified"] = 2
        self.assertFails(self.verify(p), "says it notified 2")

    def test_usage(self):
        self.assertEqual(run([])[0], 2)
        self.assertEqual(run([os.path.join(self.tmp.name, "missing")])[0], 2)
        os.makedirs(self.dir)
        self.assertFails(run([self.dir]), "checkpoint")


# ---------------------------------------------------------------------------------------------------
# Roles (R-R1, R-R3)
# ---------------------------------------------------------------------------------------------------


class RoleTableTest(unittest.TestCase):
    def test_r_r1_admin_writes_every_known_kind_and_the_others_only_their_commands_kinds(self):
        kinds = {k for _, _, _, ks in kv.COMMANDS for k in ks}
        for kind in kinds:
            self.assertTrue(kv.may_write("admin", "Алмалинский", kind), kind)
        self.assertIsNone(kv.may_write("admin", "Алмалинский", "made.up"))
        self.assertIsNone(kv.may_write("service", "Алмалинский", "schema.migrate"))
        self.assertTrue(kv.may_write("service", "Алмалинский", "sweep.run"))
        self.assertFalse(kv.may_write("service", "Алмалинский", "settings.set"))
        self.assertFalse(kv.may_write("service", "Алмалинский", "application.register"))
        self.assertTrue(kv.may_write("kindergarten", "Алмалинский", "direction.enroll"))
        self.assertFalse(kv.may_write("kindergarten", "Алмалинский", "direction.issue"))
        self.assertTrue(kv.may_write("officer", "Алмалинский", "application.register"))
        self.assertFalse(kv.may_write("officer", "Алмалинский", "officer.set_role"))

    def test_r_r1_a_round_over_the_city_needs_an_officer_of_district_star(self):
        self.assertFalse(kv.may_write("officer", "Алмалинский", "offer.round"))
        self.assertTrue(kv.may_write("officer", "*", "offer.round"))
        self.assertTrue(kv.may_write("service", "Алмалинский", "offer.round"))
        # offer.window_closed is written by the city's rounds and by `direction issue`, which a district's
        # officer may run.
        self.assertTrue(kv.may_write("officer", "Алмалинский", "offer.window_closed"))
        self.assertFalse(kv.may_write("officer", "Алмалинский", "sweep.run"))

    def test_r_r1_the_table_prints_as_kezek_officer_roles_does(self):
        code, out, err = run(["--print-roles"])
        self.assertEqual((code, err), (0, ""))
        table = json.loads(out)
        self.assertEqual(table, kv.role_table())
        self.assertEqual(len(table), len(kv.COMMANDS))
        offer = next(line for line in table if line["command"] == "kezek offer")
        self.assertEqual(
            offer,
            {
                "command": "kezek offer",
                "roles": "admin, officer (*), service",
                "reaches": "city",
                "kinds": "offer.window_closed offer.round",
            },
        )
        for _, roles, _, kinds in kv.COMMANDS:
            self.assertNotIn("admin", roles)
            self.assertTrue(set(roles) <= set(kv.ROLES))
            self.assertEqual(len(set(kinds)), len(kinds))

    def test_r_r1_a_row_without_a_role_is_an_admin_s_and_an_unknown_role_is_refused(self):
        def record(fields):
            return {"seq": 7, "kind": "officer.add", "rows": [{"fields": fields, "key": "x", "table": "officer"}]}

        self.assertEqual(kv.recorded_standing(record({"district": "Медеуский"})), ("admin", "Медеуский", None))
        self.assertEqual(kv.recorded_standing(record(None)), ("admin", "", None))
        self.assertEqual(
            kv.recorded_standing(record({"district": "Медеуский", "org": "DS-1", "role": "kindergarten"})),
            ("kindergarten", "Медеуский", "DS-1"),
        )
        self.assertIsNone(kv.recorded_standing({"seq": 7, "kind": "officer.add", "rows": []}))
        with self.assertRaises(ValueError) as e:
            kv.recorded_standing(record({"role": "boss"}))
        self.assertEqual(str(e.exception), "R-R3: journal event 7 (officer.add) gives the role '\"boss\"', which kezek does not know")


def roles_city():
    """city() with a service account `night`, an officer `city` of district `*` and a kindergarten account
    `kg`, all registered by the admin ivanova (sadykov is an officer of Алмалинский before roles existed: an
    admin)."""
    p = city()
    p.key("officer.add", "night", "ivanova", "omarova", role="service")
    p.key("officer.add", "city", "ivanova", "omarova", role="officer", district="*")
    p.key("officer.add", "kg", "ivanova", "omarova", role="kindergarten", org="DS-001")
    return p


class RolesTest(PublicationCase):
    def test_r_r3_an_honest_city_with_roles_and_a_role_change_verifies(self):
        p = roles_city()
        p.add("sweep.run", "night", [])
        offer(p, ["DDO.2022.000011.1"], by="city")
        p.add("direction.enroll", "kg", [{"key": "NAP.2026.000001", "table": "direction"}])
        p.add("settings.set", "sadykov", [])
        p.set_role("kg", "ivanova", "officer")
        p.add("application.withdraw", "kg", [])
        code, out, err = self.verify(p, signer="night", keyname="omarova")
        self.assertEqual((code, err), (0, ""), out)
        self.assertIn("role change(s)", out)
        summary = json.loads(run([self.dir, "--json"])[1])
        self.assertEqual(summary["role_events_checked"], len(p.records) - 1)
        self.assertEqual(summary["role_changes"], 1)

    def test_r_r3_a_record_outside_its_officer_s_role_is_refused_naming_seq_kind_officer_and_role(self):
        p = roles_city()
        seq = p.add("settings.set", "night", [])
        self.assertFails(
            self.verify(p),
            f"line {seq} (seq {seq}): R-R3: journal event {seq} (settings.set) was made by officer 'night', whose role "
            "at that point (service, district Алмалинский) does not allow it",
        )

    def test_r_r3_a_district_s_officer_runs_no_round_over_the_city(self):
        p = roles_city()
        p.key("officer.add", "omarova", "ivanova", "omarova", role="officer")
        seq = offer(p, ["DDO.2022.000011.1"], by="omarova")
        self.assertFails(self.verify(p), f"R-R3: journal event {seq} (offer.round) was made by officer 'omarova'")

    def test_r_r3_an_unknown_kind_or_officer_is_refused(self):
        p = roles_city()
        seq = p.add("made.up", "ivanova", [])
        self.assertFails(self.verify(p), f"R-R3: journal event {seq} is of kind 'made.up', which no kezek command writes")
        p = roles_city()
        seq = p.add("settings.set", "ghost", [])
        self.assertFails(
            self.verify(p), f"R-R3: journal event {seq} (settings.set) names officer 'ghost', whom the journal never registered"
        )

    def test_r_r3_a_role_change_is_judged_by_the_role_before_it(self):
        # An admin widens the service account: what it did before is still refused, what it does after is not.
        p = roles_city()
        before = p.add("settings.set", "night", [])
        p.set_role("night", "ivanova", "admin")
        p.add("settings.set", "night", [])
        result = self.verify(p)
        self.assertFails(result, f"R-R3: journal event {before} (settings.set)")
        self.assertEqual(result[2].count("FAIL:"), 1, result[2])
        # The service account cannot widen itself: refused, and the change does not take effect.
        p = roles_city()
        change = p.set_role("night", "night", "admin")
        after = p.add("settings.set", "night", [])
        result = self.verify(p)
        self.assertFails(result, f"R-R3: journal event {change} (officer.set_role) was made by officer 'night', whose role")
        self.assertIn(f"R-R3: journal event {after} (settings.set)", result[2])

    def test_r_r3_a_role_changed_by_an_admin_whose_key_nobody_vouched_for_is_refused(self):
        p = roles_city()
        p.key("officer.add", "intruder", "intruder", "sadykov", role="admin")
        change = p.set_role("night", "intruder", "admin")
        p.add("settings.set", "night", [])
        result = self.verify(p, signer="night", keyname="omarova")
        self.assertFails(
            result,
            f"R-R3: journal event {change} (officer.set_role) was made by officer 'intruder', whose key is not trusted",
        )
        self.assertIn("registered by 'intruder' (the officer themself)", result[2])

    def test_r_r3_only_an_admin_vouches_for_a_key(self):
        # night (service) widened behind kezek's back registers a key: refused, and that key is not trusted.
        p = roles_city()
        p.key("officer.add", "sock", "night", "sadykov", role="admin")
        result = self.verify(p, signer="sock", keyname="sadykov")
        self.assertFails(result, f"R-R3: journal event {len(p.records)} (officer.add) was made by officer 'night'")
        self.assertFails(result, "R-A7: officer sock's key is not trusted")
        self.assertIn("registered by 'night' (not an admin but service, R-R3)", result[2])

    def test_r_r3_a_role_change_of_an_unknown_officer_or_to_an_unknown_role_is_refused(self):
        p = roles_city()
        seq = p.set_role("ghost", "ivanova", "service")
        self.assertFails(self.verify(p), f"R-R3: journal event {seq} sets the role of unknown officer 'ghost'")
        p = roles_city()
        seq = p.set_role("night", "ivanova", "boss")
        self.assertFails(self.verify(p), f"R-R3: journal event {seq} (officer.set_role) gives the role '\"boss\"'")
        p = roles_city()
        seq = p.add("officer.set_role", "ivanova", [], "night")
        self.assertFails(self.verify(p), f"seq {seq}: an officer.set_role record without the officer's row (R-V1)")


if __name__ == "__main__":
    unittest.main()
