//! `--pcap FILE`: captures read back by tshark (Wireshark's command line; `.ci/run`
//! installs it): no warnings, "follow TCP stream" giving back exactly the bytes of a 1 MiB
//! stdio transfer both ways, UDP conversations counted, a relay's two legs, IPv6, and
//! what is refused.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use support::{Server, installed, ipv6_available, netdemo, pseudo_random, python3};

/// tshark, or a note and `None`.
fn tshark() -> Option<()> {
    installed("tshark", &["--version"]).then_some(())
}

/// `tshark -r FILE ARGS`: its stdout, after checking it read the file without complaint.
fn read(file: &std::path::Path, args: &[&str]) -> String {
    let output = Command::new("tshark")
        .arg("-r")
        .arg(file)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "tshark {args:?}: {stderr}");
    // tshark says when it runs as root; nothing else may appear.
    let complaints: Vec<&str> = stderr
        .lines()
        .filter(|line| !line.starts_with("Running as user"))
        .collect();
    assert!(complaints.is_empty(), "tshark {args:?}: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The bytes of TCP stream `stream` each way, as `-z follow,tcp,raw` gives them: (from
/// the first packet's sender, from the other side).
fn follow(file: &std::path::Path, stream: u32) -> (Vec<u8>, Vec<u8>) {
    let text = read(file, &["-q", "-z", &format!("follow,tcp,raw,{stream}")]);
    let (mut first, mut second) = (String::new(), String::new());
    for line in text.lines() {
        if line.starts_with('=')
            || line.starts_with("Follow")
            || line.starts_with("Filter")
            || line.starts_with("Node")
            || line.trim().is_empty()
        {
            continue;
        }
        // Node 1's data is indented with a tab.
        if line.starts_with('\t') {
            second.push_str(line.trim());
        } else {
            first.push_str(line.trim());
        }
    }
    (hex::decode(first).unwrap(), hex::decode(second).unwrap())
}

/// No expert-info warnings or errors (malformed packets, sequence trouble).
fn no_warnings(file: &std::path::Path) {
    let expert = read(file, &["-q", "-z", "expert"]);
    assert!(
        !expert.contains("Warns") && !expert.contains("Errors"),
        "{expert}"
    );
}

#[test]
fn a_stdio_transfer_both_ways_comes_back_byte_exact_from_both_captures() {
    let _heavy = support::heavy();
    if tshark().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (to_client, to_server) = (pseudo_random(1 << 20, 1), pseudo_random(1 << 20, 2));
    let served = dir.path().join("served.bin");
    let sent = dir.path().join("sent.bin");
    std::fs::write(&served, &to_client).unwrap();
    std::fs::write(&sent, &to_server).unwrap();
    let (server_pcap, client_pcap) = (dir.path().join("s.pcapng"), dir.path().join("c.pcapng"));
    let server_out = dir.path().join("server-out.bin");
    let mut server = Server::netdemo_with(
        &[
            "-q",
            "--pcap",
            server_pcap.to_str().unwrap(),
            "tcp",
            "serve",
            "-p",
            "0",
            "--mode",
            "stdio",
        ],
        Stdio::from(std::fs::File::open(&served).unwrap()),
        Some(Stdio::from(std::fs::File::create(&server_out).unwrap())),
    );
    let client = netdemo()
        .args(["-q", "--pcap"])
        .arg(&client_pcap)
        .args(["tcp", "connect", "-p", &server.port(), "--mode", "stdio"])
        .pipe_stdin(&sent)
        .unwrap()
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(client.status.success(), "{client:?}");
    assert!(client.stdout == to_client, "the transfer itself failed");
    assert!(server.wait().success());
    assert!(std::fs::read(&server_out).unwrap() == to_server);
    for pcap in [&client_pcap, &server_pcap] {
        no_warnings(pcap);
        let (client_to_server, server_to_client) = follow(pcap, 0);
        assert!(client_to_server == to_server, "{}", pcap.display());
        assert!(server_to_client == to_client, "{}", pcap.display());
    }
    // The section header names the program; timestamps are nanoseconds.
    let info = Command::new("capinfos").arg(&client_pcap).output().ok();
    if let Some(info) = info.filter(|info| info.status.success()) {
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("netdemo"), "{info}");
        assert!(info.contains("nanoseconds"), "{info}");
    }
}

