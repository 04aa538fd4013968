//! A relay's faults as toxiproxy names them: a list of toxics, each with a type, a stream
//! (upstream: client to target; downstream: target to client), a toxicity (the chance a
//! connection gets it at all) and its attributes. The command-line flags, `--schedule` and
//! the HTTP API all write this one list; each connection turns it into the settings of its
//! two directions ([`Toxics::stream_faults`], [`Toxics::datagram_faults`]) whenever it
//! changes.
//!
//! Types and attributes follow toxiproxy 2.x (`toxics/*.go`): latency and jitter in
//! milliseconds, bandwidth in KB/s, slicer delays in microseconds. netdemo's own faults
//! (`reset_after`, and `loss`, `duplicate`, `reorder` for UDP) sit beside them under their
//! own names.

use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::faults::{DatagramFaults, Slice, StreamFaults};
use crate::template::Rng;

/// Which way a toxic acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stream {
    /// Client to target.
    Upstream,
    /// Target to client.
    Downstream,
}

impl Stream {
    pub fn name(self) -> &'static str {
        match self {
            Stream::Upstream => "upstream",
            Stream::Downstream => "downstream",
        }
    }

    fn parse(text: &str) -> Option<Stream> {
        match text {
            "upstream" => Some(Stream::Upstream),
            "downstream" => Some(Stream::Downstream),
            _ => None,
        }
    }
}

/// Which relay a toxic is for: some only mean something on a byte stream, some only on
/// datagrams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
}

/// A toxic's type and settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Each chunk waits `latency` plus or minus up to `jitter` (toxiproxy's sense).
    Latency { latency: Duration, jitter: Duration },
    /// At most this many bytes a second.
    Bandwidth { bytes_per_second: u64 },
    /// The close waits this long after the last byte.
    SlowClose { delay: Duration },
    /// Nothing gets through; the connection is closed after `timeout` (never when zero).
    Timeout { timeout: Duration },
    /// The connection is reset after `timeout`.
    ResetPeer { timeout: Duration },
    /// Chunks are written in pieces of `average_size` give or take `size_variation` bytes,
    /// `delay` apart.
    Slicer {
        average_size: u64,
        size_variation: u64,
        delay: Duration,
    },
    /// The connection is closed once this many bytes went this way.
    LimitData { bytes: u64 },
    /// netdemo's own: the connection is reset once this many bytes went this way.
    ResetAfter { bytes: u64 },
    /// netdemo's own, with the relay's `--framing`: every `nth` request (when not 0) and
    /// `percent` of them are answered by the relay itself.
    FailRequests { nth: u64, percent: f64 },
    /// netdemo's own, with `--framing`: the reply to every `nth` request (when not 0) and
    /// to `percent` of them is kept back, with every reply after it.
    HoldRequests { nth: u64, percent: f64 },
    /// netdemo's own: this percentage of chunks is dropped (the stream breaks).
    DropChunks { percent: f64 },
    /// netdemo's own: one byte is flipped in this percentage of chunks.
    Corrupt { percent: f64 },
    /// netdemo's own, UDP: this percentage of datagrams is lost.
    Loss { percent: f64 },
    /// netdemo's own, UDP: this percentage is sent twice.
    Duplicate { percent: f64 },
    /// netdemo's own, UDP: this percentage waits for the next datagram.
    Reorder { percent: f64 },
}

/// Every type, as the API names them, and where each applies.
const TYPES: [(&str, &[Transport]); 15] = [
    ("latency", &[Transport::Tcp, Transport::Udp]),
    ("bandwidth", &[Transport::Tcp]),
    ("slow_close", &[Transport::Tcp]),
    ("timeout", &[Transport::Tcp]),
    ("reset_peer", &[Transport::Tcp]),
    ("slicer", &[Transport::Tcp]),
    ("limit_data", &[Transport::Tcp]),
    ("reset_after", &[Transport::Tcp]),
    ("fail_requests", &[Transport::Tcp]),
    ("hold_requests", &[Transport::Tcp]),
    ("drop_chunks", &[Transport::Tcp]),
    ("corrupt", &[Transport::Tcp]),
    ("loss", &[Transport::Udp]),
    ("duplicate", &[Transport::Udp]),
    ("reorder", &[Transport::Udp]),
];

