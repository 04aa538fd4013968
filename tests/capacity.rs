//! Capacity runs: rate shapes (`--rate A..B --ramp`, `--stages`) followed request by
//! request and reported stage by stage and second by second, shards of a shape merged
//! into the whole, and `--find-max-rate` against a server of known capacity (a Python
//! peer that serves one request at a time for a fixed busy time) and against a real
//! redis-server; and every refusal.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use support::{Redis, Server, json_run, json_run_within, netdemo, python3};

/// The report line of a run's JSON lines.
fn report(lines: &[Value]) -> &Value {
    lines
        .iter()
        .find(|line| line["event"] == "report")
        .unwrap_or_else(|| panic!("no report in {lines:?}"))
}

fn u64s(rows: &Value, key: &str) -> Vec<u64> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| row[key].as_u64().unwrap_or(0))
        .collect()
}

#[test]
fn stages_are_followed_request_by_request_and_reported_stage_by_stage() {
    if python3("stages_are_followed").is_none() {
        return;
    }
    let server = Server::python("echo_server.py", &["127.0.0.1", "0"]);
    let port = server.port();
    let run = json_run(&[
        "tcp",
        "connect",
        "-p",
        &port,
        "--mode",
        "echo",
        "-c",
        "4",
        "--warmup",
        "500ms",
        "--stages",
        "1s@200,1s@200..600,1s@600..0",
    ]);
    let lines = run.succeeded();
    let report = report(&lines);
    assert_eq!(report["shape"], "1s@200,1s@200..600,1s@600..0", "{report}");
    // The area under each stage: 200, (200+600)/2 and 600/2, every one answered; the
    // warm-up's 100 requests at the first stage's rate are not among them.
    let stages = &report["stages"];
    assert_eq!(u64s(stages, "intended"), [200, 400, 300], "{stages}");
    assert_eq!(u64s(stages, "requests"), [200, 400, 300], "{stages}");
    assert_eq!(stages[1]["from_rps"], 200.0);
    assert_eq!(stages[1]["to_rps"], 600.0);
    assert_eq!(report["requests"], 900);
    // Second by second the schedule intended the same, and what was answered in each
    // second adds up to the run.
    let seconds = &report["seconds"];
    assert_eq!(u64s(seconds, "intended"), [200, 400, 300], "{seconds}");
    let answered: u64 = u64s(seconds, "requests").iter().sum();
    assert_eq!(answered, 900);
    for (second, row) in seconds.as_array().unwrap().iter().enumerate() {
        assert_eq!(row["t_s"], second as u64);
        let done = row["requests"].as_u64().unwrap();
        let intended = row["intended"].as_u64().unwrap();
        // A reply can land in the next second, not much more.
        assert!(done.abs_diff(intended) <= intended / 10 + 5, "{row}");
        assert!(row["latency_us"]["p99"].as_u64().unwrap() > 0, "{row}");
    }
    // The generator's own lag, on connections that were free when a request fell due, is
    // apart from the latency it adds to.
    let lag = &report["schedule_lag_us"];
    assert!(
        lag["max"].as_u64().unwrap() <= report["latency_us"]["max"].as_u64().unwrap(),
        "{report}"
    );
    // The mean rate over the measured window is what the report compares with.
    let target = report["target_rps"].as_f64().unwrap();
    assert!((280.0..=300.0).contains(&target), "{target}");
}

