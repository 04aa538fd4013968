//! Repeated warnings, aggregated: the first of a kind is logged at once, then at most one
//! line a second says how many there were since. A peer that is refused, or a limit that
//! acts, thousands of times a second would otherwise fill stderr with the same line.

use std::time::{Duration, Instant};

/// At most one line per this long for one cause.
const PERIOD: Duration = Duration::from_secs(1);

/// Counts one cause of warnings and says when a line is due.
#[derive(Debug, Clone, Copy, Default)]
pub struct Throttle {
    /// When the last line was logged; `None` before the first.
    last: Option<Instant>,
    /// Occurrences since that line.
    since: u64,
}

/// What a due line covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    /// The first occurrence: the line says what happened.
    First,
    /// `count` occurrences over `over` since the last line.
    Since { count: u64, over: Duration },
}

impl Throttle {
    /// Counts one occurrence; returns what the line is to say when one is due.
    pub fn hit(&mut self) -> Option<Tally> {
        self.hit_at(Instant::now())
    }

    fn hit_at(&mut self, now: Instant) -> Option<Tally> {
        let Some(last) = self.last else {
            self.last = Some(now);
            return Some(Tally::First);
        };
        self.since += 1;
        let over = now.duration_since(last);
        if over < PERIOD {
            return None;
        }
        let count = std::mem::take(&mut self.since);
        self.last = Some(now);
        Some(Tally::Since { count, over })
    }

    /// Occurrences not yet in a line (at shutdown: the last line is owed).
    pub fn take_pending(&mut self) -> Option<Tally> {
        let count = std::mem::take(&mut self.since);
        let over = self.last?.elapsed();
        (count > 0).then_some(Tally::Since { count, over })
    }
}

impl Tally {
    /// How many occurrences the line covers.
    pub fn count(self) -> u64 {
        match self {
            Tally::First => 1,
            Tally::Since { count, .. } => count,
        }
    }

    /// ` (N time(s) in the last S s)` for a line after the first, empty for the first.
    pub fn suffix(self) -> String {
        match self {
            Tally::First => String::new(),
            Tally::Since { count, over } => {
                format!(" ({count} time(s) in the last {:.1} s)", over.as_secs_f64())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_is_told_then_one_line_a_second_with_a_count() {
        let mut throttle = Throttle::default();
        let start = Instant::now();
        assert_eq!(throttle.hit_at(start), Some(Tally::First));
        for ms in 1..1000 {
            assert_eq!(throttle.hit_at(start + Duration::from_millis(ms)), None);
        }
        let at = start + Duration::from_millis(1000);
        assert_eq!(
            throttle.hit_at(at),
            Some(Tally::Since {
                count: 1000,
                over: Duration::from_secs(1)
            })
        );
        assert_eq!(throttle.take_pending(), None);
        throttle.hit_at(at + Duration::from_millis(1));
        assert_eq!(throttle.take_pending().map(Tally::count), Some(1));
    }
}
