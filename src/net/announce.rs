//! A server's first words: the `listening on` line with the address the OS granted (and
//! a TLS certificate's fingerprint before it), the socket, bind and listen steps for
//! `--explain`, and a warning when other machines can reach the server. Every server
//! (`tcp serve`, `unix serve`, `udp serve`, the relays, stdio mode) says them the same way.

use std::io;
use std::net::SocketAddr;

use tokio::net::UdpSocket;

use super::listener::{Bind, Listener};
use crate::access::exposure_warning;
use crate::event::Peer;
use crate::explain::{self, Role, SocketFile, Step};
use crate::output::Printer;
use crate::tls::ServerTls;

/// Prints the `listening on` line with the real address (the OS's choice for port 0),
/// after the TLS certificate's fingerprint when there is one, narrates how it came to be
/// (`--explain`) and warns when the address is exposed. `threads`, the threads its
/// connections run on, goes into the JSON event. Returns the address.
pub fn announce(
    local: Peer,
    requested: &[SocketAddr],
    file: Option<SocketFile>,
    printer: &Printer,
    tls: Option<&ServerTls>,
    threads: Option<usize>,
) -> Peer {
    explain_listening(printer, requested, local, file);
    printer.listening_tls(local, tls.map(|tls| tls.fingerprint.as_str()), threads);
    if tls.is_some_and(|tls| tls.throwaway) {
        tracing::info!(
            "the TLS certificate is a throwaway, self-signed one made at start: clients trust \
             it with --pin and the fingerprint above (or --insecure)"
        );
    }
    super::handshake::announce_server(tls, printer);
    // A risk the user must know of: `-q` does not hide it.
    if let Some(warning) = local
        .inet()
        .and_then(|local| exposure_warning(local, "TCP"))
    {
        printer.notice(warning);
    }
    local
}

/// [`announce`] for a stream server's own listener, bound as `bind` asked.
///
/// # Errors
/// The listener's own address cannot be read.
pub fn announce_listener(
    listener: &Listener,
    bind: &Bind,
    printer: &Printer,
    tls: Option<&ServerTls>,
    threads: Option<usize>,
) -> io::Result<Peer> {
    let local = listener.local()?;
    Ok(announce(
        local,
        bind.addrs(),
        listener.socket_file(),
        printer,
        tls,
        threads,
    ))
}

/// `--explain`: the steps `bind` took (socket, bind, listen), with the address granted.
fn explain_listening(
    printer: &Printer,
    requested: &[SocketAddr],
    bound: Peer,
    file: Option<SocketFile>,
) {
    let (role, steps) = match file {
        None => (
            Role::TcpServer,
            explain::bind_steps(requested, bound).to_vec(),
        ),
        Some(file) => (Role::UnixServer, explain::file_steps(bound, file)),
    };
    for step in steps {
        printer.explain(role, step);
    }
    printer.explain(
        role,
        Step::Listen {
            backlog: super::LISTEN_BACKLOG,
        },
    );
}

/// Prints the `listening on` line with the real address, narrates the socket and bind
/// steps (`--explain`) and warns when the address is exposed. Returns the address.
///
/// # Errors
/// The socket's own address cannot be read.
pub fn announce_udp(
    socket: &UdpSocket,
    requested: &[SocketAddr],
    printer: &Printer,
    threads: Option<usize>,
) -> io::Result<SocketAddr> {
    let local = socket.local_addr()?;
    for step in explain::bind_steps(requested, local.into()) {
        printer.explain(Role::UdpServer, step);
    }
    printer.listening_tls(local.into(), None, threads);
    // A risk the user must know of: `-q` does not hide it.
    if let Some(warning) = exposure_warning(local, "UDP") {
        printer.notice(warning);
    }
    Ok(local)
}
