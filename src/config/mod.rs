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
//! One file per program's planning, each checking its own flags:
//! - `serve.rs`: `tcp serve` and `unix serve` (every mode, stdio included);
//! - `connect.rs`: `tcp connect` and `unix connect`, classified into the client program
//!   they ask for, which `conversation.rs`, `stdio.rs`, `probe.rs` (`-z`), `load.rs` and
//!   `throughput.rs` then plan;
//! - `udp.rs`: `udp serve` and `udp send` (exchanges, stdio, load runs);
//! - `relay.rs`: `tcp relay` and `udp relay`, their target and faults.
//!
//! Beside them: `refuse.rs` words every refusal; `target.rs` reads `--host`/`-p` (nc's
//! `HOST:PORT` too) and the Host header; `frames.rs` the framing flags; `encode.rs`
//! messages, requests and `--expect` as bytes; `tls.rs` `--tls` and its certificates;
//! `shard.rs` `--shard`, `--start-at` and what a load report says it is of; `pace.rs` a
//! load run's pace (closed loop, `--rate`, `--ramp`, `--stages`, `--find-max-rate`); `runtime.rs`
//! the runtime and threads a program needs. This file: the `Plan`, the output options and
//! the defaults.

use std::time::Duration;

use clap_complete::Shell;
use color_eyre::eyre::Result;

use crate::cli::{
    ColorChoice, Command, OutputArgs, TcpCommand, UdpCommand, UnixCommand, WsCommand,
};
use crate::load::tcp::TcpLoad;
use crate::load::udp::UdpLoad;
use crate::load::udp_request::UdpRequestLoad;
use crate::output::{Display, OutputConfig};
use crate::tcp::{ProbeConfig, TcpConnectConfig, TcpServeConfig};
use crate::udp::{UdpSendConfig, UdpServeConfig};

mod connect;
mod conversation;
mod encode;
mod frames;
mod load;
mod pace;
mod probe;
mod refuse;
mod relay;
mod runtime;
mod serve;
mod shard;
mod stdio;
mod target;
mod throughput;
mod tls;
mod udp;
mod ws;

pub use runtime::Runtime;

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

