//! `--pcap FILE`: what netdemo sent and received, written as a pcapng capture that
//! Wireshark and tshark open, with no root and no tcpdump. The packets are made from what
//! the program saw (`pcapng.rs` builds them), at the times it saw them: a TCP connection
//! gets its handshake, sequence and acknowledgement numbers that follow its bytes exactly,
//! segments as they were read and written, and its FIN or RST; a UDP datagram is one
//! packet.
//!
//! The file is written by a thread of its own behind a bounded queue, as the hex dump is:
//! tasks that print wait when the disk falls behind, and a failure to write ends the file
//! at its last whole block and is said once.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::writer::Channel;
use crate::pcapng::{self, ACK, FIN, KeyLines, MAX_SEGMENT, PSH, RST, SYN};

/// A capture file being written.
pub struct Capture {
    pub(super) channel: Arc<Channel>,
    /// The interfaces described so far, by name: a block is written for each the first
    /// time a packet names it.
    interfaces: Mutex<Vec<String>>,
    /// Packets written so far: numbered and queued under this lock, so the numbers
    /// follow the file's order.
    packets: Mutex<u64>,
    failure_told: AtomicBool,
    /// `--pcap-secrets`: the file, and the TLS secrets to put at its head once written.
    secrets: Option<(PathBuf, Arc<KeyLines>)>,
}

impl Capture {
    /// Creates `path` and writes the section header; `secrets` are the TLS secrets to
    /// carry (`--pcap-secrets`).
    ///
    /// # Errors
    /// The file cannot be created.
    pub fn create(path: &Path, secrets: Option<Arc<KeyLines>>) -> std::io::Result<Capture> {
        let file = std::fs::File::create(path)?;
        let channel = Channel::spawn(Box::new(file), "netdemo-pcap");
        let capture = Capture {
            channel,
            interfaces: Mutex::new(Vec::new()),
            packets: Mutex::new(0),
            failure_told: AtomicBool::new(false),
            secrets: secrets.map(|lines| (path.to_owned(), lines)),
        };
        let header = pcapng::section_header(&format!("netdemo {}", env!("CARGO_PKG_VERSION")));
        capture.write(&header);
        Ok(capture)
    }

    fn write(&self, block: &[u8]) {
        if !self.channel.push(|buf| buf.extend_from_slice(block))
            && self.channel.has_failed()
            && !self.failure_told.swap(true, Ordering::Relaxed)
        {
            tracing::error!("cannot write the capture: it ends at its last whole packet");
        }
    }

    /// Puts the TLS secrets gathered into the written file, in a decryption secrets block
    /// right after the section header. Why there, and only now: Wireshark applies a
    /// block's secrets to the packets after it, and a connection's secrets are known only
    /// after its first records were captured. The file is written again beside itself and
    /// renamed over, so it is whole at every moment.
    ///
    /// # Errors
    /// The file cannot be read, or its copy written or renamed.
    pub fn add_secrets(&self) -> std::io::Result<()> {
        use std::io::{Read, Seek, Write};
        let Some((path, lines)) = &self.secrets else {
            return Ok(());
        };
        let lines = lines.lines();
        if lines.is_empty() {
            tracing::warn!(
                "--pcap-secrets: no TLS connection was made, so the capture holds no secrets"
            );
            return Ok(());
        }
        let mut file = std::fs::File::open(path)?;
        let mut head = [0u8; 8];
        file.read_exact(&mut head)?;
        let header = u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]]));
        file.seek(std::io::SeekFrom::Start(0))?;
        let mut name = path.file_name().unwrap_or_default().to_owned();
        name.push(".netdemo-secrets");
        let beside = path.with_file_name(name);
        let written = (|| {
            use std::os::unix::fs::OpenOptionsExt;
            // Readable by its owner only, as the key log is: it holds the secrets.
            let mut out = std::io::BufWriter::new(
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&beside)?,
            );
            std::io::copy(&mut (&mut file).take(header), &mut out)?;
            out.write_all(&pcapng::decryption_secrets(&lines))?;
            std::io::copy(&mut file, &mut out)?;
            out.into_inner()
                .map_err(std::io::IntoInnerError::into_error)?
                .sync_all()?;
            std::fs::rename(&beside, path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&beside);
        }
        written
    }

    /// The id of interface `name`, described on first use.
    pub fn interface(&self, name: &str, description: &str) -> u32 {
        let mut interfaces = self
            .interfaces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(at) = interfaces.iter().position(|known| known == name) {
            return at as u32;
        }
        // Written under the lock: no packet can name the interface before its block.
        self.write(&pcapng::interface(name, description));
        interfaces.push(name.to_owned());
        (interfaces.len() - 1) as u32
    }

    /// One packet (an IP packet, headers and all) seen now on `interface`: its number
    /// in the file, from 1.
    pub fn packet(&self, interface: u32, data: &[u8]) -> u64 {
        let block = pcapng::packet(interface, SystemTime::now(), data);
        let mut packets = self
            .packets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *packets += 1;
        self.write(&block);
        *packets
    }

    /// A UDP datagram from `from` to `to`: its packet number.
    pub fn datagram(
        &self,
        interface: u32,
        from: SocketAddr,
        to: SocketAddr,
        payload: &[u8],
    ) -> u64 {
        self.packet(interface, &pcapng::udp(from, to, payload))
    }
}

