//! UDP request loads (`udp send --mode request` with a load flag): many sockets, a window
//! of requests in flight matched by an ID, DNS against dnsmasq, and losses counted as
//! errors, against peers netdemo did not write.

mod support;

use std::process::{Command, Stdio};

use serde_json::Value;
use support::{Reaped, Server, json_run, netdemo, python3};

/// Each command exits 2 with its message.
fn all_refused(cases: &[(&[&str], &str)]) {
    for (args, message) in cases {
        netdemo()
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*message));
    }
}

/// `netdemo udp relay` in front of `target`, with these faults.
fn udp_relay(target: &Server, faults: &[&str]) -> Server {
    let to = target.addr.to_string();
    Server::netdemo(&[&["-q", "udp", "relay", "-p", "0", "--to", &to][..], faults].concat())
}

/// The report of a run that succeeded with `requests` answered and no error.
fn answered_every_request(run: support::JsonRun, requests: u64) -> Value {
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let report = run.first().clone();
    assert_eq!(report["requests"], requests, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    report
}

#[test]
fn replies_out_of_order_are_matched_by_their_id() {
    if python3("replies_out_of_order_are_matched_by_their_id").is_none() {
        return;
    }
    let server = Server::python("udp_reorder.py", &["127.0.0.1", "0"]);
    let port = server.port();
    // The ID is the first two bytes; the server echoes each datagram, newest first.
    let run = json_run(&[
        "udp",
        "send",
        "-p",
        &port,
        "--mode",
        "request",
        "-c",
        "2",
        "--pipeline",
        "4",
        "--match-id",
        "0:2",
        "-n",
        "400",
        "--timeout",
        "2s",
        "IDxx-request",
    ]);
    let report = answered_every_request(run, 400);
    assert_eq!(report["connections"], 2, "{report}");
    // Without the ID, replies out of order would be taken for the wrong requests: a
    // window above one is refused.
    netdemo()
        .args([
            "udp",
            "send",
            "-p",
            &port,
            "--mode",
            "request",
            "--pipeline",
            "4",
        ])
        .args(["-n", "10", "IDxx"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--pipeline 4 needs --match-id OFFSET:LEN or --preset dns",
        ));
}

/// dnsmasq on a free loopback port, answering `example.test` itself and refusing the
/// rest (no upstream), once it has said it started (which it logs after binding); `None`
/// where it is not installed.
fn dnsmasq() -> Option<(Reaped, String)> {
    let port = support::free_port().to_string();
    // Debian puts it in /usr/sbin, which a non-root PATH may lack.
    let program = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"]
        .into_iter()
        .find(|path| std::path::Path::new(path).exists())
        .unwrap_or("dnsmasq");
    let child = Command::new(program)
        .args([
            "--keep-in-foreground",
            "--log-facility=-",
            &format!("--port={port}"),
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            "--no-resolv",
            "--no-hosts",
            "--conf-file=/dev/null",
            "--pid-file=",
            "--address=/example.test/10.0.0.1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => Reaped(child),
        Err(err) => {
            eprintln!("skipping: dnsmasq cannot be started ({err}); .ci/run installs it");
            return None;
        }
    };
    let log = support::lines(child.0.stderr.take().unwrap());
    let started = std::iter::from_fn(|| log.recv_timeout(support::DEADLINE).ok())
        .any(|line| line.contains("started, version"));
    assert!(started, "dnsmasq did not start on port {port}");
    Some((child, port))
}

#[test]
fn the_dns_preset_loads_dnsmasq_and_checks_each_answer() {
    let Some((_dnsmasq, port)) = dnsmasq() else {
        return;
    };
    let run = json_run(&[
        "udp",
        "send",
        "-p",
        &port,
        "--mode",
        "request",
        "--dns-query",
        "example.test",
        "A",
        "-c",
        "4",
        "--pipeline",
        "8",
        "-n",
        "2000",
    ]);
    let report = answered_every_request(run, 2000);
    assert_eq!(report["mode"], "udp request", "{report}");
    // A name dnsmasq refuses (no upstream): answered, but not NOERROR.
    let run = json_run(&[
        "udp",
        "send",
        "-p",
        &port,
        "--mode",
        "request",
        "--preset",
        "dns",
        "-n",
        "50",
        "--pipeline",
        "4",
        "-e",
        "hex",
        "00 00 01 00 00 01 00 00 00 00 00 00 07 6e 6f 74 68 65 72 65 07 69 6e \
         76 61 6c 69 64 00 00 01 00 01",
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let report = run.first();
    assert_eq!(report["errors_by_kind"]["wrong_reply"], 50, "{report}");
    assert!(
        run.stderr
            .contains("expected a DNS response with RCODE 0 (NOERROR)"),
        "{}",
        run.stderr
    );
}

#[test]
fn datagrams_a_relay_drops_are_lost_errors_in_the_same_table() {
    let server = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "echo"]);
    let relay = udp_relay(&server, &["--loss", "30%", "--seed", "7"]);
    let port = relay.port();
    for extra in [
        &[
            "--mode",
            "request",
            "--match-id",
            "0:4",
            "--pipeline",
            "8",
            "seq-0001",
        ][..],
        &["--mode", "echo", "--rate", "2000"],
    ] {
        let run = json_run(
            &[
                &[
                    "udp",
                    "send",
                    "-p",
                    &port,
                    "-n",
                    "400",
                    "--timeout",
                    "300ms",
                ][..],
                extra,
            ]
            .concat(),
        );
        assert_eq!(run.code, Some(1), "{extra:?}: {}", run.stderr);
        let report: &Value = run.first();
        let lost = report["errors_by_kind"]["lost"].as_u64().unwrap();
        assert!(lost > 0, "{report}");
        assert_eq!(report["errors"], lost, "{report}");
        let answered = report["requests"].as_u64().unwrap();
        let in_flight = report["in_flight"].as_u64().unwrap();
        assert_eq!(answered + lost + in_flight, 400, "{report}");
        assert!(run.stderr.contains("datagrams lost"), "{}", run.stderr);
    }
}

#[test]
fn each_flag_is_refused_where_it_cannot_apply() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["udp", "send", "--dns-query", "example.test", "A"],
            "--dns-query does not apply to udp send --mode seed",
        ),
        (
            &["udp", "send", "--mode", "echo", "-c", "4", "-n", "1"],
            "-c/--connections does not apply to a UDP load run",
        ),
        (
            &[
                "udp",
                "send",
                "--mode",
                "request",
                "--match-id",
                "2:2",
                "-n",
                "1",
                "abc",
            ],
            "'abc' is 3 bytes: too short for the ID at 2:2",
        ),
        (
            &[
                "udp",
                "send",
                "--mode",
                "request",
                "--match-id",
                "0:1",
                "--pipeline",
                "300",
                "-n",
                "1",
                "abc",
            ],
            "--pipeline 300 is more than a 1-byte ID can tell apart (256 at most)",
        ),
        (
            &[
                "udp",
                "send",
                "--mode",
                "request",
                "--match-id",
                "0:9",
                "-n",
                "1",
                "abc",
            ],
            "the ID is 1 to 4 bytes long",
        ),
        (
            &[
                "udp",
                "send",
                "--mode",
                "request",
                "--dns-query",
                "example.test",
                "BOGUS",
            ],
            "unknown record type 'BOGUS'",
        ),
        (
            &[
                "udp",
                "send",
                "--mode",
                "request",
                "-n",
                "1",
                "@/nonexistent/query.bin",
            ],
            "@/nonexistent/query.bin: cannot read it",
        ),
    ];
    all_refused(cases);
}