/// Why a toxic was refused: what the API answers with 400 or 409.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ToxicError {
    #[error("bad request body: {0}")]
    BadJson(String),
    #[error("invalid toxic type: {0:?}")]
    UnknownType(String),
    #[error("toxic type {kind} does not apply to a {transport} relay (it takes: {takes})")]
    WrongTransport {
        kind: String,
        transport: &'static str,
        takes: String,
    },
    #[error("stream was invalid, can be either upstream or downstream")]
    BadStream,
    #[error("bad request body: toxicity must be a number, not {0}")]
    BadToxicity(String),
    #[error("attribute {name} of {kind} must be {wanted}, not {got}")]
    BadAttribute {
        kind: &'static str,
        name: &'static str,
        wanted: &'static str,
        got: String,
    },
    #[error("toxic already exists")]
    Exists,
    #[error("toxic not found")]
    NotFound,
}

impl Kind {
    /// The type's name in the API.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Latency { .. } => "latency",
            Kind::Bandwidth { .. } => "bandwidth",
            Kind::SlowClose { .. } => "slow_close",
            Kind::Timeout { .. } => "timeout",
            Kind::ResetPeer { .. } => "reset_peer",
            Kind::Slicer { .. } => "slicer",
            Kind::LimitData { .. } => "limit_data",
            Kind::ResetAfter { .. } => "reset_after",
            Kind::FailRequests { .. } => "fail_requests",
            Kind::HoldRequests { .. } => "hold_requests",
            Kind::DropChunks { .. } => "drop_chunks",
            Kind::Corrupt { .. } => "corrupt",
            Kind::Loss { .. } => "loss",
            Kind::Duplicate { .. } => "duplicate",
            Kind::Reorder { .. } => "reorder",
        }
    }

    /// A toxic of type `name` with every attribute at toxiproxy's default (zero).
    fn empty(name: &str, transport: Transport) -> Result<Kind, ToxicError> {
        let Some((_, takes)) = TYPES.iter().find(|(type_name, _)| *type_name == name) else {
            return Err(ToxicError::UnknownType(name.to_owned()));
        };
        if !takes.contains(&transport) {
            let (transport_name, other) = match transport {
                Transport::Tcp => ("tcp", Transport::Tcp),
                Transport::Udp => ("udp", Transport::Udp),
            };
            let takes = TYPES
                .iter()
                .filter(|(_, on)| on.contains(&other))
                .map(|(type_name, _)| *type_name)
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ToxicError::WrongTransport {
                kind: name.to_owned(),
                transport: transport_name,
                takes,
            });
        }
        Ok(match name {
            "latency" => Kind::Latency {
                latency: Duration::ZERO,
                jitter: Duration::ZERO,
            },
            "bandwidth" => Kind::Bandwidth {
                bytes_per_second: 0,
            },
            "slow_close" => Kind::SlowClose {
                delay: Duration::ZERO,
            },
            "timeout" => Kind::Timeout {
                timeout: Duration::ZERO,
            },
            "reset_peer" => Kind::ResetPeer {
                timeout: Duration::ZERO,
            },
            "slicer" => Kind::Slicer {
                average_size: 0,
                size_variation: 0,
                delay: Duration::ZERO,
            },
            "limit_data" => Kind::LimitData { bytes: 0 },
            "reset_after" => Kind::ResetAfter { bytes: 0 },
            "fail_requests" => Kind::FailRequests {
                nth: 0,
                percent: 0.0,
            },
            "hold_requests" => Kind::HoldRequests {
                nth: 0,
                percent: 0.0,
            },
            "drop_chunks" => Kind::DropChunks { percent: 0.0 },
            "corrupt" => Kind::Corrupt { percent: 0.0 },
            "loss" => Kind::Loss { percent: 0.0 },
            "duplicate" => Kind::Duplicate { percent: 0.0 },
            _ => Kind::Reorder { percent: 0.0 },
        })
    }

    /// The attributes as the API shows them.
    fn attributes(&self) -> Value {
        let ms = |d: &Duration| d.as_millis() as u64;
        match self {
            Kind::Latency { latency, jitter } => {
                json!({"latency": ms(latency), "jitter": ms(jitter)})
            }
            // KB/s, as toxiproxy's `rate`: 1 KB is 1000 bytes there.
            Kind::Bandwidth { bytes_per_second } => json!({"rate": bytes_per_second / 1000}),
            Kind::SlowClose { delay } => json!({"delay": ms(delay)}),
            Kind::Timeout { timeout } | Kind::ResetPeer { timeout } => {
                json!({"timeout": ms(timeout)})
            }
            Kind::Slicer {
                average_size,
                size_variation,
                delay,
            } => json!({
                "average_size": average_size,
                "size_variation": size_variation,
                "delay": delay.as_micros() as u64,
            }),
            Kind::LimitData { bytes } | Kind::ResetAfter { bytes } => json!({"bytes": bytes}),
            Kind::FailRequests { nth, percent } | Kind::HoldRequests { nth, percent } => {
                json!({"every": nth, "percent": percent})
            }
            Kind::Loss { percent }
            | Kind::Duplicate { percent }
            | Kind::Reorder { percent }
            | Kind::DropChunks { percent }
            | Kind::Corrupt { percent } => json!({"percent": percent}),
        }
    }

    /// Sets the attributes `given` names; the others keep their values, as toxiproxy
    /// decodes a body over the toxic it has.
    fn set(&mut self, given: &Map<String, Value>) -> Result<(), ToxicError> {
        let kind = self.type_name();
        let whole = |name: &'static str| -> Result<Option<u64>, ToxicError> {
            match given.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value.as_u64().map(Some).ok_or(ToxicError::BadAttribute {
                    kind,
                    name,
                    wanted: "a whole number of at least 0",
                    got: value.to_string(),
                }),
            }
        };
        let millis = |name| Ok::<_, ToxicError>(whole(name)?.map(Duration::from_millis));
        let percent = |name: &'static str| -> Result<Option<f64>, ToxicError> {
            match given.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value
                    .as_f64()
                    .filter(|p| (0.0..=100.0).contains(p))
                    .map(Some)
                    .ok_or(ToxicError::BadAttribute {
                        kind,
                        name,
                        wanted: "a number from 0 to 100",
                        got: value.to_string(),
                    }),
            }
        };
        match self {
            Kind::Latency { latency, jitter } => {
                *latency = millis("latency")?.unwrap_or(*latency);
                *jitter = millis("jitter")?.unwrap_or(*jitter);
            }
            Kind::Bandwidth { bytes_per_second } => {
                if let Some(rate) = whole("rate")? {
                    *bytes_per_second = rate.saturating_mul(1000);
                }
            }
            Kind::SlowClose { delay } => *delay = millis("delay")?.unwrap_or(*delay),
            Kind::Timeout { timeout } | Kind::ResetPeer { timeout } => {
                *timeout = millis("timeout")?.unwrap_or(*timeout);
            }
            Kind::Slicer {
                average_size,
                size_variation,
                delay,
            } => {
                *average_size = whole("average_size")?.unwrap_or(*average_size);
                *size_variation = whole("size_variation")?.unwrap_or(*size_variation);
                *delay = whole("delay")?.map_or(*delay, Duration::from_micros);
            }
            Kind::LimitData { bytes } | Kind::ResetAfter { bytes } => {
                *bytes = whole("bytes")?.unwrap_or(*bytes);
            }
            Kind::FailRequests { nth, percent: p } | Kind::HoldRequests { nth, percent: p } => {
                *nth = whole("every")?.unwrap_or(*nth);
                *p = percent("percent")?.unwrap_or(*p);
            }
            Kind::Loss { percent: p }
            | Kind::Duplicate { percent: p }
            | Kind::Reorder { percent: p }
            | Kind::DropChunks { percent: p }
            | Kind::Corrupt { percent: p } => {
                *p = percent("percent")?.unwrap_or(*p);
            }
        }
        Ok(())
    }

    /// What it does, in the words of the command-line flags: `latency 100ms`.
    pub fn describe(&self) -> String {
        let time = |d: &Duration| humantime::format_duration(*d).to_string();
        match self {
            Kind::Latency { latency, jitter } if jitter.is_zero() => {
                format!("latency {}", time(latency))
            }
            Kind::Latency { latency, jitter } if jitter >= latency => {
                format!("latency up to {}", time(&(*latency + *jitter)))
            }
            Kind::Latency { latency, jitter } => format!(
                "latency {} to {}",
                time(&(*latency - *jitter)),
                time(&(*latency + *jitter))
            ),
            Kind::Bandwidth { bytes_per_second } => format!("bandwidth {bytes_per_second} bytes/s"),
            Kind::SlowClose { delay } => format!("close delayed {}", time(delay)),
            Kind::Timeout { timeout } if timeout.is_zero() => {
                "nothing gets through (timeout)".to_owned()
            }
            Kind::Timeout { timeout } => format!(
                "nothing gets through, closed after {} (timeout)",
                time(timeout)
            ),
            Kind::ResetPeer { timeout } if timeout.is_zero() => {
                "reset when bytes come (reset_peer)".to_owned()
            }
            Kind::ResetPeer { timeout } => {
                format!("reset {} after bytes come (reset_peer)", time(timeout))
            }
            Kind::Slicer {
                average_size,
                size_variation,
                delay,
            } => {
                let mut text = format!("slice {average_size} bytes");
                if *size_variation > 0 {
                    text = format!("slice {average_size}±{size_variation} bytes");
                }
                if !delay.is_zero() {
                    text.push_str(&format!(" {} apart", time(delay)));
                }
                text
            }
            Kind::LimitData { bytes } => format!("close after {bytes} bytes"),
            Kind::ResetAfter { bytes } => format!("reset after {bytes} bytes"),
            Kind::FailRequests { nth, percent } => {
                format!("{} answered by the relay", requests(*nth, *percent))
            }
            Kind::HoldRequests { nth, percent } => format!(
                "the reply to {} held, with all after it",
                requests(*nth, *percent)
            ),
            Kind::DropChunks { percent } => {
                format!("drop {percent}% of chunks (the stream breaks)")
            }
            Kind::Corrupt { percent } => format!("corrupt {percent}% of chunks (a byte flipped)"),
            Kind::Loss { percent } => format!("loss {percent}%"),
            Kind::Duplicate { percent } => format!("duplicate {percent}%"),
            Kind::Reorder { percent } => format!("reorder {percent}%"),
        }
    }
}

