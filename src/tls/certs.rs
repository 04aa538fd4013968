//! Certificates and keys: PEM files read, a throwaway self-signed certificate made, and
//! SHA-256 fingerprints written and read back in the one form a user copies between a
//! server's stderr and a client's `--pin`.

use std::io::Read;
use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};

use super::TlsSetupError;

/// A certificate chain (leaf first) and the leaf's private key.
pub struct Identity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

impl Identity {
    /// The leaf's fingerprint, as [`fingerprint`] writes it.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.chain[0])
    }
}

/// Reads a PEM certificate chain (`--cert`) and its private key (`--key`: PKCS#8, PKCS#1
/// or SEC1).
///
/// # Errors
/// A file cannot be read, holds no certificate or key, or is not PEM.
pub fn load_identity(cert: &Path, key: &Path) -> Result<Identity, TlsSetupError> {
    let chain = load_certs(cert, "--cert")?;
    let text = read_pem(key, "--key")?;
    refuse_encrypted(key, &text)?;
    let key = PrivateKeyDer::from_pem_slice(&text).map_err(|err| TlsSetupError::File {
        flag: "--key",
        path: key.to_owned(),
        why: pem_problem(&err, "private key"),
    })?;
    Ok(Identity { chain, key })
}

/// The most a PEM file may hold. A long CA bundle is about 250 KiB; anything past a few
/// MiB is not a certificate file (`/dev/zero` would otherwise be read until memory ends).
pub const MAX_PEM_BYTES: u64 = 4 << 20;

/// Reads a PEM file whole: a regular file (a FIFO would block forever, a device may never
/// end) of at most [`MAX_PEM_BYTES`].
///
/// # Errors
/// The file cannot be read, is not a regular file, or is larger than the bound.
pub fn read_pem(path: &Path, flag: &'static str) -> Result<Vec<u8>, TlsSetupError> {
    let problem = |why: String| TlsSetupError::File {
        flag,
        path: path.to_owned(),
        why,
    };
    // Asked before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path).map_err(|err| problem(err.to_string()))?;
    if !meta.is_file() {
        return Err(problem(
            "it is not a regular file (give a PEM file, not a device, FIFO or directory)"
                .to_owned(),
        ));
    }
    let file = std::fs::File::open(path).map_err(|err| problem(err.to_string()))?;
    let mut text = Vec::new();
    file.take(MAX_PEM_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|err| problem(err.to_string()))?;
    if text.len() as u64 > MAX_PEM_BYTES {
        return Err(problem(format!(
            "it is larger than {} MiB, which no certificate or key file is",
            MAX_PEM_BYTES >> 20
        )));
    }
    Ok(text)
}

/// Reads every certificate of a PEM file (`--cert`, `--cacert`, `--client-ca`).
///
/// # Errors
/// The file cannot be read, is not PEM, or holds no certificate.
pub fn load_certs(
    path: &Path,
    flag: &'static str,
) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let problem = |why: String| TlsSetupError::File {
        flag,
        path: path.to_owned(),
        why,
    };
    let text = read_pem(path, flag)?;
    let certs = CertificateDer::pem_slice_iter(&text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| problem(pem_problem(&err, "certificates")))?;
    if certs.is_empty() {
        return Err(problem(
            "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned(),
        ));
    }
    Ok(certs)
}

fn pem_problem(err: &rustls::pki_types::pem::Error, what: &str) -> String {
    use rustls::pki_types::pem::Error;
    match err {
        Error::Io(err) => err.to_string(),
        Error::NoItemsFound => format!("it holds no {what} in PEM form"),
        _ => format!(
            "it is not valid PEM (expected the {what} between -----BEGIN and -----END lines)"
        ),
    }
}

/// An encrypted key cannot be used: netdemo asks for no passphrase. Said before anything
/// else, since PEM parsing would only call it malformed.
fn refuse_encrypted(path: &Path, text: &[u8]) -> Result<(), TlsSetupError> {
    let text = String::from_utf8_lossy(text);
    if text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(TlsSetupError::File {
            flag: "--key",
            path: path.to_owned(),
            why: format!(
                "the key is encrypted, and netdemo asks for no passphrase: decrypt it first \
                 (openssl pkey -in {} -out plain.key)",
                crate::encoding::shown_path(path)
            ),
        });
    }
    Ok(())
}

/// The common name of a throwaway certificate, so a client shows what it met.
pub const THROWAWAY_NAME: &str = "netdemo throwaway certificate";

/// A self-signed certificate for `names` (host names and IP addresses), made now and kept
/// nowhere: a server given no `--cert` uses it, and clients pin its fingerprint.
///
/// # Errors
/// A name is not a valid DNS name (the caller passes only names that resolved).
pub fn throwaway(names: Vec<String>) -> Result<Identity, TlsSetupError> {
    let failed = |err: rcgen::Error| TlsSetupError::Throwaway(err.to_string());
    let mut params = rcgen::CertificateParams::new(names).map_err(failed)?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, THROWAWAY_NAME);
    let key = rcgen::KeyPair::generate().map_err(failed)?;
    let cert = params.self_signed(&key).map_err(failed)?;
    Ok(Identity {
        chain: vec![cert.der().clone()],
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    })
}

