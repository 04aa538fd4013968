//! Planning `tcp connect` and `unix connect`. The command is first classified into the
//! client program it asks for ([`Client`]: `-z`, a throughput run, a load run, stdio or a
//! conversation); the flags no such program takes are then refused, naming it; and that
//! program's planner checks and builds the rest.

use color_eyre::eyre::Result;

use std::sync::Arc;

use crate::cli::{
    ClientMode, ConnectArgs, Preset, RouteArgs, TcpConnectArgs, TlsConnectArgs, UnixConnectArgs,
};
use crate::framing::Framing;
use crate::net::dial::{Endpoint, Proxied, TcpRoute};
use crate::net::proxy::Target;
use crate::net::unix::UnixName;
use crate::net::{Host, Ports};
use crate::output::{Display, Look, OutputConfig};

use super::encode::expectations;
use super::frames::{frame_spec, framing_flag};
use super::refuse::{mode_name, positive, refuse, refuse_encoding, usage};
use super::target::{
    explicit_target, host_header, refuse_address_as_messages, refuse_fixed_port, refuse_port_zero,
    refuse_range, source, target,
};
use super::{Plan, conversation, load, probe, stdio, throughput, tls};

pub(super) fn tcp_connect(args: TcpConnectArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let (host, port) = target(&args.addr)?;
    let dest = Dest::Tcp {
        host,
        port,
        zero_io: args.zero_io,
        explicit: explicit_target(&args.addr),
        tls: args.tls,
        route: args.route,
    };
    connect(args.connect, output, dest)
}

pub(super) fn unix_connect(
    args: UnixConnectArgs,
    output: &OutputConfig,
) -> Result<(Plan, Display)> {
    connect(args.connect, output, Dest::Unix(args.path))
}

/// `--preset`: what it stands for, written into the flags it implies. memcached is
/// `--framing memcached` in request mode (seed, the default mode, cannot talk to it).
fn preset(args: &mut ConnectArgs) -> Result<()> {
    match args.preset {
        None => Ok(()),
        Some(Preset::Dns) => Err(usage(
            "--preset dns is for udp send (DNS over TCP is not spoken): netdemo udp send -p 53 \
             --dns-query example.com A",
        )),
        Some(Preset::Memcached) => {
            if let Some(framing) = args.framing.framing.filter(|f| *f != Framing::Memcached) {
                return Err(usage(format!(
                    "--preset memcached speaks --framing memcached, not {}: leave --framing out",
                    framing.name()
                )));
            }
            match args.mode {
                ClientMode::Seed | ClientMode::Request => args.mode = ClientMode::Request,
                other => {
                    return Err(usage(format!(
                        "--preset memcached sends requests (--mode request), not --mode {}",
                        mode_name(other)
                    )));
                }
            }
            args.framing.framing = Some(Framing::Memcached);
            Ok(())
        }
    }
}

/// The addresses a TCP client dials, from `--source`, and through `--proxy`: the proxy's
/// addresses then, and the target named for it to resolve.
pub(super) fn tcp_route(host: &Host, port: u16, route: &RouteArgs) -> Result<TcpRoute> {
    let (mut addrs, proxy) = match &route.proxy {
        Some(url) => {
            let proxy = Host {
                name: url.host.clone(),
                family: host.family,
            };
            let target = Target {
                host: host.name.clone(),
                port,
            };
            tracing::info!("through the proxy {url} to {target}");
            let proxied = Proxied {
                url: url.clone(),
                target,
            };
            (proxy.resolve(url.port)?, Some(Arc::new(proxied)))
        }
        None => (host.resolve(port)?, None),
    };
    let shown = route.proxy.as_ref().map_or(&host.name, |url| &url.host);
    let source = source(route.source.source, &mut addrs, shown)?;
    Ok(TcpRoute {
        addrs,
        source,
        proxy,
    })
}

/// Where a stream client goes, as the command line gave it. Made once per process, so the
/// TCP variant's size costs nothing.
#[allow(clippy::large_enum_variant)]
enum Dest {
    Tcp {
        host: Host,
        port: Ports,
        /// `-z`: only check which ports listen.
        zero_io: bool,
        /// The host or port was given with a flag, so a message that looks like an
        /// address is a message.
        explicit: bool,
        tls: TlsConnectArgs,
        route: RouteArgs,
    },
    Unix(UnixName),
}