/// One toxic of a relay.
#[derive(Debug, Clone, PartialEq)]
pub struct Toxic {
    /// Unique for the life of the process: what a connection remembers its toxicity draw
    /// by, so an update that keeps the toxic keeps the draw.
    pub id: u64,
    pub name: String,
    pub stream: Stream,
    /// The chance, 0 to 1, that a connection gets this toxic at all (as in toxiproxy, a
    /// value beyond is taken as it comes: 1 and more always, 0 and less never).
    pub toxicity: f64,
    pub kind: Kind,
}

/// A new toxic id.
fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Toxic {
    /// A toxic made by a flag: applies to every connection, named as toxiproxy would name it.
    pub fn new(kind: Kind, stream: Stream) -> Toxic {
        Toxic {
            id: next_id(),
            name: format!("{}_{}", kind.type_name(), stream.name()),
            stream,
            toxicity: 1.0,
            kind,
        }
    }

    /// A toxic from an API body: `type` is required, `stream` defaults to downstream,
    /// `name` to TYPE_STREAM, `toxicity` to 1.
    ///
    /// # Errors
    /// A field missing or of the wrong type, an unknown type, or one that does not apply
    /// to this relay.
    pub fn from_json(body: &Value, transport: Transport) -> Result<Toxic, ToxicError> {
        let object = body
            .as_object()
            .ok_or_else(|| ToxicError::BadJson("a toxic is a JSON object".to_owned()))?;
        let text = |field: &str| -> Result<Option<&str>, ToxicError> {
            match object.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.as_str())),
                Some(other) => Err(ToxicError::BadJson(format!(
                    "{field} must be a string, not {other}"
                ))),
            }
        };
        let type_name = text("type")?.unwrap_or_default();
        let mut kind = Kind::empty(type_name, transport)?;
        let stream = match text("stream")? {
            None | Some("") => Stream::Downstream,
            Some(stream) => Stream::parse(stream).ok_or(ToxicError::BadStream)?,
        };
        let name = match text("name")? {
            None | Some("") => format!("{type_name}_{}", stream.name()),
            Some(name) => name.to_owned(),
        };
        let toxicity = toxicity(object.get("toxicity"))?.unwrap_or(1.0);
        if let Some(attributes) = attributes(object)? {
            kind.set(attributes)?;
        }
        Ok(Toxic {
            id: next_id(),
            name,
            stream,
            toxicity,
            kind,
        })
    }

    /// Applies an update body: `toxicity` and `attributes` change (attributes not named
    /// keep their values), the rest stays.
    ///
    /// # Errors
    /// A field of the wrong type.
    pub fn update(&mut self, body: &Value) -> Result<(), ToxicError> {
        let object = body
            .as_object()
            .ok_or_else(|| ToxicError::BadJson("a toxic is a JSON object".to_owned()))?;
        let mut kind = self.kind;
        if let Some(attributes) = attributes(object)? {
            kind.set(attributes)?;
        }
        if let Some(toxicity) = toxicity(object.get("toxicity"))? {
            self.toxicity = toxicity;
        }
        self.kind = kind;
        // As toxiproxy re-runs an updated toxic: connections draw again against its
        // toxicity, and its timers and counts start over.
        self.id = next_id();
        Ok(())
    }

    /// Whether it reads requests, so it needs a relay that knows their framing.
    pub fn reads_requests(&self) -> bool {
        matches!(
            self.kind,
            Kind::FailRequests { .. } | Kind::HoldRequests { .. }
        )
    }

    /// The toxic as the API shows it.
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "type": self.kind.type_name(),
            "stream": self.stream.name(),
            "toxicity": self.toxicity,
            "attributes": self.kind.attributes(),
        })
    }

    /// What it does, and to how many connections.
    pub fn describe(&self) -> String {
        let mut text = self.kind.describe();
        if self.toxicity < 1.0 {
            text.push_str(&format!(
                " (on {}% of connections)",
                (self.toxicity * 100.0 * 1000.0).round() / 1000.0
            ));
        }
        text
    }
}

