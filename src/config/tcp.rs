//! Planning `tcp serve` and `tcp connect`, and `unix serve` and `unix connect` (the same
//! programs on a Unix-domain socket): the services, conversations, `-z` and load runs,
//! with every flag checked against the program it would apply to.

use std::net::SocketAddr;
use std::time::Duration;

use color_eyre::eyre::Result;

use crate::access::AccessList;
use crate::cli::{
    ClientMode, ConnectArgs, ServeArgs, ServerMode, TcpConnectArgs, TcpServeArgs, TlsConnectArgs,
    UnixConnectArgs, UnixServeArgs,
};
use crate::expect::Expect;
use crate::framing::{DEFAULT_MAX_FRAME, FrameSpec, Framing, RAW_READ_MAX};
use crate::load::tcp::{TcpLoad, payload};
use crate::messages::{Check, FROM_STDIN};
use crate::net::dial::Endpoint;
use crate::net::listener::Bind;
use crate::net::unix::UnixName;
use crate::net::{Host, Ports};
use crate::output::{Display, Look, OutputConfig};
use crate::protocol::Wire;
use crate::request::Request;
use crate::shutdown::DEFAULT_GRACE;
use crate::tcp::{Conversation, ProbeConfig, TcpConnectConfig, TcpServeConfig};
use crate::{protocol, stdio};

use super::encode::{encode_messages, expectations, requests};
use super::shard::{message_bytes, provenance, share};
use super::target::{
    explicit_target, host_header, refuse_address_as_messages, refuse_port_zero, refuse_range,
    target,
};
use super::{
    DEFAULT_LOAD_DURATION, DEFAULT_MAX_BUFFERED, DEFAULT_TCP_SIZE, Plan, SPARE_DESCRIPTORS, access,
    mode_name, positive, refuse, refuse_encoding, server_threads, service, tls, usage,
};

pub(super) fn tcp_serve(args: TcpServeArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first)?;
    let tls = tls::server(&args.tls, &host, &addrs)?;
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
    tls: Option<std::sync::Arc<crate::tls::ServerTls>>,
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
        grace: args.grace.unwrap_or(DEFAULT_GRACE),
        max_buffered: args.max_buffered.unwrap_or(DEFAULT_MAX_BUFFERED),
        threads: Some(server_threads()),
        access,
        tls,
    };
    Ok((Plan::TcpServe(cfg), display))
}

pub(super) fn tcp_connect(args: TcpConnectArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let (host, port) = target(&args.addr)?;
    let dest = Dest::Tcp {
        host,
        port,
        zero_io: args.zero_io,
        explicit: explicit_target(&args.addr),
        tls: args.tls,
    };
    connect(args.connect, output, dest)
}

pub(super) fn unix_connect(
    args: UnixConnectArgs,
    output: &OutputConfig,
) -> Result<(Plan, Display)> {
    connect(args.connect, output, Dest::Unix(args.path))
}

/// Where a stream client goes, as the command line gave it.
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
    },
    Unix(UnixName),
}

