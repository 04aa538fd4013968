//! Load from several machines: shard processes on this machine stand in for the machines,
//! all loading one server; their reports are merged with `netdemo merge` and checked
//! against the schedule, and the merged histogram against the union of the shards'
//! histograms decoded by an independent implementation (Python's hdrhistogram package).

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use predicates::prelude::*;
use serde_json::Value;
use support::{Server, netdemo, python3};

/// An RFC 3339 time `after` from now, to the second.
fn start_in(after: Duration) -> String {
    let at = SystemTime::now() + after;
    humantime::format_rfc3339_seconds(at).to_string()
}

/// Runs `shards` shard processes at once with `args` (totals), all starting at the same
/// time; returns their JSON reports.
fn run_shards(port: &str, shards: u32, args: &[&str]) -> Vec<String> {
    let start = start_in(Duration::from_secs(2));
    let children: Vec<_> = (1..=shards)
        .map(|i| {
            Command::new(support::bin())
                .args(["--json", "tcp", "connect", "-p", port])
                .args(args)
                .args(["--shard", &format!("{i}/{shards}"), "--start-at", &start])
                .env_remove("RUST_LOG")
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().unwrap();
            assert!(output.status.success(), "{output:?}");
            String::from_utf8(output.stdout).unwrap()
        })
        .collect()
}

fn write_reports(dir: &tempfile::TempDir, reports: &[String]) -> Vec<String> {
    reports
        .iter()
        .enumerate()
        .map(|(i, report)| {
            let path = dir.path().join(format!("shard{i}.json"));
            std::fs::write(&path, report).unwrap();
            path.to_str().unwrap().to_owned()
        })
        .collect()
}

