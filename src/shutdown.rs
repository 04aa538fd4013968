//! Stopping a server cleanly: the signals that ask for it, and waiting for handlers.
//!
//! A server owns a `CancellationToken` that every connection handler watches and a
//! `TaskTracker` that every handler is spawned on. To stop, it cancels the token (handlers
//! finish the message in hand and close), closes the tracker, and waits for it to empty,
//! for a bounded time, so that no task outlives `serve`.

use std::time::Duration;

use tokio_util::task::TaskTracker;

/// How long a stopping server waits for connections to finish their current message.
pub const GRACE: Duration = Duration::from_secs(5);

/// Resolves on the first SIGINT (Ctrl-C) or SIGTERM.
pub async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                return;
            }
            Err(err) => tracing::warn!(error = %err, "cannot watch SIGTERM; Ctrl-C still works"),
        }
    }
    // If even Ctrl-C cannot be watched, never resolving keeps the server serving, which is
    // what it would do without a handler.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
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
        assert_eq!(drain(&tracker, GRACE).await, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn drain_gives_up_after_the_grace_period() {
        let tracker = TaskTracker::new();
        tracker.spawn(std::future::pending::<()>());
        assert_eq!(drain(&tracker, Duration::from_secs(1)).await, 1);
    }
}
