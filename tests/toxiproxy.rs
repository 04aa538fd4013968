//! The relays' toxiproxy-compatible API (`--api`) driven by toxiproxy's own clients
//! (toxiproxy-python from PyPI, toxiproxy-node-client from npm; `.ci/run` installs both)
//! and by plain HTTP for every status code; faults changed while connections run, each
//! measured from the client's side against a Python echo server; and `--schedule`.

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Server, netdemo, peer, python3};
use wait_timeout::ChildExt;

fn echo_server() -> Server {
    Server::python("echo_server.py", &["127.0.0.1", "0"])
}

/// `tcp relay --api` (or udp) on a free port, with `args`; its `listening on` line names
/// the API when there is no `--to`.
fn api(protocol: &str, args: &[&str]) -> Server {
    let mut all = vec!["-q", protocol, "relay", "--api", "127.0.0.1:0"];
    all.extend_from_slice(args);
    Server::netdemo(&all)
}

/// One HTTP/1.1 request; the status and the body.
fn http(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    http_as(
        addr,
        method,
        path,
        body.map(Value::to_string),
        "netdemo-tests",
    )
}

fn http_as(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<String>,
    agent: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(support::DEADLINE)).unwrap();
    let body = body.unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: {agent}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_owned());
    (status, body)
}

/// The body as JSON; panics with the body when it is not.
fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|err| panic!("{err}: {body:?}"))
}

/// Makes proxy `name` to `upstream` on a free port; its bound address.
fn proxy(api: &Server, name: &str, upstream: &Server) -> SocketAddr {
    let (status, body) = http(
        api.addr,
        "POST",
        "/proxies",
        Some(
            &json!({"name": name, "listen": "127.0.0.1:0", "upstream": upstream.addr.to_string()}),
        ),
    );
    assert_eq!(status, 201, "{body}");
    json(&body)["listen"].as_str().unwrap().parse().unwrap()
}

fn toxic(api: &Server, proxy: &str, toxic: &Value) {
    let (status, body) = http(
        api.addr,
        "POST",
        &format!("/proxies/{proxy}/toxics"),
        Some(toxic),
    );
    assert_eq!(status, 200, "{body}");
}

fn remove(api: &Server, proxy: &str, toxic: &str) {
    let path = format!("/proxies/{proxy}/toxics/{toxic}");
    assert_eq!(http(api.addr, "DELETE", &path, None).0, 204);
}

/// Asserts that at least `ms` passed since `started`.
fn took_at_least(started: Instant, ms: u64) {
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(ms),
        "took {took:?}, not {ms} ms"
    );
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    stream.set_read_timeout(Some(support::DEADLINE)).unwrap();
    stream
}

/// A round trip of a few bytes through an echo server.
fn round_trip(stream: &mut TcpStream) -> Duration {
    let started = Instant::now();
    stream.write_all(b"ping\n").unwrap();
    let mut got = [0u8; 5];
    stream.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping\n");
    started.elapsed()
}

/// Runs a client script to its end, within a minute; its stdout as JSON.
fn client(mut command: Command) -> Value {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let Some(status) = child.wait_timeout(Duration::from_secs(60)).unwrap() else {
        child.kill().unwrap();
        panic!("{command:?} ran over a minute");
    };
    let mut out = String::new();
    let mut err = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{command:?}: {status}\n{out}\n{err}");
    json(out.trim())
}

