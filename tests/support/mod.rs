//! Helpers for tests that run the `netdemo` binary and peers it did not write.
//!
//! A server is found through its `listening on ADDR` line on stderr, never a fixed port or
//! a sleep; every wait has a deadline; every spawned process is killed and reaped on drop.

#![allow(dead_code)] // each test binary uses its own subset

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use wait_timeout::ChildExt;

/// How long any single expected event (a line, an exit) may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(10);

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_netdemo"))
}

/// `netdemo` as an assert_cmd command, in an environment the developer's shell cannot
/// change, and bounded in time.
pub fn netdemo() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    cmd.env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .timeout(DEADLINE);
    cmd
}

/// A script under `tests/peers/`.
pub fn peer(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/peers")
        .join(name)
}

/// `python3`, or `None` (with a note on stderr) where it is missing, so the caller can skip.
pub fn python3(test: &str) -> Option<&'static str> {
    let found = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        eprintln!("skipping {test}: python3 is not installed");
    }
    found.then_some("python3")
}

/// Whether `program` runs (with `probe`, an argument it accepts and exits on), or `false`
/// with a note on stderr, so the caller can skip.
pub fn installed(program: &str, probe: &[&str]) -> bool {
    let found = Command::new(program)
        .args(probe)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        eprintln!("skipping: {program} is not installed (.ci/run installs it)");
    }
    found
}

/// True when `::1` can be bound; IPv6 tests are skipped (with a note) where it cannot.
pub fn ipv6_available(test: &str) -> bool {
    let ok = std::net::TcpListener::bind("[::1]:0").is_ok();
    if !ok {
        eprintln!("skipping {test}: ::1 cannot be bound on this machine");
    }
    ok
}

/// A running server process: netdemo's or a Python peer's.
pub struct Server {
    child: Child,
    command: String,
    pub addr: SocketAddr,
    /// What the `listening on` line named: the address, or a Unix socket's path.
    pub listening: String,
    stdout: Receiver<String>,
    stderr: Arc<Mutex<Vec<String>>>,
    stderr_lines: Receiver<String>,
    stderr_reader: Option<thread::JoinHandle<()>>,
    /// A stdout pipe kept open and never read ([`Server::netdemo_stdout_stalled`]).
    _stalled: Option<ChildStdout>,
}

impl Server {
    /// Starts `netdemo ARGS` and waits for its `listening on` line.
    pub fn netdemo(args: &[&str]) -> Server {
        Server::spawn(netdemo_command(args))
    }

    /// Starts `python3 tests/peers/SCRIPT ARGS` and waits for its `listening on` line.
    pub fn python(script: &str, args: &[&str]) -> Server {
        let mut cmd = Command::new("python3");
        cmd.arg("-u").arg(peer(script)).args(args);
        Server::spawn(cmd)
    }

    /// Starts `netdemo ARGS` with its stdout already closed by the reader, as in
    /// `netdemo ... | head -0`.
    pub fn netdemo_stdout_closed(args: &[&str]) -> Server {
        Server::start(netdemo_command(args), Stdio::piped(), Output::Closed)
    }

    /// Starts `netdemo ARGS` with a stdout pipe that nobody reads: it fills, then every
    /// write to it would block.
    pub fn netdemo_stdout_stalled(args: &[&str]) -> Server {
        Server::start(netdemo_command(args), Stdio::piped(), Output::Stalled)
    }

    /// Starts `netdemo ARGS` reading `stdin`, and writing stdout to `stdout` (a file) or,
    /// with `None`, to lines for [`Server::next_line`].
    pub fn netdemo_with(args: &[&str], stdin: Stdio, stdout: Option<Stdio>) -> Server {
        let output = stdout.map_or(Output::Lines, Output::To);
        Server::start(netdemo_command(args), stdin, output)
    }

    pub fn spawn(cmd: Command) -> Server {
        Server::start(cmd, Stdio::piped(), Output::Lines)
    }

