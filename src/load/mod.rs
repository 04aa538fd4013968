//! Load generation: many connections (or datagrams) at once, for a set time or count, and
//! what came of it as latency percentiles, rates and errors by kind.
//!
//! - `tcp.rs`: request/reply over TCP, closed loop (each connection sends when its reply
//!   arrived) or open loop at `--rate` (sends are due at start + i/rate, whatever the
//!   replies do, and latency counts from that due time).
//! - `udp_request.rs`: UDP load of any request/reply service: many sockets, a window of
//!   requests in flight on each, matched by order or by an ID field (DNS...).
//! - `crate::report`: what came of a run (below both this and `output`, which renders it).
//! - `throughput.rs`: `tcp connect --mode send|receive`, bytes as fast as they go.
//! - This file: [`run`], the steps every engine's run shares, and [`verdict`].
//! - `shard.rs`: `--shard I/N` and `--start-at`, one run spread over several machines;
//!   `merge.rs`: their reports added up (`netdemo merge`); `histlog.rs`: `--hist-log`.
//! - `timeline.rs`: each second's and stage's rows, and `--interval`; `capacity.rs`:
//!   `--find-max-rate`, a search run as steps of any engine. The open-loop schedule, fixed
//!   or shaped, is `crate::shape::Schedule`.

pub mod capacity;
pub mod histlog;
pub mod merge;
pub mod one_way;
pub mod shard;
pub mod tcp;
pub mod throughput;
pub mod timeline;
pub mod udp;
pub mod udp_request;

use std::sync::Mutex;

use std::time::Duration;

use crate::output::Printer;
use crate::shape::Schedule;
use crate::shutdown;

/// A load run's engine, as planned: request/reply over TCP (or a Unix socket), the seed
/// or echo protocol over UDP, or any UDP request/reply service.
pub enum Engine {
    Tcp(tcp::TcpLoad),
    Udp(udp::UdpLoad),
    UdpRequest(udp_request::UdpRequestLoad),
}

/// A load run from start to verdict, the same for every engine: wait for its start
/// (`--start-at`), run, stamp the report with what it is of and when, print it, and judge
/// it.
///
/// # Errors
/// The start has passed, a signal came first, the engine could not start, `--hist-log`
/// cannot be written, or the run failed ([`verdict`]).
pub async fn run(engine: Engine, printer: &Printer) -> color_eyre::Result<()> {
    let html = engine.html().map(Page::create).transpose()?;
    let placement = engine.placement().clone();
    if let Some(line) = placement.waiting() {
        printer.status_line(line);
    }
    placement.wait(shutdown::signal()).await?;
    let metrics = serve_metrics(engine.metrics(), printer).await?;
    let report = run_engine(
        engine,
        printer.progress(),
        printer,
        metrics.as_ref(),
        shutdown::signal(),
    )
    .await?;
    let report = placement.stamp(report);
    printer.load_report(&report);
    if let Some(page) = html {
        page.write(&crate::output::html::load_report(
            &report,
            &crate::output::html::command_line(),
        ))?;
    }
    if let Some(warning) = report.saturated() {
        printer.notice(warning);
    }
    verdict(&report)
}

/// `--metrics ADDR`: `/metrics` served from before the run starts (said on stderr) until
/// the endpoint is dropped; the engine attaches its figures to it.
///
/// # Errors
/// The address cannot be bound.
pub async fn serve_metrics(
    addr: Option<std::net::SocketAddr>,
    printer: &Printer,
) -> color_eyre::Result<Option<crate::metrics::Endpoint>> {
    let Some(addr) = addr else {
        return Ok(None);
    };
    let endpoint = crate::metrics::Endpoint::start(addr)
        .await
        .map_err(|err| color_eyre::eyre::eyre!("--metrics: {err}"))?;
    printer.metrics_on(endpoint.addr());
    Ok(Some(endpoint))
}

/// A throughput run's seconds as they are printed, kept for `--html` when it was asked
/// for; the page is written with the whole.
pub struct Shown {
    page: Option<Page>,
    target: crate::event::Peer,
    seconds: Vec<crate::event::Throughput>,
}

impl Shown {
    /// # Errors
    /// `--html`'s file cannot be created.
    pub fn create(
        html: Option<&std::path::Path>,
        target: crate::event::Peer,
    ) -> color_eyre::Result<Shown> {
        Ok(Shown {
            page: html.map(Page::create).transpose()?,
            target,
            seconds: Vec::new(),
        })
    }

    /// Prints a second, and keeps it for the page.
    pub fn show(&mut self, printer: &Printer, second: crate::event::Throughput) {
        printer.throughput(&second);
        if self.page.is_some() {
            self.seconds.push(second);
        }
    }

