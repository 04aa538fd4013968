//! `--explain`: narrates each socket step on stderr in the tutorial's terms, numbered as
//! the tutorial numbers them (a TCP server has five steps, a TCP client three, UDP three),
//! with the real values: addresses, the port the OS chose, byte counts, and why a
//! connection closed. `--lang zh` uses the tutorial's own Chinese step names. A Unix-domain
//! stream server or client takes the TCP program's steps, with AF_UNIX and a path.

use std::net::SocketAddr;
use std::time::Duration;

use crate::event::{Close, Peer};

/// The narration's language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English
    #[default]
    En,
    /// 中文 (the tutorial's step names)
    Zh,
}

/// Which of the tutorial's programs is speaking: the steps are numbered per program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    TcpServer,
    TcpClient,
    UdpServer,
    UdpClient,
    UnixServer,
    UnixClient,
}

impl Role {
    /// The TCP program whose steps a Unix-domain stream program takes.
    fn steps(self) -> Role {
        match self {
            Role::UnixServer => Role::TcpServer,
            Role::UnixClient => Role::TcpClient,
            role => role,
        }
    }

    /// A stream socket (TCP or Unix) rather than datagrams.
    fn is_stream(self) -> bool {
        !matches!(self, Role::UdpServer | Role::UdpClient)
    }
}

/// One socket step, with the values it used.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// socket(): the address family comes from the address it will bind or connect to.
    Socket {
        addr: Peer,
    },
    /// bind(): `requested` as asked (port 0 lets the OS choose), `bound` as granted.
    Bind {
        requested: Peer,
        bound: Peer,
    },
    Listen {
        backlog: u32,
    },
    /// unlink() of a socket file that a server which is gone left behind, before bind().
    Unlink {
        path: &'a str,
    },
    /// chmod() of a socket file between bind() and listen(): who may connect.
    Chmod {
        path: &'a str,
        mode: u32,
    },
    Accept {
        peer: Peer,
    },
    /// connect() to one address, and how it went.
    Connect {
        addr: Peer,
        took: Duration,
        error: Option<&'a str>,
    },
    Recv {
        peer: Peer,
        bytes: usize,
    },
    Send {
        peer: Peer,
        bytes: usize,
    },
    /// Plaintext read out of TLS records (the recv() calls that brought the records are
    /// not one per message).
    Opened {
        peer: Peer,
        bytes: usize,
    },
    /// Plaintext sealed into TLS records, which send() writes when flushed.
    Sealed {
        peer: Peer,
        bytes: usize,
    },
    /// shutdown(SHUT_WR): we send FIN and can still receive; or the call's error (ENOTCONN
    /// when the peer had closed first).
    HalfClose {
        peer: Peer,
        error: Option<&'a str>,
    },
    /// close(), and why.
    Close {
        peer: Peer,
        why: &'a str,
    },
    /// close() of a server's own socket: it stops.
    Stop {
        addr: Peer,
    },
    /// `--pcap`: what the step before it became in the capture, packets `first` to
    /// `last` (numbered from 1, as Wireshark numbers them); `opening` for a connection's
    /// handshake, which the capture makes up from the socket's addresses.
    Captured {
        first: u64,
        last: u64,
        opening: bool,
    },
    /// A TLS handshake over the connection, done: from here on, what is sent and
    /// received is encrypted on the wire.
    Tls {
        peer: Peer,
        version: &'a str,
        cipher: &'a str,
        took: Duration,
    },
}

impl Step<'_> {
    /// The tutorial's step number for this step in `role`'s program.
    fn number(&self, role: Role) -> u8 {
        use Step::*;
        match (role.steps(), self) {
            (_, Socket { .. } | Bind { .. } | Connect { .. } | Unlink { .. } | Chmod { .. }) => 1,
            (Role::TcpServer, Listen { .. }) => 2,
            (Role::TcpServer, Accept { .. } | Tls { .. }) => 3,
            (_, Tls { .. }) => 1,
            (
                Role::TcpServer,
                Recv { .. } | Send { .. } | Opened { .. } | Sealed { .. } | HalfClose { .. },
            ) => 4,
            (Role::TcpServer, Close { .. } | Stop { .. }) => 5,
            (_, Recv { .. } | Send { .. } | Opened { .. } | Sealed { .. } | HalfClose { .. }) => 2,
            (Role::TcpServer, Captured { opening: true, .. }) => 3,
            (Role::TcpServer, Captured { .. }) => 4,
            (_, Captured { opening: true, .. }) => 1,
            (_, Captured { .. }) => 2,
            (_, Close { .. } | Stop { .. }) => 3,
            (_, Listen { .. } | Accept { .. }) => 2,
        }
    }
}

