//! How a run that failed ends: one line on stderr (and a JSON `error` event), the full
//! report with `-v`, and the exit status that says what kind of failure it was.

use std::process::ExitCode;

use crate::error::{Exit, Interrupted, UsageError};

use super::{ERROR_STYLE, OutputConfig, Printer};

/// Reports `report`: exit 2 for a usage error, 128 + the signal for an interrupted run
/// (its partial report is already out), 1 for anything else.
pub fn fail(report: &color_eyre::Report, printer: &Printer, output: &OutputConfig) -> ExitCode {
    if let Some(Interrupted(signal)) = report.downcast_ref::<Interrupted>() {
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
pub fn error_line(color: bool, message: impl std::fmt::Display) -> String {
    let style = if color {
        ERROR_STYLE
    } else {
        anstyle::Style::new()
    };
    format!("{style}Error:{style:#} {message}")
}
