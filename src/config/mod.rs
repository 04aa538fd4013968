//! From the command line to what runs: [`plan`] turns a parsed [`Command`] into one
//! [`Plan`], a variant per program, resolved and validated before any socket opens.
//!
//! This is the only module below `main` that reads `cli` (`tests/layers.rs` keeps it so).
//! Every default is written here once, every rule that spans flags is checked here once,
//! and a flag given where it cannot apply is a usage error that names the flag and where
//! it does apply: a flag silently ignored is a test that silently tests something else.
//! Messages are encoded and checked here too, with the same check that lines typed on
//! stdin get at run time ([`Check`]).
//!
//! - `tcp.rs`: `tcp serve` and `tcp connect` (conversations, `-z`, load runs), and
//!   `unix serve` and `unix connect`, the same programs on a Unix-domain socket;
//!   `udp.rs`: `udp serve` and `udp send`.
//! - `target.rs`: `--host`/`-p` as a host and ports (nc's `HOST:PORT` too), the Host
//!   header, and arguments that look like an address.
//! - `encode.rs`: messages, requests and `--expect` as bytes.
//! - `tls.rs`: `--tls` and its certificates, trust and protocols.
//! - `relay.rs`: `tcp relay` and `udp relay`, their target and faults.
//! - `shard.rs`: `--shard` and `--start-at`, and what a load report says it is of.
//! - This file: the `Plan`, the output options, the defaults, and the helpers that word a
//!   refusal.

use std::time::Duration;

use clap_complete::Shell;
use color_eyre::eyre::Result;

use crate::access::AccessList;
use crate::cli::{
    AccessArgs, ColorChoice, Command, OutputArgs, ServerMode, TcpCommand, UdpCommand, UnixCommand,
};
use crate::encoding::Encoding;
use crate::error::UsageError;
use crate::load::tcp::TcpLoad;
use crate::load::udp::UdpLoad;
use crate::load::udp_request::UdpRequestLoad;
use crate::output::{Display, Look, OutputConfig};
use crate::service::{SeedServer, Service};
use crate::stdio;
use crate::tcp::{ProbeConfig, TcpConnectConfig, TcpServeConfig};
use crate::udp::{UdpSendConfig, UdpServeConfig};

mod encode;
mod relay;
mod shard;
mod target;
mod tcp;
mod tls;
mod udp;

use relay::{tcp_relay, udp_relay};
use tcp::{tcp_connect, tcp_serve, unix_connect, unix_serve};
use udp::{udp_send, udp_serve};

/// The port when `-p` is not given: the tutorial's.
pub const DEFAULT_PORT: u16 = 9999;
/// `tcp serve --max-buffered`'s default: 64 connections' worth of 1 MiB partial messages.
const DEFAULT_MAX_BUFFERED: usize = 64 << 20;
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

/// What will run: one variant per program, each with its settings resolved. The `Tcp*`
/// programs and `Throughput` are stream programs: `unix serve` and `unix connect` plan them too,
/// with a Unix socket for their address.
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
    /// `tcp relay`.
    TcpRelay(crate::relay::TcpRelayConfig),
    /// `udp relay`.
    UdpRelay(crate::relay::UdpRelayConfig),
    /// `tcp connect --mode send|receive`: a throughput run.
    Throughput(crate::load::throughput::ThroughputConfig),
    /// `merge FILE...`: load reports added up.
    Merge(Vec<std::path::PathBuf>),
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

/// The tokio runtime a program needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// One thread: the program is one task (a UDP server), or only its accept loop runs
    /// there (a stream server's connections have threads of their own).
    OneThread,
    /// Many threads: `Some(n)` of them, or tokio's default (every core, or
    /// `TOKIO_WORKER_THREADS`).
    Threads(Option<usize>),
}

/// A planned program: what runs, how its data is shown, and on which runtime.
#[derive(Debug)]
pub struct Planned {
    pub plan: Plan,
    pub display: Display,
    pub runtime: Runtime,
}

/// The runtime `command` needs, said before the command is planned (which consumes it).
fn runtime(command: &Command) -> Runtime {
    if single_task(command) {
        Runtime::OneThread
    } else {
        Runtime::Threads(load_threads(command))
    }
}

/// Whether the command runs one task only, so a single-threaded runtime serves it best.
fn single_task(command: &Command) -> bool {
    match command {
        Command::Udp(UdpCommand::Serve(_)) => true,
        // Its accept loop only: connections run on worker threads of their own
        // (tcp/workers.rs, `server_threads`).
        Command::Tcp(TcpCommand::Serve(args)) => args.serve.mode != ServerMode::Stdio,
        Command::Unix(UnixCommand::Serve(args)) => args.serve.mode != ServerMode::Stdio,
        _ => false,
    }
}

