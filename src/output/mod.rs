//! `Printer`, the only code that writes to stdout or stderr.
//!
//! Peer data (`-->>...` lines, UDP replies) goes to stdout; status lines and the
//! `listening on` line go to stderr. `-q` silences status but never `listening on`, which
//! scripts wait for (PROTOCOL.md, "Contract for scripts and tests").
//!
//! How data is shown (the display encoding, a `-->>` tag or raw bytes) is the printer's
//! setting, chosen once for the program that runs ([`Display`]); the programs only say
//! what happened ([`Event`]). `json.rs` renders events as JSON, `human.rs` as text,
//! `report.rs` the load report, `progress.rs` the live line of a load run, and
//! `logging.rs` sets up tracing.
//!
//! Nothing here blocks on a stream: lines go to the writer threads of `writer.rs`, and a
//! task that prints a line per message waits for [`Printer::room`] before it reads the
//! next, so a reader that stalls holds back only the connections that print.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::encoding::Encoding;
use crate::error::OutputError;
use crate::event::{Close, Event, Peer, Rates};
use crate::explain::{self, Lang, Role, Step};
use crate::protocol::{self, SHOWN_PREFIX};
use schema::EventJson;

pub mod capture;
mod failure;
pub mod html;
mod human;
mod json;
mod logging;
mod progress;
mod report;
pub mod schema;
mod search;
mod svg;
mod throughput;
mod writer;

pub use failure::{error_line, fail};
pub use logging::init_logging;

use writer::{Channel, Unwritten};

/// The output options, resolved: what `-q`, `-v`, `--json`, `-x`, `--explain` and
/// `--color` came to for this process.
#[derive(Debug, Clone, Default)]
pub struct OutputConfig {
    pub quiet: bool,
    pub verbose: u8,
    pub json: bool,
    /// `-x`: `Some("-")` dumps to stderr, another path to that file.
    pub hex_dump: Option<std::path::PathBuf>,
    /// `--pcap`: the capture file.
    pub pcap: Option<std::path::PathBuf>,
    /// `--pcap-secrets`: the TLS secrets the capture carries, gathered as they are made.
    pub pcap_secrets: Option<Arc<crate::pcapng::KeyLines>>,
    pub explain: Option<Lang>,
    /// Colour peer data on stdout, and status lines on stderr.
    pub color_stdout: bool,
    pub color_stderr: bool,
}

/// How the data of [`Event::Data`] is shown, chosen for the program that runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Look {
    /// `-->>TEXT` lines of messages a server received (JSON `message`).
    #[default]
    Messages,
    /// `-->>TEXT` lines of replies a TCP client received (JSON `reply`).
    Replies,
    /// `TEXT` lines of replies a UDP client received, as the tutorial prints them (JSON
    /// `reply`).
    Answers,
    /// netcat: the bytes as they are (JSON `message`).
    Stream,
    /// netcat over UDP with line framing: each datagram as a line (JSON `message`).
    Lines,
}

/// The printer's data settings: how bytes become text, and how they are laid out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Display {
    pub encoding: Encoding,
    pub look: Look,
}

/// Writes netdemo's own output. Shared by every task of a command through an `Arc`.
pub struct Printer {
    /// stdout and stderr; one channel when they are the same file. A failure to write
    /// stdout stops peer data, and lets a server stop instead of serving to nobody.
    out: Arc<Channel>,
    err: Arc<Channel>,
    /// `-q`: status lines are dropped.
    quiet: bool,
    /// `-x/--hex-dump`: where dumps of every byte sent and received go. A failure to write
    /// it fails the command at the end.
    dump: Option<Arc<Channel>>,
    /// The dump's failure has been logged.
    dump_failure_told: AtomicBool,
    /// `--pcap`: the capture being written.
    capture: Option<Arc<capture::Capture>>,
    /// Once a server stops: the instant by which output must be written, whatever its
    /// reader does (see [`Printer::finish`]).
    deadline: Mutex<Option<Instant>>,
    /// `--json`: events as JSON lines on stdout instead of human text.
    json: bool,
    /// `--color`, resolved for each stream: how peer data's `-->>` looks on stdout, and
    /// our own status lines on stderr (plain without colour).
    peer_style: anstyle::Style,
    status_style: anstyle::Style,
    /// `--explain`: narrate socket steps on stderr, in this language.
    explain: Option<Lang>,
    /// How data is shown.
    display: Display,
}

