//! `--html FILE`: the page a load run, a merge and a capacity search write, read as text
//! (self-contained, its figures those of the JSON report printed beside it) and opened in
//! headless Chromium (`.ci/run` installs it): a screenshot that is not blank, and the
//! rendered DOM with every chart and the expected count of series.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use predicates::prelude::*;
use serde_json::Value;
use support::{Server, json_run, json_run_within, netdemo, python3};

/// The value of the cell `data-key="KEY"` of the page's summary table.
fn cell(page: &str, key: &str) -> String {
    let marker = format!(r#"data-key="{key}">"#);
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {key} in the page"))
        + marker.len();
    page[at..].split('<').next().unwrap().to_owned()
}

/// How many series the chart `<svg id="ID">` draws.
fn series_in(page: &str, id: &str) -> usize {
    let start = page
        .find(&format!(r#"<svg id="{id}""#))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let end = start + page[start..].find("</svg>").unwrap();
    page[start..end]
        .matches(r#"<polyline class="series""#)
        .count()
}

/// Nothing in the page is fetched or run: no script, no stylesheet or image by address.
fn self_contained(page: &str) {
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..40]);
    for banned in ["<script", "<link", "<img", "@import", "url("] {
        assert!(!page.contains(banned), "the page has {banned}");
    }
    // The only address is SVG's namespace, which names, never fetches.
    let addresses = page.matches("http").count();
    let namespaces = page.matches("http://www.w3.org/2000/svg").count();
    assert_eq!(
        addresses, namespaces,
        "an address besides the SVG namespace"
    );
}

/// Headless Chromium's screenshot of `page` (a PNG) and the DOM it rendered; `None` with a
/// note where Chromium is not installed.
fn chromium(test: &str, page: &Path, shot: &Path) -> Option<String> {
    if !support::installed("chromium", &["--version"]) {
        eprintln!("skipping the browser part of {test}: chromium is not installed");
        return None;
    }
    let url = format!("file://{}", page.display());
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--window-size=940,2300",
    ];
    let status = Command::new("chromium")
        .args(flags)
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let dom = Command::new("chromium")
        .args(flags)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(dom.status.success(), "{dom:?}");
    Some(String::from_utf8_lossy(&dom.stdout).into_owned())
}

/// The PNG's pixels are not all one colour: Python decodes it (no imaging library needed).
fn not_blank(png: &Path) {
    let script = r#"
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat, width = 8, b'', 0
while pos < len(data):
    length, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b'IHDR':
        width, height = struct.unpack('>II', body[:8])
    if kind == b'IDAT':
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
# Filter bytes aside, count the distinct byte values: a blank page has two or three.
print(len(set(raw)), width, height)
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(png)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let distinct: usize = text.split_whitespace().next().unwrap().parse().unwrap();
    assert!(distinct > 20, "a blank screenshot? {text}");
}

#[test]
fn a_load_run_writes_a_page_whose_figures_are_its_reports() {
    let _heavy = support::heavy();
    if python3("a_load_run_writes_a_page").is_none() {
        return;
    }
    let server = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    let dir = tempfile::tempdir().unwrap();
    let page_path = dir.path().join("report.html");
    let run = json_run(&[
        "tcp",
        "connect",
        "-p",
        &server.port(),
        "--mode",
        "echo",
        "-c",
        "4",
        "--stages",
        "1s@300,1s@300..900",
        "--html",
        page_path.to_str().unwrap(),
    ]);
    let lines = run.succeeded();
    let report = &lines[0];
    let page = std::fs::read_to_string(&page_path).unwrap();
    self_contained(&page);
    // The same figures as the JSON report.
    assert_eq!(cell(&page, "requests"), report["requests"].to_string());
    assert_eq!(cell(&page, "errors"), "0");
    for key in ["p50", "p90", "p99", "p999", "max"] {
        assert_eq!(
            cell(&page, &format!("latency_us.{key}")),
            report["latency_us"][key].to_string(),
            "{key}"
        );
    }
    // Corrected and uncorrected; p50, p99 and max each second; answered and intended.
    assert_eq!(series_in(&page, "percentiles"), 2);
    assert_eq!(series_in(&page, "latency-over-time"), 3);
    assert_eq!(series_in(&page, "rate-over-time"), 2);
    assert!(page.contains("No errors."), "no errors, and says so");
    assert!(
        page.contains("1: 1s@300") && page.contains("2: 1s@300..900"),
        "stages marked"
    );
    assert!(
        page.contains("--stages 1s@300,1s@300..900"),
        "the command line"
    );
    // In a browser: a picture, and the charts as the DOM has them.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-html.png");
    if let Some(dom) = chromium("a_load_run_writes_a_page", &page_path, &shot) {
        not_blank(&shot);
        assert_eq!(dom.matches("<svg").count(), 3, "three charts rendered");
        assert_eq!(series_in(&dom, "latency-over-time"), 3);
    }
}

#[test]
fn a_merge_and_a_search_write_pages_too() {
    let _heavy = support::heavy();
    if python3("a_merge_and_a_search_write_pages").is_none() {
        return;
    }
    let server = Server::python("busy_server.py", &["127.0.0.1", "0", "1"]);
    let port = server.port();
    let dir = tempfile::tempdir().unwrap();
    // A run's report, merged on its own into a page.
    let report = dir.path().join("report.json");
    let output = netdemo()
        .args(["--json", "tcp", "connect", "-p", &port, "--mode", "echo"])
        .args(["--framing", "line", "-c", "2", "--rate", "200", "-d", "1s"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    std::fs::write(&report, &output.stdout).unwrap();
    let merged_page = dir.path().join("merged.html");
    let merged = json_run(&[
        "merge",
        report.to_str().unwrap(),
        "--html",
        merged_page.to_str().unwrap(),
    ]);
    let merged: Value = merged.succeeded().remove(0);
    let page = std::fs::read_to_string(&merged_page).unwrap();
    self_contained(&page);
    assert_eq!(cell(&page, "requests"), merged["requests"].to_string());
    assert_eq!(
        cell(&page, "latency_us.p99"),
        merged["latency_us"]["p99"].to_string()
    );
    // A search: the promise against each step, and the rate achieved.
    let search_page = dir.path().join("search.html");
    let run = json_run_within(
        Duration::from_secs(60),
        &[
            "tcp",
            "connect",
            "-p",
            &port,
            "--mode",
            "echo",
            "--framing",
            "line",
            "-c",
            "4",
            "--find-max-rate",
            "--slo",
            "p99<20ms",
            "--rate",
            "400..3k",
            "--step-duration",
            "500ms",
            "--warmup",
            "200ms",
            "--html",
            search_page.to_str().unwrap(),
        ],
    );
    let lines = run.succeeded();
    let search = lines.last().unwrap();
    let page = std::fs::read_to_string(&search_page).unwrap();
    self_contained(&page);
    let answer = format!(r#"data-max-rps="{}""#, search["max_rps"].as_f64().unwrap());
    assert!(page.contains(&answer), "{answer} in the page");
    // The p99 of each step and the promise's line; achieved against intended.
    assert_eq!(series_in(&page, "promise"), 2);
    assert_eq!(series_in(&page, "achieved"), 2);
    let steps = search["steps"].as_array().unwrap().len();
    assert_eq!(page.matches("<tr><td class=\"n\">").count(), steps);
}

#[test]
fn throughput_runs_write_pages_of_their_seconds() {
    let _heavy = support::heavy();
    let dir = tempfile::tempdir().unwrap();
    let sink = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--mode", "discard"]);
    let page_path = dir.path().join("send.html");
    let lines = json_run(&[
        "tcp",
        "connect",
        "-p",
        &sink.port(),
        "--mode",
        "send",
        "-d",
        "2s",
        "--html",
        page_path.to_str().unwrap(),
    ])
    .succeeded();
    let whole = lines.last().unwrap();
    assert_eq!(whole["event"], "summary", "{whole}");
    let page = std::fs::read_to_string(&page_path).unwrap();
    self_contained(&page);
    assert_eq!(cell(&page, "bytes"), whole["bytes"].to_string());
    assert_eq!(series_in(&page, "throughput"), 1);
    // TCP_INFO's round trip, where the kernel gives it (Linux).
    if whole.get("rtt_us").is_some_and(|rtt| !rtt.is_null()) {
        assert_eq!(series_in(&page, "rtt"), 1);
    }
    // One-way UDP: what the receiver says arrived is on the page too.
    let discard = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "discard"]);
    let page_path = dir.path().join("udp.html");
    let lines = json_run(&[
        "udp",
        "send",
        "-p",
        &discard.port(),
        "--mode",
        "send",
        "--bitrate",
        "2M",
        "-d",
        "2s",
        "--html",
        page_path.to_str().unwrap(),
    ])
    .succeeded();
    let whole = lines.last().unwrap();
    let page = std::fs::read_to_string(&page_path).unwrap();
    self_contained(&page);
    assert_eq!(cell(&page, "datagrams"), whole["datagrams"].to_string());
    assert_eq!(cell(&page, "received"), whole["received"].to_string());
    assert_eq!(series_in(&page, "throughput"), 1);
}

#[test]
fn a_page_that_cannot_be_written_fails_before_the_run() {
    let port = support::free_port().to_string();
    netdemo()
        .args(["tcp", "connect", "-p", &port, "-c", "1", "-d", "1s"])
        .args(["--html", "/nonexistent-dir/report.html"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "cannot write --html /nonexistent-dir/report.html",
        ))
        // Nothing was tried: the port is closed, and no connection error was reported.
        .stderr(predicates::str::contains("refused").not());
    netdemo()
        .args([
            "tcp",
            "connect",
            "-p",
            &port,
            "--mode",
            "send",
            "--metrics",
            "0",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--metrics does not apply to tcp connect --mode send",
        ));
    netdemo()
        .args([
            "udp",
            "send",
            "-p",
            &port,
            "--mode",
            "send",
            "--interval",
            "1s",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--interval does not apply"));
}