    /// Prints the whole, and writes the page.
    ///
    /// # Errors
    /// The page cannot be written.
    pub fn finish(
        self,
        printer: &Printer,
        whole: crate::event::Throughput,
    ) -> color_eyre::Result<()> {
        printer.throughput(&whole);
        match self.page {
            Some(page) => page.write(&crate::output::html::throughput_report(
                &self.target.to_string(),
                &self.seconds,
                &whole,
                &crate::output::html::command_line(),
            )),
            None => Ok(()),
        }
    }
}

/// `--html FILE`: created when the run starts, so a file that cannot be written fails it
/// before any load is made, and written when the report is ready.
pub struct Page {
    path: std::path::PathBuf,
    file: std::fs::File,
}

impl Page {
    /// # Errors
    /// The file cannot be created.
    pub fn create(path: &std::path::Path) -> color_eyre::Result<Page> {
        let file = std::fs::File::create(path).map_err(|err| {
            color_eyre::eyre::eyre!(
                "cannot write --html {}: {err}",
                crate::encoding::shown_path(path)
            )
        })?;
        Ok(Page {
            path: path.to_owned(),
            file,
        })
    }

    /// # Errors
    /// The page cannot be written whole (a full disk).
    pub fn write(mut self, page: &str) -> color_eyre::Result<()> {
        use std::io::Write as _;
        self.file
            .write_all(page.as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(|err| {
                color_eyre::eyre::eyre!(
                    "cannot write --html {}: {err}",
                    crate::encoding::shown_path(&self.path)
                )
            })
    }
}

impl Engine {
    /// When it starts, and what its report says it is of.
    pub fn placement(&self) -> &Placement {
        match self {
            Engine::Tcp(cfg) => &cfg.placement,
            Engine::Udp(cfg) => &cfg.placement,
            Engine::UdpRequest(cfg) => &cfg.placement,
        }
    }

    /// `--metrics`: where `/metrics` is served during the run.
    pub fn metrics(&self) -> Option<std::net::SocketAddr> {
        match self {
            Engine::Tcp(cfg) => cfg.metrics,
            Engine::Udp(cfg) => cfg.metrics,
            Engine::UdpRequest(cfg) => cfg.metrics,
        }
    }

    /// `--html`: where the report goes as a page, too.
    pub fn html(&self) -> Option<&std::path::Path> {
        match self {
            Engine::Tcp(cfg) => cfg.html.as_deref(),
            Engine::Udp(cfg) => cfg.html.as_deref(),
            Engine::UdpRequest(cfg) => cfg.html.as_deref(),
        }
    }

    /// Whether the engine runs a warm-up of its own before measuring (the stream engine);
    /// the UDP engines measure from their first datagram.
    pub fn warms_up(&self) -> bool {
        matches!(self, Engine::Tcp(_))
    }

    /// The same run at another pace: `schedule`, measured for `duration` after `warmup`
    /// (an engine that [`warms_up`](Engine::warms_up); the others ignore it).
    pub fn stepped(&self, schedule: Schedule, warmup: Duration, duration: Duration) -> Engine {
        match self {
            Engine::Tcp(cfg) => Engine::Tcp(tcp::TcpLoad {
                schedule: Some(schedule),
                warmup,
                duration: Some(duration),
                requests: None,
                ..cfg.clone()
            }),
            Engine::Udp(cfg) => Engine::Udp(udp::UdpLoad {
                schedule: Some(schedule),
                duration: Some(duration),
                count: None,
                ..cfg.clone()
            }),
            Engine::UdpRequest(cfg) => Engine::UdpRequest(udp_request::UdpRequestLoad {
                schedule: Some(schedule),
                duration: Some(duration),
                count: None,
                ..cfg.clone()
            }),
        }
    }
}

/// One run of an engine, with how busy the generator was: what both a load run and a
/// capacity step measure.
///
/// # Errors
/// The engine could not start, or `--hist-log` cannot be written.
pub async fn run_engine(
    engine: Engine,
    progress: indicatif::ProgressBar,
    printer: &Printer,
    metrics: Option<&crate::metrics::Endpoint>,
    interrupt: impl std::future::Future<Output = i32>,
) -> color_eyre::Result<crate::report::Report> {
    if let Engine::Tcp(cfg) = &engine {
        crate::net::handshake::announce_client(cfg.tls.as_deref(), printer);
    }
    let threads = match &engine {
        Engine::Tcp(cfg) => cfg.threads.clamp(1, cfg.connections.max(1)),
        Engine::UdpRequest(cfg) => cfg.threads.clamp(1, cfg.sockets.max(1)),
        Engine::Udp(_) => 1,
    };
    let cpu = CpuClock::start();
    let report = match engine {
        Engine::Tcp(cfg) => {
            let hist_log = cfg
                .hist_log
                .as_deref()
                .map(|path| {
                    histlog::HistLog::create(path, std::time::SystemTime::now()).map_err(|err| {
                        color_eyre::eyre::eyre!(
                            "cannot write --hist-log {}: {err}",
                            crate::encoding::shown_path(path)
                        )
                    })
                })
                .transpose()?;
            // Lines a second replace the live line: one or the other on a terminal.
            let progress = match cfg.interval {
                Some(_) => indicatif::ProgressBar::hidden(),
                None => progress,
            };
            tcp::run(cfg, progress, interrupt, hist_log, printer, metrics)
                .await
                .map_err(|err| color_eyre::eyre::eyre!("cannot start the load threads: {err}"))?
        }
        Engine::Udp(cfg) => udp::run(cfg, progress, interrupt, metrics).await?,
        Engine::UdpRequest(cfg) => {
            udp_request::run(cfg, progress, interrupt, printer, metrics).await?
        }
    };
    let mut report = report;
    report.client = Some(cpu.client(threads));
    Ok(report)
}

/// The process's CPU time (user and system, every thread) and the wall clock, from the
/// start of a run: how busy the generator was is their ratio over the cores its threads
/// could use.
struct CpuClock {
    cpu: std::time::Duration,
    wall: std::time::Instant,
}

impl CpuClock {
    fn start() -> CpuClock {
        CpuClock {
            cpu: cpu_time(),
            wall: std::time::Instant::now(),
        }
    }

