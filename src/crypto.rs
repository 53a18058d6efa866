//! Digests, RSA keys and signatures (R-A1, R-A3, R-A5): SHA-256, RSASSA-PKCS1-v1_5 with SHA-256, keys as PEM
//! (private PKCS#8, public SubjectPublicKeyInfo).

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::signature::hazmat::PrehashVerifier as _;
use rsa::signature::{SignatureEncoding, Signer as _, Verifier as _};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::tr;

pub const MIN_BITS: usize = 2048;
pub const MAX_BITS: usize = 8192;

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// An officer's public key, as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: RsaPublicKey,
    /// The key as SubjectPublicKeyInfo PEM, the form stored and exported.
    pub pem: String,
}

impl PublicKey {
    /// Reads a SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`) of an RSA key of at least 2048 bits.
    pub fn from_pem(field: &str, text: &str) -> Result<PublicKey> {
        let block = parse_pem(field, text, "PUBLIC KEY")?;
        let key = RsaPublicKey::from_public_key_der(block.contents()).map_err(|e| {
            Error::bad(tr!(
                "err-crypto-not-public-key",
                field = field.to_string(),
                error = e.to_string()
            ))
        })?;
        check_bits(field, key.size() * 8)?;
        Ok(PublicKey::from_key(key))
    }

    fn from_key(key: RsaPublicKey) -> PublicKey {
        let der = key.to_public_key_der().expect("an RSA public key encodes");
        let pem = pem::encode(&pem::Pem::new("PUBLIC KEY", der.as_bytes()));
        PublicKey { key, pem }
    }

    /// SHA-256 of the DER key, in hex: how a key is named in lists and published heads.
    pub fn fingerprint(&self) -> String {
        let der = self
            .key
            .to_public_key_der()
            .expect("an RSA public key encodes");
        hex(&sha256(der.as_bytes()))
    }

    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        if crate::faults::active(crate::faults::Fault::SignatureAlwaysValid) {
            return true;
        }
        let Ok(signature) = Signature::try_from(signature) else {
            return false;
        };
        VerifyingKey::<Sha256>::new(self.key.clone())
            .verify(message, &signature)
            .is_ok()
    }

    /// Verifies a signature made over a message of which only the SHA-256 digest is kept (a direction document
    /// redacted by the retention purge): the same check as `verify`, given the digest instead of the message.
    pub fn verify_digest(&self, digest: &[u8; 32], signature: &[u8]) -> bool {
        if crate::faults::active(crate::faults::Fault::SignatureAlwaysValid) {
            return true;
        }
        let Ok(signature) = Signature::try_from(signature) else {
            return false;
        };
        VerifyingKey::<Sha256>::new(self.key.clone())
            .verify_prehash(digest, &signature)
            .is_ok()
    }
}

/// An officer's private key, loaded to sign.
pub struct PrivateKey {
    signing: SigningKey<Sha256>,
    /// The same key for `ring`, which signs about three times as fast (an allocation signs one direction per
    /// place, R-A3). PKCS#1 v1.5 signatures are deterministic: both give the same bytes. `None` for a key `ring`
    /// does not take (over 4,096 bits), which the first signs.
    fast: Option<ring::signature::RsaKeyPair>,
    public: PublicKey,
}

