//! The command-line contract of `udp serve` and `udp send`, through the real binary.

mod support;

use std::net::UdpSocket;
use std::time::Duration;

use nix::sys::signal::Signal;
use predicates::prelude::*;
use support::{Server, netdemo};

#[test]
fn send_shows_each_reply_and_the_server_each_datagram() {
    let server = Server::netdemo(&["udp", "serve", "--port", "0"]);
    netdemo()
        .args(["udp", "send", "--port", &server.port(), "Hello", "Word"])
        .assert()
        .success()
        .stdout("Hello, Hello\nHello, Word\n")
        .stderr("");
    assert_eq!(server.next_line(), "-->>Hello");
    assert_eq!(server.next_line(), "-->>Word");
    let (status, stderr) = server.stop(Signal::SIGTERM);
    assert!(status.success());
    let received: Vec<_> = stderr
        .iter()
        .filter(|l| l.starts_with("Received from 127.0.0.1:"))
        .collect();
    assert_eq!(received.len(), 2, "{stderr:?}");
    assert!(received[0].ends_with(','), "{received:?}");
}

#[test]
fn quiet_server_prints_only_the_listening_line() {
    let server = Server::netdemo(&["udp", "serve", "--port", "0", "--quiet"]);
    netdemo()
        .args(["udp", "send", "--port", &server.port(), "x"])
        .assert()
        .success();
    assert_eq!(server.next_line(), "-->>x");
    let (_, stderr) = server.stop(Signal::SIGINT);
    assert_eq!(stderr.len(), 1, "{stderr:?}");
    assert!(stderr[0].starts_with("listening on "), "{stderr:?}");
}

#[test]
fn gbk_datagrams_round_trip() {
    let server = Server::netdemo(&["udp", "serve", "--port", "0", "-e", "gbk"]);
    netdemo()
        .args(["udp", "send", "-e", "gbk", "--port", &server.port(), "你好"])
        .assert()
        .success()
        .stdout("Hello, 你好\n");
    assert_eq!(server.next_line(), "-->>你好");
}

#[test]
fn lost_datagrams_are_reported_and_fail_the_command() {
    // Bound but silent: nothing ever answers, and no ICMP error comes back either.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port().to_string();
    let args = [
        "udp",
        "send",
        "--timeout",
        "100ms",
        "--retries",
        "1",
        "--port",
        &port,
    ];
    netdemo()
        .args(args)
        .args(["a", "b"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("no reply to datagram 1 (a) after 2 tries")
                .and(predicate::str::contains(
                    "no reply to datagram 2 (b) after 2 tries",
                ))
                .and(predicate::str::ends_with(format!(
                    "Error: 2 of 2 datagrams got no reply from 127.0.0.1:{port} \
                     (try a longer --timeout or more --retries)\n"
                ))),
        );
    // Each datagram was sent twice: one try and one retry.
    silent
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0; 8];
    let got: Vec<Vec<u8>> = (0..4)
        .map(|_| {
            let n = silent.recv(&mut buf).unwrap();
            buf[..n].to_vec()
        })
        .collect();
    assert_eq!(got, [b"a", b"a", b"b", b"b"]);
}

#[test]
fn quiet_loss_is_one_error_line() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port().to_string();
    netdemo()
        .args([
            "-q",
            "udp",
            "send",
            "--timeout",
            "50ms",
            "--retries",
            "0",
            "--port",
            &port,
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::starts_with("Error: 2 of 2 datagrams got no reply")
                .and(predicate::function(|s: &str| s.lines().count() == 1)),
        );
}

#[test]
fn error_nothing_listening() {
    let port = {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.local_addr().unwrap().port().to_string()
    };
    netdemo()
        .args(["udp", "send", "--port", &port, "hi"])
        .assert()
        .code(1)
        .stderr(format!(
            "Error: no UDP server at 127.0.0.1:{port}: connection refused: nothing is listening on 127.0.0.1:{port} (start one with `netdemo udp serve --port {port}`)\n"
        ));
}

#[test]
fn error_port_in_use() {
    let server = Server::netdemo(&["udp", "serve", "--port", "0"]);
    netdemo()
        .args(["udp", "serve", "--port", &server.port()])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(format!(
            "Error: cannot listen on {}: address already in use",
            server.addr
        )));
}

#[test]
fn dash_reads_datagrams_from_stdin_one_per_line() {
    let server = Server::netdemo(&["udp", "serve", "--port", "0"]);
    netdemo()
        .args(["udp", "send", "--port", &server.port(), "-"])
        .write_stdin("Hello\nWord\n")
        .assert()
        .success()
        .stdout("Hello, Hello\nHello, Word\n");
}

#[test]
fn stats_are_reported_every_second() {
    let server = Server::netdemo(&["-q", "udp", "serve", "--port", "0", "--stats"]);
    netdemo()
        .args(["udp", "send", "--port", &server.port(), "a", "b"])
        .assert()
        .success();
    // The first report comes a second after start; -q does not hide what was asked for.
    let line =
        server.wait_stderr(|line| line.starts_with("stats: ") && !line.starts_with("stats: 0 "));
    assert!(
        line.contains("messages/s, in ") && line.contains(" MiB/s, out "),
        "{line}"
    );
}
