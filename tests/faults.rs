//! Servers under faults and abuse, through the real binary: each test does something a
//! buggy or hostile peer would do, then checks that a well-behaved client is still served
//! and that the server stops cleanly with no panic on stderr.

mod support;

use std::io::{ErrorKind, Read};
use std::net::{TcpStream, UdpSocket};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};

use nix::sys::signal::Signal;
use support::{DEADLINE, Peer, Server, bin, netdemo, python3};
use wait_timeout::ChildExt;

/// `tcp connect` sends one message to `server` and gets the tutorial's reply.
fn assert_served(server: &Server) {
    netdemo()
        .args(["tcp", "connect", "--port", &server.port(), "still there?"])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: still there?!\n");
}

/// An echo server sends back what a plain socket sends it.
fn assert_echoed(server: &Server) {
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    std::io::Write::write_all(&mut client, b"ping").unwrap();
    let mut echoed = [0u8; 4];
    client.read_exact(&mut echoed).unwrap();
    assert_eq!(&echoed, b"ping");
}

/// Stops `server` with SIGTERM; it must exit 0 without a panic. Returns its stderr.
fn assert_clean_stop(server: Server) -> Vec<String> {
    let (status, stderr) = server.stop(Signal::SIGTERM);
    assert_eq!(status.code(), Some(0), "{stderr:?}");
    assert!(!stderr.iter().any(|l| l.contains("panicked")), "{stderr:?}");
    stderr
}

fn host_port(server: &Server) -> (String, String) {
    (server.addr.ip().to_string(), server.port())
}

#[test]
fn a_client_that_floods_without_reading_is_back_pressured() {
    if python3("a_client_that_floods_without_reading_is_back_pressured").is_none() {
        return;
    }
    for mode in ["seed", "echo"] {
        let server = Server::netdemo(&["tcp", "serve", "-p", "0", "--mode", mode]);
        let (host, port) = host_port(&server);
        let before = server.rss_kib();
        // 1 GiB offered; the socket buffers on both sides hold a few MiB at most.
        let flooder = Peer::python("faulty_client.py", &[&host, &port, "flood", "1073741824"]);
        let line = flooder.next_line();
        let sent: u64 = line
            .strip_prefix("blocked ")
            .unwrap_or_else(|| panic!("{mode}: the flood was never blocked: {line}"))
            .parse()
            .unwrap();
        assert!(
            sent < 256 << 20,
            "{mode}: {sent} bytes taken before blocking"
        );
        let after = server.rss_kib();
        assert!(
            after < before + 32 * 1024,
            "{mode}: RSS grew from {before} KiB to {after} KiB under the flood"
        );
        // The flooder is still connected, its replies unread; others are served meanwhile.
        let served = if mode == "seed" {
            assert_served
        } else {
            assert_echoed
        };
        served(&server);
        flooder.finish();
        served(&server);
        assert_clean_stop(server);
    }
}

