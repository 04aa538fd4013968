//! Stream sockets: `tcp serve` and `unix serve` (server.rs, on net/listener.rs), `tcp connect`'s
//! conversation (client.rs) and `tcp connect -z` (probe.rs). The load generator is in
//! `load/`, netcat mode in `stdio/`.

mod client;
mod probe;
mod server;

pub use client::{Conversation, TcpConnectConfig, connect};
pub use probe::{ProbeConfig, probe};
pub use server::{TcpServeConfig, serve};
