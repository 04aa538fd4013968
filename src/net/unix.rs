//! Unix-domain stream sockets, opened one way everywhere: a name parsed (a path, or a
//! Linux abstract `@name`), a server's socket bound safely, a client connected, and a
//! server's socket file removed when it stops.
//!
//! Binding is where Unix sockets differ from TCP. A server that dies leaves its socket
//! file behind, and `bind` then fails with "address in use" although nothing listens:
//! the file is replaced when no listening socket has it (`/proc/net/unix`) and a
//! connection to it is refused, and never when a server is there or when the file is not
//! a socket at all. `--socket-mode` is applied between `bind` and `listen`, so no client
//! can connect while the file still has the umask's permissions.

use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use thiserror::Error;
use tokio::net::{UnixListener, UnixStream};
use tokio::time::Instant;

use crate::event::Peer;
use crate::explain::{SocketFile, Step};
use crate::io_error::describe;
use crate::net::{Backoff, LISTEN_BACKLOG, Narrate, NetError};

/// Where a Unix-domain socket is: a file, or a name in Linux's abstract namespace
/// (written `@name`), which has no file, no permissions, and goes away with the last
/// socket bound to it.
///
/// Held as the user wrote it (any bytes but NUL, as a file name may be), and as human
/// lines show it (escaped: see [`crate::encoding::shown_path`]), both made `'static` once
/// when parsed: every connection's [`Peer`] names it, so it is never copied again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnixName {
    raw: &'static OsStr,
    shown: &'static str,
}

/// The longest path `sockaddr_un` holds (108 bytes on Linux, with the final NUL).
const MAX_PATH: usize = 107;

impl UnixName {
    /// `--path`: a file path, or `@name` for an abstract name (Linux only).
    ///
    /// # Errors
    /// An empty path or name, one too long for `sockaddr_un`, a NUL byte, or `@` where
    /// abstract names do not exist.
    pub fn parse(text: impl AsRef<OsStr>) -> Result<UnixName, String> {
        let text = text.as_ref();
        let bytes = text.as_bytes();
        let shown = crate::encoding::shown_path(Path::new(text));
        if bytes.is_empty() {
            return Err("the path is empty".to_owned());
        }
        if bytes.contains(&0) {
            return Err("a path cannot contain a NUL byte".to_owned());
        }
        // An abstract name takes sun_path's first byte for its NUL, and no final NUL.
        if let Some(name) = bytes.strip_prefix(b"@")
            && name.len() > MAX_PATH
        {
            return Err(format!(
                "'@' and {} bytes: an abstract name can be at most {MAX_PATH} bytes",
                name.len()
            ));
        }
        if !bytes.starts_with(b"@") && bytes.len() > MAX_PATH {
            return Err(format!(
                "'{shown}' is {} bytes: a Unix socket path can be at most {MAX_PATH} (try a \
                 shorter path, e.g. in /tmp)",
                bytes.len()
            ));
        }
        match bytes.strip_prefix(b"@") {
            Some(b"") => Err("'@' needs a name after it (@name)".to_owned()),
            Some(_) if !cfg!(target_os = "linux") => {
                Err("abstract names (@name) exist on Linux only: give a file path".to_owned())
            }
            // Leaked once per program: see `UnixName`.
            _ => Ok(UnixName {
                raw: Box::leak(text.to_owned().into_boxed_os_str()),
                shown: Box::leak(shown.into_boxed_str()),
            }),
        }
    }

    /// This socket as a [`Peer`]: the server itself (`None`), or its `client`-th client.
    pub fn peer(self, client: Option<u64>) -> Peer {
        Peer::Unix {
            path: self.shown,
            client,
        }
    }

    pub fn is_abstract(self) -> bool {
        self.raw.as_bytes().starts_with(b"@")
    }

    /// The socket file, if the name is one.
    pub fn file(self) -> Option<&'static Path> {
        (!self.is_abstract()).then(|| Path::new(self.raw))
    }

    /// The path tokio and socket2 take: an abstract name starts with a NUL byte.
    fn os_path(self) -> PathBuf {
        match self.raw.as_bytes().strip_prefix(b"@") {
            Some(name) => {
                let mut path = vec![0];
                path.extend_from_slice(name);
                PathBuf::from(OsString::from_vec(path))
            }
            None => PathBuf::from(self.raw),
        }
    }
}

impl std::fmt::Display for UnixName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.shown)
    }
}

