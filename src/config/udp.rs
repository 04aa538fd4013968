//! Planning `udp serve` and `udp send`, with every flag checked against the program it
//! would apply to.

use std::time::Duration;

use color_eyre::eyre::Result;

use std::net::SocketAddr;

use crate::cli::{ClientMode, Preset, ServerMode, UdpSendArgs, UdpServeArgs};
use crate::encoding::Encoding;
use crate::expect::Expect;
use crate::framing::Framing;
use crate::load::one_way::OneWayConfig;
use crate::load::udp::{HEADER, UdpLoad};
use crate::load::udp_request::{IdField, ReplyCheck, UdpRequestLoad};
use crate::messages::{Check, FROM_STDIN, MAX_UDP_PAYLOAD};
use crate::output::{Display, Look, OutputConfig};
use crate::protocol::{self, Wire};
use crate::request::Request;
use crate::udp::{UdpSendConfig, UdpServeConfig};

use super::encode::{encode_all, expect_each, expectations, requests};
use super::load::MIN_INTERVAL;
use super::pace::{Pace, default_duration, pace, planned};
use super::refuse::{check_descriptors, mode_name, positive, refuse, refuse_encoding, usage};
use super::runtime::threads;
use super::serve::{access, service};
use super::shard::{message_bytes, provenance, share};
use super::stdio::datagram_look;
use super::target::{
    explicit_target, refuse_address_as_messages, refuse_fixed_port, refuse_port_zero, refuse_range,
    source, target,
};
use super::{DEFAULT_RETRIES, DEFAULT_UDP_SIZE, MAX_UDP_SIZE, Plan};
use crate::load::Engine;

pub(super) fn udp_serve(args: UdpServeArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
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
    refuse(
        args.metrics.is_some() && stdio,
        "--metrics",
        &program,
        "the other modes",
    )?;
    refuse(
        args.threads.is_some() && stdio,
        "--threads",
        &program,
        "the other modes (stdio joins one terminal to the socket)",
    )?;
    refuse(
        args.allow_amplification && stdio,
        "--allow-amplification",
        &program,
        "the modes that answer each datagram",
    )?;
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first)?;
    let access = access(&args.access);
    if stdio {
        let framing = args.framing.unwrap_or_default();
        let display = Display {
            encoding,
            look: datagram_look(framing),
        };
        let cfg = crate::stdio::UdpServeConfig {
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
        metrics: args.metrics,
        access,
        amplify: args.allow_amplification,
        // --explain narrates the tutorial's one socket, bind and recvfrom loop: unless
        // threads are asked for, that is what runs, so the story is the whole story.
        threads: match (args.threads, &output.explain) {
            (None, Some(_)) => 1,
            (given, _) => threads(given),
        },
    };
    let display = Display {
        encoding,
        look: Look::Messages,
    };
    Ok((Plan::UdpServe(cfg), display))
}

/// `udp send` of any program: an exchange, stdio, or a load run.
pub(super) fn udp_send(args: UdpSendArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let encoding = args.codec.encoding.unwrap_or_default();
    let load = args.load.active();
    let program = if load {
        "a UDP load run (-n, -d, --rate, --size)".to_owned()
    } else {
        format!("udp send --mode {}", mode_name(args.mode))
    };
    refuse_misplaced(&args, output, &program)?;
    if !explicit_target(&args.addr) {
        refuse_address_as_messages(&args.data, false)?;
    }
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    refuse_port_zero(port, "a sender")?;
    let mut addrs = host.resolve(port.first)?;
    let source = source(args.source.source, &mut addrs, &host.name)?;
    if args.mode == ClientMode::Stdio {
        let framing = args.framing.unwrap_or_default();
        let display = Display {
            encoding,
            look: datagram_look(framing),
        };
        let cfg = crate::stdio::UdpSendConfig {
            addrs,
            source,
            framing,
            timeout: args.timeout,
        };
        return Ok((Plan::UdpStdio(cfg), display));
    }
    let display = Display {
        encoding,
        look: Look::Answers,
    };
    let given = args.replay.is_none().then_some(args.data.len());
    let expect = expectations(&args.expect, args.mode, encoding, given, &program)?;
    if matches!(args.mode, ClientMode::Send | ClientMode::Receive) {
        let plan = one_way(&args, output, addrs, source, &program)?;
        return Ok((plan, Display::default()));
    }
    let plan = match (load, args.mode) {
        (true, ClientMode::Request) => {
            let sockets = args.load.connections.filter(|c| *c > 1).map(|_| "-c");
            refuse_fixed_port(args.source.source, sockets)?;
            request_load(&args, addrs, source, encoding, expect, &program)?
        }
        (true, _) => datagram_load(&args, addrs, source, encoding)?,
        (false, _) => exchange(&args, addrs, source, encoding, expect)?,
    };
    Ok((plan, display))
}