/// The interface of what a program itself sent and received.
pub const HERE: (&str, &str) = (
    "netdemo",
    "what netdemo sent and received on its sockets (IP and TCP/UDP headers made from the \
     socket calls)",
);

/// A relay's two legs, each an interface: a fault's effect shows between them.
pub const CLIENT_LEG: (&str, &str) = (
    "client leg",
    "between the clients and the relay, as the relay's socket saw it",
);
pub const TARGET_LEG: (&str, &str) = (
    "target leg",
    "between the relay and the target, as the relay's socket saw it",
);

/// One TCP connection in a capture: its two ends, and the next sequence number each way.
pub struct Flow {
    capture: Arc<Capture>,
    interface: u32,
    local: SocketAddr,
    peer: SocketAddr,
    state: Mutex<FlowState>,
    /// The packet numbers of the handshake, for `--explain`.
    pub opening: (u64, u64),
}

struct FlowState {
    /// The next sequence number of each side.
    local_next: u32,
    peer_next: u32,
    local_closed: bool,
    peer_closed: bool,
}

/// The initial sequence numbers: fixed, so two captures of one conversation compare
/// equal; Wireshark shows them relative anyway.
const LOCAL_ISN: u32 = 1_000_000;
const PEER_ISN: u32 = 2_000_000;

