//! `--hist-log FILE`: a TCP load run's latency as an HdrHistogram interval log, one
//! histogram a second, in the text format Java's HistogramLogProcessor, Python's hdrh and
//! Go's readers take: a start time, a legend, then `start,length,max,histogram` lines with
//! each histogram in the compressed V2 form.
//!
//! Workers hand their latencies to the run every 100 ms or so (`tcp.rs`), so a second's
//! histogram may hold the last moments of the second before: the intervals add up to the
//! run exactly, their edges are within that much.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use hdrhistogram::Histogram;

use crate::report::stats;

/// An open interval log.
pub struct HistLog {
    file: BufWriter<File>,
    /// What was logged so far, to log only what is new.
    logged: Histogram<u64>,
    failed: bool,
}

impl HistLog {
    /// Creates the log at `path` and writes its header, dated `start`.
    ///
    /// # Errors
    /// The file cannot be created or written.
    pub fn create(path: &Path, start: SystemTime) -> io::Result<HistLog> {
        let mut file = BufWriter::new(File::create(path)?);
        let epoch = start
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        writeln!(file, "#[Histogram log format version 1.3]")?;
        writeln!(
            file,
            "#[Latency in microseconds, one interval a second, by netdemo]"
        )?;
        writeln!(
            file,
            "#[StartTime: {epoch:.3} (seconds since epoch), {}]",
            humantime::format_rfc3339_millis(start)
        )?;
        writeln!(
            file,
            "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\""
        )?;
        file.flush()?;
        Ok(HistLog {
            file,
            logged: stats::new_histogram(),
            failed: false,
        })
    }

    /// Logs what `total` (everything recorded so far) holds beyond what was logged, as the
    /// interval from `from` (since the start) lasting `length`.
    pub fn interval(&mut self, total: &Histogram<u64>, from: Duration, length: Duration) {
        if self.failed {
            return;
        }
        let mut new = total.clone();
        if new.subtract(&self.logged).is_err() {
            // Histograms only grow; a failure here would be a bug, not a reason to stop.
            return;
        }
        self.logged = total.clone();
        let written = writeln!(
            self.file,
            "{:.3},{:.3},{:.3},{}",
            from.as_secs_f64(),
            length.as_secs_f64(),
            // In milliseconds, as HistogramLogProcessor shows its maxima.
            new.max() as f64 / 1000.0,
            stats::serialize(&new)
        )
        .and_then(|()| self.file.flush());
        if let Err(err) = written {
            tracing::error!(error = %err, "cannot write --hist-log: the log stops here");
            self.failed = true;
        }
    }
}