fn merged(files: &[String]) -> Value {
    let output = netdemo()
        .args(["--json", "merge"])
        .args(files)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn three_shards_make_the_schedule_of_one_run_and_merge_exactly() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0", "-q"]);
    let reports = run_shards(
        &server.port(),
        3,
        &["-c", "6", "--rate", "1500", "-d", "2s"],
    );
    let parsed: Vec<Value> = reports
        .iter()
        .map(|r| serde_json::from_str(r.lines().next().unwrap()).unwrap())
        .collect();
    for (i, report) in parsed.iter().enumerate() {
        assert_eq!(report["shard"], format!("{}/3", i + 1));
        assert_eq!(report["target_rps"], 500.0);
        assert_eq!(report["connections"], 2);
        assert!(
            report["histogram_v2_b64"]
                .as_str()
                .unwrap()
                .starts_with("HISTF")
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let files = write_reports(&dir, &reports);
    let merged = merged(&files);
    let sum: u64 = parsed.iter().map(|r| r["requests"].as_u64().unwrap()).sum();
    assert_eq!(merged["requests"], sum);
    assert_eq!(merged["merged"], 3);
    assert_eq!(merged["connections"], 6);
    assert_eq!(merged["target_rps"], 1500.0);
    // The shards started together: their windows share a start within scheduling noise,
    // and the merged rate is the schedule's.
    let rps = merged["rps"].as_f64().unwrap();
    assert!((rps - 1500.0).abs() < 1500.0 * 0.1, "{merged}");

    // The merged histogram is the union of the shards', as another implementation adds
    // them; merges of merges give the same.
    if python3("hdrhistogram union").is_some() {
        let mut script = String::from(
            "import sys, json\n\
             try:\n    from hdrh.histogram import HdrHistogram\n\
             except ImportError:\n    print('missing'); sys.exit(0)\n\
             hs = [HdrHistogram.decode(b) for b in sys.argv[1:]]\n\
             union = hs[0]\n",
        );
        script.push_str(
            "for h in hs[1:-1]:\n    union.add(h)\n\
             merged = hs[-1]\n\
             qs = [50, 90, 99, 99.9, 100]\n\
             print(json.dumps({'union': [union.get_total_count()] + [union.get_value_at_percentile(q) for q in qs],\n\
                               'merged': [merged.get_total_count()] + [merged.get_value_at_percentile(q) for q in qs]}))\n",
        );
        let mut args: Vec<String> = parsed
            .iter()
            .map(|r| r["histogram_v2_b64"].as_str().unwrap().to_owned())
            .collect();
        args.push(merged["histogram_v2_b64"].as_str().unwrap().to_owned());
        let output = Command::new("python3")
            .arg("-c")
            .arg(&script)
            .args(&args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        if stdout.trim() == "missing" {
            eprintln!("skipping the hdrhistogram check: pip install hdrhistogram (.ci/run does)");
        } else {
            assert!(output.status.success(), "{output:?}");
            let compared: Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(compared["union"], compared["merged"], "{compared}");
            assert_eq!(compared["merged"][0], sum);
        }
    }
    // One shard twice is refused; logs mixed into the input are passed over.
    netdemo()
        .args(["merge", &files[0], &files[0], &files[1]])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("a second time"));
    let noisy = dir.path().join("noisy.json");
    std::fs::write(
        &noisy,
        format!("starting shard 1\n{}\nshard 1 done\n", reports[0].trim()),
    )
    .unwrap();
    netdemo()
        .args(["merge", noisy.to_str().unwrap(), &files[1], &files[2]])
        .assert()
        .success();
    let merged_file = dir.path().join("merged.json");
    std::fs::write(&merged_file, serde_json::to_string(&merged).unwrap()).unwrap();
    let again = self::merged(&[merged_file.to_str().unwrap().to_owned()]);
    assert_eq!(again["requests"], merged["requests"]);
    assert_eq!(again["latency_us"], merged["latency_us"]);
    assert_eq!(again["merged"], 3);
}

#[test]
fn reports_of_different_runs_are_refused() {
    let seed = Server::netdemo(&["tcp", "serve", "-p", "0", "-q"]);
    let echo = Server::netdemo(&["tcp", "serve", "-p", "0", "-q", "--mode", "echo"]);
    let run = |server: &Server, args: &[&str]| {
        let output = netdemo()
            .args(["--json", "tcp", "connect", "-p", &server.port(), "-n", "50"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let files = write_reports(
        &dir,
        &[
            run(&seed, &[]),
            run(&seed, &["--size", "32"]),
            run(&seed, &["--rate", "500"]),
            run(&echo, &["--mode", "echo"]),
            run(&echo, &["--mode", "echo", "--framing", "line"]),
            run(&seed, &[]),
        ],
    );
    netdemo()
        .args(["merge", &files[3], &files[4]])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("framing"));
    for (other, says) in [
        (&files[1], "message size"),
        (&files[2], "latency"),
        (&files[3], "target"),
    ] {
        netdemo()
            .args(["merge", &files[0], other])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(says))
            .stderr(predicate::str::contains("merge only the shards of one run"));
    }
    // Two runs one after the other: merged, with a warning that their windows are apart.
    netdemo()
        .args(["merge", &files[0], &files[5]])
        .assert()
        .success()
        .stderr(predicate::str::contains("do not overlap"));
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "{\"event\":\"accept\"}\n").unwrap();
    netdemo()
        .args(["merge", empty.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no load report in it"));
}

#[test]
fn shard_and_start_at_mistakes_are_refused() {
    for (args, says) in [
        (vec!["--shard", "0/3"], "1 <= I <= N"),
        (vec!["--shard", "4/3"], "1 <= I <= N"),
        (vec!["--shard", "3/3", "-c", "2"], "-c 3 or more"),
        (vec!["--shard", "3/3", "-n", "2"], "-n 3 or more"),
        (vec!["--start-at", "2020-01-01T00:00:00Z"], "has passed"),
        (vec!["--start-at", "tomorrow"], "RFC 3339"),
    ] {
        netdemo()
            .args(["tcp", "connect", "-p", "9"])
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn the_kubernetes_job_runs_one_shard_per_completion_index() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/load-shards.yaml");
    if python3("kubernetes manifest").is_none() {
        return;
    }
    let script = "import json, sys\n\
                  try:\n    import yaml\n\
                  except ImportError:\n    print('missing'); sys.exit(0)\n\
                  print(json.dumps(yaml.safe_load(open(sys.argv[1]))))\n";
    let output = Command::new("python3")
        .args(["-c", script, path])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if stdout.trim() == "missing" {
        eprintln!("skipping: pip install pyyaml (.ci/run does)");
        return;
    }
    let job: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(job["kind"], "Job");
    let spec = &job["spec"];
    assert_eq!(spec["completionMode"], "Indexed");
    assert_eq!(spec["completions"], spec["parallelism"]);
    let container = &spec["template"]["spec"]["containers"][0];
    let shards = container["env"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "SHARDS")
        .unwrap()["value"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    assert_eq!(spec["completions"], shards);
    let command = container["args"][0].as_str().unwrap();
    assert!(command.contains("--shard \"$((JOB_COMPLETION_INDEX + 1))/$SHARDS\""));
    assert!(command.contains("--start-at \"$START_AT\""));
    assert!(command.contains("--json"));
}

#[test]
fn the_interval_log_adds_up_to_the_run_in_another_implementations_reader() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0", "-q"]);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("latency.hlog");
    let output = netdemo()
        .args([
            "--json",
            "tcp",
            "connect",
            "-p",
            &server.port(),
            "-c",
            "2",
            "-d",
            "2500ms",
        ])
        .arg("--hist-log")
        .arg(&log)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.starts_with("#[Histogram log format version 1.3]"),
        "{text}"
    );
    if python3("hdrhistogram log reader").is_none() {
        return;
    }
    let script = "import sys, json\n\
                  try:\n    from hdrh.log import HistogramLogReader\n    from hdrh.histogram import HdrHistogram\n\
                  except ImportError:\n    print('missing'); sys.exit(0)\n\
                  r = HistogramLogReader(sys.argv[1], HdrHistogram(1, 3600000000, 3))\n\
                  counts = []\n\
                  while True:\n    h = r.get_next_interval_histogram()\n    if h is None: break\n    counts.append(h.get_total_count())\n\
                  print(json.dumps(counts))\n";
    let read = Command::new("python3")
        .args(["-c", script])
        .arg(&log)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&read.stdout);
    if stdout.trim() == "missing" {
        eprintln!("skipping: pip install hdrhistogram (.ci/run does)");
        return;
    }
    let counts: Vec<u64> = serde_json::from_str(&stdout).unwrap();
    assert!(counts.len() >= 2, "{counts:?}");
    assert_eq!(
        counts.iter().sum::<u64>(),
        report["requests"].as_u64().unwrap()
    );
}
