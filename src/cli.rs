//! The command line, as clap derive types and nothing else.
//!
//! Flags shared by several subcommands live in one struct each (`AddrArgs`, `CodecArgs`,
//! `OutputArgs`, `AccessArgs`) and are flattened where needed, so a flag means the same
//! thing everywhere. A flag whose default depends on what runs, or that applies only to
//! some programs, is an `Option` here: `config` writes every default once and refuses a
//! flag given where it cannot apply, which needs to know whether it was given.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;
use ipnet::IpNet;

use crate::access::parse_net;
use crate::encoding::{Encoding, EncodingParser};
use crate::explain::Lang;
use crate::framing::{Delimiter, Framing};
use crate::net::Ports;
use crate::net::unix::UnixName;
use crate::shape::{RateArg, Stages};
use crate::slo::Slo;
use crate::stdin::{DatagramFraming, OnEof};

/// The behaviours a server can have (`--mode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ServerMode {
    /// The tutorial's protocol: TCP greets and answers `Loop_Msg: MESSAGE!`, UDP answers
    /// `Hello, DATA`
    #[default]
    Seed,
    /// RFC 862: send back every message or datagram as received
    Echo,
    /// RFC 863: show and drop every message or datagram, reply nothing
    Discard,
    /// RFC 864: rotating lines of printable characters (TCP: until the client leaves; UDP:
    /// six lines per datagram)
    Chargen,
    /// TCP: the chargen pattern in large blocks, as fast as the client reads (for
    /// `tcp connect --mode receive`)
    Source,
    /// netcat: stdin to the peer, the peer to stdout (TCP: one client at a time; UDP:
    /// stdin to the last sender)
    Stdio,
}

/// The behaviours a client can have (`--mode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ClientMode {
    /// The tutorial's client: send each message, show each reply
    #[default]
    Seed,
    /// An RFC 862 client: send each message, expect it back unchanged (no greeting)
    Echo,
    /// Any request/reply service: send each message, read exactly one reply (one frame of
    /// --framing), check it against --expect; no greeting, no exit
    Request,
    /// netcat: stdin to the server, the server to stdout
    Stdio,
    /// Throughput: send bytes as fast as the server takes them (against discard or any
    /// sink), with -c streams, for -d or -n BYTES; a line per second on stderr. UDP:
    /// numbered datagrams paced to --bitrate, then what arrived, asked of udp serve --mode
    /// discard
    Send,
    /// Throughput: read as fast as the server sends (against source, chargen or any
    /// source), with -c streams, for -d or -n BYTES. UDP: ask udp serve --mode source for
    /// a stream at --bitrate for -d, and count what arrives
    Receive,
}

/// What replies must be, in `--mode request`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Replies")]
pub struct ExpectArgs {
    /// In request mode, each reply must be exactly TEXT (in --encoding; for --framing resp,
    /// the reply as shown: PONG, (integer) 1, (nil)...; for http, the status code; \r, \n,
    /// \t, \\ and \xNN are understood). Repeatable: matched to the messages by position, or
    /// one for all
    #[arg(long, value_name = "TEXT")]
    pub expect: Vec<String>,

    /// In request mode, each reply (as shown) must contain a match for this regular
    /// expression
    #[arg(long, value_name = "RE", conflicts_with = "expect")]
    pub expect_regex: Option<String>,
}

/// Talk TCP and UDP: stand up a test server, poke a service, learn how sockets behave.
///
/// With default options netdemo speaks the protocol of the classic socket tutorial, so the
/// tutorial's Python programs work against netdemo and netdemo against them.
#[derive(Debug, Parser)]
#[command(
    name = "netdemo",
    version,
    long_version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("NETDEMO_TARGET"), ")"),
    propagate_version = true
)]
#[command(after_help = "Examples:
  netdemo tcp serve                      serve the tutorial protocol on 127.0.0.1:9999
  netdemo tcp connect 'Hi there'         send one message to it and show the reply
  netdemo udp send Hello Word            prints 'Hello, Hello' and 'Hello, Word'")]
pub struct Cli {
    #[command(flatten)]
    pub output: OutputArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// `-q`, `-v`, `-x`, `--json` and `--color`, accepted before or after the subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Print only peer data, errors and the `listening on` line
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more detail (-vv for even more); errors get a full report
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print events (listening, accept, message, reply, close, error) as JSON lines on
    /// stdout instead of human text
    #[arg(long, global = true)]
    pub json: bool,

    /// Dump every byte sent and received as offset/hex/ASCII on stderr; --hex-dump=FILE
    /// writes the dump to FILE instead
    #[arg(
        short = 'x',
        long,
        global = true,
        value_name = "FILE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "-"
    )]
    pub hex_dump: Option<std::path::PathBuf>,

    /// Write what was sent and received as a pcapng capture to FILE, for Wireshark and
    /// tshark (no root or tcpdump needed): TCP connections with their handshake, segments
    /// and close, UDP datagrams, each at the time it was seen
    #[arg(long, global = true, value_name = "FILE")]
    pub pcap: Option<std::path::PathBuf>,

    /// With --pcap, write the TLS secrets into the capture (a decryption secrets block), so
    /// Wireshark decrypts it from the one file: whoever has the file can read the traffic
    #[arg(long, global = true, requires = "pcap")]
    pub pcap_secrets: bool,

    /// Narrate each socket step on stderr (socket, bind, listen, accept, connect, recv,
    /// send, close) in the tutorial's terms, with the real values
    #[arg(long, global = true)]
    pub explain: bool,

    /// Language of --explain: en, or zh for the tutorial's Chinese step names
    #[arg(long, global = true, value_enum, value_name = "LANG", default_value_t = Lang::En)]
    pub lang: Lang,

    /// When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal. An explicit choice wins
    /// over NO_COLOR, as in ripgrep and fd; `auto` follows https://no-color.org.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

// Parsed once at start and moved into `config`: the variants' sizes cost nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// TCP server and client
    #[command(subcommand)]
    Tcp(TcpCommand),
    /// UDP server and sender
    #[command(subcommand)]
    Udp(UdpCommand),
    /// Unix-domain stream socket server and client (every mode and framing of tcp)
    #[command(subcommand)]
    Unix(UnixCommand),
    /// WebSocket server and client (RFC 6455), wss:// with --tls
    #[command(subcommand)]
    Ws(WsCommand),
    /// Add up the JSON reports of load runs (shards on several machines): histograms
    /// added, never percentiles averaged
    #[command(after_help = "Examples:
  netdemo merge shard1.json shard2.json shard3.json
  cat shard*.json | netdemo --json merge - > merged.json")]
    Merge(MergeArgs),
    /// Print a shell completion script to stdout
    Completions(CompletionsArgs),
}

