//! Planning `tcp serve` and `unix serve`: the same stream servers (seed, echo, discard,
//! chargen, source, stdio) on a TCP address or a Unix-domain socket, with every flag
//! checked against the mode it would apply to. The service and access list of a mode are
//! built here for `udp serve` too.

use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::Result;

use crate::access::AccessList;
use crate::cli::{AccessArgs, ServeArgs, ServerMode, TcpServeArgs, UnixServeArgs};
use crate::encoding::Encoding;
use crate::framing::Framing;
use crate::net::listener::Bind;
use crate::output::{Display, Look, OutputConfig};
use crate::protocol::Wire;
use crate::service::{SeedServer, Service};
use crate::shutdown::DEFAULT_GRACE;
use crate::stdio;
use crate::tcp::TcpServeConfig;
use crate::tls::ServerTls;

use super::frames::frame_spec;
use super::refuse::{mode_name, positive, refuse, refuse_encoding, usage};
use super::runtime::threads;
use super::target::{refuse_range, target};
use super::{DEFAULT_MAX_BUFFERED, Plan, tls};

pub(super) fn tcp_serve(args: TcpServeArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first)?;
    let tls = tls::server(&args.tls, &host, &addrs, output.pcap_secrets.as_ref())?;
    let access = access(&args.access);
    serve(args.serve, output, "tcp", Bind::Tcp(addrs), tls, access)
}

pub(super) fn unix_serve(args: UnixServeArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    if args.socket_mode.is_some() && args.path.is_abstract() {
        return Err(usage(format!(
            "--socket-mode sets a socket file's permissions, and {} is an abstract name, \
             which has no file and no permissions (give a file path to restrict who may \
             connect)",
            args.path
        )));
    }
    let bind = Bind::Unix {
        name: args.path,
        mode: args.socket_mode,
    };
    serve(
        args.serve,
        output,
        "unix",
        bind,
        None,
        AccessList::default(),
    )
}

/// A stream server of any mode, on `bind`; `transport` (`tcp` or `unix`) names the
/// commands in messages.
fn serve(
    args: ServeArgs,
    output: &OutputConfig,
    transport: &str,
    bind: Bind,
    tls: Option<Arc<ServerTls>>,
    access: AccessList,
) -> Result<(Plan, Display)> {
    let program = format!("{transport} serve --mode {}", mode_name(args.mode));
    let encoding = args.codec.encoding.unwrap_or_default();
    let mode = args.mode;
    let stdio = mode == ServerMode::Stdio;
    let framed = matches!(
        mode,
        ServerMode::Seed | ServerMode::Echo | ServerMode::Discard
    );
    refuse_encoding(
        &args.codec,
        stdio,
        matches!(mode, ServerMode::Chargen | ServerMode::Source),
        output,
        &program,
    )?;
    refuse(
        args.delay.is_some() && mode != ServerMode::Seed,
        "--delay",
        &program,
        "--mode seed",
    )?;
    refuse(
        args.keep_open && !stdio,
        "-k/--keep-open",
        &program,
        "--mode stdio",
    )?;
    refuse(
        args.on_eof.is_some() && !stdio,
        "--on-eof",
        &program,
        "--mode stdio",
    )?;
    refuse(
        args.max_connections.is_some() && stdio,
        "--max-connections",
        &program,
        "the other modes (stdio serves one client at a time)",
    )?;
    refuse(args.stats && stdio, "--stats", &program, "the other modes")?;
    refuse(
        args.metrics.is_some() && stdio,
        "--metrics",
        &program,
        "the other modes",
    )?;
    refuse(
        args.threads.is_some() && stdio,
        "--threads",
        &program,
        "the other modes (stdio serves one client at a time)",
    )?;
    refuse(
        args.max_buffered.is_some()
            && (stdio || args.framing.framing.unwrap_or_default() == Framing::Raw),
        "--max-buffered",
        &program,
        "--framing line, length, resp or http outside stdio mode (raw messages are never partial)",
    )?;
    refuse(
        args.grace.is_some() && stdio,
        "--grace",
        &program,
        "the other modes (stdio stops at once)",
    )?;
    refuse(
        args.idle_timeout.is_some() && matches!(mode, ServerMode::Chargen | ServerMode::Source),
        "-w/--idle-timeout",
        &program,
        "seed, echo, discard and stdio (a chargen client never has to send)",
    )?;
    positive(
        "-w/--idle-timeout",
        args.idle_timeout,
        "would close every client at once (leave it out to wait forever)",
    )?;
    let frames = frame_spec(
        &args.framing,
        framed,
        &program,
        "seed, echo and discard modes",
    )?;
    refuse(
        frames.framing == Framing::Resp && mode == ServerMode::Seed,
        "--framing resp",
        &program,
        "--mode echo and discard (the tutorial's protocol is not RESP)",
    )?;
    refuse(
        frames.framing == Framing::Http,
        "--framing http",
        &program,
        &format!("{transport} connect --mode request (servers do not parse HTTP requests)"),
    )?;
    refuse(
        frames.framing == Framing::Ws,
        "--framing ws",
        &program,
        &format!("{transport} connect --mode request or echo (a WebSocket server is ws serve)"),
    )?;
    refuse(
        frames.framing == Framing::Memcached,
        "--framing memcached",
        &program,
        &format!("{transport} connect --mode request (servers do not speak memcached)"),
    )?;
    let display = Display {
        encoding,
        look: if stdio { Look::Stream } else { Look::Messages },
    };
    if stdio {
        let cfg = stdio::TcpServeConfig {
            bind,
            on_eof: args.on_eof.unwrap_or_default(),
            keep_open: args.keep_open,
            idle_timeout: args.idle_timeout,
            access,
            tls,
        };
        return Ok((Plan::TcpStdioServe(cfg), display));
    }
    if mode == ServerMode::Seed {
        let greeting = Wire::new(encoding).greeting().len();
        if frames.framing != Framing::Raw && frames.max_frame < greeting + 1 {
            return Err(usage(format!(
                "--max-frame {} is smaller than the seed greeting and a reply ({} bytes and \
                 more): every client would be closed (try --max-frame 1K)",
                frames.max_frame,
                greeting + 1
            )));
        }
    }
    let cfg = TcpServeConfig {
        bind,
        service: service(mode, encoding, args.delay),
        frames,
        max_connections: args.max_connections.map(|n| n as usize),
        idle_timeout: args.idle_timeout,
        stats: args.stats,
        metrics: args.metrics,
        grace: args.grace.unwrap_or(DEFAULT_GRACE),
        max_buffered: args.max_buffered.unwrap_or(DEFAULT_MAX_BUFFERED),
        threads: Some(threads(args.threads)),
        access,
        tls,
    };
    Ok((Plan::TcpServe(cfg), display))
}

/// The service of a server mode. Stdio mode is a program of its own, planned before this.
pub(super) fn service(mode: ServerMode, encoding: Encoding, delay: Option<Duration>) -> Service {
    match mode {
        ServerMode::Seed => Service::Seed(SeedServer::new(encoding, delay)),
        ServerMode::Echo => Service::Echo,
        ServerMode::Discard => Service::Discard,
        ServerMode::Chargen | ServerMode::Stdio => Service::Chargen,
        ServerMode::Source => Service::Source,
    }
}

/// `--allow` and `--deny` as one list.
pub(super) fn access(args: &AccessArgs) -> AccessList {
    AccessList::new(args.allow.clone(), args.deny.clone())
}
