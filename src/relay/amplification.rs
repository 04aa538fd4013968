//! The UDP relay's answer to reflection: bound to more than loopback, it sends each client
//! at most [`RATIO`] times the bytes that client sent it, over a window, so a datagram
//! with a forged source cannot turn a chargen-like target into a flood at a third party
//! (444x through a chargen server, 888x with `--duplicate 100`). `udp serve` refuses
//! larger replies outright; a relay cannot, because its target's answers are often larger
//! than the questions, so it allows a ratio. `--allow-amplification` lifts the cap.
//!
//! Pure bookkeeping: the relay tells it what arrived and asks before each send.

use std::time::{Duration, Instant};

/// Bytes sent for each byte received. QUIC allows 3x towards an address it has not
/// validated (RFC 9000, section 8.1); a relay carries other protocols whose answers are
/// larger than their questions (a 40-byte DNS query may get a 400-byte answer), so 10x:
/// ordinary request and reply fit, while chargen's 444x and memcached's thousands do not.
pub const RATIO: u64 = 10;
/// How long what a client sent counts for its replies: two of these (the current window
/// and the one before), so an answer that comes a little after its question's window
/// closed still finds it. Long enough for slow targets, short enough that one early query
/// does not pay for a later flood.
pub const WINDOW: Duration = Duration::from_secs(10);
/// Bytes a client may get each window beyond the ratio: one full Ethernet frame's worth,
/// so the answer to a client's first small datagram (a short query, a probe) goes through.
pub const ALLOWANCE: u64 = 1500;

/// What one client sent and was sent, per window.
#[derive(Debug, Clone)]
pub struct Cap {
    /// When the current window began.
    since: Instant,
    /// Bytes received from the client in the window before the current one.
    earlier: u64,
    /// Bytes received from the client in the current window.
    received: u64,
    /// Bytes sent to the client in the current window.
    sent: u64,
}

impl Cap {
    pub fn new(now: Instant) -> Cap {
        Cap {
            since: now,
            earlier: 0,
            received: 0,
            sent: 0,
        }
    }

    /// Counts `bytes` the client sent.
    pub fn received(&mut self, bytes: usize, now: Instant) {
        self.roll(now);
        self.received += bytes as u64;
    }

    /// Whether `bytes` more may go to the client now; if so they are counted as sent.
    pub fn may_send(&mut self, bytes: usize, now: Instant) -> bool {
        self.roll(now);
        let budget = RATIO * (self.earlier + self.received) + ALLOWANCE;
        if self.sent + bytes as u64 > budget {
            return false;
        }
        self.sent += bytes as u64;
        true
    }

    /// Moves to the window `now` falls in.
    fn roll(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.since);
        if elapsed < WINDOW {
            return;
        }
        // One window on: the current one becomes the earlier one; more: both are over.
        self.earlier = if elapsed < 2 * WINDOW {
            self.received
        } else {
            0
        };
        self.received = 0;
        self.sent = 0;
        let windows = (elapsed.as_nanos() / WINDOW.as_nanos()) as u32;
        self.since += WINDOW * windows;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chargen_reply_to_each_byte_is_capped_at_the_ratio() {
        let start = Instant::now();
        let mut cap = Cap::new(start);
        // A client sends 100 one-byte datagrams; each would bring back 444 bytes.
        let mut sent = 0;
        for _ in 0..100 {
            cap.received(1, start);
            if cap.may_send(444, start) {
                sent += 444;
            }
        }
        assert!(sent <= RATIO * 100 + ALLOWANCE, "{sent}");
        // The allowance lets the first reply through.
        let mut fresh = Cap::new(start);
        fresh.received(1, start);
        assert!(fresh.may_send(444, start));
    }

    #[test]
    fn ordinary_answers_pass_and_a_window_later_the_budget_is_new() {
        let start = Instant::now();
        let mut cap = Cap::new(start);
        // DNS-like: 40-byte queries, 400-byte answers, many of them.
        for _ in 0..1000 {
            cap.received(40, start);
            assert!(cap.may_send(400, start));
        }
        // Nothing more was sent: an unasked flood stops at what is left of the budget.
        let mut flood = 0;
        while cap.may_send(1000, start) {
            flood += 1;
        }
        assert!(flood <= 2, "{flood}");
        // An answer just after its question's window closed still finds the question.
        let next = start + WINDOW + Duration::from_millis(1);
        let mut late = Cap::new(start);
        late.received(100, start + WINDOW - Duration::from_millis(1));
        assert!(late.may_send(1000 + ALLOWANCE as usize, next));
        // Two windows on, nothing earlier counts: only the allowance is left.
        let much_later = start + 3 * WINDOW;
        assert!(!cap.may_send(ALLOWANCE as usize + 1, much_later));
        assert!(cap.may_send(ALLOWANCE as usize, much_later));
    }
}
