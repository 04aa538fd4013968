//! The tutorial's protocol as constants and pure functions (PROTOCOL.md).
//!
//! No other file spells these strings. [`Wire`] holds them already encoded in the chosen
//! `--encoding`, built once per command so that no message pays for encoding them again.

use crate::encoding::Encoding;
use crate::event::Peer;

/// What the TCP server sends on accept, with no newline (PROTOCOL.md, TCP 2).
pub const GREETING: &str = "Hello, I am server!";
/// The message that asks the TCP server to close the connection (TCP 3).
pub const EXIT: &str = "exit";
/// What `tcp connect` sends when given no message: the tutorial client's message (TCP 6).
pub const DEFAULT_TCP_MESSAGE: &str = "Hello, I am a client";
/// What `udp send` sends when given no data: the tutorial client's two datagrams.
pub const DEFAULT_UDP_DATA: [&str; 2] = ["Hello", "Word"];
/// Marks a line that shows what the peer sent, as the tutorial prints it.
pub const SHOWN_PREFIX: &str = "-->>";

const TCP_REPLY_PREFIX: &str = "Loop_Msg: ";
const TCP_REPLY_SUFFIX: &str = "!";
const UDP_REPLY_PREFIX: &str = "Hello, ";

/// The status line for a new TCP client (TCP 2).
pub fn accept_line(peer: Peer) -> String {
    format!("Accept new connection from {peer}...")
}

/// The status line for each datagram the UDP server receives (UDP 1).
pub fn received_line(peer: Peer) -> String {
    format!("Received from {peer},")
}

/// The protocol's strings as bytes in one encoding.
#[derive(Debug, Clone)]
pub struct Wire {
    greeting: Vec<u8>,
    exit: Vec<u8>,
    tcp_prefix: Vec<u8>,
    tcp_suffix: Vec<u8>,
    udp_prefix: Vec<u8>,
}

impl Wire {
    pub fn new(encoding: Encoding) -> Wire {
        Wire {
            greeting: encoding.protocol_bytes(GREETING),
            exit: encoding.protocol_bytes(EXIT),
            tcp_prefix: encoding.protocol_bytes(TCP_REPLY_PREFIX),
            tcp_suffix: encoding.protocol_bytes(TCP_REPLY_SUFFIX),
            udp_prefix: encoding.protocol_bytes(UDP_REPLY_PREFIX),
        }
    }

    pub fn greeting(&self) -> &[u8] {
        &self.greeting
    }

    pub fn exit(&self) -> &[u8] {
        &self.exit
    }

    /// A message closes the connection only when it is exactly `exit` (TCP 3).
    pub fn is_exit(&self, message: &[u8]) -> bool {
        message == self.exit
    }

    /// `Loop_Msg: MESSAGE!`, with the message's bytes copied unchanged.
    pub fn tcp_reply(&self, message: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        self.tcp_reply_into(message, &mut out);
        out
    }

    /// `Loop_Msg: MESSAGE!`, written into `out` so a connection can reuse one buffer.
    pub fn tcp_reply_into(&self, message: &[u8], out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(&self.tcp_prefix);
        out.extend_from_slice(message);
        out.extend_from_slice(&self.tcp_suffix);
    }

    /// `Hello, DATA`, written into `out` so a server can reuse one buffer.
    pub fn udp_reply_into(&self, data: &[u8], out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(&self.udp_prefix);
        out.extend_from_slice(data);
    }

    /// `Hello, DATA` as a new buffer.
    pub fn udp_reply(&self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.udp_prefix.len() + data.len());
        self.udp_reply_into(data, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_match_the_tutorial_byte_for_byte() {
        let wire = Wire::new(Encoding::default());
        assert_eq!(wire.greeting(), b"Hello, I am server!");
        assert_eq!(
            wire.tcp_reply(b"Hello, I am a client"),
            b"Loop_Msg: Hello, I am a client!"
        );
        assert_eq!(wire.udp_reply(b"Word"), b"Hello, Word");
    }

    #[test]
    fn undecodable_bytes_are_echoed_unchanged() {
        let wire = Wire::new(Encoding::default());
        assert_eq!(wire.tcp_reply(b"\xff\x00"), b"Loop_Msg: \xff\x00!");
    }

    #[test]
    fn only_exact_exit_closes() {
        let wire = Wire::new(Encoding::default());
        assert!(wire.is_exit(b"exit"));
        assert!(!wire.is_exit(b"exit\n"));
        assert!(!wire.is_exit(b"EXIT"));
    }

    #[test]
    fn status_lines_bracket_ipv6() {
        let peer = Peer::from("[::1]:5000".parse::<std::net::SocketAddr>().unwrap());
        assert_eq!(
            accept_line(peer),
            "Accept new connection from [::1]:5000..."
        );
        assert_eq!(received_line(peer), "Received from [::1]:5000,");
    }
}