/// A stream client of any mode, to `dest`.
fn connect(args: ConnectArgs, output: &OutputConfig, dest: Dest) -> Result<(Plan, Display)> {
    let encoding = args.codec.encoding.unwrap_or_default();
    let load = args.load.active();
    let stdio = args.mode == ClientMode::Stdio;
    let zero_io = matches!(dest, Dest::Tcp { zero_io: true, .. });
    let command = match dest {
        Dest::Tcp { .. } => "tcp connect",
        Dest::Unix(_) => "unix connect",
    };
    let program = if zero_io {
        "tcp connect -z".to_owned()
    } else if load {
        "a load run (-c, -d, -n, --rate, --size, --warmup)".to_owned()
    } else {
        format!("{command} --mode {}", mode_name(args.mode))
    };
    let header = match &dest {
        Dest::Tcp { host, port, .. } => {
            if !zero_io {
                refuse_range(*port)?;
            }
            refuse_port_zero(*port, "a client")?;
            host_header(host, *port)
        }
        // What an HTTP server behind a socket file (docker.sock, a local API) expects.
        Dest::Unix(_) => "localhost".to_owned(),
    };
    refuse(
        args.on_eof.is_some() && !stdio,
        "--on-eof",
        &program,
        "--mode stdio",
    )?;
    refuse(
        args.idle_timeout.is_some() && (!stdio || load),
        "-w/--idle-timeout",
        &program,
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
    refuse_encoding(&args.codec, stdio, zero_io, output, &program)?;
    refuse(
        args.wait.is_some() && load,
        "--wait",
        &program,
        if zero_io || matches!(dest, Dest::Tcp { .. }) {
            "a single conversation and -z (a load run counts refused connections as errors)"
        } else {
            "a single conversation (a load run counts refused connections as errors)"
        },
    )?;
    let why_not = if zero_io {
        "conversations (-z sends nothing)"
    } else {
        "single conversations (a load run would spend its time dumping)"
    };
    refuse(
        output.hex_dump.is_some() && (load || zero_io),
        "-x/--hex-dump",
        &program,
        why_not,
    )?;
    refuse(
        output.explain.is_some() && load,
        "--explain",
        &program,
        "single conversations and -z (narrating every request would be the measurement)",
    )?;
    let framing_given =
        args.framing.framing.is_some() || args.framing.crlf || args.framing.max_frame.is_some();
    refuse(
        framing_given && (stdio || zero_io),
        framing_flag(&args.framing),
        &program,
        "seed and echo conversations and load runs",
    )?;
    refuse(
        load && stdio,
        "--mode stdio",
        &program,
        "a single connection (load runs send requests: seed, echo or request mode)",
    )?;
    refuse(
        stdio && !args.messages.is_empty(),
        "a message argument",
        &program,
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
        &program,
        "conversations (-z only connects and sends nothing)",
    )?;
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

    let (tls, endpoint) = match dest {
        Dest::Tcp {
            host,
            port,
            tls,
            zero_io: false,
            ..
        } => {
            let tls = tls::client(&tls, &host, &program, false)?;
            (tls, Endpoint::Tcp(host.resolve(port.first)?))
        }
        Dest::Tcp {
            host, port, tls, ..
        } => {
            tls::client(&tls, &host, &program, true)?;
            return probe(host, port, &args);
        }
        Dest::Unix(name) => (None, Endpoint::Unix(name)),
    };
    if matches!(args.mode, ClientMode::Send | ClientMode::Receive) {
        return throughput(&args, command, endpoint, tls);
    }
    let look = if stdio { Look::Stream } else { Look::Replies };
    let display = Display { encoding, look };
    if stdio {
        let cfg = stdio::TcpConnectConfig {
            endpoint,
            on_eof: args.on_eof.unwrap_or_default(),
            timeout: args.timeout,
            wait: args.wait,
            idle_timeout: args.idle_timeout,
            tls,
        };
        return Ok((Plan::TcpStdio(cfg), display));
    }
    let check = Check::Frame(frames);
    let expect = expectations(&args.expect, args.mode, encoding, &args.messages, &program)?;
    if load {
        let mut cfg = tcp_load(&args, endpoint, frames, check, expect, &header)?;
        cfg.tls = tls;
        return Ok((Plan::TcpLoad(cfg), display));
    }
    let from_stdin = args.messages == [FROM_STDIN];
    let messages = if from_stdin {
        Vec::new()
    } else if args.messages.is_empty() && args.mode == ClientMode::Seed {
        vec![encoding.protocol_bytes(protocol::DEFAULT_TCP_MESSAGE)]
    } else if args.messages.is_empty() {
        return Err(usage(format!(
            "--mode {} needs messages to send: give them as arguments, or - for stdin",
            mode_name(args.mode)
        )));
    } else {
        encode_messages(&args.messages, encoding, frames.framing, check, &header)?
    };
    let conversation = match args.mode {
        ClientMode::Echo => Conversation::Echo,
        ClientMode::Request => Conversation::Request(expect),
        _ => Conversation::Seed,
    };
    let echo = args.mode == ClientMode::Echo;
    let request = args.mode == ClientMode::Request;
    let greeting = (!echo && !request).then(|| Wire::new(encoding).greeting().len());
    if request {
        // A service's replies are its own business: --max-frame bounds them as they come.
    } else if let Some(longest) = messages.iter().map(Vec::len).max() {
        let reply = if echo {
            longest
        } else {
            Wire::new(encoding).tcp_reply(&vec![0; longest]).len()
        };
        replies_fit(frames, greeting, longest, reply)?;
    } else {
        replies_fit(frames, greeting, 0, 0)?;
    }
    let cfg = TcpConnectConfig {
        endpoint,
        encoding,
        messages,
        from_stdin,
        frames,
        host_header: header,
        conversation,
        timeout: args.timeout,
        wait: args.wait,
        tls,
    };
    Ok((Plan::TcpConnect(cfg), display))
}

/// `tcp connect -z`: which of `port` listen on `host`.
fn probe(host: Host, port: Ports, args: &ConnectArgs) -> Result<(Plan, Display)> {
    // Resolve once; every port shares the host's addresses.
    let addrs = host.resolve(0)?;
    let targets = port
        .iter()
        .map(|p| {
            (
                p,
                addrs.iter().map(|a| SocketAddr::new(a.ip(), p)).collect(),
            )
        })
        .collect();
    let cfg = ProbeConfig {
        host: host.name,
        ports: port,
        targets,
        timeout: args.timeout,
        wait: args.wait,
    };
    Ok((Plan::TcpProbe(cfg), Display::default()))
}

/// A TCP load run: one request, checked against the framing and `--max-frame` before
/// anything is allocated or sent.
pub(super) fn tcp_load(
    args: &ConnectArgs,
    endpoint: Endpoint,
    frames: FrameSpec,
    check: Check,
    expect: Expect,
    header: &str,
) -> Result<TcpLoad> {
    if args.mode == ClientMode::Request {
        return request_load(args, endpoint, frames, check, expect, header);
    }
    let load = &args.load;
    let encoding = args.codec.encoding.unwrap_or_default();
    // The largest request the framing carries whole: one raw read, or one frame.
    let largest = match frames.framing {
        Framing::Raw => RAW_READ_MAX.min(frames.max_frame),
        Framing::Line | Framing::Length | Framing::Resp | Framing::Http => frames.max_frame,
    };
    let request = match args.messages.as_slice() {
        [] => {
            let size = load.size.unwrap_or(DEFAULT_TCP_SIZE);
            if size > largest {
                return Err(usage(format!(
                    "--size {size}: a request can be at most {largest} bytes with --framing {} \
                     and --max-frame {} (try --framing length and a larger --max-frame)",
                    frames.framing.name(),
                    frames.max_frame
                )));
            }
            payload(size)
        }
        [dash] if dash == FROM_STDIN => {
            return Err(usage(
                "a load run sends one message over and over, not stdin: give it as an argument",
            ));
        }
        [one] if load.size.is_none() => {
            let request = encoding.encode(one)?;
            check.check(&request).map_err(usage)?;
            if request.len() > largest {
                return Err(usage(format!(
                    "a request of {} bytes does not fit one message with --framing {} (at most \
                     {largest} bytes; try --framing length)",
                    request.len(),
                    frames.framing.name()
                )));
            }
            request
        }
        [_] => return Err(usage("give either a message or --size, not both")),
        _ => {
            return Err(usage(
                "a load run sends one message over and over: give one, or --size",
            ));
        }
    };
    let wire = Wire::new(encoding);
    let (greeting, expected) = match args.mode {
        ClientMode::Echo => (None, request.clone()),
        _ => {
            if wire.is_exit(&request) {
                return Err(usage(
                    "`exit` closes the connection: it cannot be a load request",
                ));
            }
            (Some(wire.greeting().to_vec()), wire.tcp_reply(&request))
        }
    };
    replies_fit(
        frames,
        greeting.as_ref().map(Vec::len),
        request.len(),
        expected.len(),
    )?;
    load_run(
        args,
        endpoint,
        frames,
        greeting,
        vec![Request::Fixed(request)],
        Expect::Exact(vec![expected]),
    )
}

/// The client reads a greeting and each reply as one frame of at most `--max-frame`
/// bytes, in every framing (a raw read is capped by it too): what does not fit would be
/// read as two, and shown as a reply to the wrong message.
pub(super) fn replies_fit(
    frames: FrameSpec,
    greeting: Option<usize>,
    message: usize,
    reply: usize,
) -> Result<()> {
    if let Some(greeting) = greeting.filter(|&g| g > frames.max_frame) {
        return Err(usage(format!(
            "--max-frame {} is smaller than the seed greeting ({greeting} bytes) (try --max-frame 1K)",
            frames.max_frame
        )));
    }
    if reply > frames.max_frame {
        return Err(usage(format!(
            "the reply to a {message}-byte message is {reply} bytes, over --max-frame {} \
             (raise --max-frame)",
            frames.max_frame
        )));
    }
    Ok(())
}

/// A load run of `--mode request`: the messages rotate on each connection, replies are
/// checked against the expectations, and there is no greeting.
pub(super) fn request_load(
    args: &ConnectArgs,
    endpoint: Endpoint,
    frames: FrameSpec,
    check: Check,
    expect: Expect,
    header: &str,
) -> Result<TcpLoad> {
    let load = &args.load;
    let encoding = args.codec.encoding.unwrap_or_default();
    if load.size.is_some() {
        return Err(usage(
            "--size makes a payload for the seed and echo modes: in --mode request, give the \
             messages to send",
        ));
    }
    if args.messages.is_empty() || args.messages == [FROM_STDIN] {
        return Err(usage(
            "--mode request needs the messages to send as arguments (they rotate on each \
             connection)",
        ));
    }
    let requests = requests(&args.messages, encoding, frames.framing, check, header)?;
    load_run(args, endpoint, frames, None, requests, expect)
}

/// The settings every TCP load run shares, checked: connections within the descriptor
/// limit, a pipeline only where replies can be told apart, a duration above zero.
pub(super) fn load_run(
    args: &ConnectArgs,
    endpoint: Endpoint,
    frames: FrameSpec,
    greeting: Option<Vec<u8>>,
    messages: Vec<Request>,
    expect: Expect,
) -> Result<TcpLoad> {
    let load = &args.load;
    let transport = match endpoint {
        Endpoint::Tcp(_) => "tcp",
        Endpoint::Unix(_) => "unix",
    };
    let mode = match (args.mode, &greeting) {
        (ClientMode::Request, _) => "request",
        (_, Some(_)) => "seed",
        _ => "echo",
    };
    let mode = format!("{transport} {mode}");
    let size = message_bytes(&messages, &args.messages);
    let share = share(
        &load.shard,
        // Without -c, one connection per shard.
        Some(
            load.connections
                .map_or(load.shard.shard.map_or(1, |(_, of)| of as usize), |c| {
                    c as usize
                }),
        ),
        load.requests,
        load.rate,
        provenance(endpoint.first_peer(), &mode, frames.framing.name(), size),
    )?;
    let connections = share.connections;
    check_descriptors(connections)?;
    if load.pipeline.is_some_and(|p| p > 1) && frames.framing == Framing::Raw {
        return Err(usage(
            "--pipeline needs a framing that tells replies apart: with --framing raw, \
             pipelined replies run together (try --framing line, length, resp or http)",
        ));
    }
    positive("-d/--duration", load.duration, "would measure nothing")?;
    refuse(
        load.reconnect && load.pipeline.is_some_and(|p| p > 1),
        "--pipeline",
        "a load run with --reconnect",
        "runs that keep their connections (one request per connection has nothing to pipeline)",
    )?;
    Ok(TcpLoad {
        endpoint,
        connections,
        // A shard starts its offset after the common start; ending as much earlier keeps
        // its last request inside the whole run's window, so the shards make exactly the
        // requests one run would.
        duration: load_duration(load.duration, load.requests.is_none())
            .map(|d| d.saturating_sub(share.placement.start.offset)),
        requests: share.requests,
        rate: share.rate,
        warmup: load.warmup.unwrap_or_default(),
        greeting,
        messages,
        expect,
        expect_given: args.mode == ClientMode::Request,
        frames,
        timeout: args.timeout,
        pipeline: load.pipeline.unwrap_or(1),
        labels: args.messages.clone(),
        tls: None,
        placement: share.placement,
        reconnect: load.reconnect,
        hist_log: load.hist_log.clone(),
    })
}

/// `-d`, or the default when neither `-d` nor a count says when to stop.
pub(super) fn load_duration(given: Option<Duration>, uncounted: bool) -> Option<Duration> {
    given.or(uncounted.then_some(DEFAULT_LOAD_DURATION))
}

/// `-c` beyond the file descriptor limit would fail part-way with EMFILE: say so first.
pub(super) fn check_descriptors(connections: usize) -> Result<()> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we own and has no other effect.
    let known = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    let needed = connections as u64 + SPARE_DESCRIPTORS;
    if known && limit.rlim_cur < needed {
        return Err(usage(format!(
            "-c {connections} needs about {needed} file descriptors, but the limit is {} \
             (raise it with `ulimit -n {needed}`, or use fewer -c)",
            limit.rlim_cur
        )));
    }
    Ok(())
}

