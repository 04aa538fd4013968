//! In-process tests of the UDP server and sender: exact datagrams, no truncation, loss.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use netdemo::access::AccessList;
use netdemo::encoding::Encoding;
use netdemo::output::{Captured, Display, Look, Printer};
use netdemo::service::{SeedServer, Service};
use netdemo::udp::{UdpSendConfig, UdpServeConfig, send, serve};
use tokio::net::UdpSocket;
use tokio::sync::oneshot;

/// A seed-protocol server on `addr`, as `udp serve` with default options.
fn seed_config(addr: SocketAddr) -> UdpServeConfig {
    UdpServeConfig {
        addrs: vec![addr],
        service: Service::Seed(SeedServer::new(Encoding::default(), None)),
        stats: false,
        metrics: None,
        access: AccessList::default(),
        amplify: false,
        threads: 1,
    }
}

async fn start_server() -> (SocketAddr, oneshot::Sender<()>, Captured) {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    let cfg = seed_config(addr);
    let (printer, out, _) = Printer::capture();
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(serve((socket, Vec::new()), cfg, Arc::new(printer), async {
        let _ = rx.await;
    }));
    (addr, tx, out)
}

async fn exchange(client: &UdpSocket, server: SocketAddr, data: &[u8]) -> Vec<u8> {
    client.send_to(data, server).await.unwrap();
    let mut buf = vec![0; 70_000];
    let (n, from) = tokio::time::timeout(Duration::from_secs(10), client.recv_from(&mut buf))
        .await
        .expect("no reply from the UDP server")
        .unwrap();
    assert_eq!(from, server);
    buf.truncate(n);
    buf
}

#[tokio::test]
async fn replies_hello_data_byte_for_byte() {
    let (addr, _stop, out) = start_server().await;
    let client = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    assert_eq!(exchange(&client, addr, b"Hello").await, b"Hello, Hello");
    assert_eq!(exchange(&client, addr, b"\xff").await, b"Hello, \xff");
    assert_eq!(exchange(&client, addr, b"").await, b"Hello, ");
    assert_eq!(out.text(), "-->>Hello\n-->>\\xff\n-->>\n");
}

#[tokio::test]
async fn large_datagrams_are_answered_whole() {
    let (addr, _stop, _) = start_server().await;
    let client = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    // The tutorial's recvfrom(1024) would cut this to 1024 bytes.
    let data: Vec<u8> = (0..65_000u32).map(|i| (i % 251) as u8).collect();
    let reply = exchange(&client, addr, &data).await;
    assert_eq!(reply.len(), 7 + data.len());
    assert_eq!(&reply[7..], &data[..]);
}

#[tokio::test]
async fn server_stops_on_shutdown() {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let cfg = seed_config(socket.local_addr().unwrap());
    let (printer, _, err) = Printer::capture();
    let served = serve(
        (socket, Vec::new()),
        cfg,
        Arc::new(printer),
        std::future::ready(()),
    );
    tokio::time::timeout(Duration::from_secs(10), served)
        .await
        .expect("serve did not stop")
        .unwrap();
    assert!(err.text().ends_with("shutting down\n"), "{}", err.text());
}

fn send_config(addr: SocketAddr, data: &[&str], retries: u32) -> UdpSendConfig {
    UdpSendConfig {
        due: Vec::new(),
        source: None,
        addrs: vec![addr],
        encoding: Encoding::default(),
        datagrams: data.iter().map(|d| d.as_bytes().to_vec()).collect(),
        from_stdin: false,
        timeout: Duration::from_millis(200),
        retries,
        echo: false,
        request: None,
    }
}

#[tokio::test]
async fn sender_retries_when_a_datagram_is_lost() {
    // A peer that ignores the first datagram it receives, then follows the protocol.
    let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = peer.local_addr().unwrap();
    let peer_task = tokio::spawn(async move {
        let mut buf = [0; 1500];
        let mut seen = Vec::new();
        while seen.len() < 3 {
            let (n, from) = peer.recv_from(&mut buf).await.unwrap();
            seen.push(buf[..n].to_vec());
            if seen.len() > 1 {
                peer.send_to(&[b"Hello, ", &buf[..n]].concat(), from)
                    .await
                    .unwrap();
            }
        }
        seen
    });
    let (printer, out, _) = sender_printer();
    send(&send_config(addr, &["one", "two"], 2), Arc::new(printer))
        .await
        .unwrap();
    assert_eq!(out.text(), "Hello, one\nHello, two\n");
    let seen = tokio::time::timeout(Duration::from_secs(10), peer_task)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen, [&b"one"[..], b"one", b"two"]);
}

#[tokio::test]
async fn sender_reports_loss_and_never_hangs() {
    // Bound but silent: every datagram is lost.
    let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = silent.local_addr().unwrap();
    let (printer, out, _) = sender_printer();
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        send(&send_config(addr, &["a", "b"], 1), Arc::new(printer)),
    )
    .await
    .expect("udp send hung");
    let err = result.unwrap_err().to_string();
    assert!(err.starts_with("2 of 2 datagrams got no reply"), "{err}");
    assert_eq!(out.text(), "");
    // One try plus one retry for each datagram.
    let mut buf = [0; 16];
    let mut got = Vec::new();
    while let Ok(Ok(n)) =
        tokio::time::timeout(Duration::from_millis(100), silent.recv(&mut buf)).await
    {
        got.push(buf[..n].to_vec());
    }
    assert_eq!(got, [&b"a"[..], b"a", b"b", b"b"]);
}

#[tokio::test]
async fn late_duplicate_replies_are_not_taken_for_the_next_answer() {
    // A peer that answers every datagram twice: the second answer to "one" arrives while
    // the sender waits for "two" and must not be shown as its reply.
    let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = peer.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = [0; 1500];
        loop {
            let (n, from) = peer.recv_from(&mut buf).await.unwrap();
            let reply = [b"Hello, ", &buf[..n]].concat();
            peer.send_to(&reply, from).await.unwrap();
            peer.send_to(&reply, from).await.unwrap();
        }
    });
    let (printer, out, _) = sender_printer();
    send(&send_config(addr, &["one", "two"], 0), Arc::new(printer))
        .await
        .unwrap();
    assert_eq!(out.text(), "Hello, one\nHello, two\n");
}

/// A printer that shows replies as `udp send` does: plain lines.
fn sender_printer() -> (Printer, Captured, Captured) {
    let (printer, out, err) = Printer::capture();
    let display = Display {
        encoding: Encoding::default(),
        look: Look::Answers,
    };
    (printer.with_display(display), out, err)
}

#[tokio::test]
async fn sender_tries_the_next_address_when_nothing_listens_at_the_first() {
    // A port nobody listens on: bound, then closed.
    let dead = UdpSocket::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let (live, _stop, _) = start_server().await;
    let mut cfg = send_config(live, &["one", "two"], 0);
    cfg.addrs = vec![dead, live];
    let (printer, out, _) = Printer::capture();
    let printer = Arc::new(printer.with_display(Display {
        encoding: Encoding::default(),
        look: Look::Answers,
    }));
    send(&cfg, printer)
        .await
        .expect("the second address answers");
    // The first datagram went again, to the second address: both are answered once.
    assert_eq!(out.text(), "Hello, one\nHello, two\n");

    // With no address left, the refusal is the error.
    cfg.addrs = vec![dead];
    let (printer, _, _) = Printer::capture();
    let err = send(&cfg, Arc::new(printer)).await.unwrap_err();
    assert!(format!("{err:#}").contains(&dead.to_string()), "{err:#}");
}