fn toxicity(value: Option<&Value>) -> Result<Option<f64>, ToxicError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_f64()
            .map(Some)
            .ok_or_else(|| ToxicError::BadToxicity(value.to_string())),
    }
}

fn attributes(object: &Map<String, Value>) -> Result<Option<&Map<String, Value>>, ToxicError> {
    match object.get("attributes") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(attributes)) => Ok(Some(attributes)),
        Some(other) => Err(ToxicError::BadJson(format!(
            "attributes must be an object, not {other}"
        ))),
    }
}

/// A relay's toxics, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Toxics(pub Vec<Toxic>);

/// Whether a toxic applies to one connection, and since when: each connection draws once
/// per toxic against its toxicity, when it first sees the toxic.
pub trait Draw {
    /// `None` when the toxic passes this connection by; else when it began to apply and
    /// how many bytes this direction had moved then.
    fn applies(&mut self, toxic: &Toxic) -> Option<(Instant, u64)>;
}

impl Toxics {
    pub fn get(&self, name: &str) -> Option<&Toxic> {
        self.0.iter().find(|toxic| toxic.name == name)
    }

    /// Adds `toxic`.
    ///
    /// # Errors
    /// One of that name is there already.
    pub fn add(&mut self, toxic: Toxic) -> Result<(), ToxicError> {
        if self.get(&toxic.name).is_some() {
            return Err(ToxicError::Exists);
        }
        self.0.push(toxic);
        Ok(())
    }