    fn start(mut cmd: Command, stdin: Stdio, output: Output) -> Server {
        let command = format!("{cmd:?}");
        cmd.stdin(stdin).stderr(Stdio::piped());
        let read_lines = matches!(output, Output::Lines);
        let keep_stalled = matches!(output, Output::Stalled);
        match output {
            Output::Lines | Output::Closed | Output::Stalled => cmd.stdout(Stdio::piped()),
            Output::To(stdout) => cmd.stdout(stdout),
        };
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {command}: {err}"));
        let stalled = if keep_stalled {
            child.stdout.take()
        } else {
            None
        };
        let stdout = match (read_lines, child.stdout.take()) {
            (true, Some(pipe)) => lines(pipe),
            // Closed: the pipe's read end is dropped here, before the child writes.
            _ => channel().1,
        };
        let stderr_lines = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready) = channel();
        let (line_tx, line_rx) = channel();
        let err_pipe = child.stderr.take().unwrap();
        let all = stderr_lines.clone();
        // Keeps draining stderr after the `listening on` line, so the child never blocks
        // on a full pipe.
        let stderr_reader = thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on ").nth(1) {
                    let _ = ready_tx.send(rest.split_whitespace().next().unwrap_or("").to_owned());
                }
                all.lock().unwrap().push(line.clone());
                let _ = line_tx.send(line);
            }
        });
        let mut server = Server {
            child,
            command,
            addr: "0.0.0.0:0".parse().unwrap(),
            listening: String::new(),
            stdout,
            stderr: stderr_lines,
            stderr_lines: line_rx,
            stderr_reader: Some(stderr_reader),
            _stalled: stalled,
        };
        match ready.recv_timeout(DEADLINE) {
            Ok(listening) => {
                // An address, or a Unix socket's path or @name, which `addr` leaves unset.
                if let Ok(addr) = listening.parse() {
                    server.addr = addr;
                }
                server.listening = listening;
            }
            Err(_) => panic!(
                "{} printed no `listening on` line within {DEADLINE:?}; stderr: {:?}",
                server.command,
                server.stderr()
            ),
        }
        server
    }

    pub fn port(&self) -> String {
        self.addr.port().to_string()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory now, from /proc.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// The next line the server printed on stdout.
    pub fn next_line(&self) -> String {
        match self.stdout.recv_timeout(DEADLINE) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => panic!(
                "{}: no stdout line within {DEADLINE:?}; stderr: {:?}",
                self.command,
                self.stderr()
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "{}: stdout closed; stderr: {:?}",
                self.command,
                self.stderr()
            ),
        }
    }

    /// Stdout lines already printed, without waiting.
    pub fn lines_so_far(&self) -> Vec<String> {
        self.stdout.try_iter().collect()
    }

    /// Waits, at most [`DEADLINE`] in all, for a stderr line that satisfies `wanted`.
    pub fn wait_stderr(&self, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.stderr_lines.recv_timeout(left) {
                Ok(line) if wanted(&line) => return line,
                Ok(_) => {}
                Err(_) => panic!(
                    "{}: the expected stderr line did not come; stderr: {:?}",
                    self.command,
                    self.stderr()
                ),
            }
        }
    }

    pub fn stderr(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    pub fn stdin(&mut self) -> ChildStdin {
        self.child.stdin.take().expect("stdin already taken")
    }

    /// Sends `signal`, waits for the process to exit, and returns its status and all of
    /// its stderr.
    pub fn stop(mut self, signal: nix::sys::signal::Signal) -> (ExitStatus, Vec<String>) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        nix::sys::signal::kill(pid, signal).expect("cannot signal the server");
        let status = self.wait();
        (status, self.stderr())
    }

    /// Waits for the process to exit by itself, then for its stderr to be read to the end.
    pub fn wait(&mut self) -> ExitStatus {
        let Some(status) = self.child.wait_timeout(DEADLINE).unwrap() else {
            panic!("{} did not exit within {DEADLINE:?}", self.command);
        };
        // The pipe closed with the process, so the reader thread is finishing.
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where a server's stdout goes.
enum Output {
    /// Read line by line, for `Server::next_line`.
    Lines,
    /// A pipe whose reader has already gone.
    Closed,
    /// A pipe kept open and never read.
    Stalled,
    /// Elsewhere, e.g. a file.
    To(Stdio),
}

fn netdemo_command(args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args).env_remove("RUST_LOG").env("NO_COLOR", "1");
    cmd
}

/// A client process that is not netdemo (a Python peer), read line by line; killed and
/// reaped on drop. Closing its stdin is the usual way to tell it to finish.
pub struct Peer {
    child: Child,
    command: String,
    stdout: Receiver<String>,
}