/// `--framing`, `--crlf` and `--max-frame` as one spec; refused where framing does not
/// apply (`framed` false), and `--crlf` without line framing.
pub(super) fn frame_spec(
    args: &crate::cli::FramingArgs,
    framed: bool,
    program: &str,
    applies: &str,
) -> Result<FrameSpec> {
    let given =
        args.framing.is_some() || args.crlf || args.max_frame.is_some() || args.delimiter.is_some();
    refuse(given && !framed, framing_flag(args), program, applies)?;
    let framing = args.framing.unwrap_or_default();
    if args.crlf && framing != Framing::Line {
        return Err(usage(
            "--crlf ends lines: it applies to --framing line only",
        ));
    }
    if args.delimiter.is_some() && framing != Framing::Line {
        return Err(usage(
            "--delimiter ends received messages: it applies to --framing line only",
        ));
    }
    Ok(FrameSpec {
        framing,
        crlf: args.crlf,
        max_frame: args.max_frame.unwrap_or(DEFAULT_MAX_FRAME),
        delimiter: args.delimiter,
    })
}

/// The first framing flag given, to name it.
pub(super) fn framing_flag(args: &crate::cli::FramingArgs) -> &'static str {
    if args.framing.is_some() {
        "--framing"
    } else if args.crlf {
        "--crlf"
    } else if args.delimiter.is_some() {
        "--delimiter"
    } else {
        "--max-frame"
    }
}

