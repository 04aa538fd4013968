//! Sockets, opened one way everywhere: names resolved, servers bound, clients connected,
//! retries paced, and failures worded. One copy each, used by every program.
//!
//! IP literals never touch the resolver; names go through the system resolver
//! (`/etc/hosts`, then DNS) and every address it returns is kept, so callers try each in
//! turn, as `getaddrinfo`-based tools do.
//!
//! - `announce.rs`: a server's `listening on` line, its bind steps, its exposure warning.
//! - `listener.rs`: a stream server's socket, TCP or Unix, and accepting with back-off.
//! - `dial.rs`: a client's connection to an endpoint, TCP or Unix, each attempt narrated.
//! - `handshake.rs`: TLS on a dialled or accepted stream, said as every program says it.
//! - `unix.rs`: Unix-domain names, binding safely over stale socket files.
//! - `datagram.rs`: a UDP socket opened towards a server, and the tapped socket.
//! - `batch.rs`: many datagrams per system call.

pub mod announce;
pub mod batch;
pub mod datagram;
pub mod dial;
pub mod handshake;
pub mod http;
pub mod listener;
pub mod proxy;
pub mod unix;
pub mod workers;

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use thiserror::Error;
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::time::Instant;

use crate::event::Peer;
use crate::explain::Step;
use crate::framing::FrameError;
use crate::io_error::describe;

/// Where `--explain` narration of a client's socket steps goes, when it is on: the
/// caller's printer, with the caller's role. A callback, so this module needs no printer.
pub type Narrate<'a> = &'a (dyn Fn(Step<'_>) + Sync);

/// Large enough for any UDP datagram (the IPv4 payload limit is 65,507 bytes, IPv6's
/// 65,527), so nothing is ever truncated, unlike the tutorial's `recvfrom(1024)`.
pub const MAX_DATAGRAM: usize = 65_536;

/// `--port`: one port, or an inclusive range such as `8000-8010` (only `tcp connect -z`
/// takes a range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ports {
    pub first: u16,
    pub last: u16,
}

impl Ports {
    pub const fn single(port: u16) -> Ports {
        Ports {
            first: port,
            last: port,
        }
    }

    pub fn is_range(&self) -> bool {
        self.first != self.last
    }

    pub fn iter(&self) -> impl Iterator<Item = u16> + use<> {
        self.first..=self.last
    }
}

impl std::fmt::Display for Ports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_range() {
            write!(f, "{}-{}", self.first, self.last)
        } else {
            write!(f, "{}", self.first)
        }
    }
}

impl std::str::FromStr for Ports {
    type Err = String;

    fn from_str(text: &str) -> Result<Ports, String> {
        let port = |part: &str| {
            part.trim()
                .parse::<u16>()
                .map_err(|_| format!("'{part}' is not a port number (0-65535)"))
        };
        match text.split_once('-') {
            None => Ok(Ports::single(port(text)?)),
            Some((first, last)) => {
                let (first, last) = (port(first)?, port(last)?);
                if first > last {
                    return Err(format!("the range {first}-{last} is empty"));
                }
                Ok(Ports { first, last })
            }
        }
    }
}

/// The address family `-4` / `-6` restrict to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Family {
    #[default]
    Any,
    V4,
    V6,
}

