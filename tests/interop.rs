//! Wire compatibility with the tutorial's own programs (ported to Python 3 under
//! `tests/peers/`), in all four directions: their client against our server and our client
//! against their server, for TCP and UDP; and the TCP pair again over IPv6.

mod support;

use std::process::Command;

use support::{Server, ipv6_available, netdemo, peer, python3};

/// Runs one of the tutorial's clients against `server` and returns its stdout.
fn tutorial_client(script: &str, server: &Server) -> String {
    let host = server.addr.ip().to_string();
    let output = Command::new("python3")
        .arg(peer(script))
        .args([&host, &server.port()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{script} against {} failed: {}",
        server.addr,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Reads the server's stdout until `wanted` appears.
fn expect_line(server: &Server, wanted: &str) {
    let mut seen = Vec::new();
    while seen.len() < 10 {
        let line = server.next_line();
        if line == wanted {
            return;
        }
        seen.push(line);
    }
    panic!("expected {wanted:?} from the server, saw {seen:?}");
}

#[test]
fn tutorial_tcp_client_against_netdemo_server() {
    if python3("tutorial_tcp_client_against_netdemo_server").is_none() {
        return;
    }
    let server = Server::netdemo(&["tcp", "serve", "--port", "0"]);
    let stdout = tutorial_client("tutorial_tcp_client.py", &server);
    assert_eq!(
        stdout,
        "-->>Hello, I am server!\n-->>Loop_Msg: Hello, I am a client!\n"
    );
    assert_eq!(server.next_line(), "-->>Hello, I am a client");
}

#[test]
fn netdemo_client_against_tutorial_tcp_server() {
    if python3("netdemo_client_against_tutorial_tcp_server").is_none() {
        return;
    }
    // The tutorial's server as written, with its one-second pause before each reply.
    let server = Server::python("tutorial_tcp_server.py", &["127.0.0.1", "0"]);
    netdemo()
        .args(["tcp", "connect", "--port", &server.port()])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: Hello, I am a client!\n");
    expect_line(&server, "-->>Hello, I am a client");
}

#[test]
fn tutorial_udp_client_against_netdemo_server() {
    if python3("tutorial_udp_client_against_netdemo_server").is_none() {
        return;
    }
    let server = Server::netdemo(&["udp", "serve", "--port", "0"]);
    let stdout = tutorial_client("tutorial_udp_client.py", &server);
    assert_eq!(stdout, "Hello, Hello\nHello, Word\n");
    assert_eq!(server.next_line(), "-->>Hello");
    assert_eq!(server.next_line(), "-->>Word");
}

#[test]
fn netdemo_sender_against_tutorial_udp_server() {
    if python3("netdemo_sender_against_tutorial_udp_server").is_none() {
        return;
    }
    let server = Server::python("tutorial_udp_server.py", &["127.0.0.1", "0"]);
    netdemo()
        .args(["udp", "send", "--port", &server.port(), "Hello", "Word"])
        .assert()
        .success()
        .stdout("Hello, Hello\nHello, Word\n");
    // With no data, netdemo sends the tutorial client's own two datagrams.
    netdemo()
        .args(["udp", "send", "--port", &server.port()])
        .assert()
        .success()
        .stdout("Hello, Hello\nHello, Word\n");
}

#[test]
fn tcp_both_ways_over_ipv6() {
    if python3("tcp_both_ways_over_ipv6").is_none() || !ipv6_available("tcp_both_ways_over_ipv6") {
        return;
    }
    let ours = Server::netdemo(&["tcp", "serve", "-6", "--port", "0"]);
    assert!(ours.addr.is_ipv6(), "{}", ours.addr);
    let stdout = tutorial_client("tutorial_tcp_client.py", &ours);
    assert_eq!(
        stdout,
        "-->>Hello, I am server!\n-->>Loop_Msg: Hello, I am a client!\n"
    );

    let theirs = Server::python("tutorial_tcp_server.py", &["::1", "0", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--host",
            "::1",
            "--port",
            &theirs.port(),
            "hi",
        ])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: hi!\n");
}

#[test]
fn udp_both_ways_over_ipv6() {
    if python3("udp_both_ways_over_ipv6").is_none() || !ipv6_available("udp_both_ways_over_ipv6") {
        return;
    }
    let ours = Server::netdemo(&["udp", "serve", "--host", "::1", "--port", "0"]);
    let stdout = tutorial_client("tutorial_udp_client.py", &ours);
    assert_eq!(stdout, "Hello, Hello\nHello, Word\n");

    let theirs = Server::python("tutorial_udp_server.py", &["::1", "0"]);
    netdemo()
        .args(["udp", "send", "-6", "--port", &theirs.port(), "v6"])
        .assert()
        .success()
        .stdout("Hello, v6\n");
}