impl PrivateKey {
    pub fn generate(bits: usize) -> Result<PrivateKey> {
        check_bits("--bits", bits)?;
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), bits)
            .map_err(|e| Error::Internal(tr!("err-crypto-keygen", error = e.to_string())))?;
        Ok(PrivateKey::from_key(key))
    }

    fn from_key(key: RsaPrivateKey) -> PrivateKey {
        let public = PublicKey::from_key(key.to_public_key());
        let fast = key
            .to_pkcs8_der()
            .ok()
            .and_then(|der| ring::signature::RsaKeyPair::from_pkcs8(der.as_bytes()).ok());
        PrivateKey {
            signing: SigningKey::<Sha256>::new(key),
            fast,
            public,
        }
    }

    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`).
    pub fn from_pem(field: &str, text: &str) -> Result<PrivateKey> {
        let block = parse_pem(field, text, "PRIVATE KEY")?;
        let key = RsaPrivateKey::from_pkcs8_der(block.contents()).map_err(|e| {
            Error::bad(tr!(
                "err-crypto-not-private-key",
                field = field.to_string(),
                error = e.to_string()
            ))
        })?;
        check_bits(field, key.size() * 8)?;
        Ok(PrivateKey::from_key(key))
    }

    /// Loads the key file named by `--key`. A file that group or others may read is refused: a signing key is
    /// the officer's alone (R-A1).
    pub fn load(path: &Path) -> Result<PrivateKey> {
        let shown = path.display();
        let unreadable = |e: std::io::Error| {
            Error::bad(tr!(
                "err-crypto-key-unreadable",
                field = "--key",
                path = shown.to_string(),
                error = e.to_string()
            ))
        };
        let meta = fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound(tr!(
                "err-crypto-key-file",
                field = "--key",
                path = shown.to_string()
            )),
            _ => unreadable(e),
        })?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(Error::refused(
                "R-A1",
                tr!(
                    "err-crypto-key-open",
                    field = "--key",
                    path = shown.to_string(),
                    mode = format!("{mode:04o}")
                ),
            ));
        }
        let text = crate::input::read_small("--key", path)?;
        PrivateKey::from_pem(&format!("--key {shown}"), &text)
    }

    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        if let Some(pair) = &self.fast {
            let mut signature = vec![0; pair.public().modulus_len()];
            let signed = pair.sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                message,
                &mut signature,
            );
            if signed.is_ok() {
                return signature;
            }
        }
        self.signing.sign(message).to_vec()
    }

    /// The private key as PKCS#8 PEM.
    fn to_pem(&self) -> String {
        let key: &RsaPrivateKey = self.signing.as_ref();
        let der = key.to_pkcs8_der().expect("an RSA private key encodes");
        pem::encode(&pem::Pem::new("PRIVATE KEY", der.as_bytes()))
    }

    /// Writes `officer.key` (mode 0600) and `officer.pub` into `dir`, refusing to overwrite either. If the
    /// second cannot be written (a full disk), the first is removed: a pair is written whole or not at all.
    pub fn write_pair(&self, dir: &Path) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
        let (key_path, pub_path) = pair_paths(dir)?;
        fs::create_dir_all(dir).map_err(|e| Error::io(format!("--out {}", dir.display()), e))?;
        write_new(&key_path, self.to_pem().as_bytes(), 0o600)?;
        write_new(&pub_path, self.public.pem.as_bytes(), 0o644).inspect_err(|_| {
            let _ = fs::remove_file(&key_path);
        })?;
        Ok((key_path, pub_path))
    }
}

/// The files of a key pair in `dir` (`officer.key`, `officer.pub`), once it is known that they can be written
/// there: `dir` is a directory or does not exist yet, and holds neither file (exit 2 otherwise). Checked
/// before a key is generated, and again as the files are created (never over an existing one).
pub fn pair_paths(dir: &Path) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
    if fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(Error::usage(tr!(
            "err-crypto-out-not-dir",
            path = dir.display().to_string()
        )));
    }
    let key_path = dir.join("officer.key");
    let pub_path = dir.join("officer.pub");
    for p in [&key_path, &pub_path] {
        // A dangling link counts as a file: creating the key through it would write somewhere else.
        if fs::symlink_metadata(p).is_ok() {
            return Err(Error::usage(tr!(
                "err-crypto-key-exists",
                field = "--out",
                path = p.display().to_string()
            )));
        }
    }
    Ok((key_path, pub_path))
}

/// Creates a file that must not exist yet, with the given mode from the start (never readable by others, even
/// for a moment, when the mode says so).
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let shown = path.display().to_string();
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| Error::io(&shown, e))?;
    // A file that could not be written whole (a full disk) is removed: nothing is left half-written.
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| {
            let _ = fs::remove_file(path);
            Error::io(&shown, e)
        })
}

fn parse_pem(field: &str, text: &str, tag: &str) -> Result<pem::Pem> {
    let block = pem::parse(text).map_err(|e| {
        Error::bad(tr!(
            "err-crypto-not-pem",
            field = field.to_string(),
            error = e.to_string()
        ))
    })?;
    if block.tag() != tag {
        return Err(Error::bad(tr!(
            "err-crypto-pem-tag",
            field = field.to_string(),
            expected = tag.to_string(),
            found = block.tag().to_string()
        )));
    }
    Ok(block)
}

fn check_bits(field: &str, bits: usize) -> Result<()> {
    if (MIN_BITS..=MAX_BITS).contains(&bits) {
        Ok(())
    } else {
        Err(Error::bad(tr!(
            "err-crypto-bits",
            field = field.to_string(),
            bits = bits as i64,
            min = MIN_BITS as i64,
            max = MAX_BITS as i64
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let bytes = sha256(b"kezek");
        assert_eq!(unhex(&hex(&bytes)).unwrap(), bytes);
        assert!(unhex("abc").is_none());
        assert!(unhex("zz").is_none());
    }

    /// Both signers give the same RSASSA-PKCS1-v1_5 signature (it is deterministic), and it verifies; a key
    /// `ring` does not take is signed by the other.
    #[test]
    fn r_a3_the_fast_signer_gives_the_same_signature_as_the_reference_one() {
        let key = PrivateKey::generate(2048).unwrap();
        assert!(key.fast.is_some());
        for message in [&b""[..], b"direction DIR-2026-000001", &[0xff; 5000]] {
            let fast = key.sign(message);
            assert_eq!(fast, key.signing.sign(message).to_vec());
            assert!(key.public().verify(message, &fast));
        }
        let large = PrivateKey::generate(4608).unwrap();
        assert!(large.fast.is_none());
        assert!(large.public().verify(b"x", &large.sign(b"x")));
    }

    #[test]
    fn r_a3_signatures_verify_only_for_the_same_message_and_key() {
        let key = PrivateKey::generate(2048).unwrap();
        let other = PrivateKey::generate(2048).unwrap();
        let sig = key.sign(b"document");
        assert!(key.public().verify(b"document", &sig));
        assert!(!key.public().verify(b"documenT", &sig));
        assert!(!other.public().verify(b"document", &sig));
        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert!(!key.public().verify(b"document", &bad));
    }

    /// What a purged direction keeps (the digest of its document) verifies its signature exactly as the
    /// document did, and a digest of any other text does not.
    #[test]
    fn r_a3_a_signature_verifies_against_the_digest_of_the_signed_message() {
        let key = PrivateKey::generate(2048).unwrap();
        let other = PrivateKey::generate(2048).unwrap();
        let sig = key.sign(b"kezek direction v1\nnumber: NAP.2026.000001\n");
        let digest = sha256(b"kezek direction v1\nnumber: NAP.2026.000001\n");
        assert!(key.public().verify_digest(&digest, &sig));
        let wrong = sha256(b"kezek direction v1\nnumber: NAP.2026.000002\n");
        assert!(!key.public().verify_digest(&wrong, &sig));
        assert!(!other.public().verify_digest(&digest, &sig));
        let mut bad = sig.clone();
        bad[0] ^= 1;
        assert!(!key.public().verify_digest(&digest, &bad));
        assert!(!key.public().verify_digest(&digest, &sig[1..]));
    }

    #[test]
    fn r_a1_keys_round_trip_through_pem() {
        let key = PrivateKey::generate(2048).unwrap();
        let again = PrivateKey::from_pem("key", &key.to_pem()).unwrap();
        assert_eq!(again.public(), key.public());
        let public = PublicKey::from_pem("pub", &key.public().pem).unwrap();
        assert_eq!(public.fingerprint(), key.public().fingerprint());
        let err = PublicKey::from_pem("--public-key", &key.to_pem()).unwrap_err();
        assert!(err.to_string().contains("expected a 'PUBLIC KEY'"), "{err}");
    }

    #[test]
    fn r_a1_short_keys_are_refused() {
        assert!(PrivateKey::generate(1024).is_err());
    }
}