impl Family {
    fn admits(self, addr: &SocketAddr) -> bool {
        match self {
            Family::Any => true,
            Family::V4 => addr.is_ipv4(),
            Family::V6 => addr.is_ipv6(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Family::Any => "IP",
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }
}

/// A host (name or IP literal, without brackets) and the family to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub name: String,
    pub family: Family,
}

impl Host {
    /// Every address of this host with `port`, filtered by the family, never empty.
    ///
    /// # Errors
    /// A malformed host, a name the resolver does not know, or no address of the family.
    pub fn resolve(&self, port: u16) -> Result<Vec<SocketAddr>, NetError> {
        let host = self.name.as_str();
        let found: Vec<SocketAddr> = if let Ok(ip) = host.parse::<IpAddr>() {
            vec![SocketAddr::new(ip, port)]
        } else if let Some(addr) = scoped(host, port)? {
            vec![addr]
        } else if is_host_name(host) {
            // The system resolver, as tokio would call it on a blocking thread: planning
            // runs before any runtime exists.
            std::net::ToSocketAddrs::to_socket_addrs(&(host, port))
                .map_err(|err| NetError::Resolve {
                    host: host.to_owned(),
                    err,
                })?
                .collect()
        } else {
            return Err(NetError::InvalidHost(host.to_owned()));
        };
        let mut addrs: Vec<SocketAddr> = Vec::with_capacity(found.len());
        for addr in found.into_iter().filter(|a| self.family.admits(a)) {
            // Resolvers list an address once per socket type; one entry is enough.
            if !addrs.contains(&addr) {
                addrs.push(addr);
            }
        }
        if addrs.is_empty() {
            return Err(NetError::NoAddress {
                host: host.to_owned(),
                family: self.family.name(),
            });
        }
        Ok(addrs)
    }
}

/// An IPv6 address with a scope id, `fe80::1%eth0` or `fe80::1%2`: link-local addresses
/// name an interface. `None` when `host` has no `%`.
///
/// # Errors
/// The part before `%` is not an IPv6 address, or the interface does not exist.
fn scoped(host: &str, port: u16) -> Result<Option<SocketAddr>, NetError> {
    let Some((ip, zone)) = host.split_once('%') else {
        return Ok(None);
    };
    let invalid = || NetError::InvalidHost(host.to_owned());
    let ip: std::net::Ipv6Addr = ip.parse().map_err(|_| invalid())?;
    let scope = match zone.parse::<u32>() {
        Ok(index) => index,
        Err(_) => {
            let name = std::ffi::CString::new(zone).map_err(|_| invalid())?;
            // SAFETY: if_nametoindex reads a NUL-terminated string we own; 0 means unknown.
            match unsafe { libc::if_nametoindex(name.as_ptr()) } {
                0 => return Err(invalid()),
                index => index,
            }
        }
    };
    Ok(Some(SocketAddr::V6(std::net::SocketAddrV6::new(
        ip, port, 0, scope,
    ))))
}

/// `host:port`, with brackets around an IPv6 address (`[::1]:80`), as URLs, Host headers
/// and proxies write it.
pub fn host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Host name syntax (RFC 1123 letters, digits and hyphens, plus the underscore that real
/// names carry). Checked before resolving so a typo never becomes a DNS query.
pub fn is_host_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Failures to find, bind or reach an address, worded for people rather than errno.
#[derive(Debug, Error)]
pub enum NetError {
    #[error("invalid host '{0}': not an IP address or a host name")]
    InvalidHost(String),
    #[error("cannot resolve host '{host}': {}", describe(.err))]
    Resolve { host: String, err: io::Error },
    #[error("host '{host}' has no {family} address")]
    NoAddress { host: String, family: &'static str },
    #[error("cannot listen on {addr}: {}", describe(.err))]
    Bind { addr: Peer, err: io::Error },
    #[error("cannot connect to {addr}: {}", refused_or_describe(.err, *.addr, "tcp"))]
    Connect { addr: Peer, err: io::Error },
    #[error("cannot connect to {addr}: timed out after {}", humantime::format_duration(*.after))]
    ConnectTimeout { addr: Peer, after: Duration },
    #[error("no reply from {addr} within {}", humantime::format_duration(*.after))]
    ReplyTimeout { addr: Peer, after: Duration },
    #[error(
        "no greeting from {addr} within {}: is it a seed-protocol server? for other services \
         see --mode (echo, stdio){}",
        humantime::format_duration(*.after),
        match addr {
            Peer::Inet(_) => "; a TLS server waits for --tls; a full one (--max-connections) greets when a client leaves",
            Peer::Unix { .. } => "; a full one (--max-connections) greets when a client leaves",
        }
    )]
    NoGreeting { addr: Peer, after: Duration },
    #[error(
        "{addr} sent {bytes} bytes in {} but no complete reply in --framing {framing}: is that \
         the service's framing? (with --delimiter, every reply must end in it)",
        humantime::format_duration(*.after)
    )]
    PartialReply {
        addr: Peer,
        after: Duration,
        bytes: usize,
        framing: &'static str,
    },
    #[error("{addr} closed the connection before replying")]
    ClosedEarly { addr: Peer },
    #[error(
        "{addr} reset the connection instead of closing it: the last reply may have been cut \
         short"
    )]
    ResetAtEnd { addr: Peer },
    #[error("connection to {addr} failed: {}", describe(.err))]
    Io { addr: Peer, err: io::Error },
    #[error("connection to {addr} failed: {err}")]
    Frame { addr: Peer, err: FrameError },
    #[error("cannot send to {addr}: {}", describe(.err))]
    Send { addr: SocketAddr, err: io::Error },
    #[error("cannot read stdin: {0}")]
    Stdin(io::Error),
    #[error("no UDP server at {addr}: {}", refused_or_describe(.err, *.addr, "udp"))]
    Unreachable { addr: SocketAddr, err: io::Error },
    #[error(
        "cannot send from --source {}: {}",
        if addr.port() == 0 { addr.ip().to_string() } else { addr.to_string() },
        source_error(.err)
    )]
    Source { addr: SocketAddr, err: io::Error },
    #[error(transparent)]
    Proxy(#[from] proxy::ProxyError),
}