/// The flags some `udp send` program takes and this one does not; a zero `--timeout`.
fn refuse_misplaced(args: &UdpSendArgs, output: &OutputConfig, program: &str) -> Result<()> {
    let load = args.load.active();
    let stdio = args.mode == ClientMode::Stdio;
    let one_way = matches!(args.mode, ClientMode::Send | ClientMode::Receive);
    refuse(
        args.bitrate.is_some() && !one_way,
        "--bitrate",
        program,
        "--mode send and receive (--rate sets datagrams per second for the other loads)",
    )?;
    let request = args.mode == ClientMode::Request;
    refuse(
        args.replay.is_some() && (stdio || one_way || (load && !request)),
        "--replay",
        program,
        "exchanges (seed, echo, request) and request loads (--mode request with load flags)",
    )?;
    refuse(
        args.replay_timing && load,
        "--replay-timing",
        program,
        "exchanges (a load run paces its requests with --rate)",
    )?;
    if args.replay.is_some() && args.dns_query.is_some() {
        return Err(usage(
            "give the datagrams as --replay FILE or as --dns-query, not both",
        ));
    }
    for (given, flag) in [
        (args.match_id.is_some(), "--match-id"),
        (args.preset.is_some(), "--preset"),
        (args.dns_query.is_some(), "--dns-query"),
    ] {
        refuse(
            given && !request,
            flag,
            program,
            "--mode request (add --mode request)",
        )?;
    }
    for (given, flag) in [
        (args.load.connections.is_some(), "-c/--connections"),
        (args.load.pipeline.is_some(), "--pipeline"),
        (args.load.threads.is_some(), "--threads"),
    ] {
        refuse(
            given && !request,
            flag,
            program,
            "request load runs (--mode request); seed and echo loads send from one socket",
        )?;
    }
    refuse(
        args.framing.is_some() && !stdio,
        "--framing",
        program,
        "--mode stdio",
    )?;
    refuse(
        args.retries.is_some() && (stdio || load),
        "--retries",
        program,
        "seed and echo exchanges (stdio mode and load runs never send a datagram twice)",
    )?;
    refuse(
        load && stdio,
        "--mode stdio",
        program,
        "a single exchange (load runs send requests: seed, echo or request mode)",
    )?;
    refuse(
        stdio && !args.data.is_empty(),
        "a data argument",
        program,
        "seed and echo exchanges (pipe the data into stdin instead)",
    )?;
    refuse(
        load && !args.data.is_empty() && args.mode != ClientMode::Request,
        "a data argument",
        program,
        "seed and echo exchanges (a load run sends numbered datagrams of --size bytes)",
    )?;
    refuse(
        output.hex_dump.is_some() && load,
        "-x/--hex-dump",
        program,
        "single exchanges (a load run would spend its time dumping)",
    )?;
    refuse(
        output.explain.is_some() && load,
        "--explain",
        program,
        "single exchanges (narrating every datagram would be the measurement)",
    )?;
    positive(
        "--timeout",
        Some(args.timeout),
        "would count every datagram lost",
    )?;
    refuse_encoding(&args.codec, stdio, false, output, program)
}

