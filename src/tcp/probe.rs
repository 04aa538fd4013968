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
use crate::net::{self, Backoff, Narrate, NetError, Ports, host_port};
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
    /// `--source`: the local address connections leave from.
    pub source: Option<SocketAddr>,
    /// `--proxy`: each port is asked of this proxy, at these addresses.
    pub proxy: Option<(crate::net::proxy::ProxyUrl, Vec<SocketAddr>)>,
}

/// What one port did: where it was reached (an address, or through a proxy the name), and
/// how long connecting took.
type Outcome = Result<(String, Duration), NetError>;

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
                printer.event(Event::Open { addr: &addr, took });
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
        .map(|(port, addrs)| async move { (*port, knock(cfg, *port, addrs, narrate).await) })
        .buffered(PARALLEL)
        .collect()
        .await
}

/// Connects to the first address that accepts, and closes again at once; through a
/// proxy, asks it for the port (a port closed behind it is the proxy's "connection
/// refused").
async fn knock(
    cfg: &ProbeConfig,
    port: u16,
    addrs: &[SocketAddr],
    narrate: Option<Narrate<'_>>,
) -> Outcome {
    let Some((url, proxy_addrs)) = &cfg.proxy else {
        let (_stream, addr, took) =
            net::connect_tcp(addrs, cfg.source, cfg.timeout, narrate).await?;
        return Ok((addr.to_string(), took));
    };
    let (mut stream, proxy, took) =
        net::connect_tcp(proxy_addrs, cfg.source, cfg.timeout, narrate).await?;
    let started = Instant::now();
    let target = crate::net::proxy::Target {
        host: cfg.host.clone(),
        port,
    };
    crate::net::proxy::open(&mut stream, url, proxy, &target, cfg.timeout).await?;
    Ok((host_port(&cfg.host, port), took + started.elapsed()))
}