#[test]
fn udp_datagrams_are_counted_by_conversation() {
    if tshark().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (server_pcap, client_pcap) = (dir.path().join("s.pcapng"), dir.path().join("c.pcapng"));
    let _server = Server::netdemo(&[
        "-q",
        "--pcap",
        server_pcap.to_str().unwrap(),
        "udp",
        "serve",
        "-p",
        "0",
        "--mode",
        "echo",
    ]);
    netdemo()
        .args(["-q", "--pcap"])
        .arg(&client_pcap)
        .args(["udp", "send", "-p", &_server.port(), "one", "two", "three"])
        .assert()
        .success();
    let fields = read(
        &client_pcap,
        &["-T", "fields", "-e", "udp.srcport", "-e", "udp.length"],
    );
    let lines: Vec<&str> = fields.lines().collect();
    assert_eq!(lines.len(), 6, "{fields}");
    // Each datagram and its echo: the payload's length plus the 8-byte header.
    let lengths: Vec<&str> = lines
        .iter()
        .map(|line| line.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(lengths, ["11", "11", "11", "11", "13", "13"]);
    let conversations = read(&client_pcap, &["-q", "-z", "conv,udp"]);
    assert!(
        conversations.contains(&format!("127.0.0.1:{}", _server.port())),
        "{conversations}"
    );
    no_warnings(&client_pcap);
}

#[test]
fn a_relay_captures_both_legs_as_two_interfaces() {
    if tshark().is_none() || python3("relay capture").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("r.pcapng");
    let target = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    let to = target.addr.to_string();
    let relay = Server::netdemo(&[
        "-q",
        "--pcap",
        pcap.to_str().unwrap(),
        "tcp",
        "relay",
        "-p",
        "0",
        "--to",
        &to,
        "--latency",
        "50ms",
    ]);
    // stream_client.py sends the file, half-closes, and prints what came back.
    let data = dir.path().join("data");
    std::fs::write(&data, b"through the relay\n").unwrap();
    let back = Command::new("python3")
        .arg(support::peer("stream_client.py"))
        .args(["127.0.0.1", &relay.port()])
        .arg(&data)
        .output()
        .unwrap();
    // It prints the length and SHA-256 of what came back.
    let wanted = format!("18 {}\n", support::sha256_hex(b"through the relay\n"));
    assert_eq!(String::from_utf8_lossy(&back.stdout), wanted);
    drop(relay);
    let legs = read(
        &pcap,
        &[
            "-T",
            "fields",
            "-e",
            "frame.interface_name",
            "-e",
            "tcp.len",
        ],
    );
    assert!(
        legs.contains("client leg\t") && legs.contains("target leg\t"),
        "{legs}"
    );
    no_warnings(&pcap);
    for stream in [0, 1] {
        let (up, down) = follow(&pcap, stream);
        assert_eq!(up, b"through the relay\n");
        assert_eq!(down, b"through the relay\n");
    }
    // The 50 ms of latency shows between the legs: the reply on the target leg, then on
    // the client leg at least 50 ms later.
    let times = read(
        &pcap,
        &[
            "-Y",
            "tcp.len > 0 && tcp.srcport != 0",
            "-T",
            "fields",
            "-e",
            "frame.interface_name",
            "-e",
            "frame.time_epoch",
        ],
    );
    let last = |leg: &str| -> f64 {
        times
            .lines()
            .filter(|line| line.starts_with(leg))
            .map(|line| line.split('\t').nth(1).unwrap().parse::<f64>().unwrap())
            .fold(0.0, f64::max)
    };
    assert!(last("client leg") - last("target leg") >= 0.045, "{times}");
}

#[test]
fn ipv6_connections_get_ipv6_headers() {
    if tshark().is_none() || !ipv6_available("ipv6 capture") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("v6.pcapng");
    let server = Server::netdemo(&["-q", "tcp", "serve", "--host", "::1", "-p", "0"]);
    netdemo()
        .args(["-q", "--pcap"])
        .arg(&pcap)
        .args([
            "tcp",
            "connect",
            "--host",
            "::1",
            "-p",
            &server.port(),
            "hi",
        ])
        .assert()
        .success();
    let sources = read(&pcap, &["-T", "fields", "-e", "ipv6.src"]);
    assert!(sources.lines().all(|line| line == "::1"), "{sources}");
    no_warnings(&pcap);
}

#[test]
fn a_capture_that_cannot_be_written_or_would_not_be_true_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dir_path = dir.path().to_str().unwrap();
    let assert = netdemo()
        .args(["--pcap", dir_path, "tcp", "connect", "-p", "1", "hi"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("cannot create the capture file"),
        "{stderr}"
    );
    let file = dir.path().join("x.pcapng");
    let file = file.to_str().unwrap();
    for (args, wanted) in [
        (
            &["tcp", "connect", "-p", "1", "-n", "10", "--rate", "10"][..],
            "load runs",
        ),
        (&["tcp", "connect", "-p", "1", "-z"], "-z"),
        (
            &["udp", "send", "-p", "1", "--mode", "send", "-n", "5"],
            "throughput",
        ),
        // Secrets exist only where netdemo itself speaks TLS.
        (
            &["--pcap-secrets", "tcp", "connect", "-p", "1", "hi"],
            "--pcap-secrets needs --tls",
        ),
        (
            &["--pcap-secrets", "udp", "send", "-p", "1"],
            "tcp serve and tcp connect with --tls",
        ),
    ] {
        let mut all = vec!["--pcap", file];
        all.extend_from_slice(args);
        let assert = netdemo().args(&all).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(wanted), "{args:?}: {stderr}");
    }
}

