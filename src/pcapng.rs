//! pcapng, the capture format Wireshark and tshark read (IETF draft-ietf-opsawg-pcapng):
//! the blocks of a file (section header, interface description, enhanced packet,
//! decryption secrets) and the
//! IPv4/IPv6, TCP and UDP headers of the packets netdemo writes for what it sent and
//! received. Pure: bytes in, bytes out; `output/capture.rs` writes them.
//!
//! Blocks are written little-endian (the byte-order magic says so). Packets use
//! LINKTYPE_RAW (101): each begins with its IPv4 or IPv6 header, so one interface holds
//! both families.

use std::net::{IpAddr, SocketAddr};
use std::time::{SystemTime, UNIX_EPOCH};

/// Raw IP: the packet begins with an IPv4 or IPv6 header.
pub const LINKTYPE_RAW: u16 = 101;
/// The most of a packet kept, stated in each interface (tcpdump's default).
pub const SNAPLEN: u32 = 262_144;
/// The largest TCP payload one IP packet carries: 65,535 less 20 bytes of IPv4 header and
/// 20 of TCP header (IPv6's payload length leaves room for it too).
pub const MAX_SEGMENT: usize = 65_495;

/// TCP flags.
pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const RST: u8 = 0x04;
pub const PSH: u8 = 0x08;
pub const ACK: u8 = 0x10;

/// What records a TCP connection's bytes as packets (`output/capture.rs`'s flows),
/// handed to code that sees the bytes but not the capture: TLS, whose records are what
/// went over the wire.
pub trait Wiretap: Send + Sync {
    /// Bytes that went one way (`sent`: from this end).
    fn data(&self, sent: bool, data: &[u8]);
    /// A FIN one way.
    fn fin(&self, sent: bool);
    /// A reset one way.
    fn rst(&self, sent: bool);
}

/// One block: its type, its body, and the total length on both sides.
fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let padded = body.len().next_multiple_of(4);
    let total = (12 + padded) as u32;
    let mut out = Vec::with_capacity(total as usize);
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&total.to_le_bytes());
    out.extend_from_slice(body);
    out.resize(8 + padded, 0);
    out.extend_from_slice(&total.to_le_bytes());
    out
}

/// One option: code, length, value padded to 4 bytes.
fn option(out: &mut Vec<u8>, code: u16, value: &[u8]) {
    out.extend_from_slice(&code.to_le_bytes());
    out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    out.extend_from_slice(value);
    out.resize(out.len().next_multiple_of(4), 0);
}

fn end_of_options(out: &mut Vec<u8>) {
    out.extend_from_slice(&[0, 0, 0, 0]);
}

/// The section header: the byte order, version 1.0, an unknown length, and the program
/// that wrote it (`shb_userappl`).
pub fn section_header(application: &str) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&0x1A2B_3C4Du32.to_le_bytes());
    body.extend_from_slice(&1u16.to_le_bytes());
    body.extend_from_slice(&0u16.to_le_bytes());
    body.extend_from_slice(&(-1i64).to_le_bytes());
    option(&mut body, 4, application.as_bytes());
    end_of_options(&mut body);
    block(0x0A0D_0D0A, &body)
}

/// A decryption secrets block holding `keylog`, TLS secrets in the NSS key log format:
/// Wireshark decrypts the TLS of the packets after it with no key log file beside.
pub fn decryption_secrets(keylog: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(8 + keylog.len());
    // Secrets type "TLSK": a TLS key log.
    body.extend_from_slice(&0x544C_534Bu32.to_le_bytes());
    body.extend_from_slice(&(keylog.len() as u32).to_le_bytes());
    body.extend_from_slice(keylog);
    block(0x0000_000A, &body)
}

/// TLS secrets gathered as connections make them (NSS key log lines), for a capture's
/// decryption secrets block (`--pcap-secrets`).
#[derive(Debug, Default)]
pub struct KeyLines(std::sync::Mutex<Vec<u8>>);

impl KeyLines {
    pub fn add(&self, line: &str) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(line.as_bytes());
    }

    /// The lines gathered so far.
    pub fn lines(&self) -> Vec<u8> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// An interface: raw IP, [`SNAPLEN`], its name and description, nanosecond timestamps.
