//! The `netdemo` binary: parse the command line, set up error reports and logging, plan
//! the program (`config`), run it on a tokio runtime, and turn the outcome into one line
//! and an exit status.

use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, Parser};
use netdemo::cli::{Cli, ColorChoice};
use netdemo::config::{self, Planned, Runtime};
use netdemo::error::{Exit, Interrupted, UsageError, usage_line};
use netdemo::output::{ERROR_STYLE, OutputConfig, Printer, init_logging};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => err.exit(), // --help, --version
        Err(err) => {
            // The command line did not parse, so --color is unknown: `auto` it is.
            // `args()` panics on an argument that is not UTF-8; the words looked for here
            // (subcommand names) are ASCII, so a lossy copy finds them all the same.
            let argv: Vec<String> = std::env::args_os()
                .map(|arg| arg.to_string_lossy().into_owned())
                .collect();
            let line = usage_line(&err, &Cli::command(), &argv);
            eprintln!(
                "{}",
                error_line(config::stderr_color(ColorChoice::Auto), line)
            );
            return Exit::Usage.into();
        }
    };
    let output = config::output(&cli.output);
    // The full report (with -v) is for developers; a missing hook only costs its colours.
    let mut hook = color_eyre::config::HookBuilder::default().display_env_section(false);
    if !output.color_stderr {
        hook = hook.theme(color_eyre::config::Theme::new());
    }
    let _ = hook.install();
    init_logging(&output);

    let printer = match Printer::for_config(&output) {
        Ok(printer) => printer,
        Err(report) => {
            eprintln!(
                "{}",
                error_line(output.color_stderr, format_args!("{report:#}"))
            );
            return Exit::Failure.into();
        }
    };
    // Planned once, before any runtime: the plan says which runtime it needs.
    let Planned {
        plan,
        display,
        runtime,
    } = match config::plan(cli.command, &output) {
        Ok(planned) => planned,
        Err(report) => return fail(&report, &printer, &output),
    };
    let runtime = match build_runtime(runtime) {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("Error: cannot start the async runtime: {err}");
            return Exit::Failure.into();
        }
    };
    let printer = Arc::new(printer.with_display(display));
    let result = runtime.block_on(netdemo::run(plan, printer.clone()));
    // Handlers still running after a server's grace period end here, without waiting.
    runtime.shutdown_background();
    let code = match &result {
        Ok(()) => Exit::Success.into(),
        Err(report) => fail(report, &printer, &output),
    };
    // What was printed is written before the process ends, within a stopping server's
    // grace period; what could not be is the failure, if nothing else failed first.
    match printer.finish() {
        Err(err) if result.is_ok() => {
            printer.json_error(&err.to_string());
            printer.last_words(error_line(output.color_stderr, err));
            Exit::Failure.into()
        }
        _ => code,
    }
}

/// The runtime a program asked for. `udp serve` is one task by design, and a stream
/// server's accept loop is one too (its connections run on threads of their own): a
/// single-threaded runtime spares them cross-thread wake-ups (scripts/bench-tcp's notes
/// record the figures). A TCP load run leaves half the cores to the server it loads.
/// Everything else runs many connections at once and gets every core.
fn build_runtime(runtime: Runtime) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = match runtime {
        Runtime::OneThread => tokio::runtime::Builder::new_current_thread(),
        Runtime::Threads(threads) => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            if let Some(threads) = threads {
                builder.worker_threads(threads);
            }
            builder
        }
    };
    builder.enable_all().build()
}

/// Reports a failure: one line on stderr (and a JSON `error` event), the full report with
/// `-v`; exit 2 for a usage error, 1 for anything else.
fn fail(report: &color_eyre::Report, printer: &Printer, output: &OutputConfig) -> ExitCode {
    if let Some(Interrupted(signal)) = report.downcast_ref::<Interrupted>() {
        // Asked for: the partial report is out; the status says which signal it was.
        tracing::warn!("{report}");
        return ExitCode::from((128 + signal) as u8);
    }
    printer.json_error(&format!("{report:#}"));
    printer.last_words(error_line(output.color_stderr, format_args!("{report:#}")));
    if output.verbose > 0 {
        printer.last_words(format_args!("\n{report:?}"));
    }
    if report.downcast_ref::<UsageError>().is_some() {
        Exit::Usage.into()
    } else {
        Exit::Failure.into()
    }
}

/// The one line a failure prints on stderr, `Error:` in red on a colour terminal.
fn error_line(color: bool, message: impl std::fmt::Display) -> String {
    let style = if color {
        ERROR_STYLE
    } else {
        anstyle::Style::new()
    };
    format!("{style}Error:{style:#} {message}")
}
