//! The Merkle tree of the public log (R-V2), as RFC 6962 §2.1 hashes it and RFC 9162 §2.1 proves it: pure
//! arithmetic, no storage.
//!
//! Leaves are hashed `SHA-256(0x00 || record)`, interior nodes `SHA-256(0x01 || left || right)`; the tree of n
//! leaves splits at the largest power of two below n. The store keeps the hash of every *complete* subtree
//! (`Node { level, index }` covers leaves `index << level .. (index + 1) << level`): appending a leaf completes
//! on average two of them and never changes a stored one, so appending costs O(log n) and never re-hashes the
//! log. Any root and any proof is then computed from O(log n) stored hashes, fetched through a closure (as
//! Go's checksum database does in `golang/mod:sumdb/tlog`).
//!
//! `Frontier` computes roots while reading a log from start to end (for `audit public`), keeping only the
//! O(log n) hashes of the complete subtrees on its right edge.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// RFC 6962 leaf hash: `SHA-256(0x00 || record)`.
pub fn leaf_hash(record: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(record);
    h.finalize().into()
}

/// RFC 6962 interior node hash: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// A complete subtree: `level` 0 is a leaf; it covers leaves `index << level` up to `(index + 1) << level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Node {
    pub level: u8,
    pub index: u64,
}

/// The complete subtrees that appending leaf `n` (0-based) completes, smallest first: the leaf itself, then each
/// parent whose right edge it is.
pub fn completed_by(n: u64) -> impl Iterator<Item = Node> {
    let levels = (n + 1).trailing_zeros() as u8;
    (0..=levels).map(move |level| Node {
        level,
        index: n >> level,
    })
}

/// The largest power of two strictly below `n` (n >= 2).
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// The hash of leaves `start .. end` (`start` aligned so that every left part is a complete subtree, as it
/// always is in RFC 9162's recursion), from the stored complete subtrees.
fn range_hash<E>(
    start: u64,
    end: u64,
    node: &mut impl FnMut(Node) -> Result<Hash, E>,
) -> Result<Hash, E> {
    let n = end - start;
    if n.is_power_of_two() && start.is_multiple_of(n) {
        return node(Node {
            level: n.trailing_zeros() as u8,
            index: start / n,
        });
    }
    let k = split(n);
    let left = range_hash(start, start + k, node)?;
    let right = range_hash(start + k, end, node)?;
    Ok(node_hash(&left, &right))
}

/// The root of the tree of the first `size` leaves (RFC 9162 MTH).
pub fn root<E>(size: u64, node: &mut impl FnMut(Node) -> Result<Hash, E>) -> Result<Hash, E> {
    if size == 0 {
        return Ok(empty_root());
    }
    range_hash(0, size, node)
}

/// The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1 PATH), leaf side first.
pub fn inclusion_proof<E>(
    index: u64,
    size: u64,
    node: &mut impl FnMut(Node) -> Result<Hash, E>,
) -> Result<Vec<Hash>, E> {
    debug_assert!(index < size);
    let mut path = Vec::new();
    path_of(index, 0, size, node, &mut path)?;
    Ok(path)
}

fn path_of<E>(
    m: u64,
    start: u64,
    end: u64,
    node: &mut impl FnMut(Node) -> Result<Hash, E>,
    out: &mut Vec<Hash>,
) -> Result<(), E> {
    let n = end - start;
    if n <= 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path_of(m, start, start + k, node, out)?;
        out.push(range_hash(start + k, end, node)?);
    } else {
        path_of(m - k, start + k, end, node, out)?;
        out.push(range_hash(start, start + k, node)?);
    }
    Ok(())
}

/// The consistency proof from the tree of `old` leaves to the tree of `new` leaves (RFC 9162 §2.1.4.1
/// PROOF), `0 < old <= new`.
pub fn consistency_proof<E>(
    old: u64,
    new: u64,
    node: &mut impl FnMut(Node) -> Result<Hash, E>,
) -> Result<Vec<Hash>, E> {
    debug_assert!(0 < old && old <= new);
    let mut proof = Vec::new();
    subproof(old, 0, new, true, node, &mut proof)?;
    Ok(proof)
}

