//! `-x/--hex-dump`: every byte sent and received, as offset, hex and ASCII columns.
//!
//! A pure function; `tap.rs` calls it for every read and write it sees. Offsets count per
//! direction and connection, so a dump shows where in the stream a byte was, like
//! `socat -x`'s `from`/`to`.

use std::fmt::Write as _;

use crate::event::{Direction, Peer};

const PER_LINE: usize = 16;

/// One dump block: a header naming the direction, peer, size and stream offset (TCP; a
/// datagram has none), then lines of `offset  hex bytes (two groups of eight)  |ascii|`.
///
/// ```text
/// > sent 5 bytes to 127.0.0.1:9999 (offset 0)
/// 00000000  68 65 6c 6c 6f                                    |hello|
/// ```
pub fn format(direction: Direction, peer: Peer, offset: Option<u64>, bytes: &[u8]) -> String {
    let (mark, verb, preposition) = match direction {
        Direction::Sent => ('>', "sent", "to"),
        Direction::Received => ('<', "received", "from"),
    };
    let mut out = String::with_capacity(32 + bytes.len().div_ceil(PER_LINE) * 78);
    let _ = write!(
        out,
        "{mark} {verb} {} byte{} {preposition} {peer}",
        bytes.len(),
        if bytes.len() == 1 { "" } else { "s" }
    );
    match offset {
        Some(offset) => {
            let _ = writeln!(out, " (offset {offset})");
        }
        None => out.push_str(" (datagram)\n"),
    }
    let offset = offset.unwrap_or(0);
    for (i, line) in bytes.chunks(PER_LINE).enumerate() {
        let _ = write!(out, "{:08x} ", offset + (i * PER_LINE) as u64);
        for column in 0..PER_LINE {
            if column == PER_LINE / 2 {
                out.push(' ');
            }
            match line.get(column) {
                Some(byte) => {
                    let _ = write!(out, " {byte:02x}");
                }
                None => out.push_str("   "),
            }
        }
        out.push_str("  |");
        out.extend(line.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        }));
        out.push_str("|\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_dump_of_a_greeting() {
        let peer = Peer::from("127.0.0.1:9999".parse::<std::net::SocketAddr>().unwrap());
        let dump = format(Direction::Received, peer, Some(0), b"Hello, I am server!");
        assert_eq!(
            dump,
            "< received 19 bytes from 127.0.0.1:9999 (offset 0)\n\
             00000000  48 65 6c 6c 6f 2c 20 49  20 61 6d 20 73 65 72 76  |Hello, I am serv|\n\
             00000010  65 72 21                                          |er!|\n"
        );
    }

    #[test]
    fn offsets_continue_and_controls_show_as_dots() {
        let peer = Peer::from("[::1]:7".parse::<std::net::SocketAddr>().unwrap());
        let dump = format(Direction::Sent, peer, Some(32), b"\x00\xffa\n");
        assert_eq!(
            dump,
            "> sent 4 bytes to [::1]:7 (offset 32)\n\
             00000020  00 ff 61 0a                                       |..a.|\n"
        );
        assert!(format(Direction::Sent, peer, Some(0), b"x").starts_with("> sent 1 byte to"));
        assert!(
            format(Direction::Sent, peer, None, b"x")
                .starts_with("> sent 1 byte to [::1]:7 (datagram)\n")
        );
    }
}
