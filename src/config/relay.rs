//! Planning `tcp relay` and `udp relay`: where to listen, where to forward, which faults
//! apply which way (as toxics), and when they change (`--schedule`, `--api`).

use std::net::SocketAddr;
use std::time::Duration;

use color_eyre::eyre::Result;

use crate::cli::{
    Every, FaultArgs, FaultDirection, RelayTargetArgs, TcpRelayArgs, UdpRelayArgs, parse_duration,
    parse_every, parse_pct, parse_size,
};
use crate::framing::Framing;
use crate::net::{Family, Host};
use crate::output::Display;
use crate::relay::exchange::ExchangeFaults;
use crate::relay::schedule::{Action, MAX_STEPS, Schedule, Step};
use crate::relay::toxics::{Kind, Stream, Toxic, Toxics, Transport};
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

/// The streams `--direction` names.
fn streams(direction: FaultDirection) -> Vec<Stream> {
    match direction {
        FaultDirection::Up => vec![Stream::Upstream],
        FaultDirection::Down => vec![Stream::Downstream],
        FaultDirection::Both => vec![Stream::Upstream, Stream::Downstream],
    }
}

/// `--latency L --jitter J` (L to L + J) as toxiproxy's latency toxic (a middle and a
/// spread each side).
fn latency(latency: Duration, jitter: Duration) -> Kind {
    Kind::Latency {
        latency: latency + jitter / 2,
        jitter: jitter / 2,
    }
}

/// The faults of the flags, as toxics in the directions asked.
fn flag_toxics(kinds: &[Kind], direction: FaultDirection) -> Toxics {
    let mut toxics = Toxics::default();
    for stream in streams(direction) {
        for kind in kinds {
            toxics.0.push(Toxic::new(*kind, stream));
        }
    }
    toxics
}

/// The target `--to` names, checked now: a typo fails before anything listens.
fn checked_target(to: Option<&String>) -> Result<Option<String>> {
    match to {
        Some(to) => {
            target_addrs(to)?;
            Ok(Some(to.clone()))
        }
        None => Ok(None),
    }
}

/// Faults given as flags need the relay of `--to` to apply to: without it, relays come
/// from the API, each with its own faults. `set` says which fault flags were given.
fn refuse_without_target(
    target: &RelayTargetArgs,
    faults: &FaultArgs,
    set: &[(&str, bool)],
) -> Result<()> {
    let common = [
        ("--latency", faults.latency.is_some()),
        ("--jitter", faults.jitter.is_some()),
    ];
    for (flag, given) in common.iter().chain(set) {
        refuse(
            target.to.is_none() && *given,
            flag,
            "a relay without --to (the API gives each of its relays its own faults)",
            "--to, or a toxic through the API",
        )?;
    }
    Ok(())
}

/// A fault given as a share (`--loss 5%`), and what makes it from the share.
type Share = (Option<f64>, fn(f64) -> Kind);

/// The faults given as a share (`--loss 5%`), each made by its maker; a share of 0 is none.
fn given_shares<const N: usize>(shares: [Share; N]) -> impl Iterator<Item = Kind> {
    shares
        .into_iter()
        .filter_map(|(percent, kind)| percent.filter(|p| *p > 0.0).map(kind))
}

