//! Throughput runs (`tcp connect --mode send|receive`, `tcp serve --mode source`) against
//! peers netdemo did not write (a Python sink and source) and its own servers. They assert
//! on bytes moved, never on speed.

mod support;

use predicates::prelude::*;
use serde_json::Value;
use support::{Server, netdemo, python3};

/// The JSON lines of a run that must succeed.
fn json_lines(args: &[&str]) -> Vec<Value> {
    support::json_run(args).succeeded()
}

fn summary(lines: &[Value]) -> &Value {
    let last = lines.last().unwrap();
    assert_eq!(last["event"], "summary", "{lines:?}");
    last
}

#[test]
fn send_moves_exactly_n_bytes_into_a_sink_netdemo_did_not_write() {
    if python3("byte sink").is_none() {
        return;
    }
    let sink = Server::python("byte_sink.py", &["127.0.0.1", "0"]);
    let lines = json_lines(&[
        "tcp",
        "connect",
        "--mode",
        "send",
        "-p",
        &sink.port(),
        "-n",
        "5M",
        "-c",
        "3",
    ]);
    assert_eq!(summary(&lines)["bytes"], 5 << 20);
    assert_eq!(summary(&lines)["streams"], 3);
    let got: u64 = (0..3)
        .map(|_| sink.next_line().parse::<u64>().unwrap())
        .sum();
    assert_eq!(got, 5 << 20);
}

#[test]
fn receive_reads_a_source_to_its_end_or_exactly_n_bytes() {
    if python3("byte source").is_none() {
        return;
    }
    let source = Server::python("byte_source.py", &["127.0.0.1", "0", "1048576"]);
    // No bound: until the server ends the stream.
    let lines = json_lines(&["tcp", "connect", "--mode", "receive", "-p", &source.port()]);
    assert_eq!(summary(&lines)["bytes"], 1 << 20);
    let lines = json_lines(&[
        "tcp",
        "connect",
        "--mode",
        "receive",
        "-p",
        &source.port(),
        "-n",
        "300K",
    ]);
    assert_eq!(summary(&lines)["bytes"], 300 << 10);
    // More than the server sends: the run fails and says how much came.
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "receive",
            "-p",
            &source.port(),
            "-n",
            "2M",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "after 1048576 of the 2097152 bytes",
        ));
}

#[test]
fn netdemos_own_source_and_discard_servers_serve_several_streams() {
    let source = Server::netdemo(&["tcp", "serve", "-p", "0", "-q", "--mode", "source"]);
    let lines = json_lines(&[
        "tcp",
        "connect",
        "--mode",
        "receive",
        "-p",
        &source.port(),
        "-n",
        "64M",
        "-c",
        "4",
    ]);
    assert_eq!(summary(&lines)["bytes"], 64 << 20);
    let discard = Server::netdemo_with(
        &["tcp", "serve", "-p", "0", "-q", "--mode", "discard"],
        std::process::Stdio::null(),
        Some(std::process::Stdio::null()),
    );
    let lines = json_lines(&[
        "tcp",
        "connect",
        "--mode",
        "send",
        "-p",
        &discard.port(),
        "-d",
        "1500ms",
        "-c",
        "2",
    ]);
    let intervals: Vec<&Value> = lines.iter().filter(|l| l["event"] == "interval").collect();
    assert!(!intervals.is_empty(), "{lines:?}");
    for interval in &intervals {
        assert!(interval["bits_per_s"].as_f64().unwrap() > 0.0, "{interval}");
        assert!(interval["rtt_us"].is_u64(), "{interval}");
    }
    let total = summary(&lines)["bytes"].as_u64().unwrap();
    assert!(
        total
            >= intervals
                .iter()
                .map(|i| i["bytes"].as_u64().unwrap())
                .sum::<u64>()
    );
}

#[test]
fn a_server_that_sends_nothing_fails_a_receive_run() {
    let discard = Server::netdemo(&["tcp", "serve", "-p", "0", "-q", "--mode", "discard"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "receive",
            "-p",
            &discard.port(),
            "-d",
            "500ms",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no byte moved"))
        .stderr(predicate::str::contains("--mode source"));
}

#[test]
fn flags_that_cannot_apply_to_a_throughput_run_are_refused() {
    for (args, says) in [
        (vec!["--mode", "send", "hello"], "a message argument"),
        (vec!["--mode", "send", "--rate", "100"], "--rate"),
        (vec!["--mode", "receive", "--framing", "line"], "--framing"),
        (vec!["--mode", "send", "-n", "0"], "whole number"),
        (vec!["--mode", "send", "-d", "0s"], "would move nothing"),
    ] {
        netdemo()
            .args(["tcp", "connect", "-p", "9"])
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn reconnect_gives_each_request_a_connection_of_its_own() {
    if python3("reconnect").is_none() {
        return;
    }
    // The tutorial's own server (a thread per client, no sleep), which greets each one.
    let server = Server::python("tutorial_tcp_server.py", &["127.0.0.1", "0", "0"]);
    let lines = json_lines(&[
        "tcp",
        "connect",
        "-p",
        &server.port(),
        "--reconnect",
        "-n",
        "60",
        "-c",
        "3",
    ]);
    let report = &lines[0];
    assert_eq!(report["requests"], 60, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    assert_eq!(report["connections_made"], 60, "{report}");
    assert!(
        report["connections_per_s"].as_f64().unwrap() > 0.0,
        "{report}"
    );
    assert!(report["connect_us"]["p50"].is_u64(), "{report}");
    netdemo()
        .args([
            "tcp",
            "connect",
            "-p",
            &server.port(),
            "--reconnect",
            "--pipeline",
            "4",
        ])
        .args(["--framing", "line", "-n", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to pipeline"));
}

#[test]
fn a_source_that_stalls_ends_the_run_at_timeout_naming_the_bytes_that_arrived() {
    if python3("byte source").is_none() {
        return;
    }
    let source = Server::python("byte_source.py", &["127.0.0.1", "0", "100000", "stall"]);
    netdemo()
        .args(["tcp", "connect", "--mode", "receive", "-n", "10M"])
        .args(["--timeout", "500ms", "-p", &source.port()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "stalled after 100000 of the 10485760 bytes asked for (-n) arrived: nothing moved \
             for 500ms (--timeout)",
        ));
}
