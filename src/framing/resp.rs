//! RESP, the Redis serialization protocol (RESP2 and RESP3), as a framing: where one value
//! ends in a byte stream, how a command written as words becomes a request, and how a
//! reply reads as one line of text.
//!
//! Like mini-redis's `Frame::check`, finding the end does not build the value: it walks the
//! type bytes and lengths, so "not enough bytes yet" costs nothing and a reply is handed
//! on whole, as the bytes that came.

/// Nested aggregates deeper than this are refused: a hostile peer could otherwise make the
/// walk recurse as deep as its bytes allow.
const MAX_DEPTH: usize = 64;

/// Why buffered bytes are not RESP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RespError {
    #[error("not RESP: unexpected type byte {0:#04x}")]
    Type(u8),
    #[error("not RESP: bad length or number")]
    Number,
    #[error("not RESP: nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// The length of the complete value at the start of `buf`, or `None` when more bytes are
/// needed.
///
/// # Errors
/// The bytes are not RESP.
pub fn frame_len(buf: &[u8]) -> Result<Option<usize>, RespError> {
    value_end(buf, 0, 0)
}

/// Where the value starting at `at` ends, or `None` if it is not all buffered.
fn value_end(buf: &[u8], at: usize, depth: usize) -> Result<Option<usize>, RespError> {
    if depth > MAX_DEPTH {
        return Err(RespError::TooDeep);
    }
    let Some(&kind) = buf.get(at) else {
        return Ok(None);
    };
    let Some(line_end) = find_crlf(buf, at + 1) else {
        return Ok(None);
    };
    let line = &buf[at + 1..line_end];
    let after = line_end + 2;
    match kind {
        // Simple string, error, integer, null, boolean, double, big number: one line.
        b'+' | b'-' | b':' | b'_' | b'#' | b',' | b'(' => Ok(Some(after)),
        // Bulk string, bulk error, verbatim string: a length, then that many bytes.
        b'$' | b'!' | b'=' => {
            let len = number(line)?;
            if len < 0 {
                return Ok(Some(after)); // RESP2's null bulk string, `$-1`
            }
            let end = after + len as usize + 2;
            if buf.len() < end {
                return Ok(None);
            }
            if &buf[end - 2..end] != b"\r\n" {
                return Err(RespError::Number);
            }
            Ok(Some(end))
        }
        // Array, set, push: that many values; map, attribute: twice that many.
        b'*' | b'~' | b'>' | b'%' | b'|' => {
            let count = number(line)?;
            if count < 0 {
                return Ok(Some(after)); // RESP2's null array, `*-1`
            }
            let values = if matches!(kind, b'%' | b'|') {
                count as usize * 2
            } else {
                count as usize
            };
            let mut end = after;
            for _ in 0..values {
                match value_end(buf, end, depth + 1)? {
                    Some(next) => end = next,
                    None => return Ok(None),
                }
            }
            // An attribute annotates the value that follows it: both are one reply.
            if kind == b'|' {
                return value_end(buf, end, depth + 1);
            }
            Ok(Some(end))
        }
        other => Err(RespError::Type(other)),
    }
}

fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|i| from + i)
}

fn number(line: &[u8]) -> Result<i64, RespError> {
    let value: i64 = std::str::from_utf8(line)
        .ok()
        .and_then(|text| text.parse().ok())
        .ok_or(RespError::Number)?;
    // Lengths beyond memory are lies; --max-frame bounds what is buffered anyway.
    if value > i64::from(u32::MAX) {
        return Err(RespError::Number);
    }
    Ok(value)
}

/// A command written as words (`SET key "two words"`) as RESP: an array of bulk strings,
/// what redis-cli sends. Double quotes group words; `\"` and `\\` escape inside them.
///
/// # Errors
/// An unterminated quote, or no word at all.
pub fn command(text: &str) -> Result<Vec<u8>, String> {
    let words = split_words(text)?;
    let mut out = Vec::with_capacity(text.len() + 16 * words.len());
    write_array(words.len(), &mut out);
    for word in &words {
        write_bulk(word, &mut out);
    }
    Ok(out)
}

/// The header of an array of `len` values.
pub fn write_array(len: usize, out: &mut Vec<u8>) {
    use std::io::Write as _;
    // Writing into a Vec cannot fail.
    let _ = write!(out, "*{len}\r\n");
}

/// A bulk string.
pub fn write_bulk(data: &[u8], out: &mut Vec<u8>) {
    use std::io::Write as _;
    let _ = write!(out, "${}\r\n", data.len());
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
}

