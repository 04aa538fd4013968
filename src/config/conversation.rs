//! Planning one stream conversation (`tcp connect` and `unix connect` in seed, echo or
//! request mode, without load flags): the messages as bytes, checked against the
//! framing, and what each reply must be.

use std::sync::Arc;

use color_eyre::eyre::Result;

use crate::cli::{ClientMode, ConnectArgs};
use crate::encoding::Encoding;
use crate::expect::Expect;
use crate::framing::FrameSpec;
use crate::messages::{Check, FROM_STDIN};
use crate::net::dial::Endpoint;
use crate::protocol::{self, Wire};
use crate::tcp::{Conversation, TcpConnectConfig};
use crate::tls::ClientTls;

use super::Plan;
use super::encode::encode_messages;
use super::refuse::{mode_name, replies_fit, usage};

/// The client's messages in the first TCP stream of `path`, split by the framing.
pub(super) fn replayed(
    path: &std::path::Path,
    frames: FrameSpec,
    expects: usize,
) -> Result<crate::replay::Replay> {
    if frames.framing == crate::framing::Framing::Ws {
        return Err(super::refuse::usage(
            "--replay does not unmask WebSocket frames yet: it replays streams in raw, line, \
             length, resp, http or memcached framing",
        ));
    }
    let replay = crate::replay::tcp(path, frames.framing)
        .map_err(|err| color_eyre::eyre::eyre!("--replay: {err}"))?;
    super::encode::expect_each(expects, replay.messages.len())?;
    tracing::info!(
        "replaying {} message(s) that {} sent to {}",
        replay.messages.len(),
        replay.from,
        replay.to
    );
    Ok(replay)
}

pub(super) fn plan(
    args: &ConnectArgs,
    endpoint: Endpoint,
    tls: Option<Arc<ClientTls>>,
    frames: FrameSpec,
    expect: Expect,
    host_header: String,
) -> Result<Plan> {
    let encoding = args.codec.encoding.unwrap_or_default();
    let from_stdin = args.messages == [FROM_STDIN];
    let mut due = Vec::new();
    let messages = if let Some(path) = &args.replay {
        let replay = replayed(path, frames, args.expect.expect.len())?;
        if args.replay_timing {
            due = crate::replay::timed(replay.at);
        }
        replay.messages
    } else if from_stdin {
        Vec::new()
    } else if args.messages.is_empty() && args.mode == ClientMode::Seed {
        vec![encoding.protocol_bytes(protocol::DEFAULT_TCP_MESSAGE)]
    } else if args.messages.is_empty() {
        return Err(usage(format!(
            "--mode {} needs messages to send: give them as arguments, or - for stdin",
            mode_name(args.mode)
        )));
    } else {
        encode_messages(
            &args.messages,
            encoding,
            frames.framing,
            Check::Frame(frames),
            &host_header,
        )?
    };
    let conversation = match args.mode {
        ClientMode::Echo => Conversation::Echo,
        ClientMode::Request => Conversation::Request(expect),
        _ => Conversation::Seed,
    };
    check_replies_fit(args.mode, frames, encoding, &messages)?;
    Ok(Plan::TcpConnect(TcpConnectConfig {
        endpoint,
        encoding,
        messages,
        upgrade: super::frames::ws_upgrade(frames.framing, args.ws_path.as_deref(), &host_header)?,
        due,
        from_stdin,
        frames,
        host_header,
        conversation,
        timeout: args.timeout,
        wait: args.wait,
        tls,
    }))
}

/// The greeting and the reply to the longest message must each fit one frame; a
/// service's replies (request mode) are its own business, bounded as they come.
fn check_replies_fit(
    mode: ClientMode,
    frames: FrameSpec,
    encoding: Encoding,
    messages: &[Vec<u8>],
) -> Result<()> {
    let wire = Wire::new(encoding);
    match mode {
        ClientMode::Request => Ok(()),
        ClientMode::Echo => {
            let longest = messages.iter().map(Vec::len).max().unwrap_or(0);
            replies_fit(frames, None, longest, longest)
        }
        _ => {
            let greeting = Some(wire.greeting().len());
            match messages.iter().map(Vec::len).max() {
                Some(longest) => {
                    let reply = wire.tcp_reply(&vec![0; longest]).len();
                    replies_fit(frames, greeting, longest, reply)
                }
                None => replies_fit(frames, greeting, 0, 0),
            }
        }
    }
}
