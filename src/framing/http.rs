//! HTTP/1.1 as a framing, client side: a message `GET /path` (or `POST /path BODY`) becomes a
//! request, and a reply is one complete response: status line, headers, and a body whose end
//! is given by Content-Length, by chunked transfer coding, or by the server closing.
//!
//! Headers are parsed with `httparse`; the body is not copied or decoded, only measured, so
//! a response is handed on whole, as the bytes that came.

/// Headers beyond this many make a response an error rather than an allocation.
const MAX_HEADERS: usize = 128;
/// Most responses have fewer headers: parsing first with room for this many spares
/// initialising the large array for every response (a memset of 4 KiB per reply, which
/// `perf` showed at 100k responses/s).
const USUAL_HEADERS: usize = 24;
/// The most bytes a status line and headers (or a chunked body's trailers) may take: what
/// common servers accept of a request (nginx's `large_client_header_buffers`, 4 x 8 KiB,
/// and Node's 16 KiB are below it), so no real response comes near it.
pub const MAX_HEAD: usize = 64 * 1024;
/// The most hex digits a chunk size may have: 16 hold any 64-bit size, more can only
/// overflow.
const MAX_CHUNK_DIGITS: usize = 16;
/// The most bytes a chunk-size line may take with its extensions (`;name=value`), which
/// mean nothing here and are rare in practice.
pub const MAX_CHUNK_LINE: usize = 4096;

/// Why buffered bytes are not an HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("not an HTTP/1.x response: {0}")]
    Parse(String),
    #[error("not an HTTP/1.x response: Content-Length '{0}' is not a number of bytes")]
    Length(String),
    #[error("not an HTTP/1.x response: two different Content-Length values, {0} and {1}")]
    Lengths(u64, u64),
    #[error("the server announced {0} bytes of body, more than any buffer can hold")]
    TooLong(String),
    #[error("not an HTTP/1.x response: chunk size '{0}' is not a hex number")]
    Chunk(String),
    #[error(
        "the server sent a chunk size of more than {MAX_CHUNK_DIGITS} hex digits ('{0}'), \
         beyond any 64-bit size"
    )]
    ChunkTooLong(String),
    #[error("not an HTTP/1.x response: a chunk of {0} bytes does not end in CRLF")]
    ChunkEnd(usize),
    #[error("the server sent a chunk-size line of more than {MAX_CHUNK_LINE} bytes")]
    ChunkLine,
    #[error("an HTTP response with more than {MAX_HEADERS} headers")]
    TooManyHeaders,
    #[error("the server sent more than {} KiB of status line and headers", MAX_HEAD / 1024)]
    HeadTooLarge,
    #[error("the server sent more than {} KiB of chunked-body trailers", MAX_HEAD / 1024)]
    TrailersTooLarge,
}

/// Where the response at the start of a buffer ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// More bytes are needed.
    Incomplete,
    /// More bytes are needed, and the response is at least `len` bytes: known from its
    /// Content-Length or a chunk size before they arrive, so an oversized one is refused
    /// at once rather than after `--max-frame` bytes.
    Needs { len: usize },
    /// An interim (1xx) response of this many bytes comes first: it is not the reply, and
    /// the final response follows it (RFC 9110, 15.2).
    Interim { len: usize },
    /// The response is this many bytes; `close` when the server said it closes after it.
    At { len: usize, close: bool },
    /// The body runs until the server closes (no length, not chunked).
    AtClose,
}

/// Where the response at the start of `buf` ends. Never past `buf.len()`.
///
/// # Errors
/// The bytes are not an HTTP/1.x response, its length or chunks are malformed, or its
/// head, a chunk-size line or its trailers are beyond the bounds above.
pub fn response_end(buf: &[u8]) -> Result<End, HttpError> {
    let mut usual = [httparse::EMPTY_HEADER; USUAL_HEADERS];
    match end_with(buf, &mut usual) {
        Err(HttpError::TooManyHeaders) => end_with(buf, &mut [httparse::EMPTY_HEADER; MAX_HEADERS]),
        other => other,
    }
}