impl Flow {
    /// A connection between `local` and `peer`, opened now by us (`connected`) or by the
    /// peer: its three-way handshake is written at once.
    pub fn open(
        capture: Arc<Capture>,
        interface: u32,
        local: SocketAddr,
        peer: SocketAddr,
        connected: bool,
    ) -> Flow {
        let flow = Flow {
            capture,
            interface,
            local,
            peer,
            state: Mutex::new(FlowState {
                local_next: LOCAL_ISN + 1,
                peer_next: PEER_ISN + 1,
                local_closed: false,
                peer_closed: false,
            }),
            opening: (0, 0),
        };
        let (local, peer) = (flow.local, flow.peer);
        let segment = |from, to, seq, ack, flags| pcapng::tcp(from, to, seq, ack, flags, &[]);
        let handshake = if connected {
            [
                segment(local, peer, LOCAL_ISN, 0, SYN),
                segment(peer, local, PEER_ISN, LOCAL_ISN + 1, SYN | ACK),
                segment(local, peer, LOCAL_ISN + 1, PEER_ISN + 1, ACK),
            ]
        } else {
            [
                segment(peer, local, PEER_ISN, 0, SYN),
                segment(local, peer, LOCAL_ISN, PEER_ISN + 1, SYN | ACK),
                segment(peer, local, PEER_ISN + 1, LOCAL_ISN + 1, ACK),
            ]
        };
        let mut flow = flow;
        let numbers: Vec<u64> = handshake
            .iter()
            .map(|packet| flow.capture.packet(flow.interface, packet))
            .collect();
        flow.opening = (numbers[0], numbers[2]);
        flow
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FlowState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Bytes that went one way (`sent`: from us), as segments of at most
    /// [`MAX_SEGMENT`] bytes: the first and last packet numbers.
    pub fn data(&self, sent: bool, data: &[u8]) -> (u64, u64) {
        let mut state = self.lock();
        let mut numbers = (0, 0);
        for piece in data.chunks(MAX_SEGMENT) {
            let (from, to, seq, ack) = self.ends(&state, sent);
            let number = self.capture.packet(
                self.interface,
                &pcapng::tcp(from, to, seq, ack, PSH | ACK, piece),
            );
            if numbers.0 == 0 {
                numbers.0 = number;
            }
            numbers.1 = number;
            let next = if sent {
                &mut state.local_next
            } else {
                &mut state.peer_next
            };
            *next = next.wrapping_add(piece.len() as u32);
        }
        numbers
    }

    /// A FIN one way (`sent`: ours), once: its packet number.
    pub fn fin(&self, sent: bool) -> Option<u64> {
        let mut state = self.lock();
        let closed = if sent {
            &mut state.local_closed
        } else {
            &mut state.peer_closed
        };
        if std::mem::replace(closed, true) {
            return None;
        }
        let (from, to, seq, ack) = self.ends(&state, sent);
        let number = self.capture.packet(
            self.interface,
            &pcapng::tcp(from, to, seq, ack, FIN | ACK, &[]),
        );
        let next = if sent {
            &mut state.local_next
        } else {
            &mut state.peer_next
        };
        *next = next.wrapping_add(1);
        Some(number)
    }

    /// A reset one way (`sent`: ours).
    pub fn rst(&self, sent: bool) {
        let mut state = self.lock();
        let (from, to, seq, ack) = self.ends(&state, sent);
        self.capture.packet(
            self.interface,
            &pcapng::tcp(from, to, seq, ack, RST | ACK, &[]),
        );
        state.local_closed = true;
        state.peer_closed = true;
    }

    /// Source, destination, sequence and acknowledgement numbers one way.
    fn ends(&self, state: &FlowState, sent: bool) -> (SocketAddr, SocketAddr, u32, u32) {
        if sent {
            (self.local, self.peer, state.local_next, state.peer_next)
        } else {
            (self.peer, self.local, state.peer_next, state.local_next)
        }
    }
}

impl pcapng::Wiretap for Flow {
    fn data(&self, sent: bool, data: &[u8]) {
        Flow::data(self, sent, data);
    }

    fn fin(&self, sent: bool) {
        let _ = Flow::fin(self, sent);
    }

    fn rst(&self, sent: bool) {
        Flow::rst(self, sent);
    }
}

/// A TLS connection's flow, below TLS, when `--pcap` asks for one: the records as they
/// went over the wire, its handshake written now.
pub fn below_tls(
    capture: Option<Arc<Capture>>,
    tcp: &tokio::net::TcpStream,
    connected: bool,
) -> Option<Arc<dyn pcapng::Wiretap>> {
    let capture = capture?;
    let (local, peer) = (tcp.local_addr().ok()?, tcp.peer_addr().ok()?);
    let interface = capture.interface(HERE.0, HERE.1);
    Some(Arc::new(Flow::open(
        capture, interface, local, peer, connected,
    )))
}

impl Drop for Flow {
    /// A connection dropped without a FIN of ours was closed by dropping its socket,
    /// which sends one.
    fn drop(&mut self) {
        let closed = self.lock().local_closed;
        if !closed {
            self.fin(true);
        }
    }
}
