//! The `netdemo` binary: parse the command line, set up error reports and logging, plan
//! the program (`config`), run it on the runtime the plan asks for, and turn the outcome
//! into one line and an exit status.

use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, Parser};
use netdemo::cli::{Cli, ColorChoice};
use netdemo::config::{self, Planned};
use netdemo::error::{Exit, usage_line};
use netdemo::output::{Printer, error_line, fail, init_logging};

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
            let color = config::stderr_color(ColorChoice::Auto);
            eprintln!("{}", error_line(color, line));
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
            let line = error_line(output.color_stderr, format_args!("{report:#}"));
            eprintln!("{line}");
            return Exit::Failure.into();
        }
    };
    // Planned once, before any runtime: the plan says which runtime it needs.
    let planned = config::plan(cli.command, &output);
    let Planned {
        plan,
        display,
        runtime,
    } = match planned {
        Ok(planned) => planned,
        Err(report) => return fail(&report, &printer, &output),
    };
    let runtime = match runtime.build() {
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
