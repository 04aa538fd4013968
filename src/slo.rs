//! `--slo 'p99<5ms,errors<0.1%'`: the promise a capacity search holds a service to,
//! parsed, and judged against one step's figures. Pure: no clock, no I/O.

use std::time::Duration;

/// What a bound is on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// A latency percentile (50, 90, 99, 99.9), corrected in open loop.
    Percentile(f64),
    Max,
    /// Failed requests: a share of all (`%`) or a count.
    Errors,
}

/// The bound's limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    Latency(Duration),
    Percent(f64),
    Count(u64),
}

/// One bound of the promise: `p99<5ms`, `errors<=10`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub metric: Metric,
    pub limit: Limit,
    /// `<=` rather than `<`.
    pub inclusive: bool,
}

/// The whole promise, every bound of which must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Slo(pub Vec<Bound>);

/// What one step measured, for judging.
#[derive(Debug, Clone, Copy)]
pub struct Figures<'a> {
    pub latency: &'a hdrhistogram::Histogram<u64>,
    pub ok: u64,
    pub errors: u64,
}

/// The percentiles a bound may name.
const PERCENTILES: [(&str, f64); 4] = [("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("p999", 99.9)];

/// Parses `--slo`.
///
/// # Errors
/// A bound that does not parse: an unknown metric or unit, a missing `<`, a limit out of
/// range; or no bound at all.
pub fn parse(text: &str) -> Result<Slo, String> {
    let mut bounds = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        bounds.push(bound(part)?);
    }
    if bounds.is_empty() {
        return Err("give at least one bound, e.g. 'p99<5ms' or 'p99<5ms,errors<0.1%'".to_owned());
    }
    Ok(Slo(bounds))
}

fn bound(part: &str) -> Result<Bound, String> {
    let (name, inclusive, value) = if let Some((name, value)) = part.split_once("<=") {
        (name, true, value)
    } else if let Some((name, value)) = part.split_once('<') {
        (name, false, value)
    } else {
        return Err(format!(
            "'{part}': write METRIC<LIMIT, e.g. p99<5ms or errors<0.1% (a promise is an upper \
             bound)"
        ));
    };
    let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
    let metric = match name.as_str() {
        "max" => Metric::Max,
        "errors" => Metric::Errors,
        other => match PERCENTILES.iter().find(|(n, _)| *n == other) {
            Some(&(_, p)) => Metric::Percentile(p),
            None => {
                return Err(format!(
                    "'{part}': unknown metric '{other}' (p50, p90, p99, p999, max or errors)"
                ));
            }
        },
    };
    let limit = match metric {
        Metric::Errors => match value.strip_suffix('%') {
            Some(percent) => match percent.trim().parse::<f64>() {
                Ok(p) if (0.0..=100.0).contains(&p) => Limit::Percent(p),
                _ => return Err(format!("'{part}': a share of errors is 0% to 100%")),
            },
            None => Limit::Count(value.parse().map_err(|_| {
                format!("'{part}': errors take a count (errors<10) or a share (errors<0.1%)")
            })?),
        },
        _ => Limit::Latency(latency(value).map_err(|why| format!("'{part}': {why}"))?),
    };
    let nothing_passes = match limit {
        Limit::Latency(d) => d.is_zero(),
        Limit::Percent(p) => p == 0.0,
        Limit::Count(c) => c == 0,
    };
    if nothing_passes && !inclusive {
        return Err(format!(
            "'{part}': nothing is below 0 (write {name}<=0 to allow none)"
        ));
    }
    Ok(Bound {
        metric,
        limit,
        inclusive,
    })
}

/// A latency limit: a number with a unit, `us` (or `µs`), `ms` or `s`.
fn latency(text: &str) -> Result<Duration, String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit.trim() {
        "us" | "µs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "" => return Err("a latency needs a unit: us, ms or s (e.g. 5ms)".to_owned()),
        other => return Err(format!("unknown unit '{other}' (us, ms or s)")),
    };
    match number.parse::<f64>() {
        Ok(n) if n.is_finite() && n * scale <= 3600.0 => Ok(Duration::from_secs_f64(n * scale)),
        _ => Err("a latency from 0 to an hour, e.g. 5ms".to_owned()),
    }
}

