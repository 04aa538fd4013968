//! Load from several machines: shard processes on this machine stand in for the machines,
//! all loading one server; their reports are merged with `netdemo merge` and checked
//! against the schedule, and the merged histogram against the union of the shards'
//! histograms decoded by an independent implementation (Python's hdrhistogram package).
//! The deployment (deploy/, the Docker build context) is checked as documented: the Job
//! manifest read by PyYAML, filled in by envsubst and run through a pod's shell, and
//! deploy/run-shards.sh against a stand-in kubectl.

mod support;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use predicates::prelude::*;
use serde_json::Value;
use support::{Server, netdemo, python3};
use wait_timeout::ChildExt;

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

/// How the README and deploy/run-shards.sh fill in the manifest's start time: envsubst
/// told to replace `$START_AT` alone, so that the pod's shell still expands the rest.
const SUBSTITUTE: &str = "envsubst '$START_AT'";

fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// `text`, YAML, read by PyYAML into JSON; `None`, with a note, without PyYAML.
fn yaml(text: &str) -> Option<Value> {
    python3("kubernetes manifest")?;
    let script = "import json, sys\n\
                  try:\n    import yaml\n\
                  except ImportError:\n    print('missing'); sys.exit(0)\n\
                  print(json.dumps(yaml.safe_load(sys.stdin)))\n";
    let output = piped(Command::new("python3").args(["-c", script]), text);
    let stdout = String::from_utf8_lossy(&output.stdout);
    if stdout.trim() == "missing" {
        eprintln!("skipping: pip install pyyaml (.ci/run does)");
        return None;
    }
    Some(serde_json::from_str(&stdout).unwrap())
}

/// Runs `cmd` with `input` on its stdin; its output, once it has succeeded.
fn piped(cmd: &mut Command, input: &str) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    output
}

fn envsubst_installed() -> bool {
    Command::new("envsubst")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `manifest` with its start time filled in as documented: by envsubst where installed,
/// else by doing what it does when told `$START_AT` (replacing `${START_AT}` and
/// `$START_AT` not followed by more of a name, nothing else).
fn substitute(manifest: &str, start: &str) -> String {
    if envsubst_installed() {
        let mut envsubst = Command::new("envsubst");
        envsubst.arg("$START_AT").env("START_AT", start);
        let output = piped(&mut envsubst, manifest);
        return String::from_utf8(output.stdout).unwrap();
    }
    eprintln!("note: envsubst is not installed (gettext-base); substituting as it would");
    let braced = manifest.replace("${START_AT}", start);
    let mut filled = String::new();
    let mut rest = braced.as_str();
    while let Some(at) = rest.find("$START_AT") {
        let after = &rest[at + "$START_AT".len()..];
        let whole = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        filled.push_str(&rest[..at]);
        filled.push_str(if whole { start } else { "$START_AT" });
        rest = after;
    }
    filled.push_str(rest);
    filled
}

fn env_value<'a>(container: &'a Value, name: &str) -> &'a str {
    container["env"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {container}"))["value"]
        .as_str()
        .unwrap()
}

/// An executable `name` in `dir` running `script`. Written by a child process: an
/// executable this process had open for writing could be inherited by a child forked
/// meanwhile by another test, and exec would then fail with "text file busy".
fn install_script(dir: &Path, name: &str, script: &str) {
    let source = dir.join(format!("{name}.txt"));
    std::fs::write(&source, script).unwrap();
    let status = Command::new("sh")
        .args(["-c", "cp \"$1\" \"$2\" && chmod 755 \"$2\"", "sh"])
        .arg(&source)
        .arg(dir.join(name))
        .status()
        .unwrap();
    assert!(status.success());
}

fn with_path(dir: &Path) -> std::ffi::OsString {
    let mut path = dir.as_os_str().to_owned();
    if let Some(old) = std::env::var_os("PATH") {
        path.push(":");
        path.push(old);
    }
    path
}

