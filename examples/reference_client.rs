//! The bench's reference load client: one blocking std thread per connection, each in a
//! closed loop (send, wait for the reply, repeat) for a set time. Prints the round trips
//! per second and the p99 latency in microseconds. It shares no code with netdemo;
//! `scripts/bench-tcp` measures servers, and netdemo's load mode, with it.
//!
//!     cargo run --release --example reference_client -- ADDR CONNECTIONS SECONDS

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr = args[1].clone();
    let connections: usize = args[2].parse().expect("connections");
    let seconds: f64 = args[3].parse().expect("seconds");
    let done = Arc::new(AtomicU64::new(0));
    let unserved = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let request = b"abcdefghijklmnop";
    let expected = b"Loop_Msg: abcdefghijklmnop!";
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let (addr, done, stop) = (addr.clone(), done.clone(), stop.clone());
            let unserved = unserved.clone();
            std::thread::spawn(move || {
                let mut latency =
                    Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
                let mut stream = TcpStream::connect(&addr).expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                // A server that never serves this connection (the tutorial's Python server
                // with its listen(5) backlog, under many connections) must not hang the run.
                let patience = Duration::from_secs_f64(seconds) + Duration::from_secs(2);
                stream.set_read_timeout(Some(patience)).expect("timeout");
                let mut greeting = [0u8; 19];
                if stream.read_exact(&mut greeting).is_err() {
                    unserved.fetch_add(1, Ordering::Relaxed);
                    return latency;
                }
                let mut reply = [0u8; 27];
                while !stop.load(Ordering::Relaxed) {
                    let sent = Instant::now();
                    stream.write_all(request).expect("send");
                    if stream.read_exact(&mut reply).is_err() {
                        unserved.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    assert_eq!(&reply, expected);
                    latency.saturating_record(sent.elapsed().as_micros() as u64);
                    done.fetch_add(1, Ordering::Relaxed);
                }
                latency
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let count = done.load(Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let mut latency = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
    for thread in threads {
        if let Ok(one) = thread.join() {
            latency.add(one).expect("same histogram shape");
        }
    }
    let unserved = unserved.load(Ordering::Relaxed);
    if unserved > 0 {
        eprintln!("{unserved} of {connections} connections were not served to the end");
    }
    println!(
        "{:.0} {}",
        count as f64 / elapsed,
        latency.value_at_quantile(0.99)
    );
}
