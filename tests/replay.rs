//! `--replay FILE`: captures (netdemo's own `--pcap`, and tcpdump-style ones a Python peer
//! writes over Ethernet and Linux cooked link layers) sent again to a fresh server that
//! netdemo did not write, and every capture it cannot replay refused with the reason.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{Server, netdemo, python3};

/// `pcap_writer.py KIND` into `dir`: the file's path.
fn written(dir: &Path, kind: &str) -> PathBuf {
    let out = dir.join(format!("{kind}.pcap"));
    let status = Command::new("python3")
        .arg(support::peer("pcap_writer.py"))
        .arg(kind)
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    out
}

fn echo_server() -> Server {
    Server::python("echo_server.py", &["127.0.0.1", "0"])
}

/// `tcp connect --mode echo --framing line --replay FILE` to `server`: its stdout.
fn replay_lines(server: &Server, file: &Path) -> String {
    let output = netdemo()
        .args(["-q", "tcp", "connect", "-p", &server.port()])
        .args(["--mode", "echo", "--framing", "line", "--replay"])
        .arg(file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_conversation_netdemo_captured_is_sent_again_to_a_fresh_server() {
    if python3("replay own capture").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("chat.pcapng");
    let first = echo_server();
    let original = netdemo()
        .args(["-q", "--pcap"])
        .arg(&pcap)
        .args(["tcp", "connect", "-p", &first.port()])
        .args([
            "--mode",
            "echo",
            "--framing",
            "line",
            "one",
            "two words",
            "three",
        ])
        .output()
        .unwrap();
    assert!(original.status.success(), "{original:?}");
    let fresh = echo_server();
    let replayed = replay_lines(&fresh, &pcap);
    assert_eq!(replayed, String::from_utf8_lossy(&original.stdout));
    assert!(replayed.contains("two words"), "{replayed}");
}

#[test]
fn tcpdump_style_captures_are_reassembled_and_split_by_the_framing() {
    if python3("replay tcpdump capture").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = echo_server();
    // A retransmitted segment counts once; lines cut across segments come whole.
    for kind in ["tcp-ethernet", "tcp-sll"] {
        let file = written(dir.path(), kind);
        assert_eq!(
            replay_lines(&server, &file),
            "-->>alpha\n-->>beta\n-->>gamma\n",
            "{kind}"
        );
    }
    // Raw framing: each of the client's writes is a message, sent and echoed as it was
    // written.
    let file = written(dir.path(), "tcp-ethernet");
    let output = netdemo()
        .args(["-q", "--json", "tcp", "connect", "-p", &server.port()])
        .args(["--mode", "echo", "--replay"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let echoed: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| support::json_line(line, "a replay's event"))
        .filter(|event| event["event"] == "reply")
        .map(|event| event["data"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(echoed, ["alpha\n", "beta\ngam", "ma\n"]);
}

#[test]
fn udp_datagrams_are_sent_again_as_exchanges_and_as_a_request_load() {
    if python3("replay udp").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = written(dir.path(), "udp-ethernet");
    let server = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "echo"]);
    let output = netdemo()
        .args([
            "-q",
            "udp",
            "send",
            "-p",
            &server.port(),
            "--mode",
            "echo",
            "--replay",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    // The answer went the other way: only the two datagrams to 10.0.0.2:53 are sent.
    assert_eq!(String::from_utf8_lossy(&output.stdout), "one\ntwo\n");
    let run = support::json_run(&[
        "udp",
        "send",
        "-p",
        &server.port(),
        "--mode",
        "request",
        "-n",
        "20",
        "--replay",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.first()["requests"], 20, "{}", run.first());
}

#[test]
fn captures_that_cannot_be_replayed_say_why() {
    if python3("replay refusals").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = echo_server();
    let not_a_capture = dir.path().join("text.pcap");
    std::fs::write(&not_a_capture, "hello").unwrap();
    for (file, wanted) in [
        (written(dir.path(), "truncated"), "cut short or damaged"),
        (written(dir.path(), "linktype-147"), "link type 147"),
        (written(dir.path(), "udp-ethernet"), "no TCP stream"),
        (not_a_capture, "not a pcap or pcapng capture"),
        (dir.path().to_owned(), "cannot read"),
    ] {
        let output = netdemo()
            .args(["tcp", "connect", "-p", &server.port(), "--replay"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(wanted), "{}: {stderr}", file.display());
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    }
    // Lines that do not end: the framing given is not the capture's.
    let file = written(dir.path(), "tcp-ethernet");
    let output = netdemo()
        .args([
            "tcp",
            "connect",
            "-p",
            &server.port(),
            "--framing",
            "length",
        ])
        .arg("--replay")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("are not length"),
        "{output:?}"
    );
    for args in [
        &["tcp", "connect", "-p", "1", "-n", "5", "--replay", "x.pcap"][..],
        &[
            "tcp", "connect", "-p", "1", "--mode", "stdio", "--replay", "x.pcap",
        ],
        &[
            "udp", "send", "-p", "1", "--mode", "stdio", "--replay", "x.pcap",
        ],
        &["tcp", "connect", "-p", "1", "--replay", "x.pcap", "hello"],
    ] {
        let output = netdemo().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    }
}

#[test]
fn a_conversation_tcpdump_captured_on_loopback_is_sent_again() {
    if python3("replay tcpdump").is_none() || !support::installed("tcpdump", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("lo.pcap");
    let first = echo_server();
    let filter = format!("tcp port {}", first.port());
    let mut tcpdump = Command::new("tcpdump")
        .args(["-i", "lo", "-U", "-n", "-w"])
        .arg(&pcap)
        .arg(&filter)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // tcpdump says "listening on lo" once it captures; without the right to capture it
    // says why and exits.
    let mut said = String::new();
    let stderr = tcpdump.stderr.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let listening = lines.next().and_then(Result::ok).unwrap_or_default();
    said.push_str(&listening);
    if !listening.contains("listening on") {
        let _ = tcpdump.kill();
        let _ = tcpdump.wait();
        eprintln!("skipping: tcpdump cannot capture here: {said}");
        return;
    }
    let original = netdemo()
        .args(["-q", "tcp", "connect", "-p", &first.port()])
        .args([
            "--mode",
            "echo",
            "--framing",
            "line",
            "from",
            "tcpdump's",
            "capture",
        ])
        .output()
        .unwrap();
    assert!(original.status.success(), "{original:?}");
    // SIGINT: tcpdump writes what it holds and exits.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(tcpdump.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let _ = tcpdump.wait();
    // Some sandboxes let tcpdump listen but hand it no packet ("0 packets captured").
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    if rest
        .iter()
        .any(|line| line.starts_with("0 packets captured"))
    {
        eprintln!("skipping: tcpdump captured nothing on lo here: {rest:?}");
        return;
    }
    let fresh = echo_server();
    assert_eq!(
        replay_lines(&fresh, &pcap),
        String::from_utf8_lossy(&original.stdout)
    );
}

#[test]
fn replay_timing_keeps_the_captures_gaps_in_conversations_and_exchanges() {
    if python3("replay timing").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = echo_server();
    // The client's writes were captured at 450 ms ("alpha"), then 900 ms ("beta\ngam",
    // which begins both "beta" and "gamma"), from packets 150 ms apart.
    let file = written(dir.path(), "tcp-ethernet-slow");
    let started = std::time::Instant::now();
    let output = netdemo()
        .args(["-q", "tcp", "connect", "-p", &server.port()])
        .args(["--mode", "echo", "--framing", "line", "--replay-timing"])
        .arg("--replay")
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "-->>alpha\n-->>beta\n-->>gamma\n"
    );
    let took = started.elapsed();
    assert!(took >= std::time::Duration::from_millis(450), "{took:?}");

    // Datagrams: "one" at 0, "two" 300 ms later (the answer between is not ours).
    let file = written(dir.path(), "udp-ethernet-slow");
    let udp = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "echo"]);
    let started = std::time::Instant::now();
    let output = netdemo()
        .args(["-q", "udp", "send", "-p", &udp.port(), "--mode", "echo"])
        .arg("--replay-timing")
        .arg("--replay")
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "one\ntwo\n");
    let took = started.elapsed();
    assert!(took >= std::time::Duration::from_millis(300), "{took:?}");
}

#[test]
fn a_tcp_stream_replayed_is_a_request_loads_messages_in_turn() {
    if python3("replay tcp load").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = echo_server();
    let file = written(dir.path(), "tcp-sll");
    let run = support::json_run(&[
        "tcp",
        "connect",
        "-p",
        &server.port(),
        "--mode",
        "request",
        "--framing",
        "line",
        "--expect=alpha",
        "--expect=beta",
        "--expect=gamma",
        "-n",
        "30",
        "--replay",
        file.to_str().unwrap(),
    ]);
    let report = run.first();
    assert_eq!(report["requests"], 30, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    // The capture holds three messages: two expectations fit none of them.
    let miscounted = netdemo()
        .args(["tcp", "connect", "-p", &server.port(), "--mode", "request"])
        .args(["--framing", "line", "--expect=a", "--expect=b", "--replay"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(miscounted.status.code(), Some(2), "{miscounted:?}");
    assert!(
        String::from_utf8_lossy(&miscounted.stderr).contains("2 --expect for 3 message(s)"),
        "{miscounted:?}"
    );
    // Pacing by the capture belongs to conversations; a load run is paced by --rate.
    let refused = netdemo()
        .args(["tcp", "connect", "-p", &server.port(), "--mode", "request"])
        .args([
            "--framing",
            "line",
            "-n",
            "5",
            "--replay-timing",
            "--replay",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--rate"),
        "{refused:?}"
    );
}
