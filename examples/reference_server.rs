//! The bench's reference TCP server: the seed protocol with blocking std I/O, one thread
//! per connection, no logging, no framing beyond one read. What a careful tutorial port
//! to Rust would be; `scripts/bench-tcp` measures `netdemo tcp serve` against it.
//!
//!     cargo run --release --example reference_server -- [PORT]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

fn serve(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    stream.write_all(b"Hello, I am server!")?;
    let mut buf = [0u8; 1024];
    let mut reply = Vec::with_capacity(1024 + 11);
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 || &buf[..n] == b"exit" {
            return Ok(());
        }
        reply.clear();
        reply.extend_from_slice(b"Loop_Msg: ");
        reply.extend_from_slice(&buf[..n]);
        reply.push(b'!');
        stream.write_all(&reply)?;
    }
}

fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    eprintln!("listening on {}", listener.local_addr()?);
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || serve(stream));
    }
    Ok(())
}
