//! A load run over time: a row per second of the measured window (requests completed in
//! it, their latency, errors that happened in it, and what the schedule intended), and a
//! row per stage of a shaped rate (requests due in the stage). Rows add up exactly, so
//! `merge` gives the shards' whole run second by second and stage by stage.

use hdrhistogram::Histogram;

use super::{ErrorKind, KINDS, stats};

/// One second, or one stage, of a run.
#[derive(Debug, Clone)]
pub struct Row {
    /// Requests the open-loop schedule made due in it (`None` in closed loop).
    pub intended: Option<u64>,
    /// Requests answered correctly.
    pub ok: u64,
    /// Failures by kind.
    pub errors: [u64; KINDS],
    /// Their latency, corrected in open loop.
    pub latency: Histogram<u64>,
}

impl Row {
    /// A second's row: two significant digits (1%) in a few KiB, since a long run keeps
    /// thousands of them.
    pub fn second() -> Row {
        Row::with(stats::new_coarse_histogram())
    }

    /// A stage's row: the full three digits of the run's own histogram.
    pub fn stage() -> Row {
        Row::with(stats::new_histogram())
    }

    fn with(latency: Histogram<u64>) -> Row {
        Row {
            intended: None,
            ok: 0,
            errors: [0; KINDS],
            latency,
        }
    }

    pub fn record(&mut self, micros: u64) {
        self.ok += 1;
        self.latency.saturating_record(micros);
    }

    pub fn error_total(&self) -> u64 {
        self.errors.iter().sum()
    }

    /// Adds `other` in; histograms of one shape cannot fail to add.
    pub fn add(&mut self, other: &Row) {
        self.ok += other.ok;
        for (mine, theirs) in self.errors.iter_mut().zip(other.errors) {
            *mine += theirs;
        }
        if !other.latency.is_empty() {
            let _ = self.latency.add(&other.latency);
        }
        self.intended = match (self.intended, other.intended) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
    }
}

/// Rows numbered from `first`: a load thread's since its last merge, or the run's.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    first: usize,
    rows: Vec<Row>,
}

impl Rows {
    /// Row `index`, made (with `make`) if it is new.
    pub fn at(&mut self, index: usize, make: fn() -> Row) -> &mut Row {
        if self.rows.is_empty() {
            self.first = index;
        }
        if index < self.first {
            let mut earlier: Vec<Row> = (index..self.first).map(|_| make()).collect();
            earlier.append(&mut self.rows);
            self.rows = earlier;
            self.first = index;
        }
        let at = index - self.first;
        while self.rows.len() <= at {
            self.rows.push(make());
        }
        &mut self.rows[at]
    }

    /// Adds `other` in, row by row, and empties it.
    pub fn absorb(&mut self, other: &mut Rows, make: fn() -> Row) {
        let first = other.first;
        for (offset, row) in other.rows.drain(..).enumerate() {
            self.at(first + offset, make).add(&row);
        }
    }

    /// Every row from 0, those never touched empty.
    pub fn all(&self, make: fn() -> Row) -> Vec<Row> {
        let mut all: Vec<Row> = (0..self.first).map(|_| make()).collect();
        all.extend(self.rows.iter().cloned());
        all
    }

    /// The number of the row after the last.
    pub fn end(&self) -> usize {
        self.first + self.rows.len()
    }
}

/// Errors counted between two moments, for the row of the time between them.
pub fn add_errors(row: &mut Row, before: &[u64; KINDS], now: &[u64; KINDS]) {
    for kind in ErrorKind::ALL {
        let i = kind as usize;
        row.errors[i] += now[i].saturating_sub(before[i]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_add_up_wherever_they_start() {
        let mut thread = Rows::default();
        thread.at(5, Row::second).record(100);
        thread.at(3, Row::second).record(200);
        thread.at(3, Row::second).record(300);
        let mut run = Rows::default();
        run.at(4, Row::second).record(50);
        run.absorb(&mut thread, Row::second);
        assert_eq!(run.end(), 6);
        let all = run.all(Row::second);
        let counts: Vec<u64> = all.iter().map(|row| row.ok).collect();
        assert_eq!(counts, [0, 0, 0, 2, 1, 1]);
        // The thread's rows went in; what it records next starts afresh.
        thread.at(9, Row::second).record(1);
        assert_eq!(thread.end(), 10);
    }
}
