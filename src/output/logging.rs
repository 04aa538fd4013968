//! tracing, on stderr: logs never mix with the data on stdout.

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
        .with_writer(std::io::stderr)
        .with_ansi(cfg.color_stderr)
        .with_target(false)
        .without_time()
        .init();
}