/// Worker threads for a TCP load run: half the cores (at least one), since the server
/// under test usually shares the machine. Measured on 2 cores (scripts/bench-services and
/// the seed server): against redis-server, 1 thread drove 1.07M pipelined PINGs/s where 2
/// drove 0.90M, and 147k inline where 2 drove 104k; against nginx (1 worker) 82k and 73k
/// against 77k and 69k; against netdemo's own multi-threaded server 6% fewer. `None`
/// leaves tokio's default (every core, or TOKIO_WORKER_THREADS when set).
fn load_threads(command: &Command) -> Option<usize> {
    let args = match command {
        Command::Tcp(TcpCommand::Connect(args)) => &args.connect,
        Command::Unix(UnixCommand::Connect(args)) => &args.connect,
        _ => return None,
    };
    if !args.load.active() || std::env::var_os("TOKIO_WORKER_THREADS").is_some() {
        return None;
    }
    Some(half_the_cores())
}

/// Threads for `tcp serve`'s connections: half the cores (at least one), leaving the rest
/// to a client on the same machine, as a load run does; `TOKIO_WORKER_THREADS` overrides.
/// On 2 cores shared with the client, one connection thread beside the accept loop gave
/// 0.67-1.08x the reference server's round trips with a blocking client and 1.5-2.1x with
/// an epoll client, where two gave 0.77-0.85x and 1.2-1.4x (scripts/bench-tcp's notes).
fn server_threads() -> usize {
    std::env::var("TOKIO_WORKER_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(half_the_cores)
}

fn half_the_cores() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (cores / 2).max(1)
}

/// Turns a parsed command into the program to run, how its data is shown, and the runtime
/// it needs. Synchronous (names are resolved by the system resolver, blocking), so it runs
/// before any runtime exists.
///
/// # Errors
/// A [`UsageError`] for flags that cannot apply or numbers out of range; otherwise a
/// message that cannot be encoded, or a host that does not resolve.
pub fn plan(command: Command, output: &OutputConfig) -> Result<Planned> {
    let runtime = runtime(&command);
    let (plan, display) = program(command, output)?;
    Ok(Planned {
        plan,
        display,
        runtime,
    })
}

/// The program of `command`, by its planner.
fn program(command: Command, output: &OutputConfig) -> Result<(Plan, Display)> {
    match command {
        Command::Tcp(TcpCommand::Serve(args)) => tcp_serve(args, output),
        Command::Unix(UnixCommand::Serve(args)) => unix_serve(args, output),
        Command::Unix(UnixCommand::Connect(args)) => unix_connect(args, output),
        Command::Tcp(TcpCommand::Connect(args)) => tcp_connect(args, output),
        Command::Udp(UdpCommand::Serve(args)) => udp_serve(args, output),
        Command::Udp(UdpCommand::Send(args)) => udp_send(args, output),
        Command::Tcp(TcpCommand::Relay(args)) => tcp_relay(args),
        Command::Udp(UdpCommand::Relay(args)) => udp_relay(args),
        Command::Merge(args) => Ok((Plan::Merge(args.files), Display::default())),
        Command::Completions(args) => Ok((Plan::Completions(args.shell), Display::default())),
    }
}

/// A usage error (exit 2) with this message.
pub(super) fn usage(message: impl Into<String>) -> color_eyre::Report {
    UsageError(message.into()).into()
}

/// Refuses `flag` when it was `given` to a program it cannot apply to.
pub(super) fn refuse(given: bool, flag: &str, program: &str, applies: &str) -> Result<()> {
    if given {
        return Err(usage(format!(
            "{flag} does not apply to {program}: it applies to {applies}"
        )));
    }
    Ok(())
}

/// A duration that must be more than zero.
pub(super) fn positive(flag: &str, value: Option<Duration>, why: &str) -> Result<()> {
    if value.is_some_and(|v| v.is_zero()) {
        return Err(usage(format!("{flag} 0s {why}")));
    }
    Ok(())
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

/// `-e` decides how typed text becomes bytes and how received bytes are shown. Stdio mode
/// passes bytes through untouched (only `--json` shows them as text), and `-z` and
/// chargen show nothing: there it would do nothing.
pub(super) fn refuse_encoding(
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

/// The name a `--mode` value is written with on the command line.
pub(super) fn mode_name(mode: impl clap::ValueEnum) -> String {
    mode.to_possible_value()
        .map(|value| value.get_name().to_owned())
        .unwrap_or_default()
}

pub(super) fn stdio_look(framing: stdio::DatagramFraming) -> Look {
    match framing {
        stdio::DatagramFraming::Line => Look::Lines,
        stdio::DatagramFraming::Raw => Look::Stream,
    }
}

pub(super) fn access(args: &AccessArgs) -> AccessList {
    AccessList::new(args.allow.clone(), args.deny.clone())
}
