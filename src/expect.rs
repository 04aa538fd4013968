//! What a reply must be (`--expect`, `--expect-regex`), and what a reply *is* for each
//! framing: the frame's bytes, for RESP its one-line rendering (`PONG`, `(integer) 1`), for
//! HTTP the whole response, whose status code is what `--expect` compares.
//!
//! Without an expectation any complete reply counts: a request/reply service answers what
//! it answers. The seed and echo modes are expectations too, of exact bytes.

use std::borrow::Cow;

use crate::framing::{Framing, http, resp};

/// What replies must be.
#[derive(Debug, Clone)]
pub enum Expect {
    /// Any complete reply.
    Any,
    /// Exactly these bytes: one for every message, or one per message by position.
    Exact(Vec<Vec<u8>>),
    /// A match somewhere in the reply as shown.
    Regex(regex::bytes::Regex),
}

impl Expect {
    /// Whether `frame`, a reply in `framing`, answers message `index` as expected.
    pub fn accepts(&self, framing: Framing, index: usize, frame: &[u8]) -> bool {
        match self {
            Expect::Any => true,
            Expect::Exact(_) => self
                .exact(index)
                .is_some_and(|want| want == &*compared(framing, frame)),
            Expect::Regex(regex) => regex.is_match(&shown(framing, frame)),
        }
    }

    /// What of `frame` was held against the expectation, for an error line.
    pub fn got<'a>(&self, framing: Framing, frame: &'a [u8]) -> Cow<'a, [u8]> {
        match self {
            Expect::Exact(_) => compared(framing, frame),
            Expect::Any | Expect::Regex(_) => shown(framing, frame),
        }
    }

    /// The exact reply message `index` must get, if one is set.
    pub fn exact(&self, index: usize) -> Option<&[u8]> {
        match self {
            Expect::Exact(all) if all.len() == 1 => Some(&all[0]),
            Expect::Exact(all) => all.get(index % all.len().max(1)).map(Vec::as_slice),
            _ => None,
        }
    }

    /// What was expected of message `index`, for an error line.
    pub fn describe(&self, index: usize, show: impl Fn(&[u8]) -> String) -> String {
        match self {
            Expect::Any => "any reply".to_owned(),
            Expect::Exact(_) => self.exact(index).map(show).unwrap_or_default(),
            Expect::Regex(regex) => format!("a match for /{}/", regex.as_str()),
        }
    }
}

/// A reply as `--expect` compares it and a conversation shows it: the frame itself, or for
/// `--framing resp` the value as one line of text.
pub fn shown(framing: Framing, frame: &[u8]) -> Cow<'_, [u8]> {
    match framing {
        Framing::Resp => match resp::render_borrowed(frame) {
            Some(line) => Cow::Borrowed(line),
            None => Cow::Owned(resp::render(frame)),
        },
        Framing::Raw
        | Framing::Line
        | Framing::Length
        | Framing::Http
        | Framing::Memcached
        | Framing::Ws => Cow::Borrowed(frame),
    }
}

/// Whether a reply says the request failed: a RESP error, an HTTP status of 400 or more.
/// Without an expectation such a reply still counts, and a load run says how many came.
pub fn is_error_reply(framing: Framing, frame: &[u8]) -> bool {
    match framing {
        Framing::Resp => matches!(frame.first(), Some(b'-' | b'!')),
        Framing::Http => http::status(frame).is_some_and(|status| status >= b"400".as_slice()),
        Framing::Memcached => crate::framing::memcached::is_error(frame),
        _ => false,
    }
}

/// What `--expect TEXT` is compared with: an HTTP response's status code (`200`), else the
/// reply as shown.
pub fn compared(framing: Framing, frame: &[u8]) -> Cow<'_, [u8]> {
    match framing {
        Framing::Http => Cow::Borrowed(http::status(frame).unwrap_or(frame)),
        _ => shown(framing, frame),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_replies_match_by_position_or_one_for_all() {
        let line = Framing::Line;
        let one = Expect::Exact(vec![b"OK".to_vec()]);
        assert!(one.accepts(line, 0, b"OK") && one.accepts(line, 7, b"OK"));
        let each = Expect::Exact(vec![b"OK".to_vec(), b"v".to_vec()]);
        assert!(each.accepts(line, 0, b"OK") && each.accepts(line, 1, b"v"));
        assert!(each.accepts(line, 2, b"OK") && !each.accepts(line, 1, b"OK"));
        let regex = Expect::Regex(regex::bytes::Regex::new(r"^\(integer\) [0-9]+$").unwrap());
        assert!(regex.accepts(Framing::Resp, 0, b":12\r\n"));
        assert!(!regex.accepts(line, 0, b"(integer) x"));
        assert!(Expect::Any.accepts(line, 3, b"anything"));
        let ok = Expect::Exact(vec![b"200".to_vec()]);
        assert!(ok.accepts(Framing::Http, 0, b"HTTP/1.1 200 OK\r\n\r\n"));
        assert!(!ok.accepts(Framing::Http, 0, b"HTTP/1.1 404 Not Found\r\n\r\n"));
    }

    #[test]
    fn resp_replies_are_compared_as_shown() {
        assert_eq!(&*shown(Framing::Resp, b"+PONG\r\n"), b"PONG");
        assert_eq!(&*shown(Framing::Line, b"PONG"), b"PONG");
    }
}
