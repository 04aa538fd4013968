//! netcat mode (`--mode stdio`), a program of its own: stdin goes to the peer and the
//! peer's bytes go to stdout, unchanged. There is one stdin, so a server serves one peer at
//! a time; the TCP and UDP transports know nothing of it.
//!
//! - `../stdin.rs` (shared with messages typed at a prompt): stdin read on a thread, in
//!   chunks (TCP) or as lines and reads (UDP).
//! - `session.rs`: one stream connection (TCP or Unix), both ways at once, and what
//!   stdin's end means.
//! - `server.rs`: `tcp serve --mode stdio` and `unix serve --mode stdio` (one client after
//!   another) and `udp serve --mode stdio` (stdin to the peer that has been talking).
//! - `client.rs`: `tcp connect --mode stdio`, `unix connect --mode stdio` and `udp send
//!   --mode stdio`.

mod client;
mod server;
mod session;

pub use crate::stdin::{DatagramFraming, OnEof, StdinChunks, StdinReader};
pub use client::{TcpConnectConfig, UdpSendConfig, tcp_connect, udp_send};
pub use server::{TcpServeConfig, UdpServeConfig, tcp_serve, udp_serve};
