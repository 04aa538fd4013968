//! `--replay FILE`: the client's side of a capture, as messages to send again. Reads pcap
//! and pcapng (netdemo's own `--pcap`, tcpdump's, Wireshark's) with `pcap-file`, and the
//! headers of each packet with `etherparse`, over Ethernet, Linux cooked (v1 and v2), raw
//! IP and BSD loopback link types.
//!
//! - TCP: the first stream (the first SYN's, else the first segment with data's) is taken
//!   from the client's side, reassembled by sequence number (a retransmission counts once),
//!   and split into messages by `--framing`: segments are not messages.
//! - UDP: the datagrams to the address the first one went to, in order, as they are.

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use etherparse::{NetSlice, SlicedPacket, TransportSlice};

use crate::framing::{Framing, wire};

/// The largest capture read, in bytes.
const MAX_CAPTURE: u64 = 1 << 30;

/// Why a capture could not be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("cannot read {path}: {err}")]
    Read { path: String, err: std::io::Error },
    #[error(
        "{path} is {size} bytes, over the 1 GiB read for a replay: keep the conversation alone (tshark -r FILE -w OUT -Y 'tcp.stream eq 0')"
    )]
    TooLarge { path: String, size: u64 },
    #[error("{0} is not a pcap or pcapng capture (its first bytes are neither's)")]
    NotCapture(String),
    #[error("{path} is cut short or damaged after {packets} packet(s): {why}")]
    Damaged {
        path: String,
        packets: usize,
        why: String,
    },
    #[error(
        "{path} has link type {link}, which netdemo does not read (Ethernet, Linux cooked, raw IP and BSD loopback captures it does)"
    )]
    LinkType { path: String, link: u32 },
    #[error("{path} holds no {what}: capture the conversation to replay")]
    Nothing { path: String, what: &'static str },
    #[error(
        "the client's bytes in {path} are not {framing} ({why}): give the --framing they were written in"
    )]
    Framing {
        path: String,
        framing: &'static str,
        why: String,
    },
}

/// What a capture's client sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// The messages, in the conversation's form for the framing (a line without its end,
    /// a frame without its length, a RESP or HTTP request whole).
    pub messages: Vec<Vec<u8>>,
    /// When each message began to be sent, from when the first did: the gaps
    /// `--replay-timing` keeps.
    pub at: Vec<Duration>,
    /// Who sent them, and to whom.
    pub from: SocketAddr,
    pub to: SocketAddr,
}

/// One captured IP packet's transport part.
struct Seen {
    /// When it was captured, from the epoch.
    when: Duration,
    from: SocketAddr,
    to: SocketAddr,
    tcp: Option<Segment>,
    payload: Vec<u8>,
}

struct Segment {
    seq: u32,
    syn: bool,
    ack: bool,
}

