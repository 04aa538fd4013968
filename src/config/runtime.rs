//! Which tokio runtime a planned program needs, and how many threads a server's
//! connections, a load run and a relay get.

use super::Plan;

/// The runtime a program needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// One thread: the program is one task, or runs its connections on threads of its
    /// own, so cross-thread wake-ups would only cost.
    OneThread,
    /// A multi-thread runtime with this many workers.
    Threads(usize),
}

/// The runtime `plan` needs. `udp serve` is one task by design; a stream server's accept
/// loop and a stream load run's clock are one task too, their connections running on
/// threads of their own (net/workers.rs, load/tcp.rs). A stdio server is not, since it
/// joins stdin to a connection.
pub(super) fn of(plan: &Plan) -> Runtime {
    match plan {
        Plan::UdpServe(_) | Plan::TcpServe(_) | Plan::TcpLoad(_) | Plan::UdpOneWay(_) => {
            Runtime::OneThread
        }
        Plan::Throughput(cfg) => Runtime::Threads(cfg.threads),
        Plan::TcpRelay(cfg) => Runtime::Threads(cfg.threads),
        Plan::UdpRequestLoad(cfg) => Runtime::Threads(cfg.threads),
        Plan::Capacity(capacity) => match &capacity.engine {
            crate::load::Engine::Tcp(_) | crate::load::Engine::Udp(_) => Runtime::OneThread,
            crate::load::Engine::UdpRequest(cfg) => Runtime::Threads(cfg.threads),
        },
        _ => Runtime::Threads(threads(None)),
    }
}

/// Threads for a program's connections: `--threads`, else `TOKIO_WORKER_THREADS`, else
/// every core this process may use (`available_parallelism` follows the CPU affinity
/// that taskset and cgroups set). A server runs alone on its machine, and a load
/// generator is expected to use what it is given, as oha and `wrk -t` do; a benchmark
/// that shares one machine pins each side to its own CPUs instead (scripts/bench-tcp).
/// Before, each took half the cores, a rule made for a 2-core machine that left a
/// 16-core server at 0.54-0.80x a 40-line thread-per-connection server.
pub(super) fn threads(given: Option<usize>) -> usize {
    given
        .or_else(|| {
            std::env::var("TOKIO_WORKER_THREADS")
                .ok()
                .and_then(|n| n.parse().ok())
                .filter(|&n| n > 0)
        })
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

impl Runtime {
    /// The tokio runtime itself, with every driver enabled.
    pub fn build(self) -> std::io::Result<tokio::runtime::Runtime> {
        let mut builder = match self {
            Runtime::OneThread => tokio::runtime::Builder::new_current_thread(),
            Runtime::Threads(threads) => {
                let mut builder = tokio::runtime::Builder::new_multi_thread();
                builder.worker_threads(threads);
                builder
            }
        };
        builder.enable_all().build()
    }
}
