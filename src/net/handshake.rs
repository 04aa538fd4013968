//! The TLS handshake as every TCP program does it (`tcp serve`, `tcp connect`, both
//! stdio sides): shake, then say so (`-v`, `--json`'s `tls` event, `--explain`), or say
//! why not. Without `--tls` a connection passes through untouched.

use std::sync::Arc;
use std::time::Duration;

use crate::event::{Event, Peer, TlsInfo};
use crate::explain::{Role, Step};
use crate::net::dial::{Dialed, Endpoint, dial};
use crate::output::Printer;
use crate::tls::{ClientTls, HandshakeError, ServerTls, Stream};

/// What the hex dump says first when TLS is on, since it shows what netdemo reads and
/// writes, not what crosses the wire.
const PLAINTEXT_NOTE: &str =
    "# TLS: the bytes below are the plaintext inside TLS, not the encrypted bytes on the wire\n";

/// Tells what a finished handshake agreed on.
fn report(printer: &Printer, role: Role, peer: Peer, info: &TlsInfo) {
    printer.event(Event::Tls { peer, info });
    printer.explain(
        role,
        Step::Tls {
            peer,
            version: info.version,
            cipher: info.cipher,
            took: info.took,
        },
    );
}

/// Says, once per program, what a TLS program's hex dump and trust settings mean.
pub fn announce_client(tls: Option<&ClientTls>, printer: &Printer) {
    let Some(tls) = tls else { return };
    if tls.insecure() {
        printer.notice(
            "--insecure: the server's certificate is not verified; anyone on the path can \
             pose as the server",
        );
    }
    if printer.is_dumping() {
        printer.hex_dump(PLAINTEXT_NOTE);
    }
}

/// The server's part of [`announce_client`]: the hex dump's note.
pub fn announce_server(tls: Option<&ServerTls>, printer: &Printer) {
    if tls.is_some() && printer.is_dumping() {
        printer.hex_dump(PLAINTEXT_NOTE);
    }
}

/// A conversation's connection to `endpoint` (`tcp connect`, `unix connect`, stdio mode):
/// dialled with each step narrated (`--explain`), said with `-v`, then shaken when `tls`
/// says so.
///
/// # Errors
/// No address or socket accepted the connection, or the handshake failed.
pub async fn open(
    endpoint: &Endpoint,
    tls: Option<&ClientTls>,
    timeout: Duration,
    wait: Option<Duration>,
    printer: &Printer,
) -> color_eyre::Result<(Stream, Peer)> {
    let narrate = printer.narrator(endpoint.client_role());
    let Dialed { stream, peer, .. } = dial(endpoint, timeout, wait, Some(&narrate)).await?;
    tracing::info!(%peer, "connected");
    let stream = client(tls, stream, peer, timeout, printer).await?;
    Ok((stream, peer))
}

/// A client's connection to `peer`: TLS when `tls` says so, and said so.
///
/// # Errors
/// The handshake failed or took longer than `timeout`.
pub async fn client(
    tls: Option<&ClientTls>,
    stream: Stream,
    peer: Peer,
    timeout: Duration,
    printer: &Printer,
) -> Result<Stream, HandshakeError> {
    // With `--pcap`, what goes over the wire under TLS is the records: recorded there.
    let tap = match (&stream, tls) {
        (Stream::Plain(tcp), Some(_)) => {
            crate::output::capture::below_tls(printer.pcap(), tcp, true)
        }
        _ => None,
    };
    let (stream, info) = shake_tapped(tls, stream, peer, timeout, tap).await?;
    if let Some(info) = info {
        report(printer, Role::TcpClient, peer, &info);
    }
    Ok(stream)
}

/// The one client handshake: TLS over `stream` when `tls` says so, with what it agreed
/// on, and nothing said. A conversation says it ([`client`]); a load run only records it.
///
/// # Errors
/// The handshake failed or took longer than `timeout`.
pub async fn shake(
    tls: Option<&ClientTls>,
    stream: Stream,
    peer: Peer,
    timeout: Duration,
) -> Result<(Stream, Option<TlsInfo>), HandshakeError> {
    shake_tapped(tls, stream, peer, timeout, None).await
}

/// [`shake`], with what records the connection's bytes below TLS.
async fn shake_tapped(
    tls: Option<&ClientTls>,
    stream: Stream,
    peer: Peer,
    timeout: Duration,
    tap: Option<Arc<dyn crate::pcapng::Wiretap>>,
) -> Result<(Stream, Option<TlsInfo>), HandshakeError> {
    match (tls, stream, peer) {
        (Some(tls), Stream::Plain(stream), Peer::Inet(addr)) => {
            let (stream, info) = tls.connect(stream, addr, timeout, tap).await?;
            Ok((stream, Some(info)))
        }
        (tls, stream, _) => {
            // Planning refuses TLS for Unix sockets, so only a plain TCP stream gets here
            // with it.
            debug_assert!(tls.is_none(), "TLS asked for over a Unix socket");
            Ok((stream, None))
        }
    }
}

/// A server's connection from `peer`: TLS when `tls` says so. A client whose handshake
/// fails is logged and dropped (`None`); it never ends the server.
pub async fn server(
    tls: Option<&ServerTls>,
    stream: Stream,
    peer: Peer,
    printer: &Printer,
) -> Option<Stream> {
    let Some(tls) = tls else {
        return Some(stream);
    };
    let stream = match stream {
        Stream::Plain(stream) => stream,
        other => {
            debug_assert!(
                false,
                "TLS asked for over a Unix socket: planning refuses it"
            );
            return Some(other);
        }
    };
    let tap = crate::output::capture::below_tls(printer.pcap(), &stream, false);
    match tls.accept(stream, tap).await {
        Ok((stream, info)) => {
            report(printer, Role::TcpServer, peer, &info);
            Some(stream)
        }
        Err(why) => {
            let error = format!("TLS handshake failed: {why}");
            printer.event(Event::Error {
                peer,
                error: &error,
            });
            None
        }
    }
}
