//! Where to listen or connect: `--host` (which may carry a port), `-p`, `-4`/`-6`, and
//! message arguments that look like nc's `HOST PORT`.

use std::net::{IpAddr, SocketAddr};

use color_eyre::eyre::Result;

use crate::cli::{AddrArgs, Source};
use crate::net::{Family, Host, Ports};

use super::DEFAULT_PORT;
use super::refuse::usage;

/// `--source`: the local address connections or datagrams to `addrs` leave from. `addrs`
/// keep only the addresses of its family; `:PORT` takes the family of the first.
///
/// # Errors
/// `host` has no address of the source's family.
pub(super) fn source(
    given: Option<Source>,
    addrs: &mut Vec<SocketAddr>,
    host: &str,
) -> Result<Option<SocketAddr>> {
    let Some(source) = given else {
        return Ok(None);
    };
    let ip = source
        .ip
        .unwrap_or_else(|| crate::net::unspecified(addrs[0]).ip());
    addrs.retain(|addr| addr.is_ipv4() == ip.is_ipv4());
    if addrs.is_empty() {
        let family = if ip.is_ipv4() { "IPv4" } else { "IPv6" };
        return Err(usage(format!(
            "--source {ip} is {family}, but {host} has no {family} address (give a source of \
             the target's family)"
        )));
    }
    Ok(Some(SocketAddr::new(ip, source.port)))
}

/// A fixed `--source` port where `many` connections or sockets would share it: refused,
/// as the second would find the port in use.
pub(super) fn refuse_fixed_port(given: Option<Source>, many: Option<&str>) -> Result<()> {
    if let (Some(Source { port, .. }), Some(many)) = (given, many)
        && port != 0
    {
        return Err(usage(format!(
            "--source with port {port} allows one connection at a time, and {many} opens \
             more: leave the port out (give the address alone) to let the system choose"
        )));
    }
    Ok(())
}

/// The Host header of HTTP requests: the host as given, with the port unless it is 80.
pub(super) fn host_header(host: &Host, port: Ports) -> String {
    authority(&host.name, port.first, 80)
}

/// `HOST[:PORT]` as a URL or Host header writes it: the port left out when it is the
/// scheme's own (`default`), brackets around an IPv6 address.
pub(super) fn authority(host: &str, port: u16, default: u16) -> String {
    let written = crate::net::host_port(host, port);
    if port == default {
        // Everything before the last `:`, brackets and all.
        written[..written.rfind(':').unwrap_or(written.len())].to_owned()
    } else {
        written
    }
}

/// A client or sender needs the server's port: 0 only lets a server choose one.
pub(super) fn refuse_port_zero(port: Ports, who: &str) -> Result<()> {
    if port.first == 0 {
        return Err(usage(format!(
            "--port 0: {who} needs the server's port (0 only lets a server choose one)"
        )));
    }
    Ok(())
}

pub(super) fn refuse_range(port: Ports) -> Result<()> {
    if port.is_range() {
        return Err(usage(format!(
            "--port {port}: a port range is only for `tcp connect -z`"
        )));
    }
    Ok(())
}

/// Whether `--host` or `-p` was given: then message arguments are messages, whatever they
/// look like.
pub(super) fn explicit_target(addr: &AddrArgs) -> bool {
    addr.host.is_some() || addr.port.is_some()
}

/// `netdemo tcp connect 127.0.0.1 8080` is nc's habit: a host and a port given as messages
/// would be sent to 127.0.0.1:9999. Refused, pointing at `--host` and `-p`.
pub(super) fn refuse_address_as_messages(messages: &[String], zero_io: bool) -> Result<()> {
    let [host, port] = messages else {
        return Ok(());
    };
    let looks_like_host = host.parse::<IpAddr>().is_ok()
        || host.eq_ignore_ascii_case("localhost")
        || (host.contains('.') && crate::net::is_host_name(host) && !host.ends_with('.'));
    let looks_like_port =
        !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok();
    if looks_like_host && looks_like_port {
        let host_flag = if host.contains(':') {
            format!("'[{host}]'")
        } else {
            host.clone()
        };
        let otherwise = if zero_io {
            "-z takes no messages"
        } else {
            "to send them as two messages, give --host or -p too"
        };
        return Err(usage(format!(
            "'{host} {port}' looks like a host and a port, but netdemo takes them as \
             --host {host_flag} -p {port}; {otherwise}"
        )));
    }
    Ok(())
}