/// `sha256:AB:CD:...`: the SHA-256 of a certificate's DER bytes, as openssl's
/// `x509 -fingerprint -sha256` shows it, with the algorithm named.
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    let digest = Sha256::digest(cert.as_ref());
    let hex: Vec<String> = digest.iter().map(|b| format!("{b:02X}")).collect();
    format!("sha256:{}", hex.join(":"))
}

/// The SHA-256 digest in a `--pin`: `sha256:` optional, colons optional, any case, so a
/// fingerprint copied from a server's stderr or from openssl works as it is.
///
/// # Errors
/// Another algorithm is named, or the rest is not 32 bytes of hex.
pub fn parse_pin(text: &str) -> Result<[u8; 32], String> {
    // openssl prints `sha256 Fingerprint=AB:CD:...` (and `SHA256 Fingerprint=`): what
    // follows the `=` is the fingerprint, and what precedes it names the algorithm.
    let (named, trimmed) = match text.trim().rsplit_once('=') {
        Some((named, digits)) => (Some(named.trim()), digits.trim()),
        None => (None, text.trim()),
    };
    if let Some(named) = named {
        let algorithm = named.split_whitespace().next().unwrap_or_default();
        if !algorithm.eq_ignore_ascii_case("sha256") {
            return Err(format!(
                "{algorithm} fingerprints are not supported: give the SHA-256 one \
                 (openssl x509 -noout -fingerprint -sha256 -in CERT)"
            ));
        }
    }
    let hex_part = match trimmed.split_once(':') {
        Some((algorithm, rest)) if !is_hex_byte(algorithm) => {
            if !algorithm.eq_ignore_ascii_case("sha256") {
                return Err(format!(
                    "{algorithm} fingerprints are not supported: give the certificate's \
                     SHA-256 fingerprint (sha256:AB:CD:...)"
                ));
            }
            rest
        }
        _ => trimmed,
    };
    let digits: String = hex_part.chars().filter(|c| *c != ':').collect();
    let bytes = hex::decode(&digits)
        .map_err(|_| format!("{text:?} is not a hex SHA-256 fingerprint (sha256:AB:CD:...)"))?;
    bytes
        .try_into()
        .map_err(|bytes: Vec<u8>| match bytes.len() {
            20 => "that is a SHA-1 fingerprint (20 bytes): give the SHA-256 one (openssl x509 \
               -noout -fingerprint -sha256 -in CERT)"
                .to_owned(),
            n => format!("a SHA-256 fingerprint is 32 bytes, {text:?} has {n} (sha256:AB:CD:...)"),
        })
}

fn is_hex_byte(part: &str) -> bool {
    part.len() == 2 && part.chars().all(|c| c.is_ascii_hexdigit())
}

/// The digest behind a fingerprint, to compare with a pin.
pub fn digest(cert: &CertificateDer<'_>) -> [u8; 32] {
    Sha256::digest(cert.as_ref()).into()
}

/// Whether the certificate names itself as its issuer.
pub fn self_signed(cert: &CertificateDer<'_>) -> bool {
    x509_parser::parse_x509_certificate(cert.as_ref())
        .is_ok_and(|(_, parsed)| parsed.issuer() == parsed.subject())
}

/// The certificate's subject, as `CN=example.com, O=...`, when it parses.
pub fn subject(cert: &CertificateDer<'_>) -> Option<String> {
    let (_, parsed) = x509_parser::parse_x509_certificate(cert.as_ref()).ok()?;
    let subject = parsed.subject().to_string();
    Some(if subject.is_empty() {
        "(empty subject)".to_owned()
    } else {
        subject
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_read_in_every_form_a_fingerprint_is_written() {
        let identity = throwaway(vec!["localhost".to_owned()]).unwrap();
        let shown = identity.fingerprint();
        let want = digest(&identity.chain[0]);
        assert!(shown.starts_with("sha256:"));
        assert_eq!(shown.len(), "sha256:".len() + 32 * 3 - 1);
        assert_eq!(parse_pin(&shown).unwrap(), want);
        let bare = shown.trim_start_matches("sha256:");
        assert_eq!(parse_pin(bare).unwrap(), want);
        assert_eq!(parse_pin(&bare.replace(':', "")).unwrap(), want);
        assert_eq!(parse_pin(&shown.to_lowercase()).unwrap(), want);
        assert_eq!(parse_pin(&format!("SHA256:{bare}")).unwrap(), want);
        // As openssl x509 -fingerprint -sha256 prints it.
        assert_eq!(
            parse_pin(&format!("sha256 Fingerprint={bare}")).unwrap(),
            want
        );
    }

    #[test]
    fn a_bad_pin_says_what_a_pin_looks_like() {
        assert!(parse_pin("sha1:AB:CD").unwrap_err().contains("SHA-256"));
        assert!(
            parse_pin("SHA1 Fingerprint=AB:CD")
                .unwrap_err()
                .contains("SHA1 fingerprints")
        );
        assert!(
            parse_pin(&["AB"; 20].join(":"))
                .unwrap_err()
                .contains("SHA-1")
        );
        assert!(parse_pin("sha256:zz").unwrap_err().contains("not a hex"));
        assert!(parse_pin("sha256:ABCD").unwrap_err().contains("32 bytes"));
        assert!(parse_pin("").unwrap_err().contains("32 bytes"));
    }

    #[test]
    fn a_throwaway_certificate_names_its_subject() {
        let identity = throwaway(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        assert_eq!(
            subject(&identity.chain[0]).unwrap(),
            format!("CN={THROWAWAY_NAME}")
        );
    }
}