    /// Removes the toxic `name`.
    ///
    /// # Errors
    /// There is none of that name.
    pub fn remove(&mut self, name: &str) -> Result<(), ToxicError> {
        let before = self.0.len();
        self.0.retain(|toxic| toxic.name != name);
        if self.0.len() == before {
            return Err(ToxicError::NotFound);
        }
        Ok(())
    }

    /// As toxiproxy lists them: upstream toxics, then downstream, each in the order added.
    pub fn to_json(&self) -> Value {
        let stream = |stream| self.0.iter().filter(move |toxic| toxic.stream == stream);
        Value::Array(
            stream(Stream::Upstream)
                .chain(stream(Stream::Downstream))
                .map(Toxic::to_json)
                .collect(),
        )
    }

    /// The toxics of one stream, described and joined: empty when there are none.
    pub fn describe(&self, stream: Stream) -> String {
        self.0
            .iter()
            .filter(|toxic| toxic.stream == stream)
            .map(Toxic::describe)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether anything may hold bytes back (so a relay must queue them).
    pub fn delays(&self) -> bool {
        self.0.iter().any(|toxic| {
            !matches!(
                toxic.kind,
                Kind::LimitData { .. }
                    | Kind::ResetAfter { .. }
                    | Kind::FailRequests { .. }
                    | Kind::HoldRequests { .. }
            )
        })
    }

    /// Whether any toxic reads requests (and so needs the relay's `--framing`).
    pub fn reads_requests(&self) -> bool {
        self.0.iter().any(Toxic::reads_requests)
    }

    /// What one direction of a TCP connection goes through now: delays add up, the
    /// lowest rate and the nearest limit win.
    pub fn stream_faults(&self, stream: Stream, draw: &mut impl Draw) -> StreamFaults {
        let mut faults = StreamFaults::default();
        let earliest = |at: &mut Option<Instant>, new: Instant| {
            *at = Some(at.map_or(new, |old| old.min(new)));
        };
        let lowest = |limit: &mut Option<u64>, new: u64| {
            *limit = Some(limit.map_or(new, |old| old.min(new)));
        };
        for toxic in self.0.iter().filter(|toxic| toxic.stream == stream) {
            let Some((since, moved)) = draw.applies(toxic) else {
                continue;
            };
            match toxic.kind {
                Kind::Latency { latency, jitter } => {
                    let (least, spread) = spread(latency, jitter);
                    faults.latency += least;
                    faults.jitter += spread;
                }
                Kind::Bandwidth { bytes_per_second } => {
                    lowest(&mut faults.bandwidth, bytes_per_second)
                }
                Kind::SlowClose { delay } => faults.slow_close = faults.slow_close.max(delay),
                Kind::Timeout { timeout } => {
                    faults.blackhole = true;
                    if !timeout.is_zero() {
                        earliest(&mut faults.close_at, since + timeout);
                    }
                }
                Kind::ResetPeer { timeout } => {
                    faults.reset_peer = Some(faults.reset_peer.map_or(timeout, |t| t.min(timeout)));
                }
                Kind::Slicer {
                    average_size,
                    size_variation,
                    delay,
                } => {
                    faults.slice = Some(Slice {
                        average: average_size.max(1) as usize,
                        variation: size_variation as usize,
                        delay,
                    });
                }
                Kind::LimitData { bytes } => lowest(&mut faults.close_after, moved + bytes),
                Kind::ResetAfter { bytes } => lowest(&mut faults.reset_after, moved + bytes),
                Kind::DropChunks { percent } => faults.drop = either(faults.drop, percent),
                Kind::Corrupt { percent } => faults.corrupt = either(faults.corrupt, percent),
                Kind::Loss { .. }
                | Kind::Duplicate { .. }
                | Kind::Reorder { .. }
                | Kind::FailRequests { .. }
                | Kind::HoldRequests { .. } => {}
            }
        }
        faults
    }

    /// Which requests a connection's protocol faults take now, whichever stream their
    /// toxics name (requests go up, their replies come down).
    pub fn request_faults(&self, draw: &mut impl Draw) -> Requests {
        let mut requests = Requests::default();
        for toxic in &self.0 {
            let (list, nth, percent) = match toxic.kind {
                Kind::FailRequests { nth, percent } => (&mut requests.fail, nth, percent),
                Kind::HoldRequests { nth, percent } => (&mut requests.hold, nth, percent),
                _ => continue,
            };
            if draw.applies(toxic).is_none() {
                continue;
            }
            if nth > 0 {
                list.push(Every::Nth(nth));
            }
            if percent > 0.0 {
                list.push(Every::Chance(percent));
            }
        }
        requests
    }

    /// What one direction of a UDP session goes through now.
    pub fn datagram_faults(&self, stream: Stream, draw: &mut impl Draw) -> DatagramFaults {
        let mut faults = DatagramFaults::default();
        for toxic in self.0.iter().filter(|toxic| toxic.stream == stream) {
            if draw.applies(toxic).is_none() {
                continue;
            }
            match toxic.kind {
                Kind::Latency { latency, jitter } => {
                    let (least, spread) = spread(latency, jitter);
                    faults.latency += least;
                    faults.jitter += spread;
                }
                Kind::Loss { percent } => faults.loss = either(faults.loss, percent),
                Kind::Duplicate { percent } => faults.duplicate = either(faults.duplicate, percent),
                Kind::Reorder { percent } => faults.reorder = either(faults.reorder, percent),
                _ => {}
            }
        }
        faults
    }
}

/// Which requests a protocol fault takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Every {
    /// Every Nth request of a connection (the Nth, the 2Nth, ...).
    Nth(u64),
    /// Each request with this chance, in percent.
    Chance(f64),
}

