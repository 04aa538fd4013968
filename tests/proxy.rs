//! `--proxy` and `--source`: netdemo's clients through proxies it did not write
//! (microsocks for SOCKS5, tinyproxy for HTTP CONNECT, and a SOCKS5 peer in Python that
//! knows names no resolver does), and from the local addresses asked for, as the servers
//! see them. Each proxy is started by the test on a free loopback port with its own
//! settings, and skipped with a note where it is not installed.

mod support;

use support::{Server, free_port, netdemo, silent_server};

fn microsocks(test: &str, extra: &[&str]) -> Option<(support::Spawned, u16)> {
    let mut args = vec!["-i", "127.0.0.1", "-p", "{port}"];
    args.extend_from_slice(extra);
    silent_server(test, "microsocks", &args)
}

/// `netdemo ARGS`: its exit code, stdout and stderr.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = netdemo().args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Through `proxy` to the seed server `seed`: a conversation (the greeting the target
/// sends first arrives whole after the proxy's reply), then a load run of `requests` on
/// three connections, every one through the proxy.
fn converse_and_load(proxy: &str, seed: &Server, requests: u32) {
    let (code, out, err) = run(&["tcp", "connect", "--proxy", proxy, "-p", &seed.port(), "hi"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "-->>Hello, I am server!\n-->>Loop_Msg: hi!\n");
    let requests = requests.to_string();
    let load = support::json_run(&[
        "tcp",
        "connect",
        "--proxy",
        proxy,
        "-p",
        &seed.port(),
        "-n",
        &requests,
        "-c",
        "3",
        "hi",
    ]);
    let report = load.first();
    assert_eq!(report["requests"].to_string(), requests, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
}

#[test]
fn socks5_through_microsocks_carries_every_tcp_client() {
    let Some((_proxy, port)) = microsocks("socks5 through microsocks", &[]) else {
        return;
    };
    let proxy = format!("socks5://127.0.0.1:{port}");
    let seed = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    converse_and_load(&proxy, &seed, 60);

    // A throughput run to a discard server.
    let sink = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--mode", "discard"]);
    let (code, _, err) = run(&[
        "tcp",
        "connect",
        "--proxy",
        &proxy,
        "-p",
        &sink.port(),
        "--mode",
        "send",
        "-n",
        "1M",
    ]);
    assert_eq!(code, Some(0), "{err}");

    // TLS inside the tunnel.
    let tls = Server::netdemo(&["-q", "tcp", "serve", "-p", "0", "--tls"]);
    let (code, out, err) = run(&[
        "tcp",
        "connect",
        "--proxy",
        &proxy,
        "-p",
        &tls.port(),
        "--tls",
        "--insecure",
        "sealed",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Loop_Msg: sealed!"), "{out}");

    // -z asks the proxy for each port: one open, one closed behind it.
    let closed = free_port();
    let ports = if closed < seed.addr.port() {
        format!("{closed}-{}", seed.addr.port())
    } else {
        format!("{}-{closed}", seed.addr.port())
    };
    let (code, out, err) = run(&[
        "tcp",
        "connect",
        "--proxy",
        &proxy,
        "-z",
        "-p",
        &ports,
        "--timeout",
        "5s",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(&format!("127.0.0.1:{} open", seed.port())),
        "{out}"
    );
    assert!(
        err.contains(&format!(
            "127.0.0.1:{closed} closed (connection refused, said the proxy)"
        )),
        "{err}"
    );
}

#[test]
fn socks5_credentials_are_sent_and_each_failure_names_its_hop() {
    let Some((_proxy, port)) = microsocks("socks5 credentials", &["-u", "bob", "-P", "s3cret"])
    else {
        return;
    };
    let seed = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    let url = |auth: &str| format!("socks5://{auth}127.0.0.1:{port}");
    let (code, out, err) = run(&[
        "tcp",
        "connect",
        "--proxy",
        &url("bob:s3cret@"),
        "-p",
        &seed.port(),
        "hi",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Loop_Msg: hi!"), "{out}");
    let (code, _, err) = run(&[
        "tcp",
        "connect",
        "--proxy",
        &url(""),
        "-p",
        &seed.port(),
        "hi",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("accepts none of our methods"), "{err}");
    assert!(err.contains("socks5://USER:PASS@HOST:PORT"), "{err}");
    let (code, _, err) = run(&[
        "tcp",
        "connect",
        "--proxy",
        &url("bob:wrong@"),
        "-p",
        &seed.port(),
        "hi",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("refused the user and password"), "{err}");
    // The password never shows, even at -v.
    assert!(!err.contains("wrong"), "{err}");
    // The proxy itself not there: the first hop is named.
    let nobody = free_port().to_string();
    let (code, _, err) = run(&[
        "tcp",
        "connect",
        "--proxy",
        &format!("socks5://127.0.0.1:{nobody}"),
        "-p",
        &seed.port(),
    ]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(&format!("cannot connect to 127.0.0.1:{nobody}")),
        "{err}"
    );
}

#[test]
fn a_target_name_is_resolved_by_the_socks5_proxy_not_here() {
    if support::python3("socks5 remote names").is_none() {
        return;
    }
    let seed = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    let proxy = Server::python(
        "socks5_proxy.py",
        &["0", "--map", "service.internal=127.0.0.1"],
    );
    let url = format!("socks5h://127.0.0.1:{}", proxy.port());
    let (code, out, err) = run(&[
        "tcp",
        "connect",
        "--proxy",
        &url,
        "--host",
        "service.internal",
        "-p",
        &seed.port(),
        "hi",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Loop_Msg: hi!"), "{out}");
    // Address type 3: the name itself went to the proxy.
    assert_eq!(
        proxy.next_line(),
        format!("request 3 service.internal {}", seed.port())
    );
    let (code, _, err) = run(&[
        "tcp",
        "connect",
        "--proxy",
        &url,
        "--host",
        "nowhere.internal",
        "-p",
        "80",
    ]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(&format!(
            "the proxy 127.0.0.1:{} could not reach nowhere.internal:80: host unreachable \
             (SOCKS5 reply 4)",
            proxy.port()
        )),
        "{err}"
    );
}

#[test]
fn http_connect_through_tinyproxy() {
    let seed = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("tinyproxy.conf");
    // Only the seed server's port may be reached through it.
    let port = free_port();
    std::fs::write(
        &conf,
        format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\nAllow 127.0.0.1\n\
             ConnectPort {}\n",
            seed.port()
        ),
    )
    .unwrap();
    let conf = conf.to_str().unwrap().to_owned();
    let Some((_proxy, _)) = support::silent_server_on(
        "http connect through tinyproxy",
        "tinyproxy",
        &["-d", "-c", &conf],
        port,
    ) else {
        return;
    };
    let proxy = format!("http://127.0.0.1:{port}");
    converse_and_load(&proxy, &seed, 40);
    // A port its rules forbid: the proxy's own answer is the reason.
    let (code, _, err) = run(&["tcp", "connect", "--proxy", &proxy, "-p", "1", "hi"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(&format!(
            "the proxy 127.0.0.1:{port} would not connect to 127.0.0.1:1: 403"
        )),
        "{err}"
    );
}

#[test]
fn clients_and_relays_send_from_the_source_asked_for() {
    let seed = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    let (code, _, err) = run(&[
        "tcp",
        "connect",
        "--source",
        "127.0.0.2",
        "-p",
        &seed.port(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    seed.wait_stderr(|line| line.contains("from 127.0.0.2:"));
    let fixed = free_port().to_string();
    let (code, _, err) = run(&[
        "tcp",
        "connect",
        "--source",
        &format!("127.0.0.2:{fixed}"),
        "-p",
        &seed.port(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    seed.wait_stderr(|line| line.contains(&format!("from 127.0.0.2:{fixed}")));

    let udp = Server::netdemo(&["udp", "serve", "-p", "0"]);
    let (code, _, err) = run(&[
        "udp",
        "send",
        "--source",
        "127.0.0.3",
        "-p",
        &udp.port(),
        "hi",
    ]);
    assert_eq!(code, Some(0), "{err}");
    udp.wait_stderr(|line| line.contains("from 127.0.0.3:"));

    let relay = Server::netdemo(&[
        "tcp",
        "relay",
        "-p",
        "0",
        "--to",
        &format!("127.0.0.1:{}", seed.port()),
        "--source",
        "127.0.0.4",
    ]);
    let (code, _, err) = run(&["tcp", "connect", "-p", &relay.port()]);
    assert_eq!(code, Some(0), "{err}");
    seed.wait_stderr(|line| line.contains("from 127.0.0.4:"));
}

#[test]
fn sources_and_proxies_that_cannot_work_are_refused() {
    for (args, code, wanted) in [
        (
            &[
                "tcp",
                "connect",
                "--source",
                "127.0.0.1:40000",
                "-c",
                "2",
                "-n",
                "4",
            ][..],
            2,
            "allows one connection at a time",
        ),
        (
            &["tcp", "connect", "--source", "::1", "--host", "127.0.0.1"],
            2,
            "is IPv6, but 127.0.0.1 has no IPv6 address",
        ),
        (
            &["tcp", "connect", "--source", "192.0.2.7"],
            1,
            "not an address of this machine",
        ),
        (
            &[
                "udp",
                "send",
                "--source",
                "127.0.0.1:40000",
                "--mode",
                "request",
                "-c",
                "2",
                "-n",
                "4",
                "x",
            ],
            2,
            "allows one connection at a time",
        ),
        (
            &[
                "tcp",
                "relay",
                "--to",
                "127.0.0.1:1",
                "--source",
                "127.0.0.1:4000",
            ],
            2,
            "give an address alone",
        ),
        (&["tcp", "connect", "--source", "nowhere"], 2, "is not ADDR"),
        (
            &["tcp", "connect", "--proxy", "127.0.0.1:1080"],
            2,
            "write socks5://",
        ),
        (
            &["tcp", "connect", "--proxy", "socks4://127.0.0.1"],
            2,
            "SOCKS4 is not spoken",
        ),
        (
            &["tcp", "connect", "--proxy", "http://127.0.0.1:0"],
            2,
            "1 to 65535",
        ),
    ] {
        let (got, _, err) = run(args);
        assert_eq!(got, Some(code), "{args:?}: {err}");
        assert!(err.contains(wanted), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
