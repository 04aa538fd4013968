//! In-process tests of the TCP server: bytes on the wire, exactly, and shutdown.
//! Each test binds `127.0.0.1:0` and runs `serve` with its own shutdown future.

use std::sync::Arc;
use std::time::Duration;

use netdemo::access::AccessList;
use netdemo::encoding::Encoding;
use netdemo::framing::{FrameSpec, Framing};
use netdemo::net::listener::{Bind, Listener};
use netdemo::output::{Captured, Printer};
use netdemo::output::{Display, Look};
use netdemo::service::{SeedServer, Service};
use netdemo::tcp::{TcpServeConfig, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const GREETING: &[u8] = b"Hello, I am server!";

struct TestServer {
    addr: std::net::SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    out: Captured,
    err: Captured,
}

async fn start(encoding: Encoding, delay: Option<Duration>) -> TestServer {
    let cfg = config(Service::Seed(SeedServer::new(encoding, delay)));
    start_shown(cfg, encoding).await
}

async fn start_with(service: Service, frames: FrameSpec) -> TestServer {
    start_config(TcpServeConfig {
        frames,
        ..config(service)
    })
    .await
}

fn seed() -> Service {
    Service::Seed(SeedServer::new(Encoding::default(), None))
}

async fn start_config(cfg: TcpServeConfig) -> TestServer {
    start_shown(cfg, Encoding::default()).await
}

/// A server whose printer shows data in `encoding`, as `config` sets it up.
async fn start_shown(mut cfg: TcpServeConfig, encoding: Encoding) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    cfg.bind = Bind::Tcp(vec![addr]);
    let (printer, out, err) = Printer::capture();
    let printer = printer.with_display(Display {
        encoding,
        look: Look::Messages,
    });
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(
        Listener::Tcp(listener),
        cfg,
        Arc::new(printer),
        async {
            let _ = rx.await;
        },
    ));
    TestServer {
        addr,
        stop: Some(tx),
        task,
        out,
        err,
    }
}

impl TestServer {
    /// Stops the server and waits for `serve` to return.
    async fn stop(mut self) -> (String, String) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("serve did not return after shutdown")
            .unwrap()
            .unwrap();
        (self.out.text(), self.err.text())
    }
}

/// Reads exactly `n` bytes, failing the test instead of hanging.
async fn read_n(stream: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    tokio::time::timeout(Duration::from_secs(10), stream.read_exact(&mut buf))
        .await
        .expect("timed out reading from the server")
        .unwrap();
    buf
}

/// Reads until end-of-stream and returns what came before it.
async fn read_to_eof(stream: &mut TcpStream) -> Vec<u8> {
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest))
        .await
        .expect("the server did not close the connection")
        .unwrap();
    rest
}

#[tokio::test]
async fn greeting_has_no_newline_and_replies_are_exact() {
    let server = start(Encoding::default(), None).await;
    let addr = server.addr;
    let mut client = TcpStream::connect(addr).await.unwrap();
    client.write_all(b"Hello, I am a client").await.unwrap();
    // Greeting and reply read as one byte stream: a stray newline would show up here.
    let expected = [GREETING, b"Loop_Msg: Hello, I am a client!"].concat();
    assert_eq!(read_n(&mut client, expected.len()).await, expected);
    client.write_all(b"exit").await.unwrap();
    assert_eq!(read_to_eof(&mut client).await, b"");
    let (out, err) = server.stop().await;
    assert_eq!(out, "-->>Hello, I am a client\n");
    assert!(
        err.contains("Accept new connection from 127.0.0.1:"),
        "{err}"
    );
    assert!(err.starts_with(&format!("listening on {addr}\n")), "{err}");
}

#[tokio::test]
async fn end_of_stream_closes_the_connection() {
    let server = start(Encoding::default(), None).await;
    let mut client = TcpStream::connect(server.addr).await.unwrap();
    assert_eq!(read_n(&mut client, GREETING.len()).await, GREETING);
    client.shutdown().await.unwrap();
    assert_eq!(read_to_eof(&mut client).await, b"");
    server.stop().await;
}

#[tokio::test]
async fn only_exact_exit_closes() {
    let server = start(Encoding::default(), None).await;
    let mut client = TcpStream::connect(server.addr).await.unwrap();
    read_n(&mut client, GREETING.len()).await;
    client.write_all(b"exit\n").await.unwrap();
    assert_eq!(read_n(&mut client, 16).await, b"Loop_Msg: exit\n!");
    server.stop().await;
}

