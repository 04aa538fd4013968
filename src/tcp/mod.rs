//! TCP: `tcp serve` (server.rs), `tcp connect` (client.rs) and `tcp connect -z`
//! (probe.rs).

mod client;
mod probe;
mod server;

pub(crate) use client::connect_any;
pub use client::{TcpConnectConfig, connect};
pub use probe::{ProbeConfig, probe};
pub use server::{TcpServeConfig, bind, serve};
