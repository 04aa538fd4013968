//! `--metrics ADDR`: `/metrics` on servers, relays and load runs, scraped while they run.
//! What is served passes `promtool check metrics` (Prometheus' own linter, installed by
//! `.ci/run`), counters rise between two scrapes, OpenMetrics is served when asked for,
//! and a port in use or a bad address is a clear error.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use predicates::prelude::*;
use support::{DEADLINE, Server, netdemo};

/// `GET /metrics` (or `path`) with an Accept header: (status line, headers, body).
fn scrape(addr: &str, path: &str, accept: &str) -> (String, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let (status, headers) = head.split_once("\r\n").unwrap_or((head, ""));
    (status.to_owned(), headers.to_lowercase(), body.to_owned())
}

/// Scrapes `/metrics` until `done` says the body is what the test waits for, or
/// [`DEADLINE`] passes; the last body either way, for the test's own assertion.
fn scrape_until(addr: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + DEADLINE;
    loop {
        let (_, _, body) = scrape(addr, "/metrics", "text/plain");
        if done(&body) || std::time::Instant::now() > deadline {
            return body;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The value of the sample `name` (labels included, as written) in an exposition.
fn sample(body: &str, name: &str) -> f64 {
    body.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {name} in\n{body}"))
        .parse()
        .unwrap()
}

/// `promtool check metrics` on `body`, where promtool is installed.
fn promtool_accepts(body: &str) {
    if !support::installed("promtool", &["--version"]) {
        eprintln!("skipping promtool's check: promtool is not installed (.ci/run installs it)");
        return;
    }
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success() && output.stdout.is_empty() && output.stderr.is_empty(),
        "promtool: {output:?}\n{body}"
    );
}

/// Where `server` serves `/metrics`, from its `metrics on` line.
fn metrics_addr(server: &Server) -> String {
    server
        .wait_stderr(|line| line.starts_with("metrics on http://"))
        .trim_start_matches("metrics on http://")
        .trim_end_matches("/metrics")
        .to_owned()
}

/// A process that says `metrics on http://ADDR/metrics` on stderr: the child (killed and
/// reaped on drop) and ADDR.
struct Scraped {
    child: Child,
    addr: String,
    _lines: Receiver<String>,
}

impl Scraped {
    fn netdemo(args: &[&str]) -> Scraped {
        let mut child = Command::new(support::bin())
            .args(args)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let addr = loop {
            let line = rx.recv_timeout(DEADLINE).expect("no 'metrics on' line");
            if let Some(rest) = line.strip_prefix("metrics on http://") {
                break rest.trim_end_matches("/metrics").to_owned();
            }
        };
        Scraped {
            child,
            addr,
            _lines: rx,
        }
    }
}

impl Drop for Scraped {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_server_serves_metrics_that_rise_between_scrapes() {
    let server = Server::netdemo(&[
        "tcp",
        "serve",
        "-p",
        "0",
        "--mode",
        "echo",
        "--metrics",
        "127.0.0.1:0",
    ]);
    let metrics = metrics_addr(&server);
    let (status, headers, before) = scrape(&metrics, "/metrics", "text/plain");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        headers.contains("content-type: text/plain; version=0.0.4"),
        "{headers}"
    );
    promtool_accepts(&before);
    assert_eq!(sample(&before, "netdemo_connections_total"), 0.0);
    netdemo()
        .args(["tcp", "connect", "-p", &server.port(), "--mode", "echo"])
        .args(["-c", "2", "-n", "50"])
        .assert()
        .success();
    let (_, _, after) = scrape(&metrics, "/metrics", "text/plain");
    promtool_accepts(&after);
    assert_eq!(sample(&after, "netdemo_connections_total"), 2.0);
    assert_eq!(
        sample(&after, "netdemo_messages_total{direction=\"received\"}"),
        50.0
    );
    assert!(sample(&after, "netdemo_bytes_total{direction=\"sent\"}") >= 50.0 * 16.0);
    assert_eq!(sample(&after, "netdemo_output_dropped_lines_total"), 0.0);
    // OpenMetrics when the scraper asks for it, ended as the format requires.
    let (_, headers, open) = scrape(
        &metrics,
        "/metrics",
        "application/openmetrics-text; version=1.0.0,text/plain;q=0.5",
    );
    assert!(
        headers.contains("content-type: application/openmetrics-text; version=1.0.0"),
        "{headers}"
    );
    assert!(open.ends_with("# EOF\n"), "{open}");
    assert!(
        open.contains("# TYPE netdemo_connections counter\n"),
        "{open}"
    );
    // Anything but /metrics is not found, and says where to look.
    let (status, _, body) = scrape(&metrics, "/", "*/*");
    assert_eq!(status, "HTTP/1.1 404 Not Found");
    assert!(body.contains("/metrics"), "{body}");
}

#[test]
fn a_server_counts_connections_that_ended_badly_by_kind() {
    let server = Server::netdemo(&[
        "tcp",
        "serve",
        "-p",
        "0",
        "--mode",
        "echo",
        "--framing",
        "line",
        "--max-frame",
        "8",
        "--metrics",
        "127.0.0.1:0",
    ]);
    let metrics = metrics_addr(&server);
    // A line longer than --max-frame: the server ends that connection.
    let mut client = TcpStream::connect(server.addr).unwrap();
    client
        .write_all(b"a line far longer than eight bytes\n")
        .unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut rest = Vec::new();
    let _ = client.read_to_end(&mut rest);
    let kind = "netdemo_connection_errors_total{kind=\"too_large\"}";
    // The connection's end is counted as its task ends, just after the client sees it.
    let body = scrape_until(&metrics, |body| sample(body, kind) == 1.0);
    promtool_accepts(&body);
    assert_eq!(sample(&body, kind), 1.0, "{body}");
    assert_eq!(
        sample(&body, "netdemo_connection_errors_total{kind=\"reset\"}"),
        0.0
    );
}

#[test]
fn a_load_run_serves_its_requests_errors_and_latency_while_it_runs() {
    let server = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    let port = server.port();
    let run = Scraped::netdemo(&[
        "tcp",
        "connect",
        "-p",
        &port,
        "-c",
        "2",
        "--rate",
        "400",
        "-d",
        "5s",
        "--metrics",
        "127.0.0.1:0",
    ]);
    let count = |body: &str| sample(body, "netdemo_load_requests_total");
    let first = scrape_until(&run.addr, |body| count(body) > 0.0);
    promtool_accepts(&first);
    let second = scrape_until(&run.addr, |body| count(body) > count(&first));
    promtool_accepts(&second);
    assert!(count(&second) > count(&first), "the counter rose");
    assert_eq!(
        sample(&second, "netdemo_load_intended_requests_per_second"),
        400.0
    );
    // The histogram's buckets are cumulative, and all of them is the count.
    let inf = sample(&second, "netdemo_load_latency_seconds_bucket{le=\"+Inf\"}");
    assert_eq!(inf, sample(&second, "netdemo_load_latency_seconds_count"));
    assert!(sample(&second, "netdemo_load_latency_seconds_bucket{le=\"10\"}") <= inf);
    assert!(
        sample(
            &second,
            "netdemo_load_latency_percentiles_seconds{quantile=\"0.99\"}"
        ) > 0.0
    );
    assert_eq!(
        sample(&second, "netdemo_load_errors_total{kind=\"refused\"}"),
        0.0
    );
}

#[test]
fn udp_servers_and_relays_serve_metrics_too() {
    let udp = Server::netdemo(&["udp", "serve", "-p", "0", "--metrics", "0"]);
    let addr = metrics_addr(&udp);
    netdemo()
        .args(["udp", "send", "-p", &udp.port(), "hi"])
        .assert()
        .success();
    let (_, _, body) = scrape(&addr, "/metrics", "text/plain");
    promtool_accepts(&body);
    assert_eq!(
        sample(&body, "netdemo_messages_total{direction=\"received\"}"),
        1.0
    );
    assert!(
        !body.contains("netdemo_connections_open"),
        "UDP has no connections"
    );
    let relay = Server::netdemo(&[
        "tcp",
        "relay",
        "-p",
        "0",
        "--to",
        &format!("127.0.0.1:{}", support::free_port()),
        "--metrics",
        "127.0.0.1:0",
    ]);
    let addr = metrics_addr(&relay);
    let (_, _, body) = scrape(&addr, "/metrics", "text/plain");
    promtool_accepts(&body);
    assert_eq!(sample(&body, "netdemo_connections_open"), 0.0);
    assert_eq!(
        sample(&body, "netdemo_relay_faults_total{fault=\"reset\"}"),
        0.0
    );
    // A UDP relay that loses every datagram counts each loss.
    let target = Server::netdemo(&["-q", "udp", "serve", "-p", "0"]);
    let relay = Server::netdemo(&[
        "udp",
        "relay",
        "-p",
        "0",
        "--to",
        &format!("127.0.0.1:{}", target.port()),
        "--loss",
        "100%",
        "--metrics",
        "127.0.0.1:0",
    ]);
    let addr = metrics_addr(&relay);
    netdemo()
        .args([
            "udp",
            "send",
            "-p",
            &relay.port(),
            "--retries",
            "2",
            "--timeout",
            "100ms",
        ])
        .arg("hi")
        .assert()
        .failure();
    let (_, _, body) = scrape(&addr, "/metrics", "text/plain");
    promtool_accepts(&body);
    assert_eq!(
        sample(&body, "netdemo_relay_faults_total{fault=\"lost\"}"),
        3.0
    );
}

#[test]
fn a_port_in_use_and_a_bad_address_are_clear_errors() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    netdemo()
        .args(["tcp", "serve", "-p", "0", "--metrics", &port])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "--metrics: cannot listen on 127.0.0.1:{port}"
        )));
    netdemo()
        .args(["tcp", "connect", "-p", "1", "-n", "1", "--metrics", &port])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--metrics: cannot listen on"));
    netdemo()
        .args(["tcp", "serve", "--metrics", "localhost"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "expected PORT or IP:PORT, e.g. 9464 or 127.0.0.1:9464",
        ));
    netdemo()
        .args(["tcp", "serve", "--mode", "stdio", "--metrics", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--metrics does not apply"));
}

#[test]
fn metrics_reachable_from_other_machines_are_warned_of() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0", "--metrics", "0.0.0.0:0"]);
    server
        .wait_stderr(|line| line.contains("/metrics is reachable from other machines on 0.0.0.0:"));
}