// Parsed once at start and moved into `config`: the variants' sizes cost nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum TcpCommand {
    /// Accept TCP clients and answer each message with `Loop_Msg: MESSAGE!`
    #[command(after_help = "Examples:
  netdemo tcp serve                      listen on 127.0.0.1:9999
  netdemo tcp serve --port 0             let the OS choose a free port
  netdemo tcp serve --delay 1s           pause before each reply, as the tutorial does
  netdemo tcp serve --mode echo --framing line   an RFC 862 echo server for lines
  netdemo tcp serve --mode stdio -k < reply.txt  netcat -lk: stdin out, clients in
  netdemo tcp serve --tls                TLS with a throwaway certificate; prints its fingerprint
  netdemo tcp serve --tls --cert c.pem --key k.pem   TLS with your own certificate")]
    Serve(TcpServeArgs),
    /// Connect, show the greeting, send each message and show its reply, then send `exit`
    #[command(after_help = "Examples:
  netdemo tcp connect                    send the tutorial's 'Hello, I am a client'
  netdemo tcp connect one two            send two messages, one reply each
  netdemo tcp connect -e hex 48690a      send the bytes 48 69 0a
  netdemo tcp connect --framing line a b send newline-terminated messages
  netdemo tcp connect -                  type messages at a prompt, one per line
  netdemo tcp connect -z -p 8000-8010    which ports listen?
  netdemo tcp connect -z --wait 30s -p 5432   wait until a server is up
  netdemo tcp connect -c 16 -d 10s       load: 16 connections, closed loop, for 10 s
  netdemo tcp connect -c 32 --rate 5000  load: open loop at 5000 requests/s
  netdemo tcp connect -c 32 --stages '10s@1k,30s@1k..20k'   hold, then ramp up
  netdemo tcp connect -c 32 --find-max-rate --slo 'p99<5ms'   the highest rate that keeps p99
  echo hi | netdemo tcp connect --mode stdio   netcat: stdin to the server, replies to stdout
  netdemo tcp connect --tls --pin sha256:AB:...  TLS, trusting the certificate a server printed
  netdemo tcp connect --tls --host example.com -p 443 --mode request --framing http 'GET /'")]
    Connect(TcpConnectArgs),
    /// Accept clients and relay each one's bytes to --to and back, with faults if asked
    #[command(after_help = "Examples:
  netdemo tcp relay -p 7000 --to 127.0.0.1:6379 -x   watch a Redis conversation
  netdemo tcp relay -p 7000 --to 127.0.0.1:80 --latency 100ms --jitter 20ms
  netdemo tcp relay -p 7000 --to 127.0.0.1:80 --bandwidth 64K --direction down
  netdemo tcp relay -p 7000 --to 127.0.0.1:80 --slice 1 --reset-after 10K
  netdemo tcp relay -p 7000 --to 127.0.0.1:6379 --framing resp --fail-requests 10%
  netdemo tcp relay --api 8474                    toxiproxy's clients make relays here")]
    Relay(TcpRelayArgs),
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum UdpCommand {
    /// Answer each datagram with `Hello, DATA`
    #[command(after_help = "Examples:
  netdemo udp serve                      listen on 127.0.0.1:9999
  netdemo udp serve -6 --port 0          listen on [::1], on a port the OS chooses
  netdemo udp serve --mode echo          an RFC 862 echo server for datagrams
  netdemo udp serve --mode stdio         print datagrams; stdin lines go to the last sender")]
    Serve(UdpServeArgs),
    /// Send each argument as one datagram and show each reply
    #[command(after_help = "Examples:
  netdemo udp send Hello Word            prints 'Hello, Hello' and 'Hello, Word'
  netdemo udp send --timeout 200ms --retries 5 ping
  seq 3 | netdemo udp send --mode stdio  one datagram per line, replies printed
  netdemo udp send -n 10000 --rate 5000  load: RTT percentiles, loss, reordering, jitter")]
    Send(UdpSendArgs),
    /// Relay each client's datagrams to --to and the replies back, with faults if asked
    #[command(after_help = "Examples:
  netdemo udp relay -p 5353 --to 127.0.0.1:53 -x     watch DNS queries and answers
  netdemo udp relay -p 7000 --to 127.0.0.1:9999 --loss 10% --seed 42
  netdemo udp relay -p 7000 --to 127.0.0.1:9999 --duplicate 5 --reorder 5 --latency 20ms
  netdemo udp relay -p 5353 --to 127.0.0.1:53 --schedule '10s:loss=30%;20s:clear'")]
    Relay(UdpRelayArgs),
}

// Parsed once at start and moved into `config`: the variants' sizes cost nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum UnixCommand {
    /// Accept clients on a Unix-domain socket, as `tcp serve` does on a port
    #[command(after_help = "Examples:
  netdemo unix serve --path /tmp/nd.sock                 the tutorial's protocol on a socket file
  netdemo unix serve --path /tmp/nd.sock --socket-mode 0600 --mode echo
  netdemo unix serve --path @netdemo --mode stdio        netcat -lU on a Linux abstract name")]
    Serve(UnixServeArgs),
    /// Connect to a Unix-domain socket, as `tcp connect` does to a port
    #[command(after_help = "Examples:
  netdemo unix connect --path /tmp/nd.sock 'Hi there'     the tutorial's conversation
  echo hi | netdemo unix connect --path /tmp/nd.sock --mode stdio   nc -U
  netdemo unix connect --path /var/run/docker.sock --mode request --framing http 'GET /version'
  netdemo unix connect --path /tmp/nd.sock -c 16 -d 10s   load over the socket")]
    Connect(UnixConnectArgs),
}

/// Where to listen or connect. Shared by every network subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Address")]
pub struct AddrArgs {
    /// Host name or IP address, optionally with a port (127.0.0.1:8080, [::1]:8080); a
    /// link-local IPv6 address names its interface (fe80::1%eth0) [default: 127.0.0.1, or
    /// ::1 with -6]
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,

    /// Port number; 0 lets the OS choose a free port (servers); a range such as
    /// 8000-8010 with `tcp connect -z` [default: 9999]
    #[arg(short, long, value_parser = parse_ports)]
    pub port: Option<Ports>,

    /// Use IPv4 addresses only
    #[arg(short = '4', long = "ipv4", conflicts_with = "ipv6")]
    pub ipv4: bool,

    /// Use IPv6 addresses only
    #[arg(short = '6', long = "ipv6")]
    pub ipv6: bool,
}

/// Which peers a server talks to. Shared by both servers.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Access")]
pub struct AccessArgs {
    /// Talk only to peers in this range (10.0.0.0/8, ::1/128, or one address); repeatable.
    /// Others are closed before a byte is read (TCP) or get no reply (UDP)
    #[arg(long, value_name = "CIDR", value_parser = parse_net)]
    pub allow: Vec<IpNet>,

    /// Never talk to peers in this range; repeatable; wins over --allow
    #[arg(long, value_name = "CIDR", value_parser = parse_net)]
    pub deny: Vec<IpNet>,
}

/// How text becomes bytes and bytes become text. Shared by every network subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Encoding")]
pub struct CodecArgs {
    /// How messages given as arguments become bytes, and how received bytes are shown:
    /// utf-8, any WHATWG label (gbk, gb18030, big5, shift_jis, latin1, utf-16le, ...),
    /// hex, or base64. Bytes that do not decode are shown escaped (\xff) [default: utf-8]
    #[arg(
        short,
        long,
        value_name = "ENCODING",
        value_parser = EncodingParser,
        hide_possible_values = true
    )]
    pub encoding: Option<Encoding>,
}

/// How messages are delimited on a TCP stream. Shared by `tcp serve` and `tcp connect`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Framing")]
pub struct FramingArgs {
    /// How messages are delimited on the stream (servers: seed, echo and discard modes;
    /// clients: seed, echo and request modes, and load runs) [default: raw]
    #[arg(long, value_enum)]
    pub framing: Option<Framing>,

    /// With --framing line, end the lines netdemo sends with \r\n instead of \n
    #[arg(long)]
    pub crlf: bool,

    /// With --framing line, a received message ends at STRING instead of at a newline
    /// (memcached's multi-line replies end in 'END\r\n'); \r, \n, \t, \\ and \xNN are
    /// understood
    #[arg(long, value_name = "STRING", value_parser = parse_delimiter)]
    pub delimiter: Option<Delimiter>,

    /// Largest frame accepted or sent; a peer that sends more is disconnected. Takes a
    /// byte count with an optional K, M or G suffix (powers of 1024) [default: 1M]
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub max_frame: Option<usize>,
}

#[derive(Debug, Args)]
pub struct TcpServeArgs {
    #[command(flatten)]
    pub serve: ServeArgs,

    #[command(flatten)]
    pub access: AccessArgs,

    #[command(flatten)]
    pub addr: AddrArgs,

    #[command(flatten)]
    pub tls: TlsServeArgs,
}

#[derive(Debug, Args)]
pub struct UnixServeArgs {
    /// The socket to listen on: a file path, or @NAME for a Linux abstract name (no
    /// file). A stale socket file left by a server that is gone is replaced; the file is
    /// removed when the server stops
    #[arg(long, value_name = "PATH", value_parser = parse_unix_name())]
    pub path: UnixName,

    /// Permissions of the socket file, in octal as chmod takes them (0600: only this
    /// user may connect), set before any client can connect [default: from the umask]
    #[arg(long, value_name = "MODE", value_parser = parse_socket_mode)]
    pub socket_mode: Option<u32>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

/// What a stream server does, over TCP or a Unix socket.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// What clients get
    #[arg(long, value_enum, default_value_t = ServerMode::Seed)]
    pub mode: ServerMode,

