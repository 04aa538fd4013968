//! From the command line to what runs: [`plan`] turns a parsed [`Command`] into one
//! [`Plan`], a variant per program, resolved and validated before any socket opens.
//!
//! This is the only module below `main` that reads `cli` (`tests/layers.rs` keeps it so).
//! Every default is written here once, every rule that spans flags is checked here once,
//! and a flag given where it cannot apply is a usage error that names the flag and where
//! it does apply: a flag silently ignored is a test that silently tests something else.
//! Messages are encoded and checked here too, with the same check that lines typed on
//! stdin get at run time ([`Check`]).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap_complete::Shell;
use color_eyre::eyre::Result;

use crate::access::AccessList;
use crate::cli::{
    AccessArgs, AddrArgs, ClientMode, ColorChoice, Command, OutputArgs, ServerMode, TcpCommand,
    TcpConnectArgs, TcpServeArgs, UdpCommand, UdpSendArgs, UdpServeArgs,
};
use crate::encoding::Encoding;
use crate::error::UsageError;
use crate::expect::Expect;
use crate::framing::{DEFAULT_MAX_FRAME, FrameSpec, Framing, RAW_READ_MAX};
use crate::load::tcp::{TcpLoad, payload};
use crate::load::udp::{HEADER, UdpLoad};
use crate::load::udp_request::UdpRequestLoad;
use crate::messages::{Check, FROM_STDIN};
use crate::net::{Family, Host, Ports};
use crate::output::{Display, Look, OutputConfig};
use crate::protocol::{self, Wire};
use crate::request::{Request, Scratch};
use crate::service::{SeedServer, Service};
use crate::stdio;
use crate::tcp::{Conversation, ProbeConfig, TcpConnectConfig, TcpServeConfig};
use crate::template::Rng;
use crate::udp::{UdpSendConfig, UdpServeConfig};

/// The port when `-p` is not given: the tutorial's.
pub const DEFAULT_PORT: u16 = 9999;
/// `tcp serve --grace`'s default.
const DEFAULT_GRACE: Duration = Duration::from_secs(5);
/// `udp send --retries`' default.
const DEFAULT_RETRIES: u32 = 2;
/// A load run lasts this long when neither `-d` nor `-n` says.
const DEFAULT_LOAD_DURATION: Duration = Duration::from_secs(10);
/// A TCP load request's size when neither a message nor `--size` is given.
const DEFAULT_TCP_SIZE: usize = 16;
/// A UDP load datagram's size when `--size` is not given.
const DEFAULT_UDP_SIZE: usize = 64;
/// The largest UDP load datagram.
const MAX_UDP_SIZE: usize = 65_000;
/// File descriptors a load run needs besides one per connection: stdio, the runtime's.
const SPARE_DESCRIPTORS: u64 = 32;

/// What will run: one variant per program, each with its settings resolved.
#[derive(Debug)]
pub enum Plan {
    /// `tcp serve` with a service (seed, echo, discard, chargen).
    TcpServe(TcpServeConfig),
    /// `tcp serve --mode stdio`.
    TcpStdioServe(stdio::TcpServeConfig),
    /// `tcp connect`: the seed or echo conversation.
    TcpConnect(TcpConnectConfig),
    /// `tcp connect --mode stdio`.
    TcpStdio(stdio::TcpConnectConfig),
    /// `tcp connect -z`.
    TcpProbe(ProbeConfig),
    /// `tcp connect` with a load flag.
    TcpLoad(TcpLoad),
    /// `udp serve` with a service.
    UdpServe(UdpServeConfig),
    /// `udp serve --mode stdio`.
    UdpStdioServe(stdio::UdpServeConfig),
    /// `udp send`: the seed or echo exchange.
    UdpSend(UdpSendConfig),
    /// `udp send --mode stdio`.
    UdpStdio(stdio::UdpSendConfig),
    /// `udp send` with a load flag.
    UdpLoad(UdpLoad),
    /// `udp send --mode request` with a load flag.
    UdpRequestLoad(UdpRequestLoad),
    /// `completions SHELL`.
    Completions(Shell),
}

