//! `tcp connect -z`: is anything listening? Connect, time it, close, send nothing.
//!
//! What port scanners and `wait-for-it` scripts do: `--port` may be a range, scanned 64
//! ports at a time, and `--wait` repeats the scan until a port opens or time runs out.
//! The command succeeds when at least one port is open, as `nc -z` does.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::{Result, bail};
use futures_util::StreamExt;
use tokio::time::Instant;

use crate::event::Event;
use crate::explain::Role;
use crate::net::{self, Backoff, Narrate, NetError, Ports};
use crate::output::Printer;

/// Ports probed at once in a range.
const PARALLEL: usize = 64;

/// Runtime settings of `tcp connect -z`.
#[derive(Debug, Clone)]
pub struct ProbeConfig {
    pub host: String,
    pub ports: Ports,
    /// The addresses to try for each port, in order.
    pub targets: Vec<(u16, Vec<SocketAddr>)>,
    /// Bounds each connection attempt.
    pub timeout: Duration,
    /// Scan again until a port opens or this much time has passed.
    pub wait: Option<Duration>,
}

/// What one port did.
type Outcome = Result<(SocketAddr, Duration), NetError>;

/// Probes every port, reports each, and fails when none is open.
///
/// # Errors
/// No port was open (by the end of `--wait`).
pub async fn probe(cfg: &ProbeConfig, printer: Arc<Printer>) -> Result<()> {
    let deadline = cfg.wait.map(|wait| Instant::now() + wait);
    let mut backoff = Backoff::new(Duration::from_millis(50), Duration::from_secs(1));
    let outcomes = loop {
        let outcomes = scan(cfg, &printer).await;
        let any_open = outcomes.iter().any(|(_, outcome)| outcome.is_ok());
        let now = Instant::now();
        match deadline {
            Some(deadline) if !any_open && now < deadline => {
                let pause = backoff.next_until(Some(deadline));
                tracing::info!(retry_ms = pause.as_millis(), "nothing is listening yet");
                tokio::time::sleep(pause).await;
            }
            _ => break outcomes,
        }
    };
    let mut open = 0;
    let mut last_error = None;
    for (port, outcome) in outcomes {
        match outcome {
            Ok((addr, took)) => {
                open += 1;
                printer.event(Event::Open { addr, took });
            }
            Err(err) => {
                // One closed port is said by the error line; in JSON, and in a range, each
                // closed port is an event of its own.
                if cfg.ports.is_range() || printer.is_json() {
                    printer.event(Event::Closed {
                        addr: &host_port(&cfg.host, port),
                        reason: &err.brief(),
                    });
                }
                if !cfg.ports.is_range() {
                    last_error = Some(err);
                }
            }
        }
    }
    if open > 0 {
        return Ok(());
    }
    let waited = match cfg.wait {
        Some(wait) => format!(" after waiting {}", humantime::format_duration(wait)),
        None => String::new(),
    };
    match last_error {
        Some(err) => bail!("{err}{waited}"),
        None => bail!("no port open on {} in {}{waited}", cfg.host, cfg.ports),
    }
}

/// One pass over every port, in port order.
async fn scan(cfg: &ProbeConfig, printer: &Printer) -> Vec<(u16, Outcome)> {
    let narrate = printer.narrator(Role::TcpClient);
    let narrate = printer.is_explaining().then_some(&narrate as Narrate<'_>);
    futures_util::stream::iter(&cfg.targets)
        .map(|(port, addrs)| async move { (*port, knock(addrs, cfg.timeout, narrate).await) })
        .buffered(PARALLEL)
        .collect()
        .await
}

/// Connects to the first address that accepts, and closes again at once.
async fn knock(addrs: &[SocketAddr], timeout: Duration, narrate: Option<Narrate<'_>>) -> Outcome {
    let (_stream, addr, took) = net::connect_tcp(addrs, timeout, narrate).await?;
    Ok((addr, took))
}

/// `host:port`, with brackets around an IPv6 address.
fn host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}