#[test]
fn toxiproxy_python_drives_the_relay_unchanged() {
    let _heavy = support::heavy();
    if python3("toxiproxy-python").is_none() {
        return;
    }
    let has_client = Command::new("python3")
        .args(["-c", "import toxiproxy"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_client {
        eprintln!("skipping: toxiproxy-python is not installed (.ci/run installs it)");
        return;
    }
    let target = echo_server();
    let relay = api("tcp", &[]);
    let mut command = Command::new("python3");
    command.arg(peer("toxiproxy_python.py")).args([
        "127.0.0.1",
        &relay.port(),
        &target.addr.to_string(),
    ]);
    let found = client(command);
    assert_eq!(found["running"], true, "{found}");
    assert_eq!(found["version"], "2.12.0");
    assert_eq!(found["listen_bound"], true);
    let ms = |key: &str| found[key].as_f64().unwrap();
    // 200 ms of downstream latency, added on a connection already open.
    assert!(ms("rtt_latency_ms") >= 200.0, "{found}");
    assert!(ms("rtt_after_ms") < 200.0, "{found}");
    assert_eq!(found["toxics"], json!(["lat", "lim"]));
    assert_eq!(
        found["lat_attributes"],
        json!({"latency": 200, "jitter": 0})
    );
    // limit_data (1000 bytes up, 10 of them already gone): the connection closed with at
    // most what passed echoed back.
    assert!(found["limit_echoed"].as_u64().unwrap() <= 990, "{found}");
    assert!(
        found["unknown_type"]
            .as_str()
            .unwrap()
            .contains("invalid toxic type"),
        "{found}"
    );
    assert!(
        found["bad_attribute"]
            .as_str()
            .unwrap()
            .contains("attribute latency"),
        "{found}"
    );
    assert_eq!(found["taken_name"], "ProxyExists");
    // The address in use is a 409 too (toxiproxy answers 500, which this client cannot
    // tell from success).
    assert_eq!(found["taken_listen"], "ProxyExists");
    assert_eq!(found["unknown_toxic"], "NotFound");
    assert_eq!(found["disabled_refuses"], true);
    assert!(ms("rtt_enabled_ms") < 200.0, "{found}");
    assert_eq!(found["toxics_after_reset"], json!([]));
    assert_eq!(found["proxies"], json!(["py"]));
    assert_eq!(found["destroyed"], true);
    assert_eq!(found["proxies_after"], json!([]));
}

/// Where `.ci/run` installs npm's toxiproxy-node-client.
fn node_modules() -> Option<PathBuf> {
    let path = std::env::var_os("NETDEMO_NODE_PATH").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/npm/node_modules"),
        PathBuf::from,
    );
    path.join("toxiproxy-node-client").exists().then_some(path)
}

#[test]
fn toxiproxy_node_client_drives_the_relay_unchanged() {
    let _heavy = support::heavy();
    if !support::installed("node", &["--version"]) || python3("node client").is_none() {
        return;
    }
    let Some(modules) = node_modules() else {
        eprintln!(
            "skipping: toxiproxy-node-client is not in target/npm (.ci/run installs it with \
             npm)"
        );
        return;
    };
    let target = echo_server();
    let relay = api("tcp", &[]);
    let mut command = Command::new("node");
    command
        .env("NODE_PATH", modules)
        .arg(peer("toxiproxy_node.js"))
        .args([format!("http://{}", relay.addr), target.addr.to_string()]);
    let found = client(command);
    assert_eq!(found["version"], "2.12.0", "{found}");
    assert_eq!(found["listen_bound"], true);
    let ms = |key: &str| found[key].as_f64().unwrap();
    assert!(ms("rtt_latency_ms") >= 150.0, "{found}");
    // Updated with POST on the open connection: the next round trip takes the new figure.
    assert_eq!(
        found["updated_attributes"],
        json!({"latency": 300, "jitter": 0})
    );
    assert!(ms("rtt_updated_ms") >= 300.0, "{found}");
    assert_eq!(found["got_toxic"], json!({"latency": 300, "jitter": 0}));
    assert!(ms("rtt_removed_ms") < 150.0, "{found}");
    // limit_data downstream: exactly 1000 bytes came back, then the close.
    assert_eq!(found["limit_echoed"], 1000, "{found}");
    assert!(found["unknown_type"].as_str().unwrap().contains("400"));
    assert!(found["taken_name"].as_str().unwrap().contains("409"));
    assert!(found["unknown_proxy"].as_str().unwrap().contains("404"));
    assert_eq!(found["disabled"], true);
    assert_eq!(found["disabled_refuses"], true);
    assert!(ms("rtt_after_reset_ms") < 150.0, "{found}");
    assert_eq!(found["populated"], json!(["node", "node2"]));
    assert_eq!(found["all"], json!(["node", "node2"]));
    assert_eq!(found["all_after"], json!([]));
}

#[test]
fn every_failure_has_toxiproxys_status_and_a_json_error() {
    let target = echo_server();
    let relay = api("tcp", &[]);
    let addr = relay.addr;
    let listen = proxy(&relay, "p", &target);
    let error = |(status, body): (u16, String)| {
        let body = json(&body);
        assert_eq!(body["status"], status, "{body}");
        (status, body["error"].as_str().unwrap().to_owned())
    };
    let post = |path: &str, body: Value| error(http(addr, "POST", path, Some(&body)));
    assert_eq!(
        post("/proxies", json!({"name": "p", "upstream": "127.0.0.1:1"})),
        (409, "proxy already exists".to_owned())
    );
    let (status, message) = post(
        "/proxies",
        json!({"name": "q", "listen": listen.to_string(), "upstream": "127.0.0.1:1"}),
    );
    assert_eq!(status, 409, "{message}");
    assert!(message.contains("address"), "{message}");
    assert_eq!(
        post("/proxies", json!({"upstream": "127.0.0.1:1"})),
        (400, "missing required field: name".to_owned())
    );
    assert_eq!(
        post("/proxies", json!({"name": "r"})),
        (400, "missing required field: upstream".to_owned())
    );
    assert_eq!(
        error(http_as(
            addr,
            "POST",
            "/proxies",
            Some("{\"name\":".into()),
            "t"
        )),
        (400, "bad request body: unexpected EOF".to_owned())
    );
    assert_eq!(
        error(http(addr, "POST", "/proxies", None)),
        (400, "bad request body: EOF".to_owned())
    );
    assert_eq!(
        post("/proxies/p/toxics", json!({"type": "earthquake"})).0,
        400
    );
    assert_eq!(
        post(
            "/proxies/p/toxics",
            json!({"type": "latency", "stream": "sideways"})
        ),
        (
            400,
            "stream was invalid, can be either upstream or downstream".to_owned()
        )
    );
    let (status, message) = post(
        "/proxies/p/toxics",
        json!({"type": "latency", "attributes": {"latency": "slow"}}),
    );
    assert_eq!(status, 400);
    assert!(message.contains("latency"), "{message}");
    assert_eq!(
        post(
            "/proxies/p/toxics",
            json!({"type": "latency", "toxicity": "all"})
        )
        .0,
        400
    );
    assert_eq!(post("/proxies/p/toxics", json!({"type": "loss"})).0, 400);
    toxic(&relay, "p", &json!({"type": "latency", "name": "l"}));
    assert_eq!(
        post("/proxies/p/toxics", json!({"type": "latency", "name": "l"})),
        (409, "toxic already exists".to_owned())
    );
    assert_eq!(
        error(http(addr, "GET", "/proxies/none", None)),
        (404, "proxy not found".to_owned())
    );
    assert_eq!(
        error(http(addr, "DELETE", "/proxies/p/toxics/none", None)),
        (404, "toxic not found".to_owned())
    );
    assert_eq!(
        error(http(
            addr,
            "PATCH",
            "/proxies/none/toxics/l",
            Some(&json!({}))
        )),
        (404, "proxy not found".to_owned())
    );
    // A browser is refused, as toxiproxy refuses it; an unknown path and a wrong method
    // are plain HTTP failures.
    let (status, body) = http_as(addr, "GET", "/proxies", None, "Mozilla/5.0 (X11)");
    assert_eq!((status, body.as_str()), (403, "User agent not allowed\n"));
    assert_eq!(http(addr, "GET", "/nowhere", None).0, 404);
    assert_eq!(http(addr, "PUT", "/proxies", None).0, 405);
    // /populate: what it made before a failure comes back with it.
    let (status, body) = http(
        addr,
        "POST",
        "/populate",
        Some(&json!([
            {"name": "a", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:1"},
            {"name": "b", "listen": listen.to_string(), "upstream": "127.0.0.1:1"},
        ])),
    );
    let body = json(&body);
    assert_eq!((status, &body["status"]), (409, &json!(409)), "{body}");
    assert_eq!(body["proxies"][0]["name"], "a", "{body}");
    assert_eq!(
        error(http(
            addr,
            "POST",
            "/populate",
            Some(&json!([{"name": "c"}]))
        )),
        (
            400,
            "missing required field: upstream at proxy 1".to_owned()
        )
    );
    // Successes, with their codes and shapes.
    let (status, body) = http(addr, "GET", "/version", None);
    assert_eq!(
        (status, json(&body)["version"].as_str()),
        (200, Some("2.12.0"))
    );
    let (status, body) = http(
        addr,
        "PATCH",
        "/proxies/p/toxics/l",
        Some(&json!({"attributes": {"jitter": 5}, "toxicity": 0.5})),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json(&body),
        json!({"name": "l", "type": "latency", "stream": "downstream", "toxicity": 0.5,
               "attributes": {"latency": 0, "jitter": 5}})
    );
    let (status, body) = http(addr, "GET", "/proxies", None);
    assert_eq!(status, 200);
    let all = json(&body);
    assert_eq!(all["p"]["toxics"][0]["name"], "l", "{all}");
    assert_eq!(all["a"]["upstream"], "127.0.0.1:1", "{all}");
    assert_eq!(http(addr, "DELETE", "/proxies/p/toxics/l", None).0, 204);
    assert_eq!(http(addr, "POST", "/reset", None).0, 204);
    assert_eq!(http(addr, "DELETE", "/proxies/a", None).0, 204);
    let (status, body) = http(addr, "GET", "/proxies/p/toxics", None);
    assert_eq!((status, body.as_str()), (200, "[]"));
    // A client in a loop meets a bound, not a relay that grows without end.
    let refused = (0..=100).find_map(|i| {
        let toxic = json!({"type": "latency", "name": format!("t{i}")});
        let (status, body) = http(addr, "POST", "/proxies/p/toxics", Some(&toxic));
        (status != 200).then_some((i, status, body))
    });
    let (at, status, body) = refused.unwrap();
    assert_eq!((at, status), (100, 400), "{body}");
    assert!(body.contains("at most 100 toxics"), "{body}");
}

#[test]
fn a_change_reaches_open_connections_and_re_times_what_they_queued() {
    let target = echo_server();
    let relay = api("tcp", &[]);
    let listen = proxy(&relay, "p", &target);
    let mut stream = connect(listen);
    round_trip(&mut stream);
    toxic(
        &relay,
        "p",
        &json!({"name": "slow", "type": "latency", "attributes": {"latency": 30000}}),
    );
    // The reply waits for 30 s of latency...
    stream.write_all(b"ping\n").unwrap();
    // ...until the latency is taken back: the queued reply goes at once.
    let (status, body) = http(
        relay.addr,
        "PATCH",
        "/proxies/p/toxics/slow",
        Some(&json!({"attributes": {"latency": 0}})),
    );
    assert_eq!(status, 200, "{body}");
    let started = Instant::now();
    let mut got = [0u8; 5];
    stream.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping\n");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // The relay said each change.
    relay.wait_stderr(|line| {
        line.contains(
            "faults of p up (client to target): none; down (target to client): latency 30s",
        )
    });
    relay.wait_stderr(|line| line.contains("down (target to client): latency 0s"));
}

#[test]
fn toxiproxys_toxics_act_as_its_documentation_says() {
    let target = echo_server();
    let relay = api("tcp", &[]);
    let listen = proxy(&relay, "p", &target);

    // timeout: nothing gets through, and the connection closes after the timeout.
    toxic(
        &relay,
        "p",
        &json!({"name": "t", "type": "timeout", "stream": "upstream", "attributes": {"timeout": 300}}),
    );
    let mut stream = connect(listen);
    let started = Instant::now();
    stream.write_all(b"lost\n").unwrap();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(rest.is_empty(), "{rest:?}");
    took_at_least(started, 250);
    remove(&relay, "p", "t");

    // reset_peer: the first bytes bring a reset.
    toxic(
        &relay,
        "p",
        &json!({"name": "r", "type": "reset_peer", "stream": "upstream"}),
    );
    let mut stream = connect(listen);
    stream.write_all(b"reset me\n").unwrap();
    let mut buf = [0u8; 16];
    let read = stream.read(&mut buf);
    assert!(
        matches!(&read, Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset),
        "{read:?}"
    );
    remove(&relay, "p", "r");

    // slow_close: the echo server's close reaches the client only after the delay.
    toxic(
        &relay,
        "p",
        &json!({"name": "s", "type": "slow_close", "attributes": {"delay": 400}}),
    );
    let mut stream = connect(listen);
    round_trip(&mut stream);
    let started = Instant::now();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    took_at_least(started, 350);
    remove(&relay, "p", "s");

    // bandwidth, in KB/s: 60,000 bytes at 100 KB/s take at least half a second.
    toxic(
        &relay,
        "p",
        &json!({"name": "b", "type": "bandwidth", "attributes": {"rate": 100}}),
    );
    let mut stream = connect(listen);
    let started = Instant::now();
    let data = vec![b'z'; 60_000];
    stream.write_all(&data).unwrap();
    let mut back = vec![0u8; data.len()];
    stream.read_exact(&mut back).unwrap();
    assert_eq!(back, data);
    took_at_least(started, 500);

    // A disabled proxy stops listening, and its connections end.
    let (status, body) = http(
        relay.addr,
        "PATCH",
        "/proxies/p",
        Some(&json!({"enabled": false})),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["enabled"], false);
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(TcpStream::connect(listen).is_err());
}

#[test]
fn the_relay_of_to_is_the_default_proxy_and_udp_relays_take_their_own_toxics() {
    let target = echo_server();
    let to = target.addr.to_string();
    let relay = Server::netdemo(&[
        "tcp",
        "relay",
        "-p",
        "0",
        "--to",
        &to,
        "--latency",
        "10ms",
        "--api",
        "127.0.0.1:0",
    ]);
    let line = relay.wait_stderr(|line| line.starts_with("api on http://"));
    let control: SocketAddr = line["api on http://".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (status, body) = http(control, "GET", "/proxies/default", None);
    assert_eq!(status, 200, "{body}");
    let shown = json(&body);
    assert_eq!(shown["listen"], relay.addr.to_string(), "{shown}");
    assert_eq!(shown["upstream"], to);
    assert_eq!(shown["toxics"][0]["name"], "latency_downstream", "{shown}");
    assert_eq!(shown["toxics"][0]["attributes"]["latency"], 10);

    // UDP: netdemo's own loss toxic, added and removed through the API.
    let udp_target = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "echo"]);
    let udp = api("udp", &[]);
    let (status, body) = http(
        udp.addr,
        "POST",
        "/proxies",
        Some(
            &json!({"name": "u", "listen": "127.0.0.1:0", "upstream": udp_target.addr.to_string()}),
        ),
    );
    assert_eq!(status, 201, "{body}");
    let listen: SocketAddr = json(&body)["listen"].as_str().unwrap().parse().unwrap();
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let echoed = |socket: &std::net::UdpSocket| {
        let mut buf = [0u8; 16];
        socket.send_to(b"hello", listen).unwrap();
        socket.recv(&mut buf).is_ok()
    };
    assert!(echoed(&socket));
    let (status, body) = http(
        udp.addr,
        "POST",
        "/proxies/u/toxics",
        Some(&json!({"type": "loss", "attributes": {"percent": 100}})),
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        (0..5).all(|_| !echoed(&socket)),
        "datagrams came back through 100% loss"
    );
    assert_eq!(
        http(
            udp.addr,
            "DELETE",
            "/proxies/u/toxics/loss_downstream",
            None
        )
        .0,
        204
    );
    assert!((0..20).any(|_| echoed(&socket)));
    let (status, body) = http(
        udp.addr,
        "POST",
        "/proxies/u/toxics",
        Some(&json!({"type": "bandwidth"})),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("does not apply to a udp relay"), "{body}");
}

#[test]
fn a_schedule_changes_the_faults_of_open_connections_in_time() {
    let target = echo_server();
    let to = target.addr.to_string();
    let relay = Server::netdemo(&[
        "tcp",
        "relay",
        "-p",
        "0",
        "--to",
        &to,
        "--schedule",
        "1s:latency=300ms;2500ms:clear",
    ]);
    let mut stream = connect(relay.addr);
    round_trip(&mut stream);
    relay.wait_stderr(|line| {
        line == "faults of default up (client to target): none; down (target to client): latency 300ms"
    });
    assert!(round_trip(&mut stream) >= Duration::from_millis(300));
    relay.wait_stderr(|line| line == "faults of default: none, bytes go straight through");
    assert!(round_trip(&mut stream) < Duration::from_millis(300));

    // UDP: its own faults, on the same timetable.
    let udp_target = Server::netdemo(&["-q", "udp", "serve", "-p", "0", "--mode", "echo"]);
    let to = udp_target.addr.to_string();
    let udp = Server::netdemo(&[
        "udp",
        "relay",
        "-p",
        "0",
        "--to",
        &to,
        "--schedule",
        "300ms:loss=100%",
    ]);
    udp.wait_stderr(|line| line.ends_with("down (target to client): loss 100%"));
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    for _ in 0..5 {
        socket.send_to(b"hello", udp.addr).unwrap();
        assert!(
            socket.recv(&mut [0u8; 16]).is_err(),
            "a reply came through 100% loss"
        );
    }
}

#[test]
fn bad_relay_flags_are_refused_with_the_way_out() {
    for (args, wanted) in [
        (
            &[
                "tcp",
                "relay",
                "-p",
                "0",
                "--to",
                "127.0.0.1:1",
                "--schedule",
                "latency=1s",
            ][..],
            "has no time",
        ),
        (
            &[
                "tcp",
                "relay",
                "-p",
                "0",
                "--to",
                "127.0.0.1:1",
                "--schedule",
                "1s:loss=5%",
            ],
            "not a fault here",
        ),
        (
            &[
                "udp",
                "relay",
                "-p",
                "0",
                "--to",
                "127.0.0.1:1",
                "--schedule",
                "1s:bandwidth=1K",
            ],
            "not a fault here",
        ),
        (
            &[
                "tcp",
                "relay",
                "-p",
                "0",
                "--to",
                "127.0.0.1:1",
                "--schedule",
                "2s:clear;1s:clear",
            ],
            "time order",
        ),
        (
            &[
                "tcp",
                "relay",
                "-p",
                "0",
                "--to",
                "127.0.0.1:1",
                "--schedule",
                "1s:slice=0",
            ],
            "from 1 byte",
        ),
        (&["tcp", "relay", "-p", "0"], "--to"),
        (
            &["tcp", "relay", "--api", "0", "--latency", "1s"],
            "--latency",
        ),
        (&["udp", "relay", "--api", "0", "--loss", "5"], "--loss"),
        (
            &["tcp", "relay", "--api", "0", "--schedule", "1s:clear"],
            "--to",
        ),
    ] {
        let assert = netdemo().args(args).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(wanted), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
    }
}

#[test]
fn json_says_the_api_each_proxy_and_each_change_and_metrics_are_served_there() {
    let target = echo_server();
    let relay = Server::netdemo(&["--json", "tcp", "relay", "--api", "127.0.0.1:0"]);
    let listen = proxy(&relay, "j", &target);
    toxic(
        &relay,
        "j",
        &json!({"type": "latency", "stream": "upstream", "attributes": {"latency": 5}}),
    );
    let mut stream = connect(listen);
    round_trip(&mut stream);
    let mut seen = Vec::new();
    while seen.len() < 4 {
        let event = support::json_line(&relay.next_line(), "a relay's JSON line");
        match event["event"].as_str().unwrap() {
            "api" | "listening" | "proxy" | "faults" => seen.push(event),
            _ => {}
        }
    }
    assert_eq!(seen[0]["event"], "api", "{seen:?}");
    assert_eq!(seen[0]["toxiproxy"], "2.12.0");
    assert_eq!(seen[1]["event"], "listening", "{seen:?}");
    assert_eq!(seen[1]["addr"], relay.addr.to_string());
    assert_eq!(
        (&seen[2]["event"], &seen[2]["name"], &seen[2]["state"]),
        (&json!("proxy"), &json!("j"), &json!("started")),
        "{seen:?}"
    );
    assert_eq!(seen[2]["listen"], listen.to_string());
    assert_eq!(
        (
            &seen[3]["event"],
            &seen[3]["proxy"],
            &seen[3]["up"],
            &seen[3]["down"]
        ),
        (
            &json!("faults"),
            &json!("j"),
            &json!("latency 5ms"),
            &json!("")
        ),
        "{seen:?}"
    );
    // /metrics on the API's address counts the relay's connections.
    let (status, body) = http(relay.addr, "GET", "/metrics", None);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("netdemo_connections_total 1"), "{body}");
}
