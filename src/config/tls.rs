//! Planning `--tls` for `tcp serve` and `tcp connect`: the files read, the throwaway
//! certificate made, the trust chosen, and every TLS flag refused where TLS is off.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use color_eyre::eyre::Result;

use crate::cli::{Switch, TlsConnectArgs, TlsServeArgs};
use crate::net::Host;
use crate::pcapng::KeyLines;
use crate::tls::{CaFile, ClientTls, ClientTrust, KeyLogTo, ServerTls, certs};

use super::refuse::{refuse, usage};

/// Each TLS flag that was given, by name, for the "needs --tls" refusal.
fn given_without_tls(flags: &[(&'static str, bool)]) -> Result<()> {
    if let Some((flag, _)) = flags.iter().find(|(_, given)| *given) {
        return Err(usage(format!(
            "{flag} needs --tls (it only applies to TLS connections)"
        )));
    }
    Ok(())
}

/// ALPN protocol names: 1 to 255 bytes each.
fn alpn(protocols: &[String]) -> Result<()> {
    for protocol in protocols {
        if protocol.is_empty() || protocol.len() > 255 {
            return Err(usage(format!(
                "--alpn {protocol:?}: a protocol name is 1 to 255 bytes (e.g. h2, http/1.1)"
            )));
        }
    }
    Ok(())
}

/// The server's TLS side, when `--tls` is given. Without `--cert`, a throwaway certificate
/// names `host` (unless it is a wildcard address), localhost, the loopback addresses and
/// every address the server may bind.
pub(super) fn server(
    args: &TlsServeArgs,
    host: &Host,
    addrs: &[SocketAddr],
    secrets: Option<&Arc<KeyLines>>,
) -> Result<Option<Arc<ServerTls>>> {
    if !args.tls {
        given_without_tls(&[
            ("--cert", args.cert.is_some()),
            ("--key", args.key.is_some()),
            ("--client-ca", args.client_ca.is_some()),
            ("--alpn", !args.alpn.is_empty()),
            ("--keylog", args.keylog.is_some()),
            ("--pcap-secrets", secrets.is_some()),
        ])?;
        return Ok(None);
    }
    alpn(&args.alpn)?;
    let (identity, throwaway) = match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => (certs::load_identity(cert, key).map_err(setup)?, false),
        _ => {
            let mut names = vec![
                "localhost".to_owned(),
                "127.0.0.1".to_owned(),
                "::1".to_owned(),
            ];
            let ip = host.name.parse::<IpAddr>();
            if ip.is_err() && !host.name.contains('%') {
                names.push(host.name.clone());
            }
            for addr in addrs {
                let ip = addr.ip();
                if !ip.is_unspecified() {
                    names.push(ip.to_string());
                }
            }
            names.sort();
            names.dedup();
            (certs::throwaway(names).map_err(setup)?, true)
        }
    };
    let client_ca = args
        .client_ca
        .as_deref()
        .map(|path| certs::load_certs(path, "--client-ca"))
        .transpose()
        .map_err(setup)?;
    let keylog = keylog(args.keylog.as_deref(), secrets)?;
    let tls = ServerTls::new(identity, throwaway, client_ca, &args.alpn, keylog).map_err(setup)?;
    Ok(Some(Arc::new(tls)))
}

/// The client's TLS side, when `--tls` is given. `program` names what runs, for refusals.
pub(super) fn client(
    args: &TlsConnectArgs,
    host: &Host,
    program: &str,
    zero_io: bool,
    secrets: Option<&Arc<KeyLines>>,
) -> Result<Option<Arc<ClientTls>>> {
    if !args.tls {
        given_without_tls(&[
            ("--cacert", args.cacert.is_some()),
            ("--pin", args.pin.is_some()),
            ("--insecure", args.insecure),
            ("--sni", args.sni.is_some()),
            ("--alpn", !args.alpn.is_empty()),
            ("--cert", args.cert.is_some()),
            ("--key", args.key.is_some()),
            ("--tls-resume", args.tls_resume.is_some()),
            ("--keylog", args.keylog.is_some()),
            ("--pcap-secrets", secrets.is_some()),
        ])?;
        return Ok(None);
    }
    refuse(
        zero_io,
        "--tls",
        program,
        "conversations and load runs (-z only connects)",
    )?;
    alpn(&args.alpn)?;
    let trust = if args.insecure {
        ClientTrust::Anything
    } else if let Some(pin) = &args.pin {
        ClientTrust::Pin(certs::parse_pin(pin).map_err(|why| usage(format!("--pin: {why}")))?)
    } else {
        let cas = args
            .cacert
            .as_deref()
            .map(|path| {
                certs::load_certs(path, "--cacert").map(|certs| CaFile {
                    path: path.to_owned(),
                    certs,
                })
            })
            .transpose()
            .map_err(setup)?;
        ClientTrust::Roots(cas)
    };
    let identity = match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => Some(certs::load_identity(cert, key).map_err(setup)?),
        _ => None,
    };
    // A scoped IPv6 address (fe80::1%eth0) is checked as the address without its scope.
    let name = match &args.sni {
        Some(sni) => sni.clone(),
        None => host
            .name
            .split_once('%')
            .map_or(host.name.as_str(), |(ip, _)| ip)
            .to_owned(),
    };
    let resume = args.tls_resume != Some(Switch::Off);
    let keylog = keylog(args.keylog.as_deref(), secrets)?;
    let tls = ClientTls::new(trust, &name, identity, &args.alpn, resume, keylog).map_err(setup)?;
    Ok(Some(Arc::new(tls)))
}

/// Where TLS secrets go: `--keylog FILE`, else the file SSLKEYLOGFILE names (as browsers
/// and curl honour it), opened now so a path that cannot be written fails at start. Said
/// on stderr either way: whoever has the file can read the traffic. With
/// `--pcap-secrets`, they go into the capture too.
fn keylog(
    flag: Option<&std::path::Path>,
    secrets: Option<&Arc<KeyLines>>,
) -> Result<Option<Arc<KeyLogTo>>> {
    if secrets.is_some() {
        tracing::warn!(
            "--pcap-secrets: the capture holds the TLS secrets: whoever reads it can decrypt \
             this traffic"
        );
    }
    let (path, from) = match (flag, std::env::var_os("SSLKEYLOGFILE")) {
        (Some(path), _) => (path.to_owned(), "--keylog"),
        (None, Some(path)) if !path.is_empty() => (std::path::PathBuf::from(path), "SSLKEYLOGFILE"),
        _ => return Ok(secrets.map(|lines| Arc::new(KeyLogTo::capture(lines.clone())))),
    };
    let log = KeyLogTo::open(&path).map_err(|err| {
        color_eyre::eyre::eyre!(
            "cannot open the TLS key log {} ({from}): {err}",
            crate::encoding::shown_path(&path)
        )
    })?;
    tracing::warn!(
        "TLS secrets are appended to {} ({from}): whoever reads it can decrypt this traffic",
        crate::encoding::shown_path(&path)
    );
    Ok(Some(Arc::new(match secrets {
        Some(lines) => log.and_capture(lines.clone()),
        None => log,
    })))
}

fn setup(err: crate::tls::TlsSetupError) -> color_eyre::Report {
    usage(err.to_string())
}
