//! `tcp relay --framing ... --fail-requests/--hold-requests` against real services (redis
//! with redis-cli and netdemo's pipelined load, nginx with curl, a Python line server), and
//! the byte faults that break a stream on purpose (`--drop-chunks`, `--corrupt`,
//! `--blackhole`), each checked from the client's side.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::{Nginx, Redis, Server, installed, json_run, netdemo, python3};

/// A relay from a free port to `port` on loopback, with `args`.
fn relay(port: u16, args: &[&str]) -> Server {
    let to = format!("127.0.0.1:{port}");
    let mut all = vec!["tcp", "relay", "-p", "0", "--to", &to];
    all.extend_from_slice(args);
    Server::netdemo(&all)
}

#[test]
fn redis_gets_every_third_command_answered_by_the_relay_in_its_turn() {
    let Some(redis) = Redis::start("resp fail") else {
        return;
    };
    let relay = relay(redis.port, &["--framing", "resp", "--fail-requests", "3"]);
    assert_eq!(
        relay.wait_stderr(|line| line.starts_with("faults")),
        "faults up (client to target): every 3rd request answered by the relay; \
         down (target to client): none"
    );
    if installed("redis-cli", &["--version"]) {
        let mut cli = Command::new("redis-cli")
            .args(["-p", &relay.port()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        cli.stdin
            .take()
            .unwrap()
            .write_all(b"SET k 1\nINCR k\nINCR k\nGET k\nPING\nGET k\n")
            .unwrap();
        let output = cli.wait_with_output().unwrap();
        let lines: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        // redis-cli's own COMMAND DOCS is the connection's first request, so ours are the
        // 2nd to 7th: the 3rd (the first INCR) and the 6th (PING) never reached redis.
        assert_eq!(
            lines,
            [
                "OK",
                "ERR netdemo relay: injected failure",
                "2",
                "2",
                "ERR netdemo relay: injected failure",
                "2"
            ],
            "{output:?}"
        );
    }
    // Inline commands (plain lines, as redis-benchmark's PING_INLINE sends them) count
    // as requests too.
    let mut stream = TcpStream::connect(relay.addr).unwrap();
    stream.set_read_timeout(Some(support::DEADLINE)).unwrap();
    stream.write_all(b"PING\r\nPING\r\nPING\r\n").unwrap();
    let wanted = b"+PONG\r\n+PONG\r\n-ERR netdemo relay: injected failure\r\n";
    let mut got = vec![0u8; wanted.len()];
    stream.read_exact(&mut got).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(wanted)
    );
    // Pipelined, 8 in flight: every reply still meets its own request.
    let report = pings(&relay.port(), "300", "8");
    assert_eq!(report["requests"], 300, "{report}");
    assert_eq!(report["error_replies"], 100, "{report}");
}

#[test]
fn nginx_behind_the_relay_answers_503_to_every_other_request_of_a_connection() {
    let Some(nginx) = Nginx::start("http fail") else {
        return;
    };
    if !installed("curl", &["--version"]) {
        return;
    }
    let relay = relay(nginx.port, &["--framing", "http", "--fail-requests", "2"]);
    let url = format!("http://127.0.0.1:{}/", relay.port());
    // One curl, one connection, four requests on it.
    let output = Command::new("curl")
        .args(["-s", "-w", "%{http_code} %{num_connects}\n"])
        .args(["-o", "/dev/null", &url].repeat(4))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "200 1\n503 0\n200 0\n503 0\n",
        "{output:?}"
    );
    let body = Command::new("curl")
        .args(["-s", &url, &url])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&body.stdout),
        "hello from nginx\nnetdemo relay: injected failure\n"
    );
    // HEAD: a response without a body, whatever its Content-Length says, both nginx's
    // and the relay's.
    let heads = Command::new("curl")
        .args(["-s", "-I", "-w", "%{http_code}\n", "-o", "/dev/null"])
        .args([&url, "-o", "/dev/null", &url, "-o", "/dev/null", &url])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&heads.stdout),
        "200\n503\n200\n",
        "{heads:?}"
    );
}

