//! `--metrics ADDR`: what a server, a relay or a load run is doing, served as `/metrics`
//! for Prometheus, in its text format 0.0.4, or OpenMetrics 1.0 (with `# EOF`) when the
//! scraper's Accept header asks for it. A program attaches a [`Source`] (its counters, or
//! its load run's figures) to the [`Endpoint`]; each scrape reads them then, so the data
//! path pays nothing for a scraper beyond the counters it keeps anyway.
//!
//! Names follow Prometheus' conventions: `netdemo_` first, counters ending in `_total`,
//! seconds and bytes as base units. Latency histograms have `le` buckets spaced 1, 2.5, 5
//! per decade from 50 µs to 10 s ([`BUCKETS`]).

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hdrhistogram::Histogram;

use crate::counters::Counters;
use crate::net::NetError;
use crate::net::http::{self, Server};
use crate::output::Printer;

/// The latency buckets' upper bounds, in seconds.
pub const BUCKETS: [f64; 17] = [
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0, 10.0,
];

/// Which exposition format a scrape gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Prometheus text 0.0.4.
    Text,
    /// OpenMetrics 1.0 text.
    OpenMetrics,
}

impl Format {
    /// The format an Accept header asks for: OpenMetrics when it names it.
    pub fn of(accept: Option<&str>) -> Format {
        match accept {
            Some(accept) if accept.contains("application/openmetrics-text") => Format::OpenMetrics,
            _ => Format::Text,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain; version=0.0.4; charset=utf-8",
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
        }
    }
}

/// What a program exposes.
pub trait Source: Send + Sync {
    fn expose(&self, out: &mut Exposition);
}

/// The exposition being written: one metric family at a time.
pub struct Exposition {
    format: Format,
    text: String,
}

/// A sample's labels: `(name, value)` pairs.
pub type Labels<'a> = &'a [(&'a str, &'a str)];

impl Exposition {
    pub fn new(format: Format) -> Exposition {
        Exposition {
            format,
            text: String::new(),
        }
    }