/// The words of a command, as redis-cli splits them; never empty.
///
/// # Errors
/// An unterminated quote, or no word at all.
pub fn split_words(text: &str) -> Result<Vec<Vec<u8>>, String> {
    let words = split(text)?;
    if words.is_empty() {
        return Err("an empty command: write one as words, e.g. 'GET key'".to_owned());
    }
    Ok(words)
}

fn split(text: &str) -> Result<Vec<Vec<u8>>, String> {
    let unterminated = || format!("unterminated quote in '{text}'");
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return Ok(words);
        };
        let mut word = Vec::new();
        let push = |word: &mut Vec<u8>, c: char| {
            word.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        };
        match first {
            // As redis-cli: escapes inside double quotes, `\xHH` for any byte.
            '"' => {
                chars.next();
                loop {
                    match chars.next().ok_or_else(unterminated)? {
                        '"' => break,
                        '\\' => match chars.next().ok_or_else(unterminated)? {
                            'n' => word.push(b'\n'),
                            'r' => word.push(b'\r'),
                            't' => word.push(b'\t'),
                            'b' => word.push(8),
                            'a' => word.push(7),
                            'x' => {
                                let hex: String = (0..2).filter_map(|_| chars.next()).collect();
                                let byte = u8::from_str_radix(&hex, 16)
                                    .map_err(|_| format!("\\x needs two hex digits in '{text}'"))?;
                                word.push(byte);
                            }
                            other => push(&mut word, other),
                        },
                        c => push(&mut word, c),
                    }
                }
            }
            // Single quotes keep everything but `\'` as it is.
            '\'' => {
                chars.next();
                loop {
                    match chars.next().ok_or_else(unterminated)? {
                        '\'' => break,
                        '\\' if chars.peek() == Some(&'\'') => {
                            chars.next();
                            word.push(b'\'');
                        }
                        c => push(&mut word, c),
                    }
                }
            }
            _ => {
                while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                    push(&mut word, c);
                }
            }
        }
        words.push(word);
    }
}

/// The one-line form of a simple string or a bulk string, borrowed from the frame: the
/// replies of most commands, compared without an allocation.
pub fn render_borrowed(frame: &[u8]) -> Option<&[u8]> {
    let body = frame.strip_suffix(b"\r\n")?;
    match body.split_first()? {
        (b'+', line) if !line.contains(&b'\r') => Some(line),
        (b'$', rest) => {
            let at = rest.iter().position(|&b| b == b'\r')?;
            let len: usize = std::str::from_utf8(&rest[..at]).ok()?.parse().ok()?;
            let data = rest.get(at + 2..)?;
            (data.len() == len).then_some(data)
        }
        _ => None,
    }
}

/// A complete RESP value as one line of text, as `--expect` compares it and the
/// conversation shows it: `PONG`, `(error) ERR unknown`, `(integer) 5`, `v` (a bulk
/// string's bytes), `(nil)`, `[a, b]` (arrays, sets, pushes), `{k: v}` (maps). Bytes that
/// are not RESP are returned as they are.
pub fn render(frame: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(frame.len());
    if render_value(frame, 0, &mut out, true).is_none() {
        return frame.to_vec();
    }
    out
}

