//! Where one message ends in a byte stream, in each framing, read as bytes on the wire:
//! a request from a client, a reply from a server (they differ for HTTP, and for RESP,
//! whose requests may be inline commands). The relay's protocol faults pair them
//! (`relay/exchange.rs`); `--replay` splits a captured stream with them.

use std::io;

use bytes::Buf;

use super::{Framing, http, memcached, resp};

/// Bytes that are not `framing`, as an error that says so and what to do.
pub fn not_framing(framing: Framing, why: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "not {} ({why}): --framing must be what the service speaks",
            framing.name()
        ),
    )
}

/// The length of the request at the start of `buf`, once it is all there.
pub fn request_len(framing: Framing, buf: &[u8], max: usize) -> io::Result<Option<usize>> {
    let len = match framing {
        Framing::Http => http_request_len(buf).map_err(|why| not_framing(framing, why))?,
        Framing::Memcached => {
            memcached::request_len(buf).map_err(|why| not_framing(framing, why))?
        }
        // Redis also takes a command as a plain line (an "inline command", as
        // redis-benchmark's PING_INLINE and telnet users send it).
        Framing::Resp if buf.first().is_some_and(|&b| b != b'*') => {
            message_len(Framing::Line, buf)?
        }
        _ => message_len(framing, buf)?,
    };
    bounded(framing, buf, len, max)
}

/// The length of the reply at the start of `buf`, once it is all there; `head` when it
/// answers an HTTP HEAD (its head alone).
pub fn reply_len(
    framing: Framing,
    buf: &[u8],
    max: usize,
    head: bool,
) -> io::Result<Option<usize>> {
    let len = match framing {
        Framing::Http if head => {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            match httparse::Response::new(&mut headers).parse(buf) {
                Ok(httparse::Status::Complete(len)) => Some(len),
                Ok(httparse::Status::Partial) => None,
                Err(err) => return Err(not_framing(framing, err)),
            }
        }
        Framing::Http => match http::response_end(buf).map_err(|err| not_framing(framing, err))? {
            http::End::At { len, .. } | http::End::Interim { len } => Some(len),
            http::End::AtClose => {
                return Err(not_framing(
                    framing,
                    "a response whose body runs until the server closes cannot be paired",
                ));
            }
            http::End::Incomplete | http::End::Needs { .. } => None,
        },
        Framing::Memcached => memcached::reply_len(buf).map_err(|why| not_framing(framing, why))?,
        _ => message_len(framing, buf)?,
    };
    bounded(framing, buf, len, max)
}

fn bounded(
    framing: Framing,
    buf: &[u8],
    len: Option<usize>,
    max: usize,
) -> io::Result<Option<usize>> {
    if len.unwrap_or(buf.len()) > max.saturating_add(64 * 1024) {
        return Err(not_framing(
            framing,
            format!("a message over --max-frame {max} bytes"),
        ));
    }
    Ok(len)
}

/// Line, length and RESP messages: the same both ways.
fn message_len(framing: Framing, buf: &[u8]) -> io::Result<Option<usize>> {
    match framing {
        Framing::Line | Framing::Raw => Ok(buf.iter().position(|&b| b == b'\n').map(|at| at + 1)),
        Framing::Length => {
            if buf.len() < 4 {
                return Ok(None);
            }
            let len = (&buf[..4]).get_u32() as usize + 4;
            Ok((buf.len() >= len).then_some(len))
        }
        Framing::Resp => resp::frame_len(buf).map_err(|err| not_framing(framing, err)),
        Framing::Http | Framing::Memcached => Ok(None),
        Framing::Ws => Err(not_framing(
            framing,
            "WebSocket frames are not paired as bytes on the wire yet",
        )),
    }
}

/// An HTTP/1.1 request: its head, and a body of its Content-Length.
fn http_request_len(buf: &[u8]) -> Result<Option<usize>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    let head = match request.parse(buf) {
        Ok(httparse::Status::Complete(head)) => head,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(err) => return Err(err.to_string()),
    };
    let mut body = 0usize;
    for header in request.headers.iter() {
        if header.name.eq_ignore_ascii_case("transfer-encoding") {
            return Err("a chunked request body cannot be paired yet".to_owned());
        }
        if header.name.eq_ignore_ascii_case("content-length") {
            body = std::str::from_utf8(header.value)
                .ok()
                .and_then(|value| value.trim().parse().ok())
                .ok_or("a Content-Length that is not a number")?;
        }
    }
    let len = head.saturating_add(body);
    Ok((buf.len() >= len).then_some(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_replies_are_found_whole_in_each_framing() {
        let max = 1 << 20;
        let get = b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /2";
        assert_eq!(request_len(Framing::Http, get, max).unwrap(), Some(27));
        let post = b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nab";
        assert_eq!(request_len(Framing::Http, post, max).unwrap(), None);
        assert_eq!(
            request_len(Framing::Resp, b"*1\r\n$4\r\nPING\r\n*1", max).unwrap(),
            Some(14)
        );
        assert_eq!(request_len(Framing::Line, b"a\nb", max).unwrap(), Some(2));
        assert_eq!(
            request_len(Framing::Length, b"\0\0\0\x02hi!", max).unwrap(),
            Some(6)
        );
        assert_eq!(
            request_len(Framing::Length, b"\0\0\0\x02h", max).unwrap(),
            None
        );
        assert_eq!(
            request_len(Framing::Resp, b"PING\r\nPI", max).unwrap(),
            Some(6)
        );
        assert!(reply_len(Framing::Resp, b"?what\r\n", max, false).is_err());
        let ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP";
        assert_eq!(reply_len(Framing::Http, ok, max, false).unwrap(), Some(40));
        // A HEAD's response is its head alone, whatever its Content-Length says.
        assert_eq!(reply_len(Framing::Http, ok, max, true).unwrap(), Some(38));
    }
}
