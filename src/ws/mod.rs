//! `ws serve` and `ws connect`: WebSocket (RFC 6455) over netdemo's own TCP and TLS, with
//! tokio-tungstenite speaking the protocol (the upgrade, masking, fragments, control
//! frames). A server echoes every message and returns close codes; a client sends
//! messages and checks replies, times pings, or joins stdin and stdout (websocat's job).

mod client;
mod server;

use std::time::Duration;

pub use client::{WsClientMode, WsConnectConfig, connect};
pub use server::{WsServeConfig, serve};

/// How long the opening handshake (the HTTP upgrade) may take, on either side.
const HANDSHAKE: Duration = Duration::from_secs(10);

/// tungstenite's settings for a side that accepts messages of at most `max` bytes.
fn settings(max: usize) -> tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
    tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .max_message_size(Some(max))
        .max_frame_size(Some(max))
}

/// A close code in words (RFC 6455 7.4.1), for what a peer said as it left.
fn close_words(code: u16) -> &'static str {
    match code {
        1000 => "normal closure",
        1001 => "going away",
        1002 => "protocol error",
        1003 => "unsupported data",
        1005 => "no code given",
        1006 => "closed without a close frame",
        1007 => "invalid payload",
        1008 => "policy violation",
        1009 => "message too big",
        1010 => "extension required",
        1011 => "internal error",
        3000..=3999 => "a registered application's code",
        4000..=4999 => "an application's own code",
        _ => "an unknown code",
    }
}
