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
    #[error("'{input}': {reason} (escapes are \\r \\n \\t \\0 \\xNN, and \\\\ for a backslash)")]
    InvalidEscape { input: String, reason: String },
}

/// A command line that parsed but cannot run as asked: a flag where it cannot apply, a
/// number out of range, two flags that contradict. Exits with status 2, as clap's own
/// usage errors do; `main` tells it apart by downcasting.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A run stopped by a signal: its partial report was printed; the process exits with
/// 128 + the signal's number, as a shell reports it.
#[derive(Debug, Error)]
#[error("stopped by signal {0}: the report covers what was measured until then")]
pub struct Interrupted(pub i32);

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

/// Writing netdemo's own output failed. Kept apart from socket errors because a closed
/// stdout is no failure (the reader left), while a socket's broken pipe is.
#[derive(Debug, Error)]
pub enum OutputError {
    #[error("cannot write to stdout: {0}")]
    Stdout(io::Error),
    /// A dump that could not be written whole would pass for a complete record.
    #[error("cannot write the hex dump: {0} (the dump is incomplete)")]
    Dump(io::Error),
    /// The capture ends at its last whole packet block, readable up to there.
    #[error("cannot write the capture: {0} (it ends at its last whole packet)")]
    Capture(io::Error),
    /// The capture is whole, but its TLS secrets could not be put in it.
    #[error(
        "cannot put the TLS secrets into the capture: {0} (it is whole without them; use --keylog FILE)"
    )]
    CaptureSecrets(io::Error),
    /// Output nobody read in time (a server stopping within its grace period), or dropped
    /// over the bound on what may wait.
    #[error(
        "{lines} line(s), {bytes} bytes, were never written to {stream}: nothing read it in time"
    )]
    Unwritten {
        stream: &'static str,
        lines: u64,
        bytes: u64,
    },
}

/// A clap usage error as one line: what is wrong, the choices where there are some, and
/// where to read more. `cli` is the whole command definition, to list the choices clap's
/// own message leaves to the help page; `argv` the command line, to name the subcommand
/// whose help to read when clap's message does not.
pub fn usage_line(err: &clap::Error, cli: &clap::Command, argv: &[String]) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let rendered = err.to_string();
    // `Usage: netdemo tcp <COMMAND>` names the command the error is about; without that
    // line, the subcommands named on the command line do.
    let words: Vec<&str> = rendered
        .lines()
        .find_map(|line| line.trim().strip_prefix("Usage: "))
        .map(|usage| {
            usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['<', '[', '-']))
                .collect()
        })
        .unwrap_or_else(|| subcommand_path(cli, argv));
    let mut command = cli;
    for word in words.iter().skip(1) {
        match command.find_subcommand(word) {
            Some(sub) => command = sub,
            None => break,
        }
    }
    let path = if words.is_empty() {
        cli.get_name().to_owned()
    } else {
        words.join(" ")
    };
    let see = format!("see `{path} --help`");
    match err.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let names: Vec<&str> = command
                .get_subcommands()
                .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
                .map(clap::Command::get_name)
                .collect();
            return format!("`{path}` needs a subcommand: {} ({see})", one_of(&names));
        }
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = match err.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(names)) => names.clone(),
                _ => Vec::new(),
            };
            let described: Vec<String> = missing
                .iter()
                .map(|name| {
                    let bare = name.trim_matches(['<', '>', '.']);
                    let arg = command.get_arguments().find(|arg| {
                        arg.get_id().as_str().eq_ignore_ascii_case(bare)
                            || arg
                                .get_value_names()
                                .is_some_and(|v| v.iter().any(|n| n.as_str() == bare))
                    });
                    let values: Vec<String> = arg
                        .map(|arg| {
                            arg.get_possible_values()
                                .iter()
                                .filter(|v| !v.is_hide_set())
                                .map(|v| v.get_name().to_owned())
                                .collect()
                        })
                        .unwrap_or_default();
                    if values.is_empty() {
                        name.clone()
                    } else {
                        let values: Vec<&str> = values.iter().map(String::as_str).collect();
                        format!("{name}: {}", one_of(&values))
                    }
                })
                .collect();
            return format!("`{path}` needs {} ({see})", described.join(", "));
        }
        ErrorKind::UnknownArgument if words.get(1) == Some(&"unix") => {
            if let Some(ContextValue::String(arg)) = err.get(ContextKind::InvalidArg)
                && let Some(why) = not_for_unix(arg)
            {
                return format!("{arg} does not apply to a Unix socket: {why} ({see})");
            }
        }
        _ => {}
    }
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid command line");
    let mut line = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    if err.kind() == ErrorKind::InvalidValue
        && let Some(ContextValue::Strings(valid)) = err.get(ContextKind::ValidValue)
        && !valid.is_empty()
    {
        let valid: Vec<&str> = valid.iter().map(String::as_str).collect();
        line.push_str(&format!(": choose {}", one_of(&valid)));
    }
    for tip in lines.filter_map(|l| l.strip_prefix("tip: ")) {
        line.push_str(&format!(" ({tip})"));
    }
    line.push_str(&format!(" ({see})"));
    line
}

