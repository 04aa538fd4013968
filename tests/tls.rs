//! `--tls` against peers netdemo did not write (openssl s_server and s_client, Python's
//! ssl module) and against itself, with certificates made at test time (rcgen), never
//! checked in: verification, pins, names, expiry, client certificates, ALPN and SNI as the
//! other side sees them, TLS meeting plain TCP both ways, stdio and load runs over TLS.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use predicates::prelude::*;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, date_time_ymd,
};
use serde_json::Value;
use support::{DEADLINE, Reaped, Server, free_port, netdemo, peer, python3};
use wait_timeout::ChildExt;

/// A CA and the certificates it signed, as PEM files in a directory of their own.
struct Pki {
    dir: tempfile::TempDir,
    ca: Issuer<'static, KeyPair>,
}

impl Pki {
    fn new() -> Pki {
        let mut params = CertificateParams::new(Vec::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "netdemo test CA");
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), cert.pem()).unwrap();
        Pki {
            dir,
            ca: Issuer::new(params, key),
        }
    }

    fn ca(&self) -> String {
        self.path("ca.pem")
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }

    /// A leaf certificate named `file`, for `names`, as `purpose` (server or client),
    /// optionally expired: returns (cert path, key path).
    fn leaf(
        &self,
        file: &str,
        names: &[&str],
        purpose: ExtendedKeyUsagePurpose,
        expired: bool,
    ) -> (String, String) {
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, format!("netdemo test {file}"));
        params.extended_key_usages = vec![purpose];
        if expired {
            params.not_before = date_time_ymd(2020, 1, 1);
            params.not_after = date_time_ymd(2021, 1, 1);
        }
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.ca).unwrap();
        let (cert_path, key_path) = (
            self.path(&format!("{file}.pem")),
            self.path(&format!("{file}.key")),
        );
        std::fs::write(&cert_path, cert.pem()).unwrap();
        std::fs::write(&key_path, key.serialize_pem()).unwrap();
        (cert_path, key_path)
    }

    fn server(&self) -> (String, String) {
        self.leaf(
            "server",
            &["localhost", "127.0.0.1"],
            ExtendedKeyUsagePurpose::ServerAuth,
            false,
        )
    }

    fn client(&self) -> (String, String) {
        self.leaf("client", &[], ExtendedKeyUsagePurpose::ClientAuth, false)
    }
}

/// A netdemo TLS server and the fingerprint it announced.
fn tls_server(args: &[&str]) -> (Server, String) {
    let mut all = vec!["tcp", "serve", "-p", "0", "--tls"];
    all.extend_from_slice(args);
    let server = Server::netdemo(&all);
    let line = server
        .stderr()
        .into_iter()
        .find(|l| l.starts_with("tls certificate "))
        .expect("the fingerprint comes before the listening line");
    let fingerprint = line.trim_start_matches("tls certificate ").to_owned();
    (server, fingerprint)
}

