//! What a stream server listens on: TCP addresses or a Unix-domain socket. Both give
//! [`Stream`]s and [`Peer`]s, so `tcp serve` and `unix serve` are one server.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::event::{Peer, Process};
use crate::explain::{Role, SocketFile};
use crate::io_error::is_about_a_peer;
use crate::net::unix::{self, BoundUnix, UnixName};
use crate::net::{self, Backoff};
use crate::tls::Stream;

/// Longest pause between failed `accept`s (e.g. out of file descriptors).
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Where a server listens, as planned.
#[derive(Debug, Clone)]
pub enum Bind {
    /// The first of these addresses that can be bound.
    Tcp(Vec<SocketAddr>),
    /// A Unix-domain socket, its file given `mode` (`--socket-mode`).
    Unix { name: UnixName, mode: Option<u32> },
}

impl Bind {
    /// Binds and listens.
    ///
    /// # Errors
    /// No address could be bound, or the Unix socket is in use or cannot be made.
    pub async fn listen(&self) -> color_eyre::Result<Listener> {
        Ok(match self {
            Bind::Tcp(addrs) => Listener::Tcp(net::bind_tcp(addrs).await?),
            Bind::Unix { name, mode } => Listener::Unix {
                bound: unix::bind(name, *mode)?,
                accepted: 0,
            },
        })
    }

    /// The TCP addresses asked for (none for a Unix socket), for `--explain`.
    pub fn addrs(&self) -> &[SocketAddr] {
        match self {
            Bind::Tcp(addrs) => addrs,
            Bind::Unix { .. } => &[],
        }
    }
}

/// A listening socket.
pub enum Listener {
    Tcp(TcpListener),
    Unix {
        bound: BoundUnix,
        /// Clients accepted so far: a Unix client's number, as its [`Peer`] shows it.
        accepted: u64,
    },
}

impl Listener {
    /// The address or socket name listened on (the OS's choice for port 0).
    ///
    /// # Errors
    /// The listener's own address cannot be read.
    pub fn local(&self) -> io::Result<Peer> {
        match self {
            Listener::Tcp(listener) => listener.local_addr().map(Peer::from),
            Listener::Unix { bound, .. } => Ok(bound.name.peer(None)),
        }
    }

    /// What a Unix server did to its socket file, for `--explain`; `None` for TCP.
    pub fn socket_file(&self) -> Option<SocketFile> {
        match self {
            Listener::Tcp(_) => None,
            Listener::Unix { bound, .. } => Some(bound.file),
        }
    }

    /// Whose steps `--explain` tells: a TCP server's, or a Unix server's.
    pub fn role(&self) -> Role {
        match self {
            Listener::Tcp(_) => Role::TcpServer,
            Listener::Unix { .. } => Role::UnixServer,
        }
    }

    /// The next client, and for a Unix client its process. Failed accepts are retried:
    /// at once when only that client is affected, after a doubling pause otherwise
    /// (EMFILE and friends would spin).
    pub async fn accept(&mut self) -> (Stream, Peer, Option<Process>) {
        match self {
            Listener::Tcp(listener) => {
                let (stream, peer) = accept(listener).await;
                (Stream::Plain(stream), peer.into(), None)
            }
            Listener::Unix { bound, accepted } => {
                let (stream, _) = retrying(|| bound.listener.accept()).await;
                *accepted += 1;
                let peer = bound.name.peer(Some(*accepted));
                // A Unix client has no address; the kernel knows which process it is.
                let process = stream.peer_cred().ok().map(|cred| Process {
                    pid: cred.pid(),
                    uid: cred.uid(),
                });
                if let Some(process) = process {
                    tracing::info!(%peer, pid = process.pid, uid = process.uid, "client process");
                }
                (Stream::Unix(stream), peer, process)
            }
        }
    }
}

/// The next client of a TCP listener, retried as [`Listener::accept`] says.
pub async fn accept(listener: &TcpListener) -> (tokio::net::TcpStream, SocketAddr) {
    retrying(|| listener.accept()).await
}

async fn retrying<T, F: Future<Output = io::Result<T>>>(mut accept: impl FnMut() -> F) -> T {
    let mut backoff = Backoff::new(Duration::from_millis(10), MAX_ACCEPT_BACKOFF);
    loop {
        match accept().await {
            Ok(accepted) => return accepted,
            Err(err) if is_about_a_peer(&err) => {
                tracing::debug!(error = %err, "a client left before accept");
            }
            Err(err) => {
                let pause = backoff.next_pause();
                tracing::warn!(error = %crate::io_error::describe(&err), retry_ms = pause.as_millis(), "accept failed");
                tokio::time::sleep(pause).await;
            }
        }
    }
}
