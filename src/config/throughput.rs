//! Planning throughput runs (`tcp connect` and `unix connect` with `--mode send` or
//! `--mode receive`): streams, bounds and TLS; none of the request/reply flags.

use std::sync::Arc;

use color_eyre::eyre::Result;

use crate::cli::{ClientMode, ConnectArgs};
use crate::load::throughput::ThroughputConfig;
use crate::net::dial::Endpoint;
use crate::output::Display;
use crate::tls::ClientTls;

use super::frames::framing_flag;
use super::refuse::{check_descriptors, mode_name, positive, refuse};
use super::runtime::threads;
use super::{DEFAULT_LOAD_DURATION, Plan};

/// `--mode send` and `--mode receive`: a throughput run. Only the connection count, the
/// bounds, `--timeout` and TLS apply.
pub(super) fn plan(
    args: &ConnectArgs,
    command: &str,
    endpoint: Endpoint,
    tls: Option<Arc<ClientTls>>,
) -> Result<(Plan, Display)> {
    let program = format!("{command} --mode {}", mode_name(args.mode));
    let why = "request/reply runs (a throughput run moves bytes, not messages)";
    refuse(
        !args.messages.is_empty(),
        "a message argument",
        &program,
        why,
    )?;
    if let Some(flag) = args.load.shape.given() {
        refuse(true, flag, &program, why)?;
    }
    refuse(args.load.size.is_some(), "--size", &program, why)?;
    refuse(args.load.warmup.is_some(), "--warmup", &program, why)?;
    refuse(args.load.pipeline.is_some(), "--pipeline", &program, why)?;
    refuse(args.load.reconnect, "--reconnect", &program, why)?;
    refuse(args.load.hist_log.is_some(), "--hist-log", &program, why)?;
    refuse(
        args.load.metrics.is_some(),
        "--metrics",
        &program,
        "servers, relays and request/reply loads",
    )?;
    refuse(
        args.load.shard.active(),
        "--shard and --start-at",
        &program,
        why,
    )?;
    refuse(
        args.wait.is_some(),
        "--wait",
        &program,
        "single conversations",
    )?;
    refuse(
        args.framing.framing.is_some() || args.framing.max_frame.is_some(),
        framing_flag(&args.framing),
        &program,
        why,
    )?;
    refuse(
        !args.expect.expect.is_empty() || args.expect.expect_regex.is_some(),
        "--expect",
        &program,
        "--mode request",
    )?;
    positive("-d/--duration", args.load.duration, "would move nothing")?;
    let streams = args.load.connections.unwrap_or(1) as usize;
    check_descriptors(streams)?;
    let sending = args.mode == ClientMode::Send;
    refuse(
        args.bidir && args.load.html.is_some(),
        "--html",
        &format!("{program} --bidir"),
        "runs of one direction (a page shows one)",
    )?;
    // A receive run without bounds reads until the server ends every stream (a file
    // served once); a send run without bounds has no end of its own: 10 s, as load runs.
    let duration = match (args.load.duration, args.load.requests) {
        (None, None) if sending || args.bidir => Some(DEFAULT_LOAD_DURATION),
        (duration, _) => duration,
    };
    let cfg = ThroughputConfig {
        endpoint,
        threads: threads(args.load.threads),
        streams,
        sending,
        bidir: args.bidir,
        duration,
        bytes: args.load.requests,
        timeout: args.timeout,
        tls,
        html: args.load.html.clone(),
    };
    Ok((Plan::Throughput(cfg), Display::default()))
}
