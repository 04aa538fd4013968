//! Which tokio runtime a planned program needs, and how many threads a server's
//! connections and a load run get.

use super::Plan;

/// The runtime a program needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// One thread: the program is one task (or runs its connections on threads of its
    /// own), so cross-thread wake-ups would only cost.
    OneThread,
    /// A multi-thread runtime with this many workers; `None` leaves tokio's default (every
    /// core, or `TOKIO_WORKER_THREADS` when set).
    Threads(Option<usize>),
}

/// The runtime `plan` needs. `udp serve` is one task by design, and a stream server's
/// accept loop is one too (its connections run on worker threads of their own,
/// tcp/workers.rs, [`server_threads`]); a stdio server is not, since it joins stdin to a
/// connection.
pub(super) fn of(plan: &Plan) -> Runtime {
    match plan {
        Plan::UdpServe(_) | Plan::TcpServe(_) => Runtime::OneThread,
        Plan::TcpLoad(_) | Plan::Throughput(_) => Runtime::Threads(load_threads()),
        _ => Runtime::Threads(None),
    }
}

/// Worker threads for a stream load or throughput run: half the cores (at least one),
/// since the server under test usually shares the machine. Measured on 2 cores
/// (scripts/bench-services and the seed server): against redis-server, 1 thread drove
/// 1.07M pipelined PINGs/s where 2 drove 0.90M, and 147k inline where 2 drove 104k;
/// against nginx (1 worker) 82k and 73k against 77k and 69k; against netdemo's own
/// multi-threaded server 6% fewer. `None` when `TOKIO_WORKER_THREADS` says.
fn load_threads() -> Option<usize> {
    if std::env::var_os("TOKIO_WORKER_THREADS").is_some() {
        return None;
    }
    Some(half_the_cores())
}

/// Threads for `tcp serve`'s connections: half the cores (at least one), leaving the rest
/// to a client on the same machine, as a load run does; `TOKIO_WORKER_THREADS` overrides.
/// On 2 cores shared with the client, one connection thread beside the accept loop gave
/// 0.67-1.08x the reference server's round trips with a blocking client and 1.5-2.1x with
/// an epoll client, where two gave 0.77-0.85x and 1.2-1.4x (scripts/bench-tcp's notes).
pub(super) fn server_threads() -> usize {
    std::env::var("TOKIO_WORKER_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(half_the_cores)
}

fn half_the_cores() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (cores / 2).max(1)
}

impl Runtime {
    /// The tokio runtime itself, with every driver enabled.
    pub fn build(self) -> std::io::Result<tokio::runtime::Runtime> {
        let mut builder = match self {
            Runtime::OneThread => tokio::runtime::Builder::new_current_thread(),
            Runtime::Threads(threads) => {
                let mut builder = tokio::runtime::Builder::new_multi_thread();
                if let Some(threads) = threads {
                    builder.worker_threads(threads);
                }
                builder
            }
        };
        builder.enable_all().build()
    }
}