/// The tutorial's name for step `number` of `role`'s program.
fn step_name(role: Role, number: u8, lang: Lang) -> &'static str {
    match (lang, role, number) {
        (Lang::En, Role::UnixServer, 1) => "create a socket, bind it to a path",
        (Lang::Zh, Role::UnixServer, 1) => "创建Socket，绑定Socket到一个路径",
        (Lang::En, Role::UnixClient, 1) => "create a socket, connect to the server's path",
        (Lang::Zh, Role::UnixClient, 1) => "创建socket，连接服务端的路径",
        (_, Role::UnixServer | Role::UnixClient, _) => step_name(role.steps(), number, lang),
        (Lang::En, Role::TcpServer, 1) => "create a socket, bind it to a local address and port",
        (Lang::En, Role::TcpServer, 2) => "listen for connections",
        (Lang::En, Role::TcpServer, 3) => "accept each client's connection, in a loop",
        (Lang::En, Role::TcpServer, 4) => "receive data and send data back",
        (Lang::En, Role::TcpServer, _) => "done: close the socket",
        (Lang::En, Role::TcpClient, 1) => "create a socket, connect to the remote address",
        (Lang::En, Role::TcpClient, 2) => "once connected, send and receive data",
        (Lang::En, Role::TcpClient, _) => "done: close the socket",
        (Lang::En, Role::UdpServer, 1) => "create a socket, bind it to an address and port",
        (Lang::En, Role::UdpServer, 2) => "receive and send data directly",
        (Lang::En, Role::UdpServer, _) => "close the socket",
        (Lang::En, Role::UdpClient, 1) => "create a socket",
        (Lang::En, Role::UdpClient, 2) => "exchange data with the server directly",
        (Lang::En, Role::UdpClient, _) => "close the socket",
        (Lang::Zh, Role::TcpServer, 1) => "创建Socket，绑定Socket到本地IP与端口",
        (Lang::Zh, Role::TcpServer, 2) => "开始监听连接",
        (Lang::Zh, Role::TcpServer, 3) => "进入循环，不断接收客户端的连接请求",
        (Lang::Zh, Role::TcpServer, 4) => "接收传来的数据，并发送给对方数据",
        (Lang::Zh, Role::TcpServer, _) => "传输完毕，关闭Socket",
        (Lang::Zh, Role::TcpClient, 1) => "创建socket，连接远端地址",
        (Lang::Zh, Role::TcpClient, 2) => "连接后发送数据和接收数据",
        (Lang::Zh, Role::TcpClient, _) => "传输完毕后，关闭Socket",
        (Lang::Zh, Role::UdpServer, 1) => "创建Socket，绑定指定的IP地址和端口",
        (Lang::Zh, Role::UdpServer, 2) => "直接发送数据和接收数据",
        (Lang::Zh, Role::UdpServer, _) => "关闭Socket",
        (Lang::Zh, Role::UdpClient, 1) => "创建socket",
        (Lang::Zh, Role::UdpClient, 2) => "直接与服务端进行数据交换",
        (Lang::Zh, Role::UdpClient, _) => "关闭Socket",
    }
}