#[test]
fn a_held_reply_stalls_the_connection_and_a_line_service_gets_the_reply_given() {
    if python3("line faults").is_none() {
        return;
    }
    let target = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    let relay = relay(
        target.addr.port(),
        &[
            "--framing",
            "line",
            "--fail-requests",
            "3",
            "--fail-reply",
            "ERR busy",
            "--hold-requests",
            "5",
        ],
    );
    let mut stream = TcpStream::connect(relay.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(700)))
        .unwrap();
    let mut replies = Vec::new();
    let mut line = Vec::new();
    for n in 1..=5 {
        stream.write_all(format!("line {n}\n").as_bytes()).unwrap();
        line.clear();
        let mut byte = [0u8; 1];
        let reply = loop {
            match stream.read(&mut byte) {
                Ok(1) if byte[0] == b'\n' => {
                    break Some(String::from_utf8_lossy(&line).into_owned());
                }
                Ok(1) => line.push(byte[0]),
                _ => break None,
            }
        };
        replies.push(reply);
    }
    // The third is answered by the relay; the fifth is held (it went to the echo server,
    // its echo did not come back); the others are echoed.
    let replies: Vec<Option<&str>> = replies.iter().map(Option::as_deref).collect();
    assert_eq!(
        replies,
        [
            Some("line 1"),
            Some("line 2"),
            Some("ERR busy"),
            Some("line 4"),
            None
        ]
    );
}

#[test]
fn byte_faults_break_the_stream_as_asked() {
    if python3("byte faults").is_none() {
        return;
    }
    let target = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    let round = |relay: &Server, data: &[u8]| {
        let mut stream = TcpStream::connect(relay.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(700)))
            .unwrap();
        stream.write_all(data).unwrap();
        let mut got = vec![0u8; data.len()];
        let mut have = 0;
        while have < got.len() {
            match stream.read(&mut got[have..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => have += n,
            }
        }
        got.truncate(have);
        got
    };
    // Every chunk coming back has one byte flipped: same length, not the same bytes.
    let corrupt = relay(target.addr.port(), &["--corrupt", "100%"]);
    let back = round(&corrupt, b"hello, corruption");
    assert_eq!(back.len(), 17);
    assert_ne!(back, b"hello, corruption");
    assert_eq!(
        back.iter()
            .zip(b"hello, corruption")
            .filter(|(a, b)| a != b)
            .count(),
        1
    );
    // Every chunk going up is dropped: the echo server never sees it.
    let dropped = relay(
        target.addr.port(),
        &["--drop-chunks", "100%", "--direction", "up"],
    );
    dropped.wait_stderr(|line| line.contains("the stream breaks"));
    assert!(round(&dropped, b"gone").is_empty());
    // A black-holed connection: nothing comes back, and the relay does not close it.
    let hole = relay(target.addr.port(), &["--blackhole", "100%"]);
    assert!(round(&hole, b"anyone?").is_empty());
}

#[test]
fn protocol_faults_are_refused_where_they_cannot_work() {
    for (args, wanted) in [
        (&["--fail-requests", "3"][..], "--framing"),
        (&["--framing", "resp"], "give one of them"),
        (
            &["--framing", "raw", "--fail-requests", "3"],
            "no requests to count",
        ),
        (
            &["--framing", "resp", "--fail-requests", "0"],
            "take no request",
        ),
        (
            &["--framing", "resp", "--fail-requests", "0%"],
            "take no request",
        ),
        (&["--framing", "resp", "--fail-requests", "x"], "neither"),
        (
            &[
                "--framing",
                "line",
                "--fail-requests",
                "2",
                "--fail-reply",
                "a\nb",
            ],
            "one line",
        ),
    ] {
        let mut all = vec!["tcp", "relay", "-p", "0", "--to", "127.0.0.1:1"];
        all.extend_from_slice(args);
        let assert = netdemo().args(&all).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(wanted), "{args:?}: {stderr}");
    }
}

