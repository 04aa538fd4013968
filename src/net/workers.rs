//! Where a stream server's connections and a load run's connections run: threads with a
//! current-thread runtime each, connections dealt to them in turn (by the accept loop, or
//! by the load run as it opens them).
//!
//! A connection then lives on one thread from start to close: its reads, writes and
//! timers never wake another thread, which the multi-thread runtime's work stealing did
//! on most round trips (`scripts/bench-tcp` keeps the figures).

use std::future::Future;
use std::io;
use std::thread;

use tokio::runtime::Handle;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The worker threads and their runtimes.
pub struct Workers {
    handles: Vec<Handle>,
    next: usize,
    /// Cancelled to end the threads; tasks still running then are dropped.
    stop: CancellationToken,
    threads: Vec<thread::JoinHandle<()>>,
}

impl Workers {
    /// Starts `count` worker threads (at least one).
    ///
    /// # Errors
    /// A thread or its runtime cannot be started.
    pub fn start(count: usize) -> io::Result<Workers> {
        let stop = CancellationToken::new();
        let mut handles = Vec::new();
        let mut threads = Vec::new();
        for i in 0..count.max(1) {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            handles.push(runtime.handle().clone());
            let stop = stop.clone();
            threads.push(
                thread::Builder::new()
                    .name(format!("netdemo-conn-{i}"))
                    .spawn(move || runtime.block_on(stop.cancelled()))?,
            );
        }
        Ok(Workers {
            handles,
            next: 0,
            stop,
            threads,
        })
    }

    /// Runs `task` on the next worker in turn.
    pub fn spawn<T: Send + 'static>(
        &mut self,
        task: impl Future<Output = T> + Send + 'static,
    ) -> JoinHandle<T> {
        let handle = &self.handles[self.next % self.handles.len()];
        self.next = self.next.wrapping_add(1);
        handle.spawn(task)
    }

    /// How many threads there are.
    pub fn count(&self) -> usize {
        self.handles.len()
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.stop.cancel();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}
