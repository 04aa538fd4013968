//! `--json`: one JSON object per line on stdout, with the right events and fields.

mod support;

use nix::sys::signal::Signal;
use serde_json::{Value, json};
use support::{Server, netdemo};

fn parse_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|line| support::json_line(line, "tests/json.rs"))
        .collect()
}

#[test]
fn server_and_client_events() {
    let server = Server::netdemo(&["--json", "tcp", "serve", "-p", "0", "--threads", "3"]);
    // The listening event carries the real port the OS chose, and the threads the
    // connections run on.
    let listening = support::json_line(&server.next_line(), "tcp serve --json");
    assert_eq!(
        listening,
        json!({"event": "listening", "addr": server.addr.to_string(), "threads": 3})
    );

    let output = netdemo()
        .args([
            "--json",
            "tcp",
            "connect",
            "-p",
            &server.port(),
            "-e",
            "hex",
            "ff00",
            "6869",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let client = parse_lines(&output.stdout);
    let peer = server.addr.to_string();
    assert_eq!(client.len(), 3, "{client:?}");
    assert!(
        client
            .iter()
            .all(|e| e["event"] == "reply" && e["peer"] == peer.as_str())
    );
    // Hex is exact, so no base64 is needed beside it.
    assert_eq!(client[2]["data"], "4c6f6f705f4d73673a20686921"); // "Loop_Msg: hi!"
    assert!(client[2].get("data_b64").is_none());

    let accept: Value = serde_json::from_str(&server.next_line()).unwrap();
    assert_eq!(accept["event"], "accept");
    let first: Value = serde_json::from_str(&server.next_line()).unwrap();
    assert_eq!(first["event"], "message");
    assert_eq!(first["bytes"], 2);
    assert_eq!(first["data"], "\\xff\\0");
    assert_eq!(first["data_b64"], "/wA=");
    let second: Value = serde_json::from_str(&server.next_line()).unwrap();
    assert_eq!(
        (second["data"].as_str(), second.get("data_b64")),
        (Some("hi"), None)
    );
    let close: Value = serde_json::from_str(&server.next_line()).unwrap();
    assert_eq!(close["event"], "close");
    assert_eq!(close["reason"], "client sent exit");
    let listening_line = format!("listening on {}", server.addr);
    let (status, stderr) = server.stop(Signal::SIGINT);
    assert!(status.success());
    // No human status lines on stderr in JSON mode, only the listening line.
    assert_eq!(stderr, [listening_line]);
}

#[test]
fn errors_are_events_too() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = netdemo()
        .args(["--json", "tcp", "connect", "-p", &port.to_string()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let events = parse_lines(&output.stdout);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["event"], "error");
    assert!(
        events[0]["error"]
            .as_str()
            .unwrap()
            .contains("connection refused")
    );
    // The one-line error stays on stderr for people.
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("Error: "));
}

#[test]
fn udp_and_probe_events() {
    let server = Server::netdemo(&["udp", "serve", "-p", "0"]);
    let output = netdemo()
        .args(["--json", "udp", "send", "-p", &server.port(), "x"])
        .output()
        .unwrap();
    let events = parse_lines(&output.stdout);
    assert_eq!(
        events,
        [
            json!({"event": "reply", "peer": server.addr.to_string(), "bytes": 8, "data": "Hello, x"})
        ]
    );

    let tcp = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    let output = netdemo()
        .args(["--json", "tcp", "connect", "-z", "-p", &tcp.port()])
        .output()
        .unwrap();
    let events = parse_lines(&output.stdout);
    assert_eq!(events[0]["event"], "open");
    assert_eq!(events[0]["addr"], tcp.addr.to_string());
    assert!(events[0]["connect_us"].is_u64());
}