impl Every {
    /// Whether request `number` (from 1) of a connection is taken.
    pub fn takes(self, number: u64, rng: &mut Rng) -> bool {
        match self {
            Every::Nth(n) => number.is_multiple_of(n),
            Every::Chance(percent) => rng.chance(percent),
        }
    }

    /// In words: `every 3rd request`, `10% of requests`.
    pub fn describe(self) -> String {
        match self {
            Every::Nth(1) => "every request".to_owned(),
            Every::Nth(n) => {
                let suffix = match (n % 10, n % 100) {
                    (_, 11..=13) => "th",
                    (1, _) => "st",
                    (2, _) => "nd",
                    (3, _) => "rd",
                    _ => "th",
                };
                format!("every {n}{suffix} request")
            }
            Every::Chance(percent) => format!("{percent}% of requests"),
        }
    }
}

/// The protocol faults in force for one connection: a request is failed (or held) when
/// any of its list takes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requests {
    pub fail: Vec<Every>,
    pub hold: Vec<Every>,
}

/// `every` and `percent` of a protocol fault, in words.
fn requests(nth: u64, percent: f64) -> String {
    match (nth, percent > 0.0) {
        (0, false) => "no request".to_owned(),
        (0, true) => Every::Chance(percent).describe(),
        (nth, false) => Every::Nth(nth).describe(),
        (nth, true) => format!(
            "{} and {}",
            Every::Nth(nth).describe(),
            Every::Chance(percent).describe()
        ),
    }
}

