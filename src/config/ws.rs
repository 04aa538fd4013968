//! Planning `ws serve` and `ws connect`: the address, TLS (wss://), the URL asked for in
//! the upgrade, and what the client sends, each flag checked against the mode it would
//! apply to.

use color_eyre::eyre::Result;

use crate::cli::{ClientMode, WsConnectArgs, WsMode, WsServeArgs};
use crate::encoding::Encoding;
use crate::framing::DEFAULT_MAX_FRAME;
use crate::net::dial::Endpoint;
use crate::net::listener::Bind;
use crate::output::{Display, Look, OutputConfig};
use crate::shutdown::DEFAULT_GRACE;
use crate::ws::{WsClientMode, WsConnectConfig, WsServeConfig};

use super::connect::tcp_route;
use super::encode::expectations;
use super::frames::url_path;
use super::refuse::{positive, refuse, usage};
use super::target::{authority, refuse_port_zero, refuse_range, target};
use super::{Plan, tls};

/// Pings sent by `--mode ping` without `-n`.
const DEFAULT_PINGS: u64 = 4;

/// `-x`: the WebSocket's bytes do not pass the wire tap yet, so a dump would be empty.
fn refuse_dump(output: &OutputConfig, program: &str) -> Result<()> {
    refuse(
        output.hex_dump.is_some(),
        "-x/--hex-dump",
        program,
        "tcp, udp and unix programs (a WebSocket's bytes are not tapped yet)",
    )
}

pub(super) fn ws_serve(args: WsServeArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    refuse_dump(output, "ws serve")?;
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    let addrs = host.resolve(port.first)?;
    let tls = tls::server(&args.tls, &host, &addrs, output.pcap_secrets.as_ref())?;
    let max_message = max_frame(args.max_frame);
    positive(
        "--grace",
        args.grace,
        "would close clients without waiting for them",
    )?;
    let cfg = WsServeConfig {
        bind: Bind::Tcp(addrs),
        tls,
        max_message,
        grace: args.grace.unwrap_or(DEFAULT_GRACE),
    };
    let display = Display {
        encoding: Encoding::default(),
        look: Look::Messages,
    };
    Ok((Plan::WsServe(cfg), display))
}

pub(super) fn ws_connect(args: WsConnectArgs, output: &OutputConfig) -> Result<(Plan, Display)> {
    let program = format!("ws connect --mode {}", mode_name(args.mode));
    refuse_dump(output, &program)?;
    let (host, port) = target(&args.addr)?;
    refuse_range(port)?;
    refuse_port_zero(port, "a client")?;
    let tls = tls::client(
        &args.tls,
        &host,
        &program,
        false,
        output.pcap_secrets.as_ref(),
    )?;
    let path = url_path("--path", args.path.as_deref())?;
    let (scheme, default) = if tls.is_some() {
        ("wss", 443)
    } else {
        ("ws", 80)
    };
    let url = format!(
        "{scheme}://{}{path}",
        authority(&host.name, port.first, default)
    );
    let exchanging = matches!(args.mode, WsMode::Echo | WsMode::Request);
    refuse(
        !exchanging && !args.messages.is_empty(),
        "a message argument",
        &program,
        "--mode echo and request (ping sends pings; stdio sends stdin's lines)",
    )?;
    if exchanging && args.messages.is_empty() {
        return Err(usage(format!(
            "{program} needs messages to send: give them as arguments"
        )));
    }
    refuse(
        args.count.is_some() && args.mode != WsMode::Ping,
        "-n/--count",
        &program,
        "--mode ping",
    )?;
    let client_mode = if args.mode == WsMode::Request {
        ClientMode::Request
    } else {
        ClientMode::Echo
    };
    let expect = expectations(
        &args.expect,
        client_mode,
        Encoding::default(),
        Some(args.messages.len()),
        &program,
    )?;
    let mut messages = Vec::with_capacity(args.messages.len());
    for text in &args.messages {
        messages.push(Encoding::default().encode_escaped(text)?);
    }
    let mode = match args.mode {
        WsMode::Echo => WsClientMode::Echo,
        WsMode::Request => WsClientMode::Request(expect),
        WsMode::Ping => WsClientMode::Ping(args.count.unwrap_or(DEFAULT_PINGS)),
        WsMode::Stdio => WsClientMode::Stdio,
    };
    positive(
        "--timeout",
        Some(args.timeout),
        "would time out every connection",
    )?;
    let cfg = WsConnectConfig {
        endpoint: Endpoint::Tcp(tcp_route(&host, port.first, &args.route)?),
        url,
        tls,
        messages,
        binary: args.binary,
        mode,
        close_code: args.close_code.unwrap_or(1000),
        timeout: args.timeout,
        max_message: max_frame(args.max_frame),
    };
    let look = if args.mode == WsMode::Stdio {
        Look::Stream
    } else {
        Look::Replies
    };
    let display = Display {
        encoding: Encoding::default(),
        look,
    };
    Ok((Plan::WsConnect(cfg), display))
}

fn mode_name(mode: WsMode) -> &'static str {
    match mode {
        WsMode::Echo => "echo",
        WsMode::Request => "request",
        WsMode::Ping => "ping",
        WsMode::Stdio => "stdio",
    }
}

/// `--max-frame` (its parser takes 1 byte and more), or the default.
fn max_frame(given: Option<usize>) -> usize {
    given.unwrap_or(DEFAULT_MAX_FRAME)
}
