//! Decrypting the server password Nova keeps for a server (novaclient's
//! `crypto.decrypt_password`): the guest encrypts it with the keypair's RSA public key
//! (PKCS#1 v1.5 padding) and the metadata service stores it base64-encoded.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};

/// Why a password could not be decrypted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// The stored password is not base64.
    #[error("the server password is not base64")]
    NotBase64,
    /// The key is not an unencrypted RSA private key in PEM form.
    #[error(
        "the private key is not an unencrypted RSA key in PEM form (BEGIN RSA PRIVATE KEY or \
         BEGIN PRIVATE KEY; convert an OpenSSH key with `ssh-keygen -p -m PEM`)"
    )]
    BadKey,
    /// The key does not decrypt the password (another keypair's key, or a corrupt value).
    #[error("the password does not decrypt with this private key")]
    WrongKey,
    /// The decrypted password is not UTF-8.
    #[error("the decrypted password is not text")]
    NotText,
}

/// Decrypts `cipher_b64` (the `password` Nova returns) with the RSA private key in
/// `private_key_pem` (PKCS#1 or PKCS#8 PEM, unencrypted).
pub fn decrypt_password(private_key_pem: &str, cipher_b64: &str) -> Result<String, DecryptError> {
    let compact: String = cipher_b64.split_ascii_whitespace().collect();
    let cipher = STANDARD
        .decode(compact)
        .map_err(|_| DecryptError::NotBase64)?;
    let key = RsaPrivateKey::from_pkcs1_pem(private_key_pem)
        .or_else(|_| RsaPrivateKey::from_pkcs8_pem(private_key_pem))
        .map_err(|_| DecryptError::BadKey)?;
    let plain = key
        .decrypt(Pkcs1v15Encrypt, &cipher)
        .map_err(|_| DecryptError::WrongKey)?;
    String::from_utf8(plain).map_err(|_| DecryptError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A throwaway 1024-bit test key (made for this test, used nowhere else).
    const KEY: &str = include_str!("test-rsa-key.pem");
    /// The same key in PKCS#8 form.
    const KEY_PKCS8: &str = include_str!("test-rsa-key-pkcs8.pem");
    /// `s3cr3t-Pa55` encrypted with the key's public half by `openssl pkeyutl -encrypt`.
    const CIPHER: &str = "Dk30Z1Oc7Z0XeF7hGkg4JEam/rPnXbN2wsZtX7oEaQ3E2y5nwoWk/abm2+Fld7AL4omodu9MYYFl\nFfJT5FS2TlQz7U/YoSuTdgM38Vr3CnCu88VjlyycrOOjThVzpgbAPzJHa3GHouM3b3l2gRGOc8R6\nfM5h9yPRMkjasx6+SxQ=";

    #[test]
    fn decrypts_what_openssl_encrypted_with_either_key_form() {
        assert_eq!(decrypt_password(KEY, CIPHER).expect("pkcs1"), "s3cr3t-Pa55");
        assert_eq!(
            decrypt_password(KEY_PKCS8, CIPHER).expect("pkcs8"),
            "s3cr3t-Pa55"
        );
    }

    #[test]
    fn bad_inputs_are_named() {
        assert!(matches!(
            decrypt_password(KEY, "a*b"),
            Err(DecryptError::NotBase64)
        ));
        assert!(matches!(
            decrypt_password("-----BEGIN OPENSSH PRIVATE KEY-----", CIPHER),
            Err(DecryptError::BadKey)
        ));
        assert!(matches!(
            decrypt_password(KEY, "aGVsbG8="),
            Err(DecryptError::WrongKey)
        ));
    }
}
