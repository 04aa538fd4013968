//! What `config` refuses before anything runs, and the traps a new user used to fall
//! into: flags that cannot apply, numbers out of range, nc habits, runs that never ended
//! or passed on nothing, echo clients that did not check the echo.

mod support;

use predicates::prelude::*;
use support::{Server, free_port, netdemo, python3};

/// Runs netdemo and expects a usage error (exit 2) on one line that contains `wanted`.
fn usage_error(args: &[&str], wanted: &str) {
    let output = netdemo().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(
        stderr.contains(wanted),
        "{args:?}: wanted {wanted:?} in {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

/// Runs netdemo and expects a failure (exit 1) whose one error line contains `wanted`.
fn runtime_error(args: &[&str], wanted: &str) -> String {
    let output = netdemo().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("Error:")).collect();
    assert_eq!(errors.len(), 1, "{args:?}: {stderr}");
    assert!(
        errors[0].contains(wanted),
        "{args:?}: wanted {wanted:?} in {stderr}"
    );
    stderr
}

#[test]
fn flags_that_cannot_apply_are_refused_and_say_where_they_do() {
    let port = free_port().to_string();
    let p = port.as_str();
    let cases: &[(&[&str], &str)] = &[
        (
            &["tcp", "connect", "-p", p, "--on-eof", "close", "hi"],
            "--on-eof does not apply to tcp connect --mode seed: it applies to --mode stdio",
        ),
        (
            &["tcp", "connect", "-p", p, "-w", "1s", "hi"],
            "-w/--idle-timeout does not apply",
        ),
        (
            &["tcp", "connect", "-p", p, "-n", "1", "--wait", "1s"],
            "--wait does not apply to a load run",
        ),
        (
            &[
                "tcp",
                "connect",
                "-p",
                p,
                "--mode",
                "stdio",
                "--framing",
                "line",
            ],
            "--framing does not apply to tcp connect --mode stdio",
        ),
        (
            &[
                "tcp",
                "connect",
                "-p",
                p,
                "--mode",
                "stdio",
                "--delimiter",
                "END",
            ],
            "--delimiter does not apply to tcp connect --mode stdio",
        ),
        (
            &[
                "tcp", "connect", "-p", p, "--mode", "stdio", "--expect", "x",
            ],
            "--expect does not apply to tcp connect --mode stdio",
        ),
        (
            &["tcp", "connect", "-p", p, "--threads", "2", "hi"],
            "--threads does not apply to tcp connect --mode seed: it applies to load and \
             throughput runs",
        ),
        (
            &["tcp", "serve", "-p", p, "--mode", "stdio", "--threads", "2"],
            "--threads does not apply to tcp serve --mode stdio",
        ),
        (
            &["tcp", "connect", "-p", p, "-n", "1", "--threads", "0"],
            "expected a whole number from 1 to 1024",
        ),
        (
            &["tcp", "connect", "-p", p, "--crlf", "hi"],
            "--crlf ends lines: it applies to --framing line only",
        ),
        (
            &["tcp", "connect", "-p", p, "-z", "--max-frame", "1K"],
            "--max-frame does not apply to tcp connect -z",
        ),
        (
            &["tcp", "connect", "-p", p, "-n", "1", "--mode", "stdio"],
            "--mode stdio does not apply to a load run",
        ),
        (
            &["-x", "tcp", "connect", "-p", p, "-n", "1"],
            "-x/--hex-dump does not apply to a load run",
        ),
        (
            &["--explain", "udp", "send", "-p", p, "-n", "1"],
            "--explain does not apply to a UDP load run",
        ),
        (
            &["tcp", "serve", "-p", "0", "--max-buffered", "1M"],
            "--max-buffered does not apply to tcp serve --mode seed: it applies to --framing line",
        ),
        (
            &["tcp", "serve", "-p", "0", "--mode", "echo", "--delay", "1s"],
            "--delay does not apply to tcp serve --mode echo: it applies to --mode seed",
        ),
        (
            &["tcp", "serve", "-p", "0", "-k"],
            "-k/--keep-open does not apply to tcp serve --mode seed",
        ),
        (
            &["tcp", "serve", "-p", "0", "--on-eof", "keep"],
            "--on-eof does not apply",
        ),
        (
            &["tcp", "serve", "-p", "0", "--mode", "stdio", "--stats"],
            "--stats does not apply",
        ),
        (
            &[
                "tcp",
                "serve",
                "-p",
                "0",
                "--mode",
                "chargen",
                "--framing",
                "line",
            ],
            "--framing does not apply to tcp serve --mode chargen",
        ),
        (
            &["udp", "serve", "-p", "0", "--framing", "raw"],
            "--framing does not apply to udp serve --mode seed",
        ),
        (
            &["udp", "send", "-p", p, "--mode", "stdio", "--retries", "3"],
            "--retries does not apply",
        ),
        (
            &["udp", "send", "-p", p, "-n", "5", "--retries", "3"],
            "--retries does not apply",
        ),
        (
            &["udp", "send", "-p", p, "--framing", "raw", "hi"],
            "--framing does not apply to udp send --mode seed",
        ),
        (
            &["tcp", "connect", "-p", p, "--mode", "stdio", "-e", "hex"],
            "-e/--encoding does not apply to tcp connect --mode stdio",
        ),
        (
            &["tcp", "connect", "-p", p, "-z", "-e", "gbk"],
            "-e/--encoding does not apply to tcp connect -z",
        ),
        (
            &["tcp", "serve", "-p", "0", "--mode", "chargen", "-e", "gbk"],
            "-e/--encoding does not apply",
        ),
        (
            &["tcp", "connect", "-p", p, "-z", "hello"],
            "a message argument does not apply to tcp connect -z",
        ),
        (
            &["tcp", "connect", "-z", "127.0.0.1", "80"],
            "--host 127.0.0.1 -p 80; -z takes no messages",
        ),
        (
            &["tcp", "connect", "-z", "--host", "127.0.0.1:8000-8010"],
            "a port range goes in -p",
        ),
        (
            &["tcp", "connect", "--host", "::1:40000", "x"],
            "an IPv6 address with a port is written [::1]:40000",
        ),
        (&["tcp", "connect", "--host", "", "x"], "--host is empty"),
    ];
    for (args, wanted) in cases {
        usage_error(args, wanted);
    }
}

#[test]
fn numbers_out_of_range_are_usage_errors_never_panics() {
    let port = free_port().to_string();
    let p = port.as_str();
    let cases: &[(&[&str], &str)] = &[
        (
            &["tcp", "connect", "-p", p, "--wait", "300000000000years"],
            "longer than a year",
        ),
        (
            &["tcp", "connect", "-p", p, "-d", "300000000000years"],
            "longer than a year",
        ),
        (
            &["tcp", "connect", "-p", p, "--warmup", "300000000000years"],
            "longer than a year",
        ),
        (
            &["udp", "send", "-p", p, "--timeout", "300000000000years"],
            "longer than a year",
        ),
        (
            &["udp", "send", "-p", p, "--timeout", "0s", "hi"],
            "--timeout 0s",
        ),
        (
            &["tcp", "connect", "-p", p, "--size", "4095M"],
            "--size 4293918720: a request can be at most 1024 bytes",
        ),
        (
            &[
                "tcp",
                "connect",
                "-p",
                p,
                "--framing",
                "length",
                "--size",
                "2M",
            ],
            "at most 1048576 bytes",
        ),
        (
            &["udp", "send", "-p", p, "--retries", "4294967295"],
            "--retries",
        ),
        (
            &["udp", "send", "-p", p, "-d", "1s", "--rate", "1e300"],
            "--rate",
        ),
        (
            &["tcp", "connect", "-p", p, "--rate", "-1"],
            "'-1' is not a rate: write requests per second",
        ),
        (
            &["tcp", "connect", "-p", p, "--rate", "0"],
            "a rate of 0 sends nothing",
        ),
        (
            &[
                "tcp", "connect", "-p", p, "--rate", "5k..-1k", "--ramp", "5s",
            ],
            "'-1k' is not a rate",
        ),
        (
            &["tcp", "connect", "-p", p, "--stages", "10s@1k,5s"],
            "stage 2 ('5s'): write DURATION@RATE",
        ),
        (
            &["tcp", "connect", "-p", p, "--stages", "10q@1k"],
            "stage 1 ('10q@1k')",
        ),
        (
            &["tcp", "connect", "-p", p, "-c", "-5"],
            "expected a whole number from 1 to 1000000",
        ),
        (
            &["udp", "send", "-p", p, "--retries", "-1"],
            "expected a whole number from 0 to 100",
        ),
        (
            &["tcp", "serve", "-p", "0", "--delay", "-1s"],
            "a duration cannot be negative",
        ),
        (
            &["tcp", "serve", "-p", "0", "--delay", "--json"],
            "expected a duration such as 250ms or 1s, not '--json'",
        ),
        (
            &["tcp", "connect", "-p", p, "--size", "-3"],
            "a byte count cannot be negative",
        ),
        (&["tcp", "connect", "-p", p, "-c", "0"], "-c"),
        (&["tcp", "connect", "-p", p, "-d", "0s"], "-d/--duration 0s"),
        (
            &["tcp", "connect", "-p", p, "--max-frame", "16", "hi"],
            "--max-frame 16 is smaller than the seed greeting (19 bytes)",
        ),
        (
            &[
                "tcp",
                "connect",
                "-p",
                p,
                "--max-frame",
                "20",
                "hello world",
            ],
            "the reply to a 11-byte message is 22 bytes",
        ),
        (
            &["udp", "send", "-p", p, "--size", "8", "-n", "1"],
            "--size 8",
        ),
        (
            &["tcp", "serve", "-p", "0", "--idle-timeout", "0s"],
            "--idle-timeout 0s",
        ),
        (
            &[
                "tcp",
                "serve",
                "-p",
                "0",
                "--framing",
                "line",
                "--max-frame",
                "16",
            ],
            "--max-frame 16 is smaller than the seed greeting",
        ),
        (
            &["tcp", "connect", "-p", "1000-1001"],
            "a port range is only for `tcp connect -z`",
        ),
        (
            &["udp", "serve", "-p", "1000-1001"],
            "a port range is only for `tcp connect -z`",
        ),
        (
            &["tcp", "connect", "-p", "0"],
            "--port 0: a client needs the server's port",
        ),
        (&["udp", "send", "-p", "0"], "--port 0"),
        (
            &["tcp", "serve", "-p", "0", "--max-connections", "1.5"],
            "expected a whole number from 1 to 1000000",
        ),
        (
            &["tcp", "connect", "-p", p, "-n", "0"],
            "expected a whole number at least 1",
        ),
        (
            &["tcp", "serve", "-p", "0", "--delay", "1"],
            "needs a unit, e.g. 250ms or 1s (see `netdemo tcp serve --help`)",
        ),
        (
            &["tcp", "serve", "-p", "0", "--max-frame", "4G"],
            "just under 4G",
        ),
    ];
    for (args, wanted) in cases {
        usage_error(args, wanted);
    }
}

#[test]
fn a_request_over_the_clients_own_max_frame_is_refused_before_connecting() {
    let port = free_port().to_string();
    let refused = |args: &[&str], wanted: &str| {
        let mut all = vec![
            "tcp",
            "connect",
            "-p",
            &port,
            "--framing",
            "line",
            "-n",
            "1",
        ];
        all.extend(args);
        usage_error(&all, wanted);
    };
    refused(
        &["--mode", "echo", "--max-frame", "8", "123456789"],
        "larger than --max-frame (8 bytes)",
    );
    // The seed reply wraps the request: it must fit too.
    refused(
        &["--max-frame", "25", "123456789012345"],
        "the reply to a 15-byte message is 26 bytes, over --max-frame 25",
    );
}

#[test]
fn more_connections_than_file_descriptors_is_caught_before_the_run() {
    let port = free_port().to_string();
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 64 && exec \"$0\" tcp connect -p {port} -c 100 -n 1"
        ))
        .arg(support::bin())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ulimit -n"), "{stderr}");
}

