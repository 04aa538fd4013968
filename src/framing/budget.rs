//! One bound on the bytes of partial messages a server holds across all of its
//! connections (`tcp serve --max-buffered`).
//!
//! `--max-frame` bounds one connection; without a total, 300 connections each holding a
//! 1 MiB partial line cost 314 MB. Each connection holds [`FREE`] bytes of a partial
//! message without asking, so ordinary messages never touch the shared count; beyond that
//! it takes from the [`Budget`] in [`CHUNK`]s, and a connection whose partial message the
//! budget cannot cover is closed (the others keep theirs).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What one connection may hold of a partial message without taking from the budget.
pub const FREE: usize = 64 * 1024;
/// The unit taken from and given back to the budget.
const CHUNK: usize = 64 * 1024;

/// The bytes all connections may hold beyond [`FREE`] each, and how many they hold.
#[derive(Debug)]
pub struct Budget {
    limit: usize,
    used: AtomicUsize,
}

impl Budget {
    pub fn new(limit: usize) -> Arc<Budget> {
        Arc::new(Budget {
            limit,
            used: AtomicUsize::new(0),
        })
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Bytes taken now, across connections.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    fn take(&self, bytes: usize) -> bool {
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                used.checked_add(bytes).filter(|&after| after <= self.limit)
            })
            .is_ok()
    }

    fn give_back(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::Relaxed);
    }
}

/// One connection's part of a [`Budget`], given back when dropped.
#[derive(Debug)]
pub struct Share {
    budget: Arc<Budget>,
    held: usize,
}

impl Share {
    pub fn new(budget: Arc<Budget>) -> Share {
        Share { budget, held: 0 }
    }

    /// Holds what `partial` bytes of a message need. Returns false, holding what it held
    /// before, when the budget cannot cover them.
    pub fn cover(&mut self, partial: usize) -> bool {
        let needed = partial.saturating_sub(FREE).next_multiple_of(CHUNK);
        if needed > self.held {
            if !self.budget.take(needed - self.held) {
                return false;
            }
        } else {
            self.budget.give_back(self.held - needed);
        }
        self.held = needed;
        true
    }

    pub fn limit(&self) -> usize {
        self.budget.limit
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        self.budget.give_back(self.held);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_messages_are_free_and_large_ones_share_the_budget() {
        let budget = Budget::new(4 * CHUNK);
        let mut a = Share::new(budget.clone());
        let mut b = Share::new(budget.clone());
        assert!(a.cover(FREE));
        assert_eq!(budget.used(), 0);
        assert!(a.cover(FREE + 1));
        assert_eq!(budget.used(), CHUNK);
        assert!(b.cover(FREE + 3 * CHUNK));
        assert_eq!(budget.used(), 4 * CHUNK);
        // Full: the next connection to grow is refused and keeps what it had.
        assert!(!a.cover(FREE + 2 * CHUNK));
        assert_eq!(budget.used(), 4 * CHUNK);
        // A message completes: its part goes back.
        assert!(b.cover(0));
        assert_eq!(budget.used(), CHUNK);
        assert!(a.cover(FREE + 2 * CHUNK));
        drop(a);
        assert_eq!(budget.used(), 0);
    }
}