#[tokio::test]
async fn undecodable_bytes_are_echoed_unchanged_and_shown_escaped() {
    let server = start(Encoding::default(), None).await;
    let mut client = TcpStream::connect(server.addr).await.unwrap();
    read_n(&mut client, GREETING.len()).await;
    client.write_all(b"\xff\xfeok\x1b[2J").await.unwrap();
    assert_eq!(
        read_n(&mut client, 19).await,
        b"Loop_Msg: \xff\xfeok\x1b[2J!"
    );
    let (out, _) = server.stop().await;
    assert_eq!(out, "-->>\\xff\\xfeok\\x1b[2J\n");
}

#[tokio::test]
async fn gbk_server_speaks_gbk_bytes() {
    let gbk: Encoding = "gbk".parse().unwrap();
    let server = start(gbk, None).await;
    let mut client = TcpStream::connect(server.addr).await.unwrap();
    read_n(&mut client, GREETING.len()).await;
    let message = gbk.encode("你好").unwrap();
    client.write_all(&message).await.unwrap();
    let expected = [&b"Loop_Msg: "[..], &message, b"!"].concat();
    assert_eq!(read_n(&mut client, expected.len()).await, expected);
    let (out, _) = server.stop().await;
    assert_eq!(out, "-->>你好\n");
}