/// The stream-client programs, told apart before any flag is checked against them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Client {
    /// `-z`: which ports listen.
    Probe,
    /// `--mode send|receive`: bytes one way, as fast as they go.
    Throughput,
    /// A load flag (`-c`, `-d`, `-n`, `--rate`, ...) with a request/reply mode.
    Load,
    /// `--mode stdio`: netcat.
    Stdio,
    /// One seed, echo or request conversation.
    Conversation,
}

impl Client {
    fn of(args: &ConnectArgs, dest: &Dest) -> Self {
        if matches!(dest, Dest::Tcp { zero_io: true, .. }) {
            Self::Probe
        } else if matches!(args.mode, ClientMode::Send | ClientMode::Receive) {
            Self::Throughput
        } else if args.load.active() {
            Self::Load
        } else if args.mode == ClientMode::Stdio {
            Self::Stdio
        } else {
            Self::Conversation
        }
    }
}

/// A stream client of any program, to `dest`.
fn connect(mut args: ConnectArgs, output: &OutputConfig, dest: Dest) -> Result<(Plan, Display)> {
    preset(&mut args)?;
    let client = Client::of(&args, &dest);
    let command = match dest {
        Dest::Tcp { .. } => "tcp connect",
        Dest::Unix(_) => "unix connect",
    };
    let program = if client == Client::Probe {
        "tcp connect -z".to_owned()
    } else if args.load.active() {
        "a load run (-c, -d, -n, --rate, --size, --warmup)".to_owned()
    } else {
        format!("{command} --mode {}", mode_name(args.mode))
    };
    let header = check_target(&dest, client)?;
    refuse_misplaced(&args, output, &dest, client, &program)?;
    let (tls, endpoint) = match dest {
        Dest::Tcp {
            host,
            port,
            tls,
            route,
            ..
        } if client == Client::Probe => {
            tls::client(&tls, &host, &program, true, output.pcap_secrets.as_ref())?;
            return probe::plan(host, port, &args, &route);
        }
        Dest::Tcp {
            host,
            port,
            tls,
            route,
            ..
        } => {
            let tls = tls::client(&tls, &host, &program, false, output.pcap_secrets.as_ref())?;
            let many = match client {
                Client::Load if args.load.reconnect => Some("--reconnect"),
                Client::Load | Client::Throughput
                    if args.load.connections.is_some_and(|c| c > 1) =>
                {
                    Some("-c")
                }
                _ => None,
            };
            refuse_fixed_port(route.source.source, many)?;
            (tls, Endpoint::Tcp(tcp_route(&host, port.first, &route)?))
        }
        Dest::Unix(name) => (None, Endpoint::Unix(name)),
    };
    let encoding = args.codec.encoding.unwrap_or_default();
    let display = Display {
        encoding,
        look: Look::Replies,
    };
    match client {
        Client::Throughput => throughput::plan(&args, command, endpoint, tls),
        Client::Stdio => stdio::stream_client(&args, endpoint, tls, encoding, &program),
        Client::Probe => unreachable!("-z is planned before any name is resolved"),
        Client::Load | Client::Conversation => {
            let frames = frame_spec(&args.framing, true, &program, "")?;
            refuse(
                frames.framing == Framing::Resp && args.mode == ClientMode::Seed,
                "--framing resp",
                &program,
                "--mode request and echo (the tutorial's protocol is not RESP)",
            )?;
            refuse(
                frames.framing == Framing::Http && args.mode != ClientMode::Request,
                "--framing http",
                &program,
                "--mode request (it reads HTTP responses to the requests it writes)",
            )?;
            refuse(
                frames.framing == Framing::Ws
                    && !matches!(args.mode, ClientMode::Request | ClientMode::Echo),
                "--framing ws",
                &program,
                "--mode request and echo (the tutorial's server does not speak WebSocket)",
            )?;
            refuse(
                frames.framing == Framing::Memcached && args.mode != ClientMode::Request,
                "--framing memcached",
                &program,
                "--mode request (it reads memcached's replies to the requests it writes)",
            )?;
            let given = args.replay.is_none().then_some(args.messages.len());
            let expect = expectations(&args.expect, args.mode, encoding, given, &program)?;
            let plan = if client == Client::Load {
                load::tcp_load(&args, endpoint, tls, frames, expect, &header)?
            } else {
                conversation::plan(&args, endpoint, tls, frames, expect, header)?
            };
            Ok((plan, display))
        }
    }
}

