//! Typed errors that callers branch on or that need a precise message, and the exit codes.
//!
//! Everything else travels as `eyre::Report` with context added at the subcommand entry
//! points; `main` prints the whole chain on one line.

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

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

/// Failures to find, bind or reach an address, worded for people rather than errno.
#[derive(Debug, Error)]
pub enum NetError {
    #[error("invalid host '{0}': not an IP address or a host name")]
    InvalidHost(String),
    #[error("--port {0}: a port range is only for `tcp connect -z`")]
    RangeNotHere(String),
    #[error("cannot resolve host '{host}': {}", describe(.err))]
    Resolve { host: String, err: io::Error },
    #[error("host '{host}' has no {family} address")]
    NoAddress { host: String, family: &'static str },
    #[error("cannot listen on {addr}: {}", describe(.err))]
    Bind { addr: SocketAddr, err: io::Error },
    #[error("cannot connect to {addr}: {}", refused_or_describe(.err, *.addr, "tcp"))]
    Connect { addr: SocketAddr, err: io::Error },
    #[error("cannot connect to {addr}: timed out after {}", humantime::format_duration(*.after))]
    ConnectTimeout { addr: SocketAddr, after: Duration },
    #[error("no reply from {addr} within {}", humantime::format_duration(*.after))]
    ReplyTimeout { addr: SocketAddr, after: Duration },
    #[error("{addr} closed the connection before replying")]
    ClosedEarly { addr: SocketAddr },
    #[error("connection to {addr} failed: {}", describe(.err))]
    Io { addr: SocketAddr, err: io::Error },
    #[error("connection to {addr} failed: {err}")]
    Frame {
        addr: SocketAddr,
        err: crate::framing::FrameError,
    },
    #[error("cannot send to {addr}: {}", describe(.err))]
    Send { addr: SocketAddr, err: io::Error },
    #[error("cannot read stdin: {0}")]
    Stdin(io::Error),
    #[error("no UDP server at {addr}: {}", refused_or_describe(.err, *.addr, "udp"))]
    Unreachable { addr: SocketAddr, err: io::Error },
}

impl NetError {
    /// The cause alone, without the address or a hint: `connection refused`, for lists
    /// where the address is already said.
    pub fn brief(&self) -> String {
        match self {
            NetError::Connect { err, .. } | NetError::Io { err, .. } => {
                let text = describe(err);
                match text.split_once(" (") {
                    Some((cause, _hint)) => cause.to_owned(),
                    None => text,
                }
            }
            NetError::ConnectTimeout { after, .. } => {
                format!("timed out after {}", humantime::format_duration(*after))
            }
            other => other.to_string(),
        }
    }
}

/// A refused connection says what is missing and how to start it; other errors as
/// [`describe`] puts them.
fn refused_or_describe(err: &io::Error, addr: SocketAddr, transport: &str) -> String {
    if err.kind() == io::ErrorKind::ConnectionRefused {
        format!(
            "connection refused: nothing is listening on {addr} (start one with `netdemo {transport} serve --port {}`)",
            addr.port()
        )
    } else {
        describe(err)
    }
}

/// Phrases the usual socket errors the way a user thinks about them, with a way out.
/// Anything unusual falls back to the OS message, which at least names the errno.
pub fn describe(err: &io::Error) -> String {
    let text = match err.kind() {
        io::ErrorKind::AddrInUse => {
            "address already in use (another server is on that port; pick another --port, or --port 0)"
        }
        io::ErrorKind::AddrNotAvailable => {
            "address not available (it does not belong to this machine; try --host 127.0.0.1)"
        }
        io::ErrorKind::ConnectionRefused => "connection refused (is a server listening there?)",
        io::ErrorKind::ConnectionReset => "connection reset by peer",
        io::ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges; try a higher --port)"
        }
        io::ErrorKind::TimedOut => "timed out",
        io::ErrorKind::HostUnreachable => "host unreachable",
        io::ErrorKind::NetworkUnreachable => "network unreachable",
        _ => return err.to_string(),
    };
    text.to_owned()
}

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
    fn common_errors_read_as_one_line_with_a_hint() {
        let addr: SocketAddr = "127.0.0.1:9999".parse().unwrap();
        let err = NetError::Bind {
            addr,
            err: io::ErrorKind::AddrInUse.into(),
        };
        let text = err.to_string();
        assert!(text.starts_with("cannot listen on 127.0.0.1:9999: address already in use"));
        assert!(!text.contains('\n'));
        let err = NetError::ConnectTimeout {
            addr,
            after: Duration::from_millis(1500),
        };
        assert_eq!(
            err.to_string(),
            "cannot connect to 127.0.0.1:9999: timed out after 1s 500ms"
        );
    }

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