#[test]
fn a_load_run_against_a_closed_port_ends_and_fails() {
    // -n counts attempts: failed connects use them up, so the run ends, after exactly -n.
    let port = free_port().to_string();
    let stderr = runtime_error(
        &["tcp", "connect", "-p", &port, "-c", "2", "-n", "5"],
        "no connection succeeded: cannot connect to",
    );
    assert!(stderr.contains("connection refused"), "{stderr}");
    let output = netdemo()
        .args([
            "--json", "tcp", "connect", "-p", &port, "-c", "4", "-n", "5",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(report["event"], "report");
    assert_eq!(report["errors_by_kind"]["refused"], 5, "{report}");
}

#[test]
fn a_load_run_without_a_greeting_ends_and_says_what_to_try() {
    let Some(_) = python3("a_load_run_without_a_greeting_ends_and_says_what_to_try") else {
        return;
    };
    let echo = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    // With -n: each greeting that times out uses an attempt.
    runtime_error(
        &[
            "tcp",
            "connect",
            "-p",
            &echo.port(),
            "-c",
            "2",
            "-n",
            "3",
            "--timeout",
            "200ms",
        ],
        "2 connection(s), no greeting within 200ms: is 127.0.0.1:",
    );
    // With -d: the deadline ends the wait, and the run does not pass on nothing.
    let stderr = runtime_error(
        &[
            "tcp",
            "connect",
            "-p",
            &echo.port(),
            "-c",
            "2",
            "-d",
            "300ms",
        ],
        "no greeting within the run",
    );
    assert!(stderr.contains("for other services see --mode"), "{stderr}");
    // The report is still printed, on stdout.
    netdemo()
        .args(["tcp", "connect", "-p", &echo.port(), "-d", "200ms"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("requests    0 ok"));
}

#[test]
fn a_load_run_against_a_service_that_never_answers_fails_and_reports_requests_in_flight() {
    let Some(_) = python3("a_load_run_against_a_service_that_never_answers") else {
        return;
    };
    let stall = Server::python("stall_server.py", &["127.0.0.1", "0", "greet"]);
    let output = netdemo()
        .args([
            "--json",
            "tcp",
            "connect",
            "-p",
            &stall.port(),
            "-c",
            "3",
            "-d",
            "300ms",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no reply from 127.0.0.1:"), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(report["requests"], 0);
    assert_eq!(report["in_flight"], 3, "{report}");
}

#[test]
fn a_short_wrong_reply_is_a_wrong_reply_not_a_timeout() {
    let Some(_) = python3("a_short_wrong_reply_is_a_wrong_reply_not_a_timeout") else {
        return;
    };
    let short = Server::python("stall_server.py", &["127.0.0.1", "0", "short"]);
    let output = netdemo()
        .args([
            "--json",
            "tcp",
            "connect",
            "-p",
            &short.port(),
            "-n",
            "4",
            "--timeout",
            "5s",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("(first: 'x', expected 'Loop_Msg: abcdefghijklmnop!')"),
        "{stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(report["errors_by_kind"]["wrong_reply"], 4, "{report}");
    assert_eq!(report["errors_by_kind"]["timeout"], 0, "{report}");
}

#[test]
fn echo_clients_send_their_messages_and_check_every_echo() {
    let Some(_) = python3("echo_clients_send_their_messages_and_check_every_echo") else {
        return;
    };
    let echo = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "echo",
            "-p",
            &echo.port(),
            "hi",
            "there",
        ])
        .assert()
        .success()
        .stdout("-->>hi\n-->>there\n");
    // A seed server greets instead of echoing: a mismatch, exit 1.
    let seed = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    runtime_error(
        &["tcp", "connect", "--mode", "echo", "-p", &seed.port(), "hi"],
        // The greeting and the reply may arrive in one read or two.
        "did not echo the message: sent 2 bytes (hi), got ",
    );
    let udp_echo = Server::netdemo(&["udp", "serve", "-p", "0", "--mode", "echo"]);
    netdemo()
        .args([
            "udp",
            "send",
            "--mode",
            "echo",
            "-p",
            &udp_echo.port(),
            "hi",
            "there",
        ])
        .assert()
        .success()
        .stdout("hi\nthere\n");
    let udp_seed = Server::netdemo(&["udp", "serve", "-p", "0"]);
    runtime_error(
        &[
            "udp",
            "send",
            "--mode",
            "echo",
            "-p",
            &udp_seed.port(),
            "hi",
        ],
        "did not echo datagram 1",
    );
}

#[test]
fn a_host_may_carry_the_port_as_nc_users_write_it() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    netdemo()
        .args(["tcp", "connect", "--host", &server.addr.to_string(), "x"])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: x!\n");
    usage_error(
        &[
            "tcp",
            "connect",
            "--host",
            &server.addr.to_string(),
            "-p",
            "1",
            "x",
        ],
        "--host gives port",
    );
    if support::ipv6_available("a_host_may_carry_the_port_as_nc_users_write_it") {
        let v6 = Server::netdemo(&["tcp", "serve", "-6", "-p", "0"]);
        netdemo()
            .args([
                "tcp",
                "connect",
                "--host",
                &format!("[::1]:{}", v6.port()),
                "y",
            ])
            .assert()
            .success()
            .stdout("-->>Hello, I am server!\n-->>Loop_Msg: y!\n");
    }
}

#[test]
fn an_address_and_a_port_given_as_messages_are_refused() {
    usage_error(
        &["tcp", "connect", "127.0.0.1", "8080"],
        "'127.0.0.1 8080' looks like a host and a port, but netdemo takes them as --host 127.0.0.1 -p 8080",
    );
    usage_error(
        &["udp", "send", "localhost", "53"],
        "--host localhost -p 53",
    );
    // With -p given, they are messages.
    let server = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    netdemo()
        .args(["tcp", "connect", "-p", &server.port(), "127.0.0.1", "8080"])
        .assert()
        .success()
        .stdout(predicate::str::contains("-->>Loop_Msg: 8080!"));
}

#[test]
fn dash_w_ends_a_stdio_session_whose_peer_stays_silent() {
    let Some(_) = python3("dash_w_ends_a_stdio_session_whose_peer_stays_silent") else {
        return;
    };
    let silent = Server::python("stall_server.py", &["127.0.0.1", "0", "silent"]);
    // `--on-eof keep` sends no FIN, so only -w can end the session.
    netdemo()
        .args([
            "-v",
            "tcp",
            "connect",
            "--mode",
            "stdio",
            "-p",
            &silent.port(),
        ])
        .args(["--on-eof", "keep", "-w", "300ms"])
        .write_stdin("hello\n")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "nothing sent or received for the idle timeout",
        ));
}

#[test]
fn usage_errors_name_what_is_missing_and_the_choices() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[],
            "`netdemo` needs a subcommand: tcp, udp, unix, ws, merge or completions",
        ),
        (
            &["tcp"],
            "`netdemo tcp` needs a subcommand: serve, connect or relay",
        ),
        (
            &["udp"],
            "`netdemo udp` needs a subcommand: serve, send or relay",
        ),
        (
            &["completions"],
            "`netdemo completions` needs <SHELL>: bash, elvish, fish, powershell or zsh",
        ),
        (
            &["tcp", "serve", "--mode", "bogus"],
            "choose seed, echo, discard, chargen, source or stdio",
        ),
        (&["--lang", "fr", "tcp", "serve"], "choose en or zh"),
        (
            &["--color", "sometimes", "tcp", "serve"],
            "choose auto, always or never",
        ),
    ];
    for (args, wanted) in cases {
        usage_error(args, wanted);
    }
}