    /// How busy `threads` threads were since the start: on no more cores than the
    /// process may use (`taskset`, cgroups).
    fn client(&self, threads: usize) -> crate::report::ClientCpu {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let given = threads.min(cores).max(1) as f64;
        let wall = self.wall.elapsed().as_secs_f64().max(1e-9);
        let used = cpu_time().saturating_sub(self.cpu).as_secs_f64();
        crate::report::ClientCpu {
            threads,
            // The clock thread and the output's writer can add a little beyond the load
            // threads' share: it is all of what they were given, not more.
            busy: (used / (wall * given)).min(1.0),
        }
    }
}

/// User and system CPU time of the whole process so far.
fn cpu_time() -> std::time::Duration {
    // SAFETY: getrusage fills the struct we own and has no other effect.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return std::time::Duration::ZERO;
    }
    let of = |t: libc::timeval| {
        std::time::Duration::from_secs(t.tv_sec as u64)
            + std::time::Duration::from_micros(t.tv_usec as u64)
    };
    of(usage.ru_utime) + of(usage.ru_stime)
}

/// Where a load run stands among others: when it starts (`--start-at`, a shard's offset)
/// and what its report says it is of.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub start: shard::Start,
    pub provenance: crate::report::Provenance,
}

impl Placement {
    /// What to say while waiting for `--start-at`, when the wait is worth a line.
    pub fn waiting(&self) -> Option<String> {
        let at = self.start.at?;
        let wait = self.start.wait()?;
        (wait > std::time::Duration::from_millis(500)).then(|| {
            format!(
                "waiting until {} (--start-at), {:.0} s from now",
                humantime::format_rfc3339_seconds(at),
                wait.as_secs_f64()
            )
        })
    }

    /// Waits until the run may begin; a signal meanwhile ends the wait.
    ///
    /// # Errors
    /// `--start-at` has passed, or a signal came first.
    pub async fn wait(
        &self,
        interrupt: impl std::future::Future<Output = i32>,
    ) -> color_eyre::Result<()> {
        let Some(wait) = self.start.wait() else {
            color_eyre::eyre::bail!(
                "--start-at passed before the run could start: give a later time"
            );
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => Ok(()),
            signal = interrupt => Err(crate::error::Interrupted(signal).into()),
        }
    }

    /// The report, told what it is of and its window in wall-clock time (the measured
    /// window ends now).
    pub fn stamp(&self, mut report: crate::report::Report) -> crate::report::Report {
        let ended = std::time::SystemTime::now();
        report.provenance = crate::report::Provenance {
            started_at: ended.checked_sub(report.measured),
            ended_at: Some(ended),
            ..self.provenance.clone()
        };
        report
    }
}