pub fn interface(name: &str, description: &str) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&LINKTYPE_RAW.to_le_bytes());
    body.extend_from_slice(&0u16.to_le_bytes());
    body.extend_from_slice(&SNAPLEN.to_le_bytes());
    option(&mut body, 2, name.as_bytes());
    option(&mut body, 3, description.as_bytes());
    // if_tsresol 9: timestamps count nanoseconds.
    option(&mut body, 9, &[9]);
    end_of_options(&mut body);
    block(1, &body)
}

/// An enhanced packet block: `data` seen on `interface` at `at`.
pub fn packet(interface: u32, at: SystemTime, data: &[u8]) -> Vec<u8> {
    let nanos = at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos() as u64);
    let kept = data.len().min(SNAPLEN as usize);
    let mut body = Vec::with_capacity(20 + kept);
    body.extend_from_slice(&interface.to_le_bytes());
    body.extend_from_slice(&((nanos >> 32) as u32).to_le_bytes());
    body.extend_from_slice(&(nanos as u32).to_le_bytes());
    body.extend_from_slice(&(kept as u32).to_le_bytes());
    body.extend_from_slice(&(data.len() as u32).to_le_bytes());
    body.extend_from_slice(&data[..kept]);
    block(6, &body)
}

/// A TCP segment from `from` to `to`, in its IP packet.
pub fn tcp(
    from: SocketAddr,
    to: SocketAddr,
    seq: u32,
    ack: u32,
    flags: u8,
    payload: &[u8],
) -> Vec<u8> {
    let mut segment = Vec::with_capacity(20 + payload.len());
    segment.extend_from_slice(&from.port().to_be_bytes());
    segment.extend_from_slice(&to.port().to_be_bytes());
    segment.extend_from_slice(&seq.to_be_bytes());
    segment.extend_from_slice(&ack.to_be_bytes());
    segment.push(5 << 4);
    segment.push(flags);
    segment.extend_from_slice(&u16::MAX.to_be_bytes());
    segment.extend_from_slice(&[0, 0, 0, 0]);
    segment.extend_from_slice(payload);
    let sum = checksum(from.ip(), to.ip(), 6, &segment);
    segment[16..18].copy_from_slice(&sum.to_be_bytes());
    ip(from.ip(), to.ip(), 6, &segment)
}

/// A UDP datagram from `from` to `to`, in its IP packet.
pub fn udp(from: SocketAddr, to: SocketAddr, payload: &[u8]) -> Vec<u8> {
    let len = (8 + payload.len()).min(u16::MAX as usize) as u16;
    let mut datagram = Vec::with_capacity(8 + payload.len());
    datagram.extend_from_slice(&from.port().to_be_bytes());
    datagram.extend_from_slice(&to.port().to_be_bytes());
    datagram.extend_from_slice(&len.to_be_bytes());
    datagram.extend_from_slice(&[0, 0]);
    datagram.extend_from_slice(payload);
    let sum = match checksum(from.ip(), to.ip(), 17, &datagram) {
        // 0 means "no checksum" in UDP: an all-ones sum is sent instead.
        0 => 0xFFFF,
        sum => sum,
    };
    datagram[6..8].copy_from_slice(&sum.to_be_bytes());
    ip(from.ip(), to.ip(), 17, &datagram)
}