#[tokio::test]
async fn messages_longer_than_one_read_are_split_as_the_tutorial_does() {
    let server = start(Encoding::default(), None).await;
    let mut client = TcpStream::connect(server.addr).await.unwrap();
    read_n(&mut client, GREETING.len()).await;
    client.write_all(&[b'a'; 1500]).await.unwrap();
    // However TCP splits the 1500 bytes, each reply wraps at most one 1024-byte read.
    let mut stream = Vec::new();
    while stream.iter().filter(|&&b| b == b'a').count() < 1500 || stream.last() != Some(&b'!') {
        let mut chunk = [0; 4096];
        let n = tokio::time::timeout(Duration::from_secs(10), client.read(&mut chunk))
            .await
            .expect("timed out waiting for replies")
            .unwrap();
        assert_ne!(n, 0, "server closed early");
        stream.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8(stream).unwrap();
    let pieces: Vec<&str> = text.split_terminator('!').collect();
    assert!(pieces.len() >= 2, "{} replies", pieces.len());
    for piece in pieces {
        let body = piece
            .strip_prefix("Loop_Msg: ")
            .expect("reply without prefix");
        assert!(
            !body.is_empty() && body.len() <= 1024,
            "{} bytes",
            body.len()
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_message_that_fits_one_read_is_never_split() {
    // As with the tutorial's recv(1024): a whole message already sent is one message,
    // whatever the sizes of the messages before it on the same connection.
    let server = start(Encoding::default(), None).await;
    let mut client = TcpStream::connect(server.addr).await.unwrap();
    read_n(&mut client, GREETING.len()).await;
    for (i, len) in [600, 600, 1000, 1, 1024, 999, 700].into_iter().enumerate() {
        let message = vec![b'a' + i as u8; len];
        client.write_all(&message).await.unwrap();
        let reply = read_n(&mut client, len + "Loop_Msg: !".len()).await;
        assert_eq!(
            reply,
            [b"Loop_Msg: ", &message[..], b"!"].concat(),
            "message {i}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn many_clients_are_served_at_once() {
    let server = start(Encoding::default(), None).await;
    // Every client is connected and greeted before any sends: a server that handled one
    // connection at a time could not greet the second.
    let mut clients = Vec::new();
    for _ in 0..100 {
        let mut client = TcpStream::connect(server.addr).await.unwrap();
        assert_eq!(read_n(&mut client, GREETING.len()).await, GREETING);
        clients.push(client);
    }
    let conversations = clients.into_iter().enumerate().map(|(i, mut client)| {
        tokio::spawn(async move {
            let message = format!("client {i}");
            client.write_all(message.as_bytes()).await.unwrap();
            let reply = read_n(&mut client, message.len() + 11).await;
            assert_eq!(reply, format!("Loop_Msg: {message}!").into_bytes());
        })
    });
    for conversation in conversations.collect::<Vec<_>>() {
        conversation.await.unwrap();
    }
    let (out, _) = server.stop().await;
    assert_eq!(out.lines().count(), 100);
    for i in 0..100 {
        assert!(
            out.contains(&format!("-->>client {i}\n")),
            "client {i} missing"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn delay_pauses_before_each_reply() {
    let server = start(Encoding::default(), Some(Duration::from_secs(1))).await;
    let mut client = TcpStream::connect(server.addr).await.unwrap();
    read_n(&mut client, GREETING.len()).await;
    let started = tokio::time::Instant::now();
    client.write_all(b"slow").await.unwrap();
    let mut buf = [0; 15];
    client.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"Loop_Msg: slow!");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    drop(client);
    server.stop().await;
}

#[tokio::test]
async fn shutdown_closes_idle_connections_and_stops_accepting() {
    let server = start(Encoding::default(), None).await;
    let addr = server.addr;
    let mut client = TcpStream::connect(addr).await.unwrap();
    read_n(&mut client, GREETING.len()).await;
    let (_, err) = server.stop().await;
    assert!(err.contains("shutting down"), "{err}");
    assert_eq!(read_to_eof(&mut client).await, b"");
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "still accepting after shutdown"
    );
}

#[tokio::test]
async fn echo_mode_answers_each_frame_in_the_same_framing() {
    for (framing, wire, echoed) in [
        (Framing::Line, &b"one\ntwo\r\n"[..], &b"one\ntwo\n"[..]),
        (
            Framing::Length,
            b"\0\0\0\x03one\0\0\0\x00",
            b"\0\0\0\x03one\0\0\0\x00",
        ),
    ] {
        let frames = FrameSpec {
            framing,
            ..FrameSpec::default()
        };
        let server = start_with(Service::Echo, frames).await;
        let mut client = TcpStream::connect(server.addr).await.unwrap();
        // Several messages in one write; no greeting in echo mode.
        client.write_all(wire).await.unwrap();
        assert_eq!(
            read_n(&mut client, echoed.len()).await,
            echoed,
            "{framing:?}"
        );
        client.shutdown().await.unwrap();
        assert_eq!(read_to_eof(&mut client).await, b"", "{framing:?}");
        server.stop().await;
    }
}

#[tokio::test]
async fn max_connections_makes_extra_clients_wait_their_turn() {
    let server = start_config(TcpServeConfig {
        max_connections: Some(1),
        ..config(seed())
    })
    .await;
    let mut first = TcpStream::connect(server.addr).await.unwrap();
    read_n(&mut first, GREETING.len()).await;
    // The second client connects (the kernel queues it) but is not served yet.
    let mut second = TcpStream::connect(server.addr).await.unwrap();
    let mut byte = [0; 1];
    let early = tokio::time::timeout(Duration::from_millis(200), second.read(&mut byte)).await;
    assert!(
        early.is_err(),
        "the second client was served while the first held the slot"
    );
    // When the first leaves, the second gets its greeting.
    first.write_all(b"exit").await.unwrap();
    assert_eq!(read_n(&mut second, GREETING.len()).await, GREETING);
    server.stop().await;
}

#[tokio::test(start_paused = true)]
async fn idle_timeout_closes_silent_clients() {
    let server = start_config(TcpServeConfig {
        // Shorter than read_to_eof's own deadline: with the clock paused, the earliest
        // timer fires first.
        idle_timeout: Some(Duration::from_secs(5)),
        ..config(seed())
    })
    .await;
    let mut client = TcpStream::connect(server.addr).await.unwrap();
    read_n(&mut client, GREETING.len()).await;
    let started = tokio::time::Instant::now();
    assert_eq!(read_to_eof(&mut client).await, b"");
    assert!(started.elapsed() >= Duration::from_secs(5));
    server.stop().await;
}

fn config(service: Service) -> TcpServeConfig {
    TcpServeConfig {
        bind: Bind::Tcp(vec![]),
        service,
        frames: FrameSpec::default(),
        max_connections: None,
        idle_timeout: None,
        stats: false,
        metrics: None,
        grace: Duration::from_secs(5),
        max_buffered: 64 << 20,
        threads: None,
        access: AccessList::default(),
        tls: None,
    }
}

#[tokio::test]
async fn connections_on_worker_threads_are_served_and_closed_at_shutdown() {
    let server = start_config(TcpServeConfig {
        threads: Some(2),
        ..config(seed())
    })
    .await;
    let mut clients = Vec::new();
    for i in 0..8 {
        let mut client = TcpStream::connect(server.addr).await.unwrap();
        assert_eq!(read_n(&mut client, GREETING.len()).await, GREETING);
        let message = format!("m{i}");
        client.write_all(message.as_bytes()).await.unwrap();
        let want = format!("Loop_Msg: {message}!");
        assert_eq!(read_n(&mut client, want.len()).await, want.as_bytes());
        clients.push(client);
    }
    let (out, _) = server.stop().await;
    // Every message was shown, whichever thread served it.
    for i in 0..8 {
        assert!(out.contains(&format!("-->>m{i}\n")), "{out}");
    }
    // Shutdown closed the connections still open on the workers.
    for mut client in clients {
        assert_eq!(read_to_eof(&mut client).await, b"");
    }
}
