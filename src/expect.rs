//! What a reply must be (`--expect`, `--expect-regex`), and what a reply *is* for each
//! framing: the frame's bytes, or for RESP its one-line rendering (`PONG`, `(integer) 1`).
//!
//! Without an expectation any complete reply counts: a request/reply service answers what
//! it answers. The seed and echo modes are expectations too, of exact bytes.

use std::borrow::Cow;

use crate::framing::{Framing, resp};

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
    /// Whether `reply` (as [`shown`] makes it) answers message `index` as expected.
    pub fn accepts(&self, index: usize, reply: &[u8]) -> bool {
        match self {
            Expect::Any => true,
            Expect::Exact(_) => self.exact(index).is_some_and(|want| want == reply),
            Expect::Regex(regex) => regex.is_match(reply),
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
        Framing::Resp => Cow::Owned(resp::render(frame)),
        Framing::Raw | Framing::Line | Framing::Length => Cow::Borrowed(frame),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_replies_match_by_position_or_one_for_all() {
        let one = Expect::Exact(vec![b"OK".to_vec()]);
        assert!(one.accepts(0, b"OK") && one.accepts(7, b"OK"));
        let each = Expect::Exact(vec![b"OK".to_vec(), b"v".to_vec()]);
        assert!(each.accepts(0, b"OK") && each.accepts(1, b"v") && each.accepts(2, b"OK"));
        assert!(!each.accepts(1, b"OK"));
        let regex = Expect::Regex(regex::bytes::Regex::new(r"^\(integer\) [0-9]+$").unwrap());
        assert!(regex.accepts(0, b"(integer) 12"));
        assert!(!regex.accepts(0, b"(integer) x"));
        assert!(Expect::Any.accepts(3, b"anything"));
    }

    #[test]
    fn resp_replies_are_compared_as_shown() {
        assert_eq!(&*shown(Framing::Resp, b"+PONG\r\n"), b"PONG");
        assert_eq!(&*shown(Framing::Line, b"PONG"), b"PONG");
    }
}
