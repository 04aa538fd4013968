//! The command-line contract of `tcp serve` and `tcp connect`, through the real binary:
//! output streams, exit statuses, signals, encodings and one-line errors.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread;

use nix::sys::signal::Signal;
use predicates::prelude::*;
use support::{DEADLINE, Server, free_port, netdemo};

/// A user mistake ends with exactly one `Error:` line on stderr and no panic or backtrace.
fn assert_one_error_line(stderr: &[u8], wanted: &str) {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {text}");
    assert!(lines[0].starts_with("Error: "), "{text}");
    assert!(lines[0].contains(wanted), "expected {wanted:?} in: {text}");
    assert!(
        !text.contains("panicked") && !text.contains("Backtrace"),
        "{text}"
    );
}

#[test]
fn connect_shows_greeting_and_each_reply_then_exits_zero() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--port",
            &server.port(),
            "one",
            "two words",
        ])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: one!\n-->>Loop_Msg: two words!\n")
        .stderr("");
    assert_eq!(server.next_line(), "-->>one");
    assert_eq!(server.next_line(), "-->>two words");
}

#[test]
fn an_explicit_exit_ends_the_conversation_without_waiting_for_a_reply() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--port",
            &server.port(),
            "one",
            "exit",
            "never",
        ])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: one!\n")
        .stderr(predicate::str::contains(
            "not sending 1 message(s) after exit",
        ));
    assert_eq!(server.next_line(), "-->>one");
}

#[test]
fn error_empty_message() {
    let out = netdemo()
        .args(["tcp", "connect", "--port", &free_port().to_string(), ""])
        .assert()
        .code(2);
    assert_one_error_line(&out.get_output().stderr, "cannot send an empty message");
}

#[test]
fn listening_line_survives_quiet_and_status_does_not() {
    let server = Server::netdemo(&["-q", "tcp", "serve", "--port", "0"]);
    netdemo()
        .args(["tcp", "connect", "--port", &server.port()])
        .assert()
        .success();
    assert_eq!(server.next_line(), "-->>Hello, I am a client");
    let (status, stderr) = server.stop(Signal::SIGINT);
    assert!(status.success(), "{status:?}");
    assert_eq!(stderr.len(), 1, "{stderr:?}");
    assert!(
        stderr[0].starts_with("listening on 127.0.0.1:"),
        "{stderr:?}"
    );
}

#[test]
fn status_goes_to_stderr_without_quiet() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    netdemo()
        .args(["tcp", "connect", "--port", &server.port()])
        .assert()
        .success();
    assert_eq!(server.next_line(), "-->>Hello, I am a client");
    let (_, stderr) = server.stop(Signal::SIGTERM);
    assert!(
        stderr
            .iter()
            .any(|l| l.starts_with("Accept new connection from 127.0.0.1:")),
        "{stderr:?}"
    );
}

#[test]
fn sigint_and_sigterm_stop_the_servers_with_status_zero() {
    for (transport, signal) in [
        ("tcp", Signal::SIGINT),
        ("tcp", Signal::SIGTERM),
        ("udp", Signal::SIGINT),
        ("udp", Signal::SIGTERM),
    ] {
        let server = Server::netdemo(&[transport, "serve", "--port", "0"]);
        let (status, stderr) = server.stop(signal);
        assert_eq!(status.code(), Some(0), "{transport} {signal}: {stderr:?}");
        assert!(stderr.iter().any(|l| l == "shutting down"), "{stderr:?}");
        assert!(!stderr.iter().any(|l| l.contains("panicked")), "{stderr:?}");
    }
}

#[test]
fn sigint_closes_connected_clients() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut greeting = [0; 19];
    client.read_exact(&mut greeting).unwrap();
    let (status, _) = server.stop(Signal::SIGINT);
    assert!(status.success());
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
}

#[test]
fn server_stops_quietly_when_stdout_is_closed() {
    let mut server = Server::netdemo_stdout_closed(&["tcp", "serve", "--port", "0"]);
    // The reply does not depend on stdout; showing the message finds it closed.
    netdemo()
        .args(["tcp", "connect", "--port", &server.port()])
        .assert()
        .success();
    let status = server.wait();
    assert_eq!(status.code(), Some(0), "{:?}", server.stderr());
    assert!(
        !server.stderr().iter().any(|l| l.starts_with("Error")),
        "{:?}",
        server.stderr()
    );
}

