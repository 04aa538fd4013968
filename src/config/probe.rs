//! Planning `tcp connect -z`: which ports of a host listen.

use std::net::SocketAddr;

use color_eyre::eyre::Result;

use crate::cli::ConnectArgs;
use crate::net::{Host, Ports};
use crate::output::Display;
use crate::tcp::ProbeConfig;

use super::Plan;

/// Every port of `port` on `host`, resolved once: the ports share the host's addresses.
pub(super) fn plan(host: Host, port: Ports, args: &ConnectArgs) -> Result<(Plan, Display)> {
    let addrs = host.resolve(0)?;
    let targets = port
        .iter()
        .map(|p| {
            (
                p,
                addrs.iter().map(|a| SocketAddr::new(a.ip(), p)).collect(),
            )
        })
        .collect();
    let cfg = ProbeConfig {
        host: host.name,
        ports: port,
        targets,
        timeout: args.timeout,
        wait: args.wait,
    };
    Ok((Plan::TcpProbe(cfg), Display::default()))
}
