//! Receiving and sending many datagrams per system call (Linux `recvmmsg`/`sendmmsg`).
//!
//! One `recvfrom` and one `sendto` per datagram is what a blocking reference server does;
//! under a flood the system calls and the wake-ups between them are the cost. These read up
//! to [`BATCH`] waiting datagrams at once and send their replies at once. Where the calls
//! do not exist (not Linux), the batch is one datagram, through the portable calls.

use std::io;
use std::net::SocketAddr;

use tokio::io::Interest;
use tokio::net::UdpSocket;

/// Datagrams per system call.
pub const BATCH: usize = 32;

/// Buffers for one batch, allocated once per server: received datagrams with their
/// senders, and the replies with their destinations.
pub struct Batch {
    bufs: Vec<Vec<u8>>,
    lens: Vec<usize>,
    peers: Vec<Option<SocketAddr>>,
    replies: Vec<Vec<u8>>,
    reply_to: Vec<SocketAddr>,
    /// Replies written so far, from the first.
    pending: usize,
}

impl Batch {
    /// `size` is the largest datagram to receive whole.
    pub fn new(size: usize) -> Batch {
        Batch {
            bufs: vec![vec![0; size]; BATCH],
            lens: vec![0; BATCH],
            peers: vec![None; BATCH],
            replies: vec![Vec::new(); BATCH],
            reply_to: vec![SocketAddr::from(([0, 0, 0, 0], 0)); BATCH],
            pending: 0,
        }
    }

    /// Datagram `i` of the last receive and its sender.
    pub fn datagram(&self, i: usize) -> Option<(&[u8], SocketAddr)> {
        Some((&self.bufs[i][..self.lens[i]], self.peers[i]?))
    }

    /// Datagram `i` and the buffer for the next reply, to be written together.
    pub fn datagram_and_reply(&mut self, i: usize) -> Option<(&[u8], SocketAddr, &mut Vec<u8>)> {
        let peer = self.peers[i]?;
        Some((
            &self.bufs[i][..self.lens[i]],
            peer,
            &mut self.replies[self.pending],
        ))
    }

    /// The buffer for the next reply (or outgoing datagram), to be written and queued.
    pub fn reply_buf(&mut self) -> &mut Vec<u8> {
        &mut self.replies[self.pending]
    }

    /// How many replies are queued; a batch holds [`BATCH`].
    pub fn queued(&self) -> usize {
        self.pending
    }

    /// Keeps the reply just written, for `peer`.
    pub fn queue_reply(&mut self, peer: SocketAddr) {
        self.reply_to[self.pending] = peer;
        self.pending += 1;
    }

    /// The queued replies with their destinations.
    pub fn replies(&self) -> impl Iterator<Item = (&[u8], SocketAddr)> {
        (0..self.pending).map(|i| (&self.replies[i][..], self.reply_to[i]))
    }
}

/// Receives the datagrams already waiting, up to [`BATCH`]; `WouldBlock` when none is.
pub fn try_recv_batch(socket: &UdpSocket, batch: &mut Batch) -> io::Result<usize> {
    socket.try_io(Interest::READABLE, || sys::recv_batch(socket, batch))
}

/// Sends the queued replies and empties the queue. A reply that cannot be sent is passed
/// to `failed` with its destination and size, and skipped. Returns how many were sent.
pub async fn send_replies(
    socket: &UdpSocket,
    batch: &mut Batch,
    mut failed: impl FnMut(SocketAddr, usize, io::Error),
) -> usize {
    let (mut next, mut sent) = (0, 0);
    while next < batch.pending {
        let result = socket
            .async_io(Interest::WRITABLE, || {
                sys::send_batch(
                    socket,
                    &batch.replies[next..batch.pending],
                    &batch.reply_to[next..batch.pending],
                )
            })
            .await;
        match result {
            Ok(n) => {
                next += n.max(1);
                sent += n;
            }
            Err(err) => {
                failed(batch.reply_to[next], batch.replies[next].len(), err);
                next += 1;
            }
        }
    }
    batch.pending = 0;
    sent
}

#[cfg(target_os = "linux")]
mod sys {
    use std::io;
    use std::mem::{MaybeUninit, zeroed};
    use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
    use std::os::fd::AsRawFd;

