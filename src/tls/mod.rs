//! TLS for `tcp serve --tls` and `tcp connect --tls`: rustls through tokio-rustls, with
//! ring as the crypto provider (it builds with the C compiler every Rust machine has; no
//! cmake, no Go). A [`ServerTls`] or [`ClientTls`] is built once from the command line and
//! turns each accepted or connected `TcpStream` into a [`Stream`]; above that, nothing
//! knows whether TLS is on.
//!
//! - `certs.rs`: PEM files, the throwaway certificate, fingerprints.
//! - `verify.rs`: how a client trusts a server (roots, a pin, or nothing).
//! - `stream.rs`: the plain-or-TLS stream.

pub mod certs;
mod stream;
mod verify;

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::server::WebPkiClientVerifier;
use rustls::{AlertDescription, CertificateError, ClientConfig, RootCertStore, ServerConfig};
use tokio::net::TcpStream;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use crate::event::TlsInfo;
pub use certs::Identity;
pub use stream::{StdStream, Stream};
use verify::{PinMismatch, Trust, Verifier};

/// How long a server waits for a client's handshake: a client that connects and says
/// nothing (a plain-TCP client waiting for the seed greeting) is closed after this.
pub const SERVER_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why TLS could not be set up, before any connection.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("{flag} {}: {why}", crate::encoding::shown_path(path))]
    File {
        flag: &'static str,
        path: PathBuf,
        why: String,
    },
    #[error("cannot make a throwaway certificate: {0}")]
    Throwaway(String),
    #[error("{0}")]
    Config(String),
}

/// Why a client's handshake failed, with what to try.
#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    #[error(
        "the certificate of {name} ({addr}) is not signed by a CA this client trusts{system} \
         (a self-signed certificate, or a private CA's): try --cacert FILE with the CA that \
         signed it, --pin {fingerprint} to trust exactly this certificate, or --insecure"
    )]
    UnknownIssuer {
        name: String,
        addr: SocketAddr,
        fingerprint: String,
        /// Said when the system offered no CA certificates at all.
        system: &'static str,
    },
    #[error(
        "the certificate of {addr} is not valid for {name}{presented}: connect by one of its \
         names, or give it with --sni NAME; or trust exactly this certificate with --pin \
         {fingerprint}"
    )]
    WrongName {
        name: String,
        addr: SocketAddr,
        presented: String,
        fingerprint: String,
    },
    #[error(
        "the certificate of {name} ({addr}) has expired or is not yet valid: the server \
         needs a new one (--pin {fingerprint} or --insecure skip the check)"
    )]
    Expired {
        name: String,
        addr: SocketAddr,
        fingerprint: String,
    },
    #[error(
        "the certificate of {addr} is {fingerprint}, not the pinned one: the server changed \
         its certificate (a throwaway one changes at every start), or this is not that server"
    )]
    PinMismatch {
        addr: SocketAddr,
        fingerprint: String,
    },
    #[error(
        "the certificate of {name} ({addr}) is marked as a CA, so it cannot be a server's own \
         certificate (as `openssl req -x509` makes them): trust exactly this certificate with \
         --pin {fingerprint}, or give the server a certificate signed by that CA"
    )]
    CaAsServer {
        name: String,
        addr: SocketAddr,
        fingerprint: String,
    },
    #[error(
        "the certificate of {name} ({addr}) is self-signed (a throwaway or test certificate, \
         as `ncat --ssl -l` makes): trust exactly this certificate with --pin {fingerprint}, \
         or skip the check with --insecure"
    )]
    SelfSigned {
        name: String,
        addr: SocketAddr,
        fingerprint: String,
    },
    #[error(
        "the certificate chain of {name} ({addr}) does not lead to a CA in --cacert {cacert}: \
         give the file of the CA that signed it, --pin {fingerprint} to trust exactly this \
         certificate, or --insecure"
    )]
    NotFromCacert {
        name: String,
        addr: SocketAddr,
        cacert: String,
        fingerprint: String,
    },
    #[error(
        "the certificate of {name} ({addr}) was refused ({why}): if it is a throwaway or \
         test certificate, trust exactly this one with --pin {fingerprint}, or skip the check \
         with --insecure"
    )]
    Certificate {
        name: String,
        addr: SocketAddr,
        why: String,
        fingerprint: String,
    },
    #[error(
        "{addr} did not answer with TLS: is it a plain TCP server? (leave out --tls to talk \
         to it in the clear)"
    )]
    NotTls { addr: SocketAddr },
    #[error("{addr} refused the TLS handshake: {why}")]
    Refused { addr: SocketAddr, why: String },
    #[error(
        "no TLS handshake from {addr} within {after:?}: the server may be busy (a full \
         --max-connections) or not speak TLS; raise --timeout, and leave out --tls only if it \
         speaks plain TCP"
    )]
    Timeout { addr: SocketAddr, after: Duration },
    #[error("TLS handshake with {addr} failed: {why}")]
    Other { addr: SocketAddr, why: String },
}