fn program(role: Role, lang: Lang) -> (&'static str, u8) {
    match (lang, role) {
        (Lang::En, Role::TcpServer) => ("TCP server", 5),
        (Lang::En, Role::TcpClient) => ("TCP client", 3),
        (Lang::En, Role::UdpServer) => ("UDP server", 3),
        (Lang::En, Role::UdpClient) => ("UDP client", 3),
        (Lang::Zh, Role::TcpServer) => ("TCP 服务端", 5),
        (Lang::Zh, Role::TcpClient) => ("TCP 客户端", 3),
        (Lang::Zh, Role::UdpServer) => ("UDP 服务端", 3),
        (Lang::Zh, Role::UdpClient) => ("UDP 客户端", 3),
        (Lang::En, Role::UnixServer) => ("Unix server", 5),
        (Lang::En, Role::UnixClient) => ("Unix client", 3),
        (Lang::Zh, Role::UnixServer) => ("Unix 服务端", 5),
        (Lang::Zh, Role::UnixClient) => ("Unix 客户端", 3),
    }
}

/// The narration line for `step`, without a trailing newline.
pub fn line(role: Role, step: &Step<'_>, lang: Lang) -> String {
    let number = step.number(role);
    let (who, steps) = program(role, lang);
    let name = step_name(role, number, lang);
    let header = match lang {
        Lang::En => format!("[{who} {number}/{steps}: {name}]"),
        Lang::Zh => format!("[{who} 第{number}/{steps}步：{name}]"),
    };
    format!("{header} {}", what(step, role, lang))
}