/// The client's side of the first TCP stream in `path`, split by `framing`.
///
/// # Errors
/// The file cannot be read, is not a capture, holds no TCP stream, or its client's bytes
/// are not the framing.
pub fn tcp(path: &Path, framing: Framing) -> Result<Replay, ReplayError> {
    let shown = crate::encoding::shown_path(path);
    let packets = packets(path)?;
    let tcp: Vec<&Seen> = packets.iter().filter(|seen| seen.tcp.is_some()).collect();
    let opening = tcp
        .iter()
        .find(|seen| seen.tcp.as_ref().is_some_and(|s| s.syn && !s.ack))
        .or_else(|| tcp.iter().find(|seen| !seen.payload.is_empty()))
        .ok_or_else(|| ReplayError::Nothing {
            path: shown.clone(),
            what: "TCP stream with data",
        })?;
    let (from, to) = (opening.from, opening.to);
    // Offsets from the first sequence number: the SYN's plus one, else the lowest seen.
    let ours: Vec<&&Seen> = tcp
        .iter()
        .filter(|seen| seen.from == from && seen.to == to)
        .collect();
    let base = ours
        .iter()
        .find_map(|seen| {
            let segment = seen.tcp.as_ref()?;
            segment.syn.then(|| segment.seq.wrapping_add(1))
        })
        .or_else(|| {
            ours.iter()
                .filter(|seen| !seen.payload.is_empty())
                .filter_map(|seen| seen.tcp.as_ref().map(|s| s.seq))
                .min()
        })
        .unwrap_or(0);
    let mut pieces: Vec<(u64, &[u8], Duration)> = ours
        .iter()
        .filter(|seen| !seen.payload.is_empty())
        .filter_map(|seen| {
            let seq = seen.tcp.as_ref()?.seq;
            Some((
                u64::from(seq.wrapping_sub(base)),
                seen.payload.as_slice(),
                seen.when,
            ))
        })
        .collect();
    // A stable sort: of two copies of one segment, the first captured counts.
    pieces.sort_by_key(|(at, _, _)| *at);
    // Each write as it was (for raw framing), and the stream whole; a retransmission or
    // an overlap adds only the bytes beyond what is there.
    let mut stream = Vec::new();
    let mut writes = Vec::new();
    // Where each write began in the stream, and when it was captured.
    let mut sent: Vec<(usize, Duration)> = Vec::new();
    for (at, payload, when) in pieces {
        let at = at as usize;
        if at + payload.len() <= stream.len() {
            continue;
        }
        if at > stream.len() {
            return Err(ReplayError::Damaged {
                path: shown,
                packets: packets.len(),
                why: format!(
                    "{} bytes of the client's stream were not captured (at offset {})",
                    at - stream.len(),
                    stream.len()
                ),
            });
        }
        let new = &payload[stream.len() - at..];
        sent.push((stream.len(), when));
        writes.push(new.to_vec());
        stream.extend_from_slice(new);
    }
    if stream.is_empty() {
        return Err(ReplayError::Nothing {
            path: shown,
            what: "TCP stream with data from its client",
        });
    }
    let (messages, starts) =
        split(framing, &stream, writes).map_err(|why| ReplayError::Framing {
            path: shown,
            framing: framing.name(),
            why,
        })?;
    // A message began when the write holding its first byte was captured.
    let when: Vec<Duration> = starts
        .iter()
        .map(|start| {
            let index = sent.partition_point(|(offset, _)| offset <= start);
            sent[index.saturating_sub(1)].1
        })
        .collect();
    Ok(Replay {
        messages,
        at: gaps(&when),
        from,
        to,
    })
}

/// `--replay-timing`'s gaps, said when keeping them makes a long run: the capture's span
/// is what the replay takes, and a capture of an afternoon takes an afternoon.
pub fn timed(at: Vec<Duration>) -> Vec<Duration> {
    if let Some(span) = at
        .iter()
        .max()
        .filter(|span| **span > Duration::from_secs(60))
    {
        tracing::warn!(
            "--replay-timing: the capture spans {}, and the replay takes as long (Ctrl-C \
             stops it; leave --replay-timing out to send at once)",
            humantime::format_duration(Duration::from_secs(span.as_secs()))
        );
    }
    at
}

/// Each time as an offset from the first; a time before it (a capture whose clock
/// stepped back) counts as no gap.
fn gaps(when: &[Duration]) -> Vec<Duration> {
    let first = when.first().copied().unwrap_or_default();
    when.iter().map(|at| at.saturating_sub(first)).collect()
}

/// `stream` as the conversation's messages in `framing`, with where each began in it;
/// `writes` are the client's writes, the messages of raw framing.
type Split = (Vec<Vec<u8>>, Vec<usize>);
fn split(framing: Framing, stream: &[u8], writes: Vec<Vec<u8>>) -> Result<Split, String> {
    if framing == Framing::Raw {
        let starts = writes
            .iter()
            .scan(0, |offset, write| {
                let start = *offset;
                *offset += write.len();
                Some(start)
            })
            .collect();
        return Ok((writes, starts));
    }
    let mut messages = Vec::new();
    let mut starts = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        starts.push(stream.len() - rest.len());
        let len = wire::request_len(framing, rest, usize::MAX / 2)
            .map_err(|err| err.to_string())?
            .ok_or_else(|| format!("the last {} bytes are not a whole message", rest.len()))?;
        let (message, after) = rest.split_at(len);
        rest = after;
        messages.push(match framing {
            Framing::Line => {
                let line = message.strip_suffix(b"\n").unwrap_or(message);
                line.strip_suffix(b"\r").unwrap_or(line).to_vec()
            }
            Framing::Length => message[4..].to_vec(),
            Framing::Memcached => message.strip_suffix(b"\r\n").unwrap_or(message).to_vec(),
            _ => message.to_vec(),
        });
    }
    Ok((messages, starts))
}