/// Whether the run passed: warns when `--rate` needed more connections, and turns a
/// failed run into the error that `main` prints.
///
/// # Errors
/// Nothing completed, a request failed, datagrams were lost, or the target rate was
/// missed by over 5%.
pub fn verdict(report: &crate::report::Report) -> color_eyre::Result<()> {
    // More connections than this would not help: the server is not keeping up, and the
    // queue is what raised p99.
    const HELPFUL: f64 = 10_000.0;
    match report.too_few_connections() {
        Some(needed) if needed > HELPFUL => tracing::warn!(
            "the server did not keep up with --rate {}: requests queued until p99 reached {} \
             (try a lower --rate)",
            report.rate.unwrap_or_default(),
            crate::report::stats::micros(
                crate::report::stats::Summary::of(&report.recorded.latency).p99 as f64
            )
        ),
        Some(needed) => tracing::warn!(
            "{} connection(s) cannot hold --rate {}: at this p99, about {needed:.0} requests are \
             in flight (rate × p99); try -c {}",
            report.connections,
            report.rate.unwrap_or_default(),
            needed.ceil() as u64 + 1
        ),
        None => {}
    }
    if report.error_replies > 0 {
        tracing::warn!(
            "{} of the replies said the request failed (RESP errors, HTTP 4xx and 5xx) and were \
             counted as ok, since nothing was expected: add --expect or --expect-regex to count \
             them as failures",
            report.error_replies
        );
    }
    if let Some(mismatch) = &report.first_mismatch {
        tracing::warn!("{mismatch}");
    }
    if let Some(signal) = report.interrupted {
        return Err(crate::error::Interrupted(signal).into());
    }
    match report.failure() {
        Some(failure) => color_eyre::eyre::bail!("{failure}"),
        None => Ok(()),
    }
}

/// A load run's figures on `/metrics` (`--metrics`), as a scrape finds them: requests
/// answered, errors by kind, bytes, the rate the schedule intends now, and the latency
/// histogram (corrected in open loop) with its percentiles.
pub(crate) struct LoadFigures {
    pub ok: u64,
    pub errors: [u64; crate::report::KINDS],
    pub bytes: u64,
    pub intended_rps: Option<f64>,
    /// A copy, so the run's lock is held for no longer than the copy takes.
    pub latency: hdrhistogram::Histogram<u64>,
}

impl LoadFigures {
    /// An engine's shared figures now.
    pub(crate) fn of(
        ok: &std::sync::atomic::AtomicU64,
        errors: &crate::report::Errors,
        bytes: &std::sync::atomic::AtomicU64,
        clock: &timeline::Clock,
        recorded: &Mutex<crate::report::Recorded>,
    ) -> LoadFigures {
        use std::sync::atomic::Ordering;
        LoadFigures {
            ok: ok.load(Ordering::Relaxed),
            errors: errors.snapshot(),
            bytes: bytes.load(Ordering::Relaxed),
            intended_rps: clock.intended_now(),
            latency: lock(recorded).latency.clone(),
        }
    }
    pub(crate) fn expose(&self, out: &mut crate::metrics::Exposition) {
        use crate::report::ErrorKind;
        out.counter(
            "netdemo_load_requests",
            "Requests answered correctly",
            &[(&[], self.ok)],
        );
        let labels = ErrorKind::ALL.map(|kind| [("kind", kind.name())]);
        let errors: Vec<(crate::metrics::Labels<'_>, u64)> = labels
            .iter()
            .zip(ErrorKind::ALL)
            .map(|(labels, kind)| (&labels[..], self.errors[kind as usize]))
            .collect();
        out.counter("netdemo_load_errors", "Requests failed, by kind", &errors);
        out.counter(
            "netdemo_load_bytes",
            "Bytes of the requests answered and their replies",
            &[(&[], self.bytes)],
        );
        if let Some(rate) = self.intended_rps {
            out.gauge(
                "netdemo_load_intended_requests_per_second",
                "The rate the open loop's schedule intends now",
                &[(&[], rate)],
            );
        }
        out.latency(
            "netdemo_load_latency",
            "Request latency, from each request's due time in open loop",
            &self.latency,
        );
    }
}

/// A duration in whole microseconds, the unit every latency histogram records.
pub(crate) fn micros(duration: std::time::Duration) -> u64 {
    duration.as_micros().try_into().unwrap_or(u64::MAX)
}

/// A reply for an error line: text when it is text, else hex, cut short.
pub(crate) fn show(bytes: &[u8]) -> String {
    const MAX: usize = 32;
    let cut = &bytes[..bytes.len().min(MAX)];
    let more = if bytes.len() > MAX { "..." } else { "" };
    match std::str::from_utf8(cut) {
        Ok(text) if !text.chars().any(char::is_control) => format!("'{text}{more}'"),
        _ => format!("bytes {}{more}", hex::encode(cut)),
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