impl HandshakeError {
    /// Whether trying again would fail the same way: the certificate, or a server that does
    /// not speak TLS. A load run stops at the first such failure rather than repeat it.
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            HandshakeError::UnknownIssuer { .. }
                | HandshakeError::WrongName { .. }
                | HandshakeError::Expired { .. }
                | HandshakeError::PinMismatch { .. }
                | HandshakeError::CaAsServer { .. }
                | HandshakeError::NotFromCacert { .. }
                | HandshakeError::SelfSigned { .. }
                | HandshakeError::Certificate { .. }
                | HandshakeError::NotTls { .. }
        )
    }
}

/// The one crypto provider: ring.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn config_error(err: rustls::Error) -> TlsSetupError {
    TlsSetupError::Config(err.to_string())
}

/// Why a certificate and key could not be used together, with what to check.
fn identity_error(err: rustls::Error) -> TlsSetupError {
    TlsSetupError::Config(match err {
        rustls::Error::InconsistentKeys(_) => "--key is not the key of the first certificate in \
             --cert: the file must start with the certificate of that key, then its CA chain"
            .to_owned(),
        rustls::Error::General(why) if why.contains("failed to parse private key") => {
            "--key holds a key of a kind netdemo's TLS cannot use (it takes RSA, ECDSA P-256 \
             and P-384, and Ed25519 keys)"
                .to_owned()
        }
        // The only certificate parsed here is this side's own (`--cert`), which rustls's
        // message would call a "peer certificate".
        rustls::Error::InvalidCertificate(why) => format!(
            "--cert: the first certificate cannot be used ({}): is it an X.509 certificate \
             in PEM?",
            certificate_problem(&why)
        ),
        other => format!("--cert and --key cannot be used: {other}"),
    })
}

fn alpn_bytes(alpn: &[String]) -> Vec<Vec<u8>> {
    alpn.iter().map(|p| p.as_bytes().to_vec()).collect()
}

fn roots(certs: Vec<CertificateDer<'static>>, flag: &str) -> Result<RootCertStore, TlsSetupError> {
    let mut roots = RootCertStore::empty();
    for cert in certs {
        roots.add(cert).map_err(|err| {
            TlsSetupError::Config(format!(
                "{flag}: a certificate cannot be a trust anchor: {err}"
            ))
        })?;
    }
    Ok(roots)
}

/// A server's TLS side, built once.
pub struct ServerTls {
    acceptor: TlsAcceptor,
    /// The certificate's fingerprint, announced at start so clients can pin it.
    pub fingerprint: String,
    /// Made at start (no `--cert`), so it changes every time.
    pub throwaway: bool,
}

impl std::fmt::Debug for ServerTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerTls")
            .field("fingerprint", &self.fingerprint)
            .field("throwaway", &self.throwaway)
            .finish_non_exhaustive()
    }
}

