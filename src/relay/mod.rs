//! `tcp relay` and `udp relay`: listen here, forward there, and show or disturb what goes
//! between two programs that netdemo did not write.
//!
//! - `tcp.rs`: the TCP relay (accept, connect to the target, copy both ways, pass on
//!   half-closes and resets).
//! - `pipe.rs`: one direction of a TCP relay, with its faults.
//! - `udp.rs`: the UDP relay (a session per client address).
//! - `faults.rs`: the faults' settings and their seeded randomness.
//! - `amplification.rs`: the UDP relay's cap on what it sends each client, when other
//!   machines can reach it.

pub mod amplification;
pub mod faults;
mod pipe;
pub mod tcp;
pub mod udp;

pub use tcp::{TcpRelayConfig, serve as serve_tcp};
pub use udp::{UdpRelayConfig, serve as serve_udp};
