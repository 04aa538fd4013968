//! The bench's event-driven load client: one thread, plain epoll (through mio), N
//! connections each in a closed loop (send the request, read the whole reply, repeat)
//! for a set time. Prints round trips per second and the p99 latency in microseconds.
//! It shares no code with netdemo; `scripts/bench-tcp` measures servers with it.
//!
//!     cargo run --release --example epoll_client -- ADDR CONNECTIONS SECONDS

use std::io::{ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

const REQUEST: &[u8] = b"abcdefghijklmnop";
const REPLY: &[u8] = b"Loop_Msg: abcdefghijklmnop!";
const GREETING: usize = 19;

struct Conn {
    stream: TcpStream,
    /// Bytes of the greeting or the reply read so far.
    got: usize,
    buf: [u8; 64],
    greeted: bool,
    sent_at: Instant,
}

impl Conn {
    fn send(&mut self) {
        // 16 bytes into an empty socket buffer: written whole, or the connection is broken.
        let n = self.stream.write(REQUEST).expect("send");
        assert_eq!(n, REQUEST.len(), "short write");
        self.sent_at = Instant::now();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr: SocketAddr = args[1].parse().expect("ADDR");
    let connections: usize = args[2].parse().expect("CONNECTIONS");
    let seconds: f64 = args[3].parse().expect("SECONDS");
    let mut poll = Poll::new().expect("epoll");
    let mut conns: Vec<Conn> = (0..connections)
        .map(|i| {
            let std = std::net::TcpStream::connect(addr).expect("connect");
            std.set_nodelay(true).expect("nodelay");
            std.set_nonblocking(true).expect("nonblocking");
            let mut stream = TcpStream::from_std(std);
            poll.registry()
                .register(&mut stream, Token(i), Interest::READABLE)
                .expect("register");
            Conn {
                stream,
                got: 0,
                buf: [0; 64],
                greeted: false,
                sent_at: Instant::now(),
            }
        })
        .collect();
    let mut latency = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
    let mut events = Events::with_capacity(1024);
    let mut done = 0u64;
    let started = Instant::now();
    let end = started + Duration::from_secs_f64(seconds);
    while Instant::now() < end {
        poll.poll(&mut events, Some(Duration::from_millis(10)))
            .expect("poll");
        for event in &events {
            let conn = &mut conns[event.token().0];
            // Edge-triggered: read until the socket would block.
            loop {
                let want = if conn.greeted { REPLY.len() } else { GREETING };
                match conn.stream.read(&mut conn.buf[conn.got..want]) {
                    Ok(0) => panic!("the server closed a connection"),
                    Ok(n) => {
                        conn.got += n;
                        if conn.got < want {
                            continue;
                        }
                        conn.got = 0;
                        if conn.greeted {
                            assert_eq!(&conn.buf[..want], REPLY, "wrong reply");
                            let took = conn.sent_at.elapsed().as_micros() as u64;
                            latency.saturating_record(took);
                            done += 1;
                        }
                        conn.greeted = true;
                        conn.send();
                    }
                    Err(err) if err.kind() == ErrorKind::WouldBlock => break,
                    Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                    Err(err) => panic!("read: {err}"),
                }
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{:.0} {}",
        done as f64 / elapsed,
        latency.value_at_quantile(0.99)
    );
}
