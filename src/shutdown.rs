//! Stopping a server cleanly: what asks for it (signals, a closed stdout), and waiting for
//! handlers.
//!
//! A server owns a `CancellationToken` that every connection handler watches and a
//! `TaskTracker` that every handler is spawned on. To stop, it cancels the token (handlers
//! finish the message in hand and close), closes the tracker, and waits for it to empty,
//! for a bounded time, so that no task outlives `serve`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::task::TaskTracker;

use crate::output::Printer;

/// How long a stopping server waits for its clients and its output: `tcp serve
/// --grace`'s default, and the period of the servers without the flag.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(5);

/// The one stop source of a server: a signal (see [`signal`]) or stdout going away (the
/// reader of `netdemo tcp serve | head` left, so serving on would print to nobody). The
/// transports see one future and do not know which it was. From then on, output not
/// written within `grace` is given up (and counted), whatever stdout's reader does.
pub fn stop_source(printer: &Arc<Printer>, grace: Duration) -> impl Future<Output = ()> + use<> {
    let signal = signal();
    let printer = printer.clone();
    async move {
        tokio::select! {
            _ = signal => {}
            () = printer.stdout_gone() => {}
        }
        printer.stop_within(grace);
    }
}

/// Watches SIGINT (Ctrl-C) and SIGTERM from now on, and returns a future that resolves on
/// the first of them, with its number. A second signal after that exits the process at once, with status
/// 128 + its number as a shell reports it, without waiting for the grace period.
///
/// The handlers are installed by this call, not on the future's first poll: a server
/// calls it before printing `listening on`, so a script that signals the server as soon as
/// it reads that line never kills it by default disposition.
#[cfg(unix)]
pub fn signal() -> impl Future<Output = i32> {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    let watch = |kind: SignalKind, name: &'static str| {
        signal(kind)
            .inspect_err(|err| tracing::warn!(error = %err, "cannot watch {name}"))
            .ok()
    };
    // A signal that cannot be watched keeps its default action, which also ends the process.
    let mut interrupt = watch(SignalKind::interrupt(), "SIGINT");
    let mut terminate = watch(SignalKind::terminate(), "SIGTERM");
    async fn next(signal: &mut Option<Signal>) {
        match signal {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    }
    async fn either(interrupt: &mut Option<Signal>, terminate: &mut Option<Signal>) -> i32 {
        tokio::select! {
            () = next(interrupt) => libc::SIGINT,
            () = next(terminate) => libc::SIGTERM,
        }
    }
    async move {
        let first = either(&mut interrupt, &mut terminate).await;
        tokio::spawn(async move {
            let number = either(&mut interrupt, &mut terminate).await;
            tracing::warn!("second signal: exiting without waiting for clients");
            std::process::exit(128 + number);
        });
        first
    }
}

/// Ctrl-C only, where Unix signals do not exist.
#[cfg(not(unix))]
pub fn signal() -> impl Future<Output = i32> {
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        2
    }
}

/// Waits up to `grace` for every task on `tracker` to end. Returns how many were still
/// running; they end when the runtime drops them.
pub async fn drain(tracker: &TaskTracker, grace: Duration) -> usize {
    tracker.close();
    match tokio::time::timeout(grace, tracker.wait()).await {
        Ok(()) => 0,
        Err(_) => tracker.len(),
    }
}

/// Resolves at `at`, or never when there is no such time (a run bounded by a count only,
/// a server with nothing scheduled).
pub async fn deadline(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_util::sync::CancellationToken;

    #[tokio::test(start_paused = true)]
    async fn drain_waits_for_handlers_that_watch_the_token() {
        let tracker = TaskTracker::new();
        let token = CancellationToken::new();
        for _ in 0..3 {
            let token = token.clone();
            tracker.spawn(async move { token.cancelled().await });
        }
        token.cancel();
        assert_eq!(drain(&tracker, Duration::from_secs(5)).await, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn drain_gives_up_after_the_grace_period() {
        let tracker = TaskTracker::new();
        tracker.spawn(std::future::pending::<()>());
        assert_eq!(drain(&tracker, Duration::from_secs(1)).await, 1);
    }
}
