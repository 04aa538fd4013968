//! The bench's reference load client: one blocking std thread per connection, each in a
//! closed loop (send, wait for the reply, repeat) for a set time. Prints the round trips
//! per second as one number. `scripts/bench-tcp` compares netdemo's load mode with it.
//!
//!     cargo run --release --example reference_client -- ADDR CONNECTIONS SECONDS

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr = args[1].clone();
    let connections: usize = args[2].parse().expect("connections");
    let seconds: f64 = args[3].parse().expect("seconds");
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let request = b"abcdefghijklmnop";
    let expected = b"Loop_Msg: abcdefghijklmnop!";
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let (addr, done, stop) = (addr.clone(), done.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(&addr).expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let mut greeting = [0u8; 19];
                stream.read_exact(&mut greeting).expect("greeting");
                let mut reply = [0u8; 27];
                while !stop.load(Ordering::Relaxed) {
                    stream.write_all(request).expect("send");
                    stream.read_exact(&mut reply).expect("reply");
                    assert_eq!(&reply, expected);
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
    for thread in threads {
        let _ = thread.join();
    }
    println!("{:.0}", count as f64 / elapsed);
}