/// Peer data's `-->>` prefix, so what the peer sent stands out from what netdemo says.
const PEER_STYLE: anstyle::Style = anstyle::AnsiColor::Green.on_default();
/// Status lines (accept, received, listening): ours, and less important than the data.
const STATUS_STYLE: anstyle::Style = anstyle::Style::new().dimmed();
/// The `Error:` of the final error line.
pub const ERROR_STYLE: anstyle::Style = anstyle::AnsiColor::Red.on_default().bold();

/// How long the last lines (the stop's own, the final error line) get once a stopping
/// server's deadline has passed.
const LAST_WORDS: Duration = Duration::from_millis(200);

impl Printer {
    /// A printer on the process's stdout and stderr, through their writer threads.
    fn stdio(quiet: bool) -> Printer {
        let (out, err) = writer::stdio();
        Printer::new(out.clone(), err.clone(), quiet)
    }

    fn new(out: Arc<Channel>, err: Arc<Channel>, quiet: bool) -> Printer {
        Printer {
            out,
            err,
            quiet,
            dump: None,
            dump_failure_told: AtomicBool::new(false),
            capture: None,
            deadline: Mutex::new(None),
            json: false,
            peer_style: anstyle::Style::new(),
            status_style: anstyle::Style::new(),
            explain: None,
            display: Display::default(),
        }
    }

    /// Sets how data is shown.
    pub fn with_display(mut self, display: Display) -> Printer {
        self.display = display;
        self
    }

    /// The display encoding.
    pub fn encoding(&self) -> Encoding {
        self.display.encoding
    }

    /// Resolves once the output has room for more lines: a task that prints a line per
    /// message waits here before it reads the next, so a stalled reader holds back only
    /// the tasks that print, never a runtime thread. Immediate when there is room.
    pub async fn room(&self) {
        if self.has_room() {
            return;
        }
        self.out.room().await;
        self.err.room().await;
        if let Some(dump) = &self.dump {
            dump.room().await;
        }
        if let Some(capture) = &self.capture {
            capture.channel.room().await;
        }
    }

    /// Whether [`Printer::room`] would resolve at once.
    pub fn has_room(&self) -> bool {
        self.out.has_room()
            && self.err.has_room()
            && self.dump.as_ref().is_none_or(|dump| dump.has_room())
            && self
                .capture
                .as_ref()
                .is_none_or(|capture| capture.channel.has_room())
    }

    /// A server is stopping: what it printed must be written within `grace` from now, or
    /// be counted as lost (see [`Printer::finish`]). The first call sets the deadline.
    pub fn stop_within(&self, grace: Duration) {
        lock(&self.deadline).get_or_insert_with(|| Instant::now() + grace);
    }

    /// Switches to JSON lines (`--json`).
    fn with_json(mut self, json: bool) -> Printer {
        self.json = json;
        self
    }

