//! `--mode` and `--framing` against Python peers netdemo did not write
//! (`tests/peers/framing_client.py`, `tests/peers/service_client.py`), over IPv4 and IPv6.

mod support;

use std::process::Command;

use support::{Server, ipv6_available, netdemo, peer, python3};

/// Runs a Python peer script against `server` and returns its stdout lines.
fn run_peer(script: &str, kind: &str, server: &Server, extra: &[&str]) -> Vec<String> {
    let output = Command::new("python3")
        .arg(peer(script))
        .arg(kind)
        .args([server.addr.ip().to_string(), server.port()])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{script} {kind} against {}: {}",
        server.addr,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The loopback hosts to test on: IPv4 always, IPv6 where `::1` can be bound.
fn hosts(test: &str) -> Vec<&'static str> {
    let mut hosts = vec!["127.0.0.1"];
    if ipv6_available(test) {
        hosts.push("::1");
    }
    hosts
}

#[test]
fn line_and_length_framing_against_a_python_client() {
    if python3("line_and_length_framing_against_a_python_client").is_none() {
        return;
    }
    for host in hosts("line_and_length_framing") {
        for framing in ["line", "length"] {
            let server = Server::netdemo(&[
                "tcp",
                "serve",
                "--host",
                host,
                "-p",
                "0",
                "--framing",
                framing,
            ]);
            let lines = run_peer("framing_client.py", framing, &server, &[]);
            assert_eq!(
                lines,
                [
                    "b'Hello, I am server!'",
                    "b'Loop_Msg: one!'",
                    "b'Loop_Msg: two!'",
                    "b'Loop_Msg: three!'",
                    "closed"
                ],
                "{framing} on {host}"
            );
            // The delimiter or prefix is not part of the message.
            for wanted in ["-->>one", "-->>two", "-->>three"] {
                assert_eq!(server.next_line(), wanted, "{framing} on {host}");
            }
        }
    }
}

#[test]
fn an_oversized_frame_closes_that_connection_only() {
    if python3("an_oversized_frame_closes_that_connection_only").is_none() {
        return;
    }
    for framing in ["line", "length"] {
        let server = Server::netdemo(&[
            "tcp",
            "serve",
            "-p",
            "0",
            "--framing",
            framing,
            "--max-frame",
            "64",
        ]);
        // 4096 bytes with no newline (line), or a length prefix of 0x78787878 (length).
        let lines = run_peer("framing_client.py", "oversize", &server, &["4096"]);
        assert_eq!(lines, ["closed"], "{framing}");
        // The server logged why, naming the peer, and still serves everyone else.
        let next = run_peer("framing_client.py", framing, &server, &[]);
        assert_eq!(
            next.last().map(String::as_str),
            Some("closed"),
            "{framing}: {next:?}"
        );
        assert_eq!(next.len(), 5, "{framing}: {next:?}");
        let (_, stderr) = server.stop(nix::sys::signal::Signal::SIGTERM);
        assert!(
            stderr
                .iter()
                .any(|l| l.contains("frame larger than --max-frame (64 bytes)")
                    && l.contains("peer=127.0.0.1:")),
            "{framing}: {stderr:?}"
        );
    }
}

#[test]
fn netdemo_client_and_server_agree_on_every_framing() {
    for host in hosts("netdemo_client_and_server_agree_on_every_framing") {
        for framing in ["raw", "line", "length"] {
            let server = Server::netdemo(&[
                "tcp",
                "serve",
                "--host",
                host,
                "-p",
                "0",
                "--framing",
                framing,
            ]);
            let mut connect = netdemo();
            connect.args([
                "tcp",
                "connect",
                "--host",
                host,
                "-p",
                &server.port(),
                "--framing",
                framing,
            ]);
            let mut expected = "-->>Hello, I am server!\n-->>Loop_Msg: a b!\n".to_owned();
            connect.arg("a b");
            if framing == "length" {
                // Binary-safe: a newline inside a message survives.
                connect.args(["-e", "hex", "610a62"]);
                expected = format!(
                    "-->>{}\n-->>{}\n",
                    hex(b"Hello, I am server!"),
                    hex(b"Loop_Msg: a b!")
                ) + &format!("-->>{}\n", hex(b"Loop_Msg: a\nb!"));
                connect = netdemo();
                connect.args([
                    "tcp",
                    "connect",
                    "--host",
                    host,
                    "-p",
                    &server.port(),
                    "--framing",
                    framing,
                    "-e",
                    "hex",
                    &hex(b"a b"),
                    "610a62",
                ]);
            }
            connect.assert().success().stdout(expected);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn tcp_echo_discard_chargen_against_python_clients() {
    if python3("tcp_echo_discard_chargen_against_python_clients").is_none() {
        return;
    }
    for host in hosts("tcp_echo_discard_chargen") {
        let echo = Server::netdemo(&[
            "-q", "tcp", "serve", "--host", host, "-p", "0", "--mode", "echo",
        ]);
        assert_eq!(
            run_peer("service_client.py", "tcp-echo", &echo, &["262144"]),
            ["echoed 262144 bytes, identical"],
            "{host}"
        );
        // Discard shows what arrives, in the chosen framing: here one line per message.
        let discard = Server::netdemo(&[
            "tcp",
            "serve",
            "--host",
            host,
            "-p",
            "0",
            "--mode",
            "discard",
            "--framing",
            "line",
        ]);
        assert_eq!(
            run_peer("service_client.py", "tcp-discard", &discard, &[]),
            ["got 0 bytes back"]
        );
        for _ in 0..100 {
            assert_eq!(discard.next_line(), "-->>thrown away");
        }
        let chargen = Server::netdemo(&[
            "tcp", "serve", "--host", host, "-p", "0", "--mode", "chargen",
        ]);
        for _ in 0..2 {
            // Twice: a client that leaves mid-stream does not stop the server.
            assert_eq!(
                run_peer("service_client.py", "tcp-chargen", &chargen, &[]),
                ["chargen matches"]
            );
        }
    }
}

#[test]
fn udp_echo_discard_chargen_against_python_clients() {
    if python3("udp_echo_discard_chargen_against_python_clients").is_none() {
        return;
    }
    for host in hosts("udp_echo_discard_chargen") {
        let run = |mode: &str, kind: &str| {
            let server =
                Server::netdemo(&["udp", "serve", "--host", host, "-p", "0", "--mode", mode]);
            run_peer("service_client.py", kind, &server, &[])
        };
        assert_eq!(run("echo", "udp-echo"), ["reply b'ping'"], "{host}");
        assert_eq!(run("discard", "udp-discard"), ["no reply"], "{host}");
        assert_eq!(
            run("chargen", "udp-chargen"),
            ["chargen 444 bytes, matches"],
            "{host}"
        );
    }
}
