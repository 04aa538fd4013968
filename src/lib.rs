//! netdemo: talk TCP and UDP from the command line.
//!
//! # Layout
//! Imports flow one way, top to bottom (`tests/layers.rs` fails on a cycle, on a program
//! importing another, and on `cli` importing a program):
//! - `cli`: the command line (clap derive only). `config`: the only reader of `cli`; turns
//!   a parsed command into a [`config::Plan`], one variant per program, validated.
//! - The programs: `tcp` and `udp` (the transports: servers, clients, `-z`), `service`
//!   (what a server's peer gets: seed, echo, discard, chargen), `stdio` (netcat mode, a
//!   program of its own), `load` (load generation, throughput runs with `--mode send|receive`, and `merge`), `relay` (`tcp relay` and `udp relay`, with faults), `ws` (`ws serve` and
//!   `ws connect`, WebSocket over the same TCP and TLS), `replay` (`--replay`: a
//!   capture's client side as messages).
//! - What they share: `net` (resolve, bind, connect, back-off, `NetError`; listeners, TCP
//!   and Unix; dialing, through `--proxy` and from `--source`; the TLS handshake as every program says it; the `listening on`
//!   announcement; the tapped UDP socket; Unix names; mmsg batching), `report` (a load
//!   run's outcome and histograms, below `load` and `output` alike), `tls` (TLS
//!   configs, certificates, trust and the plain-or-TLS `Stream`), `tap` (the one
//!   wire tap: hex dump, `--explain`, byte counts, `--pcap` captures), `pcapng` (the
//!   capture format's blocks and the packets' headers), `messages` (what clients send, and the
//!   one check of a message), `request` and `template` (load requests, with `{seq}`,
//!   `{conn}`, `{rand:N}` filled), `stdin` (stdin, read on a thread, and what its end
//!   does), `counters` (`--stats`),
//!   `shutdown` (the one stop source), `throttle` (repeated warnings, one line a second).
//! - `output`: the only writer of stdout and stderr (human text or `--json`), with
//!   `hexdump` and `explain` as pure text functions.
//! - Building blocks: `encoding`, `framing` (with `framing::resp`, `framing::memcached`,
//!   and `framing::wire`, where a message ends on the wire), `expect` (what a reply
//!   must be), `protocol`, `access`, `io_error`, `error`, `shape` (rate shapes and the
//!   open-loop schedule), `slo` (`--slo`),
//!   and `event`, the vocabulary everyone shares, which imports nothing.
//!
//! [`run`] runs a plan; tests call the transports' `serve` directly with a port-0
//! listener and their own shutdown future.

pub mod access;
pub mod cli;
pub mod completions;
pub mod config;
pub mod counters;
pub mod dns;
pub mod encoding;
pub mod error;
pub mod event;
pub mod expect;
pub mod explain;
pub mod framing;
pub mod hexdump;
pub mod io_error;
pub mod load;
pub mod messages;
pub mod metrics;
pub mod net;
pub mod output;
pub mod pcapng;
pub mod protocol;
pub mod relay;
pub mod replay;
pub mod report;
pub mod request;
pub mod sequence;
pub mod service;
pub mod shape;
pub mod shutdown;
pub mod slo;
pub mod stdin;
pub mod stdio;
pub mod tap;
pub mod tcp;
pub mod template;
pub mod throttle;
pub mod tls;
pub mod udp;
pub mod ws;

use std::sync::Arc;

use color_eyre::eyre::Result;

use config::Plan;
use output::Printer;

/// Runs one program to completion.
///
/// # Errors
/// Whatever stopped the program, with context, ready to be printed on one line.
pub async fn run(plan: Plan, printer: Arc<Printer>) -> Result<()> {
    match plan {
        Plan::TcpServe(cfg) => {
            let stop = shutdown::stop_source(&printer, cfg.grace);
            let listener = cfg.bind.listen().await?;
            tcp::serve(listener, cfg, printer.clone(), stop).await?;
        }
        Plan::TcpStdioServe(cfg) => {
            let stop = shutdown::stop_source(&printer, shutdown::DEFAULT_GRACE);
            let listener = cfg.bind.listen().await?;
            stdio::tcp_serve(listener, cfg, printer.clone(), stop).await?;
        }
        Plan::TcpConnect(cfg) => tcp::connect(&cfg, printer.clone()).await?,
        Plan::TcpStdio(cfg) => stdio::tcp_connect(&cfg, printer.clone()).await?,
        Plan::TcpProbe(cfg) => tcp::probe(&cfg, printer.clone()).await?,
        Plan::TcpLoad(cfg) => load::run(load::Engine::Tcp(cfg), &printer).await?,
        Plan::UdpServe(cfg) => {
            let stop = shutdown::stop_source(&printer, shutdown::DEFAULT_GRACE);
            let sockets = net::bind_udp_group(&cfg.addrs, cfg.threads).await?;
            udp::serve(sockets, cfg, printer.clone(), stop).await?;
        }
        Plan::UdpStdioServe(cfg) => {
            let stop = shutdown::stop_source(&printer, shutdown::DEFAULT_GRACE);
            let socket = net::bind_udp(&cfg.addrs).await?;
            stdio::udp_serve(socket, cfg, printer.clone(), stop).await?;
        }
        Plan::UdpSend(cfg) => udp::send(&cfg, printer.clone()).await?,
        Plan::UdpStdio(cfg) => stdio::udp_send(&cfg, printer.clone()).await?,
        Plan::UdpLoad(cfg) => load::run(load::Engine::Udp(cfg), &printer).await?,
        Plan::UdpRequestLoad(cfg) => {
            load::run(load::Engine::UdpRequest(cfg), &printer).await?;
        }
        Plan::Capacity(capacity) => load::capacity::search(capacity, &printer).await?,
        Plan::TcpRelay(cfg) => {
            let stop = shutdown::stop_source(&printer, cfg.grace);
            // Without --to the API is all the relay listens on at start.
            let listener = match cfg.to {
                Some(_) => Some(net::bind_tcp(&cfg.addrs).await?),
                None => None,
            };
            relay::serve_tcp(listener, cfg, printer.clone(), stop).await?;
        }
        Plan::UdpRelay(cfg) => {
            let stop = shutdown::stop_source(&printer, shutdown::DEFAULT_GRACE);
            let socket = match cfg.to {
                Some(_) => Some(net::bind_udp(&cfg.addrs).await?),
                None => None,
            };
            relay::serve_udp(socket, cfg, printer.clone(), stop).await?;
        }
        Plan::Throughput(cfg) => {
            load::throughput::run(&cfg, &printer, shutdown::signal()).await?;
        }
        Plan::UdpOneWay(cfg) => load::one_way::run(&cfg, &printer, shutdown::signal()).await?,
        Plan::Merge { files, html } => load::merge::run(&files, html.as_deref(), &printer)?,
        Plan::WsServe(cfg) => ws::serve(cfg, printer.clone()).await?,
        Plan::WsConnect(cfg) => ws::connect(&cfg, printer.clone()).await?,
        Plan::Completions(shell) => printer.raw(&completions::script(shell)),
    }
    Ok(())
}