/// Why a `--source` address cannot be bound, with what to try.
fn source_error(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::AddrNotAvailable => {
            "it is not an address of this machine (see `ip addr`)".to_owned()
        }
        io::ErrorKind::AddrInUse => {
            "the port is in use (leave the port out, or wait for the last connection from it \
             to time out)"
                .to_owned()
        }
        _ => describe(err),
    }
}

/// A refused datagram means nothing listens there, whichever call reported it; any other
/// failure is described by `other`.
pub fn refused_or(
    addr: SocketAddr,
    err: io::Error,
    other: fn(SocketAddr, io::Error) -> NetError,
) -> NetError {
    if err.kind() == io::ErrorKind::ConnectionRefused {
        NetError::Unreachable { addr, err }
    } else {
        other(addr, err)
    }
}

impl NetError {
    /// The cause alone, without the address or a hint: `connection refused`, for lists
    /// where the address is already said.
    pub fn brief(&self) -> String {
        match self {
            NetError::Connect { err, .. } | NetError::Io { err, .. } => {
                let text = describe(err);
                match text.split_once(" (") {
                    Some((cause, _hint)) => cause.to_owned(),
                    None => text,
                }
            }
            NetError::ConnectTimeout { after, .. } => {
                format!("timed out after {}", humantime::format_duration(*after))
            }
            NetError::Proxy(proxy::ProxyError::Target { words, .. }) => {
                format!("{words}, said the proxy")
            }
            other => other.to_string(),
        }
    }

    /// The socket error underneath, if there is one.
    pub fn io(&self) -> Option<&io::Error> {
        match self {
            NetError::Resolve { err, .. }
            | NetError::Bind { err, .. }
            | NetError::Source { err, .. }
            | NetError::Connect { err, .. }
            | NetError::Io { err, .. }
            | NetError::Send { err, .. }
            | NetError::Stdin(err)
            | NetError::Unreachable { err, .. } => Some(err),
            NetError::Frame {
                err: FrameError::Io(err),
                ..
            } => Some(err),
            _ => None,
        }
    }
}

/// A refused connection says what is missing and how to start it; other errors as
/// [`describe`] puts them.
fn refused_or_describe(err: &io::Error, addr: impl Into<Peer>, transport: &str) -> String {
    let addr = addr.into();
    let addr = match addr {
        Peer::Inet(addr) => addr,
        Peer::Unix { path, .. } => return unix_refused_or_describe(err, path),
    };
    if err.kind() != io::ErrorKind::ConnectionRefused {
        return describe(err);
    }
    let ip = addr.ip();
    let host = if ip == IpAddr::V4(Ipv4Addr::LOCALHOST) {
        String::new()
    } else if ip == IpAddr::V6(Ipv6Addr::LOCALHOST) {
        "-6 ".to_owned()
    } else {
        format!("--host {ip} ")
    };
    format!(
        "connection refused: nothing is listening on {addr} (start one with `netdemo {transport} serve {host}--port {}`)",
        addr.port()
    )
}

