//! Messages, load requests and expectations as bytes, checked before anything is sent.

use color_eyre::eyre::Result;

use crate::cli::ClientMode;
use crate::encoding::Encoding;
use crate::expect::Expect;
use crate::framing::Framing;
use crate::messages::Check;
use crate::request::{Request, Scratch};
use crate::template::Rng;

use super::refuse::{refuse, usage};

/// What replies must be: `--expect`/`--expect-regex` in request mode (refused elsewhere).
/// `messages` counts the messages given, `None` when they come from a capture (checked by
/// [`expect_each`] once it is read).
pub(super) fn expectations(
    args: &crate::cli::ExpectArgs,
    mode: ClientMode,
    encoding: Encoding,
    messages: Option<usize>,
    program: &str,
) -> Result<Expect> {
    let given = !args.expect.is_empty() || args.expect_regex.is_some();
    refuse(
        given && mode != ClientMode::Request,
        if args.expect.is_empty() {
            "--expect-regex"
        } else {
            "--expect"
        },
        program,
        "--mode request (seed and echo know their replies)",
    )?;
    if let Some(pattern) = &args.expect_regex {
        let regex = regex::bytes::Regex::new(pattern).map_err(|err| {
            // The parser draws a caret under the fault on several lines: keep its words.
            let why = err.to_string();
            let why = why
                .lines()
                .last()
                .unwrap_or_default()
                .trim_start_matches("error: ");
            usage(format!("--expect-regex {pattern}: {why}"))
        })?;
        return Ok(Expect::Regex(regex));
    }
    if args.expect.is_empty() {
        return Ok(Expect::Any);
    }
    if let Some(count) = messages {
        expect_each(args.expect.len(), count)?;
    }
    // Replies are shown with `\r\n` escaped: a TEXT copied from them means those bytes.
    let mut exact = Vec::with_capacity(args.expect.len());
    for text in &args.expect {
        exact.push(if text.contains('\\') {
            crate::framing::unescape(text).map_err(|why| usage(format!("--expect: {why}")))?
        } else {
            encoding.encode(text)?
        });
    }
    Ok(Expect::Exact(exact))
}

/// `expects` texts of `--expect` for `messages` messages: one for all, or one each.
pub(super) fn expect_each(expects: usize, messages: usize) -> Result<()> {
    if expects > 1 && expects != messages {
        return Err(usage(format!(
            "{expects} --expect for {messages} message(s): give one for all, or one per message"
        )));
    }
    Ok(())
}

/// Encodes each message for its framing: RESP commands are written as words and sent as
/// arrays of bulk strings; other framings carry the encoded text as it is.
pub(super) fn encode_messages(
    messages: &[String],
    encoding: Encoding,
    framing: Framing,
    check: Check,
    host: &str,
) -> Result<Vec<Vec<u8>>> {
    // A conversation fills its templates once: message i is request i on connection 0.
    let mut rng = Rng::new(0);
    let mut scratch = Scratch::default();
    requests(messages, encoding, framing, check, host)?
        .iter()
        .enumerate()
        .map(|(i, request)| {
            let bytes = request.bytes(i as u64, 0, &mut rng, &mut scratch).to_vec();
            check.check(&bytes).map_err(usage)?;
            Ok(bytes)
        })
        .collect()
}

/// The requests of a load run: fixed bytes, checked now, or templates filled per request.
pub(super) fn requests(
    messages: &[String],
    encoding: Encoding,
    framing: Framing,
    check: Check,
    host: &str,
) -> Result<Vec<Request>> {
    if !matches!(framing, Framing::Resp | Framing::Http) {
        // Text that cannot be encoded fails here as before (exit 1), placeholders or not.
        let fixed = encode_all(messages, encoding, check)?;
        if encoding.is_binary() {
            // Hex and base64 messages are bytes: nothing in them is a placeholder.
            return Ok(fixed.into_iter().map(Request::Fixed).collect());
        }
    }
    messages
        .iter()
        .map(|text| {
            let request = Request::new(text, encoding, framing, host).map_err(usage)?;
            if let Some(bytes) = request.fixed() {
                check.check(bytes).map_err(usage)?;
            }
            Ok(request)
        })
        .collect()
}

/// Encodes each message and checks it can be sent whole.
pub(super) fn encode_all(
    messages: &[String],
    encoding: Encoding,
    check: Check,
) -> Result<Vec<Vec<u8>>> {
    messages
        .iter()
        .map(|text| {
            let bytes = encoding.encode_escaped(text)?;
            check.check(&bytes).map_err(usage)?;
            Ok(bytes)
        })
        .collect()
}
