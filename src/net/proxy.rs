//! `--proxy`: reaching a TCP service through a SOCKS5 proxy (RFC 1928, with RFC 1929's
//! user and password) or an HTTP proxy's `CONNECT` (RFC 9110 9.3.6), as `nc -X 5 -x`,
//! `ncat --proxy` and curl's `socks5h://` do. The proxy is dialled like any server; this
//! module speaks the few bytes that turn that connection into one to the target.
//!
//! A target given as a name is sent to the proxy as the name (socks5h semantics): the
//! proxy resolves it, so a name only the far side knows is reached.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The longest response head an HTTP proxy may send to `CONNECT`.
const MAX_HEAD: usize = 16 * 1024;

/// A proxy's protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Socks5,
    Http,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Socks5 => "socks5",
            Scheme::Http => "http",
        }
    }
}

/// `--proxy URL`, parsed.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
    /// User and password (SOCKS5's RFC 1929 method; HTTP's Basic `Proxy-Authorization`).
    pub auth: Option<(String, String)>,
}

// The password stays out of debug output and logs.
impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")
    }
}

impl std::fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let user = match &self.auth {
            Some((user, _)) => format!("{user}:***@"),
            None => String::new(),
        };
        let at = super::host_port(&self.host, self.port);
        write!(f, "{}://{user}{at}", self.scheme.name())
    }
}