/// Failures to bind a Unix socket that a user can do something about, worded so.
#[derive(Debug, Error)]
pub enum UnixBindError {
    #[error(
        "cannot listen on {name}: a server is already listening there (stop it, or choose \
         another --path)"
    )]
    InUse { name: UnixName },
    #[error(
        "cannot listen on {name}: the file exists and is not a socket; netdemo replaces only \
         stale socket files (remove it, or choose another --path)"
    )]
    NotASocket { name: UnixName },
    #[error("cannot listen on {name}: {}", bind_failure(*.name, .err))]
    Io { name: UnixName, err: io::Error },
    #[error(
        "cannot listen on {name}: a socket file is there, and whether a server listens on it \
         cannot be told ({}); remove it if it is stale, or choose another --path",
        match .err.kind() {
            io::ErrorKind::PermissionDenied => "this user may not connect to it".to_owned(),
            _ => describe(.err),
        }
    )]
    Unknowable { name: UnixName, err: io::Error },
}

/// Why a socket file cannot be made, in the terms of its directory.
fn bind_failure(name: UnixName, err: &io::Error) -> String {
    let dir = name
        .file()
        .and_then(Path::parent)
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match err.kind() {
        io::ErrorKind::NotFound => format!(
            "the directory {} does not exist (create it, or choose another --path)",
            crate::encoding::shown_path(dir)
        ),
        io::ErrorKind::PermissionDenied => format!(
            "permission denied: this user may not create files in {} (choose another \
             --path, e.g. in /tmp or $XDG_RUNTIME_DIR)",
            crate::encoding::shown_path(dir)
        ),
        _ => describe(err),
    }
}

/// A bound Unix socket, listening; its file (if any) is removed when this is dropped.
pub struct BoundUnix {
    pub listener: UnixListener,
    pub name: UnixName,
    /// What was done to the file besides binding it, for `--explain`.
    pub file: SocketFile,
    /// Whether the file is ours to remove: not when another server took the path since.
    remove: Option<FileId>,
}

/// A file's identity, so a server removes its own socket file and not a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
}

fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some(FileId {
        dev: meta.dev(),
        ino: meta.ino(),
    })
}

impl Drop for BoundUnix {
    fn drop(&mut self) {
        let (Some(path), Some(ours)) = (self.name.file(), self.remove) else {
            return;
        };
        let removed = match std::fs::symlink_metadata(path) {
            // Gone already, or another server's file now: not ours to remove.
            Err(err) if err.kind() == io::ErrorKind::NotFound => return,
            Ok(_) if file_id(path) != Some(ours) => return,
            Ok(_) => std::fs::remove_file(path),
            Err(err) => Err(err),
        };
        if let Err(err) = removed {
            tracing::warn!(
                path = %crate::encoding::shown_path(path),
                error = %err,
                "cannot remove the socket file; the next server on this path replaces it"
            );
        }
    }
}

/// Binds and listens on `name`, replacing a stale socket file, with the file's
/// permissions set to `mode` before any client can connect.
///
/// # Errors
/// A server listens there already, the path is not a socket, or the socket cannot be
/// created, bound or listened on (no such directory, permission denied...).
pub fn bind(name: &UnixName, mode: Option<u32>) -> Result<BoundUnix, UnixBindError> {
    let name = *name;
    let io = |err| UnixBindError::Io { name, err };
    let mut file = SocketFile {
        replaced_stale: false,
        mode: mode.filter(|_| !name.is_abstract()),
    };
    // Held until listen(): between bind() and listen() a fresh file refuses connections
    // as a stale one does, and another netdemo starting on the path then must not take it
    // for one. Released when this function returns.
    let _starting = name.file().and_then(lock_directory);
    if let Some(path) = name.file() {
        file.replaced_stale = replace_stale(name, path)?;
    }
    let socket =
        socket2::Socket::new(socket2::Domain::UNIX, socket2::Type::STREAM, None).map_err(io)?;
    let addr = socket2::SockAddr::unix(name.os_path()).map_err(io)?;
    socket.bind(&addr).map_err(|err| {
        if err.kind() == io::ErrorKind::AddrInUse {
            // An abstract name (no file to test), or a server that took the path just now.
            UnixBindError::InUse { name }
        } else {
            io(err)
        }
    })?;
    let remove = match name.file() {
        Some(path) => {
            let id = file_id(path);
            if let Some(mode) = mode {
                // Before listen(): until then a connect is refused, so no client gets in
                // under the umask's permissions.
                if let Err(err) =
                    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                {
                    let _ = std::fs::remove_file(path);
                    return Err(io(err));
                }
            }
            id
        }
        None => None,
    };
    let bound = |socket: socket2::Socket| -> io::Result<UnixListener> {
        socket.listen(LISTEN_BACKLOG as i32)?;
        socket.set_nonblocking(true)?;
        UnixListener::from_std(std::os::unix::net::UnixListener::from(socket))
    };
    match bound(socket) {
        Ok(listener) => Ok(BoundUnix {
            listener,
            name,
            file,
            remove,
        }),
        Err(err) => {
            if let Some(path) = name.file() {
                let _ = std::fs::remove_file(path);
            }
            Err(io(err))
        }
    }
}