    /// Shows one event: as human text, or as a JSON object on one line of stdout.
    pub fn event(&self, event: Event<'_>) {
        // Closes and errors are logged in both styles: the log is for people watching
        // stderr, the JSON for programs reading stdout.
        match event {
            // A limit acting is worth a warning; an ordinary close is not.
            Event::Close {
                peer,
                close: close @ Close::Idle,
            } => tracing::warn!(%peer, reason = close.reason(), "closing connection"),
            Event::Close { peer, close } => {
                tracing::info!(%peer, reason = close.reason(), "connection closed");
            }
            Event::Error { peer, error } => tracing::warn!(%peer, %error, "closing connection"),
            Event::Relay { peer, target } => {
                tracing::info!(%peer, %target, "relaying");
            }
            Event::Tls { peer, info } => tracing::info!(
                %peer,
                version = info.version,
                cipher = info.cipher,
                alpn = info.alpn.as_deref().unwrap_or("none"),
                sni = info.sni.as_deref().unwrap_or("none"),
                peer_certificate = info.peer_subject.as_deref().unwrap_or("none"),
                fingerprint = info.peer_fingerprint.as_deref().unwrap_or("none"),
                handshake_ms = format!("{:.2}", info.took.as_secs_f64() * 1000.0),
                handshake = if info.resumed { "resumed" } else { "full" },
                "TLS established"
            ),
            _ => {}
        }
        if self.json {
            if self.out.is_null() {
                return;
            }
            self.json_value(&json::event(&event, self.display));
            return;
        }
        match event {
            // Built only when shown: `udp serve -q` meets one of these per datagram.
            Event::Accept { peer, .. } if self.shows_status() => {
                self.status(protocol::accept_line(peer));
            }
            Event::Datagram { peer } if self.shows_status() => {
                self.status(protocol::received_line(peer.into()));
            }
            Event::Accept { .. } | Event::Datagram { .. } => {}
            Event::Data { data, .. } => self.data(data),
            Event::Open { addr, took } => self.stdout_line(format_args!(
                "{addr} open (connected in {:.2} ms)",
                took.as_secs_f64() * 1000.0
            )),
            Event::Closed { addr, reason } => self.status(format_args!("{addr} closed ({reason})")),
            Event::Pong { peer, seq, took } => self.stdout_line(format_args!(
                "pong from {peer}: seq={seq} time={:.3} ms",
                took.as_secs_f64() * 1000.0
            )),
            Event::Shutdown => self.status("shutting down"),
            Event::Close { .. }
            | Event::Error { .. }
            | Event::Tls { .. }
            | Event::Relay { .. }
            | Event::Relayed { .. } => {}
        }
    }

    /// Peer data on stdout, as the display settings say.
    fn data(&self, data: &[u8]) {
        // Shown as text it would cost a pass over every byte, for nothing: a discard server
        // with stdout on /dev/null went from 2.3 to 31 Gbit/s (tcp connect --mode send).
        if self.out.is_null() {
            return;
        }
        let encoding = self.display.encoding;
        match self.display.look {
            Look::Messages | Look::Replies => {
                let style = self.peer_style;
                self.stdout_line(format_args!(
                    "{style}{SHOWN_PREFIX}{style:#}{}",
                    encoding.show(data)
                ));
            }
            Look::Answers => self.stdout_line(format_args!("{}", encoding.show(data))),
            Look::Stream => self.raw(data),
            Look::Lines => {
                self.out.push(|buf| {
                    buf.extend_from_slice(data);
                    buf.push(b'\n');
                });
            }
        }
    }

    /// The final error of a command, in JSON mode (the `Error:` line goes to stderr in
    /// both modes).
    pub fn json_error(&self, error: &str) {
        if self.json {
            let event = EventJson::Error {
                peer: None,
                error: error.to_owned(),
            };
            self.json_value(&event);
        }
    }

    /// The printer for the command line's output options: stdout and stderr, and the hex
    /// dump on stderr (`-x`) or in a file (`--hex-dump=FILE`).
    ///
    /// # Errors
    /// The hex dump file cannot be created.
    pub fn for_config(cfg: &OutputConfig) -> color_eyre::Result<Printer> {
        let mut printer = Printer::stdio(cfg.quiet).with_json(cfg.json);
        printer.configure(cfg);
        match cfg.hex_dump.as_deref() {
            None => {}
            Some(path) if path == std::path::Path::new("-") => {
                printer.dump = Some(printer.err.clone());
            }
            Some(path) => {
                use color_eyre::eyre::WrapErr;
                let file = std::fs::File::create(path).wrap_err_with(|| {
                    format!(
                        "cannot create the hex dump file {}",
                        crate::encoding::shown_path(path)
                    )
                })?;
                printer.dump = Some(Channel::spawn(Box::new(file), "netdemo-dump"));
            }
        }
        if let Some(path) = cfg.pcap.as_deref() {
            use color_eyre::eyre::WrapErr;
            let capture =
                capture::Capture::create(path, cfg.pcap_secrets.clone()).wrap_err_with(|| {
                    format!(
                        "cannot create the capture file {} (--pcap)",
                        crate::encoding::shown_path(path)
                    )
                })?;
            printer.capture = Some(Arc::new(capture));
        }
        Ok(printer)
    }