/// `udp send --mode request` with a load flag: `-c` sockets, each with up to `--pipeline`
/// requests in flight, matched by order or by an ID field; closed loop or `--rate`.
fn request_load(
    args: &UdpSendArgs,
    addrs: Vec<SocketAddr>,
    source: Option<SocketAddr>,
    encoding: Encoding,
    expect: Expect,
    program: &str,
) -> Result<Plan> {
    refuse(
        args.load.size.is_some(),
        "--size",
        program,
        "the seed and echo modes (in --mode request, give the messages)",
    )?;
    positive("-d/--duration", args.load.duration, "would send nothing")?;
    let (messages, labels) = request_datagrams(args, encoding)?;
    if args.preset == Some(Preset::Memcached) {
        return Err(usage(
            "--preset memcached is for tcp connect (memcached's UDP frame header is not \
             spoken): netdemo tcp connect -p 11211 --preset memcached 'get k'",
        ));
    }
    let dns = args.preset == Some(Preset::Dns) || args.dns_query.is_some();
    let id = match (args.match_id, dns) {
        (Some((offset, len)), _) => Some(IdField { offset, len }),
        (None, true) => Some(IdField { offset: 0, len: 2 }),
        (None, false) => None,
    };
    let window = args.load.pipeline.unwrap_or(1);
    match id {
        None if window > 1 => {
            return Err(usage(format!(
                "--pipeline {window} needs --match-id OFFSET:LEN or --preset dns: with more \
                 than one request in flight on a socket, only an ID in the reply tells which \
                 request it answers"
            )));
        }
        Some(field) if window as u64 > field.ids() => {
            return Err(usage(format!(
                "--pipeline {window} is more than a {}-byte ID can tell apart ({} at most)",
                field.len,
                field.ids()
            )));
        }
        Some(field) => id_fits(field, &messages, &labels)?,
        None => {}
    }
    let sockets = args.load.connections.map_or(1, |c| c as usize);
    check_descriptors(sockets)?;
    let size = message_bytes(&messages, &labels);
    let share = share(
        &args.load.shard,
        Some(sockets),
        args.load.count,
        provenance(addrs[0].into(), "udp request", "datagram", size),
    )?;
    let pace = udp_pace(args, share.shard)?;
    if args.load.interval.is_some_and(|every| every < MIN_INTERVAL) {
        return Err(usage(
            "--interval below 100ms would show the sockets' merges, not the load (they \
             merge ten times a second)",
        ));
    }
    let load = UdpRequestLoad {
        addrs,
        source,
        messages,
        labels,
        expect,
        check: if dns {
            ReplyCheck::Dns
        } else {
            ReplyCheck::None
        },
        count: share.requests,
        duration: pace.duration,
        timeout: args.timeout,
        sockets: share.connections,
        window,
        schedule: pace.schedule,
        interval: args.load.interval,
        id,
        threads: threads(args.load.threads),
        placement: share.placement,
        html: args.load.html.clone(),
        metrics: args.load.metrics,
    };
    Ok(planned(Engine::UdpRequest(load), pace.search))
}

/// A UDP load's pace: UDP loads have no warm-up.
fn udp_pace(args: &UdpSendArgs, shard: Option<crate::load::shard::Shard>) -> Result<Pace> {
    pace(
        &args.load.shape,
        args.load.duration,
        args.load.count.is_some(),
        Duration::ZERO,
        shard,
    )
}

/// The datagrams of `--replay FILE`, each within what one datagram carries.
fn replayed(path: &std::path::Path, expects: usize) -> Result<crate::replay::Replay> {
    let replay =
        crate::replay::udp(path).map_err(|err| color_eyre::eyre::eyre!("--replay: {err}"))?;
    expect_each(expects, replay.messages.len())?;
    tracing::info!(
        "replaying {} datagram(s) that {} sent to {}",
        replay.messages.len(),
        replay.from,
        replay.to
    );
    Ok(replay)
}