/// Why a TCP flag given to a `unix` command has no place there, and what to use instead.
fn not_for_unix(arg: &str) -> Option<&'static str> {
    let flag = arg.split_once('=').map_or(arg, |(flag, _)| flag);
    Some(match flag {
        "-p" | "--port" | "--host" | "-4" | "-6" | "--ipv4" | "--ipv6" => {
            "it is named by a path, not an address and port (give --path PATH)"
        }
        "-z" | "--zero-io" => {
            "there are no ports to check (`unix connect --path PATH --wait 10s` waits for a \
             server to listen)"
        }
        "--tls" | "--cert" | "--key" | "--cacert" | "--pin" | "--insecure" | "--sni" | "--alpn"
        | "--client-ca" => {
            "its bytes never leave the kernel, and netdemo speaks TLS over TCP only (restrict \
             who may connect with `unix serve --socket-mode 0600`)"
        }
        "--allow" | "--deny" => {
            "they match IP addresses, and a Unix client has none (restrict who may connect \
             with `unix serve --socket-mode 0600`)"
        }
        _ => return None,
    })
}

/// `netdemo tcp connect` for `netdemo -q tcp connect --rate x`: the program's name and
/// each subcommand named, in order.
fn subcommand_path<'a>(cli: &'a clap::Command, argv: &'a [String]) -> Vec<&'a str> {
    let mut words = vec![cli.get_name()];
    let mut command = cli;
    for arg in argv.iter().skip(1) {
        if let Some(sub) = command.find_subcommand(arg) {
            words.push(sub.get_name());
            command = sub;
        }
    }
    words
}

/// `a`, `a or b`, `a, b or c`.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(argv: &[&str]) -> String {
        use clap::{CommandFactory, Parser};
        let err = crate::cli::Cli::try_parse_from(argv).unwrap_err();
        let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        usage_line(&err, &crate::cli::Cli::command(), &argv)
    }

    #[test]
    fn missing_parts_are_named_with_their_choices() {
        assert_eq!(
            line(&["netdemo"]),
            "`netdemo` needs a subcommand: tcp, udp, unix, ws, merge or completions (see `netdemo --help`)"
        );
        assert_eq!(
            line(&["netdemo", "tcp"]),
            "`netdemo tcp` needs a subcommand: serve, connect or relay (see `netdemo tcp --help`)"
        );
        let completions = line(&["netdemo", "completions"]);
        assert!(
            completions.starts_with("`netdemo completions` needs <SHELL>: bash, "),
            "{completions}"
        );
        let mode = line(&["netdemo", "tcp", "serve", "--mode", "bogus"]);
        assert!(
            mode.contains("choose seed, echo, discard, chargen, source or stdio"),
            "{mode}"
        );
        let lang = line(&["netdemo", "--lang", "fr", "udp", "send"]);
        assert!(lang.contains("choose en or zh"), "{lang}");
    }

    #[test]
    fn usage_errors_fit_on_one_line() {
        let line = line(&["netdemo", "tcp", "serve", "--prot", "1"]);
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