/// `netdemo tcp connect --tls -p PORT ARGS`.
fn tls_connect(port: &str, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = netdemo();
    cmd.args(["tcp", "connect", "--tls", "-p", port]).args(args);
    cmd
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn openssl(test: &str) -> bool {
    let found = Command::new("openssl")
        .arg("version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        eprintln!("skipping {test}: openssl is not installed (.ci/run installs it)");
    }
    found
}

#[test]
fn a_python_client_pins_the_throwaway_certificate_and_the_server_sees_its_sni_and_alpn() {
    if python3("tls python client").is_none() {
        return;
    }
    let (server, fingerprint) = tls_server(&["--json", "--alpn", "x-netdemo"]);
    assert!(fingerprint.starts_with("sha256:"), "{fingerprint}");
    let listening: Value = serde_json::from_str(&server.next_line()).unwrap();
    assert_eq!(listening["tls_fingerprint"], fingerprint.as_str());
    let output = Command::new("python3")
        .arg(peer("tls_client.py"))
        .args(["127.0.0.1", &server.port(), "hello"])
        .args(["--sni", "example.test", "--alpn", "x-netdemo"])
        .args(["--greeting", "19", "--reply", "16"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let seen: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(seen["fingerprint"], fingerprint.as_str());
    assert_eq!(seen["alpn"], "x-netdemo");
    assert_eq!(seen["greeting"], "Hello, I am server!");
    assert_eq!(seen["reply"], "Loop_Msg: hello!");
    let _accept = server.next_line();
    let tls: Value = serde_json::from_str(&server.next_line()).unwrap();
    assert_eq!(tls["event"], "tls");
    assert_eq!(tls["sni"], "example.test");
    assert_eq!(tls["alpn"], "x-netdemo");
    assert_eq!(tls["version"], "TLSv1.3");
}

#[test]
fn openssl_s_client_verifies_a_server_certificate_given_with_cert_and_key() {
    if !openssl("s_client") {
        return;
    }
    let pki = Pki::new();
    let (cert, key) = pki.server();
    let (server, fingerprint) = tls_server(&["--cert", &cert, "--key", &key, "--framing", "line"]);
    let want = std::fs::read_to_string(&cert).unwrap();
    assert!(want.contains("BEGIN CERTIFICATE"));
    assert!(fingerprint.starts_with("sha256:"));
    let mut client = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{}", server.port()),
        ])
        .args([
            "-CAfile",
            &pki.ca(),
            "-verify_return_error",
            "-verify_hostname",
            "localhost",
        ])
        .args(["-servername", "localhost", "-quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `exit` makes the seed server close, which ends s_client.
    client
        .stdin
        .take()
        .unwrap()
        .write_all(b"hello\nexit\n")
        .unwrap();
    let Some(status) = client.wait_timeout(DEADLINE).unwrap() else {
        client.kill().unwrap();
        panic!("s_client did not finish");
    };
    let output = client.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(status.success(), "{output:?}");
    assert!(stdout.starts_with("Hello, I am server!\n"), "{stdout:?}");
    assert!(stdout.contains("Loop_Msg: hello!\n"), "{stdout:?}");
}

/// `openssl s_server`, on a port of its own, killed and reaped however the test ends.
struct SServer {
    port: String,
    /// Its stdout, kept open: a closed pipe would end it.
    _out: std::io::BufReader<std::process::ChildStdout>,
    _process: Reaped,
}

/// `openssl s_server` with `cert` and `key` and `args`, once it says ACCEPT.
fn s_server(cert: &str, key: &str, args: &[&str]) -> SServer {
    let port = free_port().to_string();
    let mut server = Command::new("openssl")
        .args(["s_server", "-cert", cert, "-key", key])
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = ready(server.stdout.take().unwrap(), "ACCEPT");
    SServer {
        port,
        _out: out,
        _process: Reaped(server),
    }
}

/// Reads `from` until a line says `marker` (the program is ready), and keeps it open.
fn ready<R: std::io::Read>(from: R, marker: &str) -> std::io::BufReader<R> {
    let mut from = std::io::BufReader::new(from);
    let mut line = String::new();
    while !line.contains(marker) {
        line.clear();
        assert!(std::io::BufRead::read_line(&mut from, &mut line).unwrap() > 0);
    }
    from
}

#[test]
fn https_requests_to_openssl_s_server_reconnect_after_each_http_1_0_response() {
    if !openssl("s_server -www") {
        return;
    }
    let pki = Pki::new();
    let (cert, key) = pki.server();
    let server = s_server(&cert, &key, &["-www"]);
    tls_connect(
        &server.port,
        &["--cacert", &pki.ca(), "--host", "localhost"],
    )
    .args([
        "--mode",
        "request",
        "--framing",
        "http",
        "GET /",
        "GET /again",
    ])
    .args(["--expect", "200"])
    .assert()
    .success()
    .stdout(predicate::str::contains("HTTP/1.0 200 ok").count(2));
}

#[test]
fn netdemo_verifies_openssl_s_server_against_the_ca_and_pins_it_in_openssls_own_notation() {
    if !openssl("s_server") {
        return;
    }
    let pki = Pki::new();
    let (cert, key) = pki.server();
    let server = s_server(&cert, &key, &["-rev", "-naccept", "1"]);
    let request = ["--mode", "request", "--framing", "line", "hello", "world"];
    tls_connect(
        &server.port,
        &["--host", "localhost", "--cacert", &pki.ca()],
    )
    .arg("--json")
    .args(request)
    .assert()
    .success()
    .stdout(predicate::str::contains(r#""data":"olleh""#))
    .stdout(predicate::str::contains(r#""data":"dlrow""#))
    .stdout(predicate::str::contains(r#""sni":"localhost""#));
    drop(server);

    let digest = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in", &cert])
        .output()
        .unwrap();
    let digest = String::from_utf8(digest.stdout).unwrap();
    let pin = digest.trim().rsplit('=').next().unwrap().to_owned();
    let server = s_server(&cert, &key, &["-rev", "-naccept", "1"]);
    tls_connect(&server.port, &["--pin", &pin])
        .args(request)
        .assert()
        .success()
        .stdout(predicate::str::contains("olleh"));
}

#[test]
fn a_python_server_sees_the_sni_alpn_and_client_certificate_netdemo_sends() {
    if python3("tls python server").is_none() {
        return;
    }
    let pki = Pki::new();
    let (cert, key) = pki.server();
    let (client_cert, client_key) = pki.client();
    let server = Server::python(
        "tls_server.py",
        &[
            "127.0.0.1",
            "0",
            &cert,
            &key,
            "--alpn",
            "h2",
            "--client-ca",
            &pki.ca(),
        ],
    );
    let port = server.port();
    tls_connect(
        &port,
        &["--host", "localhost", "--cacert", &pki.ca(), "--alpn", "h2"],
    )
    .args(["--cert", &client_cert, "--key", &client_key])
    .args(["--mode", "echo", "hello"])
    .assert()
    .success()
    .stdout("-->>hello\n");
    let seen: Value = serde_json::from_str(&server.next_line()).unwrap();
    assert_eq!(seen["sni"], "localhost");
    assert_eq!(seen["alpn"], "h2");
    assert_eq!(seen["client_subject"], "netdemo test client");

    // Without a client certificate the server refuses, and netdemo says what to give.
    tls_connect(
        &port,
        &["--host", "localhost", "--cacert", &pki.ca(), "--alpn", "h2"],
    )
    .args(["--mode", "echo", "hello"])
    .assert()
    .failure()
    .stderr(predicate::str::contains("--cert FILE --key FILE"));
}

#[test]
fn a_server_with_client_ca_takes_a_signed_client_certificate_and_refuses_none() {
    let pki = Pki::new();
    let (client_cert, client_key) = pki.client();
    let (server, fingerprint) = tls_server(&["--client-ca", &pki.ca()]);
    let port = server.port();
    tls_connect(&port, &["--pin", &fingerprint])
        .args(["--cert", &client_cert, "--key", &client_key, "hi"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Loop_Msg: hi!"));
    tls_connect(&port, &["--pin", &fingerprint, "hi"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("client certificate"));
    server.wait_stderr(|l| l.contains("sent no client certificate"));
}

#[test]
fn a_certificate_nobody_vouches_for_fails_with_the_pin_that_would_trust_it() {
    let (server, fingerprint) = tls_server(&[]);
    let port = server.port();
    tls_connect(&port, &["hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is self-signed"))
        .stderr(predicate::str::contains(format!(
            "--pin {fingerprint}, or skip the check with --insecure"
        )))
        .stderr(predicate::str::contains("\n").count(1));
    // The fingerprint as printed, without its prefix, and without colons, all pin it.
    let bare = fingerprint.trim_start_matches("sha256:");
    for pin in [fingerprint.as_str(), bare, &bare.replace(':', "")] {
        tls_connect(&port, &["--pin", pin, "hi"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Loop_Msg: hi!"));
    }
    let other = format!("sha256:{}", ["AB"; 32].join(":"));
    tls_connect(&port, &["--pin", &other, "hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "is {fingerprint}, not the pinned one"
        )));
    tls_connect(&port, &["--insecure", "hi"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: --insecure"));
}

#[test]
fn a_wrong_host_and_an_expired_certificate_are_each_named() {
    let pki = Pki::new();
    let (cert, key) = pki.server();
    let (server, _) = tls_server(&["--cert", &cert, "--key", &key]);
    tls_connect(
        &server.port(),
        &["--cacert", &pki.ca(), "--host", "localhost", "hi"],
    )
    .assert()
    .success();
    tls_connect(
        &server.port(),
        &["--cacert", &pki.ca(), "--sni", "wrong.example", "hi"],
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains("not valid for wrong.example"))
    .stderr(predicate::str::contains("localhost"));
    drop(server);

    let (cert, key) = pki.leaf(
        "expired",
        &["localhost"],
        ExtendedKeyUsagePurpose::ServerAuth,
        true,
    );
    let (server, _) = tls_server(&["--cert", &cert, "--key", &key]);
    tls_connect(
        &server.port(),
        &["--cacert", &pki.ca(), "--host", "localhost", "hi"],
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains("has expired or is not yet valid"));
}

#[test]
fn tls_meeting_plain_tcp_fails_clearly_both_ways_and_never_hangs() {
    // A TLS client at a plain seed server: the greeting is not TLS.
    let plain = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    tls_connect(&plain.port(), &["--insecure", "hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did not answer with TLS"));
    // A plain echo server sends the ClientHello back.
    let echo = Server::netdemo(&["tcp", "serve", "-p", "0", "--mode", "echo"]);
    tls_connect(&echo.port(), &["--insecure", "hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did not answer with TLS"));
    // A plain server that never answers: the handshake is bounded by --timeout.
    let silent = Server::netdemo(&["tcp", "serve", "-p", "0", "--mode", "discard"]);
    tls_connect(&silent.port(), &["--insecure", "--timeout", "1s", "hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no TLS handshake"));

    // A plain client at a TLS server: it waits for a greeting that never comes, and the
    // server logs a client that did not start a handshake.
    let (server, _) = tls_server(&[]);
    netdemo()
        .args(["tcp", "connect", "-p", &server.port(), "--timeout", "1s"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--tls"));
    let mut raw = std::net::TcpStream::connect(server.addr).unwrap();
    raw.write_all(b"hello, plain text\n").unwrap();
    server.wait_stderr(|l| l.contains("did not start a TLS handshake"));
}

#[test]
fn stdio_mode_moves_bytes_exactly_over_tls_both_ways() {
    let up = support::pseudo_random(1 << 20, 7);
    let down = support::pseudo_random(300_000, 8);
    let dir = tempfile::tempdir().unwrap();
    let (up_file, down_file, got_file) = (
        dir.path().join("up"),
        dir.path().join("down"),
        dir.path().join("got"),
    );
    std::fs::write(&up_file, &up).unwrap();
    std::fs::write(&down_file, &down).unwrap();
    let stdin = Stdio::from(std::fs::File::open(&down_file).unwrap());
    let stdout = Stdio::from(std::fs::File::create(&got_file).unwrap());
    let mut server = Server::netdemo_with(
        &["tcp", "serve", "-p", "0", "--tls", "--mode", "stdio"],
        stdin,
        Some(stdout),
    );
    let fingerprint = server
        .stderr()
        .into_iter()
        .find_map(|l| l.strip_prefix("tls certificate ").map(str::to_owned))
        .unwrap();
    let client = netdemo()
        .args([
            "tcp",
            "connect",
            "--tls",
            "--pin",
            &fingerprint,
            "--mode",
            "stdio",
        ])
        .args(["-p", &server.port()])
        .pipe_stdin(&up_file)
        .unwrap()
        .output()
        .unwrap();
    assert!(client.status.success(), "{client:?}");
    assert!(
        client.stdout == down,
        "the client got {} bytes",
        client.stdout.len()
    );
    assert!(server.wait().success(), "{:?}", server.stderr());
    let got = std::fs::read(&got_file).unwrap();
    assert!(
        got == up,
        "the server got {} of {} bytes",
        got.len(),
        up.len()
    );
}

#[test]
fn a_load_run_over_tls_times_the_handshake_apart_from_the_connect() {
    let (server, fingerprint) = tls_server(&[]);
    let output = netdemo()
        .args(["--json", "tcp", "connect", "--tls", "--pin", &fingerprint])
        .args(["-p", &server.port(), "-c", "4", "-n", "200"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report = &json_lines(&output.stdout)[0];
    assert_eq!(report["errors"], 0);
    assert_eq!(report["requests"], 200, "{report}");
    assert!(
        report["tls_handshake_us"]["p50"].as_u64().unwrap() > 0,
        "{report}"
    );
    assert!(report["connect_us"]["p50"].is_u64(), "{report}");

    // A load run against an untrusted certificate stops at the first failure (every
    // connection would meet the same certificate), well before its 60 s, and says why.
    netdemo()
        .args(["tcp", "connect", "--tls", "-p", &server.port()])
        .args(["-c", "2", "-d", "60s"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("is self-signed"));
}

#[test]
fn explain_and_the_hex_dump_say_what_tls_changes() {
    let (server, fingerprint) = tls_server(&[]);
    let dump = tempfile::NamedTempFile::new().unwrap();
    let dump_path: PathBuf = dump.path().to_owned();
    netdemo()
        .arg("--explain")
        .arg(format!("--hex-dump={}", dump_path.display()))
        .args([
            "tcp",
            "connect",
            "--tls",
            "--pin",
            &fingerprint,
            "-p",
            &server.port(),
            "hi",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("TLS handshake with"))
        .stderr(predicate::str::contains("TLSv1.3"));
    let dumped = std::fs::read_to_string(&dump_path).unwrap();
    assert!(
        dumped.starts_with("# TLS: the bytes below are the plaintext"),
        "{dumped}"
    );
    assert!(
        dumped.contains("Hello, I am server!") || dumped.contains("Hello, I am"),
        "{dumped}"
    );
    netdemo()
        .args(["--explain", "--lang", "zh", "tcp", "connect", "--tls"])
        .args(["--pin", &fingerprint, "-p", &server.port(), "hi"])
        .assert()
        .success()
        .stderr(predicate::str::contains("TLS 握手"));
}

#[test]
fn tls_flags_without_tls_and_bad_files_are_refused_before_connecting() {
    netdemo()
        .args(["tcp", "connect", "--pin", "sha256:AB", "-p", "9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--pin needs --tls"));
    netdemo()
        .args(["tcp", "serve", "--alpn", "h2", "-p", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--alpn needs --tls"));
    netdemo()
        .args(["tcp", "connect", "--tls", "--pin", "sha256:AB", "-p", "9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("32 bytes"));
    netdemo()
        .args(["tcp", "connect", "--tls", "-z", "-p", "9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--tls does not apply to tcp connect -z",
        ));
    let missing = Path::new("/nonexistent/cert.pem");
    netdemo()
        .args(["tcp", "serve", "--tls", "-p", "0", "--cert"])
        .arg(missing)
        .args(["--key", "/nonexistent/key.pem"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--cert /nonexistent/cert.pem"));
    let pki = Pki::new();
    let (cert, _) = pki.server();
    let (_, other_key) = pki.client();
    netdemo()
        .args([
            "tcp", "serve", "--tls", "-p", "0", "--cert", &cert, "--key", &other_key,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--key is not the key of the first certificate",
        ));
    netdemo()
        .args([
            "tcp",
            "serve",
            "--tls",
            "-p",
            "0",
            "--cert",
            &pki.ca(),
            "--key",
            &pki.ca(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--key"));
}

#[test]
fn a_stopping_server_drops_clients_still_in_their_handshake_at_once() {
    let (server, _) = tls_server(&["--grace", "60s"]);
    // Connected, never a ClientHello: the server waits in the handshake.
    let silent: Vec<_> = (0..3)
        .map(|_| std::net::TcpStream::connect(server.addr).unwrap())
        .collect();
    server.wait_stderr(|l| l.contains("Accept new connection"));
    // Within the test's deadline, far below the 60 s grace.
    let (status, stderr) = server.stop(nix::sys::signal::Signal::SIGTERM);
    assert!(status.code().is_some(), "{stderr:?}");
    assert!(
        !stderr.iter().any(|l| l.contains("after the grace period")),
        "{stderr:?}"
    );
    drop(silent);
}

#[test]
fn an_encrypted_key_and_openssls_fingerprint_line_are_understood() {
    if !openssl("encrypted key") {
        return;
    }
    let pki = Pki::new();
    let (cert, key) = pki.server();
    let encrypted = pki.path("encrypted.key");
    let made = Command::new("openssl")
        .args([
            "pkey",
            "-in",
            &key,
            "-aes256",
            "-passout",
            "pass:secret",
            "-out",
            &encrypted,
        ])
        .status()
        .unwrap();
    assert!(made.success());
    netdemo()
        .args([
            "tcp", "serve", "--tls", "-p", "0", "--cert", &cert, "--key", &encrypted,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the key is encrypted"))
        .stderr(predicate::str::contains("openssl pkey"));
    let (server, _) = tls_server(&["--cert", &cert, "--key", &key]);
    let line = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in", &cert])
        .output()
        .unwrap();
    let line = String::from_utf8(line.stdout).unwrap();
    assert!(line.contains("Fingerprint="), "{line}");
    tls_connect(&server.port(), &["--pin", line.trim(), "hi"])
        .assert()
        .success();
    let sha1 = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha1", "-in", &cert])
        .output()
        .unwrap();
    let sha1 = String::from_utf8(sha1.stdout).unwrap();
    tls_connect(&server.port(), &["--pin", sha1.trim(), "hi"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SHA-256"));
}

#[test]
fn a_chain_from_another_ca_names_the_cacert_file_instead_of_suggesting_it() {
    let pki = Pki::new();
    let (cert, key) = pki.server();
    let (server, fingerprint) = tls_server(&["--cert", &cert, "--key", &key]);
    let other = Pki::new();
    tls_connect(&server.port(), &["--cacert", &other.ca(), "hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "does not lead to a CA in --cacert {}",
            other.ca()
        )))
        .stderr(predicate::str::contains(format!("--pin {fingerprint}")))
        .stderr(predicate::str::contains("try --cacert FILE").not());
}

#[test]
fn a_servers_own_self_signed_certificate_given_as_cacert_is_trusted_as_a_pin() {
    if !openssl("req -x509") {
        return;
    }
    // What `openssl req -x509` makes is marked CA:TRUE; curl and openssl s_client accept
    // it as --cacert for the server that presents it, and so does netdemo (saying so).
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:P-256", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=localhost", "-addext"])
        .arg("subjectAltName=DNS:localhost,IP:127.0.0.1")
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let (server, _) = tls_server(&["--cert", cert, "--key", key]);
    tls_connect(&server.port(), &["--cacert", cert, "-v", "hi"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Loop_Msg: hi!"))
        .stderr(predicate::str::contains("itself in --cacert"));
}

#[test]
fn certificate_files_that_never_end_or_never_open_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.pem");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let big = dir.path().join("big.pem");
    std::fs::write(&big, vec![b'A'; 5 << 20]).unwrap();
    let pki = Pki::new();
    let (cert, key) = pki.server();
    for (flag, file) in [
        ("--cert", Path::new("/dev/zero")),
        ("--cert", fifo.as_path()),
        ("--key", Path::new("/dev/zero")),
        ("--cacert", fifo.as_path()),
    ] {
        let mut cmd = netdemo();
        if flag == "--cacert" {
            cmd.args(["tcp", "connect", "--tls", "-p", "9", flag])
                .arg(file);
        } else {
            let other = if flag == "--cert" { &key } else { &cert };
            let other_flag = if flag == "--cert" { "--key" } else { "--cert" };
            cmd.args(["tcp", "serve", "--tls", "-p", "0", other_flag, other, flag])
                .arg(file);
        }
        cmd.timeout(DEADLINE)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is not a regular file"));
    }
    netdemo()
        .args(["tcp", "connect", "--tls", "-p", "9", "--cacert"])
        .arg(&big)
        .timeout(DEADLINE)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than 4 MiB"));
}

#[test]
fn a_junk_certificate_is_named_as_this_sides_own_and_a_missing_key_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.pem");
    std::fs::write(
        &junk,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let pki = Pki::new();
    let (_, key) = pki.server();
    netdemo()
        .args(["tcp", "serve", "--tls", "-p", "0", "--key", &key, "--cert"])
        .arg(&junk)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--cert: the first certificate cannot be used",
        ))
        .stderr(predicate::str::contains("peer").not());
    netdemo()
        .args(["tcp", "serve", "--tls", "-p", "0", "--cert"])
        .arg(&junk)
        .arg("--key")
        .arg(&junk)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "it holds no private key in PEM form",
        ));
}

/// A load run of `n` requests with --reconnect against openssl s_server -www, under
/// `--tls-resume` given as `resume` (None: the default): its JSON report.
fn reconnecting_run(pki: &Pki, port: &str, resume: Option<&str>) -> Value {
    let mut cmd = netdemo();
    cmd.args(["--json", "tcp", "connect", "--tls", "--cacert", &pki.ca()])
        .args(["--host", "localhost", "-p", port])
        .args(["--mode", "request", "--framing", "http", "GET /"])
        .args(["-c", "1", "-n", "12", "--reconnect"]);
    if let Some(resume) = resume {
        cmd.args(["--tls-resume", resume]);
    }
    let output = cmd.timeout(DEADLINE).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    json_lines(&output.stdout).pop().unwrap()
}

#[test]
fn reconnects_resume_tls_sessions_by_default_and_the_report_counts_each_kind() {
    if !openssl("s_server -www") {
        return;
    }
    let pki = Pki::new();
    let (cert, key) = pki.server();
    let server = s_server(&cert, &key, &["-www"]);
    let resumed = reconnecting_run(&pki, &server.port, None);
    let off = reconnecting_run(&pki, &server.port, Some("off"));

    // The first handshake is full; openssl hands out tickets, so the rest resume.
    assert_eq!(resumed["requests"], 12, "{resumed}");
    assert_eq!(resumed["tls_full"], 1, "{resumed}");
    assert_eq!(resumed["tls_resumed"], 11, "{resumed}");
    assert!(resumed["tls_resumed_us"]["p50"].as_u64().unwrap() > 0);
    assert!(resumed["tls_resumed_histogram_b64"].is_string());
    assert_eq!(off["tls_full"], 12, "{off}");
    assert_eq!(off["tls_resumed"], 0, "{off}");
    assert!(off.get("tls_resumed_us").is_none(), "{off}");
}

#[test]
fn ncats_throwaway_certificate_is_refused_with_the_pin_that_trusts_it() {
    if !support::installed("ncat", &["--version"]) {
        return;
    }
    let port = free_port().to_string();
    let mut ncat = Reaped(
        Command::new("ncat")
            .args(["-v", "--ssl", "-l", "-k", "127.0.0.1", &port])
            .args(["-c", "cat"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let _said = ready(ncat.0.stderr.take().unwrap(), "Listening on");
    let output = tls_connect(&port, &["--mode", "echo", "hi"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is self-signed"), "{stderr}");
    let pin = stderr
        .split("--pin ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap()
        .to_owned();
    assert!(
        stderr.contains("or skip the check with --insecure"),
        "{stderr}"
    );
    // The fingerprint offered is the one that works.
    tls_connect(&port, &["--pin", &pin, "--mode", "echo", "hi"])
        .assert()
        .success();
}

#[test]
fn the_key_log_holds_the_secrets_openssl_logged_for_the_same_connection() {
    if !openssl("keylog") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("netdemo.keys");
    let theirs = dir.path().join("openssl.keys");
    let (server, _) = tls_server(&["--keylog", ours.to_str().unwrap(), "--framing", "line"]);
    let mut client = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{}", server.port()),
        ])
        .arg("-keylogfile")
        .arg(&theirs)
        .args(["-quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    client
        .stdin
        .take()
        .unwrap()
        .write_all(b"hello\nexit\n")
        .unwrap();
    let Some(status) = client.wait_timeout(DEADLINE).unwrap() else {
        client.kill().unwrap();
        panic!("s_client did not finish");
    };
    assert!(status.success());
    // Both ends wrote the connection's secrets: the same lines, label, client random
    // and secret, in the NSS format Wireshark reads.
    let lines = |path: &std::path::Path| -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (ours, theirs) = (lines(&ours), lines(&theirs));
    assert!(
        ours.iter()
            .any(|l| l.starts_with("CLIENT_TRAFFIC_SECRET_0 ")),
        "{ours:?}"
    );
    assert_eq!(ours, theirs);
    // The file is its owner's alone: it decrypts the traffic.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.path().join("netdemo.keys"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "{mode:o}");
    let stderr = server.stderr().join("\n");
    assert!(stderr.contains("TLS secrets are appended to"), "{stderr}");
}

#[test]
fn tshark_decrypts_a_capture_of_https_to_openssl_with_the_key_log() {
    if !openssl("pcap of https") || !support::installed("tshark", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (pcap, keys) = (dir.path().join("https.pcapng"), dir.path().join("keys"));
    let pki = Pki::new();
    let (cert, key) = pki.server();
    let server = s_server(&cert, &key, &["-www"]);
    let mut connect = netdemo();
    connect
        .arg("--pcap")
        .arg(&pcap)
        .args(["tcp", "connect", "--tls", "-p", &server.port])
        .args(["--cacert", &pki.ca(), "--host", "localhost", "--keylog"])
        .arg(&keys)
        .args(["--mode", "request", "--framing", "http", "GET /secret-path"])
        .assert()
        .success();
    let tshark = |args: &[&str]| {
        let output = Command::new("tshark")
            .arg("-r")
            .arg(&pcap)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    // Without the keys: TLS records, and no request line in sight.
    let sealed = tshark(&["-T", "fields", "-e", "tls.record.opaque_type"]);
    assert!(
        sealed.contains("23"),
        "no application data records: {sealed}"
    );
    assert!(!tshark(&["-x"]).contains("secret-path"));
    // With them, tshark decrypts the records and shows the HTTP request.
    let keylog = format!("tls.keylog_file:{}", keys.display());
    let opened = tshark(&[
        "-o",
        &keylog,
        "-Y",
        "http.request",
        "-T",
        "fields",
        "-e",
        "http.request.method",
        "-e",
        "http.request.uri",
    ]);
    assert_eq!(opened.trim(), "GET\t/secret-path", "{opened}");

    // With --pcap-secrets the capture carries them itself: the one file is enough.
    let alone = dir.path().join("alone.pcapng");
    netdemo()
        .arg("--pcap")
        .arg(&alone)
        .arg("--pcap-secrets")
        .args(["tcp", "connect", "--tls", "-p", &server.port])
        .args(["--cacert", &pki.ca(), "--host", "localhost"])
        .args(["--mode", "request", "--framing", "http", "GET /one-file"])
        .assert()
        .success();
    let output = Command::new("tshark")
        .arg("-r")
        .arg(&alone)
        .args([
            "-Y",
            "http.request",
            "-T",
            "fields",
            "-e",
            "http.request.uri",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "/one-file");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .all(|line| !line.contains("warn")),
        "{output:?}"
    );
}
