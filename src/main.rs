//! The `netdemo` binary: parse the command line, set up error reports and logging, run the
//! command on a tokio runtime, and turn the outcome into one line and an exit status.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use netdemo::cli::{Cli, ColorChoice, Command, UdpCommand};
use netdemo::error::{Exit, usage_line};
use netdemo::output::{ERROR_STYLE, Printer, init_logging, stderr_color};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => err.exit(), // --help, --version
        Err(err) => {
            // The command line did not parse, so --color is unknown: `auto` it is.
            error_line(stderr_color(ColorChoice::Auto), usage_line(&err));
            return Exit::Usage.into();
        }
    };
    // The full report (with -v) is for developers; a missing hook only costs its colours.
    let mut hook = color_eyre::config::HookBuilder::default().display_env_section(false);
    if !stderr_color(cli.output.color) {
        hook = hook.theme(color_eyre::config::Theme::new());
    }
    let _ = hook.install();
    init_logging(&cli.output);

    // `udp serve` is one task by design: a single-threaded runtime spares it cross-thread
    // wake-ups (scripts/bench-tcp's notes record the figures). Everything else runs many
    // connections at once and gets every core.
    let mut builder = match &cli.command {
        Command::Udp(UdpCommand::Serve(_)) => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("Error: cannot start the async runtime: {err}");
            return Exit::Failure.into();
        }
    };
    let printer = match Printer::for_args(&cli.output) {
        Ok(printer) => Arc::new(printer),
        Err(report) => {
            error_line(stderr_color(cli.output.color), format_args!("{report:#}"));
            return Exit::Failure.into();
        }
    };
    let result = runtime.block_on(netdemo::run(cli.command, printer.clone()));
    // Handlers still running after a server's grace period end here, without waiting.
    runtime.shutdown_background();
    match result {
        Ok(()) => Exit::Success.into(),
        Err(report) => {
            error_line(stderr_color(cli.output.color), format_args!("{report:#}"));
            printer.json_error(&format!("{report:#}"));
            if cli.output.verbose > 0 {
                eprintln!("\n{report:?}");
            }
            Exit::Failure.into()
        }
    }
}

/// The one line a failure prints on stderr, `Error:` in red on a colour terminal.
fn error_line(color: bool, message: impl std::fmt::Display) {
    let style = if color {
        ERROR_STYLE
    } else {
        anstyle::Style::new()
    };
    eprintln!("{style}Error:{style:#} {message}");
}
