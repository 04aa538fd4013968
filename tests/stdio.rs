//! `--mode stdio`, netcat's job, against Python peers netdemo did not write: byte-exact
//! copies both ways, each `--on-eof` policy, `--keep-open`, and the UDP pair.

mod support;

use std::fs::File;
use std::io::Write;
use std::process::{Command, Stdio};

use nix::sys::signal::Signal;
use predicates::prelude::*;
use support::{Server, netdemo, peer, pseudo_random, python3, sha256_hex};

const EIGHT_MIB: usize = 8 * 1024 * 1024;

/// Writes `bytes` to a new file in `dir` and returns its path.
fn file_with(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    File::create(&path).unwrap().write_all(bytes).unwrap();
    path
}

#[test]
fn connect_copies_8_mib_each_way_through_a_python_echo_server() {
    if python3("connect_copies_8_mib_each_way_through_a_python_echo_server").is_none() {
        return;
    }
    let echo = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    let dir = tempfile::tempdir().unwrap();
    let data = pseudo_random(EIGHT_MIB, 1);
    let input = file_with(&dir, "input", &data);
    let output = netdemo()
        .args(["tcp", "connect", "--mode", "stdio", "-p", &echo.port()])
        .pipe_stdin(&input)
        .unwrap()
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.stdout.len(), data.len());
    assert!(
        output.stdout == data,
        "the echoed bytes differ from what was sent"
    );
}

#[test]
fn serve_copies_8_mib_each_way_with_a_python_client_then_exits() {
    if python3("serve_copies_8_mib_each_way_with_a_python_client_then_exits").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let to_client = pseudo_random(EIGHT_MIB, 2);
    let from_client = pseudo_random(EIGHT_MIB, 3);
    let stdin = File::open(file_with(&dir, "to_client", &to_client)).unwrap();
    let client_file = file_with(&dir, "from_client", &from_client);
    let received = dir.path().join("received");
    let mut server = Server::netdemo_with(
        &["tcp", "serve", "--mode", "stdio", "-p", "0"],
        Stdio::from(stdin),
        Some(Stdio::from(File::create(&received).unwrap())),
    );
    let client = Command::new("python3")
        .arg(peer("stream_client.py"))
        .args(["127.0.0.1", &server.port()])
        .arg(&client_file)
        .output()
        .unwrap();
    assert!(
        client.status.success(),
        "{}",
        String::from_utf8_lossy(&client.stderr)
    );
    // What the client received is netdemo's stdin, whole.
    assert_eq!(
        String::from_utf8(client.stdout).unwrap().trim(),
        format!("{} {}", to_client.len(), sha256_hex(&to_client))
    );
    // Without --keep-open the server exits after its first client.
    assert!(server.wait().success(), "{:?}", server.stderr());
    let got = std::fs::read(&received).unwrap();
    assert_eq!(sha256_hex(&got), sha256_hex(&from_client));
}

/// Runs `netdemo tcp connect --mode stdio --on-eof POLICY` with `hello` on stdin against
/// the EOF probe and returns (netdemo's stdout, netdemo's stderr, what the probe saw).
fn probe_eof(policy: &str) -> (String, String, String) {
    let probe = Server::python("eof_probe.py", &["127.0.0.1", "0", "5"]);
    let output = netdemo()
        .args([
            "-v",
            "tcp",
            "connect",
            "--mode",
            "stdio",
            "--on-eof",
            policy,
            "-p",
            &probe.port(),
        ])
        .write_stdin("hello")
        .output()
        .unwrap();
    assert!(output.status.success(), "{policy}: {output:?}");
    let saw = probe.next_line();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        saw,
    )
}

#[test]
fn on_eof_shutdown_half_closes_and_prints_until_the_peer_closes() {
    if python3("on_eof_shutdown").is_none() {
        return;
    }
    let (stdout, stderr, saw) = probe_eof("shutdown");
    assert_eq!(saw, "eof");
    assert_eq!(stdout, "eof after 5\n");
    assert!(
        stderr.contains("stdin ended: sent FIN, waiting for the peer to close"),
        "{stderr}"
    );
}

#[test]
fn on_eof_keep_leaves_the_connection_open() {
    if python3("on_eof_keep").is_none() {
        return;
    }
    let (stdout, stderr, saw) = probe_eof("keep");
    assert_eq!(saw, "open");
    assert_eq!(stdout, "still open after 5\n");
    assert!(stderr.contains("keeping the connection open"), "{stderr}");
}

#[test]
fn on_eof_close_closes_at_once() {
    if python3("on_eof_close").is_none() {
        return;
    }
    let (stdout, stderr, saw) = probe_eof("close");
    assert_eq!(saw, "eof");
    // Closed before the probe answered: its reply is never printed.
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("stdin ended: closing the connection"),
        "{stderr}"
    );
}