#[test]
fn a_request_can_come_from_a_file() {
    let server = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "echo"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("query.bin");
    std::fs::write(&path, [0u8, 1, 2, 255, 254]).unwrap();
    let request = format!("@{}", path.display());
    let run = json_run(&[
        "udp",
        "send",
        "-p",
        &server.port(),
        "--mode",
        "request",
        "-n",
        "20",
        "-e",
        "hex",
        "--expect",
        "00 01 02 ff fe",
        &request,
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.first()["requests"], 20);
}

#[test]
fn a_server_on_several_sockets_answers_every_sender_and_keeps_its_port_to_itself() {
    let server = Server::netdemo(&["--json", "udp", "serve", "-p", "0", "--threads", "3"]);
    let listening = support::json_line(&server.next_line(), "udp serve --threads 3");
    assert_eq!(listening["threads"], 3, "{listening}");
    let port = server.port();
    // Sixteen senders, each its own source port: the kernel spreads them over the
    // sockets, and every one is answered.
    let senders: Vec<std::net::UdpSocket> = (0..16)
        .map(|_| {
            let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            socket
                .set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            socket.connect(server.addr).unwrap();
            socket
        })
        .collect();
    for (i, socket) in senders.iter().enumerate() {
        let data = format!("from {i}");
        socket.send(data.as_bytes()).unwrap();
        let mut reply = [0u8; 64];
        let got = socket.recv(&mut reply).unwrap();
        assert_eq!(&reply[..got], format!("Hello, {data}").as_bytes());
    }
    // SO_REUSEPORT lets sockets of one user share a port: a second server must still be
    // refused, not join the first.
    netdemo()
        .args(["udp", "serve", "-p", &port, "--threads", "2"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("address already in use"));
    netdemo()
        .args([
            "udp",
            "serve",
            "-p",
            "0",
            "--mode",
            "stdio",
            "--threads",
            "2",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--threads does not apply to udp serve --mode stdio",
        ));
}

/// `udp send --mode send` as JSON lines: the summary (the last line) and the exit status.
fn one_way(port: &str, extra: &[&str]) -> (Option<i32>, Value, String) {
    let output = netdemo()
        .args(["--json", "udp", "send", "-p", port, "--mode", "send"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    // Every line is checked against the schema; the summary is the last.
    let last = stdout
        .lines()
        .map(|line| support::json_line(line, &stderr))
        .collect::<Vec<_>>()
        .pop()
        .unwrap_or_else(|| panic!("no summary; stderr: {stderr}"));
    (output.status.code(), last, stderr)
}

#[test]
fn one_way_throughput_counts_what_arrived_and_what_a_relay_dropped() {
    let sink = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "discard"]);
    let (code, summary, stderr) = one_way(
        &sink.port(),
        &["-n", "2000", "--size", "500", "--bitrate", "8M"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(summary["event"], "summary", "{summary}");
    assert_eq!(summary["datagrams"], 2000, "{summary}");
    assert_eq!(summary["received"], 2000, "{summary}");
    assert_eq!(summary["lost"], 0, "{summary}");
    assert_eq!(summary["bytes"], 2000 * 500, "{summary}");
    // Paced: 8 Mbit at 8 Mbit/s takes about a second, never a burst.
    assert!(summary["end_s"].as_f64().unwrap() >= 0.9, "{summary}");

    // Through a relay dropping 5% of what it carries, the receiver's count shows it.
    let relay = udp_relay(&sink, &["--loss", "5%", "--direction", "up", "--seed", "3"]);
    let (code, summary, stderr) = one_way(
        &relay.port(),
        &[
            "-n",
            "2000",
            "--size",
            "200",
            "--bitrate",
            "16M",
            "--timeout",
            "300ms",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let (sent, received, lost) = (
        summary["datagrams"].as_u64().unwrap(),
        summary["received"].as_u64().unwrap(),
        summary["lost"].as_u64().unwrap(),
    );
    assert_eq!((sent, received + lost), (2000, 2000), "{summary}");
    let pct = summary["loss_pct"].as_f64().unwrap();
    assert!(
        (2.0..9.0).contains(&pct),
        "5% asked, {pct}% lost: {summary}"
    );
}

#[test]
fn one_way_to_a_receiver_that_keeps_no_count_says_loss_is_unknown() {
    let echo = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "echo"]);
    let (code, summary, stderr) = one_way(&echo.port(), &["-n", "50", "--timeout", "100ms"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(summary["datagrams"], 50, "{summary}");
    assert!(summary.get("received").is_none(), "{summary}");
    assert!(stderr.contains("loss is unknown"), "{stderr}");
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "udp",
                "send",
                "--mode",
                "echo",
                "--bitrate",
                "1M",
                "-n",
                "1",
            ],
            "--bitrate does not apply",
        ),
        (
            &["udp", "send", "--mode", "send", "hello"],
            "a data argument does not apply to udp send --mode send",
        ),
        (
            &["udp", "send", "--mode", "send", "--size", "8"],
            "--size 8: a one-way datagram is 16",
        ),
        (
            &["udp", "send", "--mode", "send", "--bitrate", "fast"],
            "expected bits per second",
        ),
    ];
    all_refused(cases);
}

#[test]
fn one_way_receive_streams_from_a_source_and_counts_what_arrived() {
    let source = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "source"]);
    let output = netdemo()
        .args([
            "--json",
            "udp",
            "send",
            "-p",
            &source.port(),
            "--mode",
            "receive",
        ])
        .args(["--bitrate", "8M", "--size", "1000", "-d", "1s"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let summary = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| support::json_line(line, &stderr))
        .collect::<Vec<_>>()
        .pop()
        .unwrap();
    assert_eq!(summary["direction"], "receive", "{summary}");
    // 8 Mbit/s of 1000-byte datagrams for a second: about a thousand, as the source said.
    let sent = summary["datagrams"].as_u64().unwrap();
    assert!((900..=1100).contains(&sent), "{summary}");
    let received = summary["received"].as_u64().unwrap();
    assert_eq!(
        received + summary["lost"].as_u64().unwrap(),
        sent,
        "{summary}"
    );
    assert!(
        received * 100 >= sent * 99,
        "loopback at 8 Mbit/s: {summary}"
    );
    netdemo()
        .args(["udp", "send", "--mode", "receive", "-n", "10"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("-n does not apply"));
}

#[test]
fn one_way_counts_duplicates_and_reordering_a_relay_makes() {
    let sink = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "discard"]);
    let relay = udp_relay(
        &sink,
        &[
            "--duplicate",
            "10%",
            "--reorder",
            "10%",
            "--direction",
            "up",
            "--seed",
            "5",
        ],
    );
    let (code, summary, stderr) = one_way(
        &relay.port(),
        &[
            "-n",
            "1000",
            "--size",
            "200",
            "--bitrate",
            "8M",
            "--timeout",
            "300ms",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    // Every datagram arrived once at least: duplicates are counted apart, not as more.
    assert_eq!(summary["received"], 1000, "{summary}");
    assert_eq!(summary["lost"], 0, "{summary}");
    let duplicates = summary["duplicates"].as_u64().unwrap();
    let reordered = summary["reordered"].as_u64().unwrap();
    assert!((40..=200).contains(&duplicates), "10% asked: {summary}");
    assert!((40..=200).contains(&reordered), "10% asked: {summary}");
}
