//! `tcp relay` and `udp relay`: listen here, forward there, and show or disturb what goes
//! between two programs that netdemo did not write.
//!
//! - `tcp.rs`: the TCP relay (accept, connect to the target, copy both ways, pass on
//!   half-closes and resets).
//! - `pipe.rs`: one direction of a TCP relay, with its faults.
//! - `udp.rs`: the UDP relay (a session per client address).
//! - `toxics.rs`: the faults as toxiproxy's toxics, the one list flags, `--schedule` and
//!   the API write; `link.rs`: one direction's view of it, drawn per connection.
//! - `faults.rs`: the settings a direction applies, and their seeded randomness.
//! - `exchange.rs`: protocol-aware faults, reading requests and replies in a framing.
//! - `proxies.rs`: the relays one command hosts, by name; `api.rs`: the HTTP API over
//!   them (toxiproxy's); `schedule.rs`: `--schedule`.
//! - `amplification.rs`: the UDP relay's cap on what it sends each client, when other
//!   machines can reach it.

pub mod amplification;
mod api;
pub mod exchange;
pub mod faults;
mod link;
mod pipe;
mod proxies;
pub mod schedule;
pub mod tcp;
pub mod toxics;
pub mod udp;

pub use tcp::{TcpRelayConfig, serve as serve_tcp};
pub use udp::{UdpRelayConfig, serve as serve_udp};
