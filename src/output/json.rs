//! `--json`: each event as one JSON object, named by its `event` field.

use serde_json::{Value, json};

use super::{Display, Look};
use crate::encoding::Encoding;
use crate::event::{Direction, Event, Peer, Rates};

/// The JSON object of an event. Data is shown in the display encoding, with `data_b64`
/// beside it when the bytes do not decode.
pub(super) fn event(event: &Event<'_>, display: Display) -> Value {
    match event {
        Event::Accept { peer, process } => {
            let mut object = json!({ "event": "accept", "peer": peer.to_string() });
            if let Some(process) = process {
                object["pid"] = json!(process.pid);
                object["uid"] = json!(process.uid);
            }
            object
        }
        Event::Datagram { peer } => json!({ "event": "datagram", "peer": peer.to_string() }),
        Event::Data {
            peer,
            direction,
            data: bytes,
        } => {
            let name = match (direction, display.look) {
                (Direction::Sent, _) => "sent",
                (Direction::Received, Look::Replies | Look::Answers) => "reply",
                (Direction::Received, _) => "message",
            };
            data(name, peer, bytes, display.encoding)
        }
        Event::Close { peer, close } => {
            json!({ "event": "close", "peer": peer.to_string(), "reason": close.reason() })
        }
        Event::Error { peer, error } => {
            json!({ "event": "error", "peer": peer.to_string(), "error": error.to_string() })
        }
        Event::Open { addr, took } => json!({
            "event": "open",
            "addr": addr.to_string(),
            "connect_us": took.as_micros() as u64,
        }),
        Event::Closed { addr, reason } => {
            json!({ "event": "closed", "addr": addr, "reason": reason })
        }
        Event::Shutdown => json!({ "event": "shutdown" }),
        Event::Relay { peer, target } => json!({
            "event": "open",
            "peer": peer.to_string(),
            "target": target.to_string(),
        }),
        Event::Relayed {
            peer,
            up,
            data: bytes,
        } => {
            let mut object = data("data", peer, bytes, display.encoding);
            object["direction"] = json!(if *up { "up" } else { "down" });
            object
        }
        Event::Tls { peer, info } => json!({
            "event": "tls",
            "peer": peer.to_string(),
            "version": info.version,
            "cipher": info.cipher,
            "alpn": info.alpn,
            "sni": info.sni,
            "peer_subject": info.peer_subject,
            "peer_fingerprint": info.peer_fingerprint,
            "handshake_us": info.took.as_micros() as u64,
            "resumed": info.resumed,
        }),
    }
}

fn data(name: &str, peer: &Peer, data: &[u8], encoding: Encoding) -> Value {
    let mut object = json!({ "event": name, "peer": peer.to_string(), "bytes": data.len() });
    match encoding.decode_exact(data) {
        Some(text) => object["data"] = json!(text),
        None => {
            object["data"] = json!(encoding.show(data));
            object["data_b64"] = json!(Encoding::base64(data));
        }
    }
    object
}

/// A `stats` event.
pub(super) fn rates(rates: &Rates) -> Value {
    let mut object = json!({
        "event": "stats",
        "messages_per_s": rates.messages_per_s.round(),
        "bytes_in_per_s": rates.bytes_in_per_s.round(),
        "bytes_out_per_s": rates.bytes_out_per_s.round(),
    });
    if let Some(open) = rates.open {
        object["connections"] = open.into();
        object["accepted_per_s"] = rates.accepted_per_s.round().into();
    }
    if let Some(dropped) = rates.dropped {
        object["dropped"] = dropped.into();
    }
    object
}