#[test]
fn verbose_prints_the_full_report_without_a_backtrace() {
    let port = free_port().to_string();
    let output = netdemo()
        .args(["-v", "tcp", "connect", "-p", &port])
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.starts_with("Error: cannot connect to"), "{stderr}");
    assert!(stderr.contains("   0: cannot connect to"), "{stderr}");
    assert!(!stderr.contains("BACKTRACE"), "{stderr}");
}

#[test]
fn port_checks_narrate_with_explain() {
    let port = free_port().to_string();
    netdemo()
        .args(["--explain", "tcp", "connect", "-z", "-p", &port])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "connect(127.0.0.1:{port}) failed after"
        )));
}

#[test]
fn a_seed_conversation_without_a_greeting_says_what_to_try() {
    let Some(_) = python3("a_seed_conversation_without_a_greeting_says_what_to_try") else {
        return;
    };
    let echo = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    runtime_error(
        &[
            "tcp",
            "connect",
            "-p",
            &echo.port(),
            "--timeout",
            "300ms",
            "hi",
        ],
        "no greeting from 127.0.0.1:",
    );
}

#[test]
fn a_greeting_in_another_framing_is_named_as_such() {
    let seed = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    runtime_error(
        &[
            "tcp",
            "connect",
            "-p",
            &seed.port(),
            "-n",
            "3",
            "--framing",
            "length",
        ],
        "does not read as --framing length",
    );
}