/// Renders the value at `at` into `out`; returns where it ends.
fn render_value(buf: &[u8], at: usize, out: &mut Vec<u8>, top: bool) -> Option<usize> {
    let kind = *buf.get(at)?;
    let line_end = find_crlf(buf, at + 1)?;
    let line = &buf[at + 1..line_end];
    let after = line_end + 2;
    let mut text = |s: &str| out.extend_from_slice(s.as_bytes());
    match kind {
        b'+' | b'(' | b',' => out.extend_from_slice(line),
        b'-' => {
            text("(error) ");
            out.extend_from_slice(line);
        }
        b':' if top => {
            text("(integer) ");
            out.extend_from_slice(line);
        }
        b':' => out.extend_from_slice(line),
        b'_' => text("(nil)"),
        b'#' => text(if line == b"t" { "true" } else { "false" }),
        b'$' | b'!' | b'=' => {
            let len = number(line).ok()?;
            if len < 0 {
                text("(nil)");
                return Some(after);
            }
            let body = buf.get(after..after + len as usize)?;
            if kind == b'!' {
                text("(error) ");
            }
            // A verbatim string starts with its format, `txt:`.
            let body = if kind == b'=' && body.len() >= 4 {
                &body[4..]
            } else {
                body
            };
            out.extend_from_slice(body);
            return Some(after + len as usize + 2);
        }
        b'*' | b'~' | b'>' | b'%' | b'|' => {
            let count = number(line).ok()?;
            if count < 0 {
                text("(nil)");
                return Some(after);
            }
            let map = matches!(kind, b'%' | b'|');
            let (open, close) = if map { ("{", "}") } else { ("[", "]") };
            let mut end = after;
            let mut rendered = Vec::new();
            rendered.extend_from_slice(open.as_bytes());
            for i in 0..count as usize {
                if i > 0 {
                    rendered.extend_from_slice(b", ");
                }
                end = render_value(buf, end, &mut rendered, false)?;
                if map {
                    rendered.extend_from_slice(b": ");
                    end = render_value(buf, end, &mut rendered, false)?;
                }
            }
            rendered.extend_from_slice(close.as_bytes());
            if kind == b'|' {
                // The attribute is metadata: show the value it annotates.
                return render_value(buf, end, out, top);
            }
            out.extend_from_slice(&rendered);
            return Some(end);
        }
        _ => return None,
    }
    Some(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_framed_whole_and_only_whole() {
        let values: &[&[u8]] = &[
            b"+OK\r\n",
            b"-ERR unknown command\r\n",
            b":42\r\n",
            b"$5\r\nhello\r\n",
            b"$-1\r\n",
            b"$0\r\n\r\n",
            b"*2\r\n$1\r\na\r\n:1\r\n",
            b"*-1\r\n",
            b"*2\r\n*1\r\n+x\r\n*0\r\n",
            b"_\r\n",
            b"#t\r\n",
            b",3.14\r\n",
            b"(12345678901234567890\r\n",
            b"!3\r\nERR\r\n",
            b"=8\r\ntxt:some\r\n",
            b"%1\r\n+k\r\n:1\r\n",
            b"~2\r\n+a\r\n+b\r\n",
            b">2\r\n+message\r\n+hi\r\n",
            b"|1\r\n+ttl\r\n:3\r\n+value\r\n",
        ];
        for value in values {
            assert_eq!(frame_len(value), Ok(Some(value.len())), "{value:?}");
            for cut in 0..value.len() {
                assert_eq!(frame_len(&value[..cut]), Ok(None), "{value:?} cut at {cut}");
            }
            let mut two = value.to_vec();
            two.extend_from_slice(b"+next\r\n");
            assert_eq!(frame_len(&two), Ok(Some(value.len())), "{value:?}");
        }
    }

    #[test]
    fn garbage_and_deep_nesting_are_errors() {
        assert_eq!(frame_len(b"hello\r\n"), Err(RespError::Type(b'h')));
        assert_eq!(frame_len(b"$abc\r\n"), Err(RespError::Number));
        assert_eq!(frame_len(b"$3\r\nabcXY"), Err(RespError::Number));
        let deep = "*1\r\n".repeat(100);
        assert_eq!(frame_len(deep.as_bytes()), Err(RespError::TooDeep));
    }

    #[test]
    fn commands_are_arrays_of_bulk_strings() {
        assert_eq!(
            command("SET k v").unwrap(),
            b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
        );
        assert_eq!(
            command(r#"SET k "two words" "a\"b""#).unwrap(),
            b"*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$9\r\ntwo words\r\n$3\r\na\"b\r\n"
        );
        assert_eq!(
            command(r#"SET k "a\nb\xff" 'it\'s'"#).unwrap(),
            b"*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\nb\xff\r\n$4\r\nit's\r\n"
        );
        assert!(command("  ").is_err());
        assert!(command("GET \"open").is_err());
    }

    #[test]
    fn replies_read_as_one_line() {
        let cases: &[(&[u8], &str)] = &[
            (b"+PONG\r\n", "PONG"),
            (b"-ERR no\r\n", "(error) ERR no"),
            (b":5\r\n", "(integer) 5"),
            (b"$1\r\nv\r\n", "v"),
            (b"$-1\r\n", "(nil)"),
            (b"*2\r\n$1\r\na\r\n:1\r\n", "[a, 1]"),
            (b"%1\r\n+k\r\n+v\r\n", "{k: v}"),
            (b"#f\r\n", "false"),
            (b"=8\r\ntxt:some\r\n", "some"),
            (b"|1\r\n+ttl\r\n:3\r\n+value\r\n", "value"),
        ];
        for (frame, shown) in cases {
            assert_eq!(String::from_utf8(render(frame)).unwrap(), *shown);
            if let Some(borrowed) = render_borrowed(frame) {
                assert_eq!(borrowed, shown.as_bytes(), "{frame:?}");
            }
        }
        assert_eq!(render_borrowed(b"+PONG\r\n"), Some(&b"PONG"[..]));
        assert_eq!(render_borrowed(b"$5\r\nab\r\nc\r\n"), Some(&b"ab\r\nc"[..]));
        assert_eq!(render_borrowed(b":1\r\n"), None);
    }
}