/// The host and port(s) to use: `--host` (which may carry a port, as `127.0.0.1:8080` or
/// `[::1]:8080`), `-p`, `-4`/`-6`, and the defaults.
pub(super) fn target(addr: &AddrArgs) -> Result<(Host, Ports)> {
    let family = match (addr.ipv4, addr.ipv6) {
        (true, _) => Family::V4,
        (_, true) => Family::V6,
        _ => Family::Any,
    };
    let (name, embedded) = match &addr.host {
        Some(host) => split_host_port(host, "--host")?,
        None if addr.ipv6 => ("::1".to_owned(), None),
        None => ("127.0.0.1".to_owned(), None),
    };
    let port = match (embedded, addr.port) {
        (Some(embedded), Some(flag)) if flag != Ports::single(embedded) => {
            return Err(usage(format!(
                "--host gives port {embedded} and -p gives {flag}: give the port once"
            )));
        }
        (Some(embedded), _) => Ports::single(embedded),
        (None, Some(flag)) => flag,
        (None, None) => Ports::single(DEFAULT_PORT),
    };
    Ok((Host { name, family }, port))
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`, given with `flag` (named in errors). A bare
/// IPv6 address has colons of its own and no port.
pub(super) fn split_host_port(host: &str, flag: &str) -> Result<(String, Option<u16>)> {
    let bad_port = |port: &str| {
        if port.contains('-') {
            return usage(format!(
                "{flag} {host}: a port range goes in -p, e.g. -p {port} (with `tcp connect -z`)"
            ));
        }
        usage(format!(
            "{flag} {host}: '{port}' is not a port number (0-65535)"
        ))
    };
    if let Some(rest) = host.strip_prefix('[') {
        let Some((inner, after)) = rest.split_once(']') else {
            return Err(usage(format!("{flag} {host}: missing ']'")));
        };
        return match after {
            "" => Ok((inner.to_owned(), None)),
            _ => {
                let port = after.strip_prefix(':').ok_or_else(|| bad_port(after))?;
                let port = port.parse().map_err(|_| bad_port(port))?;
                Ok((inner.to_owned(), Some(port)))
            }
        };
    }
    if host.is_empty() {
        return Err(usage(format!(
            "{flag} is empty: give a name or an address, e.g. 127.0.0.1"
        )));
    }
    match host.split_once(':') {
        Some((name, port)) if !port.contains(':') => {
            let port = port.parse().map_err(|_| bad_port(port))?;
            Ok((name.to_owned(), Some(port)))
        }
        // `::1:40000` is not an address: the port was written without brackets.
        Some(_) if host.parse::<std::net::Ipv6Addr>().is_err() => {
            if let Some((ip, port)) = host.rsplit_once(':')
                && ip.parse::<std::net::Ipv6Addr>().is_ok()
                && port.parse::<u16>().is_ok()
            {
                return Err(usage(format!(
                    "{flag} {host}: an IPv6 address with a port is written [{ip}]:{port}"
                )));
            }
            Ok((host.to_owned(), None))
        }
        _ => Ok((host.to_owned(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authority_leaves_out_the_schemes_own_port() {
        assert_eq!(authority("example.com", 80, 80), "example.com");
        assert_eq!(authority("example.com", 8080, 80), "example.com:8080");
        assert_eq!(authority("::1", 443, 443), "[::1]");
        assert_eq!(authority("::1", 80, 443), "[::1]:80");
    }

    #[test]
    fn host_may_carry_a_port() {
        let split = |h: &str| split_host_port(h, "--host").unwrap();
        assert_eq!(split("127.0.0.1:8080"), ("127.0.0.1".into(), Some(8080)));
        assert_eq!(split("[::1]:8080"), ("::1".into(), Some(8080)));
        assert_eq!(split("[::1]"), ("::1".into(), None));
        assert_eq!(split("::1"), ("::1".into(), None));
        assert_eq!(split("localhost"), ("localhost".into(), None));
        assert!(split_host_port("localhost:http", "--host").is_err());
        assert!(split_host_port("", "--host").is_err());
        let range = split_host_port("127.0.0.1:8000-8010", "--host")
            .unwrap_err()
            .to_string();
        assert!(range.contains("a port range goes in -p"), "{range}");
        let bare = split_host_port("::1:40000", "--host")
            .unwrap_err()
            .to_string();
        assert!(bare.contains("written [::1]:40000"), "{bare}");
        assert!(split_host_port("[::1", "--host").is_err());
    }

    #[test]
    fn an_address_and_a_port_are_not_messages() {
        let refused = |m: &[&str]| {
            refuse_address_as_messages(&m.iter().map(|s| s.to_string()).collect::<Vec<_>>(), false)
                .is_err()
        };
        assert!(refused(&["127.0.0.1", "8080"]));
        assert!(refused(&["localhost", "80"]));
        assert!(refused(&["example.com", "443"]));
        assert!(!refused(&["Hello", "Word"]));
        assert!(!refused(&["hello", "80"]));
        assert!(!refused(&["127.0.0.1"]));
    }
}
