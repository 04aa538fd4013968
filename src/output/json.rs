//! `--json`: each event as an [`EventJson`], named by its `event` field.

use super::schema::{ConnectionsJson, DataJson, EventJson, ProcessJson};
use super::{Display, Look};
use crate::encoding::Encoding;
use crate::event::{Direction, Event, Peer, Rates};

/// The JSON form of an event. Data is shown in the display encoding, with `data_b64`
/// beside it when the bytes do not decode.
pub(super) fn event(event: &Event<'_>, display: Display) -> EventJson {
    match event {
        Event::Accept { peer, process } => EventJson::Accept {
            peer: peer.to_string(),
            process: process.map(|process| ProcessJson {
                pid: process.pid,
                uid: process.uid,
            }),
        },
        Event::Datagram { peer } => EventJson::Datagram {
            peer: peer.to_string(),
        },
        Event::Data {
            peer,
            direction,
            data: bytes,
        } => {
            let data = data(peer, bytes, display.encoding);
            match (direction, display.look) {
                (Direction::Sent, _) => EventJson::Sent(data),
                (Direction::Received, Look::Replies | Look::Answers) => EventJson::Reply(data),
                (Direction::Received, _) => EventJson::Message(data),
            }
        }
        Event::Close { peer, close } => EventJson::Close {
            peer: peer.to_string(),
            reason: close.reason().to_owned(),
        },
        Event::Error { peer, error } => EventJson::Error {
            peer: Some(peer.to_string()),
            error: error.to_string(),
        },
        Event::Open { addr, took } => EventJson::Open {
            addr: Some(addr.to_string()),
            connect_us: Some(took.as_micros() as u64),
            peer: None,
            target: None,
        },
        Event::Closed { addr, reason } => EventJson::Closed {
            addr: (*addr).to_owned(),
            reason: (*reason).to_owned(),
        },
        Event::Shutdown => EventJson::Shutdown {},
        Event::Pong { peer, seq, took } => EventJson::Pong {
            peer: peer.to_string(),
            seq: *seq,
            rtt_us: took.as_micros() as u64,
        },
        Event::Relay { peer, target } => EventJson::Open {
            addr: None,
            connect_us: None,
            peer: Some(peer.to_string()),
            target: Some(target.to_string()),
        },
        Event::Relayed {
            peer,
            up,
            data: bytes,
        } => EventJson::Data(DataJson {
            direction: Some(if *up { "up" } else { "down" }.to_owned()),
            ..data(peer, bytes, display.encoding)
        }),
        Event::Tls { peer, info } => EventJson::Tls {
            peer: peer.to_string(),
            version: info.version.to_owned(),
            cipher: info.cipher.to_owned(),
            alpn: info.alpn.clone(),
            sni: info.sni.clone(),
            peer_subject: info.peer_subject.clone(),
            peer_fingerprint: info.peer_fingerprint.clone(),
            handshake_us: info.took.as_micros() as u64,
            resumed: info.resumed,
        },
    }
}

fn data(peer: &Peer, data: &[u8], encoding: Encoding) -> DataJson {
    let (shown, b64) = match encoding.decode_exact(data) {
        Some(text) => (text, None),
        None => (encoding.show(data), Some(Encoding::base64(data))),
    };
    DataJson {
        peer: peer.to_string(),
        bytes: data.len(),
        data: shown,
        data_b64: b64,
        direction: None,
    }
}

/// A `stats` event.
pub(super) fn rates(rates: &Rates) -> EventJson {
    EventJson::Stats {
        messages_per_s: rates.messages_per_s.round(),
        bytes_in_per_s: rates.bytes_in_per_s.round(),
        bytes_out_per_s: rates.bytes_out_per_s.round(),
        connections: rates.open.map(|open| ConnectionsJson {
            connections: open,
            accepted_per_s: rates.accepted_per_s.round(),
        }),
        dropped: rates.dropped,
    }
}
