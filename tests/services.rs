//! `--mode request` against services netdemo did not write: a Python RESP server with every
//! reply type, a line server, and a real `redis-server` when one is installed (`.ci/run`
//! installs it).

mod support;

use predicates::prelude::*;
use serde_json::Value;
use support::{Nginx, Redis, Server, netdemo, python3};

fn resp_server(test: &str) -> Option<Server> {
    python3(test)?;
    Some(Server::python("resp_server.py", &["127.0.0.1", "0"]))
}

/// `tcp connect --mode request --framing resp -p`, to be followed by the port.
const RESP_REQUEST: [&str; 7] = [
    "tcp",
    "connect",
    "--mode",
    "request",
    "--framing",
    "resp",
    "-p",
];
/// The same for `--framing http`.
const HTTP_REQUEST: [&str; 7] = [
    "tcp",
    "connect",
    "--mode",
    "request",
    "--framing",
    "http",
    "-p",
];

/// A `--mode request` run in `framing` against `port`, with `args` after: its report.
fn request_run(framing: &str, port: &str, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = vec![
        "tcp",
        "connect",
        "--mode",
        "request",
        "--framing",
        framing,
        "-p",
        port,
    ];
    all.extend_from_slice(args);
    json_run(&all)
}

/// The first JSON line of a run, and its exit status.
fn json_run(args: &[&str]) -> (Option<i32>, Value, String) {
    let run = support::json_run(args);
    let first = run.first().clone();
    (run.code, first, run.stderr)
}

#[test]
fn a_conversation_shows_each_reply_as_one_line() {
    let Some(redis) = resp_server("a_conversation_shows_each_reply_as_one_line") else {
        return;
    };
    let port = redis.port();
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "resp",
            "-p",
            &port,
        ])
        .args([
            "SET k v",
            "GET k",
            "INCR n",
            "GET missing",
            "LIST",
            "MAP",
            "ATTR",
        ])
        .args(["BOOL", "DOUBLE", "NULL", "NOPE"])
        .assert()
        .success()
        .stdout(
            "-->>OK\n-->>v\n-->>(integer) 1\n-->>(nil)\n-->>[a, 2, [x, (nil)]]\n\
             -->>{k1: 1, k2: v2}\n-->>value\n-->>true\n-->>3.14\n-->>(nil)\n\
             -->>(error) ERR unknown command\n",
        );
}