impl ProxyUrl {
    /// `socks5://[USER:PASS@]HOST[:PORT]` (also `socks5h://`; port 1080 when left out) or
    /// `http://[USER:PASS@]HOST[:PORT]` (port 3128, as ncat's); user and password may be
    /// percent-encoded.
    ///
    /// # Errors
    /// Another scheme, no host, a bad port, or a bad percent escape.
    pub fn parse(text: &str) -> Result<ProxyUrl, String> {
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| format!("'{text}': write socks5://HOST:PORT or http://HOST:PORT"))?;
        let (scheme, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "socks5" | "socks5h" => (Scheme::Socks5, 1080),
            "http" => (Scheme::Http, 3128),
            "socks4" | "socks4a" => {
                return Err(format!(
                    "'{text}': SOCKS4 is not spoken; most SOCKS proxies speak socks5://"
                ));
            }
            "https" => {
                return Err(format!(
                    "'{text}': TLS to the proxy itself is not spoken; use http:// (the \
                     tunnel through it can still be --tls)"
                ));
            }
            other => {
                return Err(format!(
                    "'{text}': unknown proxy scheme {other}: write socks5:// or http://"
                ));
            }
        };
        let rest = rest.trim_end_matches('/');
        if rest.contains('/') {
            return Err(format!("'{text}': a proxy URL has no path"));
        }
        let (auth, hostport) = match rest.rsplit_once('@') {
            Some((auth, hostport)) => {
                let (user, pass) = auth.split_once(':').unwrap_or((auth, ""));
                let (user, pass) = (decode(user)?, decode(pass)?);
                if user.len() > 255 || pass.len() > 255 {
                    return Err("a proxy user or password is at most 255 bytes".to_owned());
                }
                (Some((user, pass)), hostport)
            }
            None => (None, rest),
        };
        let (host, port) = split_host_port(hostport)
            .ok_or_else(|| format!("'{text}': the proxy's port must be 1 to 65535"))?;
        if host.is_empty() {
            return Err(format!("'{text}': name the proxy's host"));
        }
        Ok(ProxyUrl {
            scheme,
            host: host.to_owned(),
            port: port.unwrap_or(default_port),
            auth,
        })
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`; `None` for a port that is not 1 to 65535.
fn split_host_port(text: &str) -> Option<(&str, Option<u16>)> {
    let port = |p: &str| p.parse::<u16>().ok().filter(|p| *p > 0);
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(p) => Some((host, Some(port(p)?))),
            None if after.is_empty() => Some((host, None)),
            None => None,
        };
    }
    match text.rsplit_once(':') {
        // A bare IPv6 address has colons but no port.
        Some(_) if text.parse::<IpAddr>().is_ok() => Some((text, None)),
        Some((host, p)) => Some((host, Some(port(p)?))),
        None => Some((text, None)),
    }
}

/// Percent-decoding, for a user or password with `@` or `:` in it.
fn decode(text: &str) -> Result<String, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b != b'%' {
            out.push(b);
            continue;
        }
        let hex: Vec<u8> = bytes.by_ref().take(2).collect();
        let value = std::str::from_utf8(&hex)
            .ok()
            .filter(|h| h.len() == 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .ok_or("a % in the proxy's user or password must be followed by two hex digits")?;
        out.push(value);
    }
    String::from_utf8(out).map_err(|_| "the proxy's user or password is not UTF-8".to_owned())
}

/// Where the proxy is asked to connect: the name as given (the proxy resolves it), or an
/// address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::host_port(&self.host, self.port))
    }
}

/// Why the proxy did not connect us to the target; each says which hop failed.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("the proxy {proxy} failed: {err}")]
    Io {
        proxy: SocketAddr,
        err: std::io::Error,
    },
    #[error("the proxy {proxy} did not answer within {}", humantime::format_duration(*.after))]
    Timeout { proxy: SocketAddr, after: Duration },
    #[error("{proxy} is not a {scheme} proxy: {why}")]
    NotProxy {
        proxy: SocketAddr,
        scheme: &'static str,
        why: String,
    },
    #[error(
        "the SOCKS5 proxy {proxy} accepts none of our methods ({offered}){hint}",
        hint = if *.offered_auth { "" } else { ": it may want a user and password (socks5://USER:PASS@HOST:PORT)" }
    )]
    NoMethod {
        proxy: SocketAddr,
        offered: &'static str,
        offered_auth: bool,
    },
    #[error("the proxy {proxy} refused the user and password")]
    AuthFailed { proxy: SocketAddr },
    #[error(
        "the proxy {proxy} wants a user and password: give them as {scheme}://USER:PASS@HOST:PORT"
    )]
    AuthRequired {
        proxy: SocketAddr,
        scheme: &'static str,
    },
    #[error("the proxy {proxy} could not reach {target}: {words} (SOCKS5 reply {code})")]
    Target {
        proxy: SocketAddr,
        target: Target,
        code: u8,
        words: &'static str,
    },
    #[error("the proxy {proxy} would not connect to {target}: {status}")]
    Refused {
        proxy: SocketAddr,
        target: Target,
        status: String,
    },
}

impl ProxyError {
    /// The target said no, as a server that does not listen would: a port that is closed
    /// behind the proxy (`-z`), a refused connection in a load run.
    pub fn target_refused(&self) -> bool {
        matches!(self, ProxyError::Target { code: 5, .. })
    }
}

/// RFC 1928's reply codes, in words.
fn socks_reply(code: u8) -> &'static str {
    match code {
        1 => "general SOCKS server failure",
        2 => "connection not allowed by the proxy's rules",
        3 => "network unreachable",
        4 => "host unreachable",
        5 => "connection refused",
        6 => "TTL expired",
        7 => "command not supported",
        8 => "address type not supported",
        _ => "an unknown failure",
    }
}

/// Asks the proxy at `proxy`, already connected as `stream`, to connect to `target`;
/// returns once bytes written to `stream` go to the target. Nothing past the proxy's
/// answer is read, so a target that speaks first loses nothing.
///
/// # Errors
/// The proxy failed, is not a proxy of the scheme, refused our credentials, or could not
/// reach the target; or it did not answer within `timeout`.
pub async fn open<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    url: &ProxyUrl,
    proxy: SocketAddr,
    target: &Target,
    timeout: Duration,
) -> Result<(), ProxyError> {
    let talk = async {
        match url.scheme {
            Scheme::Socks5 => socks5(stream, url, proxy, target).await,
            Scheme::Http => connect(stream, url, proxy, target).await,
        }
    };
    tokio::time::timeout(timeout, talk)
        .await
        .unwrap_or(Err(ProxyError::Timeout {
            proxy,
            after: timeout,
        }))
}

async fn socks5<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    url: &ProxyUrl,
    proxy: SocketAddr,
    target: &Target,
) -> Result<(), ProxyError> {
    let io = |err| ProxyError::Io { proxy, err };
    let not = |why: &str| ProxyError::NotProxy {
        proxy,
        scheme: "SOCKS5",
        why: why.to_owned(),
    };
    let offered_auth = url.auth.is_some();
    // Methods: 0 (none), and 2 (user and password) when we have them.
    let greeting: &[u8] = if offered_auth {
        &[5, 2, 0, 2]
    } else {
        &[5, 1, 0]
    };
    stream.write_all(greeting).await.map_err(io)?;
    let mut choice = [0u8; 2];
    read_exact(stream, &mut choice, proxy).await?;
    if choice[0] != 5 {
        return Err(not("its answer to the greeting is not version 5"));
    }
    match choice[1] {
        0 => {}
        2 if offered_auth => {
            let (user, pass) = url.auth.clone().unwrap_or_default();
            let mut request = vec![1, user.len() as u8];
            request.extend_from_slice(user.as_bytes());
            request.push(pass.len() as u8);
            request.extend_from_slice(pass.as_bytes());
            stream.write_all(&request).await.map_err(io)?;
            let mut status = [0u8; 2];
            read_exact(stream, &mut status, proxy).await?;
            if status[1] != 0 {
                return Err(ProxyError::AuthFailed { proxy });
            }
        }
        0xFF => {
            return Err(ProxyError::NoMethod {
                proxy,
                offered: if offered_auth {
                    "none, user and password"
                } else {
                    "none"
                },
                offered_auth,
            });
        }
        _ => return Err(not("it chose a method we did not offer")),
    }
    let mut request = vec![5, 1, 0];
    match target.host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            request.push(1);
            request.extend_from_slice(&ip.octets());
        }
        Ok(IpAddr::V6(ip)) => {
            request.push(4);
            request.extend_from_slice(&ip.octets());
        }
        Err(_) => {
            // socks5h: the proxy resolves the name.
            request.push(3);
            request.push(target.host.len() as u8);
            request.extend_from_slice(target.host.as_bytes());
        }
    }
    request.extend_from_slice(&target.port.to_be_bytes());
    stream.write_all(&request).await.map_err(io)?;
    let mut head = [0u8; 4];
    read_exact(stream, &mut head, proxy).await?;
    if head[0] != 5 {
        return Err(not("its reply to CONNECT is not version 5"));
    }
    if head[1] != 0 {
        return Err(ProxyError::Target {
            proxy,
            target: target.clone(),
            code: head[1],
            words: socks_reply(head[1]),
        });
    }
    // The address the proxy bound, which we do not need, read to its end.
    let rest = match head[3] {
        1 => 4 + 2,
        4 => 16 + 2,
        3 => {
            let mut len = [0u8; 1];
            read_exact(stream, &mut len, proxy).await?;
            usize::from(len[0]) + 2
        }
        _ => return Err(not("its reply names an unknown address type")),
    };
    let mut bound = vec![0u8; rest];
    read_exact(stream, &mut bound, proxy).await
}

async fn connect<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    url: &ProxyUrl,
    proxy: SocketAddr,
    target: &Target,
) -> Result<(), ProxyError> {
    use base64::Engine;
    let io = |err| ProxyError::Io { proxy, err };
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some((user, pass)) = &url.auth {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.map_err(io)?;
    // What follows the head is the target's, and is left unread.
    let head = match crate::framing::http::read_head(stream, MAX_HEAD).await {
        Ok(head) => head,
        Err(err) if err.kind() == std::io::ErrorKind::InvalidData => {
            return Err(ProxyError::NotProxy {
                proxy,
                scheme: "HTTP",
                why: format!("its answer to CONNECT has no end within {MAX_HEAD} bytes"),
            });
        }
        Err(err) => return Err(io_failure(proxy, err)),
    };
    let text = String::from_utf8_lossy(&head);
    let status_line = text.lines().next().unwrap_or_default().trim().to_owned();
    let mut words = status_line.split_whitespace();
    let (version, code) = (words.next().unwrap_or_default(), words.next());
    if !version.starts_with("HTTP/") {
        return Err(ProxyError::NotProxy {
            proxy,
            scheme: "HTTP",
            why: format!(
                "it answered CONNECT with '{}'",
                crate::encoding::shown_text(&status_line)
            ),
        });
    }
    match code {
        Some(code) if code.starts_with('2') => Ok(()),
        Some("407") => Err(if url.auth.is_some() {
            ProxyError::AuthFailed { proxy }
        } else {
            ProxyError::AuthRequired {
                proxy,
                scheme: "http",
            }
        }),
        _ => Err(ProxyError::Refused {
            proxy,
            target: target.clone(),
            status: crate::encoding::shown_text(
                status_line
                    .split_once(' ')
                    .map_or(status_line.as_str(), |(_, rest)| rest),
            ),
        }),
    }
}

/// Reads exactly `buf`; the proxy closing early says it is not a proxy of this kind (or
/// gave up on us).
async fn read_exact<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut [u8],
    proxy: SocketAddr,
) -> Result<(), ProxyError> {
    match stream.read_exact(buf).await {
        Ok(_) => Ok(()),
        Err(err) => Err(io_failure(proxy, err)),
    }
}

/// A failed read from the proxy; its closing early said in words.
fn io_failure(proxy: SocketAddr, err: std::io::Error) -> ProxyError {
    let err = if err.kind() == std::io::ErrorKind::UnexpectedEof {
        std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "it closed the connection in the middle of the proxy handshake",
        )
    } else {
        err
    };
    ProxyError::Io { proxy, err }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_with_defaults_and_credentials() {
        let url = ProxyUrl::parse("socks5://127.0.0.1:1081").unwrap();
        assert_eq!(
            (url.scheme, url.port, url.auth),
            (Scheme::Socks5, 1081, None)
        );
        let url = ProxyUrl::parse("socks5h://u%40x:p%3Aw@proxy").unwrap();
        assert_eq!(url.port, 1080);
        assert_eq!(url.auth, Some(("u@x".to_owned(), "p:w".to_owned())));
        assert_eq!(url.to_string(), "socks5://u@x:***@proxy:1080");
        let url = ProxyUrl::parse("http://[::1]:8888/").unwrap();
        assert_eq!(
            (url.scheme, url.host.as_str(), url.port),
            (Scheme::Http, "::1", 8888)
        );
        assert_eq!(ProxyUrl::parse("http://proxy").unwrap().port, 3128);
        for bad in [
            "proxy:1080",
            "ftp://proxy",
            "socks4://p",
            "https://p",
            "http://p:0",
            "http://p:99999",
            "http://:80",
            "http://p/x",
            "socks5://u%4:p@h",
        ] {
            assert!(ProxyUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn socks5_sends_the_name_for_the_proxy_to_resolve() {
        let (mut ours, mut theirs) = tokio::io::duplex(1024);
        let url = ProxyUrl::parse("socks5://u:p@proxy:1080").unwrap();
        let proxy: SocketAddr = "127.0.0.1:1080".parse().unwrap();
        let target = Target {
            host: "db.internal".to_owned(),
            port: 5432,
        };
        let peer = tokio::spawn(async move {
            let mut greeting = [0u8; 4];
            theirs.read_exact(&mut greeting).await.unwrap();
            assert_eq!(greeting, [5, 2, 0, 2]);
            theirs.write_all(&[5, 2]).await.unwrap();
            let mut auth = [0u8; 5];
            theirs.read_exact(&mut auth).await.unwrap();
            assert_eq!(auth, [1, 1, b'u', 1, b'p']);
            theirs.write_all(&[1, 0]).await.unwrap();
            let mut request = vec![0u8; 5 + 11 + 2];
            theirs.read_exact(&mut request).await.unwrap();
            assert_eq!(&request[..5], &[5, 1, 0, 3, 11]);
            assert_eq!(&request[5..16], b"db.internal");
            assert_eq!(&request[16..], &5432u16.to_be_bytes());
            // Host unreachable, with a bound address of type IPv4.
            theirs
                .write_all(&[5, 4, 0, 1, 0, 0, 0, 0, 0, 0])
                .await
                .unwrap();
        });
        let err = open(&mut ours, &url, proxy, &target, Duration::from_secs(5))
            .await
            .unwrap_err();
        peer.await.unwrap();
        assert_eq!(
            err.to_string(),
            "the proxy 127.0.0.1:1080 could not reach db.internal:5432: host unreachable (SOCKS5 \
             reply 4)"
        );
    }

    #[tokio::test]
    async fn connect_leaves_what_follows_the_head_to_the_caller() {
        let (mut ours, mut theirs) = tokio::io::duplex(1024);
        let url = ProxyUrl::parse("http://proxy:3128").unwrap();
        let proxy: SocketAddr = "127.0.0.1:3128".parse().unwrap();
        let target = Target {
            host: "::1".to_owned(),
            port: 80,
        };
        theirs
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\nHello")
            .await
            .unwrap();
        open(&mut ours, &url, proxy, &target, Duration::from_secs(5))
            .await
            .unwrap();
        let mut sent = vec![0u8; 64];
        let n = theirs.read(&mut sent).await.unwrap();
        assert_eq!(
            &sent[..n],
            b"CONNECT [::1]:80 HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"
        );
        let mut greeting = [0u8; 5];
        ours.read_exact(&mut greeting).await.unwrap();
        assert_eq!(&greeting, b"Hello");
    }
}