    /// Wait this long before each reply in seed mode (the tutorial waits 1s), e.g. 250ms
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub delay: Option<Duration>,

    /// In stdio mode, serve one client after another instead of exiting after the first
    #[arg(short, long)]
    pub keep_open: bool,

    /// Serve at most N clients at once; more wait, connected but not greeted, until one
    /// leaves
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = parse_connections)]
    pub max_connections: Option<u32>,

    /// Print connections, messages and bytes per second on stderr once a second
    #[arg(long)]
    pub stats: bool,

    /// Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes
    /// and messages by direction, while it runs
    #[arg(long, value_name = "ADDR", value_parser = parse_metrics_addr)]
    pub metrics: Option<std::net::SocketAddr>,

    /// Bytes of partial messages held across all connections, beyond 64K each; a client
    /// whose message would go over is disconnected. K, M or G suffixes [default: 64M]
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub max_buffered: Option<usize>,

    /// Close a client that sends nothing for this long (seed, echo and discard modes; in
    /// stdio mode, when nothing moves either way), like nc -w
    #[arg(allow_hyphen_values = true, short = 'w', long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,

    /// In stdio mode, what to do with the connection when stdin ends [default: shutdown]
    #[arg(long, value_enum, value_name = "POLICY")]
    pub on_eof: Option<OnEof>,

    /// On Ctrl-C or SIGTERM, give clients this long to finish the message in hand before
    /// closing them; a second signal exits at once [default: 5s]
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub grace: Option<Duration>,

    /// Run connections on N threads, each with a runtime of its own [default: every core
    /// this process may use]
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub codec: CodecArgs,

    #[command(flatten)]
    pub framing: FramingArgs,
}

/// One shard of a load run spread over several machines.
#[derive(Debug, Clone, Args)]
pub struct ShardArgs {
    /// Run shard I of N (1/3, 2/3, 3/3): this process takes every N-th request of the
    /// whole run's schedule; -c, -n and --rate are totals across the shards
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,

    /// Start at this wall-clock time, RFC 3339 (2026-11-25T20:00:00Z), so every shard
    /// starts at the same instant (clocks synchronised by NTP)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub start_at: Option<std::time::SystemTime>,
}

impl ShardArgs {
    pub fn active(&self) -> bool {
        self.shard.is_some() || self.start_at.is_some()
    }
}

/// `netdemo merge`: reports of shards, added up.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports of load runs (`--json`), or - for stdin; at least one
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Write the report also as a page to FILE: the latency distribution, latency, rate and
    /// errors each second, and what ran, in one HTML file that fetches nothing
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Where a relay sends what it receives, and how its faults are driven.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Relay")]
pub struct RelayTargetArgs {
    /// The server to relay to, as HOST:PORT ([::1]:PORT for IPv6). Without it, relays
    /// are made through --api
    #[arg(long, value_name = "HOST:PORT", required_unless_present = "api")]
    pub to: Option<String>,

    /// Serve an HTTP API compatible with toxiproxy 2.12 on ADDR (a port binds 127.0.0.1;
    /// toxiproxy's own is 8474): its clients make relays and add, change and remove
    /// faults (toxics) while connections run. The relay of --to is the proxy `default`
    #[arg(long, value_name = "ADDR", value_parser = parse_metrics_addr)]
    pub api: Option<std::net::SocketAddr>,

    /// Change the faults of the relay over time, e.g. '10s:latency=200ms;30s:reset;
    /// 45s:clear': at each time from the start, each fault named replaces the one of its
    /// kind (in the directions of --direction), `clear` removes them all. Faults:
    /// latency, jitter, timeout[=DURATION], reset[=DURATION], and for tcp bandwidth,
    /// slice, reset-after, close-after, slow-close (and fail, hold with --framing); for
    /// udp loss, duplicate, reorder
    #[arg(long, value_name = "STEPS", requires = "to")]
    pub schedule: Option<String>,

    /// Connect to the target from this local address (its port is the system's choice)
    #[arg(long, value_name = "ADDR", value_parser = parse_source_ip)]
    pub source: Option<std::net::IpAddr>,
}

/// Faults a relay adds, to what the target sends back unless --direction says otherwise.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Faults")]
pub struct FaultArgs {
    /// Delay everything by this long, e.g. 100ms (TCP keeps the order)
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub latency: Option<Duration>,

    /// Add a random delay of up to this long on top of --latency, drawn per chunk or
    /// datagram
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub jitter: Option<Duration>,

    /// Which way faults apply: down (server to client, as toxiproxy's default), up
    /// (client to server) or both (each way: --latency 100ms then adds 200 ms to a request
    /// and its reply). Down, a fault's figure is what a request/reply feels: --latency
    /// 100ms adds 100 ms, --loss 20% fails 20% of queries. The relay says which faults
    /// are in force, and which way, at start and on every change
    #[arg(long, value_enum, default_value_t = FaultDirection::Down)]
    pub direction: FaultDirection,

    /// Seed of the random choices (jitter, loss, duplication, reordering), so a run can be
    /// repeated exactly [default: a new one each run, printed at start]
    #[arg(allow_negative_numbers = true, long, value_name = "N")]
    pub seed: Option<u64>,
}

/// Which requests a protocol fault takes: every Nth, or a share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Every {
    Nth(u64),
    Percent(f64),
}

/// `3` (every third request) or `10%` (each with that chance).
pub fn parse_every(text: &str) -> Result<Every, String> {
    let text = text.trim();
    if text.ends_with('%') {
        let percent = parse_pct(text)?;
        if percent <= 0.0 {
            return Err("0% would take no request (give e.g. 10% or 3)".to_owned());
        }
        return Ok(Every::Percent(percent));
    }
    match text.parse::<u64>() {
        Ok(0) => Err(
            "0 would take no request: give N for every Nth (1: each), or a share like 10%"
                .to_owned(),
        ),
        Ok(n) => Ok(Every::Nth(n)),
        Err(_) => Err(format!(
            "'{text}' is neither N (every Nth request) nor a share like 10%"
        )),
    }
}

/// Which way a relay's faults apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FaultDirection {
    /// Client to server.
    Up,
    /// Server to client.
    Down,
    Both,
}

#[derive(Debug, Args)]
pub struct TcpRelayArgs {
    #[command(flatten)]
    pub target: RelayTargetArgs,

    /// Give up connecting to --to after this long [default: 10s]
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// Forward at most this many bytes per second each way, e.g. 64K or 1M (K, M, G)
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub bandwidth: Option<usize>,

    /// Forward in pieces of at most this many bytes, each written on its own
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub slice: Option<usize>,

    /// Reset both connections (RST) once this many bytes went one way
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub reset_after: Option<usize>,

    /// Close both connections (FIN) once this many bytes went one way
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub close_after: Option<usize>,

    /// Drop this share of chunks, e.g. 5%: TCP does not send them again, so the stream
    /// breaks (bytes missing from its middle), which is what this tests
    #[arg(allow_negative_numbers = true, long, value_name = "PCT", value_parser = parse_pct)]
    pub drop_chunks: Option<f64>,

    /// Flip one byte in this share of chunks, e.g. 1%
    #[arg(allow_negative_numbers = true, long, value_name = "PCT", value_parser = parse_pct)]
    pub corrupt: Option<f64>,

    /// Let nothing through on this share of connections, e.g. 10%: their requests never
    /// reach the target, and the client waits
    #[arg(allow_negative_numbers = true, long, value_name = "PCT", value_parser = parse_pct)]
    pub blackhole: Option<f64>,

    #[command(flatten)]
    pub faults: FaultArgs,