fn what(step: &Step<'_>, role: Role, lang: Lang) -> String {
    let tcp = role.is_stream();
    let kind = match role {
        Role::UnixServer | Role::UnixClient => "SOCK_STREAM",
        Role::TcpServer | Role::TcpClient => "SOCK_STREAM (TCP)",
        Role::UdpServer | Role::UdpClient => "SOCK_DGRAM (UDP)",
    };
    match (lang, *step) {
        (
            Lang::En,
            Step::Bind {
                bound: Peer::Unix { path, .. },
                ..
            },
        ) if path.starts_with('@') => {
            format!("bind({path}): a name in Linux's abstract namespace, with no file")
        }
        (
            Lang::En,
            Step::Bind {
                bound: Peer::Unix { path, .. },
                ..
            },
        ) => format!("bind({path}): the socket is now a file at that path"),
        (
            Lang::Zh,
            Step::Bind {
                bound: Peer::Unix { path, .. },
                ..
            },
        ) if path.starts_with('@') => format!("bind({path})：Linux 抽象命名空间中的名字，没有文件"),
        (
            Lang::Zh,
            Step::Bind {
                bound: Peer::Unix { path, .. },
                ..
            },
        ) => format!("bind({path})：套接字现在是该路径上的一个文件"),
        (
            Lang::En | Lang::Zh,
            Step::Bind {
                requested: Peer::Inet(requested),
                bound: Peer::Inet(bound),
            },
        ) => inet_bind(requested, bound, lang),
        (_, Step::Bind { bound, .. }) => format!("bind({bound})"),
        (Lang::En, Step::Socket { addr }) => {
            format!("socket({}, {kind})", family(addr))
        }
        (Lang::Zh, Step::Socket { addr }) => {
            format!("socket({}, {kind})：创建套接字", family(addr))
        }
        (Lang::En, Step::Unlink { path }) => format!(
            "unlink({path}): a socket file left by a server that is gone (connecting to it was \
             refused), removed so bind() can make it anew"
        ),
        (Lang::Zh, Step::Unlink { path }) => {
            format!(
                "unlink({path})：已不存在的服务端留下的套接字文件（连接被拒绝），删除后 bind() 才能重新创建"
            )
        }
        (Lang::En, Step::Chmod { path, mode }) => format!(
            "chmod({path}, {mode:04o}): who may connect, set before listen() so no client gets \
             in under the umask's permissions"
        ),
        (Lang::Zh, Step::Chmod { path, mode }) => format!(
            "chmod({path}, {mode:04o})：谁可以连接；在 listen() 之前设置，客户端无法趁默认权限连入"
        ),
        (Lang::En, Step::Listen { backlog }) => format!(
            "listen(backlog {backlog}): clients can connect now; up to {backlog} wait in the queue until accepted"
        ),
        (Lang::Zh, Step::Listen { backlog }) => {
            format!(
                "listen(backlog {backlog})：客户端现在可以连接，最多 {backlog} 个在队列中等待 accept"
            )
        }
        (
            Lang::En,
            Step::Tls {
                peer,
                version,
                cipher,
                took,
            },
        ) => format!(
            "TLS handshake with {peer}: {version}, {cipher}, in {}; from here on send() and \
             recv() carry encrypted records, and what is shown is the plaintext inside them",
            micros(took)
        ),
        (
            Lang::Zh,
            Step::Tls {
                peer,
                version,
                cipher,
                took,
            },
        ) => format!(
            "与 {peer} 完成 TLS 握手：{version}，{cipher}，用时 {}；此后 send() 与 recv() \
             传送的是加密记录，显示的是其中的明文",
            micros(took)
        ),
        (Lang::En, Step::Connect { addr, .. }) if role == Role::UdpClient => format!(
            "connect({addr}): nothing is sent; the socket now sends to that address alone, \
             takes datagrams from it alone, and has the local address of its route"
        ),
        (Lang::Zh, Step::Connect { addr, .. }) if role == Role::UdpClient => format!(
            "connect({addr})：不发送任何数据；此后套接字只向该地址发送、只接收它的数据报，并取得路由对应的本地地址"
        ),
        (Lang::En, Step::Accept { peer }) => format!("accept() -> a new connection from {peer}"),
        (Lang::Zh, Step::Accept { peer }) => format!("accept() -> 来自 {peer} 的新连接"),
        (
            Lang::En,
            Step::Connect {
                addr,
                took,
                error: None,
            },
        ) => {
            format!("connect({addr}): connected in {}", micros(took))
        }
        (
            Lang::En,
            Step::Connect {
                addr,
                took,
                error: Some(error),
            },
        ) => {
            format!("connect({addr}) failed after {}: {error}", micros(took))
        }
        (
            Lang::Zh,
            Step::Connect {
                addr,
                took,
                error: None,
            },
        ) => {
            format!("connect({addr})：用时 {} 连接成功", micros(took))
        }
        (
            Lang::Zh,
            Step::Connect {
                addr,
                took,
                error: Some(error),
            },
        ) => {
            format!("connect({addr})：{} 后失败：{error}", micros(took))
        }
        (Lang::En, Step::Recv { peer, bytes: 0 }) => {
            format!("recv() -> 0 bytes: {peer} closed its side (end-of-stream)")
        }
        (Lang::Zh, Step::Recv { peer, bytes: 0 }) => {
            format!("recv() -> 0 字节：{peer} 关闭了它的发送端（EOF）")
        }
        (Lang::En, Step::Opened { peer, bytes: 0 }) => {
            format!("TLS: end of stream from {peer} (its records, read by recv(), are done)")
        }
        (Lang::Zh, Step::Opened { peer, bytes: 0 }) => {
            format!("TLS：{peer} 的数据流结束（recv() 读到的记录已结束）")
        }
        (Lang::En, Step::Opened { peer, bytes }) => format!(
            "TLS: {bytes} {} of plaintext opened from {peer}'s records (recv() read the \
             records, not one call per message)",
            unit(bytes)
        ),
        (Lang::Zh, Step::Opened { peer, bytes }) => {
            format!(
                "TLS：从 {peer} 的加密记录中解出 {bytes} 字节明文（记录由 recv() 读入，并非每条消息一次调用）"
            )
        }
        (Lang::En, Step::Sealed { peer, bytes }) => format!(
            "TLS: {bytes} {} of plaintext sealed into records for {peer} (send() writes the \
             records when they are flushed, not one call per message)",
            unit(bytes)
        ),
        (Lang::Zh, Step::Sealed { peer, bytes }) => {
            format!(
                "TLS：{bytes} 字节明文封装为发给 {peer} 的加密记录（记录在刷新时由 send() 写出，并非每条消息一次调用）"
            )
        }
        // The UDP server reads and answers datagrams in batches (net/batch.rs): a call
        // can carry several, each narrated on its own.
        (Lang::En, Step::Recv { peer, bytes }) if role == Role::UdpServer => format!(
            "{RECV_BATCH}() -> a datagram of {bytes} {} from {peer}",
            unit(bytes)
        ),
        (Lang::Zh, Step::Recv { peer, bytes }) if role == Role::UdpServer => {
            format!("{RECV_BATCH}() -> 一个 {bytes} 字节的数据报，来自 {peer}")
        }
        (Lang::En, Step::Send { peer, bytes }) if role == Role::UdpServer => format!(
            "{SEND_BATCH}() -> a datagram of {bytes} {} to {peer}",
            unit(bytes)
        ),
        (Lang::Zh, Step::Send { peer, bytes }) if role == Role::UdpServer => {
            format!("{SEND_BATCH}() -> 一个 {bytes} 字节的数据报，发给 {peer}")
        }
        // A connected UDP socket: the calls name no address (strace shows NULL).
        (Lang::En, Step::Recv { peer, bytes }) if role == Role::UdpClient => format!(
            "recvfrom() -> {bytes} {} from {peer} (no address asked for: a connected socket \
             takes datagrams from that peer only)",
            unit(bytes)
        ),
        (Lang::Zh, Step::Recv { peer, bytes }) if role == Role::UdpClient => {
            format!(
                "recvfrom() -> 收到 {bytes} 字节，来自 {peer}（未取地址：已连接的套接字只收该对端的数据报）"
            )
        }
        (Lang::En, Step::Send { peer, bytes }) if role == Role::UdpClient => format!(
            "sendto() -> {bytes} {} to {peer} (no address given: the socket is connected to it)",
            unit(bytes)
        ),
        (Lang::Zh, Step::Send { peer, bytes }) if role == Role::UdpClient => {
            format!("sendto() -> 发送 {bytes} 字节给 {peer}（未给地址：套接字已连接到它）")
        }
        (Lang::En, Step::Recv { peer, bytes }) => {
            format!(
                "{}() -> {bytes} {} from {peer}",
                recv_call(tcp),
                unit(bytes)
            )
        }
        (Lang::Zh, Step::Recv { peer, bytes }) => {
            format!("{}() -> 收到 {bytes} 字节，来自 {peer}", recv_call(tcp))
        }
        (Lang::En, Step::Send { peer, bytes }) => {
            format!("{}() -> {bytes} {} to {peer}", send_call(tcp), unit(bytes))
        }
        (Lang::Zh, Step::Send { peer, bytes }) => {
            format!("{}() -> 发送 {bytes} 字节给 {peer}", send_call(tcp))
        }
        (
            Lang::En,
            Step::HalfClose {
                peer,
                error: Some(error),
            },
        ) => format!(
            "shutdown(SHUT_WR) failed: {error}: {peer} had closed the connection first, so no \
             end-of-stream was sent"
        ),
        (
            Lang::Zh,
            Step::HalfClose {
                peer,
                error: Some(error),
            },
        ) => format!("shutdown(SHUT_WR) 失败：{error}：{peer} 已先关闭连接，没有发送流结束"),
        // A Unix stream has no FIN: the peer reads end-of-stream all the same.
        (
            Lang::En,
            Step::HalfClose {
                peer: peer @ Peer::Unix { .. },
                ..
            },
        ) => format!(
            "shutdown(SHUT_WR): end-of-stream sent to {peer}; nothing more to send, still receiving"
        ),
        (
            Lang::Zh,
            Step::HalfClose {
                peer: peer @ Peer::Unix { .. },
                ..
            },
        ) => format!("shutdown(SHUT_WR)：向 {peer} 发送流结束（EOF），不再发送，仍可接收"),
        (Lang::En, Step::HalfClose { peer, .. }) => {
            format!("shutdown(SHUT_WR): FIN sent to {peer}; nothing more to send, still receiving")
        }
        (Lang::Zh, Step::HalfClose { peer, .. }) => {
            format!("shutdown(SHUT_WR)：向 {peer} 发送 FIN，不再发送，仍可接收")
        }
        (Lang::En, Step::Close { peer, why }) => format!("close() the socket with {peer}: {why}"),
        (Lang::Zh, Step::Close { peer, why }) => format!("close() 与 {peer} 的套接字：{why}"),
        (
            Lang::En,
            Step::Stop {
                addr: addr @ Peer::Unix { path, .. },
            },
        ) if !path.starts_with('@') => {
            format!("close() the server's socket on {addr} and unlink() its file: the server stops")
        }
        (
            Lang::Zh,
            Step::Stop {
                addr: addr @ Peer::Unix { path, .. },
            },
        ) if !path.starts_with('@') => {
            format!("close() {addr} 上的服务端套接字并 unlink() 其文件：服务端停止")
        }
        (Lang::En, Step::Stop { addr }) => {
            format!("close() the server's socket on {addr}: the server stops")
        }
        (Lang::Zh, Step::Stop { addr }) => format!("close() {addr} 上的服务端套接字：服务端停止"),
        (
            Lang::En,
            Step::Captured {
                first,
                last,
                opening: true,
            },
        ) => format!(
            "--pcap: packets {first}-{last} of the capture are this connection's handshake \
             (SYN, SYN-ACK, ACK), made up from the socket's addresses: the kernel's own are \
             not seen by the program"
        ),
        (
            Lang::Zh,
            Step::Captured {
                first,
                last,
                opening: true,
            },
        ) => format!(
            "--pcap：抓包文件的第 {first}-{last} 个包是这个连接的握手（SYN、SYN-ACK、ACK），\
             由套接字的地址生成：程序看不到内核自己的握手包"
        ),
        (Lang::En, Step::Captured { first, last, .. }) if first == last => {
            format!("--pcap: that is packet {first} of the capture")
        }
        (Lang::Zh, Step::Captured { first, last, .. }) if first == last => {
            format!("--pcap：即抓包文件的第 {first} 个包")
        }
        (Lang::En, Step::Captured { first, last, .. }) => format!(
            "--pcap: that is packets {first}-{last} of the capture (one IP packet holds at \
             most 65,495 bytes of TCP data)"
        ),
        (Lang::Zh, Step::Captured { first, last, .. }) => format!(
            "--pcap：即抓包文件的第 {first}-{last} 个包（一个 IP 包最多装 65,495 字节 TCP 数据）"
        ),
    }
}

