//! The bench's reference UDP server: the seed protocol (`Hello, DATA`) with one blocking
//! `recv_from` and one `send_to` per datagram.
//!
//!     cargo run --release --example reference_udp_server -- [PORT]

use std::net::UdpSocket;

fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let socket = UdpSocket::bind(("127.0.0.1", port))?;
    eprintln!("listening on {}", socket.local_addr()?);
    let mut buf = vec![0u8; 65536];
    let mut reply = Vec::with_capacity(65536 + 7);
    loop {
        let (n, peer) = socket.recv_from(&mut buf)?;
        reply.clear();
        reply.extend_from_slice(b"Hello, ");
        reply.extend_from_slice(&buf[..n]);
        let _ = socket.send_to(&reply, peer);
    }
}