    /// Read requests and replies as this framing, for --fail-requests and --hold-requests
    /// (and the toxics fail_requests, hold_requests through --api or --schedule)
    #[arg(
        long,
        value_enum,
        value_name = "FRAMING",
        help_heading = "Protocol faults"
    )]
    pub framing: Option<Framing>,

    /// Answer every Nth request (3) or a share of them (10%) with the relay's own failure,
    /// in the framing: HTTP 503, a RESP error, a line, a length-prefixed frame. Such a
    /// request never reaches the target
    #[arg(long, value_name = "N|PCT%", value_parser = parse_every, help_heading = "Protocol faults", requires = "framing")]
    pub fail_requests: Option<Every>,

    /// Pass every Nth request (3) or a share of them (10%) on, but keep back its reply and
    /// every reply after it on that connection, as a server that stalls: the client's
    /// timeout is what is tested
    #[arg(long, value_name = "N|PCT%", value_parser = parse_every, help_heading = "Protocol faults", requires = "framing")]
    pub hold_requests: Option<Every>,

    /// The text of the relay's own failure [default: netdemo relay: injected failure]
    #[arg(
        long,
        value_name = "TEXT",
        help_heading = "Protocol faults",
        requires = "fail_requests"
    )]
    pub fail_reply: Option<String>,

    /// Relay at most N clients at once; more wait, accepted, until one leaves, and a line a
    /// second says how many wait [default: 10000]
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = parse_connections)]
    pub max_connections: Option<u32>,

    /// Bytes waiting to leave (--latency, --jitter, --bandwidth, --slice) across all
    /// connections; once reached the relay stops reading from either side until some have
    /// gone, so senders slow down instead of its memory growing. K, M or G suffixes
    /// [default: 64M]
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub max_buffered: Option<usize>,

    /// Print connections and bytes per second each way on stderr once a second
    #[arg(long)]
    pub stats: bool,

    /// Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes
    /// and messages by direction, while it runs
    #[arg(long, value_name = "ADDR", value_parser = parse_metrics_addr)]
    pub metrics: Option<std::net::SocketAddr>,

    /// On Ctrl-C or SIGTERM, give relayed connections this long to finish [default: 5s]
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub grace: Option<Duration>,

    /// Relay on N threads [default: every core this process may use]
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub access: AccessArgs,

    #[command(flatten)]
    pub addr: AddrArgs,
}

#[derive(Debug, Args)]
pub struct UdpRelayArgs {
    #[command(flatten)]
    pub target: RelayTargetArgs,

    /// Drop this share of datagrams, written 10% or 10
    #[arg(allow_negative_numbers = true, long, value_name = "PCT", value_parser = parse_pct)]
    pub loss: Option<f64>,

    /// Send this share of datagrams twice
    #[arg(allow_negative_numbers = true, long, value_name = "PCT", value_parser = parse_pct)]
    pub duplicate: Option<f64>,

    /// Hold this share of datagrams back until the next one has gone (or 50ms passed)
    #[arg(allow_negative_numbers = true, long, value_name = "PCT", value_parser = parse_pct)]
    pub reorder: Option<f64>,

    #[command(flatten)]
    pub faults: FaultArgs,

    /// End a client's session (its upstream socket) after this long without a datagram
    /// either way [default: 60s]
    #[arg(allow_hyphen_values = true, short = 'w', long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,

    /// Print datagrams, bytes per second and datagrams dropped on stderr once a second
    #[arg(long)]
    pub stats: bool,

    /// Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes
    /// and messages by direction, while it runs
    #[arg(long, value_name = "ADDR", value_parser = parse_metrics_addr)]
    pub metrics: Option<std::net::SocketAddr>,

    /// Send each client everything the target answers, and allow --duplicate, even when
    /// other machines can reach the relay. Off, such a relay sends a client at most 10x
    /// the bytes it sent (over 10 s, plus 1500 bytes): with spoofed senders it would
    /// flood a third party (reflection)
    #[arg(long)]
    pub allow_amplification: bool,

    #[command(flatten)]
    pub access: AccessArgs,

    #[command(flatten)]
    pub addr: AddrArgs,
}

// Parsed once at start and moved into `config`: the variants' sizes cost nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum WsCommand {
    /// Accept WebSocket clients on any path and echo each message (text as text, binary as
    /// binary); pings are answered, close codes returned
    #[command(after_help = "Examples:
  netdemo ws serve                       ws://127.0.0.1:9999/
  netdemo ws serve -p 0 --tls            wss:// with a throwaway certificate")]
    Serve(WsServeArgs),
    /// Connect to a WebSocket server: send each message, show each reply; ping; or stdin
    /// to the server and its messages to stdout (websocat)
    #[command(after_help = "Examples:
  netdemo ws connect -p 9999 hello 'how are you'        each message, each echo
  netdemo ws connect --host echo.example:443 --tls --path /chat --mode request hi
  netdemo ws connect -p 9999 --mode ping -n 5           ping/pong round trips
  netdemo ws connect -p 9999 --mode stdio               stdin lines out, messages in")]
    Connect(WsConnectArgs),
}

#[derive(Debug, Args)]
pub struct WsServeArgs {
    #[command(flatten)]
    pub addr: AddrArgs,

    /// Largest message accepted; a client that sends more is closed with code 1009. K, M
    /// or G (powers of 1024) [default: 1M]
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub max_frame: Option<usize>,

    /// On Ctrl-C or SIGTERM, close each client with code 1001 (going away) and give them
    /// this long to answer [default: 5s]
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub grace: Option<Duration>,

    #[command(flatten)]
    pub tls: TlsServeArgs,
}

/// What `ws connect` does once the WebSocket is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum WsMode {
    /// Send each message, expect it back unchanged
    #[default]
    Echo,
    /// Send each message, show the one reply that comes, check it against --expect
    Request,
    /// Send -n pings, time each pong
    Ping,
    /// Stdin lines as text messages to the server, its messages to stdout, one per line
    Stdio,
}

#[derive(Debug, Args)]
pub struct WsConnectArgs {
    /// Messages to send, one per WebSocket message (escapes \r \n \t \0 \xNN understood)
    #[arg(value_name = "MESSAGE")]
    pub messages: Vec<String>,

    /// What to do once the WebSocket is open
    #[arg(long, value_enum, default_value_t = WsMode::Echo)]
    pub mode: WsMode,

    /// The path (and query) of the WebSocket URL [default: /]
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,

    /// Send binary messages instead of text
    #[arg(long)]
    pub binary: bool,

    /// With --mode ping: how many pings [default: 4]
    #[arg(short = 'n', long = "count", value_name = "N", value_parser = parse_count)]
    pub count: Option<u64>,

    /// Close with this code at the end (1000 normal, 1001 going away, 3000-4999 an
    /// application's own) [default: 1000]
    #[arg(long, value_name = "CODE", value_parser = parse_close_code)]
    pub close_code: Option<u16>,

    /// Give up on connecting, or on any one reply or pong, after this long
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Largest message accepted from the server. K, M or G [default: 1M]
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub max_frame: Option<usize>,

    #[command(flatten)]
    pub expect: ExpectArgs,

    #[command(flatten)]
    pub addr: AddrArgs,

    #[command(flatten)]
    pub route: RouteArgs,

    #[command(flatten)]
    pub tls: TlsConnectArgs,
}

/// A close code a client may send (RFC 6455 7.4): 1000-1003, 1007-1011, or 3000-4999.
fn parse_close_code(text: &str) -> Result<u16, String> {
    let code = whole(text, 1000, 4999)? as u16;
    match code {
        1000..=1003 | 1007..=1011 | 3000..=4999 => Ok(code),
        _ => Err(format!(
            "{code} is not a code a client may send: 1000 (normal), 1001 (going away), \
             1002-1003, 1007-1011, or 3000-4999 for an application's own"
        )),
    }
}

/// TLS for `tcp serve`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "TLS")]
pub struct TlsServeArgs {
    /// Speak TLS: each client's handshake comes first. Without --cert, a throwaway
    /// self-signed certificate is made at start and its SHA-256 fingerprint printed
    #[arg(long)]
    pub tls: bool,

    /// The server's certificate chain, PEM, leaf first (with --key)
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,

    /// The private key of --cert, PEM (PKCS#8, PKCS#1 or SEC1)
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,

    /// Require a client certificate signed by a CA in this PEM file
    #[arg(long, value_name = "FILE")]
    pub client_ca: Option<PathBuf>,