#[test]
fn the_kubernetes_job_runs_one_shard_per_completion_index() {
    let manifest = repo_file("deploy/load-shards.yaml");
    for documented in [
        "README.md",
        "deploy/run-shards.sh",
        "deploy/load-shards.yaml",
    ] {
        assert!(
            repo_file(documented).contains(SUBSTITUTE),
            "{documented} does not fill in the start time with {SUBSTITUTE}"
        );
    }
    let Some(job) = yaml(&manifest) else {
        return;
    };
    assert_eq!(job["apiVersion"], "batch/v1");
    assert_eq!(job["kind"], "Job");
    let spec = &job["spec"];
    assert_eq!(spec["completionMode"], "Indexed");
    assert_eq!(spec["completions"], spec["parallelism"]);
    // A failed shard ends only its index: a Job-wide backoffLimit would end the Job and
    // delete the others' pods, reports and all; a retry would find its start passed.
    assert_eq!(spec["backoffLimitPerIndex"], 0);
    assert!(spec.get("backoffLimit").is_none(), "{spec}");
    let pod = &spec["template"]["spec"];
    assert_eq!(pod["restartPolicy"], "Never");
    let container = &pod["containers"][0];
    assert_eq!(container["imagePullPolicy"], "IfNotPresent");
    let shards = env_value(container, "SHARDS").parse::<u64>().unwrap();
    assert_eq!(spec["completions"], shards);
    // A placeholder, never a fixed time: that would have passed by the next run.
    assert_eq!(env_value(container, "START_AT"), "${START_AT}");
    assert_eq!(container["command"], serde_json::json!(["sh", "-c"]));
    let command = container["args"][0].as_str().unwrap();
    assert!(command.contains("--shard \"$((JOB_COMPLETION_INDEX + 1))/$SHARDS\""));
    assert!(command.contains("--start-at \"$START_AT\""));
    assert!(command.contains("--json"));
}

#[test]
fn the_documented_substitution_starts_every_shard_at_the_same_future_time() {
    let start = start_in(Duration::from_secs(600));
    let filled = substitute(&repo_file("deploy/load-shards.yaml"), &start);
    assert!(!filled.contains("${START_AT}"), "{filled}");
    assert!(!filled.contains("$START_AT"), "{filled}");
    let Some(job) = yaml(&filled) else {
        return;
    };
    let container = &job["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(env_value(container, "START_AT"), start);
    let shards = job["spec"]["completions"].as_u64().unwrap();

    // Each pod's shell, given its completion index, runs the container's command; a
    // stand-in netdemo prints the arguments it gets, one a line.
    let dir = tempfile::tempdir().unwrap();
    install_script(dir.path(), "netdemo", "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    let command: Vec<&str> = container["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let argvs: Vec<Vec<String>> = (0..shards)
        .map(|index| {
            let mut pod = Command::new(command[0]);
            pod.args(&command[1..])
                .arg(container["args"][0].as_str().unwrap())
                .env("PATH", with_path(dir.path()))
                .env("JOB_COMPLETION_INDEX", index.to_string());
            for var in container["env"].as_array().unwrap() {
                pod.env(
                    var["name"].as_str().unwrap(),
                    var["value"].as_str().unwrap(),
                );
            }
            let output = pod.output().unwrap();
            assert!(output.status.success(), "{output:?}");
            String::from_utf8(output.stdout)
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    let value = |argv: &[String], flags: &[&str]| -> Option<String> {
        let at = argv.iter().position(|a| flags.contains(&a.as_str()))?;
        Some(argv[at + 1].clone())
    };
    for (index, argv) in argvs.iter().enumerate() {
        assert_eq!(
            value(argv, &["--shard"]).as_deref(),
            Some(format!("{}/{shards}", index + 1).as_str()),
            "{argv:?}"
        );
        assert_eq!(
            value(argv, &["--start-at"]),
            Some(start.clone()),
            "{argv:?}"
        );
        // One run cut in shards: the same arguments but for --shard.
        let strip = |argv: &[String]| {
            let mut rest = argv.to_vec();
            let at = rest.iter().position(|a| a == "--shard").unwrap();
            rest.drain(at..at + 2);
            rest
        };
        assert_eq!(strip(argv), strip(&argvs[0]));
    }
    let at = humantime::parse_rfc3339(&start).unwrap();
    assert!(at > SystemTime::now());

    // -c, -n and --rate are totals: each shard needs a connection and a request of its
    // own, or netdemo refuses it (shard_totals_too_small_for_the_shards_are_refused).
    let argv = &argvs[0];
    let connections: u64 = value(argv, &["-c", "--connections"])
        .expect("-c: a shard without it runs one connection, however many shards")
        .parse()
        .unwrap();
    assert!(
        connections >= shards,
        "-c {connections} for {shards} shards"
    );
    if let Some(requests) = value(argv, &["-n", "--requests"]) {
        assert!(requests.parse::<u64>().unwrap() >= shards, "{argv:?}");
    }
    if let Some(rate) = value(argv, &["--rate"]) {
        assert!(rate.parse::<f64>().unwrap() > 0.0, "{argv:?}");
    }
}

#[test]
fn the_run_script_waits_for_a_failed_job_and_merges_every_report_left() {
    if !envsubst_installed() {
        eprintln!("skipping: envsubst is not installed (apt-get install gettext-base)");
        return;
    }
    let server = Server::netdemo(&["tcp", "serve", "-p", "0", "-q"]);
    let reports = run_shards(&server.port(), 3, &["-c", "3", "--rate", "300", "-d", "1s"]);
    // A finished Job whose second pod never ran (its start had passed) and whose third
    // failed after reporting; a pod's log holds its stderr too.
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(
        logs.join("netdemo-load-0-aaaaa.log"),
        format!(
            "waiting until later (--start-at), 5 s from now\n{}",
            reports[0]
        ),
    )
    .unwrap();
    std::fs::write(
        logs.join("netdemo-load-1-bbbbb.log"),
        "Error: --start-at 2020-01-01T00:00:00Z has passed\n",
    )
    .unwrap();
    std::fs::write(
        logs.join("netdemo-load-2-ccccc.log"),
        format!("{}Error: 3 request(s) failed\n", reports[2]),
    )
    .unwrap();
    let kubectl = r#"#!/bin/sh
echo "$*" >> "$FAKE/calls"
case "$1" in
  delete) ;;
  apply) cat > "$FAKE/applied.yaml"; echo job.batch/netdemo-load ;;
  get)
    case "$2 $*" in
      job.batch/netdemo-load*) echo 'FailureTarget Failed' ;;
      *"-o name"*) for f in "$FAKE"/logs/*.log; do n=${f##*/}; echo "pod/${n%.log}"; done ;;
      *) echo 'NAME STATUS' ;;
    esac ;;
  logs) cat "$FAKE/logs/${2#pod/}.log" ;;
  *) echo "unexpected kubectl $*" >&2; exit 3 ;;
