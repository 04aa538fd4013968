//! The bench's connection-rate reference: one thread per connection slot, each connecting,
//! reading the seed greeting, exchanging one message and closing, again and again for a
//! set time. Prints connections per second. It shares no code with netdemo;
//! `scripts/bench-bulk` measures `tcp connect --reconnect` against it.
//!
//!     cargo run --release --example reconnect_client -- ADDR THREADS SECONDS

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr = args[1].clone();
    let threads: usize = args[2].parse().expect("THREADS");
    let seconds: f64 = args[3].parse().expect("SECONDS");
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (addr, done, stop) = (addr.clone(), done.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut greeting = [0u8; 19];
                let mut reply = [0u8; 27];
                while !stop.load(Ordering::Relaxed) {
                    let mut stream = TcpStream::connect(&addr).expect("connect");
                    stream.set_nodelay(true).expect("nodelay");
                    stream.read_exact(&mut greeting).expect("greeting");
                    stream.write_all(b"abcdefghijklmnop").expect("send");
                    stream.read_exact(&mut reply).expect("reply");
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let count = done.load(Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        let _ = worker.join();
    }
    println!("{:.0}", count as f64 / elapsed);
}
