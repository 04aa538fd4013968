//! tracing, on stderr: logs never mix with the data on stdout. Log lines go through
//! stderr's writer thread like every other line, so logging never blocks a runtime thread.

use std::io::{self, Write};

use tracing_subscriber::EnvFilter;

use super::OutputConfig;

/// Sends tracing events to stderr. `RUST_LOG` wins; otherwise `-q` shows errors only, the
/// default shows warnings, `-v` adds info, `-vv` debug, `-vvv` trace.
pub fn init_logging(cfg: &OutputConfig) {
    let level = match (cfg.quiet, cfg.verbose) {
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
        .with_writer(|| LogLine(Vec::new()))
        .with_ansi(cfg.color_stderr)
        .with_target(false)
        .without_time()
        .init();
}

/// One formatted log event, handed to stderr's writer whole when dropped.
struct LogLine(Vec<u8>);

impl Write for LogLine {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for LogLine {
    fn drop(&mut self) {
        if !self.0.is_empty() {
            super::writer::stdio()
                .1
                .push(|buf| buf.extend_from_slice(&self.0));
        }
    }
}
