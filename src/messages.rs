//! Where the messages of `tcp connect` and `udp send` come from: the arguments, or stdin
//! when the only argument is `-`, one message per line.
//!
//! Stdin is read only when asked for with `-`, so a script that gives no message never
//! blocks on a stdin nobody writes to. Lines are text typed by a person, so they are
//! encoded with `--encoding` like arguments. On a terminal the session is interactive: a
//! prompt is shown, and a line that cannot be sent is reported and skipped; from a pipe the
//! same line is an error, so a script learns that its input was not sent.

use std::io::IsTerminal;

use color_eyre::eyre::{Result, WrapErr, bail};

use crate::encoding::Encoding;
use crate::mode::stdio::{DatagramFraming, StdinChunks};
use crate::output::Printer;

/// The argument that asks for messages from stdin.
pub const FROM_STDIN: &str = "-";

/// The prompt shown before each line on a terminal.
const PROMPT: &str = "> ";

/// A stream of messages, already encoded.
pub struct Messages {
    source: Source,
    encoding: Encoding,
    interactive: bool,
    /// Lines read so far, to name a bad one.
    line: usize,
}

enum Source {
    Given(std::collections::VecDeque<Vec<u8>>),
    Stdin(StdinChunks),
}

impl Messages {
    /// The messages given as arguments, or stdin's lines when `from_stdin`.
    pub fn new(given: &[Vec<u8>], from_stdin: bool, encoding: Encoding) -> Messages {
        let (source, interactive) = if from_stdin {
            let stdin = StdinChunks::new(DatagramFraming::Line);
            (Source::Stdin(stdin), std::io::stdin().is_terminal())
        } else {
            (Source::Given(given.iter().cloned().collect()), false)
        };
        Messages {
            source,
            encoding,
            interactive,
            line: 0,
        }
    }

    /// How many given messages are left; `None` when they come from stdin.
    pub fn remaining(&self) -> Option<usize> {
        match &self.source {
            Source::Given(rest) => Some(rest.len()),
            Source::Stdin(_) => None,
        }
    }

    /// The next message, or `None` when there are no more. Each line from stdin is
    /// encoded and passed to `check` (may this message be sent?) first.
    ///
    /// # Errors
    /// Stdin cannot be read, or (not on a terminal) a line is not UTF-8, cannot be
    /// encoded, or fails `check`.
    pub async fn next(
        &mut self,
        printer: &Printer,
        check: impl Fn(&[u8]) -> Result<()>,
    ) -> Result<Option<Vec<u8>>> {
        let stdin = match &mut self.source {
            Source::Given(rest) => return Ok(rest.pop_front()),
            Source::Stdin(stdin) => stdin,
        };
        loop {
            if self.interactive {
                printer.prompt(PROMPT);
            }
            let Some(line) = stdin.next().await.wrap_err("cannot read stdin")? else {
                return Ok(None);
            };
            self.line += 1;
            let encoded = String::from_utf8(line)
                .map_err(|_| color_eyre::eyre::eyre!("it is not UTF-8 text"))
                .and_then(|text| Ok(self.encoding.encode(&text)?))
                .and_then(|bytes| check(&bytes).map(|()| bytes));
            match encoded {
                Ok(bytes) => return Ok(Some(bytes)),
                Err(err) if self.interactive => {
                    tracing::warn!("not sent: {err:#}");
                }
                Err(err) => bail!("line {} of stdin: {err:#}", self.line),
            }
        }
    }
}
