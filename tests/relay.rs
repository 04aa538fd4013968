//! `tcp relay` and `udp relay` between peers netdemo did not write (Python echo servers and
//! clients, socat), and each fault measured from the client's side. UDP faults are
//! measured with netdemo's UDP load mode through the relay, within a tolerance derived
//! from the sample size.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use predicates::prelude::*;
use serde_json::Value;
use support::{Server, installed, netdemo, peer, pseudo_random, python3, sha256_hex};

/// A relay from a free port to `target`, with `args`.
fn relay(protocol: &str, target: &Server, args: &[&str]) -> Server {
    let to = format!("127.0.0.1:{}", target.port());
    let mut all = vec![protocol, "relay", "-p", "0", "--to", &to];
    all.extend_from_slice(args);
    Server::netdemo(&all)
}

fn echo_server() -> Server {
    Server::python("echo_server.py", &["127.0.0.1", "0"])
}

/// `relay_probe.py MODE 127.0.0.1 PORT ARGS`: its JSON line.
fn probe(mode: &str, port: &str, args: &[&str]) -> Value {
    let output = Command::new("python3")
        .arg(peer("relay_probe.py"))
        .args([mode, "127.0.0.1", port])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn megabytes_go_through_exactly_both_ways_with_half_close_for_concurrent_clients() {
    let _heavy = support::heavy();
    if python3("relay bytes").is_none() {
        return;
    }
    let target = echo_server();
    let relay = relay("tcp", &target, &[]);
    let dir = tempfile::tempdir().unwrap();
    let clients: Vec<_> = (0..4u64)
        .map(|i| {
            let data = pseudo_random(3 << 20, i + 1);
            let path = dir.path().join(format!("data{i}"));
            std::fs::write(&path, &data).unwrap();
            // stream_client.py half-closes after sending: the echo server only finishes
            // (and closes) once that FIN came through the relay.
            let child = Command::new("python3")
                .arg(peer("stream_client.py"))
                .args(["127.0.0.1", &relay.port()])
                .arg(&path)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            (child, format!("{} {}", data.len(), sha256_hex(&data)))
        })
        .collect();
    for (child, want) in clients {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), want);
    }
}

#[test]
fn socat_as_the_client_gets_its_bytes_back_exactly() {
    if python3("relay socat").is_none() || !installed("socat", &["-V"]) {
        return;
    }
    let target = echo_server();
    let relay = relay("tcp", &target, &["--slice", "1000"]);
    let data = pseudo_random(200_000, 9);
    let mut socat = Command::new("socat")
        .args(["-t", "5", "-", &format!("TCP:127.0.0.1:{}", relay.port())])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = socat.stdin.take().unwrap();
    let writer = {
        let data = data.clone();
        std::thread::spawn(move || stdin.write_all(&data))
    };
    let output = socat.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success());
    assert!(
        output.stdout == data,
        "got {} of {} bytes",
        output.stdout.len(),
        data.len()
    );
}

#[test]
fn latency_is_added_each_way_in_order() {
    let _heavy = support::heavy();
    if python3("relay latency").is_none() {
        return;
    }
    let target = echo_server();
    let direct = probe("rtt", &target.port(), &["20"]);
    let relay = relay(
        "tcp",
        &target,
        &["--latency", "40ms", "--direction", "both"],
    );
    let delayed = probe("rtt", &relay.port(), &["20"]);
    let added = delayed["median_us"].as_f64().unwrap() - direct["median_us"].as_f64().unwrap();
    // 40 ms up and 40 ms down; a loaded machine only adds.
    assert!(delayed["min_us"].as_f64().unwrap() >= 80_000.0, "{delayed}");
    assert!(added < 80_000.0 + 60_000.0, "added {added} µs");
    // Latency must not reorder: a bulk transfer through it comes back exact.
    assert_eq!(probe("bulk", &relay.port(), &["300000"])["exact"], true);
}