fn family(addr: Peer) -> &'static str {
    match addr {
        Peer::Inet(addr) if addr.is_ipv4() => "AF_INET (IPv4)",
        Peer::Inet(_) => "AF_INET6 (IPv6)",
        Peer::Unix { .. } => "AF_UNIX",
    }
}

/// bind() of an IP address: port 0 means the OS chose one.
fn inet_bind(requested: SocketAddr, bound: SocketAddr, lang: Lang) -> String {
    match lang {
        _ if requested.port() != 0 => format!("bind({bound})"),
        Lang::En => format!(
            "bind({requested}): port 0, so the OS chose port {}: bound to {bound}",
            bound.port()
        ),
        Lang::Zh => format!(
            "bind({requested})：端口为 0，由系统选择了端口 {}，绑定到 {bound}",
            bound.port()
        ),
    }
}

/// The calls the UDP server receives and sends with (net/batch.rs).
#[cfg(target_os = "linux")]
const RECV_BATCH: &str = "recvmmsg";
#[cfg(target_os = "linux")]
const SEND_BATCH: &str = "sendmmsg";
#[cfg(not(target_os = "linux"))]
const RECV_BATCH: &str = "recvfrom";
#[cfg(not(target_os = "linux"))]
const SEND_BATCH: &str = "sendto";