/// The requests of a UDP request run: `--dns-query`'s, or each DATA argument encoded, or
/// read from a file when written `@PATH` (as curl's `-d @file`); and their labels.
fn request_datagrams(
    args: &UdpSendArgs,
    encoding: Encoding,
) -> Result<(Vec<Request>, Vec<String>)> {
    if let Some([name, kind]) = args.dns_query.as_deref() {
        if !args.data.is_empty() {
            return Err(usage(
                "give the requests as DATA or as --dns-query, not both",
            ));
        }
        let query = crate::dns::query(name, kind).map_err(usage)?;
        return Ok((vec![Request::Fixed(query)], vec![format!("{name} {kind}")]));
    }
    if let Some(path) = &args.replay {
        let datagrams = replayed(path, args.expect.expect.len())?.messages;
        let labels = (1..=datagrams.len())
            .map(|n| format!("datagram {n}"))
            .collect();
        return Ok((datagrams.into_iter().map(Request::Fixed).collect(), labels));
    }
    if args.data.is_empty() || args.data == [FROM_STDIN] {
        return Err(usage(
            "--mode request needs the messages to send as arguments (they rotate), @FILE for \
             a file's bytes, --replay FILE, or --dns-query NAME TYPE",
        ));
    }
    let mut messages = Vec::with_capacity(args.data.len());
    for arg in &args.data {
        match arg.strip_prefix('@').filter(|path| !path.is_empty()) {
            Some(path) => messages.push(Request::Fixed(datagram_file(path)?)),
            None => messages.extend(requests(
                std::slice::from_ref(arg),
                encoding,
                Framing::Raw,
                Check::Datagram,
                "",
            )?),
        }
    }
    Ok((messages, args.data.clone()))
}