#[test]
fn a_unix_socket_conversation_is_written_as_tcp_between_made_up_addresses() {
    if tshark().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("app.sock");
    let pcap = dir.path().join("unix.pcapng");
    let _server = Server::netdemo(&[
        "-q",
        "unix",
        "serve",
        "--path",
        socket.to_str().unwrap(),
        "--mode",
        "echo",
    ]);
    netdemo()
        .args(["-q", "--pcap"])
        .arg(&pcap)
        .args(["unix", "connect", "--path"])
        .arg(&socket)
        .args(["--mode", "echo", "--framing", "line", "over a unix socket"])
        .assert()
        .success();
    no_warnings(&pcap);
    let (up, down) = follow(&pcap, 0);
    assert_eq!(up, b"over a unix socket\n");
    assert_eq!(down, b"over a unix socket\n");
    let ends = read(
        &pcap,
        &["-T", "fields", "-e", "ip.dst", "-e", "tcp.dstport"],
    );
    assert!(ends.lines().next().unwrap() == "127.0.0.2\t49152", "{ends}");
    let names = read(&pcap, &["-T", "fields", "-e", "frame.interface_name"]);
    assert!(names.lines().all(|n| n.starts_with("unix ")), "{names}");
}

#[test]
fn a_capture_the_disk_refuses_fails_the_command_with_the_reason() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("skipping: no /dev/full here");
        return;
    }
    let server = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--mode", "echo"]);
    let output = netdemo()
        .args([
            "-q",
            "--pcap",
            "/dev/full",
            "tcp",
            "connect",
            "-p",
            &server.port(),
        ])
        .args(["--mode", "echo", "hi"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot write the capture"), "{stderr}");
    // The conversation itself went on.
    assert_eq!(String::from_utf8_lossy(&output.stdout), "-->>hi\n");
}

#[test]
fn explain_names_the_packet_each_step_became() {
    if tshark().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("told.pcapng");
    let server = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--mode", "echo"]);
    let output = netdemo()
        .args(["--explain", "--pcap"])
        .arg(&pcap)
        .args([
            "tcp",
            "connect",
            "-p",
            &server.port(),
            "--mode",
            "echo",
            "hi",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--pcap: packets 1-3 of the capture are this connection's handshake"),
        "{stderr}"
    );
    // The send of "hi" is packet 4; its echo, packet 5. tshark agrees.
    assert!(
        stderr.contains("--pcap: that is packet 4 of the capture"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--pcap: that is packet 5 of the capture"),
        "{stderr}"
    );
    let lengths = read(
        &pcap,
        &["-T", "fields", "-e", "frame.number", "-e", "tcp.len"],
    );
    let lines: Vec<&str> = lengths.lines().collect();
    assert_eq!(&lines[3..5], ["4\t2", "5\t2"], "{lengths}");
}

#[test]
fn a_udp_relay_captures_both_legs() {
    if tshark().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("udp-relay.pcapng");
    let target = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "echo"]);
    let to = target.addr.to_string();
    let relay = Server::netdemo(&[
        "-q",
        "--pcap",
        pcap.to_str().unwrap(),
        "udp",
        "relay",
        "-p",
        "0",
        "--to",
        &to,
    ]);
    netdemo()
        .args([
            "-q",
            "udp",
            "send",
            "-p",
            &relay.port(),
            "--mode",
            "echo",
            "a",
            "bb",
        ])
        .assert()
        .success()
        .stdout("a\nbb\n");
    drop(relay);
    let legs = read(
        &pcap,
        &[
            "-T",
            "fields",
            "-e",
            "frame.interface_name",
            "-e",
            "udp.length",
        ],
    );
    let count = |leg: &str| legs.lines().filter(|l| l.starts_with(leg)).count();
    assert_eq!((count("client leg"), count("target leg")), (4, 4), "{legs}");
    no_warnings(&pcap);
}