/// toxiproxy's latency (drawn from `latency - jitter` to `latency + jitter`) as the least
/// delay and the spread above it.
fn spread(latency: Duration, jitter: Duration) -> (Duration, Duration) {
    let least = latency.saturating_sub(jitter);
    (least, latency + jitter - least)
}

/// Two toxics of one kind, in percent: the chance that either acts.
fn either(p: f64, q: f64) -> f64 {
    100.0 - (100.0 - p) * (100.0 - q) / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Always(Instant);

    impl Draw for Always {
        fn applies(&mut self, _: &Toxic) -> Option<(Instant, u64)> {
            Some((self.0, 10))
        }
    }

    #[test]
    fn a_toxic_body_takes_toxiproxys_defaults_and_attributes() {
        let body = json!({"type": "latency", "attributes": {"latency": 100, "jitter": 20}});
        let toxic = Toxic::from_json(&body, Transport::Tcp).unwrap();
        assert_eq!(toxic.name, "latency_downstream");
        assert_eq!(toxic.stream, Stream::Downstream);
        assert_eq!(toxic.toxicity, 1.0);
        assert_eq!(
            toxic.to_json(),
            json!({"name": "latency_downstream", "type": "latency", "stream": "downstream",
                   "toxicity": 1.0, "attributes": {"latency": 100, "jitter": 20}})
        );
        let mut toxics = Toxics::default();
        toxics.add(toxic.clone()).unwrap();
        assert_eq!(toxics.add(toxic), Err(ToxicError::Exists));
        let faults = toxics.stream_faults(Stream::Downstream, &mut Always(Instant::now()));
        assert_eq!(faults.latency, Duration::from_millis(80));
        assert_eq!(faults.jitter, Duration::from_millis(40));
        assert_eq!(
            toxics.stream_faults(Stream::Upstream, &mut Always(Instant::now())),
            StreamFaults::default()
        );
    }

    #[test]
    fn bad_bodies_are_refused_with_the_reason() {
        let refused = |body: Value, transport| Toxic::from_json(&body, transport).unwrap_err();
        assert_eq!(
            refused(json!({"type": "nope"}), Transport::Tcp),
            ToxicError::UnknownType("nope".to_owned())
        );
        assert_eq!(
            refused(
                json!({"type": "latency", "stream": "sideways"}),
                Transport::Tcp
            ),
            ToxicError::BadStream
        );
        assert!(matches!(
            refused(json!({"type": "latency", "toxicity": "2"}), Transport::Tcp),
            ToxicError::BadToxicity(_)
        ));
        assert!(matches!(
            refused(
                json!({"type": "latency", "attributes": {"latency": "slow"}}),
                Transport::Tcp
            ),
            ToxicError::BadAttribute {
                name: "latency",
                ..
            }
        ));
        assert!(matches!(
            refused(json!({"type": "loss"}), Transport::Tcp),
            ToxicError::WrongTransport { .. }
        ));
        assert!(matches!(
            refused(json!({"type": "bandwidth"}), Transport::Udp),
            ToxicError::WrongTransport { .. }
        ));
    }

    #[test]
    fn protocol_faults_take_requests_by_number_or_chance() {
        assert!(Every::Nth(3).takes(6, &mut Rng::new(1)));
        assert!(!Every::Nth(3).takes(7, &mut Rng::new(1)));
        assert_eq!(Every::Nth(22).describe(), "every 22nd request");
        assert_eq!(Every::Nth(12).describe(), "every 12th request");
        let body = json!({"type": "fail_requests", "attributes": {"every": 2, "percent": 5}});
        let mut toxics = Toxics::default();
        toxics
            .add(Toxic::from_json(&body, Transport::Tcp).unwrap())
            .unwrap();
        assert!(toxics.reads_requests());
        let requests = toxics.request_faults(&mut Always(Instant::now()));
        assert_eq!(requests.fail, [Every::Nth(2), Every::Chance(5.0)]);
        assert_eq!(
            toxics.describe(Stream::Downstream),
            "every 2nd request and 5% of requests answered by the relay"
        );
    }

    #[test]
    fn an_update_changes_only_what_it_names() {
        let body = json!({"type": "slicer", "attributes": {"average_size": 64, "delay": 10}});
        let mut toxic = Toxic::from_json(&body, Transport::Tcp).unwrap();
        let id = toxic.id;
        toxic
            .update(&json!({"attributes": {"size_variation": 8}, "toxicity": 0.5}))
            .unwrap();
        assert_ne!(toxic.id, id, "an update is drawn again");
        assert_eq!(toxic.toxicity, 0.5);
        assert_eq!(
            toxic.kind,
            Kind::Slicer {
                average_size: 64,
                size_variation: 8,
                delay: Duration::from_micros(10)
            }
        );
    }

    #[test]
    fn limits_count_from_when_the_toxic_began_to_apply() {
        let mut toxics = Toxics::default();
        toxics
            .add(Toxic::new(Kind::LimitData { bytes: 5 }, Stream::Upstream))
            .unwrap();
        let now = Instant::now();
        toxics
            .add(Toxic::new(
                Kind::ResetPeer {
                    timeout: Duration::from_secs(1),
                },
                Stream::Upstream,
            ))
            .unwrap();
        let faults = toxics.stream_faults(Stream::Upstream, &mut Always(now));
        assert_eq!(faults.close_after, Some(15));
        assert_eq!(faults.reset_peer, Some(Duration::from_secs(1)));
    }
}