    use super::{BATCH, Batch};

    pub fn recv_batch(socket: &tokio::net::UdpSocket, batch: &mut Batch) -> io::Result<usize> {
        // SAFETY: all-zero is a valid value for these plain C structs.
        let mut names: [libc::sockaddr_storage; BATCH] = unsafe { zeroed() };
        let mut iovs: [MaybeUninit<libc::iovec>; BATCH] = [MaybeUninit::uninit(); BATCH];
        // SAFETY: as above.
        let mut msgs: [libc::mmsghdr; BATCH] = unsafe { zeroed() };
        for i in 0..BATCH {
            let buf = &mut batch.bufs[i];
            iovs[i].write(libc::iovec {
                iov_base: buf.as_mut_ptr().cast(),
                iov_len: buf.len(),
            });
            msgs[i].msg_hdr.msg_name = (&raw mut names[i]).cast();
            msgs[i].msg_hdr.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            msgs[i].msg_hdr.msg_iov = iovs[i].as_mut_ptr();
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        // SAFETY: every header points at a live buffer, name and iovec of the sizes given,
        // all of which outlive the call; the socket is a valid, non-blocking descriptor.
        let count = unsafe {
            libc::recvmmsg(
                socket.as_raw_fd(),
                msgs.as_mut_ptr(),
                BATCH as libc::c_uint,
                libc::MSG_DONTWAIT,
                std::ptr::null_mut(),
            )
        };
        if count < 0 {
            return Err(io::Error::last_os_error());
        }
        let count = count as usize;
        for i in 0..count {
            batch.lens[i] = msgs[i].msg_len as usize;
            batch.peers[i] = to_socket_addr(&names[i]);
        }
        Ok(count)
    }

    pub fn send_batch(
        socket: &tokio::net::UdpSocket,
        replies: &[Vec<u8>],
        peers: &[SocketAddr],
    ) -> io::Result<usize> {
        let n = replies.len().min(BATCH);
        // SAFETY: all-zero is a valid value for these plain C structs.
        let mut names: [libc::sockaddr_storage; BATCH] = unsafe { zeroed() };
        let mut iovs: [MaybeUninit<libc::iovec>; BATCH] = [MaybeUninit::uninit(); BATCH];
        // SAFETY: as above.
        let mut msgs: [libc::mmsghdr; BATCH] = unsafe { zeroed() };
        for i in 0..n {
            let (reply, peer) = (&replies[i], &peers[i]);
            let len = from_socket_addr(peer, &mut names[i]);
            iovs[i].write(libc::iovec {
                iov_base: reply.as_ptr() as *mut libc::c_void,
                iov_len: reply.len(),
            });
            msgs[i].msg_hdr.msg_name = (&raw mut names[i]).cast();
            msgs[i].msg_hdr.msg_namelen = len;
            msgs[i].msg_hdr.msg_iov = iovs[i].as_mut_ptr();
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        // SAFETY: the first `n` headers point at live replies and addresses that outlive
        // the call; sendmmsg only reads them.
        let sent = unsafe {
            libc::sendmmsg(
                socket.as_raw_fd(),
                msgs.as_mut_ptr(),
                n as libc::c_uint,
                libc::MSG_DONTWAIT,
            )
        };
        if sent < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(sent as usize)
    }

    fn to_socket_addr(storage: &libc::sockaddr_storage) -> Option<SocketAddr> {
        match storage.ss_family as libc::c_int {
            libc::AF_INET => {
                // SAFETY: the kernel wrote a sockaddr_in, as ss_family says.
                let addr: &libc::sockaddr_in = unsafe { &*(storage as *const _ as *const _) };
                let ip = u32::from_be(addr.sin_addr.s_addr);
                Some(SocketAddr::V4(SocketAddrV4::new(
                    ip.into(),
                    u16::from_be(addr.sin_port),
                )))
            }
            libc::AF_INET6 => {
                // SAFETY: the kernel wrote a sockaddr_in6, as ss_family says.
                let addr: &libc::sockaddr_in6 = unsafe { &*(storage as *const _ as *const _) };
                Some(SocketAddr::V6(SocketAddrV6::new(
                    addr.sin6_addr.s6_addr.into(),
                    u16::from_be(addr.sin6_port),
                    addr.sin6_flowinfo,
                    addr.sin6_scope_id,
                )))
            }
            _ => None,
        }
    }

    fn from_socket_addr(
        addr: &SocketAddr,
        storage: &mut libc::sockaddr_storage,
    ) -> libc::socklen_t {
        match addr {
            SocketAddr::V4(v4) => {
                // SAFETY: sockaddr_storage is large and aligned enough for any sockaddr.
                let out: &mut libc::sockaddr_in = unsafe { &mut *(storage as *mut _ as *mut _) };
                out.sin_family = libc::AF_INET as libc::sa_family_t;
                out.sin_port = v4.port().to_be();
                out.sin_addr.s_addr = u32::from(*v4.ip()).to_be();
                size_of::<libc::sockaddr_in>() as libc::socklen_t
            }
            SocketAddr::V6(v6) => {
                // SAFETY: as above.
                let out: &mut libc::sockaddr_in6 = unsafe { &mut *(storage as *mut _ as *mut _) };
                out.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                out.sin6_port = v6.port().to_be();
                out.sin6_addr.s6_addr = v6.ip().octets();
                out.sin6_flowinfo = v6.flowinfo();
                out.sin6_scope_id = v6.scope_id();
                size_of::<libc::sockaddr_in6>() as libc::socklen_t
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    use std::io;
    use std::net::SocketAddr;

    use super::Batch;

    pub fn recv_batch(socket: &tokio::net::UdpSocket, batch: &mut Batch) -> io::Result<usize> {
        let (len, peer) = socket.try_recv_from(&mut batch.bufs[0])?;
        batch.lens[0] = len;
        batch.peers[0] = Some(peer);
        Ok(1)
    }

    pub fn send_batch(
        socket: &tokio::net::UdpSocket,
        replies: &[Vec<u8>],
        peers: &[SocketAddr],
    ) -> io::Result<usize> {
        socket.try_send_to(&replies[0], peers[0])?;
        Ok(1)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_batch_of_datagrams_is_received_and_answered_whole() {
        let server = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let client = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        client.connect(server.local_addr().unwrap()).await.unwrap();
        for i in 0..5u8 {
            client.send(&[i; 3]).await.unwrap();
        }
        let mut batch = Batch::new(1500);
        let mut got = Vec::new();
        while got.len() < 5 {
            server.readable().await.unwrap();
            let count = match try_recv_batch(&server, &mut batch) {
                Ok(count) => count,
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => continue,
                Err(err) => panic!("{err}"),
            };
            for i in 0..count {
                let (data, peer, reply) = batch.datagram_and_reply(i).unwrap();
                assert_eq!(peer, client.local_addr().unwrap());
                got.push(data.to_vec());
                reply.clear();
                reply.extend_from_slice(b"re:");
                reply.extend_from_slice(data);
                batch.queue_reply(peer);
            }
            send_replies(&server, &mut batch, |_, _, err| panic!("{err}")).await;
        }
        assert_eq!(got, (0..5u8).map(|i| vec![i; 3]).collect::<Vec<_>>());
        let mut buf = [0; 16];
        for i in 0..5u8 {
            let n = client.recv(&mut buf).await.unwrap();
            assert_eq!(&buf[..n], &[b'r', b'e', b':', i, i, i]);
        }
    }

    #[tokio::test]
    async fn ipv6_senders_are_answered() {
        let Ok(server) = UdpSocket::bind("[::1]:0").await else {
            return; // no IPv6 loopback here
        };
        let client = UdpSocket::bind("[::1]:0").await.unwrap();
        client
            .send_to(b"x", server.local_addr().unwrap())
            .await
            .unwrap();
        let mut batch = Batch::new(64);
        let count = loop {
            server.readable().await.unwrap();
            if let Ok(count) = try_recv_batch(&server, &mut batch) {
                break count;
            }
        };
        assert_eq!(count, 1);
        let (_, peer, reply) = batch.datagram_and_reply(0).unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        reply.clear();
        reply.push(b'y');
        batch.queue_reply(peer);
        send_replies(&server, &mut batch, |_, _, err| panic!("{err}")).await;
        let mut buf = [0; 4];
        assert_eq!(client.recv(&mut buf).await.unwrap(), 1);
        assert_eq!(buf[0], b'y');
    }
}
