//! `--allow` / `--deny` over random addresses and rules, for both socket families: an IPv4
//! peer is judged the same whether an IPv4 socket shows it as `a.b.c.d` or a dual-stack
//! socket as `::ffff:a.b.c.d`, and a rule written in either form is the same rule.
//! Containment is computed here independently, with plain integer masks.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netdemo::access::{AccessList, parse_net};
use proptest::prelude::*;

/// Whether `peer` is in `net/len`, by masking.
fn in_v4(peer: u32, net: u32, len: u8) -> bool {
    len == 0 || (peer ^ net) >> (32 - u32::from(len)) == 0
}

fn in_v6(peer: u128, net: u128, len: u8) -> bool {
    len == 0 || (peer ^ net) >> (128 - u32::from(len)) == 0
}

fn deny(rule: &str) -> AccessList {
    AccessList::new(Vec::new(), vec![parse_net(rule).unwrap()])
}

fn allow(rule: &str) -> AccessList {
    AccessList::new(vec![parse_net(rule).unwrap()], Vec::new())
}

/// Both forms a server may see an IPv4 peer in.
fn both_forms(peer: u32) -> [IpAddr; 2] {
    let v4 = Ipv4Addr::from(peer);
    [IpAddr::V4(v4), IpAddr::V6(v4.to_ipv6_mapped())]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn ipv4_rules_judge_both_socket_families_alike(
        peer in any::<u32>(),
        net in any::<u32>(),
        len in 0u8..=32,
        near in any::<bool>(),
    ) {
        // Half the cases put the peer inside the rule's range, or random pairs rarely match.
        let peer = if near { net ^ (peer >> len.min(31)) } else { peer };
        let inside = in_v4(peer, net, len);
        let written = [
            format!("{}/{len}", Ipv4Addr::from(net)),
            format!("{}/{}", Ipv4Addr::from(net).to_ipv6_mapped(), 96 + len),
        ];
        for rule in &written {
            for seen in both_forms(peer) {
                prop_assert_eq!(deny(rule).refusal(seen).is_some(), inside, "deny {} {}", rule, seen);
                prop_assert_eq!(allow(rule).refusal(seen).is_none(), inside, "allow {} {}", rule, seen);
            }
        }
    }

    #[test]
    fn ipv6_rules_match_by_prefix(
        peer in any::<u128>(),
        net in any::<u128>(),
        len in 0u8..=128,
        near in any::<bool>(),
    ) {
        let peer = if near { net ^ (peer >> len.min(127)) } else { peer };
        let peer_ip = Ipv6Addr::from(peer);
        // Mapped peers are IPv4 peers: the property above covers them.
        prop_assume!(peer_ip.to_ipv4_mapped().is_none());
        let rule = format!("{}/{len}", Ipv6Addr::from(net));
        // A rule naming a mapped range is an IPv4 rule; skip those here too.
        prop_assume!(!(len >= 96 && Ipv6Addr::from(net).to_ipv4_mapped().is_some()));
        let inside = in_v6(peer, net, len);
        prop_assert_eq!(deny(&rule).refusal(IpAddr::V6(peer_ip)).is_some(), inside);
        prop_assert_eq!(allow(&rule).refusal(IpAddr::V6(peer_ip)).is_none(), inside);
    }

    #[test]
    fn an_ipv4_rule_never_admits_or_refuses_an_ipv6_peer_by_accident(
        peer in any::<u128>(),
        net in any::<u32>(),
        len in 0u8..=32,
    ) {
        let peer_ip = Ipv6Addr::from(peer);
        prop_assume!(peer_ip.to_ipv4_mapped().is_none());
        let rule = format!("{}/{len}", Ipv4Addr::from(net));
        prop_assert!(deny(&rule).refusal(IpAddr::V6(peer_ip)).is_none());
        prop_assert!(allow(&rule).refusal(IpAddr::V6(peer_ip)).is_some());
    }
}