    /// An application protocol this server speaks (ALPN), e.g. h2 or http/1.1;
    /// repeatable, in order of preference. Clients that offer only other protocols are
    /// refused; clients that offer none are served
    #[arg(long, value_name = "PROTO")]
    pub alpn: Vec<String>,

    /// Append the TLS secrets of each connection to FILE in the NSS key log format, so
    /// Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)
    #[arg(long, value_name = "FILE")]
    pub keylog: Option<PathBuf>,
}

/// TLS for `tcp connect`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "TLS")]
pub struct TlsConnectArgs {
    /// Speak TLS. The server's certificate is verified against the system's CAs and the
    /// host name, unless --cacert, --pin or --insecure say otherwise
    #[arg(long)]
    pub tls: bool,

    /// Trust the CAs in this PEM file instead of the system's
    #[arg(long, value_name = "FILE", conflicts_with_all = ["pin", "insecure"])]
    pub cacert: Option<PathBuf>,

    /// Trust exactly the certificate with this SHA-256 fingerprint, as a netdemo server
    /// prints it (sha256:AB:CD:..., colons optional), and no other
    #[arg(long, value_name = "FINGERPRINT", conflicts_with = "insecure")]
    pub pin: Option<String>,

    /// Do not verify the server's certificate at all (says so on stderr)
    #[arg(long)]
    pub insecure: bool,

    /// The server name to ask for (SNI) and to verify [default: the host given; none
    /// for an IP address]
    #[arg(long, value_name = "NAME")]
    pub sni: Option<String>,

    /// An application protocol to offer (ALPN), e.g. h2 or http/1.1; repeatable
    #[arg(long, value_name = "PROTO")]
    pub alpn: Vec<String>,

    /// Append the TLS secrets of each connection to FILE in the NSS key log format, so
    /// Wireshark decrypts a capture of them (the SSLKEYLOGFILE variable does the same)
    #[arg(long, value_name = "FILE")]
    pub keylog: Option<PathBuf>,

    /// A client certificate chain, PEM, for servers that ask for one (with --key)
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,

    /// The private key of --cert, PEM
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,

    /// Resume TLS sessions on later connections to the same server (a short handshake
    /// with no certificate), as browsers, curl and openssl do; off makes every handshake a
    /// full one [default: on]
    #[arg(long, value_enum, value_name = "WHEN")]
    pub tls_resume: Option<Switch>,
}

/// A setting that is on or off (`--tls-resume`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    On,
    Off,
}

#[derive(Debug, Args)]
pub struct TcpConnectArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,

    /// Only report whether something listens and how long connecting took; send
    /// nothing. Succeeds if any port is open
    #[arg(
        short = 'z',
        long = "zero-io",
        conflicts_with_all = ["mode", "connections", "duration", "requests", "rate", "size", "warmup", "pipeline"]
    )]
    pub zero_io: bool,

    #[command(flatten)]
    pub addr: AddrArgs,

    #[command(flatten)]
    pub route: RouteArgs,

    #[command(flatten)]
    pub tls: TlsConnectArgs,
}

/// How a TCP client reaches its target: from where, and through which proxy.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Route")]
pub struct RouteArgs {
    /// Reach the target through a proxy: socks5://[USER:PASS@]HOST[:PORT] (SOCKS5; a target
    /// name is resolved by the proxy, as socks5h) or http://[USER:PASS@]HOST[:PORT] (an
    /// HTTP proxy's CONNECT) [default ports: 1080, 3128]
    #[arg(long, value_name = "URL", value_parser = crate::net::proxy::ProxyUrl::parse)]
    pub proxy: Option<crate::net::proxy::ProxyUrl>,

    #[command(flatten)]
    pub source: SourceArgs,
}

/// `--source`, for every client.
#[derive(Debug, Clone, Args)]
pub struct SourceArgs {
    /// Send from this local address, and port if given: ADDR, ADDR:PORT, [V6]:PORT or
    /// :PORT (as nc -s and -p); a fixed port allows one connection at a time
    #[arg(long, value_name = "ADDR[:PORT]", value_parser = parse_source)]
    pub source: Option<Source>,
}

/// `--source ADDR[:PORT]`: where a client's connections or datagrams leave from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// `None`: any address of the target's family (`:PORT`).
    pub ip: Option<std::net::IpAddr>,
    /// 0: the system chooses.
    pub port: u16,
}

fn parse_source(text: &str) -> Result<Source, String> {
    use std::net::{IpAddr, SocketAddr};
    let text = text.trim();
    let port = |p: &str| {
        whole(p, 1, 65_535)
            .map(|p| p as u16)
            .map_err(|_| format!("'{text}': the port must be 1 to 65535"))
    };
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(Source {
            ip: Some(ip),
            port: 0,
        });
    }
    if let Some(p) = text.strip_prefix(':') {
        return Ok(Source {
            ip: None,
            port: port(p)?,
        });
    }
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(Source {
            ip: Some(addr.ip()),
            port: port(&addr.port().to_string())?,
        });
    }
    Err(format!(
        "'{text}' is not ADDR, ADDR:PORT, [V6]:PORT or :PORT (an address of this machine, \
         e.g. 127.0.0.2 or 127.0.0.1:40000)"
    ))
}

/// `--source ADDR` of the relays: an address only.
fn parse_source_ip(text: &str) -> Result<std::net::IpAddr, String> {
    match parse_source(text)? {
        Source {
            ip: Some(ip),
            port: 0,
        } => Ok(ip),
        _ => Err(format!(
            "'{text}': give an address alone: the relay opens a connection to the target for \
             each client, and one port can carry only one"
        )),
    }
}

#[derive(Debug, Args)]
pub struct UnixConnectArgs {
    /// The socket to connect to: a file path, or @NAME for a Linux abstract name
    #[arg(long, value_name = "PATH", value_parser = parse_unix_name())]
    pub path: UnixName,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// What a stream client does, over TCP or a Unix socket.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// Messages to send, one at a time; none sends `Hello, I am a client`; `-` reads them
    /// from stdin, one per line
    #[arg(value_name = "MESSAGE")]
    pub messages: Vec<String>,

    /// Send what the client of the first TCP stream in a pcap or pcapng capture sent
    /// (netdemo's --pcap, tcpdump's, Wireshark's), split into messages by --framing; with
    /// --mode request and load flags, they are the requests
    #[arg(long, value_name = "FILE", conflicts_with = "messages")]
    pub replay: Option<PathBuf>,

    /// With --replay, send each message no sooner than the capture's gap after the first
    /// (as well as after the last reply)
    #[arg(long, requires = "replay")]
    pub replay_timing: bool,

    /// What to do once connected
    #[arg(long, value_enum, default_value_t = ClientMode::Seed)]
    pub mode: ClientMode,

    /// With --framing ws: the path (and query) of the WebSocket URL [default: /]
    #[arg(long, value_name = "PATH")]
    pub ws_path: Option<String>,

    /// With --mode send or receive: both directions at once on every stream, each counted
    /// and reported (as iperf3 --bidir), against a server that reads and writes at once:
    /// tcp serve --mode source or chargen
    #[arg(long)]
    pub bidir: bool,

    /// A protocol netdemo knows: memcached (--framing memcached, --mode request), so
    /// 'set k 0 0 5\r\nhello' and 'get k' load with --pipeline and nothing more
    #[arg(long, value_enum, value_name = "NAME")]
    pub preset: Option<Preset>,

    /// Keep trying a refused connection until it succeeds or this much time has passed
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub wait: Option<Duration>,

    /// In stdio mode, what to do with the connection when stdin ends [default: shutdown]
    #[arg(long, value_enum, value_name = "POLICY")]
    pub on_eof: Option<OnEof>,

    /// In stdio mode, close the connection when nothing moves either way for this long,
    /// like nc -w
    #[arg(allow_hyphen_values = true, short = 'w', long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,

    /// Give up on connecting, on any one reply, or on a throughput stream where nothing
    /// moves, after this long
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,

    #[command(flatten)]
    pub codec: CodecArgs,

    #[command(flatten)]
    pub framing: FramingArgs,

    #[command(flatten)]
    pub expect: ExpectArgs,

    #[command(flatten)]
    pub load: LoadArgs,
}

