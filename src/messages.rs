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
use crate::framing::{FrameSpec, Framing, RAW_READ_MAX};
use crate::output::Printer;
use crate::request::{Request, Scratch};
use crate::stdin::{DatagramFraming, StdinChunks};
use crate::template::Rng;

/// The largest UDP payload over IPv4 (65,535 minus the IP and UDP headers).
pub const MAX_UDP_PAYLOAD: usize = 65_507;

/// What a message must be to be sent whole: the one check for messages given as
/// arguments, typed on stdin, or repeated by a load run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// One frame on a TCP stream.
    Frame(FrameSpec),
    /// One UDP datagram.
    Datagram,
}

impl Check {
    /// Whether `message` can be sent whole; the error says why not and what to try.
    ///
    /// # Errors
    /// The message is empty where that sends nothing, contains the framing's delimiter, or
    /// is larger than `--max-frame` or a datagram.
    pub fn check(self, message: &[u8]) -> Result<(), String> {
        let frames = match self {
            Check::Datagram if message.len() > MAX_UDP_PAYLOAD => {
                return Err(format!(
                    "a datagram of {} bytes is larger than UDP allows ({MAX_UDP_PAYLOAD} bytes)",
                    message.len()
                ));
            }
            Check::Datagram => return Ok(()),
            Check::Frame(frames) => frames,
        };
        match frames.framing {
            Framing::Raw if message.is_empty() => {
                return Err(
                    "cannot send an empty message: with --framing raw TCP would put \
                            nothing on the wire (try --framing line)"
                        .to_owned(),
                );
            }
            Framing::Raw => {}
            Framing::Line if message.contains(&b'\n') => {
                return Err("a message contains a newline, which ends a message with \
                            --framing line (try --framing length)"
                    .to_owned());
            }
            Framing::Resp | Framing::Http | Framing::Memcached if message.is_empty() => {
                return Err(
                    "an empty request: write one, e.g. 'GET key', 'GET /' or 'get key'".to_owned(),
                );
            }
            Framing::Memcached => {
                // The request as it goes on the wire must be exactly one request.
                let mut wire = message.to_vec();
                wire.extend_from_slice(b"\r\n");
                match crate::framing::memcached::request_len(&wire) {
                    Ok(Some(len)) if len == wire.len() => {}
                    Ok(_) => {
                        return Err("a memcached request is one command line, and for set, \
                                    add, replace, append, prepend and cas its data block: \
                                    write 'set KEY 0 0 BYTES\\r\\nDATA'"
                            .to_owned());
                    }
                    Err(why) => return Err(why),
                }
            }
            Framing::Line | Framing::Length | Framing::Resp | Framing::Http | Framing::Ws => {}
        }
        if frames.framing != Framing::Raw && message.len() > frames.max_frame {
            return Err(format!(
                "a message of {} bytes is larger than --max-frame ({} bytes)",
                message.len(),
                frames.max_frame
            ));
        }
        Ok(())
    }

    /// The longest message that can pass: what a line of stdin may hold.
    pub fn longest(self) -> usize {
        match self {
            Check::Datagram => MAX_UDP_PAYLOAD,
            Check::Frame(frames) => frames.max_frame,
        }
    }

    /// Whether a raw message may arrive as several: the tutorial's server reads 1024 bytes
    /// at a time.
    pub fn may_split(self, message: &[u8]) -> bool {
        matches!(self, Check::Frame(frames) if frames.framing == Framing::Raw)
            && message.len() > RAW_READ_MAX
    }
}

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
    check: Check,
    /// For RESP and HTTP: stdin lines are commands or requests to be framed so, the
    /// host being what HTTP's Host header names.
    form: Option<(Framing, String)>,
    /// A message handed back to be sent again, elsewhere ([`Messages::put_back`]).
    put_back: Option<Vec<u8>>,
    /// `--replay-timing`: when each given message is due, from when the first was taken.
    pace: Option<Pace>,
}