#[test]
fn keep_open_serves_one_client_after_another() {
    if python3("keep_open_serves_one_client_after_another").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // With stdin already at its end, each client gets FIN at once (--on-eof shutdown) and
    // the session ends when the client has sent its part.
    let server = Server::netdemo_with(
        &["tcp", "serve", "--mode", "stdio", "-k", "-p", "0"],
        Stdio::null(),
        None,
    );
    for (i, text) in ["first\n", "second\n"].iter().enumerate() {
        let file = file_with(&dir, &format!("client{i}"), text.as_bytes());
        let client = Command::new("python3")
            .arg(peer("stream_client.py"))
            .args(["127.0.0.1", &server.port()])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            client.status.success(),
            "{}",
            String::from_utf8_lossy(&client.stderr)
        );
        assert_eq!(server.next_line(), text.trim_end());
    }
    let (status, _) = server.stop(Signal::SIGTERM);
    assert!(status.success());
}

#[test]
fn stdio_mode_rejects_message_arguments() {
    netdemo()
        .args(["tcp", "connect", "--mode", "stdio", "hello"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "Error: a message argument does not apply to tcp connect --mode stdio",
        ));
}

#[test]
fn udp_send_stdio_sends_a_datagram_per_line() {
    let echo = Server::netdemo(&["udp", "serve", "--mode", "echo", "-p", "0"]);
    netdemo()
        .args([
            "udp",
            "send",
            "--mode",
            "stdio",
            "--timeout",
            "300ms",
            "-p",
            &echo.port(),
        ])
        .write_stdin("one\r\ntwo\n\nlast")
        .assert()
        .success()
        .stdout("one\ntwo\n\nlast\n");
    // Each line arrived as one datagram, without its line ending.
    for wanted in ["-->>one", "-->>two", "-->>", "-->>last"] {
        assert_eq!(echo.next_line(), wanted);
    }
}

#[test]
fn udp_send_stdio_raw_sends_reads_as_they_are() {
    let echo = Server::netdemo(&["udp", "serve", "--mode", "echo", "-p", "0"]);
    netdemo()
        .args([
            "udp",
            "send",
            "--mode",
            "stdio",
            "--framing",
            "raw",
            "--timeout",
            "300ms",
        ])
        .args(["-p", &echo.port()])
        .write_stdin("a\nb\n")
        .assert()
        .success()
        .stdout("a\nb\n");
}

#[test]
fn udp_serve_stdio_answers_the_last_sender_with_stdin() {
    if python3("udp_serve_stdio_answers_the_last_sender_with_stdin").is_none() {
        return;
    }
    let mut server = Server::netdemo(&["udp", "serve", "--mode", "stdio", "-p", "0"]);
    let mut stdin = server.stdin();
    let client = Command::new("python3")
        .arg(peer("udp_peer.py"))
        .args(["127.0.0.1", &server.port(), "ping"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // The datagram is printed as a line; only then is there a sender to answer.
    assert_eq!(server.next_line(), "ping");
    stdin.write_all(b"pong\n").unwrap();
    let output = client.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "pong\n");
}

#[test]
fn stdio_over_ipv6() {
    if python3("stdio_over_ipv6").is_none() || !support::ipv6_available("stdio_over_ipv6") {
        return;
    }
    let echo = Server::python("echo_server.py", &["::1", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "stdio",
            "-6",
            "-p",
            &echo.port(),
        ])
        .write_stdin("over v6\n")
        .assert()
        .success()
        .stdout("over v6\n");
    let udp = Server::netdemo(&["udp", "serve", "-6", "--mode", "echo", "-p", "0"]);
    netdemo()
        .args([
            "udp",
            "send",
            "-6",
            "--mode",
            "stdio",
            "--timeout",
            "300ms",
            "-p",
            &udp.port(),
        ])
        .write_stdin("datagram\n")
        .assert()
        .success()
        .stdout("datagram\n");
}

#[test]
fn a_transfer_cut_by_sigterm_says_so_and_fails() {
    let mut server = Server::netdemo_with(
        &["tcp", "serve", "--mode", "stdio", "-p", "0"],
        Stdio::piped(),
        None,
    );
    // stdin stays open: the upload to the client is still going when the signal comes.
    let _stdin = server.stdin();
    let mut client = std::net::TcpStream::connect(server.addr).unwrap();
    client.write_all(b"half of it\n").unwrap();
    assert_eq!(server.next_line(), "half of it");
    let (status, stderr) = server.stop(Signal::SIGTERM);
    assert_eq!(status.code(), Some(1), "{stderr:?}");
    assert!(
        stderr.iter().any(
            |l| l.contains("stopped by a signal in the middle of the transfer with 127.0.0.1:")
        ),
        "{stderr:?}"
    );
}
