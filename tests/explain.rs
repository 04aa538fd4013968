//! `--explain` golden tests: a TCP server session, a TCP client session and a UDP exchange,
//! in English and Chinese, with ports and timings normalised. Regenerate the files in
//! `tests/golden/` with `NETDEMO_BLESS=1 cargo test --test explain`.

mod support;

use std::path::Path;

use nix::sys::signal::Signal;
use support::{Server, netdemo};

/// Ports the OS chose and microseconds vary from run to run; everything else must not.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().filter(|l| l.starts_with('[')) {
        let mut line = line.to_owned();
        for marker in ["127.0.0.1:", "0.0.0.0:", "port ", "端口 "] {
            line = replace_number_after(&line, marker, "PORT");
        }
        line = replace_number_before(&line, " µs", "N");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn replace_number_after(line: &str, marker: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(marker) {
        let (head, tail) = rest.split_at(at + marker.len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        // Port 0 is what was asked for, the same on every run: it stays.
        let number = &tail[..digits];
        out.push_str(if digits > 0 && number != "0" {
            with
        } else {
            number
        });
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

fn replace_number_before(line: &str, marker: &str, with: &str) -> String {
    match line.find(marker) {
        Some(at) => {
            let start = line[..at]
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .len();
            format!("{}{with}{}", &line[..start], &line[at..])
        }
        None => line.to_owned(),
    }
}

fn check_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("NETDEMO_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "{name} differs; regenerate with NETDEMO_BLESS=1 cargo test --test explain"
    );
}

fn tcp_session(lang: &str) {
    let server = Server::netdemo(&["--explain", "--lang", lang, "tcp", "serve", "-p", "0"]);
    let client = netdemo()
        .args([
            "--explain",
            "--lang",
            lang,
            "tcp",
            "connect",
            "-p",
            &server.port(),
            "hi",
        ])
        .assert()
        .success();
    // The server narrates the close once it has read the client's `exit`.
    server.wait_stderr(|l| l.contains("close()"));
    let (status, stderr) = server.stop(Signal::SIGTERM);
    assert!(status.success());
    check_golden(
        &format!("explain-tcp-server.{lang}.txt"),
        &normalise(&stderr.join("\n")),
    );
    let client_stderr = String::from_utf8_lossy(&client.get_output().stderr).into_owned();
    check_golden(
        &format!("explain-tcp-client.{lang}.txt"),
        &normalise(&client_stderr),
    );
}

fn udp_exchange(lang: &str) {
    let server = Server::netdemo(&["--explain", "--lang", lang, "udp", "serve", "-p", "0"]);
    let client = netdemo()
        .args([
            "--explain",
            "--lang",
            lang,
            "udp",
            "send",
            "-p",
            &server.port(),
            "Hello",
        ])
        .assert()
        .success();
    server.wait_stderr(|l| l.contains("sendmmsg()"));
    let (status, stderr) = server.stop(Signal::SIGTERM);
    assert!(status.success());
    let client_stderr = String::from_utf8_lossy(&client.get_output().stderr).into_owned();
    let both = format!(
        "{}{}",
        normalise(&stderr.join("\n")),
        normalise(&client_stderr)
    );
    check_golden(&format!("explain-udp.{lang}.txt"), &both);
}

#[test]
fn tcp_session_in_english() {
    tcp_session("en");
}

#[test]
fn tcp_session_in_chinese() {
    tcp_session("zh");
}

#[test]
fn udp_exchange_in_english() {
    udp_exchange("en");
}

#[test]
fn udp_exchange_in_chinese() {
    udp_exchange("zh");
}

#[test]
fn refused_connections_explain_what_is_missing() {
    let out = netdemo()
        .args(["--explain", "tcp", "connect", "-p", "1"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("connect(127.0.0.1:1) failed after")
            && stderr.contains(
                "nothing is listening on 127.0.0.1:1 (start one with `netdemo tcp serve --port 1`)"
            ),
        "{stderr}"
    );
}