/// The datagrams to the address the first UDP datagram in `path` went to.
///
/// # Errors
/// The file cannot be read, is not a capture, or holds no UDP datagram.
pub fn udp(path: &Path) -> Result<Replay, ReplayError> {
    let shown = crate::encoding::shown_path(path);
    let packets = packets(path)?;
    let first = packets
        .iter()
        .find(|seen| seen.tcp.is_none())
        .ok_or(ReplayError::Nothing {
            path: shown,
            what: "UDP datagram",
        })?;
    let (from, to) = (first.from, first.to);
    let ours: Vec<&Seen> = packets
        .iter()
        .filter(|seen| seen.tcp.is_none() && seen.to == to)
        .collect();
    let when: Vec<Duration> = ours.iter().map(|seen| seen.when).collect();
    Ok(Replay {
        messages: ours.iter().map(|seen| seen.payload.clone()).collect(),
        at: gaps(&when),
        from,
        to,
    })
}

/// Every TCP and UDP packet of the capture, in file order.
fn packets(path: &Path) -> Result<Vec<Seen>, ReplayError> {
    let shown = crate::encoding::shown_path(path);
    let read = |err| ReplayError::Read {
        path: shown.clone(),
        err,
    };
    let file = std::fs::File::open(path).map_err(read)?;
    // The capture is read whole: a conversation to replay is small, and a bound keeps a
    // capture of a day's traffic from taking the memory it would.
    let size = file.metadata().map_err(read)?.len();
    if size > MAX_CAPTURE {
        return Err(ReplayError::TooLarge { path: shown, size });
    }
    let mut bytes = Vec::new();
    file.take(MAX_CAPTURE + 1)
        .read_to_end(&mut bytes)
        .map_err(read)?;
    let damaged = |packets: usize, why: String| ReplayError::Damaged {
        path: shown.clone(),
        packets,
        why,
    };
    let mut seen = Vec::new();
    let mut add = |link: u32, when: Duration, data: &[u8]| -> Result<(), ReplayError> {
        if let Some(packet) = parse(link, when, data).map_err(|link| ReplayError::LinkType {
            path: shown.clone(),
            link,
        })? {
            seen.push(packet);
        }
        Ok(())
    };
    match bytes.get(..4) {
        Some([0x0A, 0x0D, 0x0D, 0x0A]) => {
            let mut reader = pcap_file::pcapng::PcapNgReader::new(&bytes[..])
                .map_err(|err| damaged(0, err.to_string()))?;
            let mut count = 0;
            // Each section's interfaces, in order, with their clocks' units: a packet names
            // one by its index.
            let mut links: Vec<(u32, Resolution)> = Vec::new();
            while let Some(block) = reader.next_block() {
                use pcap_file::pcapng::Block;
                match block.map_err(|err| damaged(count, err.to_string()))? {
                    Block::SectionHeader(_) => links.clear(),
                    Block::InterfaceDescription(interface) => {
                        links.push((
                            u32::from(interface.linktype),
                            Resolution::of(&interface.options),
                        ));
                    }
                    Block::EnhancedPacket(packet) => {
                        let (link, resolution) = *links
                            .get(packet.interface_id as usize)
                            .ok_or_else(|| damaged(count, "a packet names no interface".into()))?;
                        // pcap-file hands over the stamp's raw count as nanoseconds.
                        let ticks = u64::try_from(packet.timestamp.as_nanos()).unwrap_or(u64::MAX);
                        add(link, resolution.time(ticks), &packet.data)?;
                        count += 1;
                    }
                    _ => {}
                }
            }
        }
        Some(
            [0xA1, 0xB2, 0xC3, 0xD4]
            | [0xD4, 0xC3, 0xB2, 0xA1]
            | [0xA1, 0xB2, 0x3C, 0x4D]
            | [0x4D, 0x3C, 0xB2, 0xA1],
        ) => {
            let mut reader = pcap_file::pcap::PcapReader::new(&bytes[..])
                .map_err(|err| damaged(0, err.to_string()))?;
            let link = u32::from(reader.header().datalink);
            let mut count = 0;
            while let Some(packet) = reader.next_packet() {
                let packet = packet.map_err(|err| damaged(count, err.to_string()))?;
                add(link, packet.timestamp, &packet.data)?;
                count += 1;
            }
        }
        _ => return Err(ReplayError::NotCapture(shown)),
    }
    Ok(seen)
}