/// The IP header of `protocol` carrying `payload`, from `from` to `to`. An IPv4-mapped
/// IPv6 address is written as the IPv4 it is.
fn ip(from: IpAddr, to: IpAddr, protocol: u8, payload: &[u8]) -> Vec<u8> {
    match (from.to_canonical(), to.to_canonical()) {
        (IpAddr::V4(from), IpAddr::V4(to)) => {
            let total = (20 + payload.len()).min(u16::MAX as usize) as u16;
            let mut header = [0u8; 20];
            header[0] = 0x45;
            header[2..4].copy_from_slice(&total.to_be_bytes());
            // Don't fragment: each packet is whole.
            header[6] = 0x40;
            header[8] = 64;
            header[9] = protocol;
            header[12..16].copy_from_slice(&from.octets());
            header[16..20].copy_from_slice(&to.octets());
            let sum = fold(sum_words(&header, 0));
            header[10..12].copy_from_slice(&sum.to_be_bytes());
            [&header[..], payload].concat()
        }
        (from, to) => {
            let (from, to) = (v6(from), v6(to));
            let mut header = [0u8; 40];
            header[0] = 0x60;
            header[4..6]
                .copy_from_slice(&(payload.len().min(u16::MAX as usize) as u16).to_be_bytes());
            header[6] = protocol;
            header[7] = 64;
            header[8..24].copy_from_slice(&from.octets());
            header[24..40].copy_from_slice(&to.octets());
            [&header[..], payload].concat()
        }
    }
}

fn v6(ip: IpAddr) -> std::net::Ipv6Addr {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped(),
        IpAddr::V6(v6) => v6,
    }
}

/// The TCP/UDP checksum: over the pseudo-header of the addresses, the protocol and the
/// length, then the segment.
fn checksum(from: IpAddr, to: IpAddr, protocol: u8, segment: &[u8]) -> u16 {
    let len = segment.len() as u32;
    let pseudo = match (from.to_canonical(), to.to_canonical()) {
        (IpAddr::V4(from), IpAddr::V4(to)) => {
            let mut pseudo = Vec::with_capacity(12);
            pseudo.extend_from_slice(&from.octets());
            pseudo.extend_from_slice(&to.octets());
            pseudo.extend_from_slice(&[0, protocol]);
            pseudo.extend_from_slice(&(len as u16).to_be_bytes());
            pseudo
        }
        (from, to) => {
            let mut pseudo = Vec::with_capacity(40);
            pseudo.extend_from_slice(&v6(from).octets());
            pseudo.extend_from_slice(&v6(to).octets());
            pseudo.extend_from_slice(&len.to_be_bytes());
            pseudo.extend_from_slice(&[0, 0, 0, protocol]);
            pseudo
        }
    };
    fold(sum_words(segment, sum_words(&pseudo, 0)))
}

/// Adds `data` as 16-bit big-endian words (odd length padded with a zero) to `sum`.
fn sum_words(data: &[u8], mut sum: u64) -> u64 {
    let mut words = data.chunks_exact(2);
    for word in &mut words {
        sum += u64::from(u16::from_be_bytes([word[0], word[1]]));
    }
    if let [last] = words.remainder() {
        sum += u64::from(*last) << 8;
    }
    sum
}

/// The one's complement of the one's-complement sum.
fn fold(mut sum: u64) -> u16 {
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_whole_and_aligned() {
        let shb = section_header("netdemo 1");
        assert_eq!(shb.len() % 4, 0);
        assert_eq!(&shb[..4], &[0x0A, 0x0D, 0x0D, 0x0A]);
        let total = u32::from_le_bytes(shb[4..8].try_into().unwrap()) as usize;
        assert_eq!(total, shb.len());
        assert_eq!(&shb[shb.len() - 4..], &shb[4..8]);
        let epb = packet(0, SystemTime::now(), b"abc");
        assert_eq!(epb.len() % 4, 0);
        assert_eq!(u32::from_le_bytes(epb[20..24].try_into().unwrap()), 3);
    }

    #[test]
    fn checksums_verify_to_zero() {
        let from: SocketAddr = "127.0.0.1:1234".parse().unwrap();
        let to: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let packet = tcp(from, to, 1, 2, ACK | PSH, b"hello");
        // The IPv4 header sums to all ones with its checksum in.
        assert_eq!(fold(sum_words(&packet[..20], 0)), 0);
        assert_eq!(checksum(from.ip(), to.ip(), 6, &packet[20..]), 0);
        let from6: SocketAddr = "[::1]:5353".parse().unwrap();
        let packet = udp(from6, from6, b"odd");
        assert_eq!(packet[0] >> 4, 6);
        assert_eq!(checksum(from6.ip(), from6.ip(), 17, &packet[40..]), 0);
    }
}
