//! Who may talk to a server: `--allow` / `--deny` address ranges, and the warning printed
//! when a server is reachable from other machines.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use ipnet::IpNet;

use crate::throttle::Throttle;

/// Addresses whose refusals are being counted; past this many the counts start over, so
/// a flood from many addresses cannot grow the table.
const REFUSAL_ADDRESSES: usize = 4096;

/// The `--allow` and `--deny` ranges of a server.
///
/// A peer is refused when a `--deny` range holds it, or when `--allow` ranges were given
/// and none holds it. With neither, everyone is let in.
#[derive(Debug, Clone, Default)]
pub struct AccessList {
    allow: Vec<IpNet>,
    deny: Vec<IpNet>,
    /// Refusals by address, logged once a second at most: one refused peer flooding
    /// datagrams wrote a line per datagram (12 MB of stderr in 3 s).
    refusals: Arc<Mutex<HashMap<IpAddr, Throttle>>>,
}

impl PartialEq for AccessList {
    fn eq(&self, other: &AccessList) -> bool {
        self.allow == other.allow && self.deny == other.deny
    }
}

impl Eq for AccessList {}

impl AccessList {
    pub fn new(allow: Vec<IpNet>, deny: Vec<IpNet>) -> AccessList {
        AccessList {
            allow,
            deny,
            refusals: Arc::default(),
        }
    }

    /// Why `peer` is refused, or `None` when it may talk to the server.
    pub fn refusal(&self, peer: IpAddr) -> Option<&'static str> {
        // A dual-stack socket sees IPv4 peers as ::ffff:a.b.c.d; the rules name them as IPv4.
        let peer = peer.to_canonical();
        if self.deny.iter().any(|net| net.contains(&peer)) {
            Some("matches --deny")
        } else if !self.allow.is_empty() && !self.allow.iter().any(|net| net.contains(&peer)) {
            Some("not in --allow")
        } else {
            None
        }
    }

    /// Lets `peer` in, or logs why it is refused and returns false. A refused address is
    /// logged at once, then once a second at most, with how many refusals it covers.
    pub fn admit(&self, peer: SocketAddr) -> bool {
        let Some(reason) = self.refusal(peer.ip()) else {
            return true;
        };
        let mut refusals = self.refusals.lock().unwrap_or_else(PoisonError::into_inner);
        if refusals.len() >= REFUSAL_ADDRESSES && !refusals.contains_key(&peer.ip()) {
            refusals.clear();
        }
        if let Some(tally) = refusals.entry(peer.ip()).or_default().hit() {
            tracing::warn!(%peer, "refused: {reason}{}", tally.suffix());
        }
        false
    }

    /// Logs the refusals counted since their last line: a server stopping owes them.
    pub fn log_pending(&self) {
        let mut refusals = self.refusals.lock().unwrap_or_else(PoisonError::into_inner);
        for (ip, throttle) in refusals.iter_mut() {
            if let Some(tally) = throttle.take_pending() {
                tracing::warn!(peer = %ip, "refused{}", tally.suffix());
            }
        }
    }
}

/// clap parser for `--allow` / `--deny`: a CIDR range, or a single address (a /32 or /128).
///
/// # Errors
/// Neither a range nor an address.
pub fn parse_net(value: &str) -> Result<IpNet, String> {
    let net = match value.parse::<IpNet>() {
        // 10.1.2.3/8 means 10.0.0.0/8; keeping the host bits would only confuse a log line.
        Ok(net) => net.trunc(),
        Err(_) => value.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
            format!("`{value}` is not an address range (10.0.0.0/8, ::1/128) or an IP address")
        })?,
    };
    Ok(unmapped(net).unwrap_or(net))
}