fn end_with<'b>(buf: &'b [u8], headers: &mut [httparse::Header<'b>]) -> Result<End, HttpError> {
    let mut response = httparse::Response::new(headers);
    let head = match response.parse(buf) {
        Ok(httparse::Status::Complete(head)) if head > MAX_HEAD => {
            return Err(HttpError::HeadTooLarge);
        }
        Ok(httparse::Status::Complete(head)) => head,
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
            return Err(HttpError::HeadTooLarge);
        }
        Ok(httparse::Status::Partial) => return Ok(End::Incomplete),
        Err(httparse::Error::TooManyHeaders) => return Err(HttpError::TooManyHeaders),
        Err(err) => return Err(HttpError::Parse(err.to_string())),
    };
    let status = response.code.unwrap_or(0);
    let mut length: Option<u64> = None;
    let mut chunked = false;
    // HTTP/1.0 closes unless asked not to; 1.1 keeps the connection unless told to close.
    let mut close = response.version == Some(0);
    for header in response.headers.iter() {
        if header.name.eq_ignore_ascii_case("content-length") {
            // `Content-Length: 5, 5` is allowed when the values agree (RFC 9110, 8.6).
            for value in header.value.split(|&b| b == b',') {
                let parsed = content_length(value)?;
                match length {
                    Some(earlier) if earlier != parsed => {
                        return Err(HttpError::Lengths(earlier, parsed));
                    }
                    _ => length = Some(parsed),
                }
            }
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = header
                .value
                .rsplit(|&b| b == b',')
                .next()
                .is_some_and(|last| last.trim_ascii().eq_ignore_ascii_case(b"chunked"));
        } else if header.name.eq_ignore_ascii_case("connection") {
            let value = String::from_utf8_lossy(header.value).to_ascii_lowercase();
            close = value.contains("close") || (close && !value.contains("keep-alive"));
        }
    }
    if status == 101 {
        // 101 Switching Protocols is final: after its head the connection speaks another
        // protocol (WebSocket, h2c) that this framing cannot read. The 101 is the reply, and
        // the connection counts as closing, so a next request goes on a new connection.
        return Ok(End::At {
            len: head,
            close: true,
        });
    }
    if (100..200).contains(&status) {
        // 100 Continue, 103 Early Hints and the like come before the final response, any
        // number of them, and never have a body (RFC 9110, 15.2).
        return Ok(End::Interim { len: head });
    }
    // 204 and 304 responses never have a body (RFC 9112, 6.3).
    if status == 204 || status == 304 {
        return Ok(End::At { len: head, close });
    }
    if chunked {
        return chunked_end(buf, head).map(|end| match end {
            End::At { len, .. } => End::At { len, close },
            other => other,
        });
    }
    match length {
        Some(length) => {
            let len = usize::try_from(length)
                .ok()
                .and_then(|length| head.checked_add(length))
                .ok_or_else(|| HttpError::TooLong(length.to_string()))?;
            if buf.len() >= len {
                Ok(End::At { len, close })
            } else {
                Ok(End::Needs { len })
            }
        }
        None => Ok(End::AtClose),
    }
}

/// A Content-Length value: decimal digits only (no sign, no hex), at most `u64::MAX`.
fn content_length(value: &[u8]) -> Result<u64, HttpError> {
    let value = value.trim_ascii();
    let bad = || HttpError::Length(shown(value, 40));
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    // Only digits: parsing fails only on overflow.
    std::str::from_utf8(value)
        .ok()
        .and_then(|digits| digits.parse().ok())
        .ok_or_else(|| HttpError::TooLong(shown(value, 40)))
}