#[test]
fn a_ramp_paces_udp_request_and_seed_loads_too() {
    // Timed: a search beside it would starve the Python server it counts answers from.
    let _heavy = support::heavy();
    if python3("a_ramp_paces_udp").is_none() {
        return;
    }
    let server = Server::python("tutorial_udp_server.py", &["127.0.0.1", "0"]);
    let port = server.port();
    for args in [
        &["--mode", "request", "x", "--expect", "Hello, x"][..],
        &["--mode", "seed"][..],
    ] {
        let run = json_run(
            &[
                &[
                    "udp", "send", "-p", &port, "--rate", "100..300", "--ramp", "1s",
                ][..],
                args,
            ]
            .concat(),
        );
        let lines = run.succeeded();
        let report = report(&lines);
        assert_eq!(report["shape"], "1s@100..300", "{args:?}: {report}");
        assert_eq!(u64s(&report["stages"], "intended"), [200], "{report}");
        // The ramp ends at its full rate, so its last requests may be in flight when the
        // run ends (a request load) or lost to it: every one is accounted for.
        let stage = &report["stages"][0];
        let answered = stage["requests"].as_u64().unwrap();
        let unanswered = report["in_flight"].as_u64().unwrap() + stage["errors"].as_u64().unwrap();
        assert!(answered + unanswered >= 200, "{report}");
        assert!(answered >= 195, "{report}");
    }
}

#[test]
fn an_interval_on_a_udp_request_load_says_what_completed() {
    if python3("an_interval_on_a_udp_request_load").is_none() {
        return;
    }
    let server = Server::python("tutorial_udp_server.py", &["127.0.0.1", "0"]);
    let run = json_run(&[
        "udp",
        "send",
        "-p",
        &server.port(),
        "--mode",
        "request",
        "x",
        "--rate",
        "400",
        "-d",
        "1s",
        "--interval",
        "250ms",
    ]);
    let lines = run.succeeded();
    let intervals: Vec<&Value> = lines.iter().filter(|l| l["event"] == "interval").collect();
    assert!(intervals.len() >= 3, "{lines:?}");
    let answered: u64 = intervals
        .iter()
        .map(|i| i["requests"].as_u64().unwrap())
        .sum();
    let total = report(&lines)["requests"].as_u64().unwrap();
    assert!(
        answered <= total && answered * 10 >= total * 6,
        "{answered} of {total}"
    );
    for interval in &intervals {
        assert_eq!(interval["target_rps"], 400.0, "{interval}");
    }
}