/// The open loop's rate and its shape, and the capacity search, for every load run.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Load")]
pub struct ShapeArgs {
    /// Open loop: R requests (or datagrams) per second in all, due on schedule whatever
    /// the replies do, latency counted from when each was due; k and M are 1,000 and
    /// 1,000,000. A range LOW..HIGH ramps with --ramp, or bounds --find-max-rate
    /// [search default: 100..1M]
    #[arg(allow_hyphen_values = true, long, value_name = "R|LOW..HIGH", value_parser = crate::shape::parse_rate_arg)]
    pub rate: Option<RateArg>,

    /// Ramp linearly from --rate's LOW to HIGH over DURATION (the run's length)
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub ramp: Option<Duration>,

    /// Open loop in stages, each DURATION@RATE (a hold) or DURATION@FROM..TO (a ramp),
    /// e.g. '10s@1k,30s@5k..20k,10s@20k..0'; the report keeps each stage's latency
    #[arg(long, value_name = "STAGES", value_parser = crate::shape::parse_stages_arg)]
    pub stages: Option<Stages>,

    /// Find the highest rate that keeps --slo: steps up from --rate's LOW, doubling, then
    /// bisects between the last rate that kept the promise and the first that broke it
    #[arg(long, requires = "slo")]
    pub find_max_rate: bool,

    /// The promise for --find-max-rate, bounds joined by commas: p50, p90, p99, p999 or
    /// max below a latency (us, ms, s), errors below a share (0.1%) or a count, e.g.
    /// 'p99<5ms,errors<0.1%'
    #[arg(long, value_name = "BOUNDS", value_parser = crate::slo::parse)]
    pub slo: Option<Slo>,

    /// How long each step of --find-max-rate measures, after a warm-up it discards
    /// (--warmup, or 1s) [default: 4s]
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub step_duration: Option<Duration>,
}

impl ShapeArgs {
    pub fn active(&self) -> bool {
        self.given().is_some()
    }

    /// The first of these flags given, to name it in a refusal.
    pub fn given(&self) -> Option<&'static str> {
        [
            (self.rate.is_some(), "--rate"),
            (self.ramp.is_some(), "--ramp"),
            (self.stages.is_some(), "--stages"),
            (self.find_max_rate, "--find-max-rate"),
            (self.slo.is_some(), "--slo"),
            (self.step_duration.is_some(), "--step-duration"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }
}

/// Load mode for `tcp connect`: any of these turns it on.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Load")]
pub struct LoadArgs {
    /// Run the conversation on N connections at once
    #[arg(allow_negative_numbers = true, short = 'c', long, value_name = "N", value_parser = parse_connections)]
    pub connections: Option<u32>,

    /// Measure for this long [default: 10s, unless -n is given]
    #[arg(allow_hyphen_values = true, short = 'd', long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Duration>,

    /// Stop after N attempts in all: requests, and connections or greetings that failed;
    /// with --mode send or receive, after N bytes in all (K, M, G)
    #[arg(allow_negative_numbers = true, short = 'n', long, value_name = "N", value_parser = parse_count)]
    pub requests: Option<u64>,

    #[command(flatten)]
    pub shape: ShapeArgs,

    /// Payload size in bytes when no message is given, at most --max-frame (1024 with
    /// --framing raw) [default: 16]
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub size: Option<usize>,

    /// Keep up to N requests in flight on each connection, replies matched first in,
    /// first out (not with --framing raw) [default: 1]
    #[arg(long, value_name = "N", value_parser = parse_pipeline)]
    pub pipeline: Option<usize>,

    /// Run this long first, without recording, so connections and caches are warm
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub warmup: Option<Duration>,

    /// Each request on a new connection: connect, greeting, request, reply, close. The
    /// report adds connections per second; connect times are apart from request latency
    #[arg(long)]
    pub reconnect: bool,

    /// Write the latency as an HdrHistogram interval log to FILE, one histogram a second,
    /// for HistogramLogProcessor and other HdrHistogram tools
    #[arg(long, value_name = "FILE")]
    pub hist_log: Option<PathBuf>,

    /// Write the run also as a page to FILE, one HTML file that fetches nothing: the
    /// latency distribution, latency, rate and errors each second (bits/s with --mode
    /// send|receive), and what ran
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1) while it runs:
    /// requests, errors by kind, the latency histogram and its percentiles
    #[arg(long, value_name = "ADDR", value_parser = parse_metrics_addr)]
    pub metrics: Option<std::net::SocketAddr>,

    /// Print what completed every DURATION (at least 100ms): a line on stderr, terminal or
    /// not (in place of the live line), or an `interval` event with --json
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub interval: Option<Duration>,

    /// Run the connections (or --mode send|receive streams) on N threads [default: every
    /// core this process may use]
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub shard: ShardArgs,
}

/// Load mode for `udp send`: any of these turns it on.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Load")]
pub struct UdpLoadArgs {
    /// Send from N sockets at once, each its own source port (--mode request)
    #[arg(allow_negative_numbers = true, short = 'c', long, value_name = "N", value_parser = parse_connections)]
    pub connections: Option<u32>,

    /// Keep up to N requests in flight on each socket, matched by --match-id or --preset
    /// (--mode request) [default: 1]
    #[arg(long, value_name = "N", value_parser = parse_udp_window)]
    pub pipeline: Option<usize>,

    /// Run the sockets on N threads (--mode request) [default: every core this process may
    /// use]
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,

    /// Send N datagrams in all (seed and echo: numbered; request mode: N requests)
    #[arg(allow_negative_numbers = true, short = 'n', long, value_name = "N", value_parser = parse_count)]
    pub count: Option<u64>,

    /// Send for this long [default: 10s, unless -n is given]
    #[arg(allow_hyphen_values = true, short = 'd', long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Duration>,

    #[command(flatten)]
    pub shape: ShapeArgs,

    /// Print what completed every DURATION (at least 100ms): a line on stderr, terminal or
    /// not, or an `interval` event with --json (--mode request)
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", value_parser = parse_duration)]
    pub interval: Option<Duration>,

    /// Write the run also as a page to FILE, one HTML file that fetches nothing: the
    /// latency distribution, latency, rate and errors each second (bits/s with --mode
    /// send|receive), and what ran
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1) while it runs:
    /// requests, errors by kind, the latency histogram and its percentiles
    #[arg(long, value_name = "ADDR", value_parser = parse_metrics_addr)]
    pub metrics: Option<std::net::SocketAddr>,

    /// Datagram size in bytes, at least 16 [default: 64]
    #[arg(allow_negative_numbers = true, long, value_name = "BYTES", value_parser = parse_size)]
    pub size: Option<usize>,

    #[command(flatten)]
    pub shard: ShardArgs,
}

impl UdpLoadArgs {
    /// Whether any load option was given.
    pub fn active(&self) -> bool {
        self.connections.is_some()
            || self.pipeline.is_some()
            || self.count.is_some()
            || self.duration.is_some()
            || self.shape.active()
            || self.size.is_some()
            || self.interval.is_some()
            || self.html.is_some()
            || self.metrics.is_some()
            || self.shard.active()
    }
}

impl LoadArgs {
    /// Whether any load option was given.
    pub fn active(&self) -> bool {
        self.connections.is_some()
            || self.duration.is_some()
            || self.requests.is_some()
            || self.shape.active()
            || self.size.is_some()
            || self.warmup.is_some()
            || self.pipeline.is_some()
            || self.reconnect
            || self.hist_log.is_some()
            || self.html.is_some()
            || self.metrics.is_some()
            || self.shard.active()
    }
}

#[derive(Debug, Args)]
pub struct UdpServeArgs {
    /// What senders get
    #[arg(long, value_enum, default_value_t = ServerMode::Seed)]
    pub mode: ServerMode,

    /// In stdio mode, how stdin becomes datagrams and datagrams are printed [default: line]
    #[arg(long, value_enum)]
    pub framing: Option<DatagramFraming>,

    /// Print datagrams and bytes per second on stderr once a second
    #[arg(long)]
    pub stats: bool,

