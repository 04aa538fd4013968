//! `unix serve` and `unix connect` with peers netdemo did not write: socat's UNIX-CONNECT
//! and ABSTRACT-CONNECT, OpenBSD `nc -U`, and a Python AF_UNIX echo server and client,
//! with byte-exact transfers both ways; and the socket file's life: a stale one replaced,
//! a live one or a non-socket refused, permissions set, the file removed on exit.

mod support;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use nix::sys::signal::Signal;
use predicates::prelude::*;
use serde_json::Value;
use support::{DEADLINE, Reaped, Server, installed, netdemo, pseudo_random, python3};
use wait_timeout::ChildExt;

/// A fresh directory for socket files, removed with its guard.
fn socket_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn path_in(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).to_str().unwrap().to_owned()
}

/// Whether `nc` is OpenBSD's, with `-U` and `-N`: other netcats lack one or both (ncat
/// has `-U` but no `-N`).
fn nc_with_unix_sockets() -> bool {
    let help = Command::new("nc").arg("-h").output();
    let found = help.is_ok_and(|out| {
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        said.contains("-U") && said.contains("-N")
    });
    if !found {
        eprintln!("skipping: no nc with -U (.ci/run installs netcat-openbsd)");
    }
    found
}

/// Leaves what a server that died leaves: a socket file nobody listens on.
fn stale_socket(path: &str) {
    drop(std::os::unix::net::UnixListener::bind(path).unwrap());
    assert!(Path::new(path).exists());
}

/// Runs `program ARGS` with `input` on stdin, bounded by the suite's deadline, and
/// returns its stdout.
fn pipe_through(program: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = {
        let input = input.to_vec();
        std::thread::spawn(move || stdin.write_all(&input))
    };
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).map(|_| out)
    });
    let status = child.wait_timeout(DEADLINE).unwrap();
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("{program} {args:?} did not finish within {DEADLINE:?}");
    };
    writer.join().unwrap().unwrap();
    let out = reader.join().unwrap().unwrap();
    assert!(status.success(), "{program} {args:?}: {status:?}");
    out
}

#[test]
fn socat_unix_connect_gets_a_megabyte_back_exactly_from_the_echo_server() {
    if !installed("socat", &["-V"]) {
        return;
    }
    let dir = socket_dir();
    let path = path_in(&dir, "echo.sock");
    let server = Server::netdemo(&["-q", "unix", "serve", "--path", &path, "--mode", "echo"]);
    assert_eq!(server.listening, path);
    let data = pseudo_random(1 << 20, 3);
    let got = pipe_through(
        "socat",
        &["-t", "5", "-", &format!("UNIX-CONNECT:{path}")],
        &data,
    );
    assert!(got == data, "got {} of {} bytes", got.len(), data.len());
}

#[test]
fn nc_dash_u_speaks_the_tutorial_protocol_and_echo() {
    if !nc_with_unix_sockets() {
        return;
    }
    let dir = socket_dir();
    let path = path_in(&dir, "seed.sock");
    let _seed = Server::netdemo(&["-q", "unix", "serve", "--path", &path]);
    // -N: shut down the sending side at stdin's end, as the tutorial's client closes.
    let got = pipe_through("nc", &["-N", "-U", &path], b"hi");
    assert_eq!(
        String::from_utf8_lossy(&got),
        "Hello, I am server!Loop_Msg: hi!"
    );

    let echo_path = path_in(&dir, "echo.sock");
    let _echo = Server::netdemo(&[
        "-q", "unix", "serve", "--path", &echo_path, "--mode", "echo",
    ]);
    let data = pseudo_random(300_000, 5);
    let got = pipe_through("nc", &["-N", "-U", &echo_path], &data);
    assert!(got == data, "got {} of {} bytes", got.len(), data.len());
}

#[test]
fn stdio_client_moves_a_megabyte_through_a_python_unix_echo_server() {
    if python3("unix stdio").is_none() {
        return;
    }
    let dir = socket_dir();
    let path = path_in(&dir, "py.sock");
    let _server = Server::python("echo_server.py", &[&path]);
    let data = pseudo_random(1 << 20, 7);
    let exe = support::bin();
    let got = pipe_through(
        exe.to_str().unwrap(),
        &["unix", "connect", "--path", &path, "--mode", "stdio"],
        &data,
    );
    assert!(got == data, "got {} of {} bytes", got.len(), data.len());
}

