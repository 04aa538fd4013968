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

/// Why buffered bytes are not an HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("not an HTTP/1.x response: {0}")]
    Parse(String),
    #[error("not an HTTP/1.x response: bad Content-Length")]
    Length,
    #[error("not an HTTP/1.x response: bad chunk size")]
    Chunk,
    #[error("an HTTP response with more than {MAX_HEADERS} headers")]
    TooManyHeaders,
}

/// Where the response at the start of a buffer ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// More bytes are needed.
    Incomplete,
    /// The response is this many bytes; `close` when the server said it closes after it.
    At { len: usize, close: bool },
    /// The body runs until the server closes (no length, not chunked).
    AtClose,
}

/// Where the response at the start of `buf` ends.
///
/// # Errors
/// The bytes are not an HTTP/1.x response, or its length or chunks are malformed.
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
        Ok(httparse::Status::Complete(head)) => head,
        Ok(httparse::Status::Partial) => return Ok(End::Incomplete),
        Err(httparse::Error::TooManyHeaders) => return Err(HttpError::TooManyHeaders),
        Err(err) => return Err(HttpError::Parse(err.to_string())),
    };
    let status = response.code.unwrap_or(0);
    let mut length = None;
    let mut chunked = false;
    // HTTP/1.0 closes unless asked not to; 1.1 keeps the connection unless told to close.
    let mut close = response.version == Some(0);
    for header in response.headers.iter() {
        let value = String::from_utf8_lossy(header.value);
        if header.name.eq_ignore_ascii_case("content-length") {
            let parsed: usize = value.trim().parse().map_err(|_| HttpError::Length)?;
            if length.is_some_and(|earlier| earlier != parsed) {
                return Err(HttpError::Length);
            }
            length = Some(parsed);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value
                .rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
        } else if header.name.eq_ignore_ascii_case("connection") {
            let value = value.to_ascii_lowercase();
            close = value.contains("close") || (close && !value.contains("keep-alive"));
        }
    }
    // Informational, 204 and 304 responses never have a body (RFC 9112, 6.3).
    if (100..200).contains(&status) || status == 204 || status == 304 {
        return Ok(End::At { len: head, close });
    }
    if chunked {
        return Ok(match chunked_end(buf, head)? {
            Some(len) => End::At { len, close },
            None => End::Incomplete,
        });
    }
    match length {
        Some(length) if buf.len() >= head + length => Ok(End::At {
            len: head + length,
            close,
        }),
        Some(_) => Ok(End::Incomplete),
        None => Ok(End::AtClose),
    }
}

/// The end of a chunked body starting at `at`, trailers included, if all buffered.
fn chunked_end(buf: &[u8], mut at: usize) -> Result<Option<usize>, HttpError> {
    loop {
        let Some(line_end) = find_crlf(buf, at) else {
            return Ok(None);
        };
        let line = &buf[at..line_end];
        // Chunk extensions (`;name=value`) follow the size and mean nothing here.
        let size = line.split(|&b| b == b';').next().unwrap_or(line);
        let size = std::str::from_utf8(size)
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .ok_or(HttpError::Chunk)?;
        at = line_end + 2;
        if size == 0 {
            // Trailer fields, then an empty line.
            loop {
                let Some(end) = find_crlf(buf, at) else {
                    return Ok(None);
                };
                let empty = end == at;
                at = end + 2;
                if empty {
                    return Ok(Some(at));
                }
            }
        }
        let next = at.checked_add(size + 2).ok_or(HttpError::Chunk)?;
        if buf.len() < next {
            return Ok(None);
        }
        if &buf[next - 2..next] != b"\r\n" {
            return Err(HttpError::Chunk);
        }
        at = next;
    }
}

fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|i| from + i)
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
            assert_eq!(
                response_end(&whole[..cut]),
                Ok(End::Incomplete),
                "cut {cut}"
            );
        }
        assert!(response_end(b"SSH-2.0-OpenSSH\r\n\r\n").is_err());
        assert!(response_end(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").is_err());
        assert!(
            response_end(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").is_err()
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
    }
}