#[test]
fn shards_of_a_shape_merge_into_the_whole_shape() {
    let _heavy = support::heavy();
    let server = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--mode", "echo"]);
    let port = server.port();
    let start =
        humantime::format_rfc3339_seconds(SystemTime::now() + Duration::from_secs(2)).to_string();
    let stages = "1s@300,1s@300..0";
    let children: Vec<_> = (1..=3)
        .map(|i| {
            Command::new(support::bin())
                .args(["--json", "tcp", "connect", "-p", &port, "--mode", "echo"])
                .args(["-c", "3", "--stages", stages])
                .args(["--shard", &format!("{i}/3"), "--start-at", &start])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let text = String::from_utf8(output.stdout).unwrap();
        let shard: Value = serde_json::from_str(text.trim()).unwrap();
        // Each shard ran a third of every stage: 100 and 50, give or take the deal.
        let intended = u64s(&shard["stages"], "intended");
        assert!(
            intended[0].abs_diff(100) <= 1 && intended[1].abs_diff(50) <= 1,
            "{intended:?}"
        );
        let path = dir.path().join(format!("shard{i}.json"));
        std::fs::write(&path, text).unwrap();
        files.push(path.to_str().unwrap().to_owned());
    }
    let output = netdemo()
        .args(["--json", "merge"])
        .args(&files)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let merged = support::json_line(String::from_utf8_lossy(&output.stdout).trim(), "merge");
    assert_eq!(merged["shape"], stages);
    // Exactly the whole run's requests, stage by stage and second by second.
    assert_eq!(u64s(&merged["stages"], "intended"), [300, 150]);
    assert_eq!(u64s(&merged["stages"], "requests"), [300, 150]);
    assert_eq!(u64s(&merged["seconds"], "intended")[..2], [300, 150]);
    let answered: u64 = u64s(&merged["seconds"], "requests").iter().sum();
    assert_eq!(answered, 450);
    // A shard of another shape is not part of this run.
    let other = dir.path().join("other.json");
    let mut text = std::fs::read_to_string(&files[0]).unwrap();
    text = text.replace("1s@300..0", "1s@300..10");
    std::fs::write(&other, text).unwrap();
    netdemo()
        .args(["merge", &files[1], other.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "a shard at the shape 1s@300,1s@300..10 beside one at the shape 1s@300,1s@300..0",
        ));
}

/// `netdemo --json tcp connect` closed loop against the known-capacity server: its
/// requests per second.
fn closed_loop_capacity(port: &str) -> f64 {
    let run = json_run(&[
        "tcp",
        "connect",
        "-p",
        port,
        "--mode",
        "echo",
        "--framing",
        "line",
        "-c",
        "4",
        "-d",
        "2s",
    ]);
    report(&run.succeeded())["rps"].as_f64().unwrap()
}

#[test]
fn the_search_finds_the_capacity_of_a_server_that_serves_one_request_at_a_time() {
    let _heavy = support::heavy();
    if python3("the_search_finds_the_capacity").is_none() {
        return;
    }
    // 1 ms of busy work per request, one at a time: about 1,000 requests a second.
    let server = Server::python("busy_server.py", &["127.0.0.1", "0", "1"]);
    let port = server.port();
    let before = closed_loop_capacity(&port);
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
            "100..5k",
            "--step-duration",
            "1s",
            "--warmup",
            "250ms",
        ],
    );
    let after = closed_loop_capacity(&port);
    let lines = run.succeeded();
    let search = lines.last().unwrap();
    assert_eq!(search["event"], "search", "{search}");
    assert_eq!(search["slo"], "p99 < 20.00 ms");
    let steps: Vec<&Value> = lines.iter().filter(|l| l["event"] == "step").collect();
    assert_eq!(steps.len(), search["steps"].as_array().unwrap().len());
    // The answer lies near what the server can do closed loop (measured on both sides of
    // the search: this machine is shared).
    let found = search["max_rps"].as_f64().unwrap();
    let (low, high) = (before.min(after), before.max(after));
    assert!(
        found >= 0.7 * low && found <= 1.05 * high,
        "found {found}/s against a capacity of {before:.0}-{after:.0}/s: {search}"
    );
    // The step above it broke the promise, and said how.
    let broke = search["broke_at_rps"].as_f64().unwrap();
    assert!(broke > found, "{search}");
    assert!(
        !search["broke_by"].as_array().unwrap().is_empty(),
        "{search}"
    );
    // Every step's verdict agrees with its own figures.
    for step in &steps {
        let p99 = step["bounds"][0]["value"].as_f64().unwrap();
        if step["kept"] == true {
            assert!(p99 < 20_000.0, "{step}");
        }
        assert!(step["latency_us"]["p99"].is_u64(), "{step}");
    }
    // For people: each step on a line, then the answer.
    let text = netdemo()
        .args([
            "tcp",
            "connect",
            "-p",
            &port,
            "--mode",
            "echo",
            "--framing",
            "line",
        ])
        .args(["-c", "4", "--find-max-rate", "--slo", "p99<20ms,errors<1%"])
        .args([
            "--rate",
            "200..400",
            "--step-duration",
            "500ms",
            "--warmup",
            "100ms",
        ])
        .output()
        .unwrap();
    assert!(text.status.success(), "{text:?}");
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("step  1        200/s  achieved"),
        "{stdout}"
    );
    assert!(
        stdout.contains("highest rate that kept p99 < 20.00 ms, errors < 1.00%: 400 requests/s, the top of the range searched"),
        "{stdout}"
    );
}