#[test]
fn reset_half_closed_silent_and_vanished_clients_leave_the_server_serving() {
    if python3("reset_half_closed_silent_and_vanished_clients").is_none() {
        return;
    }
    let server = Server::netdemo(&["tcp", "serve", "-p", "0", "--framing", "line"]);
    let (host, port) = host_port(&server);

    // Reset in the middle of a line-framed message.
    let reset = Peer::python("faulty_client.py", &[&host, &port, "rst"]);
    assert_eq!(reset.next_line(), "reset");
    reset.finish();
    assert_served_line(&server);

    // Half-closed: the reply to what came before the client's FIN is still written.
    let half = Peer::python("faulty_client.py", &[&host, &port, "half-close"]);
    assert_eq!(half.next_line(), "Hello, I am server!");
    assert_eq!(half.next_line(), "Loop_Msg: hi!");
    half.finish();

    // Connected and silent (also what a client that vanished without closing looks like
    // from here): others are served meanwhile.
    let silent = Peer::python("faulty_client.py", &[&host, &port, "silent"]);
    assert_eq!(silent.next_line(), "connected");
    assert_served_line(&server);
    silent.finish();

    // A client process killed mid-conversation.
    let mut killed = Command::new(bin())
        .args(["tcp", "connect", "-p", &port, "--framing", "line", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert_served_line(&server);
    assert_clean_stop(server);
}

fn assert_served_line(server: &Server) {
    netdemo()
        .args([
            "tcp",
            "connect",
            "-p",
            &server.port(),
            "--framing",
            "line",
            "ok",
        ])
        .assert()
        .success()
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: ok!\n");
}

#[test]
fn accept_failures_back_off_and_the_server_recovers() {
    // Few file descriptors: the server runs out of them with a handful of clients.
    let mut cmd = Command::new(bin());
    cmd.args(["tcp", "serve", "-p", "0"]).env("NO_COLOR", "1");
    // SAFETY: setrlimit is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 24,
                rlim_max: 24,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let server = Server::spawn(cmd);
    let clients: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    let failed = server.wait_stderr(|l| l.contains("accept failed"));
    assert!(failed.contains("retry_ms="), "{failed}");
    drop(clients);
    assert_served(&server);
    let stderr = assert_clean_stop(server);
    // Doubling pauses up to 1 s: a handful of retries, not a busy loop of thousands.
    let retries = stderr
        .iter()
        .filter(|l| l.contains("accept failed"))
        .count();
    assert!(retries < 100, "{retries} accept retries: {stderr:?}");
}

#[test]
fn udp_serve_survives_senders_that_vanish_before_their_reply() {
    let server = Server::netdemo(&["udp", "serve", "-p", "0"]);
    for _ in 0..5 {
        // The reply reaches a closed port; the ICMP error that comes back is not fatal.
        let gone = UdpSocket::bind("127.0.0.1:0").unwrap();
        gone.send_to(b"bye", server.addr).unwrap();
        drop(gone);
    }
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client.send_to(b"Word", server.addr).unwrap();
    let mut buf = [0u8; 64];
    let (len, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"Hello, Word");
    assert_clean_stop(server);
}

#[test]
fn limits_are_logged_with_the_peer_they_acted_on() {
    if python3("limits_are_logged_with_the_peer_they_acted_on").is_none() {
        return;
    }
    let server = Server::netdemo(&["tcp", "serve", "-p", "0", "--max-connections", "1"]);
    let (host, port) = host_port(&server);
    let first = Peer::python("faulty_client.py", &[&host, &port, "silent"]);
    assert_eq!(first.next_line(), "connected");
    // The second client waits in the listen queue until the first leaves.
    let mut second = Command::new(bin())
        .args(["tcp", "connect", "-p", &port, "waited"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    server.wait_stderr(|l| l.contains("--max-connections reached"));
    first.finish();
    let status = second
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("second client");
    assert!(status.success());
    let mut out = String::new();
    second
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.ends_with("-->>Loop_Msg: waited!\n"), "{out}");
    let stderr = assert_clean_stop(server);
    assert!(
        stderr
            .iter()
            .any(|l| l.contains("served after waiting") && l.contains("peer=127.0.0.1:")),
        "{stderr:?}"
    );
}

#[test]
fn in_flight_replies_finish_within_the_grace_period() {
    let mut server = Server::netdemo(&["tcp", "serve", "-p", "0", "--delay", "500ms"]);
    let mut client = Command::new(bin())
        .args(["tcp", "connect", "-p", &server.port(), "slow"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The server has the message in hand (it printed it) and is waiting out --delay.
    assert_eq!(server.next_line(), "-->>slow");
    let (status, stderr) = {
        let pid = nix::unistd::Pid::from_raw(server_pid(&server));
        nix::sys::signal::kill(pid, Signal::SIGTERM).unwrap();
        let status = server.wait();
        (status, server.stderr())
    };
    assert_eq!(status.code(), Some(0), "{stderr:?}");
    let status = client.wait_timeout(DEADLINE).unwrap().expect("client");
    assert!(status.success());
    let mut out = String::new();
    client
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, "-->>Hello, I am server!\n-->>Loop_Msg: slow!\n");
}

fn server_pid(server: &Server) -> i32 {
    server.pid() as i32
}

#[test]
fn the_grace_period_bounds_the_wait_and_a_second_signal_cuts_it_short() {
    // --grace ends the wait: a reply 60 s away does not hold the server.
    let server = Server::netdemo(&[
        "tcp", "serve", "-p", "0", "--delay", "60s", "--grace", "200ms",
    ]);
    let mut client = TcpStream::connect(server.addr).unwrap();
    std::io::Write::write_all(&mut client, b"slow").unwrap();
    assert_eq!(server.next_line(), "-->>slow");
    let stderr = assert_clean_stop(server);
    assert!(
        stderr
            .iter()
            .any(|l| l.contains("still busy after the grace period")),
        "{stderr:?}"
    );

    // A second signal exits at once, with the status a shell gives for that signal.
    let server = Server::netdemo(&[
        "tcp", "serve", "-p", "0", "--delay", "60s", "--grace", "60s",
    ]);
    let mut client = TcpStream::connect(server.addr).unwrap();
    std::io::Write::write_all(&mut client, b"slow").unwrap();
    assert_eq!(server.next_line(), "-->>slow");
    let pid = nix::unistd::Pid::from_raw(server_pid(&server));
    nix::sys::signal::kill(pid, Signal::SIGTERM).unwrap();
    server.wait_stderr(|l| l.contains("shutting down"));
    let (status, stderr) = server.stop(Signal::SIGINT);
    assert_eq!(status.code(), Some(130), "{stderr:?}");
}

#[test]
fn a_client_exits_promptly_on_ctrl_c_with_a_failure_status() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0", "--delay", "60s"]);
    let mut client = Command::new(bin());
    client
        .args(["tcp", "connect", "-p", &server.port(), "waiting"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // As a terminal's Ctrl-C finds it: a suite started in the background (`cmd &` in a
    // script) hands its children SIGINT ignored, which exec keeps.
    // SAFETY: signal() is async-signal-safe, and the closure touches nothing else.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut client, || {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut client = client.spawn().unwrap();
    assert_eq!(server.next_line(), "-->>waiting");
    let pid = nix::unistd::Pid::from_raw(client.id() as i32);
    nix::sys::signal::kill(pid, Signal::SIGINT).unwrap();
    let status = client
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("client exits");
    assert!(!status.success());
    assert_eq!(status.signal(), Some(libc::SIGINT));
}

/// What a client connecting from `source` (127.0.0.2 is loopback too on Linux) got from
/// its first read: the greeting, or nothing when the server closed the connection.
fn received_from(server: &Server, source: &str) -> String {
    let (host, port) = host_port(server);
    let peer = Peer::python("faulty_client.py", &[&host, &port, "source", source]);
    let line = peer.next_line();
    peer.finish();
    line
}

#[test]
fn allow_and_deny_close_refused_tcp_peers_before_any_byte() {
    if python3("allow_and_deny_close_refused_tcp_peers_before_any_byte").is_none() {
        return;
    }
    for rules in [
        &["--deny", "127.0.0.2"][..],
        &["--allow", "127.0.0.1/32"][..],
        &["--allow", "127.0.0.0/8", "--deny", "127.0.0.2/31"][..],
    ] {
        let mut args = vec!["tcp", "serve", "-p", "0"];
        args.extend_from_slice(rules);
        let server = Server::netdemo(&args);
        assert_eq!(received_from(&server, "127.0.0.2"), "b''", "{rules:?}");
        assert_served(&server);
        let stderr = assert_clean_stop(server);
        assert!(
            stderr
                .iter()
                .any(|l| l.contains("refused") && l.contains("peer=127.0.0.2:")),
            "{rules:?}: {stderr:?}"
        );
        // Nothing of the refused peer reached the mode: no greeting, no accept line.
        assert_eq!(
            stderr
                .iter()
                .filter(|l| l.contains("Accept new connection"))
                .count(),
            1,
            "{rules:?}: {stderr:?}"
        );
    }
}

#[test]
fn ipv6_rules_apply_to_ipv6_peers() {
    if python3("ipv6_rules_apply_to_ipv6_peers").is_none()
        || !support::ipv6_available("ipv6_rules_apply_to_ipv6_peers")
    {
        return;
    }
    let refused = Server::netdemo(&["tcp", "serve", "-6", "-p", "0", "--allow", "127.0.0.0/8"]);
    assert_eq!(received_from(&refused, "::1"), "b''");
    assert_clean_stop(refused);
    let allowed = Server::netdemo(&["tcp", "serve", "-6", "-p", "0", "--allow", "::1/128"]);
    assert_eq!(received_from(&allowed, "::1"), "b'Hello, I am server!'");
    assert_clean_stop(allowed);
}

#[test]
fn refused_udp_senders_get_no_reply() {
    // One socket, so the two senders share one queue, in order.
    let server = Server::netdemo(&[
        "-x",
        "udp",
        "serve",
        "-p",
        "0",
        "--deny",
        "127.0.0.2",
        "--threads",
        "1",
    ]);
    let refused = UdpSocket::bind("127.0.0.2:0").unwrap();
    let allowed = UdpSocket::bind("127.0.0.1:0").unwrap();
    allowed.set_read_timeout(Some(DEADLINE)).unwrap();
    refused.send_to(b"one", server.addr).unwrap();
    allowed.send_to(b"two", server.addr).unwrap();
    let mut buf = [0u8; 64];
    let (len, _) = allowed.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"Hello, two");
    // Both datagrams sat in the server's one queue in order, so the refused one was
    // handled before the allowed one was answered: no reply is on its way.
    refused.set_nonblocking(true).unwrap();
    assert_eq!(
        refused.recv_from(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    let stderr = assert_clean_stop(server);
    assert!(
        stderr
            .iter()
            .any(|l| l.contains("refused") && l.contains("peer=127.0.0.2:")),
        "{stderr:?}"
    );
    // Refused data is neither shown nor dumped; the admitted datagram is.
    assert!(
        !stderr.iter().any(|l| l.contains("from 127.0.0.2:")),
        "{stderr:?}"
    );
    assert!(
        stderr
            .iter()
            .any(|l| l.contains("< received 3 bytes from 127.0.0.1:")),
        "{stderr:?}"
    );
}

#[test]
fn binding_a_wildcard_address_warns_about_exposure() {
    // Bound to every interface for the moment it takes to print the warning; no peer
    // connects, so no traffic leaves loopback.
    // -q does not hide it.
    let server = Server::netdemo(&["-q", "tcp", "serve", "--host", "0.0.0.0", "-p", "0"]);
    let warning = server.wait_stderr(|l| l.contains("reachable from other machines"));
    assert!(warning.starts_with("warning: "), "{warning}");
    assert!(warning.contains("every network interface"), "{warning}");
    assert_clean_stop(server);
    let quiet_loopback = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    let stderr = assert_clean_stop(quiet_loopback);
    assert!(
        !stderr
            .iter()
            .any(|l| l.contains("reachable from other machines")),
        "{stderr:?}"
    );
}

#[test]
fn a_slow_sender_is_not_idle() {
    let Some(python) = support::python3("a_slow_sender_is_not_idle") else {
        return;
    };
    let server = Server::netdemo(&[
        "tcp",
        "serve",
        "-p",
        "0",
        "--mode",
        "echo",
        "--framing",
        "line",
        "--idle-timeout",
        "400ms",
    ]);
    // Eight bytes 150 ms apart: 1.2 s for the line, never 400 ms without a byte.
    let output = std::process::Command::new(python)
        .arg(support::peer("slow_client.py"))
        .args(["127.0.0.1", &server.port(), "150", "8"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "aaaaaaaa\n");
}

#[test]
fn udp_stdio_says_when_stdin_goes_to_another_peer() {
    use std::net::UdpSocket;
    let mut server = Server::netdemo_with(
        &["udp", "serve", "--mode", "stdio", "-p", "0"],
        std::process::Stdio::piped(),
        None,
    );
    let _stdin = server.stdin();
    let (one, two) = (
        UdpSocket::bind("127.0.0.1:0").unwrap(),
        UdpSocket::bind("127.0.0.1:0").unwrap(),
    );
    one.send_to(b"from one", server.addr).unwrap();
    assert_eq!(server.next_line(), "from one");
    two.send_to(b"from two", server.addr).unwrap();
    assert_eq!(server.next_line(), "from two");
    let line = server.wait_stderr(|l| l.contains("stdin now goes to"));
    assert!(
        line.contains(&two.local_addr().unwrap().to_string()),
        "{line}"
    );
}

#[test]
fn an_endless_stdin_line_is_refused_not_buffered() {
    let udp = Server::netdemo(&["-q", "udp", "serve", "-p", "0"]);
    let tcp = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    for (args, limit) in [
        (
            vec!["udp", "send", "--mode", "stdio", "-p", &udp.port()],
            "65507",
        ),
        (vec!["tcp", "connect", "-p", &tcp.port(), "-"], "1048576"),
    ] {
        let output = Command::new(bin())
            .args(&args)
            .stdin(std::fs::File::open("/dev/zero").unwrap())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("a line of stdin is longer than {limit} bytes")),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn accepted_connections_probe_a_peer_that_vanished() {
    let ss = Command::new("ss").arg("-V").output();
    if !ss.is_ok_and(|out| out.status.success()) {
        eprintln!("skipping accepted_connections_probe_a_peer_that_vanished: ss is missing");
        return;
    }
    let server = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    let client = TcpStream::connect(server.addr).unwrap();
    server.wait_stderr(|l| l.contains("Accept new connection"));
    // The server's side of the connection, as the kernel shows its timers.
    let filter = format!(
        "( sport = :{} and dport = :{} )",
        server.port(),
        client.local_addr().unwrap().port()
    );
    let out = Command::new("ss")
        .args(["-tnoH", "state", "established", &filter])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(line.contains("timer:(keepalive"), "{line}");
}

#[test]
fn the_listen_backlog_is_the_one_explain_names() {
    let ss = Command::new("ss").arg("-V").output();
    if !ss.is_ok_and(|out| out.status.success()) {
        eprintln!("skipping the_listen_backlog_is_the_one_explain_names: ss is missing");
        return;
    }
    let server = Server::netdemo(&["--explain", "tcp", "serve", "-p", "0"]);
    assert!(
        server
            .stderr()
            .iter()
            .any(|l| l.contains("listen(backlog 1024)")),
        "{:?}",
        server.stderr()
    );
    // For a listening socket, ss shows the backlog it was given as Send-Q.
    let filter = format!("( sport = :{} )", server.port());
    let out = Command::new("ss")
        .args(["-ltnH", &filter])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    let send_q: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(send_q.get(2), Some(&"1024"), "{line}");
}

#[test]
fn a_flood_of_refused_datagrams_is_logged_in_a_few_lines() {
    // One socket: senders on several would be handled in no order between them.
    let server = Server::netdemo(&[
        "udp",
        "serve",
        "-p",
        "0",
        "--deny",
        "127.0.0.2",
        "--threads",
        "1",
    ]);
    let refused = UdpSocket::bind("127.0.0.2:0").unwrap();
    let allowed = UdpSocket::bind("127.0.0.1:0").unwrap();
    allowed
        .set_read_timeout(Some(std::time::Duration::from_millis(200)))
        .unwrap();
    for _ in 0..2000 {
        refused.send_to(b"flood", server.addr).unwrap();
    }
    // The server handles its queue in order: once this is answered, the flood was read
    // (or dropped by the kernel, which logs nothing either). The flood may have filled
    // the server's socket buffer, so the probe is sent again until answered (bounded).
    let mut buf = [0u8; 64];
    let answered = (0..50).any(|_| {
        allowed.send_to(b"x", server.addr).unwrap();
        matches!(allowed.recv_from(&mut buf), Ok((len, _)) if &buf[..len] == b"Hello, x")
    });
    assert!(answered, "the allowed sender was never answered");
    let stderr = assert_clean_stop(server);
    let lines = stderr.iter().filter(|l| l.contains("refused")).count();
    assert!((1..=3).contains(&lines), "{lines} lines: {stderr:?}");
}

#[test]
fn a_reply_too_large_for_a_datagram_is_refused_with_a_reason() {
    let server = Server::netdemo(&["udp", "serve", "-p", "0"]);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    // `Hello, ` and 65,505 bytes is 65,512: over the 65,507 a datagram can carry.
    client.send_to(&vec![b'x'; 65_505], server.addr).unwrap();
    let line = server.wait_stderr(|l| l.contains("over the UDP maximum"));
    assert!(line.contains("65512 bytes"), "{line}");
    // The server still answers what fits.
    client.send_to(b"y", server.addr).unwrap();
    let mut buf = [0u8; 64];
    let (len, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"Hello, y");
}

#[test]
fn a_udp_server_other_machines_reach_is_no_amplifier() {
    // Bound to every interface; the test still talks over loopback only.
    let quiet = Server::netdemo(&[
        "-q", "udp", "serve", "--host", "0.0.0.0", "-p", "0", "--mode", "chargen",
    ]);
    // -q must not hide it.
    let notice = quiet.wait_stderr(|l| l.contains("reflection"));
    assert!(notice.starts_with("warning:"), "{notice}");
    let server = Server::netdemo(&[
        "udp", "serve", "--host", "0.0.0.0", "-p", "0", "--mode", "chargen",
    ]);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .send_to(b"x", format!("127.0.0.1:{}", server.port()))
        .unwrap();
    let line = server.wait_stderr(|l| l.contains("not answered"));
    assert!(line.contains("444 bytes") && line.contains("(1)"), "{line}");
    // With --allow-amplification it answers, as it does on loopback.
    let open = Server::netdemo(&[
        "udp",
        "serve",
        "--host",
        "0.0.0.0",
        "-p",
        "0",
        "--mode",
        "chargen",
        "--allow-amplification",
    ]);
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client
        .send_to(b"x", format!("127.0.0.1:{}", open.port()))
        .unwrap();
    let mut buf = [0u8; 1024];
    let (len, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(len, 444);
}

/// Writes `line`-sized messages to `client` until the server stops taking them (a write
/// times out), reading and discarding the replies meanwhile. Returns the bytes written.
fn talk_until_held_back(client: &TcpStream, line: usize) -> u64 {
    let mut reader = client.try_clone().unwrap();
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let mut writer = client.try_clone().unwrap();
    writer
        .set_write_timeout(Some(std::time::Duration::from_millis(500)))
        .unwrap();
    let message = vec![b'm'; line];
    let mut sent = 0u64;
    loop {
        match std::io::Write::write(&mut writer, &message) {
            Ok(n) => sent += n as u64,
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return sent;
            }
            Err(err) => panic!("the server failed the connection: {err}"),
        }
        assert!(
            sent < 1 << 30,
            "1 GiB taken: nothing held the connection back"
        );
    }
}

#[test]
fn a_stdout_nobody_reads_holds_back_only_the_connections_that_print() {
    let server = Server::netdemo_stdout_stalled(&["tcp", "serve", "-p", "0", "--grace", "1s"]);
    let talker = TcpStream::connect(server.addr).unwrap();
    // Each message is a line on stdout: the pipe and the output buffer fill, then this
    // connection is no longer read.
    let sent = talk_until_held_back(&talker, 1000);
    assert!(sent > 64 * 1024, "held back after {sent} bytes only");
    // The accept loop and other clients' greetings go on meanwhile.
    for _ in 0..3 {
        let mut other = TcpStream::connect(server.addr).unwrap();
        other.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut greeting = [0u8; 19];
        other.read_exact(&mut greeting).unwrap();
        assert_eq!(&greeting, b"Hello, I am server!");
    }
    // SIGTERM ends it within the grace period, saying what stdout never got.
    let (status, stderr) = server.stop(Signal::SIGTERM);
    assert_eq!(status.code(), Some(1), "{stderr:?}");
    assert!(
        stderr
            .iter()
            .any(|l| l.contains("were never written to stdout: nothing read it in time")),
        "{stderr:?}"
    );
    assert!(!stderr.iter().any(|l| l.contains("panicked")), "{stderr:?}");
}

#[test]
fn a_udp_server_whose_stdout_nobody_reads_still_stops_on_sigterm() {
    let server = Server::netdemo_stdout_stalled(&["udp", "serve", "-p", "0"]);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let datagram = vec![b'd'; 1000];
    // Far more lines than the pipe and the output buffer hold.
    for _ in 0..2000 {
        client.send_to(&datagram, server.addr).unwrap();
    }
    let (status, stderr) = server.stop(Signal::SIGTERM);
    assert_eq!(status.code(), Some(1), "{stderr:?}");
    assert!(
        stderr.iter().any(|l| l.contains("never written to stdout")),
        "{stderr:?}"
    );
}

#[test]
fn a_refused_flood_is_one_line_a_second_and_the_count_is_told_at_shutdown() {
    // One socket: senders on several would be handled in no order between them.
    let server = Server::netdemo(&[
        "udp",
        "serve",
        "-p",
        "0",
        "--deny",
        "127.0.0.2",
        "--threads",
        "1",
    ]);
    let refused = UdpSocket::bind("127.0.0.2:0").unwrap();
    let allowed = UdpSocket::bind("127.0.0.1:0").unwrap();
    allowed.set_read_timeout(Some(DEADLINE)).unwrap();
    // Few enough that the server's socket buffer holds them all with the last one.
    for _ in 0..100 {
        refused.send_to(b"flood", server.addr).unwrap();
    }
    // Handled in order: once the allowed datagram is answered, the flood has been seen.
    allowed.send_to(b"last", server.addr).unwrap();
    let mut buf = [0u8; 64];
    allowed.recv_from(&mut buf).unwrap();
    let stderr = assert_clean_stop(server);
    let refusals: Vec<&String> = stderr.iter().filter(|l| l.contains("refused")).collect();
    // The first at once, the rest counted: far fewer lines than datagrams, and the
    // count covers every datagram the kernel delivered.
    assert!(refusals.len() <= 3, "{refusals:?}");
    let counted: u64 = refusals
        .iter()
        .map(|l| {
            l.split(" (")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .map_or(1, |n| n.parse().unwrap())
        })
        .sum();
    assert_eq!(counted, 100, "{refusals:?}");
}

#[test]
fn a_server_that_resets_in_the_middle_of_a_reply_fails_the_conversation() {
    if python3("a_server_that_resets_in_the_middle_of_a_reply_fails_the_conversation").is_none() {
        return;
    }
    let server = Server::python("bad_server.py", &["127.0.0.1", "0", "reset"]);
    netdemo()
        .args(["tcp", "connect", "-p", &server.port(), "hello-world"])
        .assert()
        .code(1)
        .stdout("-->>Hello, I am server!\n-->>Loop_Msg: hello\n")
        .stderr(predicates::str::contains(
            "reset the connection instead of closing it: the last reply may have been cut short",
        ));
}

#[test]
fn partial_messages_are_bounded_across_connections() {
    // 1M beyond 64K each: 16 connections holding 100 KiB partial lines fit, 40 do not.
    let server = Server::netdemo(&[
        "tcp",
        "serve",
        "-p",
        "0",
        "--framing",
        "line",
        "--max-buffered",
        "1M",
    ]);
    let partial = vec![b'p'; 100 * 1024];
    let holders: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut conn = TcpStream::connect(server.addr).unwrap();
            // The greeting, then a line that never ends.
            let mut greeting = [0u8; 20];
            conn.set_read_timeout(Some(DEADLINE)).unwrap();
            conn.read_exact(&mut greeting).unwrap();
            std::io::Write::write_all(&mut conn, &partial).unwrap();
            conn
        })
        .collect();
    server.wait_stderr(|l| l.contains("would exceed --max-buffered (1048576 bytes)"));
    // The connections over the bound were closed; those within it are still open.
    let mut closed = 0;
    for mut conn in holders {
        conn.set_read_timeout(Some(std::time::Duration::from_millis(100)))
            .unwrap();
        let mut byte = [0u8; 1];
        match conn.read(&mut byte) {
            Ok(0) => closed += 1,
            Err(err) if err.kind() == ErrorKind::ConnectionReset => closed += 1,
            _ => {}
        }
    }
    assert!((1..=40 - 16).contains(&closed), "{closed} closed");
    netdemo()
        .args([
            "tcp",
            "connect",
            "--framing",
            "line",
            "-p",
            &server.port(),
            "still there?",
        ])
        .assert()
        .success();
    assert_clean_stop(server);
}

#[test]
fn a_stderr_nobody_reads_never_stalls_the_server() {
    use std::io::BufRead;
    // The listening event comes on stdout (--json); stderr is a pipe nobody reads, and -v
    // logs a line for every connection that closes.
    let mut server = Command::new(bin())
        .args(["-v", "--json", "tcp", "serve", "-p", "0", "--grace", "1s"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _stalled = server.stderr.take().unwrap();
    let mut stdout = std::io::BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let listening: serde_json::Value = serde_json::from_str(&line).unwrap();
    let addr: std::net::SocketAddr = listening["addr"].as_str().unwrap().parse().unwrap();
    // Keep stdout drained, so only stderr is stalled.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    // Far more log lines than a pipe holds.
    for _ in 0..2000 {
        drop(TcpStream::connect(addr).unwrap());
    }
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut greeting = [0u8; 19];
    client.read_exact(&mut greeting).unwrap();
    assert_eq!(&greeting, b"Hello, I am server!");
    std::io::Write::write_all(&mut client, b"still there?").unwrap();
    let mut reply = [0u8; 23];
    client.read_exact(&mut reply).unwrap();
    assert_eq!(&reply, b"Loop_Msg: still there?!");
    drop(client);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(server.id() as i32),
        Signal::SIGTERM,
    )
    .unwrap();
    let status = server
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("the server did not stop on SIGTERM");
    // Lines were never written to stderr: the status says so, where no line can.
    assert_eq!(status.code(), Some(1));
}

#[test]
fn a_server_whose_output_goes_to_dev_null_serves_and_stops_cleanly() {
    // Lines for /dev/null are not even formatted; nothing else changes.
    let server = Server::netdemo_with(
        &["tcp", "serve", "-p", "0"],
        Stdio::null(),
        Some(Stdio::null()),
    );
    assert_served(&server);
    assert_clean_stop(server);
}

/// Sockets of `port` in CLOSE-WAIT (the peer closed, the owner has not), from the
/// kernel's table.
fn close_wait(port: u16) -> usize {
    let local = format!(":{port:04X} ");
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .map(|table| {
            table
                .lines()
                .skip(1)
                .filter(|line| {
                    let fields: Vec<&str> = line.split_whitespace().collect();
                    fields.len() > 3
                        && format!("{} ", fields[1]).ends_with(&local)
                        && fields[3] == "08"
                })
                .count()
        })
        .sum()
}

#[test]
fn a_stalled_reader_never_keeps_the_sockets_of_clients_that_left() {
    let server = Server::netdemo_stdout_stalled(&["tcp", "serve", "-p", "0", "--grace", "1s"]);
    let talker = TcpStream::connect(server.addr).unwrap();
    let sent = talk_until_held_back(&talker, 1000);
    assert!(sent > 64 * 1024, "held back after {sent} bytes only");
    // Clients that come, say something and leave while stdout is stalled.
    for _ in 0..200 {
        let mut client = TcpStream::connect(server.addr).unwrap();
        client.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut greeting = [0u8; 19];
        client.read_exact(&mut greeting).unwrap();
        std::io::Write::write_all(&mut client, b"bye").unwrap();
    }
    // Each is released within the server's hang-up check; none waits for stdout.
    let deadline = std::time::Instant::now() + DEADLINE;
    let mut waiting = close_wait(server.addr.port());
    while waiting > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
        waiting = close_wait(server.addr.port());
    }
    assert_eq!(
        waiting, 0,
        "sockets left in CLOSE-WAIT behind a stalled stdout"
    );
    let (status, stderr) = server.stop(Signal::SIGTERM);
    assert_eq!(status.code(), Some(1), "{stderr:?}");
    assert!(!stderr.iter().any(|l| l.contains("panicked")), "{stderr:?}");
}