/// The protocol faults (`--framing` with `--fail-requests`, `--hold-requests`), on the
/// relay of `--to`.
fn exchange(args: &TcpRelayArgs) -> Result<Option<ExchangeFaults>> {
    let Some(framing) = args.framing else {
        return Ok(None);
    };
    let driven = args.target.api.is_some() || args.target.schedule.is_some();
    if args.fail_requests.is_none() && args.hold_requests.is_none() && !driven {
        return Err(usage(
            "--framing on a relay says how to read requests for --fail-requests and \
             --hold-requests: give one of them, or --schedule or --api to add them later \
             (bytes are relayed as they come otherwise)",
        ));
    }
    if framing == Framing::Raw {
        return Err(usage(
            "--framing raw has no requests to count: give http, resp, line, length or \
             memcached, the framing the service speaks",
        ));
    }
    if framing == Framing::Ws {
        return Err(usage(
            "--framing ws on a relay is not read yet: the relay cannot pair WebSocket frames \
             (relay the bytes without --framing)",
        ));
    }
    if args.target.to.is_none() {
        return Err(usage(
            "--framing, --fail-requests and --hold-requests act on the relay of --to: give \
             --to (relays made through --api carry byte faults only)",
        ));
    }
    let text = args
        .fail_reply
        .as_deref()
        .unwrap_or("netdemo relay: injected failure");
    if text.contains(['\r', '\n']) {
        return Err(usage(
            "--fail-reply is one line of text: the framing adds what ends it",
        ));
    }
    Ok(Some(ExchangeFaults {
        framing,
        reply: ExchangeFaults::reply_for(framing, text),
        max_frame: crate::framing::DEFAULT_MAX_FRAME,
    }))
}

/// `--fail-requests 3` or `10%` (and `--hold-requests`) as the toxic's settings.
fn request_kind(every: Every, hold: bool) -> Kind {
    let (nth, percent) = match every {
        Every::Nth(n) => (n, 0.0),
        Every::Percent(percent) => (0, percent),
    };
    if hold {
        Kind::HoldRequests { nth, percent }
    } else {
        Kind::FailRequests { nth, percent }
    }
}

/// `--schedule`: `TIME:FAULT[=VALUE],...;...`, each step's faults parsed with the flags'
/// own parsers.
fn schedule(
    text: &str,
    transport: Transport,
    direction: FaultDirection,
    framed: bool,
) -> Result<Schedule> {
    let bad = |why: String| usage(format!("--schedule {text}: {why}"));
    let mut steps: Vec<Step> = Vec::new();
    for entry in text.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        let Some((time, actions)) = entry.split_once(':') else {
            return Err(bad(format!(
                "'{entry}' has no time: write TIME:FAULT=VALUE, e.g. 10s:latency=200ms"
            )));
        };
        let at = parse_duration(time.trim()).map_err(|err| bad(format!("{time}: {err}")))?;
        if steps.last().is_some_and(|last| last.at > at) {
            return Err(bad(format!(
                "{time} comes before the step ahead of it: list steps in time order"
            )));
        }
        let mut step = Step {
            at,
            actions: Vec::new(),
        };
        let (mut delay, mut spread) = (None, None);
        for action in actions.split(',').map(str::trim) {
            let (name, value) = match action.split_once('=') {
                Some((name, value)) => (name.trim(), Some(value.trim())),
                None => (action, None),
            };
            let needs = || value.ok_or_else(|| bad(format!("{name} needs a value: {name}=...")));
            let duration = || -> Result<Duration> {
                parse_duration(needs()?).map_err(|err| bad(format!("{name}: {err}")))
            };
            let bytes = || -> Result<u64> {
                let size = parse_size(needs()?).map_err(|err| bad(format!("{name}: {err}")))?;
                Ok(size as u64)
            };
            let percent = || -> Result<f64> {
                parse_pct(needs()?).map_err(|err| bad(format!("{name}: {err}")))
            };
            let optional = || -> Result<Duration> {
                value.map_or(Ok(Duration::ZERO), |v| {
                    parse_duration(v).map_err(|err| bad(format!("{name}: {err}")))
                })
            };
            let tcp = transport == Transport::Tcp;
            let kind = match name {
                "clear" if value.is_none() => {
                    step.actions.push(Action::Clear);
                    continue;
                }
                "latency" => {
                    delay = Some(duration()?);
                    continue;
                }
                "jitter" => {
                    spread = Some(duration()?);
                    continue;
                }
                "timeout" if tcp => Kind::Timeout {
                    timeout: optional()?,
                },
                "reset" if tcp => Kind::ResetPeer {
                    timeout: optional()?,
                },
                "bandwidth" if tcp => Kind::Bandwidth {
                    bytes_per_second: bytes()?,
                },
                "slice" if tcp => Kind::Slicer {
                    average_size: bytes()?,
                    size_variation: 0,
                    delay: Duration::ZERO,
                },
                "reset-after" if tcp => Kind::ResetAfter { bytes: bytes()? },
                "close-after" if tcp => Kind::LimitData { bytes: bytes()? },
                "slow-close" if tcp => Kind::SlowClose { delay: duration()? },
                "fail" | "hold" if tcp && framed => {
                    let every =
                        parse_every(needs()?).map_err(|err| bad(format!("{name}: {err}")))?;
                    request_kind(every, name == "hold")
                }
                "loss" if !tcp => Kind::Loss {
                    percent: percent()?,
                },
                "duplicate" if !tcp => Kind::Duplicate {
                    percent: percent()?,
                },
                "reorder" if !tcp => Kind::Reorder {
                    percent: percent()?,
                },
                _ => {
                    let takes = if tcp {
                        "latency, jitter, bandwidth, slice, reset-after, close-after, \
                         slow-close, timeout, reset, clear; fail and hold with --framing"
                    } else {
                        "latency, jitter, loss, duplicate, reorder, clear"
                    };
                    return Err(bad(format!(
                        "'{action}' is not a fault here (it takes: {takes})"
                    )));
                }
            };
            step.actions.push(Action::Set(kind));
        }
        if delay.is_some() || spread.is_some() {
            step.actions.push(Action::Set(latency(
                delay.unwrap_or_default(),
                spread.unwrap_or_default(),
            )));
        }
        steps.push(step);
    }
    if steps.is_empty() {
        return Err(bad(
            "give at least one step, e.g. 10s:latency=200ms".to_owned()
        ));
    }
    if steps.len() > MAX_STEPS {
        return Err(bad(format!("at most {MAX_STEPS} steps")));
    }
    Ok(Schedule {
        steps,
        streams: streams(direction),
    })
}

