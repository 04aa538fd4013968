//! `-x/--hex-dump`: golden dumps of fixed exchanges, with the server's port normalised.

mod support;

use support::{Server, netdemo};

fn normalised(stderr: &[u8], server: &Server) -> String {
    String::from_utf8_lossy(stderr).replace(&server.addr.to_string(), "SERVER")
}

#[test]
fn tcp_exchange_golden_dump() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    let output = netdemo()
        .args(["tcp", "connect", "-x", "-p", &server.port(), "hi"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        output.stdout,
        b"-->>Hello, I am server!\n-->>Loop_Msg: hi!\n"
    );
    assert_eq!(
        normalised(&output.stderr, &server),
        "\
< received 19 bytes from SERVER (offset 0)
00000000  48 65 6c 6c 6f 2c 20 49  20 61 6d 20 73 65 72 76  |Hello, I am serv|
00000010  65 72 21                                          |er!|
> sent 2 bytes to SERVER (offset 0)
00000000  68 69                                             |hi|
< received 13 bytes from SERVER (offset 19)
00000013  4c 6f 6f 70 5f 4d 73 67  3a 20 68 69 21           |Loop_Msg: hi!|
> sent 4 bytes to SERVER (offset 2)
00000002  65 78 69 74                                       |exit|
"
    );
}

#[test]
fn udp_exchange_golden_dump_into_a_file() {
    let server = Server::netdemo(&["udp", "serve", "-p", "0"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dump.txt");
    netdemo()
        .args(["udp", "send", "-p", &server.port(), "a\tb"])
        .arg(format!("--hex-dump={}", file.display()))
        .assert()
        .success()
        .stdout("Hello, a\\tb\n")
        .stderr("");
    let dump = std::fs::read(&file).unwrap();
    assert_eq!(
        normalised(&dump, &server),
        "\
> sent 3 bytes to SERVER (datagram)
00000000  61 09 62                                          |a.b|
< received 10 bytes from SERVER (datagram)
00000000  48 65 6c 6c 6f 2c 20 61  09 62                    |Hello, a.b|
"
    );
}

#[test]
fn the_server_dumps_too_in_every_mode() {
    for mode in ["seed", "echo", "discard", "chargen", "stdio"] {
        let server = Server::netdemo_with(
            &["tcp", "serve", "-x", "-p", "0", "--mode", mode],
            std::process::Stdio::null(),
            None,
        );
        let mut client = std::net::TcpStream::connect(server.addr).unwrap();
        std::io::Write::write_all(&mut client, b"ping").unwrap();
        // The dump of what the client sent shows up on the server's stderr. The client
        // stays open meanwhile: closing it with unread data would send a reset, which may
        // discard "ping" before the server reads it.
        server.wait_stderr(|line| line.ends_with("|ping|"));
        drop(server);
        drop(client);
    }
}

#[test]
fn a_dump_that_cannot_be_written_fails_the_command() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("skipping: /dev/full is missing");
        return;
    }
    let server = Server::netdemo(&["-q", "tcp", "serve", "-p", "0"]);
    netdemo()
        .args([
            "--hex-dump=/dev/full",
            "tcp",
            "connect",
            "-p",
            &server.port(),
            "hi",
        ])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("-->>Loop_Msg: hi!"))
        .stderr(predicates::str::contains(
            "Error: cannot write the hex dump: No space left on device",
        ));
}
