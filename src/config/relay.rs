//! Planning `tcp relay` and `udp relay`: where to listen, where to forward, and which
//! faults apply which way.

use std::net::SocketAddr;
use std::time::Duration;

use color_eyre::eyre::Result;

use crate::cli::{FaultArgs, FaultDirection, TcpRelayArgs, UdpRelayArgs};
use crate::net::{Family, Host};
use crate::output::Display;
use crate::relay::faults::{DatagramFaults, StreamFaults};
use crate::relay::{TcpRelayConfig, UdpRelayConfig};
use crate::shutdown::DEFAULT_GRACE;

use super::refuse::{positive, refuse, usage};
use super::runtime::threads;
use super::serve::access;
use super::target::{refuse_range, split_host_port, target};
use super::{DEFAULT_MAX_BUFFERED, Plan};

/// How long connecting to a relay's target may take, when `--timeout` does not say.
const DEFAULT_RELAY_TIMEOUT: Duration = Duration::from_secs(10);
/// Clients a TCP relay serves at once, when `--max-connections` does not say: far more than
/// a test needs, and a bound on descriptors and buffers a load run cannot pass unseen.
const DEFAULT_RELAY_CONNECTIONS: usize = 10_000;
/// How long a UDP relay session lives without a datagram, when `--idle-timeout` does not say.
const DEFAULT_SESSION_IDLE: Duration = Duration::from_secs(60);

/// The target's addresses: `--to HOST:PORT` (`[IPv6]:PORT`), resolved.
fn target_addrs(to: &str) -> Result<Vec<SocketAddr>> {
    let (name, port) = split_host_port(to, "--to")?;
    let bad = |why: String| usage(format!("--to {to}: {why}"));
    let port = match port {
        Some(0) => return Err(bad("port 0 is not a port anything listens on".to_owned())),
        Some(port) => port,
        // `::1:53` is an IPv6 address of its own: the port needs brackets around it.
        None => match to.rsplit_once(':') {
            Some((ip, port)) if ip.contains(':') => {
                return Err(bad(format!(
                    "an IPv6 address with a port is written [{ip}]:{port}"
                )));
            }
            _ => {
                return Err(bad(
                    "give the target as HOST:PORT (e.g. 127.0.0.1:6379, [::1]:6379)".to_owned(),
                ));
            }
        },
    };
    if name.is_empty() {
        return Err(bad(
            "give the target's host too, e.g. 127.0.0.1:6379".to_owned()
        ));
    }
    let host = Host {
        name,
        family: Family::Any,
    };
    host.resolve(port)
        .map_err(|err| color_eyre::eyre::eyre!("--to {to}: {err}"))
}

/// The seed the faults draw from: `--seed`, or a new one, said so the run can be repeated.
fn seed(faults: &FaultArgs, random: bool) -> u64 {
    match faults.seed {
        Some(seed) => seed,
        None => {
            let seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64);
            if random {
                tracing::warn!("faults drawn with --seed {seed} (give it to repeat this run)");
            }
            seed
        }
    }
}

/// Splits `faults` into (up, down) as `--direction` says.
fn directions<T: Default + Copy>(faults: T, direction: FaultDirection) -> (T, T) {
    match direction {
        FaultDirection::Up => (faults, T::default()),
        FaultDirection::Down => (T::default(), faults),
        FaultDirection::Both => (faults, faults),
    }
}

pub(super) fn tcp_relay(args: TcpRelayArgs) -> Result<(Plan, Display)> {
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first)?;
    let to = target_addrs(&args.target.to)?;
    positive(
        "--timeout",
        args.timeout,
        "would give up on every target connection",
    )?;
    let faults = StreamFaults {
        latency: args.faults.latency.unwrap_or_default(),
        jitter: args.faults.jitter.unwrap_or_default(),
        bandwidth: args.bandwidth.map(|b| b as u64),
        slice: args.slice,
        reset_after: args.reset_after.map(|b| b as u64),
        close_after: args.close_after.map(|b| b as u64),
    };
    let (up, down) = directions(faults, args.faults.direction);
    refuse(
        args.max_buffered.is_some() && !faults.delays(),
        "--max-buffered",
        "tcp relay without delaying faults (bytes go straight through)",
        "the queues of --latency, --jitter, --bandwidth and --slice",
    )?;
    let cfg = TcpRelayConfig {
        addrs,
        to,
        timeout: args.timeout.unwrap_or(DEFAULT_RELAY_TIMEOUT),
        up,
        down,
        seed: seed(&args.faults, !faults.jitter.is_zero()),
        max_connections: args
            .max_connections
            .map_or(DEFAULT_RELAY_CONNECTIONS, |n| n as usize),
        max_buffered: args.max_buffered.unwrap_or(DEFAULT_MAX_BUFFERED),
        stats: args.stats,
        metrics: args.metrics,
        grace: args.grace.unwrap_or(DEFAULT_GRACE),
        access: access(&args.access),
        threads: threads(args.threads),
    };
    Ok((Plan::TcpRelay(cfg), Display::default()))
}

pub(super) fn udp_relay(args: UdpRelayArgs) -> Result<(Plan, Display)> {
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first)?;
    let to = target_addrs(&args.target.to)?;
    positive(
        "-w/--idle-timeout",
        args.idle_timeout,
        "would end every session at once",
    )?;
    let faults = DatagramFaults {
        latency: args.faults.latency.unwrap_or_default(),
        jitter: args.faults.jitter.unwrap_or_default(),
        loss: args.loss.unwrap_or_default(),
        duplicate: args.duplicate.unwrap_or_default(),
        reorder: args.reorder.unwrap_or_default(),
    };
    let (up, down) = directions(faults, args.faults.direction);
    // A copy is a second reply for one datagram: reflected off a relay other machines
    // can reach, that doubles whatever the target sends.
    let loopback = addrs.iter().all(|a| a.ip().to_canonical().is_loopback());
    if faults.duplicate > 0.0 && !loopback && !args.allow_amplification {
        return Err(usage(
            "--duplicate on a relay other machines can reach makes it an amplifier for \
             spoofed senders: bind --host 127.0.0.1, or add --allow-amplification",
        ));
    }
    let random = !faults.jitter.is_zero()
        || faults.loss > 0.0
        || faults.duplicate > 0.0
        || faults.reorder > 0.0;
    let cfg = UdpRelayConfig {
        addrs,
        to: to[0],
        up,
        down,
        seed: seed(&args.faults, random),
        idle_timeout: args.idle_timeout.unwrap_or(DEFAULT_SESSION_IDLE),
        stats: args.stats,
        metrics: args.metrics,
        access: access(&args.access),
        amplify: args.allow_amplification,
    };
    Ok((Plan::UdpRelay(cfg), Display::default()))
}
