//! The io_uring trial's control: the seed protocol served from one thread with plain epoll
//! (through mio), nothing else. Set beside examples/uring_server.rs it tells what io_uring
//! itself gains over epoll, apart from what any minimal server gains over netdemo's
//! framing, output and rules; `scripts/bench-tcp` measures both.
//!
//!     cargo run --release --example epoll_server -- [PORT]

use std::io::{ErrorKind, Read, Write};
use std::net::SocketAddr;

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

const LISTENER: Token = Token(usize::MAX);

struct Conn {
    stream: TcpStream,
    reply: Vec<u8>,
    sent: usize,
}

impl Conn {
    /// Writes what is left of the reply; false when the connection is finished.
    fn flush(&mut self) -> bool {
        while self.sent < self.reply.len() {
            match self.stream.write(&self.reply[self.sent..]) {
                Ok(n) => self.sent += n,
                Err(err) if err.kind() == ErrorKind::WouldBlock => return true,
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    }

    /// Reads and answers every message that arrived; false when the connection is finished.
    fn serve(&mut self, buf: &mut [u8; 1024]) -> bool {
        if !self.flush() {
            return false;
        }
        loop {
            // One reply in flight at a time, as the blocking reference server.
            if self.sent < self.reply.len() {
                return true;
            }
            match self.stream.read(buf) {
                Ok(0) => return false,
                Ok(n) if &buf[..n] == b"exit" => return false,
                Ok(n) => {
                    self.reply.clear();
                    self.reply.extend_from_slice(b"Loop_Msg: ");
                    self.reply.extend_from_slice(&buf[..n]);
                    self.reply.push(b'!');
                    self.sent = 0;
                    if !self.flush() {
                        return false;
                    }
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => return true,
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
    }
}

fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let mut listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))?;
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    eprintln!("listening on {}", listener.local_addr()?);
    let mut conns: Vec<Option<Conn>> = Vec::new();
    let mut events = Events::with_capacity(1024);
    let mut buf = [0u8; 1024];
    loop {
        poll.poll(&mut events, None)?;
        for event in &events {
            if event.token() == LISTENER {
                while let Ok((mut stream, _)) = listener.accept() {
                    stream.set_nodelay(true)?;
                    let id = conns.iter().position(Option::is_none).unwrap_or_else(|| {
                        conns.push(None);
                        conns.len() - 1
                    });
                    poll.registry().register(
                        &mut stream,
                        Token(id),
                        Interest::READABLE | Interest::WRITABLE,
                    )?;
                    let mut conn = Conn {
                        stream,
                        reply: b"Hello, I am server!".to_vec(),
                        sent: 0,
                    };
                    if conn.flush() {
                        conns[id] = Some(conn);
                    }
                }
                continue;
            }
            let id = event.token().0;
            if let Some(conn) = conns[id].as_mut()
                && !conn.serve(&mut buf)
            {
                conns[id] = None;
            }
        }
    }
}