/// An exclusive `flock` on the directory holding `path`, which serialises netdemo servers
/// starting there without a lock file of its own; `None` where the directory cannot be
/// opened (the bind then says why, if it fails). Another netdemo holds it for
/// microseconds; a program that held it longer than `LOCK_WAIT` is not waited for.
fn lock_directory(path: &Path) -> Option<std::fs::File> {
    use std::os::fd::AsRawFd;
    const LOCK_WAIT: Duration = Duration::from_millis(500);
    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let handle = std::fs::File::open(dir).ok()?;
    let started = std::time::Instant::now();
    // SAFETY: flock on a descriptor we own; the lock goes with the descriptor.
    while unsafe { libc::flock(handle.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        if started.elapsed() >= LOCK_WAIT {
            tracing::debug!(dir = %crate::encoding::shown_path(dir), "the directory stays locked: binding without it");
            return None;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Some(handle)
}

/// A socket file at `path` that no server listens on is a dead server's: removed (`true`).
/// A live server's, or a file that is not a socket, is left alone and an error.
fn replace_stale(name: UnixName, path: &Path) -> Result<bool, UnixBindError> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(false);
    };
    if !meta.file_type().is_socket() {
        return Err(UnixBindError::NotASocket { name });
    }
    if listed_as_listening(path) {
        return Err(UnixBindError::InUse { name });
    }
    match probe(path) {
        Probe::Listening => Err(UnixBindError::InUse { name }),
        Probe::Refused => {
            tracing::info!(path = %crate::encoding::shown_path(path), "removing a stale socket file: nothing listens on it");
            std::fs::remove_file(path)
                .map(|()| true)
                .map_err(|err| UnixBindError::Io { name, err })
        }
        Probe::Unknown(err) => Err(UnixBindError::Unknowable { name, err }),
    }
}

/// Whether Linux lists a listening socket bound to `path` (`/proc/net/unix`). Reading the
/// table asks the server nothing: a connection would be taken as a client, and a
/// one-client server (stdio mode, `nc -lU`) would spend itself on it.
fn listed_as_listening(path: &Path) -> bool {
    /// `__SO_ACCEPTCON` in the Flags column: the socket has called listen().
    const LISTENING: u32 = 0x0001_0000;
    let Ok(table) = std::fs::read_to_string("/proc/net/unix") else {
        return false;
    };
    let absolute = std::fs::canonicalize(path).ok();
    table.lines().skip(1).any(|line| {
        // Num RefCount Protocol Flags Type St Inode Path: the path is the rest of the line
        // (it may hold spaces), and unbound sockets have none.
        let mut rest = line;
        let mut fields = [""; 7];
        for field in &mut fields {
            rest = rest.trim_start();
            let end = rest.find(' ').unwrap_or(rest.len());
            *field = &rest[..end];
            rest = &rest[end..];
        }
        let Some(bound) = rest.strip_prefix(' ').map(Path::new) else {
            return false;
        };
        u32::from_str_radix(fields[3], 16).is_ok_and(|flags| flags & LISTENING != 0)
            && (bound == path || absolute.as_deref() == Some(bound))
    })
}

/// What a connection attempt says of a socket file.
enum Probe {
    Listening,
    Refused,
    /// It cannot be told (permission denied...).
    Unknown(io::Error),
}

/// Asks the socket at `path` without waiting: where `/proc/net/unix` is not there to
/// read, or names the socket by another path (a server that bound a relative one). A
/// full backlog answers "try again", which only a live server does.
fn probe(path: &Path) -> Probe {
    let attempt = || -> io::Result<()> {
        let socket = socket2::Socket::new(socket2::Domain::UNIX, socket2::Type::STREAM, None)?;
        socket.set_nonblocking(true)?;
        socket.connect(&socket2::SockAddr::unix(path)?)
    };
    match attempt() {
        Ok(()) => Probe::Listening,
        Err(err) if err.kind() == io::ErrorKind::ConnectionRefused => Probe::Refused,
        Err(err)
            if err.kind() == io::ErrorKind::WouldBlock
                || err.raw_os_error() == Some(libc::EINPROGRESS) =>
        {
            Probe::Listening
        }
        Err(err) => Probe::Unknown(err),
    }
}

/// Connects to `name` within `timeout`; with `wait`, a missing or refusing socket is
/// tried again until `wait` has passed (a server still starting). With `narrate`, each
/// attempt's socket and connect steps are told. Returns the stream and how long the
/// attempt that connected took.
///
/// # Errors
/// Nothing listens there (no file, or a stale one), permission denied, or the timeout.
pub async fn connect(
    name: &UnixName,
    timeout: Duration,
    wait: Option<Duration>,
    narrate: Option<Narrate<'_>>,
) -> Result<(UnixStream, Duration), NetError> {
    let peer = name.peer(None);
    let deadline = wait.map(|wait| Instant::now() + wait);
    let mut backoff = Backoff::new(Duration::from_millis(50), Duration::from_secs(1));
    loop {
        if let Some(narrate) = narrate {
            narrate(Step::Socket { addr: peer });
        }
        let started = Instant::now();
        let attempt = match tokio::time::timeout(timeout, UnixStream::connect(name.os_path())).await
        {
            Ok(Ok(stream)) => Ok(stream),
            Ok(Err(err)) => Err(NetError::Connect { addr: peer, err }),
            Err(_) => Err(NetError::ConnectTimeout {
                addr: peer,
                after: timeout,
            }),
        };
        let took = started.elapsed();
        if let Some(narrate) = narrate {
            let error = attempt.as_ref().err().map(ToString::to_string);
            narrate(Step::Connect {
                addr: peer,
                took,
                error: error.as_deref(),
            });
        }
        let err = match attempt {
            Ok(stream) => return Ok((stream, took)),
            Err(err) => err,
        };
        let retry = matches!(&err, NetError::Connect { err, .. }
            if matches!(err.kind(), io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused));
        if !retry || deadline.is_none_or(|d| Instant::now() >= d) {
            return Err(err);
        }
        let pause = backoff.next_until(deadline);
        tracing::info!(error = %err, retry_ms = pause.as_millis(), "not listening yet");
        tokio::time::sleep(pause).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_as_files_or_abstract() {
        let file = UnixName::parse("/tmp/a.sock").unwrap();
        assert_eq!(file.file(), Some(Path::new("/tmp/a.sock")));
        let name = UnixName::parse("@netdemo").unwrap();
        assert!(name.is_abstract() && name.file().is_none());
        assert_eq!(name.os_path(), PathBuf::from("\0netdemo"));
        assert_eq!(name.peer(Some(3)).to_string(), "@netdemo#3");
        assert!(UnixName::parse("").is_err());
        assert!(UnixName::parse("@").is_err());
        assert!(UnixName::parse("a\0b").is_err());
        let long = format!("/tmp/{}", "x".repeat(120));
        assert!(UnixName::parse(&long).unwrap_err().contains("at most 107"));
        // An abstract name's NUL takes the byte a path's final NUL would.
        assert!(UnixName::parse(format!("@{}", "z".repeat(107))).is_ok());
        assert!(UnixName::parse(format!("@{}", "z".repeat(108))).is_err());
    }

    #[tokio::test]
    async fn a_stale_file_is_replaced_a_live_one_refused_and_the_file_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sock");
        let name = UnixName::parse(path.to_str().unwrap()).unwrap();
        // A dead server's file: bound, then the listener closed without removing it.
        drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
        assert!(path.exists());
        assert!(!listed_as_listening(&path));
        let bound = bind(&name, Some(0o600)).unwrap();
        assert!(listed_as_listening(&path));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(matches!(
            bind(&name, None),
            Err(UnixBindError::InUse { .. })
        ));
        // Without /proc's word, a connection that is not refused says the same.
        assert!(matches!(probe(&path), Probe::Listening));
        drop(bound);
        assert!(!path.exists());
        std::fs::write(&path, b"not a socket").unwrap();
        assert!(matches!(
            bind(&name, None),
            Err(UnixBindError::NotASocket { .. })
        ));
    }
}