    /// Applies the settings that do not open anything: narration and colour.
    fn configure(&mut self, cfg: &OutputConfig) {
        self.explain = cfg.explain;
        if cfg.color_stdout {
            self.peer_style = PEER_STYLE;
        }
        if cfg.color_stderr {
            self.status_style = STATUS_STYLE;
        }
    }

    /// Narrates one socket step (`--explain`), whatever `-q` says: it was asked for.
    pub fn explain(&self, role: Role, step: Step<'_>) {
        if let Some(lang) = self.explain {
            self.stderr_line(format_args!("{}", explain::line(role, &step, lang)));
        }
    }

    /// [`Printer::explain`] for one role, as a callback for code that narrates without a
    /// printer of its own (`net::connect_tcp`).
    pub fn narrator(&self, role: Role) -> impl Fn(Step<'_>) + Sync + '_ {
        move |step| self.explain(role, step)
    }

    /// Narrates the close of a connection (`--explain`): why it ended, or what failed.
    pub fn explain_close(
        &self,
        role: Role,
        peer: Peer,
        ended: Result<Close, &impl std::fmt::Display>,
    ) {
        let Some(lang) = self.explain else {
            return;
        };
        let why = match ended {
            Ok(close) => std::borrow::Cow::Borrowed(explain::close_why(close, lang)),
            Err(error) => std::borrow::Cow::Owned(format!("{error:#}")),
        };
        self.explain(role, Step::Close { peer, why: &why });
    }

    /// Whether `--explain` is on.
    pub fn is_explaining(&self) -> bool {
        self.explain.is_some()
    }

    /// `--pcap`: the capture being written, if any.
    pub fn pcap(&self) -> Option<Arc<capture::Capture>> {
        self.capture.clone()
    }

    /// Whether bytes on the wire are to be dumped.
    pub fn is_dumping(&self) -> bool {
        self.dump.is_some()
    }

    /// Writes one hex dump block (see `hexdump::format`), whole.
    pub fn hex_dump(&self, block: &str) {
        if let Some(dump) = &self.dump
            && !dump.push(|buf| buf.extend_from_slice(block.as_bytes()))
            && dump.has_failed()
            && !self.dump_failure_told.swap(true, Ordering::Relaxed)
        {
            tracing::error!("cannot write the hex dump: it is incomplete");
        }
    }

    /// A printer writing into memory, for tests: returns it with its stdout and stderr.
    pub fn capture() -> (Printer, Captured, Captured) {
        let (out, err) = (Captured::default(), Captured::default());
        let printer = Printer::new(
            Channel::direct(Box::new(out.clone())),
            Channel::direct(Box::new(err.clone())),
            false,
        );
        (printer, out, err)
    }

    /// `listening on ADDR` on stderr, always, even with `-q`; with `--json` also a
    /// `listening` event on stdout.
    pub fn listening(&self, addr: impl Into<Peer>) {
        self.listening_tls(addr.into(), None, None);
    }

    /// The `listening on` line of a TLS server, after the line that gives its certificate's
    /// fingerprint (`tls certificate sha256:...`), which clients need to pin it; `-q` does
    /// not hide it. JSON's `listening` event carries it as `tls_fingerprint`, and the
    /// threads the server's connections run on as `threads`.
    pub fn listening_tls(&self, addr: Peer, fingerprint: Option<&str>, threads: Option<usize>) {
        if let Some(fingerprint) = fingerprint {
            self.stderr_line(format_args!("tls certificate {fingerprint}"));
        }
        self.stderr_line(format_args!("listening on {addr}"));
        if self.json {
            let event = EventJson::Listening {
                addr: addr.to_string(),
                tls_fingerprint: fingerprint.map(str::to_owned),
                threads,
            };
            self.json_value(&event);
        }
    }

    /// A relay's faults in force, each direction described (empty: none): a line on stderr
    /// that `-q` does not hide, since every figure measured through the relay depends on
    /// it, and a `faults` event with `--json`. At start `proxy` is none; after a change it
    /// names the relay that changed.
    pub fn faults(&self, proxy: Option<&str>, up: &str, down: &str) {
        let shown = |faults: &str| {
            if faults.is_empty() {
                "none".to_owned()
            } else {
                faults.to_owned()
            }
        };
        let whose = proxy.map_or(String::new(), |name| format!(" of {name}"));
        if up.is_empty() && down.is_empty() {
            self.stderr_line(format_args!(
                "faults{whose}: none, bytes go straight through"
            ));
        } else {
            self.stderr_line(format_args!(
                "faults{whose} up (client to target): {}; down (target to client): {}",
                shown(up),
                shown(down)
            ));
        }
        if self.json {
            self.json_value(&EventJson::Faults {
                proxy: proxy.map(str::to_owned),
                up: up.to_owned(),
                down: down.to_owned(),
            });
        }
    }

    /// A relay made, disabled or removed through the API: a line on stderr, and a `proxy`
    /// event with `--json`.
    pub fn proxy(&self, name: &str, listen: &str, upstream: &str, state: &str) {
        match state {
            "started" => {
                self.stderr_line(format_args!("proxy {name} relays {listen} to {upstream}"))
            }
            _ => self.stderr_line(format_args!(
                "proxy {name} ({listen} to {upstream}) {state}"
            )),
        }
        if self.json {
            self.json_value(&EventJson::Proxy {
                name: name.to_owned(),
                listen: listen.to_owned(),
                upstream: upstream.to_owned(),
                state: state.to_owned(),
            });
        }
    }

    /// Where a relay's API is served (`--api`): a line on stderr that `-q` does not hide,
    /// an `api` event with `--json`, and a warning when other machines can reach it.
    pub fn api_on(&self, addr: std::net::SocketAddr, toxiproxy: &str) {
        self.stderr_line(format_args!(
            "api on http://{addr} (toxiproxy {toxiproxy} compatible)"
        ));
        if self.json {
            self.json_value(&EventJson::Api {
                addr: addr.to_string(),
                toxiproxy: toxiproxy.to_owned(),
            });
        }
        if !addr.ip().to_canonical().is_loopback() {
            self.notice(format!(
                "the relay's API is reachable from other machines on {addr}, with no \
                 password: anyone there can add faults or relays; give --api \
                 127.0.0.1:PORT to keep it on this machine"
            ));
        }
    }

    /// Where `/metrics` is served (`--metrics`): a line on stderr that `-q` does not hide,
    /// like `listening on`, and a `metrics` event with `--json`; a warning when other
    /// machines can scrape it.
    pub fn metrics_on(&self, addr: std::net::SocketAddr) {
        self.stderr_line(format_args!("metrics on http://{addr}/metrics"));
        if self.json {
            self.json_value(&EventJson::Metrics {
                addr: addr.to_string(),
            });
        }
        if !addr.ip().to_canonical().is_loopback() {
            self.notice(format!(
                "/metrics is reachable from other machines on {addr}: give --metrics \
                 127.0.0.1:PORT to keep it on this machine"
            ));
        }
    }

    /// A warning on stderr that `-q` does not silence: a risk the user must know of.
    pub fn notice(&self, line: impl std::fmt::Display) {
        self.stderr_line(format_args!("warning: {line}"));
    }

    /// A status line on stderr, unless `-q` or `--json`, for programs that report as they
    /// go (a throughput run's seconds).
    pub fn status_line(&self, line: impl std::fmt::Display) {
        self.status(line);
    }

    /// A status line on stderr, unless `-q` or `--json`.
    fn status(&self, line: impl std::fmt::Display) {
        if self.shows_status() {
            let style = self.status_style;
            self.stderr_line(format_args!("{style}{line}{style:#}"));
        }
    }

    fn shows_status(&self) -> bool {
        !self.quiet && !self.json
    }

    /// A prompt on stderr, without a newline, for an interactive session.
    pub fn prompt(&self, prompt: &str) {
        self.err
            .push(|buf| buf.extend_from_slice(prompt.as_bytes()));
    }

    /// A server's `--stats` line: on stderr even with `-q` (they were asked for), or as a
    /// `stats` event with `--json`.
    pub fn stats(&self, rates: &Rates) {
        if self.json {
            self.json_value(&json::rates(rates));
        } else {
            self.stderr_line(format_args!("{}", human::rates(rates)));
        }
    }

    /// Lines of text on stdout (a load summary).
    fn text(&self, text: &str) {
        self.stdout_line(format_args!("{text}"));
    }

    /// One JSON value on one line of stdout.
    fn json_value(&self, value: &impl serde::Serialize) {
        self.out.push(|buf| {
            // The schema's types have plain fields and string keys: they always serialize.
            let _ = serde_json::to_writer(&mut *buf, value);
            buf.push(b'\n');
        });
    }

    /// Whether `--json` is on.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Bytes written to stdout as they are (completion scripts, netcat's stream).
    pub fn raw(&self, bytes: &[u8]) {
        self.out.push(|buf| buf.extend_from_slice(bytes));
    }

    /// Resolves once stdout can no longer be written.
    pub async fn stdout_gone(&self) {
        self.out.failed().await;
    }

    /// True once stdout could not be written.
    pub fn is_stdout_gone(&self) -> bool {
        self.out.has_failed()
    }

    /// Waits until everything printed is written: for ever, unless a server stopping set
    /// a deadline ([`Printer::stop_within`]). Then reports what went wrong: a failure to
    /// write stdout or the dump, or lines never written because nobody read them in time.
    /// A closed pipe (`netdemo ... | head`) is not a failure: the reader left on purpose.
    /// stderr's own failures are not reported: there is nowhere left to report them.
    ///
    /// # Errors
    /// The first error writing stdout (not a broken pipe) or the dump; lines not written.
    /// Lines dropped so far on stdout and stderr, their readers having stalled.
    pub fn dropped_lines(&self) -> u64 {
        let out = self.out.dropped_lines();
        if Arc::ptr_eq(&self.out, &self.err) {
            out
        } else {
            out + self.err.dropped_lines()
        }
    }

    pub fn finish(&self) -> Result<(), OutputError> {
        let deadline = self.deadline();
        let out = self.out.wait_written(deadline);
        let err = if Arc::ptr_eq(&self.out, &self.err) {
            Unwritten::default()
        } else {
            self.err.wait_written(deadline)
        };
        // A dump on stderr (`-x -`) is stderr's channel: counted once, as stderr.
        if let Some(dump) = self.dump.as_ref().filter(|d| !Arc::ptr_eq(d, &self.err)) {
            let left = dump.wait_written(deadline);
            if let Some(err) = dump.take_error() {
                return Err(OutputError::Dump(err));
            }
            unwritten("the hex dump", left)?;
        }
        if let Some(capture) = &self.capture {
            let left = capture.channel.wait_written(deadline);
            if let Some(err) = capture.channel.take_error() {
                return Err(OutputError::Capture(err));
            }
            unwritten("the capture", left)?;
            capture.add_secrets().map_err(OutputError::CaptureSecrets)?;
        }
        if let Some(err) = self.out.take_error()
            && err.kind() != io::ErrorKind::BrokenPipe
        {
            return Err(OutputError::Stdout(err));
        }
        unwritten("stdout", out)?;
        unwritten("stderr", err)
    }

    /// Writes the final error line on stderr and waits for it: for ever, or briefly after
    /// a server's deadline.
    pub fn last_words(&self, line: impl std::fmt::Display) {
        self.stderr_line(format_args!("{line}"));
        let deadline = self.deadline();
        self.out.wait_written(deadline);
        self.err.wait_written(deadline);
    }

    /// How long output may still take: for ever, or until a stopping server's deadline,
    /// but never less than [`LAST_WORDS`] from now (the lines of the stop itself).
    fn deadline(&self) -> Option<Instant> {
        lock(&self.deadline).map(|d| d.max(Instant::now() + LAST_WORDS))
    }

    fn stdout_line(&self, line: std::fmt::Arguments<'_>) {
        // One push per line keeps lines from concurrent connections whole.
        self.out.push(|buf| {
            let _ = writeln!(buf, "{line}");
        });
    }

    fn stderr_line(&self, line: std::fmt::Arguments<'_>) {
        self.err.push(|buf| {
            let _ = writeln!(buf, "{line}");
        });
    }
}

/// Lines that were never written, as an error.
fn unwritten(stream: &'static str, left: Unwritten) -> Result<(), OutputError> {
    if left.is_empty() {
        return Ok(());
    }
    Err(OutputError::Unwritten {
        stream,
        lines: left.lines,
        bytes: left.bytes,
    })
}

/// A panic elsewhere while holding the lock leaves the sink usable; keep printing.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An in-memory output stream for tests.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&lock(&self.0)).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        lock(&self.0).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use writer::Closed;

