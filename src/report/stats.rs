//! Latency and loss figures as pure functions: percentile summaries of hdrhistogram
//! histograms, their portable serialization, and RFC 3550 interarrival jitter.

use base64::Engine as _;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Serializer as _, V2DeflateSerializer};

/// Largest latency recorded, in microseconds (one hour); longer ones saturate.
const HIGHEST_US: u64 = 3_600_000_000;

/// A histogram of microseconds with three significant figures: 0.1% resolution at any
/// scale, in a few dozen KiB, however many values are recorded.
pub fn new_histogram() -> Histogram<u64> {
    // The bounds are constants that hdrhistogram accepts, so this cannot fail.
    Histogram::new_with_bounds(1, HIGHEST_US, 3).expect("valid histogram bounds")
}

/// A histogram of microseconds with two significant figures (1% resolution), in a tenth
/// of the room: for the many per-second rows of a long run.
pub fn new_coarse_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIGHEST_US, 2).expect("valid histogram bounds")
}

/// min/mean/p50/p90/p99/p99.9/max of a histogram, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub count: u64,
    pub min: u64,
    pub mean: f64,
    pub p50: u64,
    pub p90: u64,
    pub p99: u64,
    pub p999: u64,
    pub max: u64,
}

impl Summary {
    pub fn of(histogram: &Histogram<u64>) -> Summary {
        if histogram.is_empty() {
            return Summary {
                count: 0,
                min: 0,
                mean: 0.0,
                p50: 0,
                p90: 0,
                p99: 0,
                p999: 0,
                max: 0,
            };
        }
        Summary {
            count: histogram.len(),
            min: histogram.min(),
            mean: histogram.mean(),
            p50: histogram.value_at_quantile(0.50),
            p90: histogram.value_at_quantile(0.90),
            p99: histogram.value_at_quantile(0.99),
            p999: histogram.value_at_quantile(0.999),
            max: histogram.max(),
        }
    }
}

/// `850 µs`, `12.3 ms`, `1.50 s`: the unit that keeps the number short.
pub fn micros(us: f64) -> String {
    if us < 1_000.0 {
        format!("{us:.0} µs")
    } else if us < 1_000_000.0 {
        format!("{:.2} ms", us / 1_000.0)
    } else {
        format!("{:.2} s", us / 1_000_000.0)
    }
}

/// The histogram in HdrHistogram's compressed V2 format, base64 (`HISTFAAA...`): the form
/// HdrHistogram tools exchange (Java's HistogramLogProcessor, Python's hdrh, Go's), so runs
/// from several machines can be merged by any of them.
pub fn serialize(histogram: &Histogram<u64>) -> String {
    let mut bytes = Vec::new();
    match V2DeflateSerializer::new().serialize(histogram, &mut bytes) {
        Ok(_) => base64::engine::general_purpose::STANDARD.encode(bytes),
        // Serializing into memory fails only on a histogram too large to encode.
        Err(err) => {
            tracing::warn!(error = ?err, "cannot serialize the histogram");
            String::new()
        }
    }
}

/// RFC 3550 interarrival jitter, fed one packet at a time in arrival order: a running
/// mean of how much the transit time changes between consecutive packets, smoothed by 1/16.
#[derive(Debug, Default, Clone, Copy)]
pub struct Jitter {
    last_transit: Option<f64>,
    jitter: f64,
}

impl Jitter {
    /// `transit` is arrival time minus send time, in any consistent unit (µs here).
    pub fn record(&mut self, transit: f64) {
        if let Some(last) = self.last_transit {
            let d = (transit - last).abs();
            self.jitter += (d - self.jitter) / 16.0;
        }
        self.last_transit = Some(transit);
    }

    pub fn value(&self) -> f64 {
        self.jitter
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hdrhistogram::serialization::Deserializer;

    #[test]
    fn percentiles_of_a_known_distribution() {
        let mut h = new_histogram();
        for us in 1..=1000 {
            h.record(us).unwrap();
        }
        let s = Summary::of(&h);
        assert_eq!((s.count, s.min, s.max), (1000, 1, 1000));
        assert_eq!(s.p50, 500);
        assert_eq!(s.p90, 900);
        assert_eq!(s.p99, 990);
        assert_eq!(s.p999, 999);
        assert!((s.mean - 500.5).abs() < 0.5);
    }

    #[test]
    fn an_empty_histogram_summarizes_to_zeros() {
        assert_eq!(Summary::of(&new_histogram()).count, 0);
    }

    #[test]
    fn serialized_histograms_read_back_and_merge() {
        let mut h = new_histogram();
        h.record(42).unwrap();
        h.record(4200).unwrap();
        let text = serialize(&h);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap();
        let back: Histogram<u64> = Deserializer::new().deserialize(&mut &bytes[..]).unwrap();
        assert_eq!(back.len(), 2);
        let mut merged = new_histogram();
        merged.add(&back).unwrap();
        merged.add(&h).unwrap();
        assert_eq!(merged.len(), 4);
    }

    #[test]
    fn jitter_follows_rfc_3550() {
        let mut j = Jitter::default();
        // Constant transit time: no jitter.
        for _ in 0..10 {
            j.record(100.0);
        }
        assert_eq!(j.value(), 0.0);
        // One change of 16 µs moves the estimate by 16/16 = 1 µs.
        j.record(116.0);
        assert!((j.value() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn durations_read_in_a_short_unit() {
        assert_eq!(micros(850.0), "850 µs");
        assert_eq!(micros(12_345.0), "12.35 ms");
        assert_eq!(micros(1_500_000.0), "1.50 s");
    }
}