/// [`refused_or_describe`] for a Unix-domain socket. The kernel says little (a regular
/// file and a dead server's socket both refuse), so the path is looked at to say which.
fn unix_refused_or_describe(err: &io::Error, path: &str) -> String {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let start = format!("start one with `netdemo unix serve --path {path}`");
    if path.starts_with('@') {
        return match err.kind() {
            io::ErrorKind::ConnectionRefused => {
                format!("nothing is listening on that abstract name ({start})")
            }
            _ => describe(err),
        };
    }
    let file = std::path::Path::new(path);
    match (err.kind(), std::fs::metadata(file)) {
        (io::ErrorKind::NotFound, _) => match file.parent() {
            Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => {
                format!(
                    "the directory {} does not exist",
                    crate::encoding::shown_path(dir)
                )
            }
            _ => format!("no socket there ({start})"),
        },
        (io::ErrorKind::ConnectionRefused, Ok(meta)) if !meta.file_type().is_socket() => {
            let kind = if meta.is_dir() {
                "a directory"
            } else if meta.is_file() {
                "a regular file"
            } else {
                "another kind of file"
            };
            format!("it is not a socket but {kind}: is the path right?")
        }
        (io::ErrorKind::ConnectionRefused, _) => format!(
            "nothing is listening on it: the socket file is stale, left by a server that is \
             gone ({start}; it replaces the file)"
        ),
        (io::ErrorKind::PermissionDenied, Ok(meta)) => format!(
            "permission denied: the socket's mode is {:04o} (owner uid {}), which does not let \
             this user connect (connect as its owner, or serve with a wider --socket-mode \
             such as 0660)",
            meta.mode() & 0o7777,
            meta.uid()
        ),
        _ => describe(err),
    }
}

/// Tries `attempt` on each address in order and returns the first success, or the last
/// error when every address failed.
///
/// # Panics
/// Never with addresses from [`Host::resolve`], which is never empty.
pub async fn first_ok<T, F, Fut>(addrs: &[SocketAddr], mut attempt: F) -> Result<T, NetError>
where
    F: FnMut(SocketAddr) -> Fut,
    Fut: Future<Output = Result<T, NetError>>,
{
    let mut last = None;
    for &addr in addrs {
        match attempt(addr).await {
            Ok(value) => return Ok(value),
            Err(err) => {
                tracing::debug!(%addr, error = %err, "address failed, trying the next one");
                last = Some(err);
            }
        }
    }
    // `resolve` never returns an empty list, so at least one attempt ran and failed.
    Err(last.expect("first_ok needs at least one address"))
}

/// TCP keepalive: after this long without a byte either way, the kernel starts probing
/// the peer...
pub const KEEPALIVE_IDLE: Duration = Duration::from_secs(60);
/// ...this often...
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
/// ...and gives up on the connection after this many unanswered probes: a peer that
/// vanished without a FIN or RST (a pulled cable, a crashed host) is found within about
/// 90 s instead of holding its connection forever.
const KEEPALIVE_PROBES: u32 = 3;

/// Turns TCP keepalive on for `stream` (see [`KEEPALIVE_IDLE`]). A failure only costs the
/// probes, so it is logged, not returned.
pub fn keep_alive(stream: &TcpStream) {
    let probes = socket2::TcpKeepalive::new()
        .with_time(KEEPALIVE_IDLE)
        .with_interval(KEEPALIVE_INTERVAL)
        .with_retries(KEEPALIVE_PROBES);
    if let Err(err) = socket2::SockRef::from(stream).set_tcp_keepalive(&probes) {
        tracing::debug!(error = %err, "cannot turn TCP keepalive on");
    }
}

/// Binds a TCP listener on the first address that can be bound.
///
/// # Errors
/// Every address failed; the error is the last one (port in use, address not available...).
pub async fn bind_tcp(addrs: &[SocketAddr]) -> Result<TcpListener, NetError> {
    first_ok(addrs, |addr| async move {
        listen(addr).map_err(|err| NetError::Bind {
            addr: addr.into(),
            err,
        })
    })
    .await
}

/// The listen backlog passed to `listen()`: how many connections the kernel completes
/// and queues while the server is busy (and while `--max-connections` makes clients
/// wait). Set here, not left to a library default (tokio's `bind` passes 128); the
/// kernel caps it at `net.core.somaxconn`.
pub const LISTEN_BACKLOG: u32 = 1024;

