//! Protocol-aware faults (`tcp relay --framing http|resp|line|length`, with the toxics
//! `fail_requests` and `hold_requests` that `--fail-requests`, `--hold-requests`,
//! `--schedule` and the API set): the relay reads the client's bytes as requests
//! and the target's as replies, in the framing the service speaks, and pairs them in order,
//! as HTTP/1.1, RESP and line protocols pair them (pipelined or not). A request chosen to
//! fail never reaches the target: the relay answers it itself, in its turn, after the
//! replies to the requests before it (HTTP 503, RESP `-ERR`, a line, a length-prefixed
//! frame). A request chosen to be held goes to the target, but its reply, and every reply
//! after it on that connection, is kept back, as from a server that stalls: the client's
//! timeout is what is tested.
//!
//! Bytes that are not the framing end the connection with an error that says so; a reply
//! no request asked for (a RESP push) is passed on as it comes.

use std::collections::VecDeque;
use std::io;
use std::sync::Mutex;

use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Notify;

use super::link::Feed;
use crate::framing::{Framing, http, resp};
use crate::template::Rng;

/// How a relay reads requests and replies for its protocol faults (which are toxics:
/// `fail_requests`, `hold_requests`), and what it answers a failed request with.
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeFaults {
    pub framing: Framing,
    /// The relay's own reply, whole, in the framing.
    pub reply: Bytes,
    /// The largest request or reply read (`--max-frame`).
    pub max_frame: usize,
}

impl ExchangeFaults {
    /// The relay's reply saying `text`, in `framing`'s form.
    pub fn reply_for(framing: Framing, text: &str) -> Bytes {
        let reply = match framing {
            Framing::Http => format!(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n\
                 content-length: {}\r\n\r\n{text}\n",
                text.len() + 1
            )
            .into_bytes(),
            Framing::Resp => format!("-ERR {text}\r\n").into_bytes(),
            Framing::Length => {
                let mut frame = (text.len() as u32).to_be_bytes().to_vec();
                frame.extend_from_slice(text.as_bytes());
                frame
            }
            Framing::Line | Framing::Raw => format!("{text}\n").into_bytes(),
        };
        Bytes::from(reply)
    }
}

/// Why an exchange ended badly.
#[derive(Debug)]
pub struct Failed {
    /// The client's side (else the target's).
    pub client: bool,
    pub err: io::Error,
}

/// What the down side owes the client, in request order.
#[derive(Debug)]
enum Owed {
    /// The target's reply to a forwarded request; `head` when it was an HTTP HEAD, whose
    /// response has no body whatever its Content-Length says.
    Reply { head: bool },
    /// The target's reply, and all after it, kept back.
    Held { head: bool },
    /// The relay's own reply (its head alone to an HTTP HEAD).
    Own { head: bool },
}

/// Counts of what the faults did, for the relay's counters.
pub trait Tally: Sync {
    fn failed(&self);
    fn held(&self);
}

