//! Socket errors, classified once and worded for people.
//!
//! Every layer that meets an `io::Error` asks here what it means: the load generator's
//! error kinds, the accept loop's "retry at once or back off", the UDP server's "this
//! concerns one earlier sender", and the text a user reads.

use std::io;

/// What a failed socket call means for the conversation it was part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// Nothing listened (connect refused, or ICMP port unreachable on UDP).
    Refused,
    /// The connection was reset or closed under us.
    Reset,
    /// It took too long.
    Timeout,
    /// The process ran out of file descriptors (EMFILE, ENFILE).
    NoDescriptors,
    /// No local port was free for a new connection (EADDRNOTAVAIL): closed connections
    /// hold theirs in TIME_WAIT.
    NoPorts,
    /// Anything else.
    Other,
}

/// The [`Cause`] of `err`.
pub fn cause(err: &io::Error) -> Cause {
    if matches!(err.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) {
        return Cause::NoDescriptors;
    }
    if err.raw_os_error() == Some(libc::EADDRNOTAVAIL) {
        return Cause::NoPorts;
    }
    match err.kind() {
        io::ErrorKind::ConnectionRefused => Cause::Refused,
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::UnexpectedEof => Cause::Reset,
        io::ErrorKind::TimedOut => Cause::Timeout,
        _ => Cause::Other,
    }
}

/// Errors of `accept` (TCP) or `recv` (UDP) that concern one peer that already left, not
/// the socket: the server goes on at once. Anything else is retried after a pause.
pub fn is_about_a_peer(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// Phrases the usual socket errors the way a user thinks about them, with a way out.
/// Anything unusual falls back to the OS message, which at least names the errno.
pub fn describe(err: &io::Error) -> String {
    if cause(err) == Cause::NoDescriptors {
        return "too many open files (raise the limit with `ulimit -n`, or use fewer connections)"
            .to_owned();
    }
    let text = match err.kind() {
        io::ErrorKind::AddrInUse => {
            "address already in use (another server is on that port; pick another --port, or --port 0)"
        }
        io::ErrorKind::AddrNotAvailable => {
            "address not available (it does not belong to this machine; try --host 127.0.0.1)"
        }
        io::ErrorKind::ConnectionRefused => "connection refused (is a server listening there?)",
        io::ErrorKind::ConnectionReset => "connection reset by peer",
        io::ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges; try a higher --port)"
        }
        io::ErrorKind::TimedOut => "timed out",
        io::ErrorKind::HostUnreachable => "host unreachable",
        io::ErrorKind::NetworkUnreachable => "network unreachable",
        _ => return err.to_string(),
    };
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_exhaustion_is_named_with_its_fix() {
        let err = io::Error::from_raw_os_error(libc::EMFILE);
        assert_eq!(cause(&err), Cause::NoDescriptors);
        assert!(describe(&err).contains("ulimit -n"));
    }

    #[test]
    fn causes() {
        assert_eq!(
            cause(&io::ErrorKind::ConnectionRefused.into()),
            Cause::Refused
        );
        assert_eq!(cause(&io::ErrorKind::BrokenPipe.into()), Cause::Reset);
        assert_eq!(cause(&io::ErrorKind::TimedOut.into()), Cause::Timeout);
        assert_eq!(cause(&io::ErrorKind::InvalidData.into()), Cause::Other);
    }
}
