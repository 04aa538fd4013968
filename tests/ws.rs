//! `ws serve` and `ws connect` against WebSocket peers netdemo did not write (Python's
//! `websockets` library, installed by `.ci/run`; each test is skipped with a note without
//! it): text and binary messages, pings, close codes both ways, wss://, stdio, and each
//! refusal.

mod support;

use std::process::Command;

use support::{Server, netdemo};

/// Whether Python's `websockets` can be imported; says why a test is skipped when not.
fn websockets(test: &str) -> bool {
    let found = Command::new("python3")
        .args(["-c", "import websockets"])
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        eprintln!("skipping {test}: python3 websockets is not installed (.ci/run installs it)");
    }
    found
}

fn python_server() -> Server {
    Server::python("ws_peer.py", &["serve", "0"])
}

#[test]
fn the_client_talks_to_a_websockets_server() {
    if !websockets("ws client") {
        return;
    }
    let server = python_server();
    let connect = |args: &[&str]| {
        netdemo()
            .args(["ws", "connect", "-p", &server.port(), "--path", "/chat"])
            .args(args)
            .output()
            .unwrap()
    };
    let output = connect(&[
        "--mode",
        "request",
        "--expect",
        "got: hello",
        "--expect",
        "got: two\nlines",
        "hello",
        r"two\nlines",
    ]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "-->>got: hello\n-->>got: two\\nlines\n"
    );
    // Binary messages stay binary: the server's binary answer is the bytes.
    let output = connect(&["--mode", "request", "--binary", r"\x00\xff"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "-->>got: \\0\\xff\n"
    );
    // An echo client finds that the server is not one.
    let output = connect(&["hello"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("did not echo message 1"),
        "{output:?}"
    );
    // The server's close, with its code and reason, ends the conversation with the reason.
    let output = connect(&["--mode", "request", "bye"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "closed the WebSocket before replying: 4002 (an application's own code), \"done\""
        ),
        "{stderr}"
    );
    // Pings: websockets answers each with its payload.
    let output = netdemo()
        .args([
            "--json",
            "ws",
            "connect",
            "-p",
            &server.port(),
            "--path",
            "/chat",
        ])
        .args(["--mode", "ping", "-n", "3"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let pongs: Vec<_> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| support::json_line(line, "a pong"))
        .collect();
    assert_eq!(pongs.len(), 3);
    assert_eq!(pongs[2]["event"], "pong");
    assert_eq!(pongs[2]["seq"], 3);
    // A path the server does not serve: its HTTP answer is the reason.
    let output = netdemo()
        .args([
            "ws",
            "connect",
            "-p",
            &server.port(),
            "--path",
            "/other",
            "hi",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("answered HTTP 404"),
        "{output:?}"
    );
}

#[test]
fn stdio_sends_lines_and_prints_messages() {
    if !websockets("ws stdio") {
        return;
    }
    let server = python_server();
    let mut child = netdemo()
        .args(["ws", "connect", "-p", &server.port(), "--path", "/chat"])
        .args(["--mode", "stdio"])
        .write_stdin("first\nsecond\n")
        .output()
        .unwrap();
    assert!(child.status.success(), "{child:?}");
    assert_eq!(
        String::from_utf8_lossy(&std::mem::take(&mut child.stdout)),
        "got: first\ngot: second\n"
    );
}

#[test]
fn the_server_answers_a_websockets_client_over_tls_too() {
    if !websockets("ws server") {
        return;
    }
    for tls in [false, true] {
        let mut args = vec!["-v", "ws", "serve", "-p", "0"];
        if tls {
            args.push("--tls");
        }
        let server = Server::netdemo(&args);
        let url = format!(
            "{}://127.0.0.1:{}/any/path",
            if tls { "wss" } else { "ws" },
            server.port()
        );
        let output = Command::new("python3")
            .arg(support::peer("ws_peer.py"))
            .args(["client", &url, "--insecure", "hello", "second message"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        // Echoed as sent, binary as binary; the ping answered; our close code returned.
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "hello\nsecond message\nb'\\x00\\x01'\npong\nclosed 4000\n",
            "tls {tls}"
        );
        server.wait_stderr(|line| line.contains("closed with 4000"));
    }
}

#[test]
fn a_message_over_max_frame_is_closed_with_1009() {
    if !websockets("ws max-frame") {
        return;
    }
    let server = Server::netdemo(&["-q", "ws", "serve", "-p", "0", "--max-frame", "1K"]);
    let url = format!("ws://127.0.0.1:{}/", server.port());
    let output = Command::new("python3")
        .arg(support::peer("ws_peer.py"))
        .args(["big", &url, "5000"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "closed 1009 message too big\n"
    );
}

#[test]
fn a_stopping_server_closes_its_clients_as_going_away() {
    use std::process::Stdio;
    use wait_timeout::ChildExt;
    let server = Server::netdemo(&["-v", "ws", "serve", "-p", "0"]);
    // A stdio client with stdin held open: it ends only when the server closes.
    let mut client = Command::new(support::bin())
        .args([
            "-v",
            "ws",
            "connect",
            "-p",
            &server.port(),
            "--mode",
            "stdio",
        ])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    server.wait_stderr(|line| line.contains("WebSocket open"));
    let (status, _) = server.stop(nix::sys::signal::Signal::SIGTERM);
    assert!(status.success(), "{status:?}");
    let ended = client.wait_timeout(support::DEADLINE).unwrap();
    assert!(ended.is_some_and(|status| status.success()), "{ended:?}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut client.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("1001 (going away)"), "{stderr}");
}

#[test]
fn flags_that_cannot_apply_are_refused() {
    for (args, wanted) in [
        (
            &["--mode", "ping", "hi"][..],
            "a message argument does not apply",
        ),
        (&[][..], "needs messages to send"),
        (&["-n", "3", "hi"], "-n/--count does not apply"),
        (&["--path", "chat", "hi"], "begins with /"),
        (
            &["--close-code", "1005", "hi"],
            "not a code a client may send",
        ),
        (&["--expect", "x", "hi"], "--expect does not apply"),
        (&["-x", "hi"], "not tapped yet"),
    ] {
        let output = netdemo()
            .args(["ws", "connect", "-p", "1"])
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(wanted), "{args:?}: {stderr}");
    }
}

#[test]
fn framing_ws_loads_a_websockets_server_and_ws_serve() {
    if !websockets("framing ws") {
        return;
    }
    let server = python_server();
    // Pipelined requests, every reply checked.
    let run = support::json_run(&[
        "tcp",
        "connect",
        "-p",
        &server.port(),
        "--framing",
        "ws",
        "--ws-path",
        "/chat",
        "--mode",
        "request",
        "-n",
        "300",
        "-c",
        "3",
        "--pipeline",
        "4",
        "--expect-regex",
        r"^got: m\d+$",
        "m{seq}",
    ]);
    let report = run.first();
    assert_eq!(report["requests"], 300, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    assert_eq!(report["framing"], "ws", "{report}");
    // A path the server does not serve stops the run at once, with its answer.
    let output = netdemo()
        .args(["tcp", "connect", "-p", &server.port(), "--framing", "ws"])
        .args(["--mode", "request", "-n", "50", "hi"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("404 Not Found"),
        "{output:?}"
    );
    // netdemo's own server, in echo mode, over wss:// too.
    let echo = Server::netdemo(&["-q", "ws", "serve", "-p", "0", "--tls"]);
    let run = support::json_run(&[
        "tcp",
        "connect",
        "-p",
        &echo.port(),
        "--tls",
        "--insecure",
        "--framing",
        "ws",
        "--mode",
        "echo",
        "-n",
        "200",
        "-c",
        "2",
        "hello",
    ]);
    assert_eq!(run.first()["requests"], 200, "{}", run.first());
}

#[test]
fn framing_ws_where_it_cannot_apply_is_refused() {
    for args in [
        &["tcp", "connect", "--ws-path", "/x", "hi"][..],
        &["tcp", "connect", "--framing", "ws", "hi"],
        &["tcp", "connect", "--framing", "ws", "--mode", "stdio"],
        &[
            "tcp",
            "connect",
            "--framing",
            "ws",
            "--ws-path",
            "x",
            "--mode",
            "request",
            "hi",
        ],
        &["tcp", "serve", "--framing", "ws"],
        &[
            "tcp",
            "relay",
            "--to",
            "127.0.0.1:1",
            "--framing",
            "ws",
            "--fail-requests",
            "2",
        ],
    ] {
        let output = netdemo().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    }
}
