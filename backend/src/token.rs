//! Link tokens: 256 random bits, shown once in the link, stored only as their SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Length of a token in the link: 32 bytes in unpadded base64url.
pub const TOKEN_LEN: usize = 43;

pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether the text can be a token at all; malformed links are answered without a query.
pub fn is_well_formed(token: &str) -> bool {
    token.len() == TOKEN_LEN
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The stored form. A fast hash suffices: tokens carry 256 bits of entropy, so there is
/// nothing to guess, unlike passwords.
pub fn hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// SHA-256 in lower-case hex, e.g. of an imported file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_well_formed_unique_and_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert!(is_well_formed(&a), "{a}");
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), a);
        assert!(!is_well_formed("kurz"));
        assert!(!is_well_formed(&format!("{}!", &a[..42])));
    }
}
