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
    /// Who sent them, and to whom.
    pub from: SocketAddr,
    pub to: SocketAddr,
}

/// One captured IP packet's transport part.
struct Seen {
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
    let mut pieces: Vec<(u64, &[u8])> = ours
        .iter()
        .filter(|seen| !seen.payload.is_empty())
        .filter_map(|seen| {
            let seq = seen.tcp.as_ref()?.seq;
            Some((u64::from(seq.wrapping_sub(base)), seen.payload.as_slice()))
        })
        .collect();
    pieces.sort_by_key(|(at, _)| *at);
    // Each write as it was (for raw framing), and the stream whole; a retransmission or
    // an overlap adds only the bytes beyond what is there.
    let mut stream = Vec::new();
    let mut writes = Vec::new();
    for (at, payload) in pieces {
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
        writes.push(new.to_vec());
        stream.extend_from_slice(new);
    }
    if stream.is_empty() {
        return Err(ReplayError::Nothing {
            path: shown,
            what: "TCP stream with data from its client",
        });
    }
    let messages = split(framing, &stream, writes).map_err(|why| ReplayError::Framing {
        path: shown,
        framing: framing.name(),
        why,
    })?;
    Ok(Replay { messages, from, to })
}

/// `stream` as the conversation's messages in `framing`; `writes` are the client's writes,
/// the messages of raw framing.
fn split(framing: Framing, stream: &[u8], writes: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>, String> {
    if framing == Framing::Raw {
        return Ok(writes);
    }
    let mut messages = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
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
            _ => message.to_vec(),
        });
    }
    Ok(messages)
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
    let messages = packets
        .iter()
        .filter(|seen| seen.tcp.is_none() && seen.to == to)
        .map(|seen| seen.payload.clone())
        .collect();
    Ok(Replay { messages, from, to })
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
    let mut add = |link: u32, data: &[u8]| -> Result<(), ReplayError> {
        if let Some(packet) = parse(link, data).map_err(|link| ReplayError::LinkType {
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
            // Each section's interfaces, in order: a packet names one by its index.
            let mut links: Vec<u32> = Vec::new();
            while let Some(block) = reader.next_block() {
                use pcap_file::pcapng::Block;
                match block.map_err(|err| damaged(count, err.to_string()))? {
                    Block::SectionHeader(_) => links.clear(),
                    Block::InterfaceDescription(interface) => {
                        links.push(u32::from(interface.linktype));
                    }
                    Block::EnhancedPacket(packet) => {
                        let link = *links
                            .get(packet.interface_id as usize)
                            .ok_or_else(|| damaged(count, "a packet names no interface".into()))?;
                        add(link, &packet.data)?;
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
                add(link, &packet.data)?;
                count += 1;
            }
        }
        _ => return Err(ReplayError::NotCapture(shown)),
    }
    Ok(seen)
}

/// The TCP or UDP part of one packet of link type `link`; `None` for anything else (ARP,
/// ICMP, a fragment); `Err(link)` for a link type not read.
fn parse(link: u32, data: &[u8]) -> Result<Option<Seen>, u32> {
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
            [b"one".to_vec(), b"two".to_vec(), b"three".to_vec()]
        );
        assert_eq!(
            split(Framing::Length, b"\0\0\0\x02hi\0\0\0\0", vec![]).unwrap(),
            [b"hi".to_vec(), vec![]]
        );
        assert!(split(Framing::Line, b"one\ntw", vec![]).is_err());
        let writes = vec![b"a".to_vec(), b"bc".to_vec()];
        assert_eq!(split(Framing::Raw, b"abc", writes.clone()).unwrap(), writes);
    }

    #[test]
    fn a_netdemo_capture_reads_back() {
        let from: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let to: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut file = crate::pcapng::section_header("test");
        file.extend(crate::pcapng::interface("x", "y"));
        let now = std::time::SystemTime::now();
        for packet in [
            crate::pcapng::tcp(from, to, 99, 0, crate::pcapng::SYN, b""),
            crate::pcapng::tcp(from, to, 100, 1, crate::pcapng::ACK, b"he"),
            // A retransmission, then the rest.
            crate::pcapng::tcp(from, to, 100, 1, crate::pcapng::ACK, b"he"),
            crate::pcapng::tcp(to, from, 1, 104, crate::pcapng::ACK, b"reply"),
            crate::pcapng::tcp(from, to, 102, 1, crate::pcapng::ACK, b"y\n"),
        ] {
            file.extend(crate::pcapng::packet(0, now, &packet));
        }
        let dir = std::env::temp_dir().join(format!("netdemo-replay-{}", std::process::id()));
        std::fs::write(&dir, &file).unwrap();
        let replay = tcp(&dir, Framing::Line);
        let _ = std::fs::remove_file(&dir);
        let replay = replay.unwrap();
        assert_eq!(replay.messages, [b"hey".to_vec()]);
        assert_eq!((replay.from, replay.to), (from, to));
    }
}