    fn peer() -> Peer {
        Peer::from("127.0.0.1:1".parse::<SocketAddr>().unwrap())
    }

    fn message(data: &[u8]) -> Event<'_> {
        Event::received(peer(), data)
    }

    #[test]
    fn data_goes_to_stdout_and_status_to_stderr() {
        let (printer, out, err) = Printer::capture();
        printer.event(message(b"hi"));
        printer.event(Event::Accept {
            peer: peer(),
            process: None,
        });
        printer.listening("127.0.0.1:9".parse::<SocketAddr>().unwrap());
        assert_eq!(out.text(), "-->>hi\n");
        assert_eq!(
            err.text(),
            "Accept new connection from 127.0.0.1:1...\nlistening on 127.0.0.1:9\n"
        );
    }

    #[test]
    fn quiet_keeps_the_listening_line() {
        let err = Captured::default();
        let printer = Printer::new(
            Channel::direct(Box::new(io::sink())),
            Channel::direct(Box::new(err.clone())),
            true,
        );
        printer.status("noise");
        printer.listening("[::1]:7".parse::<SocketAddr>().unwrap());
        assert_eq!(err.text(), "listening on [::1]:7\n");
    }

    #[test]
    fn json_lines_carry_the_event_and_undecodable_data_as_base64() {
        let (printer, out, err) = Printer::capture();
        let printer = printer.with_json(true);
        printer.listening("127.0.0.1:9".parse::<SocketAddr>().unwrap());
        printer.event(Event::Accept {
            peer: peer(),
            process: None,
        });
        printer.event(message(b"hi\n"));
        printer.event(message(b"\xffok"));
        printer.event(Event::Close {
            peer: peer(),
            close: Close::Exit,
        });
        let lines: Vec<serde_json::Value> = out
            .text()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            lines[0],
            serde_json::json!({"event": "listening", "addr": "127.0.0.1:9"})
        );
        assert_eq!(
            lines[1],
            serde_json::json!({"event": "accept", "peer": "127.0.0.1:1"})
        );
        assert_eq!(
            lines[2],
            serde_json::json!({"event": "message", "peer": "127.0.0.1:1", "bytes": 3, "data": "hi\n"})
        );
        assert_eq!(lines[3]["data"], "\\xffok");
        assert_eq!(lines[3]["data_b64"], "/29r");
        assert_eq!(lines[4]["event"], "close");
        // No human status lines in JSON mode; the listening line stays for scripts.
        assert_eq!(err.text(), "listening on 127.0.0.1:9\n");
    }

    #[test]
    fn a_closed_stdout_stops_output_without_an_error() {
        let printer = Printer::new(
            Channel::direct(Box::new(Closed)),
            Channel::direct(Box::new(io::sink())),
            false,
        );
        printer.event(message(b"lost"));
        assert!(printer.is_stdout_gone());
        assert!(printer.finish().is_ok());
    }
}
