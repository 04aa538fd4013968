//! `--explain` tells only calls that were made, each with its real result: the narration of
//! every program (tcp, udp, unix and tls; client and server) is checked against what
//! `strace` saw of the same run. Skipped with a note where strace is missing or ptrace is
//! not allowed (.ci/run installs strace).

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use support::{DEADLINE, Server, bin};
use wait_timeout::ChildExt;

fn strace_works(test: &str) -> bool {
    let works = Command::new("strace")
        .args(["-qq", "-o", "/dev/null", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        eprintln!("skipping {test}: strace is missing or ptrace is not allowed here");
    }
    works
}

/// `strace ... netdemo --explain ARGS`, one trace file per thread in `dir`.
fn traced(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("strace");
    cmd.args(["-ff", "-ttt", "-qq", "-e", "trace=network", "-o"])
        .arg(dir.join("t"))
        .arg(bin())
        .arg("--explain")
        .args(args)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    cmd
}

/// One system call: its name and what it returned (`0`, `5`, `-1 ENOTCONN`).
#[derive(Debug)]
struct Call {
    name: String,
    result: String,
}

/// Every network call of the traced process, all threads, in time order.
fn calls(dir: &Path) -> Vec<Call> {
    let mut timed = Vec::new();
    for file in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        for line in text.lines() {
            let Some((time, rest)) = line.split_once(' ') else {
                continue;
            };
            let (Ok(time), Some((name, _))) = (time.parse::<f64>(), rest.split_once('(')) else {
                continue;
            };
            let Some((_, result)) = rest.rsplit_once(" = ") else {
                continue;
            };
            let result: Vec<&str> = result.split_whitespace().take(2).collect();
            let result = match result.as_slice() {
                ["-1", errno, ..] => format!("-1 {errno}"),
                [value, ..] => (*value).to_owned(),
                [] => continue,
            };
            timed.push((
                time,
                Call {
                    name: name.to_owned(),
                    result,
                },
            ));
        }
    }
    timed.sort_by(|a, b| a.0.total_cmp(&b.0));
    timed.into_iter().map(|(_, call)| call).collect()
}

/// A narrated call: the call's name as strace shows it, and what the narration says it
/// returned.
#[derive(Debug)]
struct Told {
    line: String,
    name: &'static str,
    failed: bool,
    bytes: Option<u64>,
}

const NETWORK: [(&str, &str); 12] = [
    ("socket", "socket"),
    ("bind", "bind"),
    ("listen", "listen"),
    ("accept", "accept4"),
    ("connect", "connect"),
    // The C library's send() and recv() are the sendto and recvfrom system calls.
    ("send", "sendto"),
    ("recv", "recvfrom"),
    ("sendto", "sendto"),
    ("recvfrom", "recvfrom"),
    ("sendmmsg", "sendmmsg"),
    ("recvmmsg", "recvmmsg"),
    ("shutdown", "shutdown"),
];

/// The narrated network calls in `stderr` (close, unlink, chmod and the TLS handshake are
/// not network system calls).
fn told(stderr: &[String]) -> Vec<Told> {
    stderr
        .iter()
        .filter_map(|line| {
            let (_, what) = line.strip_prefix('[')?.split_once("] ")?;
            let (call, _) = what.split_once('(')?;
            let name = NETWORK.iter().find(|(told, _)| *told == call)?.1;
            let bytes = what
                .split_once("-> ")
                .map(|(_, rest)| rest.trim_start_matches("a datagram of "))
                .and_then(|rest| rest.split_whitespace().next()?.parse().ok());
            Some(Told {
                line: line.clone(),
                name,
                failed: what.contains(" failed"),
                bytes,
            })
        })
        .collect()
}

/// Whether `call` is what `told` says was made. Byte counts are compared except under
/// TLS, where the narration counts plaintext and the calls carry records.
fn matches(told: &Told, call: &Call, tls: bool) -> bool {
    if call.name != told.name {
        return false;
    }
    let ok = !call.result.starts_with('-');
    match told.name {
        // Non-blocking: "in progress", then done; a failure is told as one.
        "connect" if !told.failed => ok || call.result == "-1 EINPROGRESS",
        _ if told.failed => !ok,
        "sendto" | "recvfrom" if !tls => told.bytes.is_none_or(|n| call.result == n.to_string()),
        _ => ok,
    }
}