#[test]
fn expectations_pass_or_fail_the_conversation() {
    let Some(redis) = resp_server("expectations_pass_or_fail_the_conversation") else {
        return;
    };
    let port = redis.port();
    let request = RESP_REQUEST;
    netdemo()
        .args(request)
        .args([&port, "SET k v", "GET k", "--expect", "OK", "--expect", "v"])
        .assert()
        .success();
    netdemo()
        .args(request)
        .args([&port, "PING", "--expect-regex", "^PO"])
        .assert()
        .success();
    netdemo()
        .args(request)
        .args([&port, "SET k v", "GET k", "--expect", "OK", "--expect", "w"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("reply 2 from 127.0.0.1:")
                .and(predicate::str::contains("was v, expected w")),
        );
    // One --expect per message, or one for all.
    netdemo()
        .args(request)
        .args([&port, "A", "B", "C", "--expect", "x", "--expect", "y"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("2 --expect for 3 message(s)"));
    netdemo()
        .args(["tcp", "connect", "-p", &port, "hi", "--expect", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--expect does not apply to tcp connect --mode seed",
        ));
}

#[test]
fn a_load_run_checks_every_reply_and_rotates_the_messages() {
    let Some(redis) = resp_server("a_load_run_checks_every_reply_and_rotates_the_messages") else {
        return;
    };
    let port = redis.port();
    let (code, report, stderr) = request_run(
        "resp",
        &port,
        &[
            "-c", "4", "-n", "400", "SET k v", "GET k", "--expect", "OK", "--expect", "v",
        ],
    );
    assert_eq!(code, Some(0), "{report} {stderr}");
    assert_eq!(report["requests"], 400);
    assert_eq!(report["errors"], 0);
    // Counts and latencies by message: they rotate on each of the 4 connections, so each
    // got half, give or take one per connection.
    let by = report["by_message"].as_array().expect("by_message");
    assert_eq!(by.len(), 2, "{report}");
    assert_eq!(by[0]["message"], "SET k v");
    assert_eq!(by[1]["message"], "GET k");
    let (set, get) = (
        by[0]["requests"].as_u64().unwrap(),
        by[1]["requests"].as_u64().unwrap(),
    );
    assert_eq!(set + get, 400, "{report}");
    assert!(set.abs_diff(get) <= 4, "{report}");
    assert_eq!(by[0]["errors"], 0);
    assert!(by[1]["latency_us"]["p99"].as_u64().unwrap() > 0);
    // A wrong expectation fails every request and names the first wrong reply.
    let (code, report, stderr) =
        request_run("resp", &port, &["-n", "20", "PING", "--expect", "PANG"]);
    assert_eq!(code, Some(1));
    assert_eq!(report["errors_by_kind"]["wrong_reply"], 20, "{report}");
    assert!(
        stderr.contains("met --expect 'PANG': the first reply to 'PING' was 'PONG'"),
        "{stderr}"
    );
    // Some pass, some do not: the first wrong reply is shown once, beside what was
    // expected.
    let (code, _, stderr) = request_run(
        "resp",
        &port,
        &[
            "-n", "10", "PING", "GET k", "--expect", "PONG", "--expect", "w",
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr
            .matches("first wrong reply to 'GET k': 'v', expected 'w'")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn partial_silent_and_oversized_replies_are_errors_never_hangs() {
    let Some(redis) = resp_server("partial_silent_and_oversized_replies_are_errors") else {
        return;
    };
    let port = redis.port();
    let request = RESP_REQUEST;
    netdemo()
        .args(request)
        .args([&port, "HALF"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("closed in the middle of a frame"));
    netdemo()
        .args(request)
        .args([&port, "SILENT", "--timeout", "300ms"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no reply from 127.0.0.1:"));
    netdemo()
        .args(request)
        .args([&port, "BIG 5000", "--max-frame", "1K"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "frame larger than --max-frame (1024 bytes)",
        ));
    let (code, report, _) =
        request_run("resp", &port, &["-n", "5", "--timeout", "200ms", "SILENT"]);
    assert_eq!(code, Some(1));
    assert_eq!(report["errors_by_kind"]["timeout"], 5, "{report}");
}

#[test]
fn request_mode_speaks_line_protocols_too() {
    if python3("request_mode_speaks_line_protocols_too").is_none() {
        return;
    }
    let echo = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "line",
            "-p",
        ])
        .args([&echo.port(), "one", "two", "--expect-regex", "^(one|two)$"])
        .assert()
        .success()
        .stdout("-->>one\n-->>two\n");
    let udp = Server::netdemo(&["-q", "udp", "serve", "-p", "0"]);
    netdemo()
        .args(["udp", "send", "--mode", "request", "-p", &udp.port(), "x"])
        .args(["--expect", "Hello, x"])
        .assert()
        .success()
        .stdout("Hello, x\n");
}

#[test]
fn a_real_redis_answers_as_the_issue_shows() {
    let Some(redis) = Redis::start("a_real_redis_answers_as_the_issue_shows") else {
        return;
    };
    let port = redis.port.to_string();
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "resp",
            "-p",
            &port,
        ])
        .args(["SET k v", "GET k", "--expect", "OK", "--expect", "v"])
        .assert()
        .success()
        .stdout("-->>OK\n-->>v\n");
    let (code, report, stderr) = request_run(
        "resp",
        &port,
        &["-c", "8", "-n", "2000", "PING", "--expect", "PONG"],
    );
    assert_eq!(code, Some(0), "{report} {stderr}");
    assert_eq!(report["requests"], 2000);
}

fn http_server(test: &str) -> Option<Server> {
    python3(test)?;
    Some(Server::python("http_server.py", &["127.0.0.1", "0"]))
}

#[test]
fn every_way_an_http_body_ends_is_one_reply() {
    let Some(http) = http_server("every_way_an_http_body_ends_is_one_reply") else {
        return;
    };
    let port = http.port();
    let request = HTTP_REQUEST;
    // Keep-alive: four responses on one connection, each framed whole.
    netdemo()
        .args(request)
        .args([&port, "GET /sized", "GET /chunked", "GET /empty", "POST /echo hi there"])
        .args(["--expect", "200", "--expect", "200", "--expect", "204", "--expect", "200"])
        .assert()
        .success()
        .stdout(
            "-->>HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello\n\
             -->>HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nchu\\r\\n4;ext=1\\r\\nnked\\r\\n0\\r\\nX-Trailer: yes\\r\\n\\r\\n\n\
             -->>HTTP/1.1 204 No Content\\r\\n\\r\\n\n\
             -->>HTTP/1.1 200 OK\\r\\nContent-Length: 8\\r\\n\\r\\nhi there\n",
        );
    // A body that runs until the server closes.
    netdemo()
        .args(request)
        .args([&port, "GET /close", "--expect-regex", "until the end$"])
        .assert()
        .success();
    // The status code is what --expect compares.
    netdemo()
        .args(request)
        .args([&port, "GET /nope", "--expect", "200"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("was 404, expected 200"));
    netdemo()
        .args(request)
        .args([&port, "GET /half"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("closed in the middle of a frame"));
}

#[test]
fn an_http_load_run_reconnects_where_the_server_closes() {
    let Some(http) = http_server("an_http_load_run_reconnects_where_the_server_closes") else {
        return;
    };
    let port = http.port();
    for path in ["GET /sized", "GET /chunked", "GET /close"] {
        let (code, report, stderr) = request_run(
            "http",
            &port,
            &["-c", "2", "-n", "100", path, "--expect", "200"],
        );
        assert_eq!(code, Some(0), "{path}: {report} {stderr}");
        assert_eq!(report["requests"], 100, "{path}");
    }
}

/// A server of `tests/peers/http_odd_server.py` sending responses of `kind`.
fn odd_http_server(test: &str, kind: &str) -> Option<Server> {
    python3(test)?;
    Some(Server::python(
        "http_odd_server.py",
        &["127.0.0.1", "0", kind],
    ))
}

#[test]
fn an_early_hints_response_is_not_the_reply() {
    let Some(http) = odd_http_server("an_early_hints_response_is_not_the_reply", "early-hints")
    else {
        return;
    };
    let port = http.port();
    netdemo()
        .args(HTTP_REQUEST)
        .args([&port, "GET /", "GET /", "--expect", "200"])
        .assert()
        .success()
        .stdout(
            "-->>HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello\n\
             -->>HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello\n",
        );
    // Every reply of a load run is the final response, none shifted by the 103 before it.
    let (code, report, stderr) = request_run(
        "http",
        &port,
        &["-n", "20", "-c", "1", "GET /", "--expect", "200"],
    );
    assert_eq!(code, Some(0), "{report} {stderr}");
    assert_eq!(report["requests"], 20, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    // An --expect that fails names itself and shows the reply, not a doubt about --mode.
    netdemo()
        .args(HTTP_REQUEST)
        .args([&port, "-n", "3", "GET /", "--expect", "404"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "met --expect '404': the first reply to 'GET /' was 'HTTP/1.1 200 OK\\r\\n\
             Content-Length: 5\\r\\n\\r\\nhello'",
        ))
        .stderr(predicate::str::contains("chosen --mode").not());
}

#[test]
fn a_content_length_near_2_pow_64_fails_the_request() {
    let Some(http) = odd_http_server(
        "a_content_length_near_2_pow_64_fails_the_request",
        "huge-length",
    ) else {
        return;
    };
    let output = netdemo()
        .args(HTTP_REQUEST)
        .args([&http.port(), "GET /"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty(), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "Error: connection to 127.0.0.1:{} failed: the server announced \
             18446744073709551606 bytes of body, more than any buffer can hold",
            http.port()
        )
    );
}

#[test]
fn an_http_error_status_warns_a_single_request() {
    let Some(http) = http_server("an_http_error_status_warns_a_single_request") else {
        return;
    };
    let port = http.port();
    netdemo()
        .args(HTTP_REQUEST)
        .args([&port, "GET /missing"])
        .assert()
        .success()
        .stderr("warning: GET /missing got 404 Not Found (add --expect to fail on it)\n");
    netdemo()
        .args(HTTP_REQUEST)
        .args([&port, "GET /missing", "--expect", "200"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("was 404, expected 200"));
    // A status that was asked for is no news.
    netdemo()
        .args(HTTP_REQUEST)
        .args([&port, "GET /missing", "--expect", "404"])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn a_real_nginx_serves_a_load_run() {
    let Some(nginx) = Nginx::start("a_real_nginx_serves_a_load_run") else {
        return;
    };
    let port = nginx.port.to_string();
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "http",
            "-p",
            &port,
        ])
        .args(["GET /index.html", "--expect", "200"])
        .assert()
        .success()
        .stdout(predicate::str::contains("hello from nginx"));
    let (code, report, stderr) = request_run(
        "http",
        &port,
        &[
            "-c",
            "4",
            "-n",
            "1000",
            "GET /index.html",
            "--expect",
            "200",
        ],
    );
    assert_eq!(code, Some(0), "{report} {stderr}");
    assert_eq!(report["requests"], 1000);
}

#[test]
fn a_delimiter_reads_multi_line_replies_whole() {
    if python3("a_delimiter_reads_multi_line_replies_whole").is_none() {
        return;
    }
    let lines = Server::python("line_server.py", &["127.0.0.1", "0"]);
    let port = lines.port();
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "line",
            "--crlf",
        ])
        .args([
            "--delimiter",
            "END\\r\\n",
            "-p",
            &port,
            "get a",
            "stats",
            "get nope",
        ])
        .assert()
        .success()
        .stdout(
            "-->>VALUE a 0 5\\r\\nalpha\\r\\n\n-->>STAT pid 1\\r\\nSTAT curr_items 2\\r\\n\n-->>\n",
        );
    let (code, report, stderr) = json_run(&[
        "tcp",
        "connect",
        "--mode",
        "request",
        "--framing",
        "line",
        "--crlf",
        "--delimiter",
        "END\\r\\n",
        "-p",
        &port,
        "-c",
        "2",
        "-n",
        "200",
        "get a",
        "get b",
        "--expect-regex",
        "^VALUE [ab] 0 [45]\r\n",
    ]);
    assert_eq!(code, Some(0), "{report} {stderr}");
    assert_eq!(report["requests"], 200);
}

#[test]
fn pipelined_requests_are_matched_first_in_first_out() {
    let Some(redis) = resp_server("pipelined_requests_are_matched_first_in_first_out") else {
        return;
    };
    let port = redis.port();
    let (code, report, stderr) = request_run(
        "resp",
        &port,
        &[
            "-c",
            "2",
            "-n",
            "1000",
            "--pipeline",
            "8",
            "SET k v",
            "GET k",
            "INCR n",
            "--expect-regex",
            "^(OK|v|\\(integer\\) [0-9]+)$",
        ],
    );
    assert_eq!(code, Some(0), "{report} {stderr}");
    assert_eq!(report["requests"], 1000);
    // A server closing in the middle of a pipeline: every request in flight is an error,
    // the run ends, and it does not pass.
    let (code, report, _) = request_run(
        "resp",
        &port,
        &["-n", "40", "--pipeline", "4", "PING", "HALF"],
    );
    assert_eq!(code, Some(1));
    assert!(report["errors"].as_u64().unwrap() > 0, "{report}");
    assert_eq!(
        report["requests"].as_u64().unwrap() + report["errors"].as_u64().unwrap(),
        40,
        "every attempt is counted once: {report}"
    );
}

#[test]
fn the_seed_protocol_pipelines_over_line_framing() {
    let seed = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--framing", "line"]);
    let (code, report, stderr) = json_run(&[
        "tcp",
        "connect",
        "--framing",
        "line",
        "-p",
        &seed.port(),
        "-c",
        "2",
        "-n",
        "1000",
        "--pipeline",
        "16",
    ]);
    assert_eq!(code, Some(0), "{report} {stderr}");
    assert_eq!(report["requests"], 1000);
    netdemo()
        .args([
            "tcp",
            "connect",
            "-p",
            &seed.port(),
            "-n",
            "5",
            "--pipeline",
            "4",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--pipeline needs a framing"));
}

#[test]
fn templates_make_every_request_its_own() {
    let Some(redis) = resp_server("templates_make_every_request_its_own") else {
        return;
    };
    let port = redis.port();
    let (code, report, stderr) = request_run(
        "resp",
        &port,
        &[
            "-c",
            "4",
            "-n",
            "300",
            "SET key:{seq} {rand:16}",
            "--expect",
            "OK",
        ],
    );
    assert_eq!(code, Some(0), "{report} {stderr}");
    // Every {seq} was a new key.
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "resp",
            "-p",
            &port,
        ])
        .args(["DBSIZE", "--expect", "(integer) 300"])
        .assert()
        .success();
    let echo = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    let (code, report, stderr) = request_run(
        "line",
        &echo.port(),
        &[
            "-c",
            "4",
            "-n",
            "200",
            "k{seq}:{conn}:{rand:3} {json}",
            "--expect-regex",
            "^k[0-9]+:[0-3]:[a-z]{3} \\{json\\}$",
        ],
    );
    assert_eq!(code, Some(0), "{report} {stderr}");
    // A conversation fills them too: message i is request i on connection 0.
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "line",
            "-p",
            &echo.port(),
        ])
        .args(["a{seq}", "b{seq}{conn}"])
        .assert()
        .success()
        .stdout("-->>a0\n-->>b10\n");
}

#[test]
fn a_udp_request_load_checks_each_reply_one_at_a_time() {
    let udp = Server::netdemo(&["-q", "udp", "serve", "-p", "0"]);
    let (code, report, stderr) = json_run(&[
        "udp",
        "send",
        "--mode",
        "request",
        "-p",
        &udp.port(),
        "-n",
        "200",
        "a{seq}",
        "b",
        "--expect-regex",
        "^Hello, (a[0-9]+|b)$",
    ]);
    assert_eq!(code, Some(0), "{report} {stderr}");
    assert_eq!(report["requests"], 200);
    assert_eq!(report["by_message"][1]["requests"], 100, "{report}");
    let (code, report, stderr) = json_run(&[
        "udp",
        "send",
        "--mode",
        "request",
        "-p",
        &udp.port(),
        "-n",
        "5",
        "x",
        "--expect",
        "nope",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(report["errors_by_kind"]["wrong_reply"], 5, "{report}");
    assert!(stderr.contains("'Hello, x'"), "{stderr}");
    // Open loop: one request in flight at a time still matches by order, on schedule.
    let (code, report, stderr) = json_run(&[
        "udp",
        "send",
        "--mode",
        "request",
        "-p",
        &udp.port(),
        "--rate",
        "200",
        "-n",
        "40",
        "x",
    ]);
    assert_eq!(code, Some(0), "{report} {stderr}");
    assert_eq!(report["requests"], 40, "{report}");
    assert_eq!(report["target_rps"], 200.0, "{report}");
}

#[test]
fn what_a_new_user_tripped_on_with_request_mode() {
    let Some(redis) = resp_server("what_a_new_user_tripped_on_with_request_mode") else {
        return;
    };
    let port = redis.port();
    let request = RESP_REQUEST;
    // Lines from stdin are commands too.
    netdemo()
        .args(request)
        .args([&port, "-"])
        .write_stdin("PING\nSET a \"b c\"\nGET a\n")
        .assert()
        .success()
        .stdout("-->>PONG\n-->>OK\n-->>b c\n");
    // A failed run says what failed, not a timeout that never happened.
    let (code, _, stderr) =
        request_run("resp", &port, &["-n", "5", "--max-frame", "1K", "BIG 5000"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("succeeded: frame larger than --max-frame (1024 bytes)"),
        "{stderr}"
    );
    // Warm-up requests count against -n.
    let (code, _, stderr) = request_run("resp", &port, &["-n", "5", "--warmup", "5s", "PING"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("every request fell in the --warmup"),
        "{stderr}"
    );
    // A wrong reply in a pipeline is one error, against its own message.
    let (code, report, _) = request_run(
        "resp",
        &port,
        &[
            "-n",
            "100",
            "--pipeline",
            "8",
            "SET k v",
            "GET k",
            "--expect",
            "OK",
            "--expect",
            "w",
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(report["by_message"][0]["errors"], 0, "{report}");
    assert_eq!(report["by_message"][1]["errors"], 50, "{report}");
    // HEAD and a written HTTP version are refused before anything is sent.
    for message in ["HEAD /", "GET / HTTP/1.0"] {
        netdemo()
            .args([
                "tcp",
                "connect",
                "--mode",
                "request",
                "--framing",
                "http",
                "-p",
                &port,
            ])
            .arg(message)
            .assert()
            .code(2);
    }
}

#[test]
fn a_conversation_reconnects_where_an_http_server_closes() {
    let Some(http) = http_server("a_conversation_reconnects_where_an_http_server_closes") else {
        return;
    };
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "http",
            "-p",
            &http.port(),
        ])
        .args(["GET /close", "GET /close", "GET /sized", "--expect", "200"])
        .assert()
        .success();
}

#[test]
fn typos_error_replies_and_escapes_are_named() {
    let Some(redis) = resp_server("typos_error_replies_and_escapes_are_named") else {
        return;
    };
    let port = redis.port();
    let request = RESP_REQUEST;
    // A placeholder written almost right would load one key: refused.
    netdemo()
        .args(request)
        .args([&port, "-n", "5", "GET {rand}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("{rand} is not a placeholder"));
    // Error replies count without an expectation, and the run says how many came.
    netdemo()
        .args(request)
        .args([&port, "-n", "10", "NOPE"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "10 of the replies said the request failed",
        ));
    // --expect takes the escapes a shown reply has.
    let lines = Server::python("line_server.py", &["127.0.0.1", "0"]);
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "line",
            "--crlf",
        ])
        .args(["--delimiter", "END\\r\\n", "-p", &lines.port(), "get a"])
        .args(["--expect", "VALUE a 0 5\\r\\nalpha\\r\\n"])
        .assert()
        .success();
}

#[test]
fn a_reply_that_never_completes_says_bytes_came() {
    if python3("a_reply_that_never_completes_says_bytes_came").is_none() {
        return;
    }
    let lines = Server::python("line_server.py", &["127.0.0.1", "0"]);
    // `ERROR\r\n` never ends in the delimiter.
    netdemo()
        .args([
            "tcp",
            "connect",
            "--mode",
            "request",
            "--framing",
            "line",
            "--crlf",
        ])
        .args(["--delimiter", "END\\r\\n", "-p", &lines.port(), "bogus"])
        .args(["--timeout", "300ms"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "sent 7 bytes in 300ms but no complete reply in --framing line",
        ));
}