/// Whether the peer of a connected stream socket has shut down its sending side, or the
/// socket failed, asked of the kernel without reading (`POLLRDHUP`): data not yet read
/// does not hide the FIN behind it, as a read would.
#[cfg(target_os = "linux")]
pub fn peer_hung_up(fd: std::os::fd::RawFd) -> bool {
    let mut poll = libc::pollfd {
        fd,
        events: libc::POLLRDHUP,
        revents: 0,
    };
    // SAFETY: one pollfd of ours, and a zero timeout: poll only reads the socket's state.
    let ready = unsafe { libc::poll(&mut poll, 1, 0) };
    ready > 0 && poll.revents & (libc::POLLRDHUP | libc::POLLHUP | libc::POLLERR) != 0
}

/// Elsewhere a departed peer is found when its connection is next read.
#[cfg(not(target_os = "linux"))]
pub fn peer_hung_up(_fd: std::os::fd::RawFd) -> bool {
    false
}

/// socket, SO_REUSEADDR (a restarted server need not wait out TIME_WAIT), bind, listen:
/// at once (inside the runtime), with the backlog every netdemo listener has.
///
/// # Errors
/// The address is in use or not this machine's.
pub fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// `count` UDP sockets bound to one address, sharing it with SO_REUSEPORT (the kernel
/// spreads senders over them by address and port). The address is first bound alone, so
/// a port another program holds is refused as in use, never silently shared (SO_REUSEPORT
/// would let another of the same user's servers join it). A count of one binds plainly.
///
/// # Errors
/// Every address failed to bind.
pub async fn bind_udp_group(
    addrs: &[SocketAddr],
    count: usize,
) -> Result<(UdpSocket, Vec<std::net::UdpSocket>), NetError> {
    let first = bind_udp(addrs).await?;
    if count <= 1 {
        return Ok((first, Vec::new()));
    }
    let local = first.local_addr().map_err(|err| NetError::Bind {
        addr: addrs[0].into(),
        err,
    })?;
    drop(first);
    let bind = |_| -> std::io::Result<std::net::UdpSocket> {
        let socket = socket2::Socket::new(
            socket2::Domain::for_address(local),
            socket2::Type::DGRAM,
            Some(socket2::Protocol::UDP),
        )?;
        socket.set_reuse_port(true)?;
        socket.set_nonblocking(true)?;
        socket.bind(&local.into())?;
        Ok(socket.into())
    };
    let mut sockets = (0..count)
        .map(bind)
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(|err| NetError::Bind {
            addr: local.into(),
            err,
        })?;
    let first = UdpSocket::from_std(sockets.remove(0)).map_err(|err| NetError::Bind {
        addr: local.into(),
        err,
    })?;
    Ok((first, sockets))
}

/// Binds a UDP socket on the first address that can be bound.
///
/// # Errors
/// Every address failed; the error is the last one.
pub async fn bind_udp(addrs: &[SocketAddr]) -> Result<UdpSocket, NetError> {
    first_ok(addrs, |addr| async move {
        UdpSocket::bind(addr).await.map_err(|err| NetError::Bind {
            addr: addr.into(),
            err,
        })
    })
    .await
}

/// Connects to the first address that accepts within `timeout`; returns the stream, the
/// address, and how long the successful attempt took. With `narrate`, each attempt is
/// narrated (`--explain`). The stream has `TCP_NODELAY` set: every netdemo client waits
/// for a reply to what it wrote, so Nagle's algorithm could only add delay.
///
/// # Errors
/// Every address refused, failed or timed out; the error is the last one.
pub async fn connect_tcp(
    addrs: &[SocketAddr],
    source: Option<SocketAddr>,
    timeout: Duration,
    narrate: Option<Narrate<'_>>,
) -> Result<(TcpStream, SocketAddr, Duration), NetError> {
    first_ok(addrs, |addr| async move {
        if let Some(narrate) = narrate {
            narrate(Step::Socket { addr: addr.into() });
        }
        let started = Instant::now();
        let attempt = match tokio::time::timeout(timeout, tcp_from(source, addr)).await {
            Ok(Ok(stream)) => Ok((stream, addr, started.elapsed())),
            Ok(Err(err @ NetError::Source { .. })) => Err(err),
            Ok(Err(NetError::Io { err, .. })) => Err(NetError::Connect {
                addr: addr.into(),
                err,
            }),
            Ok(Err(other)) => Err(other),
            Err(_) => Err(NetError::ConnectTimeout {
                addr: addr.into(),
                after: timeout,
            }),
        };
        if let Some(narrate) = narrate {
            let error = attempt.as_ref().err().map(ToString::to_string);
            let took = started.elapsed();
            narrate(Step::Connect {
                addr: addr.into(),
                took,
                error: error.as_deref(),
            });
        }
        if let Ok((stream, addr, _)) = &attempt {
            if let Err(err) = stream.set_nodelay(true) {
                tracing::debug!(peer = %addr, error = %err, "cannot set TCP_NODELAY");
            }
            keep_alive(stream);
        }
        attempt
    })
    .await
}