#[test]
fn a_udp_request_load_is_searched_too_each_step_after_a_warm_up() {
    let _heavy = support::heavy();
    if python3("a_udp_request_load_is_searched").is_none() {
        return;
    }
    let server = Server::python("tutorial_udp_server.py", &["127.0.0.1", "0"]);
    let run = json_run_within(
        Duration::from_secs(60),
        &[
            "udp",
            "send",
            "-p",
            &server.port(),
            "--mode",
            "request",
            "x",
            "--expect",
            "Hello, x",
            "--find-max-rate",
            "--slo",
            "p99<100ms",
            "--rate",
            "100..400",
            "--step-duration",
            "500ms",
        ],
    );
    let lines = run.succeeded();
    let search = lines.last().unwrap();
    assert_eq!(search["max_rps"], 400.0, "{search}");
    // Each step measured its own half second, not its warm-up too.
    for step in search["steps"].as_array().unwrap() {
        let rate = step["rate_rps"].as_f64().unwrap();
        let requests = step["requests"].as_f64().unwrap();
        assert!(requests <= rate * 0.6, "{step}");
    }
}

#[test]
fn the_search_fails_when_even_its_lowest_rate_breaks_the_promise() {
    let _heavy = support::heavy();
    if python3("the_search_fails").is_none() {
        return;
    }
    let server = Server::python("busy_server.py", &["127.0.0.1", "0", "1"]);
    netdemo()
        .args(["tcp", "connect", "-p", &server.port(), "--mode", "echo"])
        .args(["--framing", "line", "-c", "4", "--find-max-rate"])
        .args([
            "--slo",
            "p99<20ms",
            "--rate",
            "3k..6k",
            "--step-duration",
            "1s",
        ])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("step  1      3,000/s"))
        .stderr(predicates::str::contains(
            "even the lowest rate, 3000/s, broke the promise (p99 < 20.00 ms)",
        ));
}

#[test]
fn the_search_against_a_real_redis() {
    let _heavy = support::heavy();
    let Some(redis) = Redis::start("the_search_against_a_real_redis") else {
        return;
    };
    let run = json_run_within(
        Duration::from_secs(60),
        &[
            "tcp",
            "connect",
            "-p",
            &redis.port.to_string(),
            "--mode",
            "request",
            "--framing",
            "resp",
            "PING",
            "--expect",
            "PONG",
            "-c",
            "8",
            "--find-max-rate",
            "--slo",
            "p99<50ms,errors<0.1%",
            "--rate",
            "500..4k",
            "--step-duration",
            "1s",
            "--warmup",
            "250ms",
        ],
    );
    let lines = run.succeeded();
    let search = lines.last().unwrap();
    // redis takes 4,000 PINGs a second well within 50 ms, on any machine: the search
    // doubles its way to the top and says the service may take more.
    assert_eq!(search["max_rps"], 4000.0, "{search}");
    assert!(search.get("broke_at_rps").is_none(), "{search}");
    let rates: Vec<f64> = search["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rate_rps"].as_f64().unwrap())
        .collect();
    assert_eq!(rates, [500.0, 1000.0, 2000.0, 4000.0]);
    // Pipelined, a shape holds as well: every request of each stage answered.
    let run = json_run(&[
        "tcp",
        "connect",
        "-p",
        &redis.port.to_string(),
        "--mode",
        "request",
        "--framing",
        "resp",
        "PING",
        "--expect",
        "PONG",
        "-c",
        "2",
        "--pipeline",
        "4",
        "--stages",
        // A closing pause: the last requests are due well before the run ends, so none
        // is still in flight then.
        "500ms@2k,500ms@2k..4k,250ms@0",
    ]);
    let lines = run.succeeded();
    let stages = &report(&lines)["stages"];
    assert_eq!(u64s(stages, "intended"), [1000, 1500, 0], "{stages}");
    assert_eq!(u64s(stages, "requests"), [1000, 1500, 0], "{stages}");
}