/// Every narrated call is found among the traced ones, in order, with its result.
fn assert_told_truly(stderr: &[String], calls: &[Call], tls: bool, what: &str) {
    let told = told(stderr);
    assert!(
        told.len() >= 3,
        "{what}: too little narrated to check: {stderr:?}"
    );
    let mut at: usize = 0;
    for step in &told {
        // A batch call carries several datagrams, each told on its own line.
        let from = if step.name.ends_with("mmsg") {
            at.saturating_sub(1)
        } else {
            at
        };
        match calls[from..]
            .iter()
            .position(|call| matches(step, call, tls))
        {
            Some(found) => at = from + found + 1,
            None => panic!(
                "{what}: `{}` tells a call strace did not see (from call {at} on): {:#?}",
                step.line,
                &calls[at.min(calls.len())..]
            ),
        }
    }
}

/// Runs a traced client to its end: its stderr lines and its calls.
fn client(args: &[&str]) -> (Vec<String>, Vec<Call>) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = traced(dir.path(), args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    let status = child
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("the client ended");
    assert!(status.success(), "{args:?}: {stderr}");
    (
        stderr.lines().map(str::to_owned).collect(),
        calls(dir.path()),
    )
}

/// Runs a traced server, lets `visit` talk to it at its port, stops it with SIGINT: its
/// stderr lines and its calls.
fn server(args: &[&str], visit: impl FnOnce(&str)) -> (Vec<String>, Vec<Call>) {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::spawn(traced(dir.path(), args));
    visit(&server.port());
    // The traced program is strace's child: it is the one to stop.
    let children =
        std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", server.pid())).unwrap();
    let netdemo: i32 = children.split_whitespace().next().unwrap().parse().unwrap();
    kill(Pid::from_raw(netdemo), Signal::SIGINT).unwrap();
    server.wait();
    (server.stderr(), calls(dir.path()))
}

fn run_netdemo(args: &[&str]) {
    support::netdemo().args(args).assert().success();
}

#[test]
fn tcp_narration_is_what_strace_saw_on_both_sides() {
    if !strace_works("tcp") {
        return;
    }
    let (stderr, calls) = server(&["tcp", "serve", "-p", "0"], |port| {
        run_netdemo(&["tcp", "connect", "-p", port, "hi", "there"]);
    });
    assert_told_truly(&stderr, &calls, false, "tcp serve");
    let peer = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    let (stderr, calls) = client(&["tcp", "connect", "-p", &peer.port(), "hi", "there"]);
    assert_told_truly(&stderr, &calls, false, "tcp connect");
}

#[test]
fn udp_narration_is_what_strace_saw_on_both_sides() {
    if !strace_works("udp") {
        return;
    }
    let (stderr, calls) = server(&["udp", "serve", "-p", "0"], |port| {
        run_netdemo(&["udp", "send", "-p", port, "hello"]);
    });
    assert_told_truly(&stderr, &calls, false, "udp serve");
    let peer = Server::netdemo(&["-q", "udp", "serve", "-p", "0"]);
    let (stderr, calls) = client(&["udp", "send", "-p", &peer.port(), "hello"]);
    assert_told_truly(&stderr, &calls, false, "udp send");
    assert!(
        stderr.iter().any(|l| l.contains("] connect(")),
        "the connect of a UDP client is told: {stderr:?}"
    );
}

#[test]
fn unix_narration_is_what_strace_saw_on_both_sides() {
    if !strace_works("unix") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sock").to_str().unwrap().to_owned();
    let (stderr, calls) = server(&["unix", "serve", "--path", &path], |_| {
        run_netdemo(&["unix", "connect", "--path", &path, "hi"]);
    });
    assert_told_truly(&stderr, &calls, false, "unix serve");
    let _peer = Server::netdemo(&["-q", "unix", "serve", "--path", &path]);
    let (stderr, calls) = client(&["unix", "connect", "--path", &path, "hi"]);
    assert_told_truly(&stderr, &calls, false, "unix connect");
}

#[test]
fn tls_narration_is_what_strace_saw_on_both_sides() {
    if !strace_works("tls") {
        return;
    }
    let (stderr, calls) = server(&["tcp", "serve", "-p", "0", "--tls"], |port| {
        run_netdemo(&["tcp", "connect", "--tls", "--insecure", "-p", port, "hi"]);
    });
    assert_told_truly(&stderr, &calls, true, "tcp serve --tls");
    let peer = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--tls"]);
    // Several runs: whether the server has closed by the client's shutdown varies, and
    // each outcome must be told as it was.
    for _ in 0..3 {
        let (stderr, calls) = client(&[
            "tcp",
            "connect",
            "--tls",
            "--insecure",
            "-p",
            &peer.port(),
            "hi",
        ]);
        assert_told_truly(&stderr, &calls, true, "tcp connect --tls");
    }
}