#[test]
fn echo_conversation_and_load_run_against_a_python_unix_echo_server() {
    if python3("unix echo").is_none() {
        return;
    }
    let dir = socket_dir();
    let path = path_in(&dir, "py.sock");
    let _server = Server::python("echo_server.py", &[&path]);
    netdemo()
        .args([
            "unix", "connect", "--path", &path, "--mode", "echo", "one", "two",
        ])
        .assert()
        .success()
        .stdout("-->>one\n-->>two\n");
    let output = netdemo()
        .args([
            "--json", "unix", "connect", "--path", &path, "--mode", "echo",
        ])
        .args(["--framing", "line", "-c", "2", "-n", "300"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["requests"], 300, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    assert_eq!(report["target"], path.as_str(), "{report}");
    assert_eq!(report["mode"], "unix echo", "{report}");
    // A shaped open loop over a Unix socket follows its stages like a TCP one.
    let output = netdemo()
        .args([
            "--json", "unix", "connect", "--path", &path, "--mode", "echo",
        ])
        .args([
            "--framing",
            "line",
            "-c",
            "2",
            "--stages",
            "500ms@400,500ms@400..0",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let stages: Vec<u64> = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["requests"].as_u64().unwrap())
        .collect();
    assert_eq!(stages, [200, 100], "{report}");
}

#[test]
fn a_python_unix_client_holds_the_tutorial_conversation_and_json_names_each_client() {
    if python3("unix seed").is_none() {
        return;
    }
    let dir = socket_dir();
    let path = path_in(&dir, "seed.sock");
    let server = Server::netdemo(&["--json", "unix", "serve", "--path", &path]);
    let script = "import socket,sys\n\
        s=socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1])\n\
        g=s.recv(100); s.sendall(b'hello'); r=s.recv(100); s.sendall(b'exit')\n\
        print(g.decode(), r.decode(), s.recv(100) == b'', sep='|')";
    let output = Command::new("python3")
        .args(["-c", script, &path])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "Hello, I am server!|Loop_Msg: hello!|True"
    );
    let listening: Value = serde_json::from_str(&server.next_line()).unwrap();
    assert_eq!(listening["addr"], path.as_str());
    let accept: Value = serde_json::from_str(&server.next_line()).unwrap();
    assert_eq!(accept["event"], "accept");
    assert_eq!(accept["peer"], format!("{path}#1"));
    // The kernel's word on who connected: a process of this user, who owns the socket.
    assert!(
        accept["pid"].as_u64().is_some_and(|pid| pid > 0),
        "{accept}"
    );
    let owner = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&path).unwrap());
    assert_eq!(accept["uid"], owner, "{accept}");
}