#[test]
fn bandwidth_is_held_within_twenty_percent() {
    let _heavy = support::heavy();
    if python3("relay bandwidth").is_none() {
        return;
    }
    let target = echo_server();
    let relay = relay(
        "tcp",
        &target,
        &["--bandwidth", "256K", "--direction", "up"],
    );
    // 256 KiB up at 256 KiB/s: one second; the echo comes back unthrottled.
    let took = probe("bulk", &relay.port(), &["262144"]);
    let seconds = took["seconds"].as_f64().unwrap();
    assert_eq!(took["exact"], true);
    assert!((0.8..1.2).contains(&seconds), "{took}");
}

#[test]
fn reset_after_and_close_after_cut_both_sides_about_there() {
    if python3("relay cuts").is_none() {
        return;
    }
    let target = echo_server();
    let relay_reset = relay("tcp", &target, &["--reset-after", "10K"]);
    let cut = probe("until_cut", &relay_reset.port(), &[]);
    assert_eq!(cut["how"], "reset", "{cut}");
    assert!(cut["echoed"].as_u64().unwrap() <= 10240, "{cut}");
    let relay_close = relay(
        "tcp",
        &target,
        &["--close-after", "10K", "--direction", "down"],
    );
    let cut = probe("until_cut", &relay_close.port(), &[]);
    assert_eq!(cut["how"], "closed", "{cut}");
    assert_eq!(cut["echoed"], 10240, "{cut}");
}

#[test]
fn a_target_that_is_not_there_resets_the_client_and_the_relay_goes_on() {
    let nothing = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = nothing.local_addr().unwrap().port();
    drop(nothing);
    let relay = Server::netdemo(&[
        "tcp",
        "relay",
        "-p",
        "0",
        "--to",
        &format!("127.0.0.1:{port}"),
    ]);
    for _ in 0..2 {
        netdemo()
            .args(["tcp", "connect", "-p", &relay.port(), "--timeout", "2s"])
            .assert()
            .code(1);
    }
    relay.wait_stderr(|l| l.contains("cannot reach the target"));
}

