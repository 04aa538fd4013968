//! Planning stream load runs (`tcp connect` and `unix connect` with a load flag): the
//! request or requests, what each reply must be, the connections, rate and bounds, and
//! this shard's share of them.

use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::Result;

use crate::cli::{ClientMode, ConnectArgs};
use crate::expect::Expect;
use crate::framing::{FrameSpec, Framing, RAW_READ_MAX};
use crate::load::tcp::{TcpLoad, payload};
use crate::messages::{Check, FROM_STDIN};
use crate::net::dial::Endpoint;
use crate::protocol::Wire;
use crate::request::Request;
use crate::tls::ClientTls;

use super::encode::requests;
use super::pace::{pace, planned};
use super::refuse::{check_descriptors, positive, refuse, replies_fit, usage};
use super::runtime::threads;
use super::shard::{message_bytes, provenance, share};
use super::{DEFAULT_TCP_SIZE, Plan};
use crate::load::Engine;
use crate::load::capacity::Search;

/// A TCP or Unix load run, of any mode.
pub(super) fn tcp_load(
    args: &ConnectArgs,
    endpoint: Endpoint,
    tls: Option<Arc<ClientTls>>,
    frames: FrameSpec,
    expect: Expect,
    header: &str,
) -> Result<Plan> {
    let check = Check::Frame(frames);
    let (mut load, search) = if args.mode == ClientMode::Request {
        request_load(args, endpoint, frames, check, expect, header)?
    } else {
        fixed_load(args, endpoint, frames, check)?
    };
    load.tls = tls;
    load.upgrade = super::frames::ws_upgrade(frames.framing, args.ws_path.as_deref(), header)?;
    Ok(planned(Engine::Tcp(load), search))
}

/// A seed or echo load run: one request, checked against the framing and `--max-frame`
/// before anything is allocated or sent.
fn fixed_load(
    args: &ConnectArgs,
    endpoint: Endpoint,
    frames: FrameSpec,
    check: Check,
) -> Result<(TcpLoad, Option<Search>)> {
    let load = &args.load;
    let encoding = args.codec.encoding.unwrap_or_default();
    // The largest request the framing carries whole: one raw read, or one frame.
    let largest = match frames.framing {
        Framing::Raw => RAW_READ_MAX.min(frames.max_frame),
        Framing::Line
        | Framing::Length
        | Framing::Resp
        | Framing::Http
        | Framing::Memcached
        | Framing::Ws => frames.max_frame,
    };
    let request = match args.messages.as_slice() {
        [] => {
            let size = load.size.unwrap_or(DEFAULT_TCP_SIZE);
            if size > largest {
                return Err(usage(format!(
                    "--size {size}: a request can be at most {largest} bytes with --framing {} \
                     and --max-frame {} (try --framing length and a larger --max-frame)",
                    frames.framing.name(),
                    frames.max_frame
                )));
            }
            payload(size)
        }
        [dash] if dash == FROM_STDIN => {
            return Err(usage(
                "a load run sends one message over and over, not stdin: give it as an argument",
            ));
        }
        [one] if load.size.is_none() => {
            let request = encoding.encode(one)?;
            check.check(&request).map_err(usage)?;
            if request.len() > largest {
                return Err(usage(format!(
                    "a request of {} bytes does not fit one message with --framing {} (at most \
                     {largest} bytes; try --framing length)",
                    request.len(),
                    frames.framing.name()
                )));
            }
            request
        }
        [_] => return Err(usage("give either a message or --size, not both")),
        _ => {
            return Err(usage(
                "a load run sends one message over and over: give one, or --size",
            ));
        }
    };
    let wire = Wire::new(encoding);
    let (greeting, expected) = match args.mode {
        ClientMode::Echo => (None, request.clone()),
        _ => {
            if wire.is_exit(&request) {
                return Err(usage(
                    "`exit` closes the connection: it cannot be a load request",
                ));
            }
            (Some(wire.greeting().to_vec()), wire.tcp_reply(&request))
        }
    };
    replies_fit(
        frames,
        greeting.as_ref().map(Vec::len),
        request.len(),
        expected.len(),
    )?;
    load_run(
        args,
        endpoint,
        frames,
        greeting,
        vec![Request::Fixed(request)],
        Expect::Exact(vec![expected]),
        args.messages.clone(),
    )
}