esac
"#;
    install_script(dir.path(), "kubectl", kubectl);
    let saved = dir.path().join("reports");
    let mut child = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/run-shards.sh"))
        .arg("--json")
        .env("PATH", with_path(dir.path()))
        .env("FAKE", dir.path())
        .env("NETDEMO", support::bin())
        .env("REPORTS", &saved)
        .env("LEAD", "600")
        .env("TIMEOUT", "60")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The Job has failed at the first look: a script waiting on (for Complete alone) is
    // killed long before its own deadline, LEAD + TIMEOUT from now.
    if child
        .wait_timeout(Duration::from_secs(30))
        .unwrap()
        .is_none()
    {
        child.kill().unwrap();
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("failed: at least one shard failed"),
        "{stderr}"
    );
    assert!(stderr.contains("no report in"), "{stderr}");

    let calls = std::fs::read_to_string(dir.path().join("calls")).unwrap();
    let order: Vec<&str> = calls
        .lines()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(order[..2], ["delete", "apply"], "{calls}");
    let applied = std::fs::read_to_string(dir.path().join("applied.yaml")).unwrap();
    let start = applied
        .lines()
        .find_map(|l| {
            let value = l.trim().strip_prefix("value: \"")?.strip_suffix('"')?;
            humantime::parse_rfc3339(value).ok()
        })
        .expect("a start time in the applied manifest");
    assert!(start > SystemTime::now(), "{applied}");
    assert!(!applied.contains("START_AT}"), "{applied}");

    // Every pod's log is kept, the ones without a report too; the two reports are merged.
    let mut kept: Vec<_> = std::fs::read_dir(&saved)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        [
            "netdemo-load-0-aaaaa.log",
            "netdemo-load-1-bbbbb.log",
            "netdemo-load-2-ccccc.log"
        ]
    );
    let merged: Value = serde_json::from_slice(&output.stdout).unwrap();
    let requests = |r: &str| {
        serde_json::from_str::<Value>(r.lines().next().unwrap()).unwrap()["requests"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(merged["merged"], 2);
    assert_eq!(
        merged["requests"],
        requests(&reports[0]) + requests(&reports[2])
    );
}

#[test]
fn the_docker_build_context_leaves_build_outputs_out() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules: Vec<(bool, String)> = repo_file(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.strip_prefix('!') {
            Some(keep) => (false, keep.to_owned()),
            None => (true, l.to_owned()),
        })
        .collect();
    // Docker's rules: the last pattern matching a path, or a folder above it, decides.
    let ignored = |path: &str| {
        let mut verdict = false;
        for (ignore, pattern) in &rules {
            let pattern = pattern.trim_start_matches('/').trim_end_matches('/');
            let parts: Vec<&str> = path.split('/').collect();
            if (1..=parts.len()).any(|n| glob(pattern, &parts[..n].join("/"))) {
                verdict = *ignore;
            }
        }
        verdict
    };
    for out in [
        "target/debug/netdemo",
        "fuzz/target/x86_64-unknown-linux-gnu/release/framing",
        "fuzz/corpus/framing/0a1b",
        "fuzz/artifacts/framing/crash-0a1b",
        ".git/HEAD",
        "recv7.bin",
    ] {
        assert!(ignored(out), "{out} is sent to docker build");
    }
    // What the build reads, and every file the crate includes.
    let mut needed: Vec<String> = ["Cargo.toml", "Cargo.lock", "build.rs", "src/main.rs"]
        .map(str::to_owned)
        .to_vec();
    let mut dirs = vec![root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for macro_name in ["include_str!(\"", "include_bytes!(\""] {
                for (at, _) in text.match_indices(macro_name) {
                    let rest = &text[at + macro_name.len()..];
                    let file = &rest[..rest.find('"').unwrap()];
                    let mut parts: Vec<&str> = Vec::new();
                    let from = path.parent().unwrap().strip_prefix(root).unwrap();
                    for part in from.to_str().unwrap().split('/').chain(file.split('/')) {
                        match part {
                            ".." => {
                                parts.pop();
                            }
                            "." | "" => {}
                            part => parts.push(part),
                        }
                    }
                    needed.push(parts.join("/"));
                }
            }
        }
    }
    for file in &needed {
        assert!(root.join(file).exists(), "{file}");
        assert!(
            !ignored(file),
            "{file} is needed by the build but left out of its context"
        );
    }
}