#[test]
fn json_shows_each_connection_open_its_data_each_way_and_its_close() {
    let target = Server::netdemo(&["tcp", "serve", "-p", "0", "-q"]);
    let relay = relay("tcp", &target, &["--json"]);
    netdemo()
        .args(["tcp", "connect", "-p", &relay.port(), "hi"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Loop_Msg: hi!"));
    let mut events = Vec::new();
    while events.len() < 7 {
        let event: Value = serde_json::from_str(&relay.next_line()).unwrap();
        let name = event["event"].as_str().unwrap().to_owned();
        if name == "close" {
            events.push(event);
            break;
        }
        events.push(event);
    }
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(
        names.starts_with(&["faults", "listening", "accept", "open"]),
        "{names:?}"
    );
    let data: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e["event"] == "data")
        .map(|e| {
            (
                e["direction"].as_str().unwrap(),
                e["data"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(data.contains(&("down", "Hello, I am server!")), "{data:?}");
    assert!(data.contains(&("up", "hi")), "{data:?}");
}

#[test]
fn relay_flags_out_of_range_are_refused() {
    for (args, says) in [
        (
            vec!["udp", "relay", "--to", "127.0.0.1:1", "--loss", "101"],
            "percentage",
        ),
        (
            vec!["udp", "relay", "--to", "127.0.0.1:1", "--loss", "-1"],
            "percentage",
        ),
        (vec!["tcp", "relay", "--to", "127.0.0.1"], "HOST:PORT"),
        (vec!["tcp", "relay", "--to", "127.0.0.1:0"], "port 0"),
        (vec!["tcp", "relay", "--to", ":6379"], "host too"),
        (vec!["tcp", "relay", "--to", "::1:53"], "[::1]:53"),
        (
            vec!["tcp", "relay", "--to", "127.0.0.1:70000"],
            "not a port number",
        ),
        (
            vec!["udp", "relay", "--to", "127.0.0.1:1", "--loss", "10%%"],
            "percentage",
        ),
        (
            vec!["tcp", "relay", "--to", "127.0.0.1:1", "--bandwidth", "0"],
            "1 byte",
        ),
        (
            vec!["udp", "relay", "--to", "127.0.0.1:1", "--timeout", "1s"],
            "--idle-timeout",
        ),
        (vec!["tcp", "relay"], "--to"),
    ] {
        netdemo()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn each_udp_client_gets_its_own_replies() {
    if python3("udp relay").is_none() {
        return;
    }
    let target = Server::netdemo(&["udp", "serve", "-p", "0", "-q"]);
    let relay = relay("udp", &target, &[]);
    let children: Vec<_> = ["alpha", "beta", "gamma"]
        .iter()
        .map(|word| {
            let child = Command::new("python3")
                .arg(peer("udp_peer.py"))
                .args(["127.0.0.1", &relay.port(), word])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            (child, word)
        })
        .collect();
    for (child, word) in children {
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            format!("Hello, {word}")
        );
    }
}

/// A UDP load run of `count` datagrams at 4000/s through `relay`: its report.
fn udp_load(relay: &Server, count: u64) -> Value {
    let output = netdemo()
        .args([
            "--json",
            "udp",
            "send",
            "--mode",
            "echo",
            "-p",
            &relay.port(),
        ])
        .args([
            "-n",
            &count.to_string(),
            "--rate",
            "4000",
            "--timeout",
            "500ms",
        ])
        .output()
        .unwrap();
    serde_json::from_slice(output.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap()
}

/// Whether `got` is within five standard deviations of `count` draws at `pct` percent.
fn within_binomial(got: u64, count: u64, pct: f64) -> bool {
    let p = pct / 100.0;
    let mean = count as f64 * p;
    let sd = (count as f64 * p * (1.0 - p)).sqrt();
    (got as f64 - mean).abs() <= 5.0 * sd
}

#[test]
fn udp_loss_duplication_and_reordering_match_their_settings() {
    let _heavy = support::heavy();
    let target = Server::netdemo(&["udp", "serve", "-p", "0", "-q", "--mode", "echo"]);
    let count = 4000;
    let lossy = relay(
        "udp",
        &target,
        &["--loss", "10%", "--direction", "up", "--seed", "1"],
    );
    let report = udp_load(&lossy, count);
    assert_eq!(report["sent"], count, "{report}");
    let lost = report["lost"].as_u64().unwrap();
    assert!(within_binomial(lost, count, 10.0), "lost {lost}: {report}");

    let doubling = relay(
        "udp",
        &target,
        &["--duplicate", "10", "--direction", "up", "--seed", "2"],
    );
    let report = udp_load(&doubling, count);
    let duplicates = report["duplicates"].as_u64().unwrap();
    assert!(
        within_binomial(duplicates, count, 10.0),
        "duplicates {duplicates}: {report}"
    );
    assert_eq!(report["lost"], 0, "{report}");

    let shuffling = relay(
        "udp",
        &target,
        &["--reorder", "10", "--direction", "up", "--seed", "3"],
    );
    let report = udp_load(&shuffling, count);
    let reordered = report["reordered"].as_u64().unwrap();
    // A held datagram can be held only once at a time: the share is a little under 10%.
    assert!(
        within_binomial(reordered, count, 9.0),
        "reordered {reordered}: {report}"
    );
    assert_eq!(report["lost"], 0, "{report}");
}

#[test]
fn the_same_seed_loses_the_same_datagrams() {
    let target = Server::netdemo(&["udp", "serve", "-p", "0", "-q", "--mode", "echo"]);
    let lost = |seed: &str| {
        let relay = relay(
            "udp",
            &target,
            &["--loss", "20", "--direction", "up", "--seed", seed],
        );
        udp_load(&relay, 500)["lost"].as_u64().unwrap()
    };
    assert_eq!(lost("7"), lost("7"));
}

#[test]
fn a_udp_relay_shows_each_datagram_and_a_fixed_latency_keeps_their_order() {
    let _heavy = support::heavy();
    let target = Server::netdemo(&["udp", "serve", "-p", "0", "-q", "--mode", "echo"]);
    let relay = relay("udp", &target, &["--json", "--latency", "5ms"]);
    let report = udp_load(&relay, 1000);
    assert_eq!(report["lost"], 0, "{report}");
    assert_eq!(report["reordered"], 0, "{report}");
    let mut up = 0;
    let mut down = 0;
    while up < 1000 || down < 1000 {
        let event: Value = serde_json::from_str(&relay.next_line()).unwrap();
        if event["event"] == "data" {
            match event["direction"].as_str().unwrap() {
                "up" => up += 1,
                _ => down += 1,
            }
        }
    }
    assert_eq!((up, down), (1000, 1000));
}

#[test]
fn a_cut_is_named_as_the_relays_doing() {
    if python3("relay cut reason").is_none() {
        return;
    }
    let target = echo_server();
    let relay = relay("tcp", &target, &["--json", "--reset-after", "1K"]);
    let _ = probe("until_cut", &relay.port(), &[]);
    loop {
        let event: Value = serde_json::from_str(&relay.next_line()).unwrap();
        if event["event"] == "close" {
            assert_eq!(event["reason"], "--reset-after or --close-after reached");
            break;
        }
    }
}

#[test]
fn bandwidth_is_exact_from_the_first_byte_at_any_slice_size() {
    let _heavy = support::heavy();
    if python3("relay bandwidth exactness").is_none() {
        return;
    }
    // Each case moves one second's worth of bytes from a source netdemo did not write to
    // a Python client, which takes the time. From its first read on, the rest of the bytes
    // must take exactly what the rate gives them: no piece goes uncharged, no lateness of
    // a timer is lost. From connecting, the relay's dial to the source comes on top.
    for (rate, args) in [
        (100 << 10, vec!["--bandwidth", "100K"]),
        (300 << 10, vec!["--bandwidth", "300K"]),
        (10 << 20, vec!["--slice", "1000", "--bandwidth", "10M"]),
        (1 << 20, vec!["--slice", "100", "--bandwidth", "1M"]),
    ] {
        let size: u64 = rate;
        let source = Server::python("byte_source.py", &["127.0.0.1", "0", &size.to_string()]);
        let mut all = vec!["--direction", "down"];
        all.extend_from_slice(&args);
        let relay = relay("tcp", &source, &all);
        let took = probe("receive", &relay.port(), &[]);
        assert_eq!(took["bytes"], size, "{args:?}: {took}");
        let whole = took["seconds"].as_f64().unwrap();
        let rest = took["after_first_seconds"].as_f64().unwrap();
        let first = took["first_bytes"].as_u64().unwrap();
        let want = (size - first) as f64 / rate as f64;
        eprintln!(
            "{args:?}: {size} bytes in {whole:.4} s; after the first {first}: {rest:.4} s of {want:.4}"
        );
        assert!(
            (rest / want - 1.0).abs() < 0.02,
            "{args:?}: after the first {first} bytes, the other {} took {rest:.4} s, not \
             {want:.4} s within 2%: {took}",
            size - first
        );
        assert!(
            (0.98..1.05).contains(&whole),
            "{args:?}: {size} bytes took {whole:.4} s from connecting: {took}"
        );
    }
}

#[test]
fn a_flood_into_a_target_that_never_reads_stays_within_max_buffered() {
    let _heavy = support::heavy();
    // The target accepts and never reads: everything the clients send queues somewhere.
    let target = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let to = target.local_addr().unwrap().to_string();
    let clients = 50;
    let keeper = std::thread::spawn(move || {
        target
            .incoming()
            .take(clients)
            .map(Result::unwrap)
            .collect::<Vec<_>>()
    });
    let relay = Server::netdemo(&[
        "tcp",
        "relay",
        "-p",
        "0",
        "--to",
        &to,
        "--latency",
        "1s",
        "--direction",
        "up",
        "--max-buffered",
        "4M",
    ]);
    let writers: Vec<_> = (0..clients)
        .map(|_| {
            let addr = relay.addr;
            std::thread::spawn(move || {
                let mut conn = std::net::TcpStream::connect(addr).unwrap();
                conn.set_write_timeout(Some(std::time::Duration::from_millis(500)))
                    .unwrap();
                let block = vec![b'f'; 64 << 10];
                let mut sent = 0usize;
                // 8 MiB each, twice what one connection's own queue holds, or until the
                // kernel's buffers on the way are full too and writing stops.
                let until = std::time::Instant::now() + std::time::Duration::from_secs(4);
                while sent < 8 << 20 && std::time::Instant::now() < until {
                    match conn.write(&block) {
                        Ok(n) => sent += n,
                        Err(_) => break,
                    }
                }
                (conn, sent)
            })
        })
        .collect();
    let held: Vec<_> = writers.into_iter().map(|w| w.join().unwrap()).collect();
    let _target_side = keeper.join().unwrap();
    let sent: usize = held.iter().map(|(_, n)| n).sum();
    let rss = relay.rss_kib();
    eprintln!(
        "{clients} clients sent {} MiB; relay RSS {rss} KiB",
        sent >> 20
    );
    // Without a total, each connection's queue holds up to 4 MiB: 200 MiB for 50. With
    // 4M in all, the queues, the read buffers (128 KiB a connection) and the program fit
    // far below.
    assert!(
        rss < 48 * 1024,
        "relay RSS {rss} KiB with --max-buffered 4M"
    );
}

#[test]
fn a_client_beyond_max_connections_waits_and_the_log_says_so() {
    if python3("relay max connections").is_none() {
        return;
    }
    use std::io::Read;
    let target = echo_server();
    let relay = relay("tcp", &target, &["--max-connections", "2"]);
    let echo = |conn: &mut std::net::TcpStream, byte: u8| {
        conn.set_read_timeout(Some(support::DEADLINE)).unwrap();
        conn.write_all(&[byte]).unwrap();
        let mut got = [0u8; 1];
        conn.read_exact(&mut got).unwrap();
        assert_eq!(got[0], byte);
    };
    let mut first = std::net::TcpStream::connect(relay.addr).unwrap();
    echo(&mut first, b'a');
    let mut second = std::net::TcpStream::connect(relay.addr).unwrap();
    echo(&mut second, b'b');
    let mut third = std::net::TcpStream::connect(relay.addr).unwrap();
    third.write_all(b"c").unwrap();
    relay.wait_stderr(|l| l.contains("1 client(s) wait for a free slot (--max-connections 2)"));
    // A slot frees: the waiting client is relayed, with what it sent meanwhile.
    drop(first);
    third.set_read_timeout(Some(support::DEADLINE)).unwrap();
    let mut got = [0u8; 1];
    third.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"c");
    echo(&mut second, b'd');
}

#[test]
fn a_udp_relay_with_a_long_latency_drops_what_its_queue_cannot_hold() {
    let _heavy = support::heavy();
    let target = Server::netdemo(&["udp", "serve", "-p", "0", "-q", "--mode", "discard"]);
    let relay = relay(
        "udp",
        &target,
        &["--json", "--latency", "60s", "--direction", "up", "--stats"],
    );
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let datagram = vec![b'q'; 8 << 10];
    // 60 s of latency holds everything: without a bound the queue grows as fast as the
    // sender sends (5 GB in 8 s). Sent ten at a time, each ten taken in (a `data` event
    // each) before the next, so the kernel's buffer never overflows; 12,000 at most.
    let mut stats = Vec::new();
    let mut take_in = |relay: &Server, count: usize| {
        let mut seen = 0;
        while seen < count {
            let event: Value = serde_json::from_str(&relay.next_line()).unwrap();
            match event["event"].as_str() {
                Some("data") => seen += 1,
                Some("stats") => stats.push(event),
                _ => {}
            }
        }
    };
    let full = |relay: &Server| relay.stderr().iter().any(|l| l.contains("queue is full"));
    let mut sent = 0;
    let mut after_full = 0;
    while sent < 12_000 && after_full < 1000 {
        for _ in 0..10 {
            sender.send_to(&datagram, relay.addr).unwrap();
        }
        take_in(&relay, 10);
        sent += 10;
        if after_full > 0 || full(&relay) {
            after_full += 10;
        }
    }
    assert!(
        full(&relay),
        "no drop said after {sent}: {:?}",
        relay.stderr()
    );
    // The next second's stats count the drops, in JSON as in the human line.
    let dropped = loop {
        let event: Value = serde_json::from_str(&relay.next_line()).unwrap();
        if event["event"] == "stats" && event["messages_per_s"].as_f64() == Some(0.0) {
            break event["dropped"].as_u64().unwrap();
        }
    };
    assert!(dropped >= 900, "{dropped} dropped of the last 1000");
    let rss = relay.rss_kib();
    eprintln!("{sent} datagrams of 8 KiB taken in, {dropped} dropped; relay RSS {rss} KiB");
    // 64 MiB of queue and the program, where all that was sent (94 MiB) would be held.
    assert!(rss < 100 * 1024, "relay RSS {rss} KiB");
    // Said once, then at most once a second: not a line per datagram.
    let lines = relay
        .stderr()
        .iter()
        .filter(|l| l.contains("queue is full"))
        .count();
    assert!(lines <= 4, "{lines} lines about drops");
}

#[test]
fn a_udp_relay_other_machines_reach_is_no_amplifier() {
    let _heavy = support::heavy();
    if python3("relay amplification").is_none() {
        return;
    }
    let chargen = Server::python("udp_chargen.py", &["127.0.0.1", "0"]);
    let to = format!("127.0.0.1:{}", chargen.port());
    // Bound to every interface; the test still talks over loopback only.
    let capped = Server::netdemo(&["udp", "relay", "--host", "0.0.0.0", "-p", "0", "--to", &to]);
    let client = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let replies = |relay: &Server, count: usize, wait: std::time::Duration| {
        client.set_read_timeout(Some(wait)).unwrap();
        let at = format!("127.0.0.1:{}", relay.port());
        for _ in 0..count {
            client.send_to(b"x", &at).unwrap();
        }
        let mut buf = [0u8; 2048];
        let mut got = Vec::new();
        // Until every reply came, or none came for `wait`.
        while got.len() < count {
            match client.recv_from(&mut buf) {
                Ok((len, _)) => got.push(len),
                Err(_) => break,
            }
        }
        got
    };
    // 20 bytes sent: at most 10x that plus the 1500-byte allowance comes back, not 444x.
    let got = replies(&capped, 20, std::time::Duration::from_secs(1));
    let bytes: usize = got.iter().sum();
    assert!(!got.is_empty() && bytes <= 10 * 20 + 1500, "{got:?}");
    capped.wait_stderr(|l| l.contains("more than 10x what it sent"));
    // --allow-amplification lifts the cap.
    let open = Server::netdemo(&[
        "udp",
        "relay",
        "--host",
        "0.0.0.0",
        "-p",
        "0",
        "--to",
        &to,
        "--allow-amplification",
    ]);
    let got = replies(&open, 20, support::DEADLINE);
    assert_eq!(got, vec![444; 20]);
}

#[test]
fn duplicating_on_a_relay_other_machines_reach_needs_allow_amplification() {
    netdemo()
        .args(["udp", "relay", "--host", "0.0.0.0", "-p", "0"])
        .args(["--to", "127.0.0.1:9", "--duplicate", "100"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--allow-amplification"))
        .stderr(predicate::str::contains("--duplicate"));
}

#[test]
fn a_relay_says_which_faults_are_in_force_and_which_way_before_it_listens() {
    let target = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    let plain = relay("tcp", &target, &[]);
    let first =
        plain.wait_stderr(|line| line.starts_with("faults") || line.starts_with("listening on"));
    assert_eq!(first, "faults: none, bytes go straight through");
    let down = relay(
        "tcp",
        &target,
        &[
            "-q",
            "--latency",
            "100ms",
            "--slice",
            "64",
            "--direction",
            "down",
        ],
    );
    // The first of the two lines to come is the faults line.
    let first =
        down.wait_stderr(|line| line.starts_with("faults ") || line.starts_with("listening on"));
    assert_eq!(
        first,
        "faults up (client to target): none; down (target to client): latency 100ms, slice 64 bytes"
    );
    // UDP, both ways, as JSON too.
    let udp_target = Server::netdemo(&["-q", "udp", "serve", "-p", "0"]);
    let mut args = vec!["--json", "udp", "relay", "-p", "0", "--to"];
    let to = format!("127.0.0.1:{}", udp_target.port());
    args.push(&to);
    args.extend(["--loss", "20", "--jitter", "5ms", "--direction", "both"]);
    let udp = Server::netdemo(&args);
    let event = support::json_line(&udp.next_line(), "the first JSON line");
    assert_eq!(event["event"], "faults", "{event}");
    assert_eq!(event["up"], "latency up to 5ms, loss 20%");
    assert_eq!(event["down"], "latency up to 5ms, loss 20%");
}