fn recv_call(tcp: bool) -> &'static str {
    if tcp { "recv" } else { "recvfrom" }
}

fn send_call(tcp: bool) -> &'static str {
    if tcp { "send" } else { "sendto" }
}

fn unit(bytes: usize) -> &'static str {
    if bytes == 1 { "byte" } else { "bytes" }
}

fn micros(took: Duration) -> String {
    format!("{} µs", took.as_micros())
}

/// A server's socket and bind steps, told once it is bound to `bound` having asked for one
/// of `requested` (the one of the same IP: its port may be 0).
pub fn bind_steps(requested: &[SocketAddr], bound: Peer) -> [Step<'static>; 2] {
    let requested = match bound {
        Peer::Inet(bound) => requested
            .iter()
            .copied()
            .find(|addr| addr.ip() == bound.ip())
            .map_or(Peer::Inet(bound), Peer::Inet),
        Peer::Unix { .. } => bound,
    };
    [
        Step::Socket { addr: bound },
        Step::Bind { requested, bound },
    ]
}

/// What a Unix server did to its socket file besides binding it, for [`file_steps`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SocketFile {
    /// A stale file was removed first.
    pub replaced_stale: bool,
    /// `--socket-mode`, set after bind().
    pub mode: Option<u32>,
}

/// A Unix server's unlink (of a stale file), socket, bind and chmod steps, in the order
/// `unix::bind` takes them.
pub fn file_steps(bound: Peer, file: SocketFile) -> Vec<Step<'static>> {
    let Peer::Unix { path, .. } = bound else {
        return bind_steps(&[], bound).to_vec();
    };
    let mut steps = Vec::new();
    if file.replaced_stale {
        steps.push(Step::Unlink { path });
    }
    steps.push(Step::Socket { addr: bound });
    steps.push(Step::Bind {
        requested: bound,
        bound,
    });
    if let Some(mode) = file.mode {
        steps.push(Step::Chmod { path, mode });
    }
    steps
}