impl ServerTls {
    /// # Errors
    /// The key does not match the certificate, or a `--client-ca` certificate is unusable.
    pub fn new(
        identity: Identity,
        throwaway: bool,
        client_ca: Option<Vec<CertificateDer<'static>>>,
        alpn: &[String],
        keylog: Option<Arc<KeyLogTo>>,
    ) -> Result<ServerTls, TlsSetupError> {
        let fingerprint = identity.fingerprint();
        let provider = provider();
        let builder = ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(config_error)?;
        let builder = match client_ca {
            Some(certs) => {
                let verifier = WebPkiClientVerifier::builder_with_provider(
                    Arc::new(roots(certs, "--client-ca")?),
                    provider,
                )
                .build()
                .map_err(|err| TlsSetupError::Config(format!("--client-ca: {err}")))?;
                builder.with_client_cert_verifier(verifier)
            }
            None => builder.with_no_client_auth(),
        };
        let mut config = builder
            .with_single_cert(identity.chain, identity.key)
            .map_err(identity_error)?;
        config.alpn_protocols = alpn_bytes(alpn);
        if let Some(keylog) = keylog {
            config.key_log = keylog;
        }
        Ok(ServerTls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            fingerprint,
            throwaway,
        })
    }

    /// The server's side of the handshake, bounded by [`SERVER_HANDSHAKE_TIMEOUT`].
    ///
    /// # Errors
    /// The client did not finish a handshake: why, in words, for the server's log.
    pub async fn accept(
        &self,
        stream: TcpStream,
        tap: Option<Arc<dyn crate::pcapng::Wiretap>>,
    ) -> Result<(Stream, TlsInfo), String> {
        let started = Instant::now();
        let after = SERVER_HANDSHAKE_TIMEOUT;
        let stream = stream::Wire::new(stream, tap);
        match tokio::time::timeout(after, self.acceptor.accept(stream)).await {
            Err(_) => Err(format!("no TLS handshake within {after:?}")),
            Ok(Err(err)) => Err(server_failure(&err)),
            Ok(Ok(tls)) => {
                let (_, conn) = tls.get_ref();
                let info = info(conn, conn.server_name(), started.elapsed());
                Ok((
                    Stream::Tls(Box::new(tokio_rustls::TlsStream::Server(tls))),
                    info,
                ))
            }
        }
    }
}

/// `--keylog FILE` (or SSLKEYLOGFILE): each connection's secrets, appended in the NSS key
/// log format that Wireshark, tshark and browsers share: `LABEL CLIENT_RANDOM SECRET`, in
/// hex, one line each; with `--pcap-secrets`, into the capture too.
pub struct KeyLogTo {
    file: Option<std::sync::Mutex<std::fs::File>>,
    capture: Option<Arc<crate::pcapng::KeyLines>>,
}

impl KeyLogTo {
    /// Opens `path` to append to, creating it readable by its owner only.
    ///
    /// # Errors
    /// The file cannot be opened.
    pub fn open(path: &std::path::Path) -> std::io::Result<KeyLogTo> {
        use std::os::unix::fs::OpenOptionsExt;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        Ok(KeyLogTo {
            file: Some(std::sync::Mutex::new(file)),
            capture: None,
        })
    }

    /// The secrets into a capture only.
    pub fn capture(lines: Arc<crate::pcapng::KeyLines>) -> KeyLogTo {
        KeyLogTo {
            file: None,
            capture: Some(lines),
        }
    }

    /// The secrets into a capture as well as the file.
    pub fn and_capture(mut self, lines: Arc<crate::pcapng::KeyLines>) -> KeyLogTo {
        self.capture = Some(lines);
        self
    }
}

impl std::fmt::Debug for KeyLogTo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyLogTo")
    }
}

impl rustls::KeyLog for KeyLogTo {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        use std::io::Write;
        let line = format!(
            "{label} {} {}\n",
            hex::encode(client_random),
            hex::encode(secret)
        );
        if let Some(lines) = &self.capture {
            lines.add(&line);
        }
        let Some(file) = &self.file else {
            return;
        };
        // One write per line, so lines of two connections never mix; a failure loses
        // that line only, and is said.
        let mut file = file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(err) = file.write_all(line.as_bytes()) {
            tracing::warn!(error = %err, "cannot append to the TLS key log");
        }
    }
}

/// The CAs of `--cacert`, and the file they came from.
pub struct CaFile {
    pub path: PathBuf,
    pub certs: Vec<CertificateDer<'static>>,
}

/// Whom a client trusts.
pub enum ClientTrust {
    /// CA roots: these (`--cacert`), or the system's.
    Roots(Option<CaFile>),
    /// Exactly one certificate (`--pin`).
    Pin([u8; 32]),
    /// Anyone (`--insecure`).
    Anything,
}

/// A client's TLS side, built once and used for every connection.
pub struct ClientTls {
    connector: TlsConnector,
    /// Checked against the certificate, and sent as SNI when it is a DNS name.
    name: ServerName<'static>,
    verifier: Arc<Verifier>,
    /// The system has no CA certificates: said when a check fails.
    no_system_roots: bool,
    /// A client certificate is configured.
    has_identity: bool,
    /// Any certificate is accepted (`--insecure`).
    insecure: bool,
    /// The `--cacert` file, named when a chain does not lead to it.
    cacert: Option<PathBuf>,
}