    /// Serve /metrics for Prometheus on ADDR (a port binds 127.0.0.1): connections, bytes
    /// and messages by direction, while it runs
    #[arg(long, value_name = "ADDR", value_parser = parse_metrics_addr)]
    pub metrics: Option<std::net::SocketAddr>,

    /// Answer with more bytes than a datagram brought (chargen, the seed protocol's
    /// `Hello, `) even when other machines can reach the server. Off, such a server sends
    /// no larger reply: with spoofed senders it would flood a third party (reflection)
    #[arg(long)]
    pub allow_amplification: bool,

    /// Answer on N sockets sharing the port (SO_REUSEPORT), a thread each: the kernel
    /// spreads senders over them by address and port, and one sender stays on one socket
    /// [default: every core this process may use]
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub access: AccessArgs,

    #[command(flatten)]
    pub addr: AddrArgs,

    #[command(flatten)]
    pub codec: CodecArgs,
}

#[derive(Debug, Args)]
pub struct UdpSendArgs {
    /// Data to send, one datagram per argument; none sends the tutorial's `Hello` and
    /// `Word`; `-` reads them from stdin, one per line; in a request load, `@FILE` sends a
    /// file's bytes
    #[arg(value_name = "DATA")]
    pub data: Vec<String>,

    /// Send the datagrams of a pcap or pcapng capture (netdemo's --pcap, tcpdump's,
    /// Wireshark's) that went to the address its first datagram went to, in order; with
    /// --mode request and load flags, they are the requests
    #[arg(long, value_name = "FILE", conflicts_with = "data")]
    pub replay: Option<PathBuf>,

    /// With --replay, send each datagram no sooner than the capture's gap after the first
    /// (as well as after the last reply)
    #[arg(long, requires = "replay")]
    pub replay_timing: bool,

    /// What to send: the arguments (seed, echo, request), or stdin (stdio)
    #[arg(long, value_enum, default_value_t = ClientMode::Seed)]
    pub mode: ClientMode,

    /// In stdio mode, how stdin becomes datagrams and datagrams are printed [default: line]
    #[arg(long, value_enum)]
    pub framing: Option<DatagramFraming>,

    /// Match replies to requests by the ID at byte OFFSET, LEN bytes long (1 to 4,
    /// big-endian): netdemo writes a fresh one into each request (--mode request)
    #[arg(long, value_name = "OFFSET:LEN", value_parser = parse_match_id)]
    pub match_id: Option<(usize, usize)>,

    /// The protocol's own matching and checks: dns (the ID at 0:2; an answer with RCODE
    /// NOERROR, or it is a wrong reply) (--mode request)
    #[arg(long, value_enum, value_name = "NAME")]
    pub preset: Option<Preset>,

    /// With --mode send: bits per second, K/M/G as 1,000s (as iperf3 -b), paced; 0 sends
    /// as fast as the socket takes them [default: 1M]
    #[arg(long, value_name = "BITS", value_parser = parse_bitrate)]
    pub bitrate: Option<f64>,

    /// Send a DNS query for NAME and TYPE (A, AAAA, MX, TXT, NS, CNAME, SOA, PTR, SRV, ANY,
    /// or a number) instead of DATA; implies --preset dns (--mode request)
    #[arg(long, num_args = 2, value_names = ["NAME", "TYPE"])]
    pub dns_query: Option<Vec<String>>,

    /// Wait this long for each reply before sending again; in stdio mode, how long to
    /// wait for replies after stdin ends
    #[arg(allow_hyphen_values = true, long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Send a datagram again this many times when no reply comes, at most 100
    /// [default: 2]
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = parse_retries)]
    pub retries: Option<u32>,

    #[command(flatten)]
    pub expect: ExpectArgs,

    #[command(flatten)]
    pub load: UdpLoadArgs,

    #[command(flatten)]
    pub addr: AddrArgs,

    #[command(flatten)]
    pub source: SourceArgs,

    #[command(flatten)]
    pub codec: CodecArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate the script for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The most connections `-c` and `--max-connections` take; the file descriptor limit
/// usually binds first, and `config` checks it.
pub const MAX_CONNECTIONS: u32 = 1_000_000;

/// The longest duration any flag takes. Longer ones are typos (`300000000000years`), and
/// would overflow the clock when added to now.
pub const MAX_DURATION: Duration = Duration::from_secs(31_557_600); // humantime's `1y`

/// `--delimiter`: escapes understood, 1 to 32 bytes.
fn parse_delimiter(text: &str) -> Result<Delimiter, String> {
    Delimiter::parse(text)
}

/// A whole number in `min..=max`, with a message that says so (not Rust's parser's).
fn whole(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let range = if max == u64::MAX {
        format!("at least {min}")
    } else {
        format!("from {min} to {max}")
    };
    match text.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number {range}")),
    }
}

/// `-c` and `--max-connections`.
fn parse_connections(text: &str) -> Result<u32, String> {
    whole(text, 1, u64::from(MAX_CONNECTIONS)).map(|n| n as u32)
}

/// `-n`: any positive count; K, M and G (powers of 1024) are understood, for byte counts
/// of `--mode send` and `receive` above all.
fn parse_count(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" => return whole(text, 1, u64::MAX),
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => {
            return Err(format!(
                "expected a whole number (K, M or G allowed), not '{text}'"
            ));
        }
    };
    whole(digits, 1, u64::MAX >> shift).map(|n| n << shift)
}

/// `--pipeline`: more than this many requests in flight on one connection only fills
/// socket buffers.
fn parse_pipeline(text: &str) -> Result<usize, String> {
    whole(text, 1, 1024).map(|n| n as usize)
}

/// `--pipeline` of `udp send`: an ID of 4 bytes allows this many in flight, and no more
/// are worth holding per socket.
fn parse_udp_window(text: &str) -> Result<usize, String> {
    whole(text, 1, 65_536).map(|n| n as usize)
}

/// `--match-id OFFSET:LEN`: where the ID is, 1 to 4 bytes long, within a datagram.
fn parse_match_id(text: &str) -> Result<(usize, usize), String> {
    let (offset, len) = text
        .split_once(':')
        .ok_or("expected OFFSET:LEN, e.g. 0:2 (the ID's first byte and its length)")?;
    let offset = whole(offset, 0, 65_506)? as usize;
    let len = whole(len, 1, 4).map_err(|_| "the ID is 1 to 4 bytes long (LEN)".to_owned())?;
    Ok((offset, len as usize))
}

/// `--preset`: a protocol whose replies netdemo knows how to match and check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// DNS (udp send): the query ID at offset 0 (2 bytes), replies checked for RCODE NOERROR
    Dns,
    /// memcached's text protocol (tcp connect): --framing memcached in --mode request
    Memcached,
}

/// `--threads`: 1 to 1024; more threads than connections leaves the rest idle.
fn parse_threads(text: &str) -> Result<usize, String> {
    whole(text, 1, 1024).map(|n| n as usize)
}

/// `--retries`: a hundred resends of one datagram is already a broken network.
fn parse_retries(text: &str) -> Result<u32, String> {
    whole(text, 0, 100).map(|n| n as u32)
}

/// Parses `250ms`, `1s`, `2m`... with humantime; a bare number is rejected so that `--delay 1`
/// cannot silently mean one second to one reader and one millisecond to another.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    // Hyphen values are let through so that `-1s` gets this message, not "unknown flag".
    match text.trim_start().strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
            return Err("a duration cannot be negative (write e.g. 250ms or 1s)".to_owned());
        }
        Some(_) => {
            return Err(format!(
                "expected a duration such as 250ms or 1s, not '{text}'"
            ));
        }
        None => {}
    }
    let duration = humantime::parse_duration(text).map_err(|err| match err {
        humantime::DurationError::UnknownUnit { unit, .. } if unit.is_empty() => {
            "needs a unit, e.g. 250ms or 1s".to_owned()
        }
        humantime::DurationError::NumberOverflow => {
            "longer than a year (write a shorter duration, e.g. 10s or 1h)".to_owned()
        }
        other => format!("{other} (write e.g. 250ms, 1s, 2m or 1h)"),
    })?;
    if duration > MAX_DURATION {
        return Err("longer than a year (write a shorter duration, e.g. 10s or 1h)".to_owned());
    }
    Ok(duration)
}

