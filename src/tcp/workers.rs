//! Where a TCP server's connections run: one thread per core, each with a current-thread
//! runtime of its own, connections dealt to them in turn by the accept loop.
//!
//! A connection then lives on one thread from accept to close: its reads, writes and
//! timers never wake another thread, which the multi-thread runtime's work stealing did
//! on most round trips (`scripts/bench-tcp` keeps the figures).

use std::future::Future;
use std::io;
use std::thread::JoinHandle;

use tokio::runtime::Handle;
use tokio_util::sync::CancellationToken;

/// The worker threads and their runtimes.
pub struct Workers {
    handles: Vec<Handle>,
    next: usize,
    /// Cancelled to end the threads; tasks still running then are dropped.
    stop: CancellationToken,
    threads: Vec<JoinHandle<()>>,
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
                std::thread::Builder::new()
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
    pub fn spawn(&mut self, task: impl Future<Output = ()> + Send + 'static) {
        let handle = &self.handles[self.next % self.handles.len()];
        self.next = self.next.wrapping_add(1);
        handle.spawn(task);
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
