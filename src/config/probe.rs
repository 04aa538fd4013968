//! Planning `tcp connect -z`: which ports of a host listen.

use std::net::SocketAddr;

use color_eyre::eyre::Result;

use crate::cli::{ConnectArgs, RouteArgs};
use crate::net::{Host, Ports};
use crate::output::Display;
use crate::tcp::ProbeConfig;

use super::Plan;

/// Every port of `port` on `host`, resolved once: the ports share the host's addresses.
/// Through a proxy, nothing is resolved here: the proxy is asked for the host by name.
pub(super) fn plan(
    host: Host,
    port: Ports,
    args: &ConnectArgs,
    route: &RouteArgs,
) -> Result<(Plan, Display)> {
    let (mut addrs, proxy) = match &route.proxy {
        Some(url) => {
            let proxy = Host {
                name: url.host.clone(),
                family: host.family,
            };
            (proxy.resolve(url.port)?, Some(url.clone()))
        }
        None => (host.resolve(0)?, None),
    };
    let shown = route.proxy.as_ref().map_or(&host.name, |url| &url.host);
    let source = super::target::source(route.source.source, &mut addrs, shown)?;
    let proxy = proxy.map(|url| (url, std::mem::take(&mut addrs)));
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
        source,
        proxy,
    };
    Ok((Plan::TcpProbe(cfg), Display::default()))
}
