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

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Notify;

use super::link::Feed;
use crate::framing::Framing;
use crate::framing::wire::{not_framing, reply_len, request_len};
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
            Framing::Memcached => format!("SERVER_ERROR {text}\r\n").into_bytes(),
            // Refused on relays when planned: WebSocket frames are not paired there.
            Framing::Ws => text.as_bytes().to_vec(),
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

#[cfg(test)]
mod tests {
    use super::*;

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