impl Bound {
    /// The step's figure for this bound: microseconds for latency, percent or a count for
    /// errors.
    pub fn measure(&self, figures: Figures<'_>) -> f64 {
        match self.metric {
            Metric::Percentile(p) => figures.latency.value_at_percentile(p) as f64,
            Metric::Max => figures.latency.max() as f64,
            Metric::Errors => match self.limit {
                Limit::Percent(_) => {
                    let all = figures.ok + figures.errors;
                    if all == 0 {
                        0.0
                    } else {
                        figures.errors as f64 * 100.0 / all as f64
                    }
                }
                _ => figures.errors as f64,
            },
        }
    }

    /// Whether `figure` (as [`Bound::measure`] gives it) keeps the bound.
    pub fn keeps(&self, figure: f64) -> bool {
        let limit = match self.limit {
            Limit::Latency(d) => d.as_secs_f64() * 1e6,
            Limit::Percent(p) => p,
            Limit::Count(c) => c as f64,
        };
        if self.inclusive {
            figure <= limit
        } else {
            figure < limit
        }
    }

    /// The metric's name: `p99`, `max`, `errors`.
    pub fn name(&self) -> String {
        match self.metric {
            Metric::Percentile(p) => PERCENTILES
                .iter()
                .find(|(_, q)| *q == p)
                .map_or_else(|| format!("p{p}"), |(n, _)| (*n).to_owned()),
            Metric::Max => "max".to_owned(),
            Metric::Errors => "errors".to_owned(),
        }
    }

    /// A figure in the bound's unit, for people: `9.10 ms`, `0.3%`, `12`.
    pub fn show(&self, figure: f64) -> String {
        match self.limit {
            Limit::Latency(_) => crate::report::stats::micros(figure),
            Limit::Percent(_) => format!("{figure:.2}%"),
            Limit::Count(_) => format!("{figure:.0}"),
        }
    }
}

impl Slo {
    /// The tightest latency bound, if the promise has one.
    pub fn tightest_latency(&self) -> Option<Duration> {
        self.0
            .iter()
            .filter_map(|bound| match bound.limit {
                Limit::Latency(d) => Some(d),
                _ => None,
            })
            .min()
    }
}

impl std::fmt::Display for Bound {
    /// `p99 < 5.00 ms`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = if self.inclusive { "<=" } else { "<" };
        let limit = match self.limit {
            Limit::Latency(d) => d.as_secs_f64() * 1e6,
            Limit::Percent(p) => p,
            Limit::Count(c) => c as f64,
        };
        write!(f, "{} {op} {}", self.name(), self.show(limit))
    }
}

impl std::fmt::Display for Slo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        write!(f, "{}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_parse_with_their_units() {
        let slo = parse("p99<5ms, errors<0.1%,max<=1s,p50<250us,errors<10").unwrap();
        assert_eq!(slo.0.len(), 5);
        assert_eq!(slo.0[0].metric, Metric::Percentile(99.0));
        assert_eq!(slo.0[0].limit, Limit::Latency(Duration::from_millis(5)));
        assert_eq!(slo.0[1].limit, Limit::Percent(0.1));
        assert!(slo.0[2].inclusive);
        assert_eq!(slo.0[4].limit, Limit::Count(10));
        assert_eq!(
            slo.to_string(),
            "p99 < 5.00 ms, errors < 0.10%, max <= 1.00 s, p50 < 250 µs, errors < 10"
        );
        for bad in [
            "",
            "p98<5ms",
            "p99>5ms",
            "p99<5",
            "p99<5parsecs",
            "errors<101%",
            "errors<x",
            "p99<0ms",
            "latency<5ms",
            "p99<-5ms",
            "p99<2h",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_step_keeps_or_breaks_each_bound() {
        let mut latency = crate::report::stats::new_histogram();
        for us in 1..=1000 {
            latency.record(us).unwrap();
        }
        let figures = Figures {
            latency: &latency,
            ok: 999,
            errors: 1,
        };
        let slo = parse("p99<995us,errors<0.2%,errors<1").unwrap();
        let kept: Vec<bool> = slo
            .0
            .iter()
            .map(|bound| bound.keeps(bound.measure(figures)))
            .collect();
        assert_eq!(kept, [true, true, false]);
    }
}