impl std::fmt::Debug for ClientTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientTls")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl ClientTls {
    /// `name` is what the certificate must be valid for, and the SNI when it is a DNS name.
    ///
    /// # Errors
    /// `name` is neither a DNS name nor an IP address, a `--cacert` certificate is
    /// unusable, or the client certificate and key do not go together.
    pub fn new(
        trust: ClientTrust,
        name: &str,
        identity: Option<Identity>,
        alpn: &[String],
        resume: bool,
        keylog: Option<Arc<KeyLogTo>>,
    ) -> Result<ClientTls, TlsSetupError> {
        let provider = provider();
        let mut no_system_roots = false;
        let insecure = matches!(trust, ClientTrust::Anything);
        let mut cacert = None;
        let mut listed = Vec::new();
        let trust = match trust {
            ClientTrust::Roots(file) => {
                let roots = match file {
                    Some(file) => {
                        listed = file.certs.iter().map(certs::digest).collect();
                        cacert = Some(file.path);
                        roots(file.certs, "--cacert")?
                    }
                    None => {
                        let found = rustls_native_certs::load_native_certs();
                        let mut roots = RootCertStore::empty();
                        roots.add_parsable_certificates(found.certs);
                        roots
                    }
                };
                if roots.is_empty() {
                    no_system_roots = true;
                    Trust::Nobody
                } else {
                    let verifier = WebPkiServerVerifier::builder_with_provider(
                        Arc::new(roots),
                        provider.clone(),
                    )
                    .build()
                    .map_err(|err| TlsSetupError::Config(err.to_string()))?;
                    Trust::Roots { verifier, listed }
                }
            }
            ClientTrust::Pin(pin) => Trust::Pin(pin),
            ClientTrust::Anything => Trust::Anything,
        };
        let verifier = Arc::new(Verifier::new(trust, provider.clone()));
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(config_error)?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone());
        let has_identity = identity.is_some();
        let mut config = match identity {
            Some(identity) => builder
                .with_client_auth_cert(identity.chain, identity.key)
                .map_err(identity_error)?,
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = alpn_bytes(alpn);
        // rustls keeps sessions in memory and resumes them by default, as browsers and
        // curl do; `--tls-resume off` makes every handshake a full one.
        if !resume {
            config.resumption = rustls::client::Resumption::disabled();
        }
        if let Some(keylog) = keylog {
            config.key_log = keylog;
        }
        let name = ServerName::try_from(name.to_owned()).map_err(|_| {
            TlsSetupError::Config(format!(
                "{name:?} is neither a DNS name nor an IP address a certificate can name \
                 (give one with --sni NAME)"
            ))
        })?;
        Ok(ClientTls {
            connector: TlsConnector::from(Arc::new(config)),
            name,
            verifier,
            no_system_roots,
            has_identity,
            insecure,
            cacert,
        })
    }

    /// Whether any certificate is accepted (`--insecure`).
    pub fn insecure(&self) -> bool {
        self.insecure
    }

    /// The client's side of the handshake with `addr`, bounded by `after`.
    ///
    /// # Errors
    /// The handshake failed or took too long: why, and what to try.
    pub async fn connect(
        &self,
        stream: TcpStream,
        addr: SocketAddr,
        after: Duration,
        tap: Option<Arc<dyn crate::pcapng::Wiretap>>,
    ) -> Result<(Stream, TlsInfo), HandshakeError> {
        let started = Instant::now();
        let stream = stream::Wire::new(stream, tap);
        let shake = self.connector.connect(self.name.clone(), stream);
        match tokio::time::timeout(after, shake).await {
            Err(_) => Err(HandshakeError::Timeout { addr, after }),
            Ok(Err(err)) => Err(self.failure(&err, addr)),
            Ok(Ok(tls)) => {
                let (_, conn) = tls.get_ref();
                let sni = match &self.name {
                    ServerName::DnsName(name) => Some(name.as_ref()),
                    _ => None,
                };
                let info = info(conn, sni, started.elapsed());
                Ok((
                    Stream::Tls(Box::new(tokio_rustls::TlsStream::Client(tls))),
                    info,
                ))
            }
        }
    }

    fn failure(&self, err: &io::Error, addr: SocketAddr) -> HandshakeError {
        let name = self.name.to_str().into_owned();
        let seen = self.verifier.last_seen().unwrap_or_default();
        let fingerprint = seen.fingerprint;
        let Some(tls) = rustls_error(err) else {
            return match err.kind() {
                io::ErrorKind::UnexpectedEof => HandshakeError::NotTls { addr },
                _ => HandshakeError::Other {
                    addr,
                    why: crate::io_error::describe(err),
                },
            };
        };
        match tls {
            rustls::Error::InvalidCertificate(cert) => match cert {
                // A CA of the same name but another key (one made anew) fails the signature.
                CertificateError::UnknownIssuer | CertificateError::BadSignature
                    if self.cacert.is_some() =>
                {
                    HandshakeError::NotFromCacert {
                        name,
                        addr,
                        cacert: self
                            .cacert
                            .as_deref()
                            .map(crate::encoding::shown_path)
                            .unwrap_or_default(),
                        fingerprint,
                    }
                }
                CertificateError::UnknownIssuer if seen.self_signed => HandshakeError::SelfSigned {
                    name,
                    addr,
                    fingerprint,
                },
                CertificateError::UnknownIssuer => HandshakeError::UnknownIssuer {
                    name,
                    addr,
                    fingerprint,
                    system: if self.no_system_roots {
                        " (this system has no CA certificates)"
                    } else {
                        ""
                    },
                },
                CertificateError::NotValidForName => HandshakeError::WrongName {
                    name,
                    addr,
                    presented: String::new(),
                    fingerprint,
                },
                CertificateError::NotValidForNameContext { presented, .. } => {
                    HandshakeError::WrongName {
                        name,
                        addr,
                        presented: format!(" (it names {})", plain_names(presented)),
                        fingerprint,
                    }
                }
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. } => HandshakeError::Expired {
                    name,
                    addr,
                    fingerprint,
                },
                CertificateError::Other(other)
                    if other.0.downcast_ref::<PinMismatch>().is_some() =>
                {
                    HandshakeError::PinMismatch { addr, fingerprint }
                }
                // `openssl req -x509` marks its certificates as CAs; webpki will not take
                // one as a server's own, whoever signed it.
                CertificateError::Other(other)
                    if matches!(
                        other.0.downcast_ref::<webpki::Error>(),
                        Some(webpki::Error::CaUsedAsEndEntity)
                    ) =>
                {
                    HandshakeError::CaAsServer {
                        name,
                        addr,
                        fingerprint,
                    }
                }
                other => HandshakeError::Certificate {
                    name,
                    addr,
                    why: certificate_problem(other),
                    fingerprint,
                },
            },
            rustls::Error::InvalidMessage(_)
            | rustls::Error::InappropriateMessage { .. }
            | rustls::Error::InappropriateHandshakeMessage { .. } => {
                HandshakeError::NotTls { addr }
            }
            rustls::Error::AlertReceived(alert) => HandshakeError::Refused {
                addr,
                why: alert_hint(*alert, self.has_identity),
            },
            rustls::Error::NoApplicationProtocol => HandshakeError::Refused {
                addr,
                why: "it accepts none of the --alpn protocols offered".to_owned(),
            },
            other => HandshakeError::Other {
                addr,
                why: other.to_string(),
            },
        }
    }
}

