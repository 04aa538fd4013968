//! `tcp connect -z`: port checks, ranges and `--wait`, through the real binary.

mod support;

use std::process::{Command, Stdio};

use predicates::prelude::*;
use support::{DEADLINE, Server, bin, free_port, netdemo};

#[test]
fn an_open_port_is_reported_with_its_connect_time() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    netdemo()
        .args(["tcp", "connect", "-z", "-p", &server.port()])
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(format!(
                r"^{} open \(connected in \d+\.\d\d ms\)\n$",
                server.addr
            ))
            .unwrap(),
        );
    // The server accepted a connection, and nothing was sent on it: no message shown.
    server.wait_stderr(|line| line.starts_with("Accept new connection"));
    assert!(server.lines_so_far().is_empty());
}

#[test]
fn a_closed_port_fails_with_one_error_line() {
    let port = free_port();
    netdemo()
        .args(["tcp", "connect", "-z", "-p", &port.to_string()])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "Error: cannot connect to 127.0.0.1:{port}: connection refused: nothing is listening on 127.0.0.1:{port} (start one with `netdemo tcp serve --port {port}`)\n"
        ));
}

#[test]
fn a_closed_port_is_a_closed_event_in_json_as_in_a_range() {
    let port = free_port();
    let output = netdemo()
        .args(["--json", "tcp", "connect", "-z", "-p", &port.to_string()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let events: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(
        events[0],
        serde_json::json!({"event": "closed", "addr": format!("127.0.0.1:{port}"), "reason": "connection refused"})
    );
    assert_eq!(events[1]["event"], "error");
    assert_eq!(events.len(), 2);
}

#[test]
fn a_range_lists_open_ports_and_succeeds_if_any_is_open() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    let port = server.addr.port();
    let range = format!("{}-{}", port - 1, port + 1);
    let output = netdemo()
        .args(["tcp", "connect", "-z", "-p", &range])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The neighbouring ports may belong to servers of tests running alongside: each of the
    // three is reported once, open on stdout or closed on stderr, in port order.
    let mut reported: Vec<(u16, &str)> = stdout
        .lines()
        .chain(stderr.lines())
        .map(|line| {
            let (addr, rest) = line.split_once(' ').unwrap();
            let port: u16 = addr.rsplit(':').next().unwrap().parse().unwrap();
            (port, rest)
        })
        .collect();
    reported.sort();
    let ports: Vec<u16> = reported.iter().map(|(p, _)| *p).collect();
    assert_eq!(ports, [port - 1, port, port + 1], "{stdout}{stderr}");
    assert!(reported[1].1.starts_with("open (connected in "), "{stdout}");
    for (port, what) in reported {
        assert!(
            what.starts_with("open (connected in ") || what == "closed (connection refused)",
            "{port}: {what}"
        );
    }
    assert!(stdout.lines().all(|l| l.contains(" open ")), "{stdout}");
    assert!(stderr.lines().all(|l| l.contains(" closed ")), "{stderr}");
}

#[test]
fn a_range_with_nothing_open_fails() {
    let port = free_port();
    netdemo()
        .args([
            "-q",
            "tcp",
            "connect",
            "-z",
            "-p",
            &format!("{port}-{port}"),
        ])
        .assert()
        .code(1);
}

#[test]
fn wait_retries_until_the_server_is_up() {
    let port = free_port().to_string();
    // Start waiting first, then start the server: the probe retries by itself.
    let mut probe = Command::new(bin())
        .args(["tcp", "connect", "-z", "--wait", "10s", "-p", &port])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let server = Server::netdemo(&["tcp", "serve", "-p", &port]);
    let status = wait_timeout::ChildExt::wait_timeout(&mut probe, DEADLINE).unwrap();
    let _ = probe.kill();
    let output = probe.wait_with_output().unwrap();
    assert_eq!(status.map(|s| s.success()), Some(true), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(&format!("{} open", server.addr)),
        "{stdout}"
    );
}

#[test]
fn wait_gives_up_when_time_runs_out() {
    let port = free_port().to_string();
    netdemo()
        .args(["tcp", "connect", "-z", "--wait", "200ms", "-p", &port])
        .assert()
        .code(1)
        .stderr(predicate::str::ends_with("after waiting 200ms\n"));
}

#[test]
fn wait_also_applies_to_a_conversation() {
    let port = free_port().to_string();
    let mut client = Command::new(bin())
        .args(["tcp", "connect", "--wait", "10s", "-p", &port, "late"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let _server = Server::netdemo(&["tcp", "serve", "-p", &port]);
    let status = wait_timeout::ChildExt::wait_timeout(&mut client, DEADLINE).unwrap();
    let _ = client.kill();
    let output = client.wait_with_output().unwrap();
    assert_eq!(status.map(|s| s.success()), Some(true));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "-->>Hello, I am server!\n-->>Loop_Msg: late!\n"
    );
}

#[test]
fn a_range_is_refused_elsewhere() {
    netdemo()
        .args(["tcp", "serve", "-p", "8000-8010"])
        .assert()
        .code(2)
        .stderr("Error: --port 8000-8010: a port range is only for `tcp connect -z`\n");
}