#[test]
fn bad_shapes_and_searches_are_usage_errors_that_name_the_flag() {
    let port = support::free_port().to_string();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--rate", "1k..5k"],
            "--rate 1000..5000 is a range: ramp over it with --ramp",
        ),
        (&["--ramp", "5s"], "--ramp needs the rates to ramp between"),
        (&["--rate", "1k", "--ramp", "5s"], "--ramp needs the rates"),
        (
            &["--rate", "1k..2k", "--ramp", "0s"],
            "--ramp 0 would ramp nothing",
        ),
        (
            &["--stages", "1s@5k", "--rate", "1k"],
            "--stages gives the rates itself",
        ),
        (
            &["--stages", "1s@5k", "-d", "5s"],
            "the shape sets how long the run lasts (1s)",
        ),
        (&["--stages", "1s@0"], "the stages send nothing"),
        (&["--slo", "p99<5ms"], "--slo goes with --find-max-rate"),
        (
            &["--step-duration", "2s", "-d", "1s"],
            "--step-duration goes with --find-max-rate",
        ),
        (&["--find-max-rate"], "--slo <BOUNDS>"),
        (
            &["--find-max-rate", "--slo", "p98<5ms"],
            "unknown metric 'p98'",
        ),
        (
            &["--find-max-rate", "--slo", "p99<5"],
            "a latency needs a unit",
        ),
        (
            &["--find-max-rate", "--slo", "p99<5fortnights"],
            "unknown unit 'fortnights'",
        ),
        (
            &["--find-max-rate", "--slo", "p99<5ms", "-n", "100"],
            "-n does not go with --find-max-rate",
        ),
        (
            &["--find-max-rate", "--slo", "p99<5ms", "-d", "5s"],
            "-d does not go with --find-max-rate",
        ),
        (
            &["--find-max-rate", "--slo", "p99<5ms", "--rate", "5k"],
            "a fixed --rate does not go with --find-max-rate",
        ),
        (
            &["--find-max-rate", "--slo", "p99<5ms", "--rate", "5k..1k"],
            "a search goes up from a rate above 0",
        ),
        (
            &["--find-max-rate", "--slo", "p99<5ms", "--stages", "1s@1k"],
            "--stages does not go with --find-max-rate",
        ),
        (
            &["--find-max-rate", "--slo", "p99<5ms", "--shard", "1/2"],
            "--find-max-rate cannot be sharded",
        ),
        (
            &[
                "--find-max-rate",
                "--slo",
                "p99<5ms",
                "--hist-log",
                "x.hlog",
            ],
            "--hist-log does not apply to --find-max-rate",
        ),
        (
            &[
                "--find-max-rate",
                "--slo",
                "p99<5ms",
                "--step-duration",
                "0s",
            ],
            "--step-duration 0 would measure nothing",
        ),
    ];
    for (args, says) in cases {
        netdemo()
            .args(["tcp", "connect", "-p", &port])
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*says));
    }
    netdemo()
        .args([
            "tcp", "connect", "-p", &port, "--mode", "send", "--stages", "1s@1k",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--stages does not apply to tcp connect --mode send",
        ));
    netdemo()
        .args(["udp", "send", "-p", &port, "--interval", "1s", "-n", "5"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--interval applies to request loads",
        ));
}

#[test]
fn ctrl_c_stops_a_search_between_steps_or_within_one_and_says_what_it_had() {
    let _heavy = support::heavy();
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    use std::io::BufRead as _;
    use wait_timeout::ChildExt;
    let server = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    let mut search = Command::new(support::bin())
        .args(["--json", "tcp", "connect", "-p", &server.port(), "-c", "2"])
        .args(["--find-max-rate", "--slo", "p99<1s", "--rate", "100..1M"])
        .args(["--step-duration", "1s", "--warmup", "100ms"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(search.stdout.take().unwrap()).lines();
    // The first step has ended: the next is starting, or about to.
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains(r#""event":"step""#), "{first}");
    kill(Pid::from_raw(search.id() as i32), Signal::SIGINT).unwrap();
    let status = search
        .wait_timeout(Duration::from_secs(5))
        .unwrap()
        .expect("the search did not stop on SIGINT");
    assert_eq!(status.code(), Some(130));
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let end: Value = serde_json::from_str(rest.last().unwrap()).unwrap();
    assert_eq!(end["event"], "search", "{end}");
    assert_eq!(end["stopped"], "interrupted", "{end}");
    assert!(end["max_rps"].as_f64().unwrap() >= 100.0, "{end}");
}