/// Relays one connection's requests and replies through `faults` until the client has
/// closed and every reply owed went, or the target closed.
///
/// # Errors
/// A side failed, or sent bytes that are not the framing.
#[allow(clippy::too_many_arguments)]
pub async fn exchange<CR, CW, TR, TW>(
    client_read: &mut CR,
    client_write: &mut CW,
    target_read: &mut TR,
    target_write: &mut TW,
    faults: &ExchangeFaults,
    mut feed: Feed,
    mut rng: Rng,
    tally: &dyn Tally,
    seen: &(dyn Fn(bool, &[u8]) + Sync),
) -> Result<(), Failed>
where
    CR: AsyncRead + Unpin,
    CW: AsyncWrite + Unpin,
    TR: AsyncRead + Unpin,
    TW: AsyncWrite + Unpin,
{
    let owed = Mutex::new(VecDeque::<Owed>::new());
    let ready = Notify::new();
    let client_failed = |err| Failed { client: true, err };
    let target_failed = |err| Failed { client: false, err };
    let up = async {
        let mut buf = BytesMut::with_capacity(16 * 1024);
        let mut number = 0u64;
        let mut requests = feed.request_faults();
        loop {
            if client_read
                .read_buf(&mut buf)
                .await
                .map_err(client_failed)?
                == 0
            {
                if !buf.is_empty() {
                    return Err(client_failed(not_framing(
                        faults.framing,
                        "the client closed in the middle of a request",
                    )));
                }
                target_write.shutdown().await.map_err(target_failed)?;
                return Ok(());
            }
            while let Some(len) =
                request_len(faults.framing, &buf, faults.max_frame).map_err(client_failed)?
            {
                let request = buf.split_to(len).freeze();
                number += 1;
                if feed.has_changed() {
                    requests = feed.request_faults();
                }
                let fail = requests.fail.iter().any(|e| e.takes(number, &mut rng));
                let hold = !fail && requests.hold.iter().any(|e| e.takes(number, &mut rng));
                let head = faults.framing == Framing::Http && request.starts_with(b"HEAD ");
                let owes = if fail {
                    tally.failed();
                    Owed::Own { head }
                } else if hold {
                    tally.held();
                    Owed::Held { head }
                } else {
                    Owed::Reply { head }
                };
                lock(&owed).push_back(owes);
                if fail {
                    ready.notify_one();
                    continue;
                }
                seen(true, &request);
                target_write
                    .write_all(&request)
                    .await
                    .map_err(target_failed)?;
            }
        }
    };
    let down = async {
        let mut buf = BytesMut::with_capacity(16 * 1024);
        // A reply was held: nothing more goes to the client.
        let mut holding = false;
        let mut target_closed = false;
        loop {
            // Pay what is owed, in order, with what has come.
            loop {
                let front = lock(&owed).front().map(|owes| match owes {
                    Owed::Own { head } => (true, *head),
                    Owed::Reply { head } | Owed::Held { head } => (false, *head),
                });
                match front {
                    Some((true, head)) => {
                        lock(&owed).pop_front();
                        if !holding {
                            let reply = if head {
                                let end = faults
                                    .reply
                                    .windows(4)
                                    .position(|w| w == b"\r\n\r\n")
                                    .map_or(faults.reply.len(), |at| at + 4);
                                &faults.reply[..end]
                            } else {
                                &faults.reply[..]
                            };
                            seen(false, reply);
                            client_write.write_all(reply).await.map_err(client_failed)?;
                        }
                    }
                    Some((false, head)) => {
                        let Some(len) = reply_len(faults.framing, &buf, faults.max_frame, head)
                            .map_err(target_failed)?
                        else {
                            break;
                        };
                        let reply = buf.split_to(len);
                        if matches!(lock(&owed).pop_front(), Some(Owed::Held { .. })) {
                            holding = true;
                        }
                        if !holding {
                            seen(false, &reply);
                            client_write
                                .write_all(&reply)
                                .await
                                .map_err(client_failed)?;
                        }
                    }
                    None => {
                        // Nothing asked for: passed on as it comes (a push).
                        if !buf.is_empty() && !holding {
                            seen(false, &buf);
                            client_write.write_all(&buf).await.map_err(client_failed)?;
                        }
                        buf.clear();
                        break;
                    }
                }
            }
            if target_closed {
                if !holding {
                    client_write.shutdown().await.map_err(client_failed)?;
                }
                return Ok::<(), Failed>(());
            }
            tokio::select! {
                read = target_read.read_buf(&mut buf) => {
                    if read.map_err(target_failed)? == 0 {
                        target_closed = true;
                        // What is left unanswered stays so: the target said no more.
                        lock(&owed).retain(|owes| matches!(owes, Owed::Own { .. }));
                    }
                }
                () = ready.notified() => {}
            }
        }
    };
    tokio::pin!(up, down);
    // The client closing is not the end: replies owed still come down. The target
    // closing is, once what it sent went on.
    tokio::select! {
        result = &mut up => {
            result?;
            down.await
        }
        result = &mut down => result,
    }
}

fn lock(owed: &Mutex<VecDeque<Owed>>) -> std::sync::MutexGuard<'_, VecDeque<Owed>> {
    owed.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn not_framing(framing: Framing, why: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "not {} ({why}): --framing must be what the service speaks",
            framing.name()
        ),
    )
}

/// The length of the request at the start of `buf`, once it is all there.
fn request_len(framing: Framing, buf: &[u8], max: usize) -> io::Result<Option<usize>> {
    let len = match framing {
        Framing::Http => http_request_len(buf).map_err(|why| not_framing(framing, why))?,
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
fn reply_len(framing: Framing, buf: &[u8], max: usize, head: bool) -> io::Result<Option<usize>> {
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
        Framing::Http => Ok(None),
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

    #[test]
    fn the_relays_own_reply_is_the_framings() {
        let reply = ExchangeFaults::reply_for(Framing::Http, "no");
        assert_eq!(
            reply_len(Framing::Http, &reply, 1 << 20, false).unwrap(),
            Some(reply.len())
        );
        let reply = ExchangeFaults::reply_for(Framing::Resp, "no");
        assert_eq!(&reply[..], b"-ERR no\r\n");
        let reply = ExchangeFaults::reply_for(Framing::Length, "no");
        assert_eq!(&reply[..], b"\0\0\0\x02no");
    }
}