/// What is wrong with a certificate, in words rather than rustls's variant names.
fn certificate_problem(err: &CertificateError) -> String {
    match err {
        CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
            Some(webpki::Error::UnsupportedCertVersion) => {
                "it is an X.509 version 1 certificate, which a CA-checked chain cannot hold"
                    .to_owned()
            }
            Some(webpki::Error::BadDer | webpki::Error::BadDerTime) => {
                "it cannot be parsed".to_owned()
            }
            Some(why) => format!("{why:?}"),
            None => other.to_string(),
        },
        CertificateError::BadEncoding => "it cannot be parsed".to_owned(),
        other => format!("{other:?}"),
    }
}

/// The names a certificate presents, as a person writes them: `localhost, 127.0.0.1`
/// rather than rustls's `DnsName("localhost")`.
fn plain_names(presented: &[String]) -> String {
    presented
        .iter()
        .map(|name| {
            let inner = name
                .split_once('(')
                .map_or(name.as_str(), |(_, rest)| rest.trim_end_matches(')'));
            inner.trim_matches('"').to_owned()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rustls error inside an I/O error from tokio-rustls, if that is what it is.
fn rustls_error(err: &io::Error) -> Option<&rustls::Error> {
    err.get_ref()?.downcast_ref::<rustls::Error>()
}

/// An alert from the peer, in words, with what to try.
fn alert_hint(alert: AlertDescription, has_identity: bool) -> String {
    let hint = match alert {
        AlertDescription::CertificateRequired => {
            ": it requires a client certificate (give --cert FILE --key FILE)"
        }
        AlertDescription::HandshakeFailure if !has_identity => {
            ": it may require a client certificate (--cert FILE --key FILE), or share no TLS \
             version or cipher suite with netdemo (TLS 1.2 and 1.3)"
        }
        AlertDescription::NoApplicationProtocol => {
            ": it accepts none of the --alpn protocols offered"
        }
        AlertDescription::BadCertificate
        | AlertDescription::UnknownCA
        | AlertDescription::CertificateUnknown
        | AlertDescription::UnsupportedCertificate
        | AlertDescription::CertificateExpired
            if has_identity =>
        {
            ": it did not accept this client's certificate (--cert): is it signed by a CA \
             the server trusts, and still valid?"
        }
        AlertDescription::ProtocolVersion => {
            ": it speaks only a TLS version netdemo does not (netdemo speaks TLS 1.2 and 1.3)"
        }
        AlertDescription::HandshakeFailure => {
            ": no TLS version, cipher suite or key exchange in common, or it wants a client \
             certificate"
        }
        _ => "",
    };
    format!("alert {alert:?}{hint}")
}

/// An error from a TLS stream after the handshake, made to say what the peer's alert
/// means (TLS 1.3 servers refuse a client certificate after the client thinks it is in).
fn explain_io(err: io::Error) -> io::Error {
    match rustls_error(&err) {
        Some(rustls::Error::AlertReceived(alert)) => io::Error::new(
            err.kind(),
            format!("the peer ended TLS with {}", alert_hint(*alert, true)),
        ),
        _ => err,
    }
}

/// Why a client's handshake failed, for the server's log.
fn server_failure(err: &io::Error) -> String {
    let Some(tls) = rustls_error(err) else {
        return match err.kind() {
            io::ErrorKind::UnexpectedEof => "the client closed during the handshake".to_owned(),
            _ => crate::io_error::describe(err),
        };
    };
    match tls {
        rustls::Error::InvalidMessage(_)
        | rustls::Error::InappropriateMessage { .. }
        | rustls::Error::InappropriateHandshakeMessage { .. } => {
            "it did not start a TLS handshake (a plain TCP client?)".to_owned()
        }
        rustls::Error::AlertReceived(
            alert @ (AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown),
        ) => format!(
            "it refused this server's certificate (alert {alert:?}): a client must trust it \
             (--cacert, or --pin with the fingerprint printed at start)"
        ),
        rustls::Error::NoCertificatesPresented => {
            "it sent no client certificate, which --client-ca requires".to_owned()
        }
        rustls::Error::InvalidCertificate(why) => format!(
            "its client certificate was refused: {}",
            match why {
                CertificateError::UnknownIssuer =>
                    "it is not signed by a CA in --client-ca".to_owned(),
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    "it has expired".to_owned()
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    "it is not valid yet".to_owned()
                }
                other => other.to_string(),
            }
        ),
        rustls::Error::PeerIncompatible(why) => format!(
            "it shares no TLS version, cipher suite or key exchange with this server \
             (netdemo speaks TLS 1.2 and 1.3): {why:?}"
        ),
        rustls::Error::NoApplicationProtocol => {
            "it offered none of the --alpn protocols this server speaks".to_owned()
        }
        other => other.to_string(),
    }
}

/// What a finished handshake agreed on.
fn info(conn: &rustls::CommonState, sni: Option<&str>, took: Duration) -> TlsInfo {
    let peer = conn.peer_certificates().and_then(|certs| certs.first());
    TlsInfo {
        resumed: conn.handshake_kind() == Some(rustls::HandshakeKind::Resumed),
        version: match conn.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3",
            Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2",
            _ => "unknown",
        },
        cipher: conn
            .negotiated_cipher_suite()
            .and_then(|suite| suite.suite().as_str())
            .unwrap_or("unknown"),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        sni: sni.map(str::to_owned),
        peer_subject: peer.and_then(certs::subject),
        peer_fingerprint: peer.map(certs::fingerprint),
        took,
    }
}