pub(super) fn tcp_relay(args: TcpRelayArgs) -> Result<(Plan, Display)> {
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first)?;
    let to = checked_target(args.target.to.as_ref())?;
    positive(
        "--timeout",
        args.timeout,
        "would give up on every target connection",
    )?;
    refuse_without_target(
        &args.target,
        &args.faults,
        &[
            ("--bandwidth", args.bandwidth.is_some()),
            ("--slice", args.slice.is_some()),
            ("--reset-after", args.reset_after.is_some()),
            ("--close-after", args.close_after.is_some()),
            ("--drop-chunks", args.drop_chunks.is_some()),
            ("--corrupt", args.corrupt.is_some()),
            ("--blackhole", args.blackhole.is_some()),
        ],
    )?;
    let mut kinds = Vec::new();
    let (delay, spread) = (
        args.faults.latency.unwrap_or_default(),
        args.faults.jitter.unwrap_or_default(),
    );
    if !delay.is_zero() || !spread.is_zero() {
        kinds.push(latency(delay, spread));
    }
    if let Some(rate) = args.bandwidth {
        kinds.push(Kind::Bandwidth {
            bytes_per_second: rate as u64,
        });
    }
    if let Some(size) = args.slice {
        kinds.push(Kind::Slicer {
            average_size: size as u64,
            size_variation: 0,
            delay: Duration::ZERO,
        });
    }
    if let Some(bytes) = args.reset_after {
        kinds.push(Kind::ResetAfter {
            bytes: bytes as u64,
        });
    }
    if let Some(bytes) = args.close_after {
        kinds.push(Kind::LimitData {
            bytes: bytes as u64,
        });
    }
    let shares: [Share; 2] = [
        (args.drop_chunks, |percent| Kind::DropChunks { percent }),
        (args.corrupt, |percent| Kind::Corrupt { percent }),
    ];
    kinds.extend(given_shares(shares));
    if args.drop_chunks.is_some_and(|p| p > 0.0) {
        tracing::warn!(
            "--drop-chunks: TCP does not send a dropped chunk again, so the stream breaks \
             (bytes missing from its middle): that is what it tests, not lost packets"
        );
    }
    let mut toxics = flag_toxics(&kinds, args.faults.direction);
    if let Some(percent) = args.blackhole.filter(|p| *p > 0.0) {
        // Nothing reaches the target, so nothing comes back: one direction is enough.
        let mut hole = Toxic::new(
            Kind::Timeout {
                timeout: Duration::ZERO,
            },
            Stream::Upstream,
        );
        hole.name = "blackhole".to_owned();
        hole.toxicity = percent / 100.0;
        toxics.0.push(hole);
    }
    let exchange = exchange(&args)?;
    // Requests go up: a protocol fault is one toxic, whatever --direction says.
    for (every, hold) in [(args.fail_requests, false), (args.hold_requests, true)] {
        if let Some(every) = every {
            toxics
                .0
                .push(Toxic::new(request_kind(every, hold), Stream::Upstream));
        }
    }
    let schedule = args
        .target
        .schedule
        .as_deref()
        .map(|text| {
            schedule(
                text,
                Transport::Tcp,
                args.faults.direction,
                args.framing.is_some(),
            )
        })
        .transpose()?;
    let live = args.target.api.is_some() || schedule.is_some();
    refuse(
        args.max_buffered.is_some() && !toxics.delays() && !live,
        "--max-buffered",
        "tcp relay without delaying faults (bytes go straight through)",
        "the queues of --latency, --jitter, --bandwidth and --slice, --schedule and --api",
    )?;
    let cfg = TcpRelayConfig {
        addrs,
        source: args.target.source,
        to,
        timeout: args.timeout.unwrap_or(DEFAULT_RELAY_TIMEOUT),
        seed: seed(&args.faults, !spread.is_zero() || live),
        toxics,
        exchange,
        schedule,
        api: args.target.api,
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
    let to = checked_target(args.target.to.as_ref())?;
    positive(
        "-w/--idle-timeout",
        args.idle_timeout,
        "would end every session at once",
    )?;
    refuse_without_target(
        &args.target,
        &args.faults,
        &[
            ("--loss", args.loss.is_some()),
            ("--duplicate", args.duplicate.is_some()),
            ("--reorder", args.reorder.is_some()),
        ],
    )?;
    let (delay, spread) = (
        args.faults.latency.unwrap_or_default(),
        args.faults.jitter.unwrap_or_default(),
    );
    let mut kinds = Vec::new();
    if !delay.is_zero() || !spread.is_zero() {
        kinds.push(latency(delay, spread));
    }
    let shares: [Share; 3] = [
        (args.loss, |percent| Kind::Loss { percent }),
        (args.duplicate, |percent| Kind::Duplicate { percent }),
        (args.reorder, |percent| Kind::Reorder { percent }),
    ];
    kinds.extend(given_shares(shares));
    let duplicates = args.duplicate.is_some_and(|p| p > 0.0);
    // A copy is a second reply for one datagram: reflected off a relay other machines
    // can reach, that doubles whatever the target sends.
    let loopback = addrs.iter().all(|a| a.ip().to_canonical().is_loopback());
    if duplicates && !loopback && !args.allow_amplification {
        return Err(usage(
            "--duplicate on a relay other machines can reach makes it an amplifier for \
             spoofed senders: bind --host 127.0.0.1, or add --allow-amplification",
        ));
    }
    let schedule = args
        .target
        .schedule
        .as_deref()
        .map(|text| schedule(text, Transport::Udp, args.faults.direction, false))
        .transpose()?;
    let random = !kinds.is_empty() || args.target.api.is_some() || schedule.is_some();
    let cfg = UdpRelayConfig {
        addrs,
        source: args.target.source,
        to,
        toxics: flag_toxics(&kinds, args.faults.direction),
        schedule,
        api: args.target.api,
        seed: seed(&args.faults, random),
        idle_timeout: args.idle_timeout.unwrap_or(DEFAULT_SESSION_IDLE),
        stats: args.stats,
        metrics: args.metrics,
        access: access(&args.access),
        amplify: args.allow_amplification,
    };
    Ok((Plan::UdpRelay(cfg), Display::default()))
}
