//! The io_uring trial of the speed issue: the seed protocol served from one thread through
//! one io_uring (the io-uring crate, no runtime), with one receive or send in flight per
//! connection and every completion reaped in one `io_uring_enter`. It has none of
//! netdemo's framing, output or rules, so it is the ceiling io_uring could give
//! `netdemo tcp serve` on this kernel; `scripts/bench-tcp` measures it beside the others
//! and its header keeps the figures that decided io_uring's fate.
//!
//!     cargo run --release --example uring_server -- [PORT]
//!     cargo run --release --example uring_server -- --probe   (exit 0 if io_uring works here)

use std::net::TcpListener;
use std::os::fd::{AsRawFd, RawFd};

use io_uring::{IoUring, opcode, squeue, types};

const GREETING: &[u8] = b"Hello, I am server!";
const ACCEPT: u64 = u64::MAX;

/// One connection: its socket, the one buffer its receives land in, and the reply being
/// sent (a reply may go out in several sends).
struct Conn {
    fd: RawFd,
    input: [u8; 1024],
    reply: Vec<u8>,
    sent: usize,
    sending: bool,
}

struct Server {
    ring: IoUring,
    conns: Vec<Option<Box<Conn>>>,
    free: Vec<usize>,
}

impl Server {
    fn push(&mut self, entry: squeue::Entry) -> std::io::Result<()> {
        // SAFETY: every buffer an entry points to lives in a boxed `Conn` that is only
        // dropped after the entry's completion arrived.
        while unsafe { self.ring.submission().push(&entry) }.is_err() {
            self.ring.submit()?;
        }
        Ok(())
    }

    fn recv(&mut self, id: usize) -> std::io::Result<()> {
        let conn = self.conns[id].as_mut().expect("live connection");
        conn.sending = false;
        let entry = opcode::Recv::new(types::Fd(conn.fd), conn.input.as_mut_ptr(), 1024)
            .build()
            .user_data(id as u64);
        self.push(entry)
    }

    fn send(&mut self, id: usize) -> std::io::Result<()> {
        let conn = self.conns[id].as_mut().expect("live connection");
        conn.sending = true;
        let rest = &conn.reply[conn.sent..];
        let entry = opcode::Send::new(types::Fd(conn.fd), rest.as_ptr(), rest.len() as u32)
            .build()
            .user_data(id as u64);
        self.push(entry)
    }

    fn close(&mut self, id: usize) {
        if let Some(conn) = self.conns[id].take() {
            // SAFETY: the descriptor came from accept and nothing else owns it.
            unsafe { libc::close(conn.fd) };
            self.free.push(id);
        }
    }

    fn accepted(&mut self, fd: RawFd) -> std::io::Result<()> {
        let one: libc::c_int = 1;
        // SAFETY: a valid socket and a c_int option value.
        unsafe {
            libc::setsockopt(
                fd,
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                (&one as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        let mut reply = Vec::with_capacity(1024 + 11);
        reply.extend_from_slice(GREETING);
        let conn = Box::new(Conn {
            fd,
            input: [0; 1024],
            reply,
            sent: 0,
            sending: true,
        });
        let id = match self.free.pop() {
            Some(id) => {
                self.conns[id] = Some(conn);
                id
            }
            None => {
                self.conns.push(Some(conn));
                self.conns.len() - 1
            }
        };
        self.send(id)
    }

    fn completed(&mut self, id: usize, result: i32) -> std::io::Result<()> {
        let Some(conn) = self.conns[id].as_mut() else {
            return Ok(());
        };
        if result <= 0 {
            self.close(id);
            return Ok(());
        }
        let n = result as usize;
        if conn.sending {
            conn.sent += n;
            if conn.sent < conn.reply.len() {
                return self.send(id);
            }
            return self.recv(id);
        }
        if &conn.input[..n] == b"exit" {
            self.close(id);
            return Ok(());
        }
        conn.reply.clear();
        conn.reply.extend_from_slice(b"Loop_Msg: ");
        conn.reply.extend_from_slice(&conn.input[..n]);
        conn.reply.push(b'!');
        conn.sent = 0;
        self.send(id)
    }
}

/// A ring whose completions are only run when this thread asks for them
/// (DEFER_TASKRUN): with the epoll client at 16-256 connections it served 176k-184k
/// round trips/s, against 127k-133k without these flags.
fn ring() -> std::io::Result<IoUring> {
    IoUring::builder()
        .setup_coop_taskrun()
        .setup_single_issuer()
        .setup_defer_taskrun()
        .build(4096)
}

fn main() -> std::io::Result<()> {
    let arg = std::env::args().nth(1);
    if arg.as_deref() == Some("--probe") {
        return ring().map(drop);
    }
    let port: u16 = arg.and_then(|p| p.parse().ok()).unwrap_or(0);
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let accept = opcode::AcceptMulti::new(types::Fd(listener.as_raw_fd()))
        .build()
        .user_data(ACCEPT);
    let mut server = Server {
        ring: ring()?,
        conns: Vec::new(),
        free: Vec::new(),
    };
    server.push(accept.clone())?;
    eprintln!("listening on {}", listener.local_addr()?);
    let mut done = Vec::new();
    loop {
        server.ring.submit_and_wait(1)?;
        done.extend(
            server
                .ring
                .completion()
                .map(|c| (c.user_data(), c.result(), c.flags())),
        );
        for (data, result, flags) in done.drain(..) {
            if data == ACCEPT {
                if result >= 0 {
                    server.accepted(result)?;
                }
                if !io_uring::cqueue::more(flags) {
                    server.push(accept.clone())?;
                }
            } else {
                server.completed(data as usize, result)?;
            }
        }
    }
}