/// Where a chunked body starting at `at` ends, trailers included: `At` (with `close`
/// false, for the caller to set) when all of it is buffered.
fn chunked_end(buf: &[u8], mut at: usize) -> Result<End, HttpError> {
    loop {
        let Some(line_end) = find_crlf_within(buf, at, MAX_CHUNK_LINE)? else {
            return Ok(End::Incomplete);
        };
        let line = &buf[at..line_end];
        // Chunk extensions (`;name=value`) follow the size and mean nothing here.
        let digits = line
            .split(|&b| b == b';')
            .next()
            .unwrap_or(line)
            .trim_ascii();
        if digits.len() > MAX_CHUNK_DIGITS && digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(HttpError::ChunkTooLong(shown(digits, 40)));
        }
        // All hex digits, so no sign that `from_str_radix` would take, and at most 16 of
        // them, so the value fits in a u64.
        let size = Some(digits)
            .filter(|d| !d.is_empty() && d.iter().all(u8::is_ascii_hexdigit))
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u64::from_str_radix(d, 16).ok())
            .ok_or_else(|| HttpError::Chunk(shown(digits, 40)))?;
        at = line_end + 2;
        if size == 0 {
            return trailers_end(buf, at);
        }
        // The data, then its CRLF; a size no buffer can hold is refused, never wrapped.
        let next = usize::try_from(size)
            .ok()
            .and_then(|size| size.checked_add(2))
            .and_then(|with_crlf| at.checked_add(with_crlf))
            .ok_or_else(|| HttpError::TooLong(size.to_string()))?;
        if buf.len() < next {
            return Ok(End::Needs { len: next });
        }
        if &buf[next - 2..next] != b"\r\n" {
            return Err(HttpError::ChunkEnd(next - 2 - at));
        }
        at = next;
    }
}

/// After the last chunk: trailer fields, then an empty line, within [`MAX_HEAD`].
fn trailers_end(buf: &[u8], from: usize) -> Result<End, HttpError> {
    let mut at = from;
    loop {
        let left = MAX_HEAD.saturating_sub(at - from);
        let Some(end) = find_crlf_within(buf, at, left).map_err(|_| HttpError::TrailersTooLarge)?
        else {
            return Ok(End::Incomplete);
        };
        let empty = end == at;
        at = end + 2;
        if empty {
            return Ok(End::At {
                len: at,
                close: false,
            });
        }
    }
}

/// The CRLF ending the line that starts at `from`, if buffered; an error when the line is
/// longer than `max` bytes, whether or not its end has come.
fn find_crlf_within(buf: &[u8], from: usize, max: usize) -> Result<Option<usize>, HttpError> {
    // One byte past the bound is searched too, for a CRLF whose CR is the last byte allowed.
    let window = buf.get(from..).unwrap_or_default();
    let window = &window[..window.len().min(max.saturating_add(2))];
    match find_crlf(window, 0) {
        Some(i) => Ok(Some(from + i)),
        None if window.len() > max + 1 => Err(HttpError::ChunkLine),
        None => Ok(None),
    }
}

fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|i| from + i)
}

/// Peer bytes for an error line: escaped, and cut after `max` bytes.
fn shown(bytes: &[u8], max: usize) -> String {
    let cut = &bytes[..bytes.len().min(max)];
    let more = if bytes.len() > max { "..." } else { "" };
    format!("{}{more}", cut.escape_ascii())
}

/// The request for a message `METHOD TARGET [BODY]`: `GET /`, `POST /items {"a":1}`. It
/// names `host` (the Host header) and keeps the connection open; a body gets its
/// Content-Length.
///
/// # Errors
/// No method or target, or a target that is not a path, `*` or an absolute URL.
pub fn request(text: &str, host: &str) -> Result<Vec<u8>, String> {
    let (method, target, body) = split(text)?;
    let mut out = Vec::with_capacity(text.len() + host.len() + 64);
    write_request(method, target.as_bytes(), host, body.as_bytes(), &mut out);
    Ok(out)
}