    /// A counter family: `name` without `_total` (the samples get it).
    pub fn counter(&mut self, name: &str, help: &str, samples: &[(Labels<'_>, u64)]) {
        let family = match self.format {
            // OpenMetrics names the family without the suffix; 0.0.4 with it.
            Format::OpenMetrics => name.to_owned(),
            Format::Text => format!("{name}_total"),
        };
        self.head(&family, "counter", help);
        for (labels, value) in samples {
            self.sample(&format!("{name}_total"), labels, *value as f64);
        }
    }

    pub fn gauge(&mut self, name: &str, help: &str, samples: &[(Labels<'_>, f64)]) {
        self.head(name, "gauge", help);
        for (labels, value) in samples {
            self.sample(name, labels, *value);
        }
    }

    /// A latency histogram in seconds from one of microseconds, over [`BUCKETS`], and
    /// beside it a summary of its percentiles (`NAME_percentiles_seconds`).
    pub fn latency(&mut self, name: &str, help: &str, histogram: &Histogram<u64>) {
        let family = format!("{name}_seconds");
        self.head(&family, "histogram", help);
        let count = histogram.len();
        for bound in BUCKETS {
            let micros = (bound * 1e6).round() as u64;
            let below = if histogram.is_empty() {
                0
            } else {
                histogram.count_between(0, micros)
            };
            let le = format!("{bound}");
            self.sample(
                &format!("{family}_bucket"),
                &[("le", le.as_str())],
                below as f64,
            );
        }
        self.sample(&format!("{family}_bucket"), &[("le", "+Inf")], count as f64);
        let sum = if count == 0 {
            0.0
        } else {
            histogram.mean() * count as f64 / 1e6
        };
        self.sample(&format!("{family}_sum"), &[], sum);
        self.sample(&format!("{family}_count"), &[], count as f64);
        let summary = format!("{name}_percentiles_seconds");
        self.head(
            &summary,
            "summary",
            &format!("{help}, as percentiles of the whole run"),
        );
        for (label, quantile) in [("0.5", 0.5), ("0.9", 0.9), ("0.99", 0.99), ("0.999", 0.999)] {
            let value = if count == 0 {
                0.0
            } else {
                histogram.value_at_quantile(quantile) as f64 / 1e6
            };
            self.sample(&summary, &[("quantile", label)], value);
        }
        self.sample(&format!("{summary}_sum"), &[], sum);
        self.sample(&format!("{summary}_count"), &[], count as f64);
    }

    fn head(&mut self, family: &str, kind: &str, help: &str) {
        let _ = writeln!(self.text, "# HELP {family} {}", escape_help(help));
        let _ = writeln!(self.text, "# TYPE {family} {kind}");
    }

    fn sample(&mut self, name: &str, labels: Labels<'_>, value: f64) {
        self.text.push_str(name);
        if !labels.is_empty() {
            self.text.push('{');
            for (i, (label, value)) in labels.iter().enumerate() {
                if i > 0 {
                    self.text.push(',');
                }
                let _ = write!(self.text, "{label}=\"{}\"", escape_label(value));
            }
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {}", number(value));
    }

    /// The exposition, ended as its format requires.
    pub fn finish(mut self) -> String {
        if self.format == Format::OpenMetrics {
            self.text.push_str("# EOF\n");
        }
        self.text
    }
}

/// A sample's value: whole numbers without a fraction, others as Rust writes them.
fn number(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

fn escape_help(text: &str) -> String {
    text.replace('\\', r"\\").replace('\n', r"\n")
}

fn escape_label(text: &str) -> String {
    text.replace('\\', r"\\")
        .replace('\n', r"\n")
        .replace('"', "\\\"")
}

/// The answer to a request for `/metrics`: the build info, then what `source` exposes,
/// in the format the Accept header asks for.
pub fn scrape(request: &http::Request, source: Option<&dyn Source>) -> http::Response {
    use hyper::{Method, StatusCode};
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return http::response(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "GET /metrics\n",
        );
    }
    let accept = request
        .headers()
        .get(hyper::header::ACCEPT)
        .and_then(|value| value.to_str().ok());
    let format = Format::of(accept);
    let mut out = Exposition::new(format);
    out.gauge(
        "netdemo_build_info",
        "netdemo's version, as a label; always 1",
        &[(&[("version", env!("CARGO_PKG_VERSION"))], 1.0)],
    );
    if let Some(source) = source {
        source.expose(&mut out);
    }
    http::response(StatusCode::OK, format.content_type(), out.finish())
}

/// What a server's or a relay's counters expose, with the lines its output dropped.
pub fn counters_source(counters: &Arc<Counters>, printer: &Arc<Printer>) -> Arc<dyn Source> {
    Arc::new(Served {
        counters: counters.clone(),
        printer: printer.clone(),
    })
}

/// `/metrics` of one program: the server, and the source attached to it.
pub struct Endpoint {
    server: Server,
    source: Arc<Mutex<Option<Arc<dyn Source>>>>,
}

impl Endpoint {
    /// Serves `/metrics` on `addr`; nothing is attached yet (a scrape gets the build info
    /// alone).
    ///
    /// # Errors
    /// The address cannot be bound.
    pub async fn start(addr: SocketAddr) -> Result<Endpoint, NetError> {
        let source: Arc<Mutex<Option<Arc<dyn Source>>>> = Arc::new(Mutex::new(None));
        let attached = source.clone();
        let handler: http::Handler = Arc::new(move |request| {
            if request.uri().path() != "/metrics" {
                return http::response(
                    hyper::StatusCode::NOT_FOUND,
                    "text/plain; charset=utf-8",
                    "netdemo serves /metrics here\n",
                );
            }
            let current = attached
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone();
            scrape(request, current.as_deref())
        });
        let server = Server::start(addr, handler).await?;
        Ok(Endpoint { server, source })
    }

    /// The address the OS granted.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// What scrapes read from now on.
    pub fn attach(&self, source: Arc<dyn Source>) {
        *self
            .source
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(source);
    }
}

/// A server's or a relay's `/metrics`: its counters.
impl Source for Counters {
    fn expose(&self, out: &mut Exposition) {
        let [open, accepted, messages, bytes_in, bytes_out] = self.snapshot();
        if self.is_stream() {
            out.gauge(
                "netdemo_connections_open",
                "Connections open now",
                &[(&[], open as f64)],
            );
            out.counter(
                "netdemo_connections",
                "Connections accepted",
                &[(&[], accepted)],
            );
        }
        // A stream server counts how its connections ended; a relay (which applies
        // faults) counts those instead.
        if self.is_stream() && self.faults().is_none() {
            let endings = self.endings();
            let labels = endings.map(|(how, _)| [("kind", how.name())]);
            let samples: Vec<(Labels<'_>, u64)> = labels
                .iter()
                .zip(endings)
                .map(|(labels, (_, count))| (&labels[..], count))
                .collect();
            out.counter(
                "netdemo_connection_errors",
                "Connections ended other than cleanly, by kind: reset by the client, idle \
                 past --idle-timeout, a frame too large, over --max-buffered, not the \
                 framing, cut mid-frame, another socket error",
                &samples,
            );
        }
        out.counter(
            "netdemo_messages",
            "Messages received: datagrams, or frames of the framing",
            &[(&[("direction", "received")], messages)],
        );
        out.counter(
            "netdemo_bytes",
            "Bytes received and sent",
            &[
                (&[("direction", "received")], bytes_in),
                (&[("direction", "sent")], bytes_out),
            ],
        );
        if let Some(faults) = self.faults() {
            let labels = faults.map(|(fault, _)| [("fault", fault.name())]);
            let samples: Vec<(Labels<'_>, u64)> = labels
                .iter()
                .zip(faults)
                .map(|(labels, (_, count))| (&labels[..], count))
                .collect();
            out.counter(
                "netdemo_relay_faults",
                "Faults the relay applied: datagrams lost, duplicated, reordered or \
                 delayed, connections reset or closed, requests failed or held",
                &samples,
            );
        }
        if let Some(dropped) = self.drops() {
            out.counter(
                "netdemo_dropped_datagrams",
                "Datagrams dropped rather than queued or sent (a full delay queue, the \
                 amplification cap)",
                &[(&[], dropped)],
            );
        }
    }
}

/// A server's or a relay's `/metrics`: its counters, and the lines its output dropped.
struct Served {
    counters: Arc<Counters>,
    printer: Arc<Printer>,
}

impl Source for Served {
    fn expose(&self, out: &mut Exposition) {
        self.counters.expose(out);
        out.counter(
            "netdemo_output_dropped_lines",
            "Lines of output dropped because their reader stalled (a full pipe)",
            &[(&[], self.printer.dropped_lines())],
        );
    }
}

/// `--metrics`: `/metrics` serving `counters` from now until the endpoint drops, said on
/// stderr; `None` without the flag.
///
/// # Errors
/// The address cannot be bound.
pub async fn serve_counters(
    addr: Option<SocketAddr>,
    counters: Option<&Arc<Counters>>,
    printer: &Arc<Printer>,
) -> std::io::Result<Option<Endpoint>> {
    let (Some(addr), Some(counters)) = (addr, counters) else {
        return Ok(None);
    };
    let endpoint = Endpoint::start(addr)
        .await
        .map_err(|err| std::io::Error::other(format!("--metrics: {err}")))?;
    printer.metrics_on(endpoint.addr());
    endpoint.attach(counters_source(counters, printer));
    Ok(Some(endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_named_as_each_format_wants() {
        let mut text = Exposition::new(Format::Text);
        text.counter("netdemo_x", "X", &[(&[("kind", "a\"b")], 3)]);
        let text = text.finish();
        assert!(text.contains("# TYPE netdemo_x_total counter\n"), "{text}");
        assert!(
            text.contains("netdemo_x_total{kind=\"a\\\"b\"} 3\n"),
            "{text}"
        );
        assert!(!text.contains("# EOF"));
        let mut open = Exposition::new(Format::OpenMetrics);
        open.counter("netdemo_x", "X", &[(&[], 3)]);
        let open = open.finish();
        assert!(open.contains("# TYPE netdemo_x counter\n"), "{open}");
        assert!(open.ends_with("netdemo_x_total 3\n# EOF\n"), "{open}");
    }

    #[test]
    fn a_latency_histogram_has_cumulative_buckets_and_percentiles() {
        let mut histogram = crate::report::stats::new_histogram();
        for us in [40, 90, 900, 20_000] {
            histogram.record(us).unwrap();
        }
        let mut out = Exposition::new(Format::Text);
        out.latency("netdemo_load_latency", "Latency", &histogram);
        let text = out.finish();
        assert!(
            text.contains("netdemo_load_latency_seconds_bucket{le=\"0.00005\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("netdemo_load_latency_seconds_bucket{le=\"0.001\"} 3\n"),
            "{text}"
        );
        assert!(
            text.contains("netdemo_load_latency_seconds_bucket{le=\"+Inf\"} 4\n"),
            "{text}"
        );
        assert!(
            text.contains("netdemo_load_latency_seconds_count 4\n"),
            "{text}"
        );
        assert!(text.contains("# TYPE netdemo_load_latency_percentiles_seconds summary\n"));
        assert!(
            text.contains("netdemo_load_latency_percentiles_seconds{quantile=\"0.5\"} 0.00009"),
            "{text}"
        );
        assert_eq!(
            Format::of(Some("application/openmetrics-text; version=1.0.0")),
            Format::OpenMetrics
        );
        assert_eq!(Format::of(Some("text/plain")), Format::Text);
    }
}