#[test]
fn concurrent_clients_are_each_answered() {
    const CLIENTS: usize = 32;
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    let addr = server.addr;
    // All clients are connected and greeted before any of them sends.
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let barrier = barrier.clone();
            thread::spawn(move || {
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.set_read_timeout(Some(DEADLINE)).unwrap();
                let mut greeting = [0; 19];
                stream.read_exact(&mut greeting).unwrap();
                barrier.wait();
                let message = format!("client {i}");
                stream.write_all(message.as_bytes()).unwrap();
                let mut reply = vec![0; message.len() + 11];
                stream.read_exact(&mut reply).unwrap();
                assert_eq!(reply, format!("Loop_Msg: {message}!").into_bytes());
                stream.write_all(b"exit").unwrap();
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let mut shown: Vec<String> = (0..CLIENTS).map(|_| server.next_line()).collect();
    shown.sort();
    let mut expected: Vec<String> = (0..CLIENTS).map(|i| format!("-->>client {i}")).collect();
    expected.sort();
    assert_eq!(shown, expected);
}

#[test]
fn gbk_round_trip_between_netdemo_client_and_server() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0", "-e", "gbk"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "-e",
            "gbk",
            "--port",
            &server.port(),
            "你好，世界",
        ])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: 你好，世界!\n");
    assert_eq!(server.next_line(), "-->>你好，世界");
}

#[test]
fn hex_and_base64_messages_are_bytes() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    // 48 69 0a is "Hi\n"; the reply comes back in hex too.
    let reply_hex = hex_of(b"Loop_Msg: Hi\n!");
    netdemo()
        .args([
            "tcp",
            "connect",
            "-e",
            "hex",
            "--port",
            &server.port(),
            "48 69 0a",
        ])
        .assert()
        .success()
        .stdout(format!(
            "-->>{}\n-->>{reply_hex}\n",
            hex_of(b"Hello, I am server!")
        ));
    assert_eq!(server.next_line(), "-->>Hi\\n");
    netdemo()
        .args([
            "tcp",
            "connect",
            "-e",
            "base64",
            "--port",
            &server.port(),
            "SGkK",
        ])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("-->>TG9vcF9Nc2c6IEhpCiE=\n"));
    assert_eq!(server.next_line(), "-->>Hi\\n");
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn invalid_utf8_is_shown_escaped_and_echoed_unchanged() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "-e",
            "hex",
            "--port",
            &server.port(),
            "ff6869",
        ])
        .assert()
        .success()
        .stdout(predicate::str::ends_with(format!(
            "-->>{}\n",
            hex_of(b"Loop_Msg: \xffhi!")
        )));
    assert_eq!(server.next_line(), "-->>\\xffhi");
}

#[test]
fn ipv6_loopback() {
    if !support::ipv6_available("ipv6_loopback") {
        return;
    }
    let server = Server::netdemo(&["tcp", "serve", "-6", "--port", "0"]);
    assert_eq!(server.addr.ip().to_string(), "::1");
    netdemo()
        .args([
            "tcp",
            "connect",
            "--host",
            "[::1]",
            "--port",
            &server.port(),
            "v6",
        ])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: v6!\n");
}

#[test]
fn localhost_is_resolved() {
    let server = Server::netdemo(&["tcp", "serve", "--host", "localhost", "-4", "--port", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--host",
            "localhost",
            "-4",
            "--port",
            &server.port(),
        ])
        .assert()
        .success();
}

#[test]
fn error_port_in_use() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    let out = netdemo()
        .args(["tcp", "serve", "--port", &server.port()])
        .assert()
        .code(1);
    assert_one_error_line(
        &out.get_output().stderr,
        &format!("cannot listen on {}: address already in use", server.addr),
    );
}

#[test]
fn error_address_not_available() {
    // 192.0.2.1 is reserved for documentation (RFC 5737): no machine owns it, and binding
    // it fails locally without sending anything.
    let out = netdemo()
        .args(["tcp", "serve", "--host", "192.0.2.1", "--port", "0"])
        .assert()
        .code(1);
    assert_one_error_line(&out.get_output().stderr, "address not available");
}

#[test]
fn error_invalid_host() {
    // Malformed names are rejected before any lookup, so this test sends no DNS query.
    let out = netdemo()
        .args(["tcp", "connect", "--host", "no such host!"])
        .assert()
        .code(1);
    assert_one_error_line(&out.get_output().stderr, "invalid host 'no such host!'");
}

#[test]
fn error_connection_refused() {
    let port = free_port().to_string();
    let out = netdemo()
        .args(["tcp", "connect", "--port", &port])
        .assert()
        .code(1);
    assert_one_error_line(
        &out.get_output().stderr,
        &format!("cannot connect to 127.0.0.1:{port}: connection refused"),
    );
}

#[test]
fn error_timed_out_waiting_for_the_greeting() {
    // The kernel completes the handshake for a listener that never accepts, so the client
    // connects and then waits in vain for the greeting.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port().to_string();
    let out = netdemo()
        .args(["tcp", "connect", "--timeout", "200ms", "--port", &port])
        .assert()
        .code(1);
    assert_one_error_line(&out.get_output().stderr, "within 200ms");
}