/// A TCP connection to `addr`, from `source` when given (`--source`: bound first, with
/// SO_REUSEADDR so a fixed port left in TIME_WAIT by the last run can be used again).
async fn tcp_from(source: Option<SocketAddr>, addr: SocketAddr) -> Result<TcpStream, NetError> {
    let io = |err| NetError::Io {
        addr: addr.into(),
        err,
    };
    let Some(source) = source else {
        return TcpStream::connect(addr).await.map_err(io);
    };
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()
    } else {
        tokio::net::TcpSocket::new_v6()
    }
    .map_err(io)?;
    socket
        .set_reuseaddr(true)
        .and_then(|()| socket.bind(source))
        .map_err(|err| NetError::Source { addr: source, err })?;
    socket.connect(addr).await.map_err(io)
}

/// [`connect_tcp`], repeated with [`Backoff`] while `wait` lasts (`--wait`: a server that
/// is starting refuses us until it listens). Returns what the attempt that connected
/// returned.
///
/// # Errors
/// The last failure, once `wait` is over (or at once without it).
pub async fn connect_tcp_waiting(
    addrs: &[SocketAddr],
    source: Option<SocketAddr>,
    timeout: Duration,
    wait: Option<Duration>,
    narrate: Option<Narrate<'_>>,
) -> Result<(TcpStream, SocketAddr, Duration), NetError> {
    let deadline = wait.map(|wait| Instant::now() + wait);
    let mut backoff = Backoff::new(Duration::from_millis(50), Duration::from_secs(1));
    loop {
        match connect_tcp(addrs, source, timeout, narrate).await {
            Ok(connected) => return Ok(connected),
            Err(err) if deadline.is_some_and(|d| Instant::now() < d) => {
                let pause = backoff.next_until(deadline);
                tracing::info!(error = %err, retry_ms = pause.as_millis(), "not listening yet");
                tokio::time::sleep(pause).await;
            }
            Err(err) => return Err(err),
        }
    }
}

/// A UDP socket of the target's family, bound to an ephemeral port (or to `source`,
/// `--source`) and connected to `addr`, so only its replies are received and an ICMP
/// "port unreachable" comes back as a `ConnectionRefused` error.
///
/// # Errors
/// The socket cannot be bound or connected.
pub async fn open_udp(addr: SocketAddr, source: Option<SocketAddr>) -> Result<UdpSocket, NetError> {
    let socket = match source {
        Some(source) => UdpSocket::bind(source)
            .await
            .map_err(|err| NetError::Source { addr: source, err })?,
        None => {
            let local = unspecified(addr);
            UdpSocket::bind(local).await.map_err(|err| NetError::Bind {
                addr: local.into(),
                err,
            })?
        }
    };
    socket
        .connect(addr)
        .await
        .map_err(|err| NetError::Connect {
            addr: addr.into(),
            err,
        })?;
    Ok(socket)
}

/// The unspecified address of `addr`'s family, port 0: what a client binds.
pub fn unspecified(addr: SocketAddr) -> SocketAddr {
    match addr {
        SocketAddr::V4(_) => SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)),
        SocketAddr::V6(_) => SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)),
    }
}

/// A pause that doubles after each failure, up to a ceiling: retrying at once would spin
/// (EMFILE on accept) or hammer a server that is not up yet.
#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
    max: Duration,
}

impl Backoff {
    pub fn new(first: Duration, max: Duration) -> Backoff {
        Backoff { next: first, max }
    }