impl Peer {
    /// Starts `python3 tests/peers/SCRIPT ARGS`.
    pub fn python(script: &str, args: &[&str]) -> Peer {
        let mut cmd = Command::new("python3");
        cmd.arg("-u").arg(peer(script)).args(args);
        let command = format!("{cmd:?}");
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {command}: {err}"));
        let stdout = lines(child.stdout.take().unwrap());
        Peer {
            child,
            command,
            stdout,
        }
    }

    /// The next line the peer printed, within [`DEADLINE`].
    pub fn next_line(&self) -> String {
        self.stdout
            .recv_timeout(DEADLINE)
            .unwrap_or_else(|err| panic!("{}: no line within {DEADLINE:?}: {err}", self.command))
    }

    /// Closes the peer's stdin and waits for it to exit successfully.
    pub fn finish(mut self) {
        drop(self.child.stdin.take());
        let status = self.child.wait_timeout(DEADLINE).unwrap();
        assert!(
            status.is_some_and(|s| s.success()),
            "{}: {status:?}",
            self.command
        );
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `len` bytes that look random and are the same on every run (xorshift64).
pub fn pseudo_random(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// Reads `pipe` line by line on a thread and hands the lines over a channel.
pub fn lines(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A loopback port nothing listens on: bound by the OS, then released. For programs that
/// cannot take port 0 (and say which they got), and for connections that must be refused.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The SHA-256 of `bytes` in lowercase hex: large transfers compared without printing them.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// What `netdemo --json ARGS` did: its exit status, the JSON lines of its stdout, its
/// stderr.
pub struct JsonRun {
    pub code: Option<i32>,
    pub lines: Vec<serde_json::Value>,
    pub stderr: String,
}

impl JsonRun {
    /// The lines of a run that must have succeeded.
    pub fn succeeded(self) -> Vec<serde_json::Value> {
        assert_eq!(self.code, Some(0), "{}", self.stderr);
        self.lines
    }

    /// The first line, which a run that prints one object (a report) must have.
    pub fn first(&self) -> &serde_json::Value {
        self.lines
            .first()
            .unwrap_or_else(|| panic!("no JSON line; stderr: {}", self.stderr))
    }
}

/// Runs `netdemo --json ARGS` to its end, bounded by the suite's deadline.
pub fn json_run(args: &[&str]) -> JsonRun {
    json_run_within(DEADLINE, args)
}

/// [`json_run`] for a run that takes longer than [`DEADLINE`] by design (a capacity
/// search), bounded by `deadline`.
pub fn json_run_within(deadline: Duration, args: &[&str]) -> JsonRun {
    let output = netdemo()
        .timeout(deadline)
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| json_line(line, &stderr))
        .collect();
    JsonRun {
        code: output.status.code(),
        lines,
        stderr,
    }
}

/// One `--json` line, parsed. It must also read as netdemo's own schema type for its
/// event (`ReportJson` for the load report, `EventJson` for every other) and write back to
/// the very same line: every JSON test checks that the schema and the output agree, field
/// for field and in order. `context` is shown if it does not.
pub fn json_line(line: &str, context: &str) -> serde_json::Value {
    use netdemo::output::schema::EventJson;
    use netdemo::report::schema::ReportJson;
    let value: serde_json::Value = serde_json::from_str(line)
        .unwrap_or_else(|err| panic!("{line:?} is not JSON ({err}); {context}"));
    let again = if value["event"] == "report" {
        serde_json::from_str::<ReportJson>(line).map(|typed| serde_json::to_string(&typed))
    } else {
        serde_json::from_str::<EventJson>(line).map(|typed| serde_json::to_string(&typed))
    };
    let again = again
        .unwrap_or_else(|err| panic!("{line:?} does not fit the schema ({err}); {context}"))
        .unwrap();
    assert_eq!(
        again, line,
        "the schema writes this line otherwise; {context}"
    );
    value
}

/// A child process killed and reaped however the test ends.
pub struct Reaped(pub Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Held by a test binary's tests that load the machine or time something: a flood on the
/// same 2 cores would starve a timed run, so these run one at a time while the light
/// tests go on. One lock per test binary (each is a process of its own).
pub fn heavy() -> std::sync::MutexGuard<'static, ()> {
    static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HEAVY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A `redis-server` of its own on a free port, without persistence, or `None` (with a note)
/// where redis-server is not installed.
pub struct Redis {
    _child: Spawned,
    pub port: u16,
}

/// A server process of the test's own, stopped and reaped when the test ends. SIGTERM
/// first: nginx's master stops its workers on it, where SIGKILL would orphan them.
pub struct Spawned(pub Child);

impl Drop for Spawned {
    fn drop(&mut self) {
        use nix::sys::signal::{Signal, kill};
        use nix::unistd::Pid;
        use wait_timeout::ChildExt;
        let _ = kill(Pid::from_raw(self.0.id() as i32), Signal::SIGTERM);
        if !matches!(self.0.wait_timeout(DEADLINE), Ok(Some(_))) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

impl Redis {
    pub fn start(test: &str) -> Option<Redis> {
        let installed = Command::new("redis-server")
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success());
        if !installed {
            eprintln!("skipping {test}: redis-server is not installed (.ci/run installs it)");
            return None;
        }
        // redis-server cannot take port 0 and report it: take a free port from the OS.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .args(["--dir", &std::env::temp_dir().to_string_lossy()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Ready to accept connections") {
                    let _ = tx.send(());
                }
            }
        });
        rx.recv_timeout(DEADLINE)
            .expect("redis-server did not become ready");
        Some(Redis {
            _child: Spawned(child),
            port,
        })
    }
}

/// An nginx of its own: `worker_processes 1`, keep-alive, serving one small file from a
/// temporary root, or `None` (with a note) where nginx is not installed.
pub struct Nginx {
    _child: Spawned,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Nginx {
    pub fn start(test: &str) -> Option<Nginx> {
        let binary = ["/usr/sbin/nginx", "nginx"].into_iter().find(|b| {
            Command::new(b)
                .arg("-v")
                .output()
                .is_ok_and(|o| o.status.success())
        });
        let Some(binary) = binary else {
            eprintln!("skipping {test}: nginx is not installed (.ci/run installs nginx-light)");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("www");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("index.html"), "hello from nginx\n").unwrap();
        // nginx's workers may run as another user: the root must be readable by all.
        use std::os::unix::fs::PermissionsExt;
        for path in [dir.path(), root.as_path()] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let d = dir.path().display();
        let conf = format!(
            "daemon off; worker_processes 1; pid {d}/nginx.pid; error_log {d}/error.log;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; client_body_temp_path {d}; proxy_temp_path {d};\n\
               fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};\n\
               keepalive_requests 1000000;\n\
               server {{ listen 127.0.0.1:{port}; root {d}/www; }} }}\n"
        );
        let conf_path = dir.path().join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = Command::new(binary)
            .arg("-c")
            .arg(&conf_path)
            .arg("-p")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let nginx = Nginx {
            _child: Spawned(child),
            port,
            _dir: dir,
        };
        // nginx prints no `listening on` line: wait for the port with netdemo's own -z.
        netdemo()
            .args([
                "-q",
                "tcp",
                "connect",
                "-z",
                "--wait",
                "5s",
                "-p",
                &port.to_string(),
            ])
            .assert()
            .success();
        Some(nginx)
    }
}

/// A server of the test's own that announces nothing (microsocks, tinyproxy), started on
/// a free loopback port and returned once that port accepts a connection, or `None` (with
/// a note) where `program` is not installed. `args` may hold `{port}`.
pub fn silent_server(test: &str, program: &str, args: &[&str]) -> Option<(Spawned, u16)> {
    silent_server_on(test, program, args, free_port())
}

/// [`silent_server`] on `port`, for a program whose configuration file names it.
pub fn silent_server_on(
    test: &str,
    program: &str,
    args: &[&str],
    port: u16,
) -> Option<(Spawned, u16)> {
    if Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .map_or(true, |status| !status.success())
    {
        eprintln!("skipping {test}: {program} is not installed (.ci/run installs it)");
        return None;
    }
    let args: Vec<String> = args
        .iter()
        .map(|arg| arg.replace("{port}", &port.to_string()))
        .collect();
    let child = Command::new(program)
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let spawned = Spawned(child);
    // It says nothing when ready: its port accepting is the sign, asked with a bounded
    // number of tries.
    let deadline = std::time::Instant::now() + DEADLINE;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "{program} did not listen on {port}"
        );
        thread::sleep(Duration::from_millis(10));
    }
    Some((spawned, port))
}
