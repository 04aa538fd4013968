//! `--host`, `--port`, `-4` and `-6` turned into socket addresses to try, in order.
//!
//! IP literals never touch the resolver; names go through the system resolver
//! (`/etc/hosts`, then DNS) and every address it returns is kept, so callers can try each in
//! turn, as `getaddrinfo`-based tools do.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};

use crate::cli::AddrArgs;
use crate::error::NetError;

/// `--port`: one port, or an inclusive range such as `8000-8010` (only `tcp connect -z`
/// takes a range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ports {
    pub first: u16,
    pub last: u16,
}

impl Ports {
    pub const fn single(port: u16) -> Ports {
        Ports {
            first: port,
            last: port,
        }
    }

    pub fn is_range(&self) -> bool {
        self.first != self.last
    }

    pub fn iter(&self) -> impl Iterator<Item = u16> + use<> {
        self.first..=self.last
    }
}

impl std::fmt::Display for Ports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_range() {
            write!(f, "{}-{}", self.first, self.last)
        } else {
            write!(f, "{}", self.first)
        }
    }
}

impl std::str::FromStr for Ports {
    type Err = String;

    fn from_str(text: &str) -> Result<Ports, String> {
        let port = |part: &str| {
            part.trim()
                .parse::<u16>()
                .map_err(|_| format!("'{part}' is not a port number (0-65535)"))
        };
        match text.split_once('-') {
            None => Ok(Ports::single(port(text)?)),
            Some((first, last)) => {
                let (first, last) = (port(first)?, port(last)?);
                if first > last {
                    return Err(format!("the range {first}-{last} is empty"));
                }
                Ok(Ports { first, last })
            }
        }
    }
}

/// The address family `-4` / `-6` restrict to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Any,
    V4,
    V6,
}