struct Pace {
    due: std::collections::VecDeque<std::time::Duration>,
    start: Option<tokio::time::Instant>,
}

enum Source {
    Given(std::collections::VecDeque<Vec<u8>>),
    Stdin(StdinChunks),
}

impl Messages {
    /// The messages given as arguments, or stdin's lines when `from_stdin`.
    pub fn new(given: &[Vec<u8>], from_stdin: bool, encoding: Encoding, check: Check) -> Messages {
        let (source, interactive) = if from_stdin {
            let stdin = StdinChunks::new(DatagramFraming::Line, check.longest());
            (Source::Stdin(stdin), std::io::stdin().is_terminal())
        } else {
            (Source::Given(given.iter().cloned().collect()), false)
        };
        Messages {
            source,
            encoding,
            interactive,
            line: 0,
            check,
            form: None,
            put_back: None,
            pace: None,
        }
    }

    /// Given messages go out no sooner than `due` says, each counted from when the first
    /// was taken (a capture's gaps); no pacing when `due` is empty.
    pub fn paced(mut self, due: &[std::time::Duration]) -> Messages {
        if !due.is_empty() {
            self.pace = Some(Pace {
                due: due.iter().copied().collect(),
                start: None,
            });
        }
        self
    }

    /// Hands `message` back: the next call returns it again (a datagram that found nobody
    /// at one address, for the next).
    pub fn put_back(&mut self, message: Vec<u8>) {
        self.put_back = Some(message);
    }

    /// Stdin lines become RESP commands or HTTP requests (naming `host`), as arguments do.
    pub fn framed(mut self, framing: Framing, host: &str) -> Messages {
        if matches!(framing, Framing::Resp | Framing::Http) {
            self.form = Some((framing, host.to_owned()));
        }
        self
    }

    /// How many given messages are left; `None` when they come from stdin.
    pub fn remaining(&self) -> Option<usize> {
        match &self.source {
            Source::Given(rest) => Some(rest.len() + usize::from(self.put_back.is_some())),
            Source::Stdin(_) => None,
        }
    }

    /// The next message, or `None` when there are no more. Each line from stdin is
    /// encoded and checked ([`Check`]) first; given messages were checked by `config`.
    ///
    /// # Errors
    /// Stdin cannot be read, or (not on a terminal) a line is not UTF-8, cannot be
    /// encoded, or fails the check.
    pub async fn next(&mut self, printer: &Printer) -> Result<Option<Vec<u8>>> {
        // A reply is shown for most messages: none is sent while stdout's reader lags.
        printer.room().await;
        if let Some(message) = self.put_back.take() {
            return Ok(Some(message));
        }
        let stdin = match &mut self.source {
            Source::Given(rest) => {
                let message = rest.pop_front();
                if let Some(pace) = &mut self.pace
                    && message.is_some()
                    && let Some(due) = pace.due.pop_front()
                {
                    let start = *pace.start.get_or_insert_with(tokio::time::Instant::now);
                    tokio::time::sleep_until(start + due).await;
                }
                return Ok(message);
            }
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
            let form = self.form.as_ref();
            let (encoding, index) = (self.encoding, self.line as u64 - 1);
            let encoded = String::from_utf8(line)
                .map_err(|_| color_eyre::eyre::eyre!("it is not UTF-8 text"))
                .and_then(|text| match form {
                    Some((framing, host)) => {
                        let request = Request::new(&text, encoding, *framing, host)
                            .map_err(|why| color_eyre::eyre::eyre!(why))?;
                        let mut scratch = Scratch::default();
                        let mut rng = Rng::new(index);
                        Ok(request.bytes(index, 0, &mut rng, &mut scratch).to_vec())
                    }
                    None => Ok(encoding.encode(&text)?),
                })
                .and_then(|bytes| {
                    self.check
                        .check(&bytes)
                        .map_err(|why| color_eyre::eyre::eyre!(why))?;
                    Ok(bytes)
                });
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
