//! memcached's text protocol: `--preset memcached` (`--framing memcached` in request mode)
//! against memcached itself, started by the test on a free loopback port; escapes in
//! messages (`\r\n`, `\xNN`) so a request spans lines; the relay's protocol faults in
//! memcached's framing; and each refusal.

mod support;

use support::{Server, netdemo, silent_server};

fn memcached(test: &str) -> Option<(support::Spawned, u16)> {
    // memcached will not run as root without being told which user to be.
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let mut args = vec!["-l", "127.0.0.1", "-p", "{port}", "-U", "0", "-m", "16"];
    if root {
        args.extend(["-u", "root"]);
    }
    silent_server(test, "memcached", &args)
}

#[test]
fn a_conversation_shows_each_reply_whole() {
    let Some((_memcached, port)) = memcached("memcached conversation") else {
        return;
    };
    let output = netdemo()
        .args([
            "-q",
            "tcp",
            "connect",
            "-p",
            &port.to_string(),
            "--preset",
            "memcached",
        ])
        .args([
            r"set greeting 5 0 11\r\nhello world",
            "get greeting",
            "get missing",
            "delete greeting",
            "incr greeting 1",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "-->>STORED\n-->>VALUE greeting 5 11\\r\\nhello world\\r\\nEND\n-->>END\n-->>DELETED\n\
         -->>NOT_FOUND\n"
    );
}

#[test]
fn set_and_get_load_pipelined_with_every_reply_checked() {
    let Some((_memcached, port)) = memcached("memcached load") else {
        return;
    };
    // Each connection sets its own key and reads it back, 16 requests in flight.
    let run = support::json_run(&[
        "tcp",
        "connect",
        "-p",
        &port.to_string(),
        "--preset",
        "memcached",
        r"set k:{conn} 0 0 5\r\nhello",
        "get k:{conn}",
        "-n",
        "4000",
        "-c",
        "4",
        "--pipeline",
        "16",
        "--expect-regex",
        r"^(STORED|VALUE k:\d+ 0 5\r\nhello\r\nEND)$",
    ]);
    let report = run.first();
    assert_eq!(report["requests"], 4000, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    assert_eq!(report["framing"], "memcached", "{report}");
    // A reply that is not what was expected is counted, and named.
    let run = support::json_run(&[
        "tcp",
        "connect",
        "-p",
        &port.to_string(),
        "--preset",
        "memcached",
        "get nothing-here",
        "-n",
        "10",
        "--expect",
        "STORED",
    ]);
    assert_eq!(
        run.first()["errors_by_kind"]["wrong_reply"],
        10,
        "{}",
        run.first()
    );
}

#[test]
fn the_relay_fails_memcached_requests_in_their_turn() {
    let Some((_memcached, port)) = memcached("memcached relay") else {
        return;
    };
    let relay = Server::netdemo(&[
        "-q",
        "tcp",
        "relay",
        "-p",
        "0",
        "--to",
        &format!("127.0.0.1:{port}"),
        "--framing",
        "memcached",
        "--fail-requests",
        "2",
    ]);
    let output = netdemo()
        .args([
            "-q",
            "tcp",
            "connect",
            "-p",
            &relay.port(),
            "--preset",
            "memcached",
        ])
        .args([r"set a 0 0 1\r\nx", "get a", "get a", "get a"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let replies: Vec<&str> = stdout.lines().collect();
    assert_eq!(replies.len(), 4, "{stdout}");
    assert_eq!(replies[0], "-->>STORED");
    assert!(replies[1].starts_with("-->>SERVER_ERROR"), "{stdout}");
    assert_eq!(replies[2], r"-->>VALUE a 0 1\r\nx\r\nEND");
    assert!(replies[3].starts_with("-->>SERVER_ERROR"), "{stdout}");
}

#[test]
fn escapes_write_the_bytes_they_name() {
    if support::python3("escapes").is_none() {
        return;
    }
    let echo = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    let output = netdemo()
        .args(["-q", "--json", "tcp", "connect", "-p", &echo.port()])
        .args(["--mode", "echo", "--framing", "length", r"a\tb\x41\0\\\r\n"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let line = String::from_utf8_lossy(&output.stdout);
    let reply = support::json_line(line.lines().next().unwrap(), "an echo");
    assert_eq!(reply["data"], "a\tbA\0\\\r\n", "{reply}");
    let refused = netdemo()
        .args([
            "tcp",
            "connect",
            "-p",
            &echo.port(),
            "--mode",
            "echo",
            r"C:\data",
        ])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains(r"unknown escape \d"),
        "{refused:?}"
    );
}

#[test]
fn memcached_requests_that_cannot_be_paired_are_refused() {
    for (args, wanted) in [
        (
            &["--preset", "memcached", r"set k 0 0 5\r\nhell"][..],
            "one command line",
        ),
        (
            &["--preset", "memcached", r"set k 0 0 1 noreply\r\nx"],
            "noreply",
        ),
        (
            &["--preset", "memcached", "--framing", "line", "get k"],
            "leave --framing out",
        ),
        (
            &["--preset", "memcached", "--mode", "echo", "x"],
            "not --mode echo",
        ),
        (&["--preset", "dns", "x"], "for udp send"),
        (&["--framing", "memcached", "get k"], "--mode request"),
    ] {
        let output = netdemo()
            .args(["tcp", "connect", "-p", "1"])
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(wanted), "{args:?}: {stderr}");
    }
    for args in [
        &[
            "udp",
            "send",
            "--preset",
            "memcached",
            "--mode",
            "request",
            "-n",
            "1",
            "x",
        ][..],
        &["tcp", "serve", "--framing", "memcached"],
    ] {
        let output = netdemo().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    }
}
