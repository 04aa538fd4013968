//! Typed errors that callers branch on or that need a precise message, and the exit codes.
//!
//! Everything else travels as `eyre::Report` with context added at the subcommand entry
//! points; `main` prints the whole chain on one line.

use std::io;
use std::process::ExitCode;

use thiserror::Error;

/// A message argument that cannot become bytes in the chosen `--encoding`.
#[derive(Debug, Error)]
pub enum EncodingError {
    #[error("cannot encode '{ch}' of '{input}' as {encoding} (try --encoding utf-8 or hex)")]
    Unencodable {
        ch: char,
        input: String,
        encoding: String,
    },
    #[error("'{input}' is not valid hex: {reason} (write byte pairs such as 48690a)")]
    InvalidHex { input: String, reason: String },
    #[error("'{input}' is not valid base64: {reason} (write padded base64 such as SGkK)")]
    InvalidBase64 { input: String, reason: String },
}

/// A command line that parsed but cannot run as asked: a flag where it cannot apply, a
/// number out of range, two flags that contradict. Exits with status 2, as clap's own
/// usage errors do; `main` tells it apart by downcasting.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Exit statuses. Usage errors keep clap's own status 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success,
    /// A runtime failure: the `Error:` line says which.
    Failure,
    /// The command line was wrong; clap's convention.
    Usage,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        match exit {
            Exit::Success => ExitCode::SUCCESS,
            Exit::Failure => ExitCode::from(1),
            Exit::Usage => ExitCode::from(2),
        }
    }
}

/// Writing to stdout failed. Kept apart from socket errors because a closed stdout is no
/// failure (see `is_stdout_closed`), while a socket's broken pipe is.
#[derive(Debug, Error)]
#[error("cannot write to stdout: {0}")]
pub struct StdoutError(#[from] pub io::Error);

/// A clap usage error as one line: clap's message without its `error:` prefix, usage
/// block and help pointer, keeping its "tip" (a similar flag exists...) in parentheses.
pub fn usage_line(err: &clap::Error) -> String {
    let rendered = err.to_string();
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid command line");
    let mut line = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    for tip in lines.filter_map(|l| l.strip_prefix("tip: ")) {
        line.push_str(&format!(" ({tip})"));
    }
    line.push_str(" (see --help)");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_fit_on_one_line() {
        use clap::Parser;
        let err = crate::cli::Cli::try_parse_from(["netdemo", "tcp", "serve", "--prot", "1"])
            .unwrap_err();
        let line = usage_line(&err);
        assert!(!line.contains('\n'), "{line}");
        assert!(line.starts_with("unexpected argument '--prot'"), "{line}");
        assert!(line.contains("--port"), "{line}");
    }

    #[test]
    fn exit_codes_are_distinct() {
        assert_ne!(ExitCode::from(Exit::Failure), ExitCode::from(Exit::Usage));
        assert_eq!(ExitCode::from(Exit::Success), ExitCode::SUCCESS);
    }
}