impl Family {
    fn admits(self, addr: &SocketAddr) -> bool {
        match self {
            Family::Any => true,
            Family::V4 => addr.is_ipv4(),
            Family::V6 => addr.is_ipv6(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Family::Any => "IP",
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }
}

impl AddrArgs {
    pub fn family(&self) -> Family {
        match (self.ipv4, self.ipv6) {
            (true, _) => Family::V4,
            (_, true) => Family::V6,
            _ => Family::Any,
        }
    }

    /// The host to use: the one given, without the brackets people copy from URLs
    /// (`[::1]`), or loopback of the requested family.
    pub fn host(&self) -> &str {
        match &self.host {
            Some(host) => host
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .unwrap_or(host),
            None if self.ipv6 => "::1",
            None => "127.0.0.1",
        }
    }

    /// Every address `--host` and `--port` stand for, filtered by `-4`/`-6`, never empty.
    ///
    /// # Errors
    /// A port range, a malformed host, a name the resolver does not know, or no address
    /// of the family.
    pub async fn resolve(&self) -> Result<Vec<SocketAddr>, NetError> {
        if self.port.is_range() {
            return Err(NetError::RangeNotHere(self.port.to_string()));
        }
        self.resolve_port(self.port.first).await
    }

    /// Every address of `--host` with `port`, filtered by `-4`/`-6`, never empty.
    ///
    /// # Errors
    /// As [`AddrArgs::resolve`], but for the range.
    pub async fn resolve_port(&self, port: u16) -> Result<Vec<SocketAddr>, NetError> {
        let host = self.host();
        let family = self.family();
        let found: Vec<SocketAddr> = if let Ok(ip) = host.parse::<IpAddr>() {
            vec![SocketAddr::new(ip, port)]
        } else if is_host_name(host) {
            tokio::net::lookup_host((host, port))
                .await
                .map_err(|err| NetError::Resolve {
                    host: host.to_owned(),
                    err,
                })?
                .collect()
        } else {
            return Err(NetError::InvalidHost(host.to_owned()));
        };
        let mut addrs: Vec<SocketAddr> = Vec::with_capacity(found.len());
        for addr in found.into_iter().filter(|a| family.admits(a)) {
            // Resolvers list an address once per socket type; one entry is enough.
            if !addrs.contains(&addr) {
                addrs.push(addr);
            }
        }
        if addrs.is_empty() {
            return Err(NetError::NoAddress {
                host: host.to_owned(),
                family: family.name(),
            });
        }
        Ok(addrs)
    }
}

/// Host name syntax (RFC 1123 letters, digits and hyphens, plus the underscore that real
/// names carry). Checked before resolving so a typo never becomes a DNS query.
fn is_host_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Tries `attempt` on each address in order and returns the first success, or the last
/// error when every address failed.
///
/// # Panics
/// Never with addresses from [`AddrArgs::resolve`], which is never empty.
pub async fn first_ok<T, F, Fut>(addrs: &[SocketAddr], mut attempt: F) -> Result<T, NetError>
where
    F: FnMut(SocketAddr) -> Fut,
    Fut: Future<Output = Result<T, NetError>>,
{
    let mut last = None;
    for &addr in addrs {
        match attempt(addr).await {
            Ok(value) => return Ok(value),
            Err(err) => {
                tracing::debug!(%addr, error = %err, "address failed, trying the next one");
                last = Some(err);
            }
        }
    }
    // `resolve` never returns an empty list, so at least one attempt ran and failed.
    Err(last.expect("first_ok needs at least one address"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(argv: &[&str]) -> AddrArgs {
        #[derive(Parser)]
        struct T {
            #[command(flatten)]
            addr: AddrArgs,
        }
        let mut full = vec!["t"];
        full.extend_from_slice(argv);
        T::parse_from(full).addr
    }

    #[tokio::test]
    async fn defaults_to_ipv4_loopback_port_9999() {
        let addrs = args(&[]).resolve().await.unwrap();
        assert_eq!(addrs, vec!["127.0.0.1:9999".parse().unwrap()]);
    }

    #[tokio::test]
    async fn dash_six_defaults_to_ipv6_loopback() {
        let addrs = args(&["-6", "-p", "0"]).resolve().await.unwrap();
        assert_eq!(addrs, vec!["[::1]:0".parse().unwrap()]);
    }

    #[tokio::test]
    async fn brackets_are_accepted_around_ipv6() {
        let addrs = args(&["--host", "[::1]", "-p", "7"])
            .resolve()
            .await
            .unwrap();
        assert_eq!(addrs, vec!["[::1]:7".parse().unwrap()]);
    }

    #[tokio::test]
    async fn family_mismatch_is_an_error() {
        let err = args(&["--host", "127.0.0.1", "-6"])
            .resolve()
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "host '127.0.0.1' has no IPv6 address");
    }

    #[tokio::test]
    async fn localhost_resolves_from_the_hosts_file() {
        let addrs = args(&["--host", "localhost", "-4"])
            .resolve()
            .await
            .unwrap();
        assert!(
            addrs.iter().all(|a| a.ip().is_loopback() && a.is_ipv4()),
            "{addrs:?}"
        );
    }

    #[tokio::test]
    async fn malformed_host_is_rejected_without_a_lookup() {
        let err = args(&["--host", "exa mple"]).resolve().await.unwrap_err();
        assert!(matches!(err, NetError::InvalidHost(_)), "{err:?}");
    }

    #[test]
    fn ports_are_one_or_a_range() {
        assert_eq!("80".parse(), Ok(Ports::single(80)));
        assert_eq!(
            "8000-8010".parse(),
            Ok(Ports {
                first: 8000,
                last: 8010
            })
        );
        assert!("8010-8000".parse::<Ports>().is_err());
        assert!("70000".parse::<Ports>().is_err());
        assert!("http".parse::<Ports>().is_err());
        assert_eq!(
            Ports { first: 1, last: 3 }.iter().collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    #[tokio::test]
    async fn a_range_is_refused_where_one_port_is_needed() {
        let err = args(&["-p", "1-2"]).resolve().await.unwrap_err();
        assert!(matches!(err, NetError::RangeNotHere(_)), "{err:?}");
    }

    #[test]
    fn host_name_syntax() {
        assert!(is_host_name("localhost"));
        assert!(is_host_name("my-host_1.example.org."));
        assert!(!is_host_name("a..b"));
        assert!(!is_host_name("bad/host"));
        assert!(!is_host_name(&"a".repeat(64)));
    }
}
