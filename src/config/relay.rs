//! Planning `tcp relay` and `udp relay`: where to listen, where to forward, and which
//! faults apply which way.

use super::*;
use crate::cli::{FaultArgs, FaultDirection, RelayTargetArgs, TcpRelayArgs, UdpRelayArgs};
use crate::net::Family;
use crate::relay::faults::{DatagramFaults, StreamFaults};
use crate::relay::{TcpRelayConfig, UdpRelayConfig};

/// How long connecting to a relay's target may take, when `--timeout` does not say.
const DEFAULT_RELAY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a UDP relay session lives without a datagram, when `--idle-timeout` does not say.
const DEFAULT_SESSION_IDLE: Duration = Duration::from_secs(60);

/// The target's addresses: `--to HOST:PORT`, resolved.
async fn target_addrs(args: &RelayTargetArgs) -> Result<Vec<SocketAddr>> {
    let (name, port) = split_host_port(&args.to)?;
    let Some(port) = port else {
        return Err(usage(format!(
            "--to {}: give the target's port too, as HOST:PORT (e.g. 127.0.0.1:6379, \
             [::1]:6379)",
            args.to
        )));
    };
    if port == 0 {
        return Err(usage(format!(
            "--to {}: port 0 is not a port anything listens on",
            args.to
        )));
    }
    let host = Host {
        name,
        family: Family::Any,
    };
    Ok(host.resolve(port).await?)
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

pub(super) async fn tcp_relay(args: TcpRelayArgs) -> Result<(Plan, Display)> {
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first).await?;
    let to = target_addrs(&args.target).await?;
    positive(
        "--timeout",
        args.target.timeout,
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
    let cfg = TcpRelayConfig {
        addrs,
        to,
        timeout: args.target.timeout.unwrap_or(DEFAULT_RELAY_TIMEOUT),
        up,
        down,
        seed: seed(&args.faults, !faults.jitter.is_zero()),
        max_connections: args.max_connections.map(|n| n as usize),
        stats: args.stats,
        grace: args.grace.unwrap_or(DEFAULT_GRACE),
        access: access(&args.access),
    };
    Ok((Plan::TcpRelay(cfg), Display::default()))
}

pub(super) async fn udp_relay(args: UdpRelayArgs) -> Result<(Plan, Display)> {
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first).await?;
    let to = target_addrs(&args.target).await?;
    refuse(
        args.target.timeout.is_some(),
        "--timeout",
        "udp relay",
        "tcp relay (UDP has no connection to wait for; see --idle-timeout)",
    )?;
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
        access: access(&args.access),
    };
    Ok((Plan::UdpRelay(cfg), Display::default()))
}