fn subproof<E>(
    m: u64,
    start: u64,
    end: u64,
    whole: bool,
    node: &mut impl FnMut(Node) -> Result<Hash, E>,
    out: &mut Vec<Hash>,
) -> Result<(), E> {
    let n = end - start;
    if m == n {
        if !whole {
            out.push(range_hash(start, end, node)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(m, start, start + k, whole, node, out)?;
        out.push(range_hash(start + k, end, node)?);
    } else {
        subproof(m - k, start + k, end, false, node, out)?;
        out.push(range_hash(start, start + k, node)?);
    }
    Ok(())
}

/// RFC 9162 §2.1.3.2: whether `proof` shows the leaf hashed `leaf` at `index` in the tree of `size` leaves whose
/// root is `root`.
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && &r == root
}

/// RFC 9162 §2.1.4.2: whether `proof` shows that the tree of `new` leaves with root `new_root` extends the tree
/// of `old` leaves with root `old_root` (nothing rewritten, only appended).
pub fn verify_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old > new {
        return false;
    }
    if old == new {
        return proof.is_empty() && old_root == new_root;
    }
    if old == 0 {
        return proof.is_empty();
    }
    if proof.is_empty() {
        return false;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let (mut f_n, mut s_n) = (old - 1, new - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && &fr == old_root && &sr == new_root
}

/// The right edge of a tree being read leaf by leaf: the hashes of its complete subtrees, largest first. Enough
/// to give the root at any size without keeping the leaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// (level, hash) of each complete subtree on the right edge, levels strictly decreasing.
    edge: Vec<(u8, Hash)>,
}

impl Frontier {
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf by its hash; returns the complete subtrees it completed, as `completed_by` names them,
    /// with their hashes.
    pub fn push(&mut self, leaf: Hash) -> Vec<(Node, Hash)> {
        let n = self.size;
        let mut completed = vec![(Node { level: 0, index: n }, leaf)];
        let mut hash = leaf;
        let mut level = 0u8;
        while let Some(&(l, left)) = self.edge.last() {
            if l != level {
                break;
            }
            self.edge.pop();
            hash = node_hash(&left, &hash);
            level += 1;
            completed.push((
                Node {
                    level,
                    index: n >> level,
                },
                hash,
            ));
        }
        self.edge.push((level, hash));
        self.size += 1;
        completed
    }

    /// The root of the tree read so far.
    pub fn root(&self) -> Hash {
        let mut it = self.edge.iter().rev();
        let Some(&(_, mut acc)) = it.next() else {
            return empty_root();
        };
        for (_, left) in it {
            acc = node_hash(left, &acc);
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    // The RFC 9162 definitions, written as the RFC writes them, over the list of leaf hashes.
    fn mth(d: &[Hash]) -> Hash {
        match d.len() {
            0 => empty_root(),
            1 => d[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&mth(&d[..k]), &mth(&d[k..]))
            }
        }
    }

    fn rfc_path(m: usize, d: &[Hash]) -> Vec<Hash> {
        let n = d.len();
        if n <= 1 {
            return Vec::new();
        }
        let k = split(n as u64) as usize;
        if m < k {
            let mut p = rfc_path(m, &d[..k]);
            p.push(mth(&d[k..]));
            p
        } else {
            let mut p = rfc_path(m - k, &d[k..]);
            p.push(mth(&d[..k]));
            p
        }
    }

    fn rfc_subproof(m: usize, d: &[Hash], b: bool) -> Vec<Hash> {
        let n = d.len();
        if m == n {
            return if b { Vec::new() } else { vec![mth(d)] };
        }
        let k = split(n as u64) as usize;
        if m <= k {
            let mut p = rfc_subproof(m, &d[..k], b);
            p.push(mth(&d[k..]));
            p
        } else {
            let mut p = rfc_subproof(m - k, &d[k..], false);
            p.push(mth(&d[..k]));
            p
        }
    }

    /// A log of `n` leaves as the store keeps it: every complete subtree, appended leaf by leaf.
    fn stored(n: usize) -> (Vec<Hash>, HashMap<Node, Hash>, Frontier) {
        let mut leaves = Vec::new();
        let mut nodes = HashMap::new();
        let mut frontier = Frontier::default();
        for i in 0..n {
            let leaf = leaf_hash(format!("record {i}").as_bytes());
            leaves.push(leaf);
            let done = frontier.push(leaf);
            assert_eq!(
                done.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
                completed_by(i as u64).collect::<Vec<_>>()
            );
            for (node, hash) in done {
                assert!(nodes.insert(node, hash).is_none(), "{node:?} stored twice");
            }
        }
        (leaves, nodes, frontier)
    }

    fn fetch(nodes: &HashMap<Node, Hash>) -> impl FnMut(Node) -> Result<Hash, String> + '_ {
        move |n| nodes.get(&n).copied().ok_or(format!("{n:?} is not stored"))
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// The test vectors of RFC 6962 implementations (Certificate Transparency's and transparency-dev's): the
    /// roots of the first 1 to 8 of these leaves.
    #[test]
    fn r_v2_roots_match_the_rfc_6962_test_vectors() {
        let leaves = [
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f",
        ];
        let roots = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ];
        let mut frontier = Frontier::default();
        for (leaf, want) in leaves.iter().zip(roots) {
            frontier.push(leaf_hash(&unhex(leaf)));
            assert_eq!(crate::crypto::hex(&frontier.root()), want);
        }
        assert_eq!(
            crate::crypto::hex(&empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn r_v2_appending_stores_about_two_hashes_a_leaf_and_never_changes_one() {
        let (_, nodes, _) = stored(1024);
        assert_eq!(nodes.len(), 2047);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Roots and proofs from stored subtrees equal the RFC's definitions, and both verifiers accept them.
        #[test]
        fn r_v2_roots_and_proofs_equal_the_rfc_9162_definitions(n in 1usize..300, a in 0usize..300, b in 0usize..300) {
            let (leaves, nodes, frontier) = stored(n);
            let mut get = fetch(&nodes);
            let root_n = root(n as u64, &mut get).unwrap();
            prop_assert_eq!(root_n, mth(&leaves));
            prop_assert_eq!(frontier.root(), root_n);
            let index = a % n;
            let path = inclusion_proof(index as u64, n as u64, &mut get).unwrap();
            prop_assert_eq!(&path, &rfc_path(index, &leaves));
            prop_assert!(verify_inclusion(index as u64, n as u64, &leaves[index], &path, &root_n));
            let old = 1 + b % n;
            let root_old = root(old as u64, &mut get).unwrap();
            prop_assert_eq!(root_old, mth(&leaves[..old]));
            let proof = consistency_proof(old as u64, n as u64, &mut get).unwrap();
            prop_assert_eq!(&proof, &rfc_subproof(old, &leaves, true));
            prop_assert!(verify_consistency(old as u64, n as u64, &root_old, &root_n, &proof));
        }

        /// A proof with any hash changed, dropped or added, for another leaf, index, size or root, is refused.
        #[test]
        fn r_v2_a_changed_proof_is_refused(n in 2usize..200, a in 0usize..200, b in 0usize..200, bit in 0usize..256) {
            let (leaves, nodes, _) = stored(n);
            let mut get = fetch(&nodes);
            let root_n = root(n as u64, &mut get).unwrap();
            let index = a % n;
            let path = inclusion_proof(index as u64, n as u64, &mut get).unwrap();
            let flip = |h: &Hash| { let mut h = *h; h[bit / 8] ^= 1 << (bit % 8); h };
            if !path.is_empty() {
                let mut bad = path.clone();
                let at = b % bad.len();
                bad[at] = flip(&bad[at]);
                prop_assert!(!verify_inclusion(index as u64, n as u64, &leaves[index], &bad, &root_n));
                prop_assert!(!verify_inclusion(index as u64, n as u64, &leaves[index], &path[..path.len() - 1], &root_n));
            }
            let mut longer = path.clone();
            longer.push(root_n);
            prop_assert!(!verify_inclusion(index as u64, n as u64, &leaves[index], &longer, &root_n));
            prop_assert!(!verify_inclusion(index as u64, n as u64, &flip(&leaves[index]), &path, &root_n));
            prop_assert!(!verify_inclusion(index as u64, n as u64, &leaves[index], &path, &flip(&root_n)));
            prop_assert!(!verify_inclusion(n as u64, n as u64, &leaves[index], &path, &root_n));
            let other = (index + 1 + b % (n - 1)) % n;
            prop_assert!(!verify_inclusion(other as u64, n as u64, &leaves[index], &path, &root_n) || leaves[other] == leaves[index]);
            let old = 1 + b % (n - 1);
            let root_old = root(old as u64, &mut get).unwrap();
            let proof = consistency_proof(old as u64, n as u64, &mut get).unwrap();
            prop_assert!(!verify_consistency(old as u64, n as u64, &flip(&root_old), &root_n, &proof));
            prop_assert!(!verify_consistency(old as u64, n as u64, &root_old, &flip(&root_n), &proof));
            if !proof.is_empty() {
                let mut bad = proof.clone();
                let at = a % bad.len();
                bad[at] = flip(&bad[at]);
                prop_assert!(!verify_consistency(old as u64, n as u64, &root_old, &root_n, &bad));
            }
        }
    }
}
