//! `Printer`, the only code that writes to stdout or stderr, and the tracing set-up.
//!
//! Peer data (`-->>...` lines, UDP replies) goes to stdout; status lines and the
//! `listening on` line go to stderr. `-q` silences status but never `listening on`, which
//! scripts wait for (PROTOCOL.md, "Contract for scripts and tests").

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

use crate::cli::OutputArgs;
use crate::error::StdoutError;
use crate::protocol::SHOWN_PREFIX;

type Sink = Box<dyn Write + Send>;

/// Writes netdemo's own output. Shared by every task of a command through an `Arc`.
pub struct Printer {
    out: Mutex<Sink>,
    err: Mutex<Sink>,
    /// `-q`: status lines are dropped.
    quiet: bool,
    /// The first failure to write stdout. After it, peer data is no longer written.
    stdout_error: Mutex<Option<io::Error>>,
    /// Cancelled when stdout fails, so a server can stop instead of serving to nobody.
    stdout_gone: CancellationToken,
    /// `-x/--hex-dump`: where dumps of every byte sent and received go.
    dump: Option<Mutex<Sink>>,
}

impl Printer {
    /// A printer on the process's stdout and stderr.
    pub fn stdio(quiet: bool) -> Printer {
        Printer::new(Box::new(io::stdout()), Box::new(io::stderr()), quiet)
    }

    pub fn new(out: Sink, err: Sink, quiet: bool) -> Printer {
        Printer {
            out: Mutex::new(out),
            err: Mutex::new(err),
            quiet,
            stdout_error: Mutex::new(None),
            stdout_gone: CancellationToken::new(),
            dump: None,
        }
    }

    /// The printer for the command line's output options: stdout and stderr, and the hex
    /// dump on stderr (`-x`) or in a file (`--hex-dump=FILE`).
    ///
    /// # Errors
    /// The hex dump file cannot be created.
    pub fn for_args(args: &OutputArgs) -> color_eyre::Result<Printer> {
        let mut printer = Printer::stdio(args.quiet);
        match args.hex_dump.as_deref() {
            None => {}
            Some(path) if path == std::path::Path::new("-") => {
                printer.dump = Some(Mutex::new(Box::new(io::stderr())));
            }
            Some(path) => {
                use color_eyre::eyre::WrapErr;
                let file = std::fs::File::create(path).wrap_err_with(|| {
                    format!("cannot create the hex dump file {}", path.display())
                })?;
                printer.dump = Some(Mutex::new(Box::new(io::LineWriter::new(file))));
            }
        }
        Ok(printer)
    }

    /// Adds a hex dump written to `sink` (tests).
    pub fn with_hex_dump(mut self, sink: Sink) -> Printer {
        self.dump = Some(Mutex::new(sink));
        self
    }

    /// Whether bytes on the wire are to be dumped.
    pub fn is_dumping(&self) -> bool {
        self.dump.is_some()
    }

    /// Writes one hex dump block (see `hexdump::format`), whole.
    pub fn hex_dump(&self, block: &str) {
        if let Some(dump) = &self.dump {
            let mut dump = lock(dump);
            let _ = dump.write_all(block.as_bytes()).and_then(|()| dump.flush());
        }
    }

    /// A printer writing into memory, for tests: returns it with its stdout and stderr.
    pub fn capture() -> (Printer, Captured, Captured) {
        let (out, err) = (Captured::default(), Captured::default());
        let printer = Printer::new(Box::new(out.clone()), Box::new(err.clone()), false);
        (printer, out, err)
    }

    /// `listening on ADDR`, always, even with `-q`.
    pub fn listening(&self, addr: SocketAddr) {
        self.stderr_line(format_args!("listening on {addr}"));
    }

    /// A status line on stderr, unless `-q`.
    pub fn status(&self, line: impl Display) {
        if !self.quiet {
            self.stderr_line(format_args!("{line}"));
        }
    }

    /// A prompt on stderr, without a newline, for an interactive session.
    pub fn prompt(&self, prompt: &str) {
        let mut err = lock(&self.err);
        let _ = write!(err, "{prompt}").and_then(|()| err.flush());
    }