/// Why a TCP connection closed, in the narration's language.
pub fn close_why(close: Close, lang: Lang) -> &'static str {
    match (lang, close) {
        (Lang::En, close) => close.reason(),
        (Lang::Zh, Close::Eof) => "对方关闭了连接（EOF）",
        (Lang::Zh, Close::Exit) => "收到 exit",
        (Lang::Zh, Close::Shutdown) => "服务端正在停止",
        (Lang::Zh, Close::StdinEnded) => "标准输入已结束",
        (Lang::Zh, Close::Idle) => "空闲超过 --idle-timeout",
        (Lang::Zh, Close::Reset) => "对方重置了连接（RST）",
        (Lang::Zh, Close::Done) => "所有消息已发送并收到回复",
        (Lang::Zh, Close::Expired) => "超过 --idle-timeout 没有数据报往来",
        (Lang::Zh, Close::Cut) => "达到 --reset-after 或 --close-after",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> Peer {
        Peer::from(s.parse::<SocketAddr>().unwrap())
    }

    #[test]
    fn server_steps_are_numbered_as_in_the_tutorial() {
        let peer = addr("127.0.0.1:5555");
        let steps = [
            (
                Step::Socket {
                    addr: addr("127.0.0.1:0"),
                },
                1,
            ),
            (Step::Listen { backlog: 1024 }, 2),
            (Step::Accept { peer }, 3),
            (Step::Recv { peer, bytes: 5 }, 4),
            (Step::Close { peer, why: "x" }, 5),
        ];
        for (step, number) in steps {
            assert!(
                line(Role::TcpServer, &step, Lang::En)
                    .starts_with(&format!("[TCP server {number}/5"))
            );
        }
        assert!(
            line(Role::TcpClient, &Step::Recv { peer, bytes: 1 }, Lang::En)
                .starts_with("[TCP client 2/3")
        );
        assert!(
            line(Role::UdpServer, &Step::Close { peer, why: "x" }, Lang::En)
                .starts_with("[UDP server 3/3")
        );
    }

    #[test]
    fn port_zero_names_the_port_the_os_chose() {
        let bind = Step::Bind {
            requested: addr("127.0.0.1:0"),
            bound: addr("127.0.0.1:40113"),
        };
        assert_eq!(
            line(Role::TcpServer, &bind, Lang::En),
            "[TCP server 1/5: create a socket, bind it to a local address and port] \
             bind(127.0.0.1:0): port 0, so the OS chose port 40113: bound to 127.0.0.1:40113"
        );
        assert_eq!(
            line(Role::TcpServer, &bind, Lang::Zh),
            "[TCP 服务端 第1/5步：创建Socket，绑定Socket到本地IP与端口] \
             bind(127.0.0.1:0)：端口为 0，由系统选择了端口 40113，绑定到 127.0.0.1:40113"
        );
    }
}