#[test]
fn protocol_faults_act_on_the_relay_of_to_only() {
    netdemo()
        .args([
            "tcp",
            "relay",
            "--api",
            "0",
            "--framing",
            "resp",
            "--fail-requests",
            "3",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("act on the relay of --to"));
}

#[test]
fn protocol_faults_and_byte_faults_combine() {
    let Some(redis) = Redis::start("resp fail with latency") else {
        return;
    };
    let relay = relay(
        redis.port,
        &[
            "--framing",
            "resp",
            "--fail-requests",
            "2",
            "--latency",
            "30ms",
        ],
    );
    assert_eq!(
        relay.wait_stderr(|line| line.starts_with("faults")),
        "faults up (client to target): every 2nd request answered by the relay; \
         down (target to client): latency 30ms"
    );
    let report = pings(&relay.port(), "40", "4");
    assert_eq!(report["requests"], 40, "{report}");
    assert_eq!(report["error_replies"], 20, "{report}");
    // Every reply waited for the latency: the relay's own ones come in their turn, after
    // the delayed reply ahead of them.
    assert!(
        report["latency_us"]["min"].as_u64().unwrap() >= 30_000,
        "{report}"
    );
}

/// A load of `n` PINGs on one connection through `port`, `pipeline` in flight: its
/// report.
fn pings(port: &str, n: &str, pipeline: &str) -> serde_json::Value {
    let run = json_run(&[
        "tcp",
        "connect",
        "-p",
        port,
        "--mode",
        "request",
        "--framing",
        "resp",
        "--pipeline",
        pipeline,
        "-n",
        n,
        "-c",
        "1",
        "PING",
    ]);
    run.first().clone()
}

#[test]
fn the_api_adds_and_removes_protocol_faults_as_toxics() {
    let Some(redis) = Redis::start("protocol toxics") else {
        return;
    };
    let relay = relay(redis.port, &["--framing", "resp", "--api", "127.0.0.1:0"]);
    let line = relay.wait_stderr(|line| line.starts_with("api on http://"));
    let api = line["api on http://".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let call = |method: &str, path: &str, body: &str| {
        let output = Command::new("curl")
            .args(["-s", "-w", "\n%{http_code}", "-X", method, "-d", body])
            .arg(format!("http://{api}{path}"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    if !installed("curl", &["--version"]) {
        return;
    }
    assert_eq!(pings(&relay.port(), "20", "4")["error_replies"], 0);
    let added = call(
        "POST",
        "/proxies/default/toxics",
        r#"{"type": "fail_requests", "attributes": {"every": 2}}"#,
    );
    assert!(added.ends_with("\n200"), "{added}");
    relay.wait_stderr(|line| line.contains("every 2nd request answered by the relay"));
    assert_eq!(pings(&relay.port(), "20", "4")["error_replies"], 10);
    let removed = call(
        "DELETE",
        "/proxies/default/toxics/fail_requests_downstream",
        "",
    );
    assert!(removed.ends_with("204"), "{removed}");
    assert_eq!(pings(&relay.port(), "20", "4")["error_replies"], 0);
    // A relay made through the API reads no requests: the toxic is refused.
    let made = call(
        "POST",
        "/proxies",
        &format!(
            r#"{{"name": "plain", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:{}"}}"#,
            redis.port
        ),
    );
    assert!(made.ends_with("\n201"), "{made}");
    let refused = call(
        "POST",
        "/proxies/plain/toxics",
        r#"{"type": "hold_requests", "attributes": {"percent": 50}}"#,
    );
    assert!(refused.ends_with("\n400"), "{refused}");
    assert!(refused.contains("--framing"), "{refused}");
}