/// Whether `path` matches `pattern` as Docker reads .dockerignore: `*` and `?` within one
/// part of the path, `**` over any number of parts.
fn glob(pattern: &str, path: &str) -> bool {
    fn parts(pattern: &[&str], path: &[&str]) -> bool {
        match (pattern.first(), path.first()) {
            (None, None) => true,
            (Some(&"**"), _) => {
                parts(&pattern[1..], path) || (!path.is_empty() && parts(pattern, &path[1..]))
            }
            (Some(p), Some(q)) => {
                part(p.as_bytes(), q.as_bytes()) && parts(&pattern[1..], &path[1..])
            }
            _ => false,
        }
    }
    fn part(pattern: &[u8], name: &[u8]) -> bool {
        match (pattern.first(), name.first()) {
            (None, None) => true,
            (Some(b'*'), _) => {
                part(&pattern[1..], name) || (!name.is_empty() && part(pattern, &name[1..]))
            }
            (Some(b'?'), Some(_)) => part(&pattern[1..], &name[1..]),
            (Some(p), Some(q)) => p == q && part(&pattern[1..], &name[1..]),
            _ => false,
        }
    }
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    parts(&pattern, &path)
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

#[test]
fn a_merge_says_when_any_shard_was_saturated_and_adds_up_the_threads() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0", "-q"]);
    let run = |threads: &str| {
        let output = netdemo()
            .args(["--json", "tcp", "connect", "-p", &server.port()])
            .args(["-c", "2", "-n", "50", "--threads", threads])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    // How busy a real run was depends on the machine: the figure is set, to see what a
    // merge makes of a saturated shard beside an idle one.
    let mut busy = run("2");
    busy["client_cpu"] = 0.97.into();
    let mut idle = run("1");
    idle["client_cpu"] = 0.2.into();
    let dir = tempfile::tempdir().unwrap();
    let files = write_reports(&dir, &[busy.to_string(), idle.to_string()]);
    let output = netdemo()
        .args(["--json", "merge"])
        .args(&files)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let merged: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(merged["threads"], 3, "{merged}");
    assert_eq!(merged["client_cpu"], 0.97, "{merged}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: the load generator was saturated (97% of its CPU"),
        "{stderr}"
    );
    // Under the bound, no warning.
    idle["client_cpu"] = 0.5.into();
    let files = write_reports(&dir, &[idle.to_string()]);
    netdemo()
        .arg("merge")
        .args(&files)
        .assert()
        .success()
        .stderr(predicate::str::contains("saturated").not());
}
