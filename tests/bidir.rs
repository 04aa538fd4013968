//! `--mode send --bidir`: both directions at once on every stream, each counted and
//! reported, against a Python server that reads and writes at once (netdemo did not
//! write it) and against netdemo's own `--mode source`; and each refusal.

mod support;

use support::{Server, json_run, netdemo};

#[test]
fn both_directions_move_every_byte_asked_for_to_a_server_netdemo_did_not_write() {
    if support::python3("bidir").is_none() {
        return;
    }
    let server = Server::python("bidir_server.py", &["0"]);
    let run = json_run(&[
        "tcp",
        "connect",
        "-p",
        &server.port(),
        "--mode",
        "send",
        "--bidir",
        "-n",
        "2M",
        "-c",
        "2",
    ]);
    let lines = run.succeeded();
    let summaries: Vec<_> = lines.iter().filter(|l| l["event"] == "summary").collect();
    assert_eq!(summaries.len(), 2, "{lines:?}");
    assert_eq!(summaries[0]["direction"], "send");
    assert_eq!(summaries[0]["bytes"], 2 * 1024 * 1024);
    assert_eq!(summaries[1]["direction"], "receive");
    assert_eq!(summaries[1]["bytes"], 2 * 1024 * 1024);
    // What the server counted from the two streams is every byte sent.
    let counted: u64 = (0..2)
        .map(|_| {
            let line = server.next_line();
            line.strip_prefix("received ")
                .unwrap()
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    assert_eq!(counted, 2 * 1024 * 1024);
}

#[test]
fn a_timed_run_against_a_source_server_reports_each_direction_each_second() {
    let _heavy = support::heavy();
    let server = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--mode", "source"]);
    let output = netdemo()
        .args([
            "tcp",
            "connect",
            "-p",
            &server.port(),
            "--mode",
            "receive",
            "--bidir",
        ])
        .args(["-d", "1500ms"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.lines().any(|l| l.starts_with("sent      ")),
        "{stderr}"
    );
    assert!(
        stderr.lines().any(|l| l.starts_with("received  ")),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let whole: Vec<&str> = stdout.lines().collect();
    assert_eq!(whole.len(), 2, "{stdout}");
    assert!(whole[0].starts_with("sent "), "{stdout}");
    assert!(whole[1].starts_with("received "), "{stdout}");
}

#[test]
fn bidir_where_it_cannot_work_is_refused_or_fails_with_the_reason() {
    let sink = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--mode", "discard"]);
    let output = netdemo()
        .args([
            "tcp",
            "connect",
            "-p",
            &sink.port(),
            "--mode",
            "send",
            "--bidir",
            "-n",
            "1M",
            "--timeout",
            "1s",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("stalled after 0 of the 1048576 bytes"),
        "{stderr}"
    );
    assert!(stderr.contains("--mode source or chargen"), "{stderr}");
    for args in [
        &["tcp", "connect", "--bidir", "hi"][..],
        &[
            "tcp", "connect", "--mode", "send", "--bidir", "--html", "x.html",
        ],
    ] {
        let output = netdemo().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    }
}