/// `--mode send` and `--mode receive`: a throughput run. Only the connection count, the
/// bounds, `--timeout` and TLS apply.
fn throughput(
    args: &ConnectArgs,
    command: &str,
    endpoint: Endpoint,
    tls: Option<std::sync::Arc<crate::tls::ClientTls>>,
) -> Result<(Plan, Display)> {
    let program = format!("{command} --mode {}", mode_name(args.mode));
    let why = "request/reply runs (a throughput run moves bytes, not messages)";
    refuse(
        !args.messages.is_empty(),
        "a message argument",
        &program,
        why,
    )?;
    refuse(args.load.rate.is_some(), "--rate", &program, why)?;
    refuse(args.load.size.is_some(), "--size", &program, why)?;
    refuse(args.load.warmup.is_some(), "--warmup", &program, why)?;
    refuse(args.load.pipeline.is_some(), "--pipeline", &program, why)?;
    refuse(args.load.reconnect, "--reconnect", &program, why)?;
    refuse(args.load.hist_log.is_some(), "--hist-log", &program, why)?;
    refuse(
        args.load.shard.active(),
        "--shard and --start-at",
        &program,
        why,
    )?;
    refuse(
        args.wait.is_some(),
        "--wait",
        &program,
        "single conversations",
    )?;
    refuse(
        args.framing.framing.is_some() || args.framing.max_frame.is_some(),
        framing_flag(&args.framing),
        &program,
        why,
    )?;
    refuse(
        !args.expect.expect.is_empty() || args.expect.expect_regex.is_some(),
        "--expect",
        &program,
        "--mode request",
    )?;
    positive("-d/--duration", args.load.duration, "would move nothing")?;
    let streams = args.load.connections.unwrap_or(1) as usize;
    check_descriptors(streams)?;
    let sending = args.mode == ClientMode::Send;
    // A receive run without bounds reads until the server ends every stream (a file
    // served once); a send run without bounds has no end of its own: 10 s, as load runs.
    let duration = match (args.load.duration, args.load.requests) {
        (None, None) if sending => Some(DEFAULT_LOAD_DURATION),
        (duration, _) => duration,
    };
    let cfg = crate::load::throughput::ThroughputConfig {
        endpoint,
        streams,
        sending,
        duration,
        bytes: args.load.requests,
        timeout: args.timeout,
        tls,
    };
    Ok((Plan::Throughput(cfg), Display::default()))
}