/// A load run of `--mode request`: the messages rotate on each connection, replies are
/// checked against the expectations, and there is no greeting.
fn request_load(
    args: &ConnectArgs,
    endpoint: Endpoint,
    frames: FrameSpec,
    check: Check,
    expect: Expect,
    header: &str,
) -> Result<(TcpLoad, Option<Search>)> {
    let load = &args.load;
    let encoding = args.codec.encoding.unwrap_or_default();
    if load.size.is_some() {
        return Err(usage(
            "--size makes a payload for the seed and echo modes: in --mode request, give the \
             messages to send",
        ));
    }
    if let Some(path) = &args.replay {
        let replay = super::conversation::replayed(path, frames, args.expect.expect.len())?;
        for message in &replay.messages {
            check.check(message).map_err(usage)?;
        }
        let labels = (1..=replay.messages.len())
            .map(|n| format!("message {n}"))
            .collect();
        let requests = replay.messages.into_iter().map(Request::Fixed).collect();
        return load_run(args, endpoint, frames, None, requests, expect, labels);
    }
    if args.messages.is_empty() || args.messages == [FROM_STDIN] {
        return Err(usage(
            "--mode request needs the messages to send as arguments (they rotate on each \
             connection), or --replay FILE",
        ));
    }
    let requests = requests(&args.messages, encoding, frames.framing, check, header)?;
    load_run(
        args,
        endpoint,
        frames,
        None,
        requests,
        expect,
        args.messages.clone(),
    )
}

/// The settings every TCP load run shares, checked: connections within the descriptor
/// limit, a pipeline only where replies can be told apart, a duration above zero.
fn load_run(
    args: &ConnectArgs,
    endpoint: Endpoint,
    frames: FrameSpec,
    greeting: Option<Vec<u8>>,
    messages: Vec<Request>,
    expect: Expect,
    labels: Vec<String>,
) -> Result<(TcpLoad, Option<Search>)> {
    let load = &args.load;
    let transport = match endpoint {
        Endpoint::Tcp(_) => "tcp",
        Endpoint::Unix(_) => "unix",
    };
    let mode = match (args.mode, &greeting) {
        (ClientMode::Request, _) => "request",
        (_, Some(_)) => "seed",
        _ => "echo",
    };
    let mode = format!("{transport} {mode}");
    let size = message_bytes(&messages, &labels);
    let share = share(
        &load.shard,
        // Without -c, one connection per shard.
        Some(
            load.connections
                .map_or(load.shard.shard.map_or(1, |(_, of)| of as usize), |c| {
                    c as usize
                }),
        ),
        load.requests,
        provenance(endpoint.first_peer(), &mode, frames.framing.name(), size),
    )?;
    let connections = share.connections;
    check_descriptors(connections)?;
    if load.pipeline.is_some_and(|p| p > 1) && frames.framing == Framing::Raw {
        return Err(usage(
            "--pipeline needs a framing that tells replies apart: with --framing raw, \
             pipelined replies run together (try --framing line, length, resp or http)",
        ));
    }
    positive("-d/--duration", load.duration, "would measure nothing")?;
    let warmup = load.warmup.unwrap_or_default();
    let pace = pace(
        &load.shape,
        load.duration,
        load.requests.is_some(),
        warmup,
        share.shard,
    )?;
    refuse(
        pace.search.is_some() && load.hist_log.is_some(),
        "--hist-log",
        "--find-max-rate",
        "load runs of one rate or shape (a search is many runs)",
    )?;
    if load.interval.is_some_and(|every| every < MIN_INTERVAL) {
        return Err(usage(
            "--interval below 100ms would show the threads' merges, not the load (they \
             merge ten times a second)",
        ));
    }
    refuse(
        load.reconnect && load.pipeline.is_some_and(|p| p > 1),
        "--pipeline",
        "a load run with --reconnect",
        "runs that keep their connections (one request per connection has nothing to pipeline)",
    )?;
    let load = TcpLoad {
        endpoint,
        connections,
        duration: pace.duration,
        requests: share.requests,
        schedule: pace.schedule,
        warmup,
        greeting,
        messages,
        expect,
        expect_given: args.mode == ClientMode::Request,
        frames,
        timeout: args.timeout,
        pipeline: load.pipeline.unwrap_or(1),
        labels,
        tls: None,
        upgrade: None,
        placement: share.placement,
        reconnect: load.reconnect,
        hist_log: load.hist_log.clone(),
        html: load.html.clone(),
        metrics: load.metrics,
        threads: threads(load.threads),
        interval: load.interval,
    };
    Ok((load, pace.search))
}

/// The shortest `--interval`: the load threads merge their figures every 100 ms.
pub(super) const MIN_INTERVAL: Duration = Duration::from_millis(100);