/// What will run: one variant per program, each with its settings resolved. The `Tcp*`
/// programs and `Throughput` are stream programs: `unix serve` and `unix connect` plan them too,
/// with a Unix socket for their address.
#[derive(Debug)]
pub enum Plan {
    /// `tcp serve` with a service (seed, echo, discard, chargen).
    TcpServe(TcpServeConfig),
    /// `tcp serve --mode stdio`.
    TcpStdioServe(crate::stdio::TcpServeConfig),
    /// `tcp connect`: the seed or echo conversation.
    TcpConnect(TcpConnectConfig),
    /// `tcp connect --mode stdio`.
    TcpStdio(crate::stdio::TcpConnectConfig),
    /// `tcp connect -z`.
    TcpProbe(ProbeConfig),
    /// `tcp connect` with a load flag.
    TcpLoad(TcpLoad),
    /// `udp serve` with a service.
    UdpServe(UdpServeConfig),
    /// `udp serve --mode stdio`.
    UdpStdioServe(crate::stdio::UdpServeConfig),
    /// `udp send`: the seed or echo exchange.
    UdpSend(UdpSendConfig),
    /// `udp send --mode stdio`.
    UdpStdio(crate::stdio::UdpSendConfig),
    /// `udp send` with a load flag.
    UdpLoad(UdpLoad),
    /// `udp send --mode request` with a load flag.
    UdpRequestLoad(UdpRequestLoad),
    /// A load run with `--find-max-rate`: a search over its rate.
    Capacity(crate::load::capacity::Capacity),
    /// `tcp relay`.
    TcpRelay(crate::relay::TcpRelayConfig),
    /// `udp relay`.
    UdpRelay(crate::relay::UdpRelayConfig),
    /// `tcp connect --mode send|receive`: a throughput run.
    Throughput(crate::load::throughput::ThroughputConfig),
    /// `udp send --mode send`: one-way UDP throughput.
    UdpOneWay(crate::load::one_way::OneWayConfig),
    /// `merge FILE...`: load reports added up.
    Merge {
        files: Vec<std::path::PathBuf>,
        /// `--html`: the merged report as a page.
        html: Option<std::path::PathBuf>,
    },
    /// `ws serve`.
    WsServe(crate::ws::WsServeConfig),
    /// `ws connect`.
    WsConnect(crate::ws::WsConnectConfig),
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
        pcap: args.pcap.clone(),
        pcap_secrets: args.pcap_secrets.then(Default::default),
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

/// A planned program: what runs, how its data is shown, and on which runtime.
#[derive(Debug)]
pub struct Planned {
    pub plan: Plan,
    pub display: Display,
    pub runtime: Runtime,
}

/// Turns a parsed command into the program to run, how its data is shown, and the runtime
/// it needs. Synchronous (names are resolved by the system resolver, blocking), so it runs
/// before any runtime exists.
///
/// # Errors
/// A [`UsageError`] for flags that cannot apply or numbers out of range; otherwise a
/// message that cannot be encoded, or a host that does not resolve.
pub fn plan(command: Command, output: &OutputConfig) -> Result<Planned> {
    if output.pcap.is_some() {
        refuse_pcap_for(&command)?;
    }
    if output.pcap_secrets.is_some()
        && !matches!(
            command,
            Command::Tcp(TcpCommand::Serve(_) | TcpCommand::Connect(_))
        )
    {
        return Err(refuse::usage(
            "--pcap-secrets applies to tcp serve and tcp connect with --tls: no other \
             program makes TLS secrets (the relays pass TLS through as bytes)",
        ));
    }
    let (plan, display) = program(command, output)?;
    if output.pcap.is_some() {
        refuse_pcap_in(&plan)?;
    }
    let runtime = runtime::of(&plan);
    Ok(Planned {
        plan,
        display,
        runtime,
    })
}

/// `--pcap` where the capture is not written yet, or could not be true: refused with the
/// reason, never a file that silently misses what went over the wire.
fn refuse_pcap_for(command: &Command) -> Result<()> {
    let refused = match command {
        Command::Merge(_) | Command::Completions(_) => {
            Some(("merge and completions", "they send nothing over a network"))
        }
        Command::Ws(_) => Some((
            "ws serve and ws connect",
            "their connections are not tapped yet (capture one with tcpdump or Wireshark)",
        )),
        _ => None,
    };
    match refused {
        Some((program, why)) => Err(refuse::usage(format!(
            "--pcap does not apply to {program}: {why}"
        ))),
        None => Ok(()),
    }
}

/// `--pcap` on a load run, a throughput run or `-z`: refused, with what it applies to.
fn refuse_pcap_in(plan: &Plan) -> Result<()> {
    let program = match plan {
        Plan::TcpLoad(_) | Plan::UdpLoad(_) | Plan::UdpRequestLoad(_) | Plan::Capacity(_) => {
            "load runs (millions of packets would fill the disk and slow the run)"
        }
        Plan::Throughput(_) | Plan::UdpOneWay(_) => {
            "throughput runs (gigabytes of packets would fill the disk and slow the run)"
        }
        Plan::TcpProbe(_) => "-z (it sends nothing)",
        _ => return Ok(()),
    };
    Err(refuse::usage(format!(
        "--pcap does not apply to {program}: capture a single conversation, a stdio \
         session, a server or a relay"
    )))
}

/// The program of `command`, by its planner.
fn program(command: Command, output: &OutputConfig) -> Result<(Plan, Display)> {
    match command {
        Command::Tcp(TcpCommand::Serve(args)) => serve::tcp_serve(args, output),
        Command::Unix(UnixCommand::Serve(args)) => serve::unix_serve(args, output),
        Command::Unix(UnixCommand::Connect(args)) => connect::unix_connect(args, output),
        Command::Tcp(TcpCommand::Connect(args)) => connect::tcp_connect(args, output),
        Command::Udp(UdpCommand::Serve(args)) => udp::udp_serve(args, output),
        Command::Udp(UdpCommand::Send(args)) => udp::udp_send(args, output),
        Command::Tcp(TcpCommand::Relay(args)) => relay::tcp_relay(args),
        Command::Udp(UdpCommand::Relay(args)) => relay::udp_relay(args),
        Command::Merge(args) => Ok((
            Plan::Merge {
                files: args.files,
                html: args.html,
            },
            Display::default(),
        )),
        Command::Ws(WsCommand::Serve(args)) => ws::ws_serve(args, output),
        Command::Ws(WsCommand::Connect(args)) => ws::ws_connect(args, output),
        Command::Completions(args) => Ok((Plan::Completions(args.shell), Display::default())),
    }
}
