//! netdemo: talk TCP and UDP from the command line.
//!
//! # Layout
//! - `cli`: the command line (clap derive only); `addr` and `encoding` resolve its shared
//!   option groups into socket addresses and an [`encoding::Encoding`]; `access` decides
//!   which peers a server talks to.
//! - `protocol`: the tutorial's strings and replies; `framing`: bytes to messages on TCP;
//!   `messages`: what clients send, from the arguments or stdin.
//! - `mode`: what a peer gets: the tutorial's protocol (`seed`), `echo`, `discard`,
//!   `chargen`, and netcat's `stdio`.
//! - `tcp`, `udp`: the transports, one file for the server and one for the client each
//!   (plus `tcp::probe` for `-z`, `udp::batch` for recvmmsg/sendmmsg).
//! - `load`: load generation and its statistics; `counters`: a server's `--stats`.
//! - `output`: the only writer of stdout and stderr (human text or `--json` events);
//!   `hexdump`: `-x`; `explain`: `--explain`'s narration; `shutdown`: signals and
//!   draining.
//! - `error`: typed errors and exit codes; `completions`: shell scripts.
//!
//! [`run`] dispatches a parsed command line; tests call the transports' `serve` directly
//! with a port-0 listener and their own shutdown future.

pub mod access;
pub mod addr;
pub mod cli;
pub mod completions;
pub mod counters;
pub mod encoding;
pub mod error;
pub mod explain;
pub mod framing;
pub mod hexdump;
pub mod load;
pub mod messages;
pub mod mode;
pub mod output;
pub mod protocol;
pub mod shutdown;
pub mod tcp;
pub mod udp;

use std::sync::Arc;

use color_eyre::eyre::Result;

use cli::{Command, TcpCommand, UdpCommand};
use output::Printer;

/// Runs one subcommand to completion.
///
/// # Errors
/// Whatever stopped the command, with context, ready to be printed on one line.
pub async fn run(command: Command, printer: Arc<Printer>) -> Result<()> {
    match command {
        Command::Tcp(TcpCommand::Serve(args)) => {
            let cfg = tcp::TcpServeConfig::from_args(&args).await?;
            let stop = shutdown::signal();
            let listener = tcp::bind(&cfg.addrs).await?;
            tcp::serve(listener, cfg, printer.clone(), stop).await?;
        }
        Command::Tcp(TcpCommand::Connect(args)) if args.zero_io => {
            let cfg = tcp::ProbeConfig::from_args(&args).await?;
            tcp::probe(&cfg, printer.clone()).await?;
        }
        Command::Tcp(TcpCommand::Connect(args)) if args.load.active() => {
            let cfg = load::tcp::TcpLoad::from_args(&args).await?;
            load::run_and_report(load::tcp::run(cfg, &printer).await, &printer)?;
        }
        Command::Tcp(TcpCommand::Connect(args)) => {
            let cfg = tcp::TcpConnectConfig::from_args(&args).await?;
            tcp::connect(&cfg, printer.clone()).await?;
        }
        Command::Udp(UdpCommand::Serve(args)) => {
            let cfg = udp::UdpServeConfig::from_args(&args).await?;
            let stop = shutdown::signal();
            let socket = udp::bind(&cfg.addrs).await?;
            udp::serve(socket, cfg, printer.clone(), stop).await?;
        }
        Command::Udp(UdpCommand::Send(args)) if args.load.active() => {
            let cfg = load::udp::UdpLoad::from_args(&args).await?;
            load::run_and_report(load::udp::run(cfg, &printer).await?, &printer)?;
        }
        Command::Udp(UdpCommand::Send(args)) => {
            let cfg = udp::UdpSendConfig::from_args(&args).await?;
            udp::send(&cfg, printer.clone()).await?;
        }
        Command::Completions(args) => printer.raw(&completions::script(args.shell)),
    }
    printer.finish()?;
    Ok(())
}