/// The unit of a pcapng interface's timestamps (`if_tsresol`): a power of ten or of two
/// of a second; microseconds when the interface does not say.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Resolution {
    Decimal(u32),
    Binary(u32),
}

impl Resolution {
    fn of(
        options: &[pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption],
    ) -> Resolution {
        use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
        options
            .iter()
            .find_map(|option| match option {
                InterfaceDescriptionOption::IfTsResol(value) if value & 0x80 == 0 => {
                    Some(Resolution::Decimal(u32::from(*value)))
                }
                InterfaceDescriptionOption::IfTsResol(value) => {
                    Some(Resolution::Binary(u32::from(value & 0x7F)))
                }
                _ => None,
            })
            .unwrap_or(Resolution::Decimal(6))
    }

    /// `ticks` of this unit as a time; a unit finer than a nanosecond, or a count past
    /// what a `Duration` holds, is read as closely as it can be.
    fn time(self, ticks: u64) -> Duration {
        let (per_second, ticks) = match self {
            Resolution::Decimal(power) => (10u128.checked_pow(power), u128::from(ticks)),
            Resolution::Binary(power) => (1u128.checked_shl(power), u128::from(ticks)),
        };
        let Some(per_second) = per_second.filter(|p| *p > 0) else {
            return Duration::ZERO;
        };
        let nanos = ticks * 1_000_000_000 / per_second;
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

/// The TCP or UDP part of one packet of link type `link`; `None` for anything else (ARP,
/// ICMP, a fragment); `Err(link)` for a link type not read.
fn parse(link: u32, when: Duration, data: &[u8]) -> Result<Option<Seen>, u32> {
    let sliced = match link {
        // Ethernet.
        1 => SlicedPacket::from_ethernet(data),
        // Raw IP (101, and 12 on some systems), IPv4 (228), IPv6 (229).
        12 | 14 | 101 | 228 | 229 => SlicedPacket::from_ip(data),
        // Linux cooked capture.
        113 => SlicedPacket::from_linux_sll(data),
        // Linux cooked v2: a 20-byte header, then the packet (IP, for what is read here).
        276 => SlicedPacket::from_ip(data.get(20..).unwrap_or_default()),
        // BSD loopback: a 4-byte address family, then the IP packet.
        0 | 108 => SlicedPacket::from_ip(data.get(4..).unwrap_or_default()),
        other => return Err(other),
    };
    let Ok(sliced) = sliced else {
        return Ok(None);
    };
    let (from_ip, to_ip): (IpAddr, IpAddr) = match &sliced.net {
        Some(NetSlice::Ipv4(ip)) => (
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        ),
        Some(NetSlice::Ipv6(ip)) => (
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        ),
        _ => return Ok(None),
    };
    let seen = match &sliced.transport {
        Some(TransportSlice::Tcp(tcp)) => Seen {
            when,
            from: SocketAddr::new(from_ip, tcp.source_port()),
            to: SocketAddr::new(to_ip, tcp.destination_port()),
            tcp: Some(Segment {
                seq: tcp.sequence_number(),
                syn: tcp.syn(),
                ack: tcp.ack(),
            }),
            payload: tcp.payload().to_vec(),
        },
        Some(TransportSlice::Udp(udp)) => Seen {
            when,
            from: SocketAddr::new(from_ip, udp.source_port()),
            to: SocketAddr::new(to_ip, udp.destination_port()),
            tcp: None,
            payload: udp.payload().to_vec(),
        },
        _ => return Ok(None),
    };
    Ok(Some(seen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_split_by_framing_into_what_the_conversation_sends() {
        let stream = b"one\r\ntwo\nthree\n";
        assert_eq!(
            split(Framing::Line, stream, vec![]).unwrap(),
            (
                vec![b"one".to_vec(), b"two".to_vec(), b"three".to_vec()],
                vec![0, 5, 9]
            )
        );
        assert_eq!(
            split(Framing::Length, b"\0\0\0\x02hi\0\0\0\0", vec![]).unwrap(),
            (vec![b"hi".to_vec(), vec![]], vec![0, 6])
        );
        assert!(split(Framing::Line, b"one\ntw", vec![]).is_err());
        let writes = vec![b"a".to_vec(), b"bc".to_vec()];
        assert_eq!(
            split(Framing::Raw, b"abc", writes.clone()).unwrap(),
            (writes, vec![0, 1])
        );
    }

    #[test]
    fn timestamps_follow_the_interface_unit() {
        assert_eq!(
            Resolution::Decimal(6).time(1_500_000),
            Duration::from_millis(1500)
        );
        assert_eq!(Resolution::Decimal(9).time(7), Duration::from_nanos(7));
        assert_eq!(Resolution::Binary(10).time(1024), Duration::from_secs(1));
        assert_eq!(Resolution::Decimal(12).time(5_000), Duration::from_nanos(5));
        assert_eq!(Resolution::Decimal(200).time(5), Duration::ZERO);
        assert_eq!(
            gaps(&[
                Duration::from_secs(5),
                Duration::from_secs(7),
                Duration::from_secs(4)
            ]),
            [Duration::ZERO, Duration::from_secs(2), Duration::ZERO]
        );
    }

    #[test]
    fn a_netdemo_capture_reads_back() {
        let from: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let to: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut file = crate::pcapng::section_header("test");
        file.extend(crate::pcapng::interface("x", "y"));
        let now = std::time::SystemTime::now();
        for (ms, packet) in [
            (
                0,
                crate::pcapng::tcp(from, to, 99, 0, crate::pcapng::SYN, b""),
            ),
            (
                1,
                crate::pcapng::tcp(from, to, 100, 1, crate::pcapng::ACK, b"he"),
            ),
            // A retransmission, then the rest.
            (
                5,
                crate::pcapng::tcp(from, to, 100, 1, crate::pcapng::ACK, b"he"),
            ),
            (
                6,
                crate::pcapng::tcp(to, from, 1, 104, crate::pcapng::ACK, b"reply"),
            ),
            (
                7,
                crate::pcapng::tcp(from, to, 102, 1, crate::pcapng::ACK, b"y\nyo"),
            ),
            (
                251,
                crate::pcapng::tcp(from, to, 106, 1, crate::pcapng::ACK, b"\n"),
            ),
        ] {
            let at = now + Duration::from_millis(ms);
            file.extend(crate::pcapng::packet(0, at, &packet));
        }
        let dir = std::env::temp_dir().join(format!("netdemo-replay-{}", std::process::id()));
        std::fs::write(&dir, &file).unwrap();
        let replay = tcp(&dir, Framing::Line);
        let _ = std::fs::remove_file(&dir);
        let replay = replay.unwrap();
        assert_eq!(replay.messages, [b"hey".to_vec(), b"yo".to_vec()]);
        // Each message from when its first byte was sent: "yo" began in the write at 7 ms.
        assert_eq!(replay.at, [Duration::ZERO, Duration::from_millis(6)]);
        assert_eq!((replay.from, replay.to), (from, to));
    }
}