/// `--metrics`: `PORT` (on 127.0.0.1) or `IP:PORT`.
fn parse_metrics_addr(text: &str) -> Result<std::net::SocketAddr, String> {
    if let Ok(port) = text.parse::<u16>() {
        return Ok(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    }
    text.parse()
        .map_err(|_| format!("expected PORT or IP:PORT, e.g. 9464 or 127.0.0.1:9464, not '{text}'"))
}

/// `--bitrate`: bits per second, with K, M or G as powers of 1,000 (network speeds are
/// decimal, unlike byte sizes); 0 for no pacing.
fn parse_bitrate(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let (number, scale) = match text.char_indices().last() {
        Some((at, 'k' | 'K')) => (&text[..at], 1e3),
        Some((at, 'm' | 'M')) => (&text[..at], 1e6),
        Some((at, 'g' | 'G')) => (&text[..at], 1e9),
        _ => (text, 1.0),
    };
    match number.parse::<f64>() {
        Ok(n) if n >= 0.0 && n * scale <= 100e9 => Ok(n * scale),
        _ => Err("expected bits per second from 0 (unpaced) to 100G, e.g. 500M".to_owned()),
    }
}

/// `--shard I/N`: 1 <= I <= N <= 10000.
fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("expected I/N with 1 <= I <= N, e.g. 1/3, not '{text}'");
    let (index, of) = text.split_once('/').ok_or_else(bad)?;
    let index: u32 = index.trim().parse().map_err(|_| bad())?;
    let of: u32 = of.trim().parse().map_err(|_| bad())?;
    if index == 0 || index > of || of > 10_000 {
        return Err(bad());
    }
    Ok((index, of))
}

/// `--start-at`: an RFC 3339 time with its offset (`2026-11-25T20:00:00Z`,
/// `2026-11-25T21:00:00+01:00`).
fn parse_time(text: &str) -> Result<std::time::SystemTime, String> {
    humantime::parse_rfc3339_weak(text.trim())
        .ok()
        .filter(|_| text.ends_with('Z') || text.ends_with("z"))
        .or_else(|| parse_with_offset(text.trim()))
        .ok_or_else(|| {
            format!(
                "expected an RFC 3339 time such as 2026-11-25T20:00:00Z (UTC) or \
                 2026-11-25T21:00:00+01:00, not '{text}'"
            )
        })
}

/// An RFC 3339 time ending in `+HH:MM` or `-HH:MM`.
fn parse_with_offset(text: &str) -> Option<std::time::SystemTime> {
    let split = text.len().checked_sub(6)?;
    let (time, offset) = text.split_at(split);
    let sign = match offset.as_bytes().first()? {
        b'+' => 1i64,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = offset[1..].split_once(':')?;
    let seconds = (hours.parse::<i64>().ok()? * 3600 + minutes.parse::<i64>().ok()? * 60) * sign;
    let local = humantime::parse_rfc3339_weak(time).ok()?;
    let shift = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        local.checked_sub(shift)
    } else {
        local.checked_add(shift)
    }
}

/// A percentage: `10%` or `10`, from 0 to 100.
pub fn parse_pct(text: &str) -> Result<f64, String> {
    let number = text.trim();
    let number = number.strip_suffix('%').unwrap_or(number);
    match number.parse::<f64>() {
        Ok(pct) if (0.0..=100.0).contains(&pct) => Ok(pct),
        _ => Err(format!(
            "expected a percentage from 0 to 100, written 10% or 10, not '{text}'"
        )),
    }
}

/// `--path`: any bytes a file name may hold, not only UTF-8.
fn parse_unix_name() -> impl clap::builder::TypedValueParser<Value = UnixName> {
    use clap::builder::TypedValueParser as _;
    clap::builder::OsStringValueParser::new().try_map(UnixName::parse)
}

/// `--socket-mode`: octal permission bits, as chmod takes them (600, 0600, 0o660).
fn parse_socket_mode(text: &str) -> Result<u32, String> {
    let digits = text.strip_prefix("0o").unwrap_or(text);
    let mode = u32::from_str_radix(digits, 8)
        .ok()
        .filter(|_| !digits.is_empty() && !digits.starts_with('+'))
        .ok_or_else(|| format!("'{text}' is not an octal mode such as 0600 or 0660"))?;
    if mode > 0o777 {
        return Err(format!(
            "'{text}' is more than permission bits (at most 0777; setuid and sticky bits mean \
             nothing on a socket)"
        ));
    }
    if mode & 0o200 == 0 {
        return Err(format!(
            "'{text}' leaves the owner without write permission, which connecting needs: \
             nobody but root could connect (try 0600)"
        ));
    }
    Ok(mode)
}

fn parse_ports(text: &str) -> Result<Ports, String> {
    text.parse()
}

/// Parses a byte count: `4096`, `64K`, `1M`, `1MiB`, `2G` (suffixes are powers of 1024).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err("a byte count cannot be negative (write e.g. 4096, 64K or 1M)".to_owned());
    }
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("unknown unit '{unit}' (use K, M or G)")),
    };
    let count: usize = digits
        .parse()
        .map_err(|_| "expected a byte count such as 4096, 64K or 1M".to_owned())?;
    count
        .checked_mul(1 << shift)
        .filter(|&n| n > 0 && n <= u32::MAX as usize)
        .ok_or_else(|| "must be from 1 byte to 4294967295 bytes (just under 4G)".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framing::DEFAULT_MAX_FRAME;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_match_the_protocol() {
        let cli = Cli::try_parse_from(["netdemo", "tcp", "serve"]).unwrap();
        let Command::Tcp(TcpCommand::Serve(args)) = cli.command else {
            panic!("parsed {:?}", cli.command);
        };
        assert_eq!(args.addr.host, None);
        assert_eq!(args.addr.port, None);
        assert_eq!(args.serve.codec.encoding, None);
        assert_eq!(args.serve.delay, None);
    }

    #[test]
    fn global_flags_go_before_or_after_the_subcommand() {
        for argv in [
            &["netdemo", "-q", "udp", "send", "x"][..],
            &["netdemo", "udp", "send", "x", "-q"][..],
        ] {
            let cli = Cli::try_parse_from(argv).unwrap();
            assert!(cli.output.quiet, "{argv:?}");
        }
    }

    #[test]
    fn durations_need_a_unit() {
        let ok = Cli::try_parse_from(["netdemo", "tcp", "serve", "--delay", "250ms"]).unwrap();
        let Command::Tcp(TcpCommand::Serve(args)) = ok.command else {
            panic!("wrong command");
        };
        assert_eq!(args.serve.delay, Some(Duration::from_millis(250)));
        assert!(Cli::try_parse_from(["netdemo", "tcp", "serve", "--delay", "1"]).is_err());
        assert!(
            Cli::try_parse_from(["netdemo", "tcp", "serve", "--delay", "300000000000years"])
                .is_err()
        );
    }

    #[test]
    fn numbers_are_range_checked() {
        for argv in [
            &["netdemo", "tcp", "connect", "--rate", "1e300"][..],
            &["netdemo", "tcp", "connect", "--rate", "0"][..],
            &["netdemo", "tcp", "connect", "--rate", "-5"][..],
            &["netdemo", "tcp", "connect", "-c", "0"][..],
            &["netdemo", "udp", "send", "--retries", "4294967295"][..],
            &["netdemo", "tcp", "connect", "--size", "5G"][..],
        ] {
            assert!(Cli::try_parse_from(argv).is_err(), "{argv:?}");
        }
    }

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64K"), Ok(64 * 1024));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        // The `--max-frame` default written in the help is the library's default.
        assert_eq!(parse_size("1M"), Ok(DEFAULT_MAX_FRAME));
        assert!(parse_size("0").is_err());
        assert!(parse_size("5T").is_err());
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn rejects_out_of_range_port_and_both_families() {
        assert!(Cli::try_parse_from(["netdemo", "tcp", "serve", "-p", "70000"]).is_err());
        assert!(Cli::try_parse_from(["netdemo", "tcp", "serve", "-4", "-6"]).is_err());
    }
}
