//! TCP: `tcp serve` (server.rs) and `tcp connect` (client.rs).

mod client;
mod server;

pub use client::{TcpConnectConfig, connect};
pub use server::{TcpServeConfig, bind, serve};