/// The port checks of a TCP client (a range only for `-z`, never port 0), and the Host
/// header its HTTP requests carry.
fn check_target(dest: &Dest, client: Client) -> Result<String> {
    match dest {
        Dest::Tcp { host, port, .. } => {
            if client != Client::Probe {
                refuse_range(*port)?;
            }
            refuse_port_zero(*port, "a client")?;
            Ok(host_header(host, *port))
        }
        // What an HTTP server behind a socket file (docker.sock, a local API) expects.
        Dest::Unix(_) => Ok("localhost".to_owned()),
    }
}

/// The flags some client program takes and `client` does not, refused naming `program`
/// and where each applies; and durations of zero.
fn refuse_misplaced(
    args: &ConnectArgs,
    output: &OutputConfig,
    dest: &Dest,
    client: Client,
    program: &str,
) -> Result<()> {
    let load = args.load.active();
    let stdio = args.mode == ClientMode::Stdio;
    let zero_io = client == Client::Probe;
    refuse(
        args.ws_path.is_some() && !matches!(client, Client::Load | Client::Conversation),
        "--ws-path",
        program,
        "conversations and load runs with --framing ws",
    )?;
    refuse(
        args.bidir && client != Client::Throughput,
        "--bidir",
        program,
        "throughput runs (--mode send or receive)",
    )?;
    refuse(
        args.on_eof.is_some() && client != Client::Stdio,
        "--on-eof",
        program,
        "--mode stdio",
    )?;
    refuse(
        args.idle_timeout.is_some() && client != Client::Stdio,
        "-w/--idle-timeout",
        program,
        "--mode stdio (a conversation waits --timeout for each reply)",
    )?;
    positive(
        "-w/--idle-timeout",
        args.idle_timeout,
        "would close the connection at once",
    )?;
    positive(
        "--timeout",
        Some(args.timeout),
        "would time out every connection",
    )?;
    refuse_encoding(&args.codec, stdio, zero_io, output, program)?;
    refuse(
        args.replay.is_some()
            && ((load && args.mode != ClientMode::Request)
                || stdio
                || zero_io
                || matches!(args.mode, ClientMode::Send | ClientMode::Receive)),
        "--replay",
        program,
        "conversations (seed, echo, request) and request loads (--mode request with load \
         flags)",
    )?;
    refuse(
        args.replay_timing && load,
        "--replay-timing",
        program,
        "conversations (a load run paces its requests with --rate)",
    )?;
    refuse(
        args.wait.is_some() && load,
        "--wait",
        program,
        match dest {
            Dest::Tcp { .. } => {
                "a single conversation and -z (a load run counts refused connections as errors)"
            }
            Dest::Unix(_) => {
                "a single conversation (a load run counts refused connections as errors)"
            }
        },
    )?;
    refuse(
        output.hex_dump.is_some() && (load || zero_io),
        "-x/--hex-dump",
        program,
        if zero_io {
            "conversations (-z sends nothing)"
        } else {
            "single conversations (a load run would spend its time dumping)"
        },
    )?;
    refuse(
        args.load.interval.is_some() && client != Client::Load,
        "--interval",
        program,
        "load runs (a throughput run prints a line a second already)",
    )?;
    refuse(
        args.load.threads.is_some() && !matches!(client, Client::Load | Client::Throughput),
        "--threads",
        program,
        "load and throughput runs",
    )?;
    refuse(
        output.explain.is_some() && load,
        "--explain",
        program,
        "single conversations and -z (narrating every request would be the measurement)",
    )?;
    let framing_given = args.framing.framing.is_some()
        || args.framing.crlf
        || args.framing.max_frame.is_some()
        || args.framing.delimiter.is_some();
    refuse(
        framing_given && (stdio || zero_io),
        framing_flag(&args.framing),
        program,
        "seed and echo conversations and load runs",
    )?;
    refuse(
        load && stdio,
        "--mode stdio",
        program,
        "a single connection (load runs send requests: seed, echo or request mode)",
    )?;
    refuse(
        stdio && !args.messages.is_empty(),
        "a message argument",
        program,
        "seed and echo conversations (pipe the data into stdin instead)",
    )?;
    if let Dest::Tcp {
        explicit: false, ..
    } = dest
    {
        refuse_address_as_messages(&args.messages, zero_io)?;
    }
    refuse(
        zero_io && !args.messages.is_empty(),
        "a message argument",
        program,
        "conversations (-z only connects and sends nothing)",
    )
}