/// A message's method, target and body: `POST /items {"a": 1}`.
///
/// # Errors
/// No method or target, or a target that is not a path, `*` or an absolute URL.
pub fn split(text: &str) -> Result<(&str, &str, &str), String> {
    let text = text.trim_start();
    let (method, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let rest = rest.trim_start();
    let (target, body) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if method.is_empty() || target.is_empty() {
        return Err(format!(
            "'{text}' is not a request: write METHOD TARGET [BODY], e.g. 'GET /' or 'POST /items {{}}'"
        ));
    }
    if !(target.starts_with('/') || target == "*" || target.contains("://")) {
        return Err(format!(
            "'{target}' is not a request target: write a path such as /index.html"
        ));
    }
    if method.eq_ignore_ascii_case("HEAD") {
        return Err(
            "a response to HEAD has no body, which --framing http cannot tell from the \
             response itself: use GET"
                .to_owned(),
        );
    }
    let body = body.trim_start();
    if body.starts_with("HTTP/1.") {
        return Err(format!(
            "'{text}': netdemo writes the HTTP version itself; write METHOD TARGET [BODY], \
             e.g. 'GET {target}'"
        ));
    }
    Ok((method, target, body))
}

/// The bytes of a request naming `host`, keeping the connection open; a body (or a
/// method that carries one) gets its Content-Length.
pub fn write_request(method: &str, target: &[u8], host: &str, body: &[u8], out: &mut Vec<u8>) {
    use std::io::Write as _;
    // Writing into a Vec cannot fail.
    let _ = write!(out, "{method} ");
    out.extend_from_slice(target);
    let _ = write!(
        out,
        " HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n"
    );
    if !body.is_empty() || matches!(method, "POST" | "PUT" | "PATCH") {
        let _ = write!(out, "Content-Length: {}\r\n", body.len());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
}

/// The status code of a complete response (`200`), for `--expect`.
pub fn status(frame: &[u8]) -> Option<&[u8]> {
    let line_end = find_crlf(frame, 0)?;
    let mut parts = frame[..line_end].split(|&b| b == b' ');
    parts.next()?;
    parts.next()
}

/// A response's status code and reason phrase (`404 Not Found`), for a warning line.
pub fn status_line(frame: &[u8]) -> Option<&[u8]> {
    let line_end = find_crlf(frame, 0)?;
    let line = &frame[..line_end];
    let space = line.iter().position(|&b| b == b' ')?;
    Some(&line[space + 1..])
}

/// What a request asked for (`GET /missing`): its request line without the version.
pub fn request_line(request: &[u8]) -> &[u8] {
    let line = find_crlf(request, 0).map_or(request, |end| &request[..end]);
    line.strip_suffix(b" HTTP/1.1").unwrap_or(line)
}

/// The head of a response a client waits for before the stream becomes another's (an
/// HTTP proxy's answer to CONNECT, a WebSocket upgrade's 101), read a byte at a time:
/// what follows it belongs to the next protocol, and stays unread in `stream`.
///
/// # Errors
/// The stream failed; closed first (`UnexpectedEof`); or no end within `max` bytes
/// (`InvalidData`).
pub async fn read_head<S: tokio::io::AsyncRead + Unpin>(
    stream: &mut S,
    max: usize,
) -> std::io::Result<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::with_capacity(128);
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= max {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("no end of the response head within {max} bytes"),
            ));
        }
        let mut byte = [0u8; 1];
        if stream.read(&mut byte).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        head.push(byte[0]);
    }
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_length_chunked_and_close_delimited_bodies() {
        let sized = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        assert_eq!(
            response_end(sized),
            Ok(End::At {
                len: sized.len(),
                close: false
            })
        );
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\nT: v\r\n\r\n";
        assert_eq!(
            response_end(chunked),
            Ok(End::At {
                len: chunked.len(),
                close: false
            })
        );
        let until_close = b"HTTP/1.0 200 OK\r\n\r\nbody";
        assert_eq!(response_end(until_close), Ok(End::AtClose));
        let no_body = b"HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n";
        assert_eq!(
            response_end(no_body),
            Ok(End::At {
                len: no_body.len(),
                close: false
            })
        );
        let closing = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        assert!(matches!(
            response_end(closing),
            Ok(End::At { close: true, .. })
        ));
    }

    #[test]
    fn many_headers_are_parsed_and_too_many_refused() {
        let with = |n: usize| {
            let mut r = b"HTTP/1.1 200 OK\r\n".to_vec();
            for i in 0..n {
                r.extend_from_slice(format!("X-{i}: v\r\n").as_bytes());
            }
            r.extend_from_slice(b"Content-Length: 0\r\n\r\n");
            r
        };
        let fifty = with(50);
        assert!(matches!(response_end(&fifty), Ok(End::At { len, .. }) if len == fifty.len()));
        assert_eq!(response_end(&with(200)), Err(HttpError::TooManyHeaders));
    }

    #[test]
    fn responses_cut_short_need_more_and_garbage_is_an_error() {
        let whole = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        for cut in 0..whole.len() {
            assert!(
                matches!(
                    response_end(&whole[..cut]),
                    Ok(End::Incomplete | End::Needs { .. })
                ),
                "cut {cut}"
            );
        }
        assert!(response_end(b"SSH-2.0-OpenSSH\r\n\r\n").is_err());
        assert!(response_end(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").is_err());
        assert!(
            response_end(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").is_err()
        );
    }

    /// What `response_end` says of each prefix of `wire`, fed one byte more each time, up
    /// to the first answer that is not a need for more bytes.
    fn bytewise(wire: &[u8]) -> (usize, Result<End, HttpError>) {
        for fed in 1..=wire.len() {
            let end = response_end(&wire[..fed]);
            if let Ok(End::At { len, .. } | End::Interim { len }) = end {
                assert!(len <= fed, "claimed {len} of {fed} bytes");
            }
            if !matches!(end, Ok(End::Incomplete | End::Needs { .. })) {
                return (fed, end);
            }
        }
        (wire.len(), response_end(wire))
    }

    #[test]
    fn a_content_length_near_2_pow_64_is_refused_not_wrapped() {
        let wire = b"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551606\r\n\r\nhalf";
        let (_, end) = bytewise(wire);
        assert_eq!(
            end,
            Err(HttpError::TooLong("18446744073709551606".to_owned()))
        );
        // Beyond u64, a sign, or hex: not a length.
        let beyond = b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n";
        assert!(matches!(bytewise(beyond).1, Err(HttpError::TooLong(_))));
        for bad in ["+5", "0x5", "5 5", "", "-1"] {
            let wire = format!("HTTP/1.1 200 OK\r\nContent-Length: {bad}\r\n\r\nhello");
            assert!(
                matches!(response_end(wire.as_bytes()), Err(HttpError::Length(_))),
                "{bad}"
            );
        }
        // Repeated values that agree are one length; ones that differ are refused.
        let agree = b"HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello";
        assert!(matches!(response_end(agree), Ok(End::At { len, .. }) if len == agree.len()));
        let differ = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello";
        assert_eq!(response_end(differ), Err(HttpError::Lengths(5, 6)));
        // A large but representable length is announced before the body comes.
        let large = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\nab";
        let head = large.len() - 2;
        assert_eq!(
            response_end(large),
            Ok(End::Needs {
                len: head + 1_000_000_000_000
            })
        );
    }

    #[test]
    fn a_chunk_size_near_2_pow_64_is_refused_not_wrapped() {
        let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        for size in ["fffffffffffffffe", "ffffffffffffffff"] {
            let wire = [&head[..], size.as_bytes(), b"\r\n\r\n0\r\n\r\n"].concat();
            let (_, end) = bytewise(&wire);
            assert!(matches!(end, Err(HttpError::TooLong(_))), "{size}: {end:?}");
        }
        let wire = [&head[..], b"10000000000000000\r\n"].concat();
        assert!(matches!(bytewise(&wire).1, Err(HttpError::ChunkTooLong(_))));
        // from_str_radix takes a sign; a chunk size does not.
        let wire = [&head[..], b"+5\r\nhello\r\n0\r\n\r\n"].concat();
        assert!(matches!(bytewise(&wire).1, Err(HttpError::Chunk(_))));
        let wire = [&head[..], b"5\r\nhelloXY0\r\n\r\n"].concat();
        assert_eq!(bytewise(&wire).1, Err(HttpError::ChunkEnd(5)));
        // A size is known before its data comes.
        let wire = [&head[..], b"100\r\nab"].concat();
        assert_eq!(
            response_end(&wire),
            Ok(End::Needs {
                len: head.len() + 5 + 0x100 + 2
            })
        );
    }

    #[test]
    fn heads_chunk_lines_and_trailers_are_bounded() {
        let mut endless = b"HTTP/1.1 200 OK\r\nX-Long: ".to_vec();
        endless.resize(MAX_HEAD + 1, b'a');
        assert_eq!(response_end(&endless), Err(HttpError::HeadTooLarge));
        endless.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(response_end(&endless), Err(HttpError::HeadTooLarge));

        let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        // Extensions up to the bound are passed over; one byte more is refused, whether
        // or not the line's end has come.
        let mut line = b"3;".to_vec();
        line.resize(MAX_CHUNK_LINE, b'x');
        let fits = [&head[..], &line, b"\r\nabc\r\n0\r\n\r\n"].concat();
        assert!(matches!(response_end(&fits), Ok(End::At { len, .. }) if len == fits.len()));
        line.push(b'x');
        let over = [&head[..], &line, b"\r\nabc\r\n0\r\n\r\n"].concat();
        assert_eq!(response_end(&over), Err(HttpError::ChunkLine));
        assert_eq!(
            response_end(&over[..head.len() + line.len() + 1]),
            Err(HttpError::ChunkLine)
        );
        let mut trailers = [&head[..], b"0\r\n"].concat();
        while trailers.len() < head.len() + 3 + MAX_HEAD + 10 {
            trailers.extend_from_slice(b"X-T: v\r\n");
        }
        assert_eq!(response_end(&trailers), Err(HttpError::TrailersTooLarge));
    }

    #[test]
    fn interim_responses_come_before_the_final_one() {
        let early = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n";
        let (fed, end) = bytewise(early);
        assert_eq!(
            (fed, end),
            (early.len(), Ok(End::Interim { len: early.len() }))
        );
        let wire = [&early[..], b"HTTP/1.1 200 OK\r\n"].concat();
        assert_eq!(response_end(&wire), Ok(End::Interim { len: early.len() }));
        assert_eq!(
            response_end(b"HTTP/1.1 100 Continue\r\n\r\n"),
            Ok(End::Interim { len: 25 })
        );
        // 101 is final: what follows is another protocol, and the connection is done.
        let switching = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hi";
        assert_eq!(
            response_end(switching),
            Ok(End::At {
                len: switching.len() - 4,
                close: true
            })
        );
    }

    #[test]
    fn requests_name_the_host_and_carry_a_body() {
        assert_eq!(
            request("GET /", "127.0.0.1:8080").unwrap(),
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: keep-alive\r\n\r\n"
        );
        assert_eq!(
            request("POST /items {\"a\": 1}", "h").unwrap(),
            b"POST /items HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nContent-Length: 8\r\n\r\n{\"a\": 1}"
        );
        assert!(request("GET", "h").is_err());
        assert!(request("HEAD /", "h").is_err());
        assert!(request("GET / HTTP/1.0", "h").is_err());
        assert!(request("GET index.html", "h").is_err());
        assert_eq!(status(b"HTTP/1.1 404 Not Found\r\n\r\n"), Some(&b"404"[..]));
        let missing = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(status_line(missing), Some(&b"404 Not Found"[..]));
        assert_eq!(
            request_line(&request("GET /missing", "h").unwrap()),
            b"GET /missing"
        );
    }
}