#[test]
fn a_udp_load_run_against_the_wrong_protocol_ends_at_once_and_says_so() {
    let echo = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "echo"]);
    // One at a time: each wrong reply ends its wait, so 50 datagrams take no 50 timeouts.
    runtime_error(
        &[
            "udp",
            "send",
            "-p",
            &echo.port(),
            "-n",
            "50",
            "--timeout",
            "2s",
        ],
        "was wrong for the seed protocol",
    );
}

#[test]
fn an_ipv6_address_may_name_its_interface() {
    if !support::ipv6_available("an_ipv6_address_may_name_its_interface") {
        return;
    }
    let server = Server::netdemo(&["tcp", "serve", "-6", "-p", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--host",
            &format!("[::1%lo]:{}", server.port()),
            "x",
        ])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: x!\n");
    // An interface that does not exist is named in the error.
    netdemo()
        .args([
            "tcp",
            "connect",
            "--host",
            "fe80::1%nosuchif0",
            "-p",
            "9",
            "x",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("invalid host 'fe80::1%nosuchif0'"));
}

#[test]
fn an_argument_that_is_not_utf8_is_a_usage_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let output = netdemo()
        .args(["tcp", "connect", "-p", "1"])
        .arg(std::ffi::OsStr::from_bytes(b"\xff"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("Error: "), "{stderr}");
}