#[test]
fn a_stale_socket_file_is_replaced_and_removed_on_exit() {
    let dir = socket_dir();
    let path = path_in(&dir, "stale.sock");
    stale_socket(&path);
    let server = Server::netdemo(&["-v", "unix", "serve", "--path", &path]);
    netdemo()
        .args(["unix", "connect", "--path", &path, "hi"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Loop_Msg: hi!"));
    let (status, stderr) = server.stop(Signal::SIGTERM);
    assert!(status.success(), "{stderr:?}");
    assert!(
        stderr.iter().any(|l| l.contains("stale socket file")),
        "{stderr:?}"
    );
    assert!(
        !Path::new(&path).exists(),
        "the socket file was left behind"
    );
}

#[test]
fn a_live_socket_or_a_plain_file_is_never_replaced() {
    let dir = socket_dir();
    let path = path_in(&dir, "live.sock");
    let _server = Server::netdemo(&["-q", "unix", "serve", "--path", &path]);
    netdemo()
        .args(["unix", "serve", "--path", &path])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "a server is already listening there",
        ));
    // The first server still answers.
    netdemo()
        .args(["unix", "connect", "--path", &path])
        .assert()
        .success();

    let file = path_in(&dir, "notes.txt");
    std::fs::write(&file, "keep me").unwrap();
    netdemo()
        .args(["unix", "serve", "--path", &file])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a socket"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn socket_mode_sets_the_permissions_and_bad_modes_are_refused() {
    let dir = socket_dir();
    let path = path_in(&dir, "private.sock");
    let _server = Server::netdemo(&[
        "-q",
        "unix",
        "serve",
        "--path",
        &path,
        "--socket-mode",
        "0600",
    ]);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    for (bad, says) in [
        ("0999", "not an octal mode"),
        ("7777", "at most 0777"),
        ("0400", "without write permission"),
        ("", "not an octal mode"),
    ] {
        netdemo()
            .args([
                "unix",
                "serve",
                "--path",
                &path_in(&dir, "x.sock"),
                "--socket-mode",
                bad,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
    netdemo()
        .args([
            "unix",
            "serve",
            "--path",
            "@netdemo-test",
            "--socket-mode",
            "0600",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is an abstract name, which has no file",
        ));
}

#[test]
fn abstract_names_work_with_socat_and_leave_no_file() {
    if !installed("socat", &["-V"]) {
        return;
    }
    let name = format!("netdemo-test-{}", std::process::id());
    let at = format!("@{name}");
    let _server = Server::netdemo(&["-q", "unix", "serve", "--path", &at, "--mode", "echo"]);
    // No file under either spelling: the name went to the kernel with its NUL byte.
    assert!(!Path::new(&at).exists() && !Path::new(&name).exists());
    let got = pipe_through(
        "socat",
        &["-t", "5", "-", &format!("ABSTRACT-CONNECT:{name}")],
        b"abstract\n",
    );
    assert_eq!(got, b"abstract\n");
    netdemo()
        .args(["unix", "connect", "--path", &at, "--mode", "echo", "hi"])
        .assert()
        .success()
        .stdout("-->>hi\n");
}

#[test]
fn throughput_runs_move_exactly_n_bytes_over_a_unix_socket() {
    let dir = socket_dir();
    let path = path_in(&dir, "bulk.sock");
    let _sink = Server::netdemo(&["-q", "unix", "serve", "--path", &path, "--mode", "discard"]);
    let _source = Server::netdemo(&[
        "-q",
        "unix",
        "serve",
        "--path",
        &path_in(&dir, "source.sock"),
        "--mode",
        "source",
    ]);
    for (mode, socket) in [
        ("send", path.clone()),
        ("receive", path_in(&dir, "source.sock")),
    ] {
        let output = netdemo()
            .args([
                "--json", "unix", "connect", "--path", &socket, "--mode", mode,
            ])
            .args(["-c", "2", "-n", "3M"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{mode}: {output:?}");
        let text = String::from_utf8(output.stdout).unwrap();
        let summary: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        assert_eq!(summary["event"], "summary", "{text}");
        assert_eq!(summary["bytes"], 3 << 20, "{mode}: {summary}");
    }
}

#[test]
fn explain_narrates_af_unix_steps_on_both_sides() {
    let dir = socket_dir();
    let path = path_in(&dir, "explain.sock");
    stale_socket(&path);
    let server = Server::netdemo(&[
        "--explain",
        "unix",
        "serve",
        "--path",
        &path,
        "--socket-mode",
        "0600",
    ]);
    netdemo()
        .args(["--explain", "unix", "connect", "--path", &path, "hi"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("[Unix client 1/3")
                .and(predicate::str::contains("socket(AF_UNIX, SOCK_STREAM)"))
                .and(predicate::str::contains(format!("connect({path})"))),
        );
    let (_, stderr) = server.stop(Signal::SIGTERM);
    let text = stderr.join("\n");
    assert!(text.contains("socket(AF_UNIX, SOCK_STREAM)"), "{text}");
    assert!(
        text.contains(&format!("bind({path}): the socket is now a file")),
        "{text}"
    );
    assert!(
        text.contains(&format!("accept() -> a new connection from {path}#1")),
        "{text}"
    );
    for step in [
        format!("unlink({path}): a socket file left by a server that is gone"),
        format!("chmod({path}, 0600)"),
        format!("close() the server's socket on {path} and unlink() its file"),
    ] {
        assert!(text.contains(&step), "{step} missing: {text}");
    }
}

#[test]
fn a_missing_socket_says_how_to_start_one_and_wait_waits_for_it() {
    let dir = socket_dir();
    let path = path_in(&dir, "later.sock");
    netdemo()
        .args(["unix", "connect", "--path", &path])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "no socket there (start one with `netdemo unix serve --path {path}`)"
        )));
    // --wait: the server comes up while the client retries.
    let mut client = Reaped(
        Command::new(support::bin())
            .args(["unix", "connect", "--path", &path, "--wait", "8s", "late"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let _server = Server::netdemo(&["-q", "unix", "serve", "--path", &path]);
    let status = client
        .0
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("the --wait client did not finish in time");
    let (mut out, mut err) = (String::new(), String::new());
    std::io::Read::read_to_string(&mut client.0.stdout.take().unwrap(), &mut out).unwrap();
    std::io::Read::read_to_string(&mut client.0.stderr.take().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{err}");
    assert!(out.contains("Loop_Msg: late!"), "{out}{err}");
    let long = format!("/tmp/{}", "x".repeat(120));
    netdemo()
        .args(["unix", "connect", "--path", &long])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at most 107"));
}

#[test]
fn flags_that_cannot_apply_to_a_unix_socket_are_refused_with_what_to_use() {
    for (args, says) in [
        (&["connect", "--tls"][..], "TLS over TCP only"),
        (
            &["serve", "--allow", "10.0.0.0/8"][..],
            "match IP addresses",
        ),
        (&["serve", "-p", "80"][..], "give --path PATH"),
        (&["connect", "-z"][..], "--wait 10s"),
    ] {
        netdemo()
            .args(["unix", args[0], "--path", "/tmp/x.sock"])
            .args(&args[1..])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("does not apply to a Unix socket")
                    .and(predicate::str::contains(says)),
            );
    }
}

#[test]
fn connect_failures_say_what_is_at_the_path() {
    let dir = socket_dir();
    let file = path_in(&dir, "notes.txt");
    std::fs::write(&file, "x").unwrap();
    let stale = path_in(&dir, "stale.sock");
    stale_socket(&stale);
    let missing_dir = path_in(&dir, "nodir/x.sock");
    let no_dir = format!(
        "the directory {} does not exist",
        dir.path().join("nodir").display()
    );
    for (path, says) in [
        (file.as_str(), "it is not a socket but a regular file"),
        (stale.as_str(), "the socket file is stale"),
        (missing_dir.as_str(), no_dir.as_str()),
    ] {
        netdemo()
            .args(["unix", "connect", "--path", path])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(says));
    }
    netdemo()
        .args(["unix", "serve", "--path", &missing_dir])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist (create it"));
}

#[test]
fn stdio_server_sends_its_stdin_to_an_nc_dash_u_client_and_a_second_server_takes_nothing() {
    if !nc_with_unix_sockets() {
        return;
    }
    let dir = socket_dir();
    let path = path_in(&dir, "stdio.sock");
    let data = pseudo_random(500_000, 11);
    let input = dir.path().join("input");
    std::fs::write(&input, &data).unwrap();
    let _server = Server::netdemo_with(
        &["-q", "unix", "serve", "--path", &path, "--mode", "stdio"],
        Stdio::from(std::fs::File::open(&input).unwrap()),
        Some(Stdio::null()),
    );
    // A second server on the path is refused without connecting: a probe connection would
    // be this one-client server's client, and its stdin would go to the probe.
    netdemo()
        .args(["unix", "serve", "--path", &path])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already listening"));
    // -d: nc reads nothing from its own stdin, only what the server sends until it closes.
    let got = pipe_through("nc", &["-d", "-U", &path], b"");
    assert!(got == data, "got {} of {} bytes", got.len(), data.len());
}

#[test]
fn servers_started_together_on_one_path_leave_exactly_one_listening() {
    let dir = socket_dir();
    let path = path_in(&dir, "race.sock");
    let mut servers: Vec<Reaped> = (0..6)
        .map(|_| {
            Reaped(
                Command::new(support::bin())
                    .args(["-q", "unix", "serve", "--path", &path])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            )
        })
        .collect();
    // Whichever wins, the others are refused and clients reach the winner. (The window
    // the directory lock closes, between a server's bind() and listen(), is microseconds
    // wide: separate processes rarely hit it, so this checks the outcome, not the lock.)
    let deadline = std::time::Instant::now() + DEADLINE;
    let mut refused = 0;
    while refused < 5 && std::time::Instant::now() < deadline {
        refused = 0;
        for server in &mut servers {
            if let Some(status) = server.0.try_wait().unwrap() {
                assert_eq!(status.code(), Some(1), "a server failed otherwise");
                refused += 1;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(refused, 5, "all but one server should have been refused");
    for server in &mut servers {
        if server.0.try_wait().unwrap().is_some() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut server.0.stderr.take().unwrap(), &mut err).unwrap();
            assert!(err.contains("already listening"), "{err}");
        }
    }
    netdemo()
        .args(["unix", "connect", "--path", &path, "hi"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Loop_Msg: hi!"));
}

#[test]
fn a_path_that_is_not_utf8_works_and_its_control_characters_never_start_a_log_line() {
    use std::os::unix::ffi::OsStrExt;
    let dir = socket_dir();
    let raw = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"x\xff\nERROR fake.sock"));
    let mut cmd = Command::new(support::bin());
    cmd.env("NO_COLOR", "1").env_remove("RUST_LOG");
    cmd.args(["-v", "unix", "serve", "--mode", "echo", "--path"])
        .arg(&raw);
    let server = Server::spawn(cmd);
    assert!(
        server.listening.ends_with("/x\\xff\\nERROR"),
        "{}",
        server.listening
    );
    netdemo()
        .args(["unix", "connect", "--mode", "echo", "--path"])
        .arg(&raw)
        .arg("hi")
        .assert()
        .success()
        .stdout(predicate::str::contains("hi"));
    let closed = server.wait_stderr(|line| line.contains("connection closed"));
    assert!(closed.contains("x\\xff\\nERROR fake.sock"), "{closed}");
    let forged: Vec<String> = server
        .stderr()
        .into_iter()
        .filter(|line| line.starts_with("ERROR fake"))
        .collect();
    assert!(forged.is_empty(), "{forged:?}");
}