/// A request read from a file: its bytes, one datagram.
fn datagram_file(path: &str) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).map_err(|err| {
        usage(format!(
            "@{path}: cannot read it ({err}); to send text that starts with @, use -e hex"
        ))
    })?;
    if bytes.is_empty() || bytes.len() > MAX_UDP_PAYLOAD {
        return Err(usage(format!(
            "@{path}: a datagram is 1 to {MAX_UDP_PAYLOAD} bytes, and the file has {}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

/// Every request must hold the ID field, or its reply could match nothing.
fn id_fits(field: IdField, messages: &[Request], labels: &[String]) -> Result<()> {
    let mut rng = crate::template::Rng::new(0);
    let mut scratch = crate::request::Scratch::default();
    for (message, label) in messages.iter().zip(labels) {
        let len = message.bytes(0, 0, &mut rng, &mut scratch).len();
        if len < field.offset + field.len {
            return Err(usage(format!(
                "'{label}' is {len} bytes: too short for the ID at {}:{} (--match-id)",
                field.offset, field.len
            )));
        }
    }
    Ok(())
}

/// A seed or echo load run: numbered datagrams of `--size` bytes, open loop with `--rate`.
fn datagram_load(
    args: &UdpSendArgs,
    addrs: Vec<SocketAddr>,
    source: Option<SocketAddr>,
    encoding: Encoding,
) -> Result<Plan> {
    let echo = args.mode == ClientMode::Echo;
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
    if args.load.interval.is_some() {
        return Err(usage(
            "--interval applies to request loads (--mode request) and TCP loads: a seed or \
             echo UDP load counts its losses at the end",
        ));
    }
    let mode = if echo { "udp echo" } else { "udp seed" };
    let share = share(
        &args.load.shard,
        None,
        args.load.count,
        provenance(addrs[0].into(), mode, "datagram", size),
    )?;
    let pace = udp_pace(args, share.shard)?;
    let load = UdpLoad {
        addrs,
        source,
        count: share.requests,
        duration: pace.duration,
        schedule: pace.schedule,
        size,
        prefix,
        timeout: args.timeout,
        placement: share.placement,
        html: args.load.html.clone(),
        metrics: args.load.metrics,
    };
    Ok(planned(Engine::Udp(load), pace.search))
}

/// `udp send --mode send|receive`: one-way throughput, paced to `--bitrate`.
fn one_way(
    args: &UdpSendArgs,
    output: &OutputConfig,
    addrs: Vec<SocketAddr>,
    source: Option<SocketAddr>,
    program: &str,
) -> Result<Plan> {
    let why = "request/reply runs (a one-way run sends numbered datagrams of --size bytes)";
    refuse(!args.data.is_empty(), "a data argument", program, why)?;
    refuse(
        args.retries.is_some(),
        "--retries",
        program,
        "seed and echo exchanges",
    )?;
    refuse(
        output.hex_dump.is_some() || output.explain.is_some(),
        if output.explain.is_some() {
            "--explain"
        } else {
            "-x/--hex-dump"
        },
        program,
        "single exchanges (a one-way run would spend its time telling)",
    )?;
    if let Some(flag) = args.load.shape.given() {
        refuse(
            true,
            flag,
            program,
            "request/reply loads (--bitrate paces this one)",
        )?;
    }
    refuse(
        !args.expect.expect.is_empty() || args.expect.expect_regex.is_some(),
        "--expect",
        program,
        "--mode request",
    )?;
    refuse(
        args.load.shard.active(),
        "--shard and --start-at",
        program,
        why,
    )?;
    refuse(
        args.load.interval.is_some(),
        "--interval",
        program,
        "request loads (a one-way run prints a line a second already)",
    )?;
    refuse(
        args.load.metrics.is_some(),
        "--metrics",
        program,
        "servers, relays and request/reply loads",
    )?;
    let sending = args.mode == ClientMode::Send;
    refuse(
        !sending && args.load.count.is_some(),
        "-n",
        program,
        "--mode send (a stream received is asked for by its time, -d)",
    )?;
    positive("-d/--duration", args.load.duration, "would send nothing")?;
    let size = args.load.size.unwrap_or(DEFAULT_ONE_WAY_SIZE);
    if !(HEADER..=MAX_UDP_SIZE).contains(&size) {
        return Err(usage(format!(
            "--size {size}: a one-way datagram is {HEADER} (sequence number and send time) to \
             {MAX_UDP_SIZE} bytes"
        )));
    }
    let bitrate = args.bitrate.unwrap_or(DEFAULT_BITRATE);
    Ok(Plan::UdpOneWay(OneWayConfig {
        addrs,
        source,
        sending,
        bitrate: (bitrate > 0.0).then_some(bitrate),
        size,
        duration: default_duration(args.load.duration, args.load.count.is_some()),
        count: args.load.count,
        timeout: args.timeout,
        html: args.load.html.clone(),
    }))
}

/// A one-way datagram's size when `--size` is not given: a full Ethernet frame's payload
/// less room for tunnels, as iperf3 users pick.
const DEFAULT_ONE_WAY_SIZE: usize = 1400;
/// `--bitrate`'s default, iperf3 -u's.
const DEFAULT_BITRATE: f64 = 1e6;

/// One seed, echo or request exchange: each datagram sent, its answer awaited (retried).
fn exchange(
    args: &UdpSendArgs,
    addrs: Vec<SocketAddr>,
    source: Option<SocketAddr>,
    encoding: Encoding,
    expect: Expect,
) -> Result<Plan> {
    let from_stdin = args.data == [FROM_STDIN];
    let mut due = Vec::new();
    let datagrams = if let Some(path) = &args.replay {
        let replay = replayed(path, args.expect.expect.len())?;
        if args.replay_timing {
            due = crate::replay::timed(replay.at);
        }
        replay.messages
    } else if let Some([name, kind]) = args.dns_query.as_deref() {
        if !args.data.is_empty() {
            return Err(usage(
                "give the requests as DATA or as --dns-query, not both",
            ));
        }
        vec![crate::dns::query(name, kind).map_err(usage)?]
    } else if from_stdin {
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
    Ok(Plan::UdpSend(UdpSendConfig {
        addrs,
        source,
        encoding,
        datagrams,
        due,
        from_stdin,
        timeout: args.timeout,
        retries: args.retries.unwrap_or(DEFAULT_RETRIES),
        echo: args.mode == ClientMode::Echo,
        request: (args.mode == ClientMode::Request).then_some(expect),
    }))
}