/// The output options resolved: colour decided for each stream, `--explain`'s language.
pub fn output(args: &OutputArgs) -> OutputConfig {
    use std::io::IsTerminal;
    OutputConfig {
        quiet: args.quiet,
        verbose: args.verbose,
        json: args.json,
        hex_dump: args.hex_dump.clone(),
        explain: args.explain.then_some(args.lang),
        color_stdout: args.color.enabled(std::io::stdout().is_terminal()),
        color_stderr: stderr_color(args.color),
    }
}

/// Whether stderr gets colour under `choice`.
pub fn stderr_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    choice.enabled(std::io::stderr().is_terminal())
}

/// Whether the command runs one task only, so a single-threaded runtime serves it best.
pub fn single_task(command: &Command) -> bool {
    matches!(command, Command::Udp(UdpCommand::Serve(_)))
}

/// Worker threads for a TCP load run: half the cores (at least one), since the server
/// under test usually shares the machine. Measured on 2 cores (scripts/bench-services and
/// the seed server): against redis-server, 1 thread drove 1.07M pipelined PINGs/s where 2
/// drove 0.90M, and 147k inline where 2 drove 104k; against nginx (1 worker) 82k and 73k
/// against 77k and 69k; against netdemo's own multi-threaded server 6% fewer. `None`
/// leaves tokio's default (every core, or TOKIO_WORKER_THREADS when set).
pub fn load_threads(command: &Command) -> Option<usize> {
    let Command::Tcp(TcpCommand::Connect(args)) = command else {
        return None;
    };
    if !args.load.active() || std::env::var_os("TOKIO_WORKER_THREADS").is_some() {
        return None;
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    Some((cores / 2).max(1))
}

/// Turns a parsed command into the program to run and how its data is shown.
///
/// # Errors
/// A [`UsageError`] for flags that cannot apply or numbers out of range; otherwise a
/// message that cannot be encoded, or a host that does not resolve.
pub async fn plan(command: Command, output: &OutputConfig) -> Result<(Plan, Display)> {
    match command {
        Command::Tcp(TcpCommand::Serve(args)) => tcp_serve(args, output).await,
        Command::Tcp(TcpCommand::Connect(args)) => tcp_connect(args, output).await,
        Command::Udp(UdpCommand::Serve(args)) => udp_serve(args, output).await,
        Command::Udp(UdpCommand::Send(args)) => udp_send(args, output).await,
        Command::Completions(args) => Ok((Plan::Completions(args.shell), Display::default())),
    }
}

/// A usage error (exit 2) with this message.
fn usage(message: impl Into<String>) -> color_eyre::Report {
    UsageError(message.into()).into()
}

/// Refuses `flag` when it was `given` to a program it cannot apply to.
fn refuse(given: bool, flag: &str, program: &str, applies: &str) -> Result<()> {
    if given {
        return Err(usage(format!(
            "{flag} does not apply to {program}: it applies to {applies}"
        )));
    }
    Ok(())
}

/// A duration that must be more than zero.
fn positive(flag: &str, value: Option<Duration>, why: &str) -> Result<()> {
    if value.is_some_and(|v| v.is_zero()) {
        return Err(usage(format!("{flag} 0s {why}")));
    }
    Ok(())
}

async fn tcp_serve(args: TcpServeArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let encoding = args.codec.encoding.unwrap_or_default();
    let mode = args.mode;
    let program = format!("tcp serve --mode {}", mode_name(mode));
    let stdio = mode == ServerMode::Stdio;
    let framed = matches!(
        mode,
        ServerMode::Seed | ServerMode::Echo | ServerMode::Discard
    );
    refuse_encoding(
        &args.codec,
        stdio,
        mode == ServerMode::Chargen,
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
        args.grace.is_some() && stdio,
        "--grace",
        &program,
        "the other modes (stdio stops at once)",
    )?;
    refuse(
        args.idle_timeout.is_some() && mode == ServerMode::Chargen,
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
        "tcp connect --mode request (servers do not parse HTTP requests)",
    )?;
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first).await?;
    let access = access(&args.access);
    let display = Display {
        encoding,
        look: if stdio { Look::Stream } else { Look::Messages },
    };
    if stdio {
        let cfg = stdio::TcpServeConfig {
            addrs,
            on_eof: args.on_eof.unwrap_or_default(),
            keep_open: args.keep_open,
            idle_timeout: args.idle_timeout,
            access,
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
        addrs,
        service: service(mode, encoding, args.delay),
        frames,
        max_connections: args.max_connections.map(|n| n as usize),
        idle_timeout: args.idle_timeout,
        stats: args.stats,
        grace: args.grace.unwrap_or(DEFAULT_GRACE),
        access,
    };
    Ok((Plan::TcpServe(cfg), display))
}

async fn tcp_connect(args: TcpConnectArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let encoding = args.codec.encoding.unwrap_or_default();
    let load = args.load.active();
    let stdio = args.mode == ClientMode::Stdio;
    let program = if args.zero_io {
        "tcp connect -z".to_owned()
    } else if load {
        "a load run (-c, -d, -n, --rate, --size, --warmup)".to_owned()
    } else {
        format!("tcp connect --mode {}", mode_name(args.mode))
    };
    let (host, port) = target(&args.addr)?;
    if port.is_range() && !args.zero_io {
        return Err(usage(format!(
            "--port {port}: a port range is only for `tcp connect -z`"
        )));
    }
    if port.first == 0 {
        return Err(usage(
            "--port 0: a client needs the server's port (0 only lets a server choose one)",
        ));
    }
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
    refuse_encoding(&args.codec, stdio, args.zero_io, output, &program)?;
    refuse(
        args.wait.is_some() && load,
        "--wait",
        &program,
        "a single conversation and -z (a load run counts refused connections as errors)",
    )?;
    let why_not = if args.zero_io {
        "conversations (-z sends nothing)"
    } else {
        "single conversations (a load run would spend its time dumping)"
    };
    refuse(
        output.hex_dump.is_some() && (load || args.zero_io),
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
        framing_given && (stdio || args.zero_io),
        framing_flag(&args.framing),
        &program,
        "seed and echo conversations and load runs",
    )?;
    refuse(
        load && stdio,
        "--mode stdio",
        &program,
        "a single connection (load runs speak the seed or echo protocol)",
    )?;
    refuse(
        stdio && !args.messages.is_empty(),
        "a message argument",
        &program,
        "seed and echo conversations (pipe the data into stdin instead)",
    )?;
    if !explicit_target(&args.addr) {
        refuse_address_as_messages(&args.messages, args.zero_io)?;
    }
    refuse(
        args.zero_io && !args.messages.is_empty(),
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

    if args.zero_io {
        // Resolve once; every port shares the host's addresses.
        let addrs = host.resolve(0).await?;
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
        return Ok((Plan::TcpProbe(cfg), Display::default()));
    }
    let addrs = host.resolve(port.first).await?;
    let look = if stdio { Look::Stream } else { Look::Replies };
    let display = Display { encoding, look };
    if stdio {
        let cfg = stdio::TcpConnectConfig {
            addrs,
            on_eof: args.on_eof.unwrap_or_default(),
            timeout: args.timeout,
            wait: args.wait,
            idle_timeout: args.idle_timeout,
        };
        return Ok((Plan::TcpStdio(cfg), display));
    }
    let check = Check::Frame(frames);
    let expect = expectations(&args.expect, args.mode, encoding, &args.messages, &program)?;
    if load {
        let cfg = tcp_load(&args, addrs, frames, check, expect)?;
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
        encode_messages(
            &args.messages,
            encoding,
            frames.framing,
            check,
            &host_header(&args.addr)?,
        )?
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
        addrs,
        encoding,
        messages,
        from_stdin,
        frames,
        host_header: host_header(&args.addr)?,
        conversation,
        timeout: args.timeout,
        wait: args.wait,
    };
    Ok((Plan::TcpConnect(cfg), display))
}

/// A TCP load run: one request, checked against the framing and `--max-frame` before
/// anything is allocated or sent.
fn tcp_load(
    args: &TcpConnectArgs,
    addrs: Vec<SocketAddr>,
    frames: FrameSpec,
    check: Check,
    expect: Expect,
) -> Result<TcpLoad> {
    if args.mode == ClientMode::Request {
        return request_load(args, addrs, frames, check, expect);
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
        addrs,
        frames,
        greeting,
        vec![Request::Fixed(request)],
        Expect::Exact(vec![expected]),
    )
}

/// The client reads a greeting and each reply as one frame of at most `--max-frame`
/// bytes, in every framing (a raw read is capped by it too): what does not fit would be
/// read as two, and shown as a reply to the wrong message.
fn replies_fit(
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
fn request_load(
    args: &TcpConnectArgs,
    addrs: Vec<SocketAddr>,
    frames: FrameSpec,
    check: Check,
    expect: Expect,
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
    let requests = requests(
        &args.messages,
        encoding,
        frames.framing,
        check,
        &host_header(&args.addr)?,
    )?;
    load_run(args, addrs, frames, None, requests, expect)
}

/// The settings every TCP load run shares, checked: connections within the descriptor
/// limit, a pipeline only where replies can be told apart, a duration above zero.
fn load_run(
    args: &TcpConnectArgs,
    addrs: Vec<SocketAddr>,
    frames: FrameSpec,
    greeting: Option<Vec<u8>>,
    messages: Vec<Request>,
    expect: Expect,
) -> Result<TcpLoad> {
    let load = &args.load;
    let connections = load.connections.unwrap_or(1) as usize;
    check_descriptors(connections)?;
    if load.pipeline.is_some_and(|p| p > 1) && frames.framing == Framing::Raw {
        return Err(usage(
            "--pipeline needs a framing that tells replies apart: with --framing raw, \
             pipelined replies run together (try --framing line, length, resp or http)",
        ));
    }
    positive("-d/--duration", load.duration, "would measure nothing")?;
    Ok(TcpLoad {
        addrs,
        connections,
        duration: load_duration(load.duration, load.requests.is_none()),
        requests: load.requests,
        rate: load.rate,
        warmup: load.warmup.unwrap_or_default(),
        greeting,
        messages,
        expect,
        frames,
        timeout: args.timeout,
        pipeline: load.pipeline.unwrap_or(1),
        labels: args.messages.clone(),
    })
}

/// `-d`, or the default when neither `-d` nor a count says when to stop.
fn load_duration(given: Option<Duration>, uncounted: bool) -> Option<Duration> {
    given.or(uncounted.then_some(DEFAULT_LOAD_DURATION))
}

/// What replies must be: `--expect`/`--expect-regex` in request mode (refused elsewhere).
fn expectations(
    args: &crate::cli::ExpectArgs,
    mode: ClientMode,
    encoding: Encoding,
    messages: &[String],
    program: &str,
) -> Result<Expect> {
    let given = !args.expect.is_empty() || args.expect_regex.is_some();
    refuse(
        given && mode != ClientMode::Request,
        if args.expect.is_empty() {
            "--expect-regex"
        } else {
            "--expect"
        },
        program,
        "--mode request (seed and echo know their replies)",
    )?;
    if let Some(pattern) = &args.expect_regex {
        let regex = regex::bytes::Regex::new(pattern).map_err(|err| {
            // The parser draws a caret under the fault on several lines: keep its words.
            let why = err.to_string();
            let why = why
                .lines()
                .last()
                .unwrap_or_default()
                .trim_start_matches("error: ");
            usage(format!("--expect-regex {pattern}: {why}"))
        })?;
        return Ok(Expect::Regex(regex));
    }
    if args.expect.is_empty() {
        return Ok(Expect::Any);
    }
    let from_args = messages.len();
    if args.expect.len() != 1 && args.expect.len() != from_args {
        return Err(usage(format!(
            "{} --expect for {from_args} message(s): give one for all, or one per message",
            args.expect.len()
        )));
    }
    // Replies are shown with `\r\n` escaped: a TEXT copied from them means those bytes.
    let mut exact = Vec::with_capacity(args.expect.len());
    for text in &args.expect {
        exact.push(if text.contains('\\') {
            crate::framing::unescape(text).map_err(|why| usage(format!("--expect: {why}")))?
        } else {
            encoding.encode(text)?
        });
    }
    Ok(Expect::Exact(exact))
}

/// Encodes each message for its framing: RESP commands are written as words and sent as
/// arrays of bulk strings; other framings carry the encoded text as it is.
fn encode_messages(
    messages: &[String],
    encoding: Encoding,
    framing: Framing,
    check: Check,
    host: &str,
) -> Result<Vec<Vec<u8>>> {
    // A conversation fills its templates once: message i is request i on connection 0.
    let mut rng = Rng::new(0);
    let mut scratch = Scratch::default();
    requests(messages, encoding, framing, check, host)?
        .iter()
        .enumerate()
        .map(|(i, request)| {
            let bytes = request.bytes(i as u64, 0, &mut rng, &mut scratch).to_vec();
            check.check(&bytes).map_err(usage)?;
            Ok(bytes)
        })
        .collect()
}

/// The requests of a load run: fixed bytes, checked now, or templates filled per request.
fn requests(
    messages: &[String],
    encoding: Encoding,
    framing: Framing,
    check: Check,
    host: &str,
) -> Result<Vec<Request>> {
    if !matches!(framing, Framing::Resp | Framing::Http) {
        // Text that cannot be encoded fails here as before (exit 1), placeholders or not.
        let fixed = encode_all(messages, encoding, check)?;
        if encoding.is_binary() {
            // Hex and base64 messages are bytes: nothing in them is a placeholder.
            return Ok(fixed.into_iter().map(Request::Fixed).collect());
        }
    }
    messages
        .iter()
        .map(|text| {
            let request = Request::new(text, encoding, framing, host).map_err(usage)?;
            if let Some(bytes) = request.fixed() {
                check.check(bytes).map_err(usage)?;
            }
            Ok(request)
        })
        .collect()
}

/// The Host header of HTTP requests: the host as given, with the port unless it is 80.
fn host_header(addr: &AddrArgs) -> Result<String> {
    let (host, port) = target(addr)?;
    let name = if host.name.contains(':') {
        format!("[{}]", host.name)
    } else {
        host.name
    };
    Ok(match port.first {
        80 => name,
        port => format!("{name}:{port}"),
    })
}

/// `-c` beyond the file descriptor limit would fail part-way with EMFILE: say so first.
fn check_descriptors(connections: usize) -> Result<()> {
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

async fn udp_serve(args: UdpServeArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let encoding = args.codec.encoding.unwrap_or_default();
    let mode = args.mode;
    let program = format!("udp serve --mode {}", mode_name(mode));
    let stdio = mode == ServerMode::Stdio;
    refuse_encoding(
        &args.codec,
        stdio,
        mode == ServerMode::Chargen,
        output,
        &program,
    )?;
    refuse(
        args.framing.is_some() && !stdio,
        "--framing",
        &program,
        "--mode stdio",
    )?;
    refuse(args.stats && stdio, "--stats", &program, "the other modes")?;
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first).await?;
    let access = access(&args.access);
    if stdio {
        let framing = args.framing.unwrap_or_default();
        let display = Display {
            encoding,
            look: stdio_look(framing),
        };
        let cfg = stdio::UdpServeConfig {
            addrs,
            framing,
            access,
        };
        return Ok((Plan::UdpStdioServe(cfg), display));
    }
    let cfg = UdpServeConfig {
        addrs,
        service: service(mode, encoding, None),
        stats: args.stats,
        access,
    };
    let display = Display {
        encoding,
        look: Look::Messages,
    };
    Ok((Plan::UdpServe(cfg), display))
}

async fn udp_send(args: UdpSendArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let encoding = args.codec.encoding.unwrap_or_default();
    let load = args.load.active();
    let stdio = args.mode == ClientMode::Stdio;
    let program = if load {
        "a UDP load run (-n, -d, --rate, --size)".to_owned()
    } else {
        format!("udp send --mode {}", mode_name(args.mode))
    };
    refuse(
        args.framing.is_some() && !stdio,
        "--framing",
        &program,
        "--mode stdio",
    )?;
    refuse(
        args.retries.is_some() && (stdio || load),
        "--retries",
        &program,
        "seed and echo exchanges (stdio mode and load runs never send a datagram twice)",
    )?;
    refuse(
        load && stdio,
        "--mode stdio",
        &program,
        "a single exchange (load runs speak the seed or echo protocol)",
    )?;
    refuse(
        stdio && !args.data.is_empty(),
        "a data argument",
        &program,
        "seed and echo exchanges (pipe the data into stdin instead)",
    )?;
    refuse(
        load && !args.data.is_empty() && args.mode != ClientMode::Request,
        "a data argument",
        &program,
        "seed and echo exchanges (a load run sends numbered datagrams of --size bytes)",
    )?;
    refuse(
        output.hex_dump.is_some() && load,
        "-x/--hex-dump",
        &program,
        "single exchanges (a load run would spend its time dumping)",
    )?;
    refuse(
        output.explain.is_some() && load,
        "--explain",
        &program,
        "single exchanges (narrating every datagram would be the measurement)",
    )?;
    positive(
        "--timeout",
        Some(args.timeout),
        "would count every datagram lost",
    )?;
    refuse_encoding(&args.codec, stdio, false, output, &program)?;
    if !explicit_target(&args.addr) {
        refuse_address_as_messages(&args.data, false)?;
    }
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    if port.first == 0 {
        return Err(usage(
            "--port 0: a sender needs the server's port (0 only lets a server choose one)",
        ));
    }
    let addrs = host.resolve(port.first).await?;
    if stdio {
        let framing = args.framing.unwrap_or_default();
        let display = Display {
            encoding,
            look: stdio_look(framing),
        };
        let cfg = stdio::UdpSendConfig {
            addrs,
            framing,
            timeout: args.timeout,
        };
        return Ok((Plan::UdpStdio(cfg), display));
    }
    let display = Display {
        encoding,
        look: Look::Answers,
    };
    let echo = args.mode == ClientMode::Echo;
    let request = args.mode == ClientMode::Request;
    let expect = expectations(&args.expect, args.mode, encoding, &args.data, &program)?;
    if load && request {
        refuse(
            args.load.rate.is_some(),
            "--rate",
            &program,
            "TCP loads and UDP seed and echo loads (a UDP request load keeps one request in \
             flight: a service's datagrams carry nothing to match replies to a schedule)",
        )?;
        refuse(
            args.load.size.is_some(),
            "--size",
            &program,
            "the seed and echo modes (in --mode request, give the messages)",
        )?;
        if args.data.is_empty() || args.data == [FROM_STDIN] {
            return Err(usage(
                "--mode request needs the messages to send as arguments (they rotate)",
            ));
        }
        positive("-d/--duration", args.load.duration, "would send nothing")?;
        let messages = requests(&args.data, encoding, Framing::Raw, Check::Datagram, "")?;
        let cfg = UdpRequestLoad {
            addrs,
            messages,
            labels: args.data.clone(),
            expect,
            count: args.load.count,
            duration: load_duration(args.load.duration, args.load.count.is_none()),
            timeout: args.timeout,
        };
        return Ok((Plan::UdpRequestLoad(cfg), display));
    }
    if load {
        let size = args.load.size.unwrap_or(DEFAULT_UDP_SIZE);
        if !(HEADER..=MAX_UDP_SIZE).contains(&size) {
            return Err(usage(format!(
                "--size {size}: a load datagram is {HEADER} (sequence number and send time) to \
                 {MAX_UDP_SIZE} bytes"
            )));
        }
        positive("-d/--duration", args.load.duration, "would send nothing")?;
        let prefix = if echo {
            Vec::new()
        } else {
            Wire::new(encoding).udp_reply(b"")
        };
        let cfg = UdpLoad {
            addrs,
            count: args.load.count,
            duration: args.load.duration.or(if args.load.count.is_none() {
                Some(DEFAULT_LOAD_DURATION)
            } else {
                None
            }),
            rate: args.load.rate,
            size,
            prefix,
            timeout: args.timeout,
        };
        return Ok((Plan::UdpLoad(cfg), display));
    }
    let from_stdin = args.data == [FROM_STDIN];
    let datagrams = if from_stdin {
        Vec::new()
    } else if args.data.is_empty() && args.mode == ClientMode::Seed {
        protocol::DEFAULT_UDP_DATA
            .iter()
            .map(|text| encoding.protocol_bytes(text))
            .collect()
    } else if args.data.is_empty() {
        return Err(usage(format!(
            "--mode {} needs data to send: give it as arguments, or - for stdin",
            mode_name(args.mode)
        )));
    } else {
        encode_all(&args.data, encoding, Check::Datagram)?
    };
    let cfg = UdpSendConfig {
        addrs,
        encoding,
        datagrams,
        from_stdin,
        timeout: args.timeout,
        retries: args.retries.unwrap_or(DEFAULT_RETRIES),
        echo,
        request: request.then_some(expect),
    };
    Ok((Plan::UdpSend(cfg), display))
}

/// The service of a server mode. Stdio mode is a program of its own, planned before this.
fn service(mode: ServerMode, encoding: Encoding, delay: Option<Duration>) -> Service {
    match mode {
        ServerMode::Seed => Service::Seed(SeedServer::new(encoding, delay)),
        ServerMode::Echo => Service::Echo,
        ServerMode::Discard => Service::Discard,
        ServerMode::Chargen | ServerMode::Stdio => Service::Chargen,
    }
}

/// `-e` decides how typed text becomes bytes and how received bytes are shown. Stdio mode
/// passes bytes through untouched (only `--json` shows them as text), and `-z` and
/// chargen show nothing: there it would do nothing.
fn refuse_encoding(
    codec: &crate::cli::CodecArgs,
    stdio: bool,
    shows_nothing: bool,
    output: &OutputConfig,
    program: &str,
) -> Result<()> {
    refuse(
        codec.encoding.is_some() && (shows_nothing || (stdio && !output.json)),
        "-e/--encoding",
        program,
        "messages and what is shown of them (stdio mode passes bytes through unchanged; \
         with --json it decides how they are shown)",
    )
}

/// Encodes each message and checks it can be sent whole.
fn encode_all(messages: &[String], encoding: Encoding, check: Check) -> Result<Vec<Vec<u8>>> {
    messages
        .iter()
        .map(|text| {
            let bytes = encoding.encode(text)?;
            check.check(&bytes).map_err(usage)?;
            Ok(bytes)
        })
        .collect()
}

/// `--framing`, `--crlf` and `--max-frame` as one spec; refused where framing does not
/// apply (`framed` false), and `--crlf` without line framing.
fn frame_spec(
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
fn framing_flag(args: &crate::cli::FramingArgs) -> &'static str {
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

/// The name a `--mode` value is written with on the command line.
fn mode_name(mode: impl clap::ValueEnum) -> String {
    mode.to_possible_value()
        .map(|value| value.get_name().to_owned())
        .unwrap_or_default()
}

fn stdio_look(framing: stdio::DatagramFraming) -> Look {
    match framing {
        stdio::DatagramFraming::Line => Look::Lines,
        stdio::DatagramFraming::Raw => Look::Stream,
    }
}

fn access(args: &AccessArgs) -> AccessList {
    AccessList::new(args.allow.clone(), args.deny.clone())
}

fn refuse_range(port: Ports) -> Result<()> {
    if port.is_range() {
        return Err(usage(format!(
            "--port {port}: a port range is only for `tcp connect -z`"
        )));
    }
    Ok(())
}

/// Whether `--host` or `-p` was given: then message arguments are messages, whatever they
/// look like.
fn explicit_target(addr: &AddrArgs) -> bool {
    addr.host.is_some() || addr.port.is_some()
}

/// `netdemo tcp connect 127.0.0.1 8080` is nc's habit: a host and a port given as messages
/// would be sent to 127.0.0.1:9999. Refused, pointing at `--host` and `-p`.
fn refuse_address_as_messages(messages: &[String], zero_io: bool) -> Result<()> {
    let [host, port] = messages else {
        return Ok(());
    };
    let looks_like_host = host.parse::<IpAddr>().is_ok()
        || host.eq_ignore_ascii_case("localhost")
        || (host.contains('.') && crate::net::is_host_name(host) && !host.ends_with('.'));
    let looks_like_port =
        !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok();
    if looks_like_host && looks_like_port {
        let host_flag = if host.contains(':') {
            format!("'[{host}]'")
        } else {
            host.clone()
        };
        let otherwise = if zero_io {
            "-z takes no messages"
        } else {
            "to send them as two messages, give --host or -p too"
        };
        return Err(usage(format!(
            "'{host} {port}' looks like a host and a port, but netdemo takes them as \
             --host {host_flag} -p {port}; {otherwise}"
        )));
    }
    Ok(())
}

/// The host and port(s) to use: `--host` (which may carry a port, as `127.0.0.1:8080` or
/// `[::1]:8080`), `-p`, `-4`/`-6`, and the defaults.
fn target(addr: &AddrArgs) -> Result<(Host, Ports)> {
    let family = match (addr.ipv4, addr.ipv6) {
        (true, _) => Family::V4,
        (_, true) => Family::V6,
        _ => Family::Any,
    };
    let (name, embedded) = match &addr.host {
        Some(host) => split_host_port(host)?,
        None if addr.ipv6 => ("::1".to_owned(), None),
        None => ("127.0.0.1".to_owned(), None),
    };
    let port = match (embedded, addr.port) {
        (Some(embedded), Some(flag)) if flag != Ports::single(embedded) => {
            return Err(usage(format!(
                "--host gives port {embedded} and -p gives {flag}: give the port once"
            )));
        }
        (Some(embedded), _) => Ports::single(embedded),
        (None, Some(flag)) => flag,
        (None, None) => Ports::single(DEFAULT_PORT),
    };
    Ok((Host { name, family }, port))
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`. A bare IPv6 address has colons of its own
/// and no port.
fn split_host_port(host: &str) -> Result<(String, Option<u16>)> {
    let bad_port = |port: &str| {
        if port.contains('-') {
            return usage(format!(
                "--host {host}: a port range goes in -p, e.g. -p {port} (with `tcp connect -z`)"
            ));
        }
        usage(format!(
            "--host {host}: '{port}' is not a port number (0-65535)"
        ))
    };
    if let Some(rest) = host.strip_prefix('[') {
        let Some((inner, after)) = rest.split_once(']') else {
            return Err(usage(format!("--host {host}: missing ']'")));
        };
        return match after {
            "" => Ok((inner.to_owned(), None)),
            _ => {
                let port = after.strip_prefix(':').ok_or_else(|| bad_port(after))?;
                let port = port.parse().map_err(|_| bad_port(port))?;
                Ok((inner.to_owned(), Some(port)))
            }
        };
    }
    if host.is_empty() {
        return Err(usage(
            "--host is empty: give a name or an address, e.g. 127.0.0.1",
        ));
    }
    match host.split_once(':') {
        Some((name, port)) if !port.contains(':') => {
            let port = port.parse().map_err(|_| bad_port(port))?;
            Ok((name.to_owned(), Some(port)))
        }
        // `::1:40000` is not an address: the port was written without brackets.
        Some(_) if host.parse::<std::net::Ipv6Addr>().is_err() => {
            if let Some((ip, port)) = host.rsplit_once(':')
                && ip.parse::<std::net::Ipv6Addr>().is_ok()
                && port.parse::<u16>().is_ok()
            {
                return Err(usage(format!(
                    "--host {host}: an IPv6 address with a port is written [{ip}]:{port}"
                )));
            }
            Ok((host.to_owned(), None))
        }
        _ => Ok((host.to_owned(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_may_carry_a_port() {
        let split = |h: &str| split_host_port(h).unwrap();
        assert_eq!(split("127.0.0.1:8080"), ("127.0.0.1".into(), Some(8080)));
        assert_eq!(split("[::1]:8080"), ("::1".into(), Some(8080)));
        assert_eq!(split("[::1]"), ("::1".into(), None));
        assert_eq!(split("::1"), ("::1".into(), None));
        assert_eq!(split("localhost"), ("localhost".into(), None));
        assert!(split_host_port("localhost:http").is_err());
        assert!(split_host_port("").is_err());
        let range = split_host_port("127.0.0.1:8000-8010")
            .unwrap_err()
            .to_string();
        assert!(range.contains("a port range goes in -p"), "{range}");
        let bare = split_host_port("::1:40000").unwrap_err().to_string();
        assert!(bare.contains("written [::1]:40000"), "{bare}");
        assert!(split_host_port("[::1").is_err());
    }

    #[test]
    fn an_address_and_a_port_are_not_messages() {
        let refused = |m: &[&str]| {
            refuse_address_as_messages(&m.iter().map(|s| s.to_string()).collect::<Vec<_>>(), false)
                .is_err()
        };
        assert!(refused(&["127.0.0.1", "8080"]));
        assert!(refused(&["localhost", "80"]));
        assert!(refused(&["example.com", "443"]));
        assert!(!refused(&["Hello", "Word"]));
        assert!(!refused(&["hello", "80"]));
        assert!(!refused(&["127.0.0.1"]));
    }
}