#[test]
fn error_server_closes_before_replying() {
    let rude = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = rude.local_addr().unwrap().port().to_string();
    let closer = thread::spawn(move || drop(rude.accept().unwrap()));
    let out = netdemo()
        .args(["tcp", "connect", "--port", &port])
        .assert()
        .code(1);
    closer.join().unwrap();
    assert_one_error_line(
        &out.get_output().stderr,
        "closed the connection before replying",
    );
}

#[test]
fn error_unknown_encoding_is_a_usage_error() {
    let out = netdemo()
        .args(["tcp", "serve", "-e", "klingon"])
        .assert()
        .code(2);
    assert_one_error_line(&out.get_output().stderr, "unknown encoding 'klingon'");
}

#[test]
fn error_bad_hex_base64_or_unencodable_text_fails_before_connecting() {
    // Nothing listens on the port: the encoding error must come first.
    let port = free_port().to_string();
    for (args, wanted) in [
        (["-e", "hex", "4g"], "'4g' is not valid hex"),
        (["-e", "hex", "486"], "'486' is not valid hex"),
        (["-e", "base64", "@@@"], "'@@@' is not valid base64"),
        (
            ["-e", "gbk", "ok 😀"],
            "cannot encode '😀' of 'ok 😀' as gbk",
        ),
    ] {
        let out = netdemo()
            .args(["tcp", "connect", "--port", &port])
            .args(args)
            .assert()
            .code(1);
        assert_one_error_line(&out.get_output().stderr, wanted);
    }
}

#[test]
fn error_bad_port_is_a_usage_error() {
    let out = netdemo()
        .args(["tcp", "serve", "--port", "70000"])
        .assert()
        .code(2);
    assert_one_error_line(&out.get_output().stderr, "'70000'");
}

#[test]
fn verbose_adds_detail_on_stderr_only() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    netdemo()
        .args(["-v", "tcp", "connect", "--port", &server.port()])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: Hello, I am a client!\n")
        .stderr(predicate::str::contains("connected"));
}

#[test]
fn dash_reads_messages_from_stdin_one_per_line() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    netdemo()
        .args(["tcp", "connect", "--port", &server.port(), "-"])
        .write_stdin("one\r\ntwo words\n")
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: one!\n-->>Loop_Msg: two words!\n");
    assert_eq!(server.next_line(), "-->>one");
    assert_eq!(server.next_line(), "-->>two words");
}

#[test]
fn a_bad_stdin_line_fails_the_command_after_the_good_ones() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0", "-e", "gbk"]);
    netdemo()
        .args(["tcp", "connect", "-e", "gbk", "--port", &server.port(), "-"])
        .write_stdin("好\n😀\nnever\n")
        .assert()
        .code(1)
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: 好!\n")
        .stderr("Error: line 2 of stdin: cannot encode '😀' of '😀' as gbk (try --encoding utf-8 or hex)\n");
}

#[test]
fn without_dash_stdin_is_never_read() {
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    // Stdin is a pipe that stays open and empty: reading it would hang the client.
    let mut child = std::process::Command::new(support::bin())
        .args(["tcp", "connect", "--port", &server.port()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let _open_stdin = child.stdin.take();
    let status = wait_timeout::ChildExt::wait_timeout(&mut child, DEADLINE).unwrap();
    let _ = child.kill();
    assert_eq!(
        status.map(|s| s.success()),
        Some(true),
        "tcp connect read stdin"
    );
}

#[test]
fn idle_clients_are_closed_and_the_reason_logged() {
    let server = Server::netdemo(&[
        "-v",
        "tcp",
        "serve",
        "--port",
        "0",
        "--idle-timeout",
        "100ms",
    ]);
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut received = Vec::new();
    client.read_to_end(&mut received).unwrap();
    assert_eq!(received, b"Hello, I am server!");
    let local = client.local_addr().unwrap();
    let (_, stderr) = server.stop(Signal::SIGTERM);
    assert!(
        stderr
            .iter()
            .any(|l| l.contains("idle for longer than --idle-timeout")
                && l.contains(&format!("peer={local}"))),
        "{stderr:?}"
    );
}

#[test]
fn stats_count_connections_and_messages() {
    let server = Server::netdemo(&["-q", "--json", "tcp", "serve", "--port", "0", "--stats"]);
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut greeting = [0; 19];
    client.read_exact(&mut greeting).unwrap();
    // With --json the figures are events on stdout; the open connection is counted.
    loop {
        let event: serde_json::Value = serde_json::from_str(&server.next_line()).unwrap();
        if event["event"] == "stats" {
            assert_eq!(event["connections"], 1, "{event}");
            assert!(event["bytes_out_per_s"].is_number());
            break;
        }
    }
}