    /// What the peer sent, as the tutorial shows it: `-->>TEXT` on stdout.
    pub fn shown(&self, text: &str) {
        self.stdout_line(format_args!("{SHOWN_PREFIX}{text}"));
    }

    /// A line of peer data on stdout, without a prefix.
    pub fn data(&self, text: &str) {
        self.stdout_line(format_args!("{text}"));
    }

    /// Bytes written to stdout as they are (completion scripts).
    pub fn raw(&self, bytes: &[u8]) {
        let mut out = lock(&self.out);
        let result = out.write_all(bytes).and_then(|()| out.flush());
        drop(out);
        self.check(result);
    }

    /// Resolves once stdout can no longer be written.
    pub async fn stdout_gone(&self) {
        self.stdout_gone.cancelled().await;
    }

    /// True once stdout could not be written.
    pub fn is_stdout_gone(&self) -> bool {
        self.stdout_gone.is_cancelled()
    }

    /// Reports a stdout failure, if any. A closed pipe (`netdemo ... | head`) is not one:
    /// the reader left on purpose.
    ///
    /// # Errors
    /// The first error writing stdout, unless it was a broken pipe.
    pub fn finish(&self) -> Result<(), StdoutError> {
        match lock(&self.stdout_error).take() {
            Some(err) if err.kind() != io::ErrorKind::BrokenPipe => Err(StdoutError(err)),
            _ => Ok(()),
        }
    }

    fn stdout_line(&self, line: std::fmt::Arguments<'_>) {
        if self.stdout_gone.is_cancelled() {
            return;
        }
        let mut out = lock(&self.out);
        // One write per line keeps lines from concurrent connections whole; flushing each
        // line keeps a reader of a pipe (a test, `tee`) in step with the conversation.
        let result = writeln!(out, "{line}").and_then(|()| out.flush());
        drop(out);
        self.check(result);
    }

    fn stderr_line(&self, line: std::fmt::Arguments<'_>) {
        let mut err = lock(&self.err);
        // Nothing useful can be done when stderr itself fails.
        let _ = writeln!(err, "{line}").and_then(|()| err.flush());
    }

    fn check(&self, result: io::Result<()>) {
        if let Err(err) = result {
            let mut slot = lock(&self.stdout_error);
            if slot.is_none() {
                *slot = Some(err);
            }
            self.stdout_gone.cancel();
        }
    }
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

/// Whether stderr gets colour: only on a terminal, and never when `NO_COLOR` is set.
pub fn stderr_color() -> bool {
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Sends tracing events to stderr. `RUST_LOG` wins; otherwise `-q` shows errors only, the
/// default shows warnings, `-v` adds info, `-vv` debug, `-vvv` trace.
pub fn init_logging(args: &OutputArgs) {
    let level = match (args.quiet, args.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("warn,netdemo={level}")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(stderr_color())
        .with_target(false)
        .without_time()
        .init();
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn data_goes_to_stdout_and_status_to_stderr() {
        let (printer, out, err) = Printer::capture();
        printer.shown("hi");
        printer.data("Hello, x");
        printer.status("Accept new connection from 127.0.0.1:1...");
        printer.listening("127.0.0.1:9".parse().unwrap());
        assert_eq!(out.text(), "-->>hi\nHello, x\n");
        assert_eq!(
            err.text(),
            "Accept new connection from 127.0.0.1:1...\nlistening on 127.0.0.1:9\n"
        );
    }

    #[test]
    fn quiet_keeps_the_listening_line() {
        let err = Captured::default();
        let printer = Printer::new(Box::new(io::sink()), Box::new(err.clone()), true);
        printer.status("noise");
        printer.listening("[::1]:7".parse().unwrap());
        assert_eq!(err.text(), "listening on [::1]:7\n");
    }

    #[test]
    fn a_closed_stdout_stops_output_without_an_error() {
        let printer = Printer::new(Box::new(Closed), Box::new(io::sink()), false);
        printer.shown("lost");
        assert!(printer.stdout_gone.is_cancelled());
        assert!(printer.finish().is_ok());
    }
}
