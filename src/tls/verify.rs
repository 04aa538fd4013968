//! How a client decides to trust a server's certificate: the CA roots with a host-name
//! check (the default), exactly one pinned certificate (`--pin`), or nothing at all
//! (`--insecure`). The handshake's signatures are checked in every case, so even
//! `--insecure` talks to whoever holds the certificate's key.
//!
//! A check that fails also notes the fingerprint of the certificate it refused, so the
//! failure can say which `--pin` would trust it.

use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, SignatureScheme};

use super::certs;

/// What makes a server's certificate acceptable.
#[derive(Debug)]
pub enum Trust {
    /// Signed by one of these roots, for the name asked for; or one of the `listed`
    /// certificates itself (the SHA-256 of each `--cacert` certificate), taken as a pin
    /// would be: `openssl req -x509` makes a server's self-signed certificate a CA, which
    /// webpki refuses as a server's own, while curl and openssl take it.
    Roots {
        verifier: Arc<WebPkiServerVerifier>,
        listed: Vec<[u8; 32]>,
    },
    /// Exactly this certificate: the SHA-256 of its DER bytes.
    Pin([u8; 32]),
    /// Any certificate.
    Anything,
    /// No certificate: roots were asked for and the system has none.
    Nobody,
}

/// A [`Trust`] that remembers the fingerprint of the last certificate it refused.
#[derive(Debug)]
pub struct Verifier {
    trust: Trust,
    provider: Arc<CryptoProvider>,
    /// The last certificate refused, for the error message of a failed check. Shared by the
    /// connections of a load run, which all meet the same server.
    seen: Mutex<Option<Seen>>,
}

impl Verifier {
    pub fn new(trust: Trust, provider: Arc<CryptoProvider>) -> Verifier {
        Verifier {
            trust,
            provider,
            seen: Mutex::new(None),
        }
    }

    /// What the last certificate refused was.
    pub fn last_seen(&self) -> Option<Seen> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A server's certificate, as much of it as a failure message names.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub fingerprint: String,
    /// Its issuer is its subject: no CA vouches for it (a throwaway certificate, as
    /// `ncat --ssl -l` and `tcp serve --tls` make).
    pub self_signed: bool,
}

/// The error a pin mismatch is reported as; `tls::describe` recognises it.
#[derive(Debug, thiserror::Error)]
#[error("the certificate is not the pinned one")]
pub struct PinMismatch;

impl Verifier {
    /// Whether the trust takes the certificate, as `verify_server_cert` asks.
    fn check(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match &self.trust {
            Trust::Roots { verifier, listed } => {
                let verdict = verifier.verify_server_cert(
                    end_entity,
                    intermediates,
                    server_name,
                    ocsp_response,
                    now,
                );
                match verdict {
                    Err(err) if listed.contains(&certs::digest(end_entity)) => {
                        tracing::info!(
                            fingerprint = %certs::fingerprint(end_entity),
                            refused = %err,
                            "the server's certificate is itself in --cacert: trusted as --pin \
                             would trust it"
                        );
                        Ok(ServerCertVerified::assertion())
                    }
                    verdict => verdict,
                }
            }
            Trust::Pin(pin) if certs::digest(end_entity) == *pin => {
                Ok(ServerCertVerified::assertion())
            }
            Trust::Pin(_) => Err(Error::InvalidCertificate(CertificateError::Other(
                rustls::OtherError(Arc::new(PinMismatch)),
            ))),
            Trust::Anything => Ok(ServerCertVerified::assertion()),
            Trust::Nobody => Err(Error::InvalidCertificate(CertificateError::UnknownIssuer)),
        }
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let verdict = self.check(end_entity, intermediates, server_name, ocsp_response, now);
        // What a failure message names is worked out for a failure only: a load run meets
        // the same certificate on every connection.
        if verdict.is_err() {
            *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(Seen {
                fingerprint: certs::fingerprint(end_entity),
                self_signed: certs::self_signed(end_entity),
            });
        }
        verdict
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
