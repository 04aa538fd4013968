//! Where a stream client connects, TCP addresses or a Unix-domain socket, and connecting
//! to it: every stream client (`tcp connect`, `unix connect`, stdio, load and throughput
//! runs) gets a [`Stream`] and a [`Peer`] and never asks which.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::event::Peer;
use crate::explain::Role;
use crate::net::proxy::{self, ProxyUrl, Target};
use crate::net::unix::{self, UnixName};
use crate::net::{self, Narrate, NetError};
use crate::tls::Stream;

/// Where a stream client connects.
#[derive(Debug, Clone)]
pub enum Endpoint {
    Tcp(TcpRoute),
    Unix(UnixName),
}

/// How a TCP client reaches its target.
#[derive(Debug, Clone)]
pub struct TcpRoute {
    /// The first of these addresses that accepts: the target's, or the proxy's.
    pub addrs: Vec<SocketAddr>,
    /// `--source`: where connections leave from.
    pub source: Option<SocketAddr>,
    /// `--proxy`: the proxy `addrs` reach, asked for the target.
    pub proxy: Option<Arc<Proxied>>,
}

impl TcpRoute {
    /// Straight to the first of `addrs` that accepts.
    pub fn direct(addrs: Vec<SocketAddr>) -> TcpRoute {
        TcpRoute {
            addrs,
            source: None,
            proxy: None,
        }
    }
}

/// A proxy and the target it is asked to connect to.
#[derive(Debug, Clone)]
pub struct Proxied {
    pub url: ProxyUrl,
    pub target: Target,
}

impl Endpoint {
    /// The peer to name before connecting (the first address; a socket's path).
    pub fn first_peer(&self) -> Peer {
        match self {
            // A resolved host always has an address (`net::Host::resolve`).
            Endpoint::Tcp(route) => Peer::Inet(route.addrs[0]),
            Endpoint::Unix(name) => name.peer(None),
        }
    }

    /// Whose steps `--explain` tells: a TCP client's, or a Unix client's.
    pub fn client_role(&self) -> Role {
        match self {
            Endpoint::Tcp(_) => Role::TcpClient,
            Endpoint::Unix(_) => Role::UnixClient,
        }
    }
}

/// A connection made, before any TLS handshake.
pub struct Dialed {
    pub stream: Stream,
    pub peer: Peer,
    /// How long the successful connect took.
    pub took: Duration,
}

/// Connects to `endpoint` within `timeout` per attempt. With `wait`, a refused
/// connection (or a socket file not there yet) is retried until `wait` has passed; with
/// `narrate`, each socket and connect step is told.
///
/// # Errors
/// No address accepted the connection, or nothing listens on the socket.
pub async fn dial(
    endpoint: &Endpoint,
    timeout: Duration,
    wait: Option<Duration>,
    narrate: Option<Narrate<'_>>,
) -> Result<Dialed, NetError> {
    match endpoint {
        Endpoint::Tcp(route) => {
            let (mut stream, addr, took) =
                net::connect_tcp_waiting(&route.addrs, route.source, timeout, wait, narrate)
                    .await?;
            // Through a proxy, the connection is made once the proxy has connected onward,
            // and `took` counts that too: it is what the client waits for.
            let took = match &route.proxy {
                Some(proxied) => {
                    let started = tokio::time::Instant::now();
                    proxy::open(&mut stream, &proxied.url, addr, &proxied.target, timeout).await?;
                    took + started.elapsed()
                }
                None => took,
            };
            Ok(Dialed {
                stream: Stream::Plain(stream),
                peer: addr.into(),
                took,
            })
        }
        Endpoint::Unix(name) => {
            let (stream, took) = unix::connect(name, timeout, wait, narrate).await?;
            Ok(Dialed {
                stream: Stream::Unix(stream),
                peer: name.peer(None),
                took,
            })
        }
    }
}
