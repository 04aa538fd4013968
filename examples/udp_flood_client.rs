//! The bench's UDP flood client: one thread sends 16-byte datagrams as fast as the kernel
//! takes them for a set time, another counts the replies that come back. Prints the
//! datagrams sent and the replies received. It shares no code with netdemo;
//! `scripts/bench-tcp` floods UDP servers with it.
//!
//!     cargo run --release --example udp_flood_client -- ADDR SECONDS

use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr: SocketAddr = args[1].parse().expect("ADDR");
    let seconds: f64 = args[2].parse().expect("SECONDS");
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    socket.connect(addr).expect("connect");
    let receiver = socket.try_clone().expect("clone");
    // Replies still on their way when sending stops get this long.
    receiver
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let received = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let counter = {
        let (received, done) = (received.clone(), done.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 2048];
            loop {
                match receiver.recv(&mut buf) {
                    Ok(_) => {
                        received.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) if done.load(Ordering::Relaxed) => return,
                    // A refused datagram (nothing listening yet) or a timeout: go on.
                    Err(_) => {}
                }
            }
        })
    };
    let datagram = [b'x'; 16];
    let end = Instant::now() + Duration::from_secs_f64(seconds);
    let mut sent = 0u64;
    while Instant::now() < end {
        for _ in 0..64 {
            if socket.send(&datagram).is_ok() {
                sent += 1;
            }
        }
    }
    done.store(true, Ordering::Relaxed);
    let _ = counter.join();
    println!("{sent} {}", received.load(Ordering::Relaxed));
}