/// Peers are matched as IPv4 when a dual-stack socket shows them as `::ffff:a.b.c.d`, so
/// a rule written that way (as the server logs such a peer) is the IPv4 rule it names.
/// `None` for a rule that is not a mapped range (after truncation, a range shorter than
/// /96 no longer starts with the mapped prefix).
fn unmapped(net: IpNet) -> Option<IpNet> {
    let IpNet::V6(v6) = net else {
        return Some(net);
    };
    let Some(v4) = v6.addr().to_ipv4_mapped() else {
        return Some(net);
    };
    let prefix = v6.prefix_len().checked_sub(96)?;
    ipnet::Ipv4Net::new(v4, prefix).ok().map(IpNet::V4)
}

/// A one-line warning when `local` can be reached from other machines, naming what is
/// exposed; `None` for loopback.
pub fn exposure_warning(local: SocketAddr, protocol: &str) -> Option<String> {
    let ip = local.ip();
    if ip.is_loopback() || ip.to_canonical().is_loopback() {
        return None;
    }
    let what = if ip.is_unspecified() {
        format!(
            "every network interface of this machine (port {})",
            local.port()
        )
    } else {
        local.to_string()
    };
    Some(format!(
        "{protocol} server reachable from other machines on {what}; restrict it with --allow"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(allow: &[&str], deny: &[&str]) -> AccessList {
        let nets = |v: &[&str]| v.iter().map(|s| parse_net(s).unwrap()).collect();
        AccessList::new(nets(allow), nets(deny))
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn empty_list_admits_everyone() {
        assert_eq!(list(&[], &[]).refusal(ip("203.0.113.9")), None);
    }

    #[test]
    fn deny_wins_over_allow() {
        let rules = list(&["127.0.0.0/8"], &["127.0.0.2"]);
        assert_eq!(rules.refusal(ip("127.0.0.1")), None);
        assert_eq!(rules.refusal(ip("127.0.0.2")), Some("matches --deny"));
        assert_eq!(rules.refusal(ip("10.0.0.1")), Some("not in --allow"));
    }

    #[test]
    fn ipv6_ranges_and_mapped_ipv4_peers() {
        let rules = list(&["::1/128", "10.0.0.0/8"], &[]);
        assert_eq!(rules.refusal(ip("::1")), None);
        assert_eq!(rules.refusal(ip("::ffff:10.1.2.3")), None);
        assert_eq!(rules.refusal(ip("fe80::1")), Some("not in --allow"));
    }

    #[test]
    fn ipv4_mapped_rules_name_the_ipv4_peers() {
        let deny = list(&[], &["::ffff:127.0.0.2"]);
        assert_eq!(deny.refusal(ip("127.0.0.2")), Some("matches --deny"));
        assert_eq!(deny.refusal(ip("::ffff:127.0.0.2")), Some("matches --deny"));
        assert_eq!(deny.refusal(ip("127.0.0.1")), None);
        let allow = list(&["::ffff:127.0.0.0/104"], &[]);
        assert_eq!(allow.refusal(ip("127.0.0.1")), None);
        assert_eq!(allow.refusal(ip("10.0.0.1")), Some("not in --allow"));
        assert_eq!(
            parse_net("::ffff:10.0.0.0/104").unwrap().to_string(),
            "10.0.0.0/8"
        );
    }

    #[test]
    fn parses_ranges_and_single_addresses() {
        assert_eq!(parse_net("10.1.2.3/8").unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(parse_net("::1").unwrap().to_string(), "::1/128");
        assert_eq!(parse_net("192.0.2.7").unwrap().to_string(), "192.0.2.7/32");
        assert!(parse_net("10.0.0.0/33").is_err());
        assert!(parse_net("localhost").is_err());
    }

    #[test]
    fn warns_for_wildcard_and_public_addresses_only() {
        let warn = |s: &str| exposure_warning(s.parse().unwrap(), "TCP");
        assert_eq!(warn("127.0.0.1:9"), None);
        assert_eq!(warn("[::1]:9"), None);
        assert_eq!(
            warn("0.0.0.0:9").unwrap(),
            "TCP server reachable from other machines on every network interface of this \
             machine (port 9); restrict it with --allow"
        );
        assert!(warn("[::]:9").unwrap().contains("every network interface"));
        assert!(warn("192.0.2.1:9").unwrap().contains("on 192.0.2.1:9;"));
    }
}