    /// The pause to take now; the next one is twice as long.
    pub fn next_pause(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(self.max);
        pause
    }

    /// As [`Backoff::next_pause`], but never past `deadline`.
    pub fn next_until(&mut self, deadline: Option<Instant>) -> Duration {
        let pause = self.next_pause();
        match deadline {
            Some(deadline) => pause.min(deadline.saturating_duration_since(Instant::now())),
            None => pause,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(name: &str, family: Family) -> Host {
        Host {
            name: name.to_owned(),
            family,
        }
    }

    #[tokio::test]
    async fn family_mismatch_is_an_error() {
        let err = host("127.0.0.1", Family::V6).resolve(1).unwrap_err();
        assert_eq!(err.to_string(), "host '127.0.0.1' has no IPv6 address");
    }

    #[tokio::test]
    async fn localhost_resolves_from_the_hosts_file() {
        let addrs = host("localhost", Family::V4).resolve(1).unwrap();
        assert!(
            addrs.iter().all(|a| a.ip().is_loopback() && a.is_ipv4()),
            "{addrs:?}"
        );
    }

    #[tokio::test]
    async fn scope_ids_name_an_interface() {
        let addrs = host("fe80::1%lo", Family::Any).resolve(7).unwrap();
        let SocketAddr::V6(addr) = addrs[0] else {
            panic!("{addrs:?}");
        };
        assert_eq!(addr.scope_id(), 1, "lo is interface 1");
        assert!(host("fe80::1%nosuchif0", Family::Any).resolve(7).is_err());
        assert!(host("10.0.0.1%lo", Family::Any).resolve(7).is_err());
    }

    #[tokio::test]
    async fn malformed_host_is_rejected_without_a_lookup() {
        let err = host("exa mple", Family::Any).resolve(1).unwrap_err();
        assert!(matches!(err, NetError::InvalidHost(_)), "{err:?}");
    }

    #[test]
    fn ports_are_one_or_a_range() {
        assert_eq!("80".parse(), Ok(Ports::single(80)));
        assert_eq!(
            "8000-8010".parse(),
            Ok(Ports {
                first: 8000,
                last: 8010
            })
        );
        assert!("8010-8000".parse::<Ports>().is_err());
        assert!("70000".parse::<Ports>().is_err());
        assert!("http".parse::<Ports>().is_err());
        assert_eq!(
            Ports { first: 1, last: 3 }.iter().collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    #[test]
    fn host_name_syntax() {
        assert!(is_host_name("localhost"));
        assert!(is_host_name("my-host_1.example.org."));
        assert!(!is_host_name("a..b"));
        assert!(!is_host_name("bad/host"));
        assert!(!is_host_name(&"a".repeat(64)));
    }

    #[test]
    fn common_errors_read_as_one_line_with_a_hint() {
        let addr = Peer::from("127.0.0.1:9999".parse::<SocketAddr>().unwrap());
        let err = NetError::Bind {
            addr,
            err: io::ErrorKind::AddrInUse.into(),
        };
        let text = err.to_string();
        assert!(text.starts_with("cannot listen on 127.0.0.1:9999: address already in use"));
        assert!(!text.contains('\n'));
        let err = NetError::ConnectTimeout {
            addr,
            after: Duration::from_millis(1500),
        };
        assert_eq!(
            err.to_string(),
            "cannot connect to 127.0.0.1:9999: timed out after 1s 500ms"
        );
    }

    #[test]
    fn refused_ipv6_suggests_dash_six() {
        let err = NetError::Connect {
            addr: Peer::from("[::1]:7001".parse::<SocketAddr>().unwrap()),
            err: io::ErrorKind::ConnectionRefused.into(),
        };
        assert!(
            err.to_string()
                .contains("nothing is listening on [::1]:7001 (start one with `netdemo tcp serve -6 --port 7001`)"),
            "{err}"
        );
    }

    #[test]
    fn backoff_doubles_up_to_its_ceiling() {
        let mut backoff = Backoff::new(Duration::from_millis(10), Duration::from_millis(30));
        let pauses: Vec<u128> = (0..4).map(|_| backoff.next_pause().as_millis()).collect();
        assert_eq!(pauses, [10, 20, 30, 30]);
    }
}
