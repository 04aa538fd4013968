//! The writers of stdout, stderr and a hex dump file: each a thread of its own, fed through
//! a bounded buffer, so that no runtime thread ever blocks on a pipe nobody reads.
//!
//! A [`Channel`] takes whole lines from any thread without blocking: they are appended to a
//! buffer that the channel's thread writes out in one `write` per wake-up, which also
//! batches the lines of a flood into few system calls. Tasks that produce a line per
//! message from a peer wait for [`Channel::room`] before reading the next one, so a reader
//! that stalls holds back only the connections that print, asynchronously. Lines that
//! cannot wait (accept lines, logs) are counted and dropped once the buffer holds
//! [`HARD_LIMIT`] bytes; [`Channel::wait_written`] says how many lines never made it, so
//! nothing is lost in silence.
//!
//! When stdout and stderr are the same file (a terminal, `2>&1`), one channel writes both,
//! so their lines keep the order in which they were produced.

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Instant;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

pub type Sink = Box<dyn Write + Send>;

/// Above this many bytes waiting, [`Channel::room`] holds a task back.
pub const SOFT_LIMIT: usize = 256 * 1024;
/// Above this many bytes waiting, a line is dropped and counted: the memory a stalled
/// reader can cost, whatever the number of connections.
pub const HARD_LIMIT: usize = 32 * 1024 * 1024;

/// How long the writer waits for more lines after writing, before it sleeps until woken:
/// the longest a line waits behind another, and what spares a wake-up per line under load.
const LINGER: std::time::Duration = std::time::Duration::from_millis(1);

/// One output stream and the thread that writes it (or, for tests, a sink written in place).
pub struct Channel {
    state: Mutex<State>,
    /// The thread waits here for bytes; [`Channel::wait_written`] for the thread.
    wake: Condvar,
    written: Condvar,
    /// Bytes waiting or being written, readable without the lock.
    pending: AtomicUsize,
    /// Tasks waiting for room.
    room: Notify,
    /// Cancelled at the first failure to write: nothing more will be.
    failed: CancellationToken,
    /// Set for a channel written in place, on the caller's thread.
    direct: Option<Mutex<Sink>>,
    /// The stream is /dev/null: lines are not even formatted.
    null: bool,
}

#[derive(Default)]
struct State {
    buf: Vec<u8>,
    /// Lines in `buf`, and in the write in progress.
    lines: u64,
    writing_lines: u64,
    /// Lines dropped over [`HARD_LIMIT`], and their bytes.
    dropped: u64,
    dropped_bytes: u64,
    /// The thread is waiting for bytes (and needs a wake-up).
    idle: bool,
    error: Option<io::Error>,
}

/// What [`Channel::wait_written`] found left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unwritten {
    pub lines: u64,
    pub bytes: u64,
}

impl Unwritten {
    pub fn is_empty(&self) -> bool {
        self.lines == 0
    }
}

impl Channel {
    /// A channel whose own thread writes `sink`.
    pub fn spawn(sink: Sink, name: &str) -> Arc<Channel> {
        let channel = Arc::new(Channel::new(None));
        let thread = channel.clone();
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || thread.write_loop(sink));
        if let Err(err) = spawned {
            // Without a thread nothing would ever be written: fail the stream, loudly.
            channel.fail(err);
        }
        channel
    }

    /// A channel that writes `sink` at once, on the caller's thread (tests).
    pub fn direct(sink: Sink) -> Arc<Channel> {
        Arc::new(Channel::new(Some(Mutex::new(sink))))
    }

    fn new(direct: Option<Mutex<Sink>>) -> Channel {
        Channel {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            written: Condvar::new(),
            pending: AtomicUsize::new(0),
            room: Notify::new(),
            failed: CancellationToken::new(),
            direct,
            null: false,
        }
    }

    /// A channel for /dev/null: it takes every line and does nothing with it, so a server
    /// whose output is thrown away does not pay for formatting it (as GNU tar skips work
    /// for an archive written to /dev/null).
    /// Whether this is /dev/null's channel, so a caller can skip building what would be
    /// thrown away (a 64 KiB message shown as text, for a discard server at full speed).
    pub fn is_null(&self) -> bool {
        self.null
    }

    fn null() -> Arc<Channel> {
        Arc::new(Channel {
            null: true,
            ..Channel::new(None)
        })
    }

    /// Queues one line (or any whole piece of output) that `fill` appends to the buffer.
    /// Never blocks on the stream. Returns false when the line was not taken: the stream
    /// failed, or the buffer is full (then it is counted).
    pub fn push(&self, fill: impl FnOnce(&mut Vec<u8>)) -> bool {
        if self.null {
            return true;
        }
        if self.failed.is_cancelled() {
            return false;
        }
        if let Some(sink) = &self.direct {
            let mut line = Vec::new();
            fill(&mut line);
            let mut sink = lock(sink);
            let result = sink.write_all(&line).and_then(|()| sink.flush());
            drop(sink);
            if let Err(err) = result {
                self.fail(err);
                return false;
            }
            return true;
        }
        let mut state = lock(&self.state);
        if self.pending.load(Ordering::Relaxed) >= HARD_LIMIT {
            let mut line = Vec::new();
            fill(&mut line);
            state.dropped += 1;
            state.dropped_bytes += line.len() as u64;
            return false;
        }
        let before = state.buf.len();
        fill(&mut state.buf);
        self.pending
            .fetch_add(state.buf.len() - before, Ordering::Relaxed);
        state.lines += 1;
        if state.idle {
            state.idle = false;
            self.wake.notify_one();
        }
        true
    }

    /// Resolves once fewer than [`SOFT_LIMIT`] bytes wait, or the stream has failed (its
    /// lines go nowhere, so there is nothing to wait for).
    pub async fn room(&self) {
        loop {
            let notified = self.room.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.has_room() {
                return;
            }
            notified.await;
        }
    }

    pub fn has_room(&self) -> bool {
        self.pending.load(Ordering::Relaxed) < SOFT_LIMIT || self.failed.is_cancelled()
    }

    /// Resolves at the first failure to write.
    pub async fn failed(&self) {
        self.failed.cancelled().await;
    }

    /// Lines dropped so far because too much was waiting (a reader that stalled).
    pub fn dropped_lines(&self) -> u64 {
        lock(&self.state).dropped
    }

    pub fn has_failed(&self) -> bool {
        self.failed.is_cancelled()
    }

    /// The first error writing the stream, taken.
    pub fn take_error(&self) -> Option<io::Error> {
        lock(&self.state).error.take()
    }

    /// Waits until every line taken so far is written, the stream fails, or `deadline`
    /// passes (never, if `None`). Returns what was not written: lines still waiting and
    /// lines dropped over the limit. After a failure, waiting lines are not counted: the
    /// failure is reported instead.
    pub fn wait_written(&self, deadline: Option<Instant>) -> Unwritten {
        let mut state = lock(&self.state);
        loop {
            let waiting = state.lines + state.writing_lines;
            if waiting == 0 || self.failed.is_cancelled() {
                break;
            }
            let now = Instant::now();
            state = match deadline {
                None => self
                    .written
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(deadline) if deadline > now => {
                    self.written
                        .wait_timeout(state, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                Some(_) => break,
            };
        }
        let mut left = Unwritten {
            lines: state.dropped,
            bytes: state.dropped_bytes,
        };
        if !self.failed.is_cancelled() {
            left.lines += state.lines + state.writing_lines;
            left.bytes += self.pending.load(Ordering::Relaxed) as u64;
        }
        left
    }

    fn write_loop(&self, mut sink: Sink) {
        let mut spare = Vec::new();
        loop {
            let mut state = lock(&self.state);
            if state.buf.is_empty() {
                // Lines that follow within LINGER are written together, without a wake-up
                // each: one per line cost a fifth of a busy server's round trips.
                drop(state);
                std::thread::sleep(LINGER);
                state = lock(&self.state);
            }
            while state.buf.is_empty() {
                state.idle = true;
                state = self
                    .wake
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            let mut buf = std::mem::replace(&mut state.buf, std::mem::take(&mut spare));
            state.writing_lines = std::mem::take(&mut state.lines);
            drop(state);

            let result = sink.write_all(&buf).and_then(|()| sink.flush());

            let mut state = lock(&self.state);
            state.writing_lines = 0;
            self.pending.fetch_sub(buf.len(), Ordering::Relaxed);
            // A large buffer once (a flood) is not kept for ever.
            buf.clear();
            if buf.capacity() <= 4 * SOFT_LIMIT {
                spare = buf;
            }
            if let Err(err) = result {
                drop(state);
                self.fail(err);
                return;
            }
            drop(state);
            self.written.notify_all();
            if self.has_room() {
                self.room.notify_waiters();
            }
        }
    }

    /// Records the first error and stops the stream: waiting lines are let go.
    fn fail(&self, err: io::Error) {
        let mut state = lock(&self.state);
        if state.error.is_none() {
            state.error = Some(err);
        }
        state.buf = Vec::new();
        state.lines = 0;
        self.pending.store(0, Ordering::Relaxed);
        self.failed.cancel();
        drop(state);
        self.written.notify_all();
        self.room.notify_waiters();
    }
}

/// The process's stdout and stderr channels, started on first use. They write duplicates
/// of descriptors 1 and 2, so nothing else in the process (std's own stdout lock, a
/// `println!`) can block them or be blocked by them.
pub fn stdio() -> &'static (Arc<Channel>, Arc<Channel>) {
    static STDIO: OnceLock<(Arc<Channel>, Arc<Channel>)> = OnceLock::new();
    STDIO.get_or_init(|| {
        let open = |stream, name| {
            if is_dev_null(stream) {
                Channel::null()
            } else {
                Channel::spawn(duplicate(stream), name)
            }
        };
        let out = open(Stream::Out, "netdemo-stdout");
        let err = if same_file() {
            out.clone()
        } else {
            open(Stream::Err, "netdemo-stderr")
        };
        (out, err)
    })
}

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

/// A writer of descriptor 1 or 2 that does not go through std's locked handle; std's
/// handle if the descriptor cannot be duplicated.
#[cfg(unix)]
fn duplicate(stream: Stream) -> Sink {
    use std::os::fd::AsFd;
    let fd = match stream {
        Stream::Out => io::stdout().as_fd().try_clone_to_owned(),
        Stream::Err => io::stderr().as_fd().try_clone_to_owned(),
    };
    match (fd, stream) {
        (Ok(fd), _) => Box::new(std::fs::File::from(fd)),
        (Err(_), Stream::Out) => Box::new(io::stdout()),
        (Err(_), Stream::Err) => Box::new(io::stderr()),
    }
}

#[cfg(not(unix))]
fn duplicate(stream: Stream) -> Sink {
    match stream {
        Stream::Out => Box::new(io::stdout()),
        Stream::Err => Box::new(io::stderr()),
    }
}

/// Whether descriptor 1 or 2 is /dev/null.
#[cfg(unix)]
fn is_dev_null(stream: Stream) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let fd = match stream {
        Stream::Out => io::stdout().as_fd().try_clone_to_owned(),
        Stream::Err => io::stderr().as_fd().try_clone_to_owned(),
    };
    let Ok(meta) = fd.and_then(|fd| std::fs::File::from(fd).metadata()) else {
        return false;
    };
    let null = std::fs::metadata("/dev/null");
    meta.file_type().is_char_device() && null.is_ok_and(|null| null.rdev() == meta.rdev())
}

#[cfg(not(unix))]
fn is_dev_null(_: Stream) -> bool {
    false
}

/// Whether stdout and stderr are one file: a terminal, or `2>&1`.
#[cfg(unix)]
fn same_file() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let id = |fd: std::os::fd::BorrowedFd<'_>| {
        let file = std::fs::File::from(fd.try_clone_to_owned().ok()?);
        let meta = file.metadata().ok()?;
        Some((meta.dev(), meta.ino(), meta.rdev()))
    };
    let (out, err) = (id(io::stdout().as_fd()), id(io::stderr().as_fd()));
    out.is_some() && out == err
}

#[cfg(not(unix))]
fn same_file() -> bool {
    false
}

/// A stream whose reader has gone (for tests): every write is a broken pipe.
#[cfg(test)]
pub(super) struct Closed;

#[cfg(test)]
impl Write for Closed {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A panic elsewhere while holding the lock leaves the channel usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A sink that takes nothing until released: a pipe nobody reads.
    struct Stalled(Arc<(Mutex<bool>, Condvar)>, Arc<Mutex<Vec<u8>>>);

    impl Write for Stalled {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let (released, cv) = &*self.0;
            let mut go = lock(released);
            while !*go {
                go = cv.wait(go).unwrap();
            }
            lock(&self.1).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_are_written_whole_and_in_order() {
        let gate = Arc::new((Mutex::new(true), Condvar::new()));
        let got = Arc::new(Mutex::new(Vec::new()));
        let channel = Channel::spawn(Box::new(Stalled(gate, got.clone())), "test");
        for i in 0..1000 {
            assert!(channel.push(|buf| writeln!(buf, "line {i}").unwrap()));
        }
        assert!(channel.wait_written(None).is_empty());
        let text = String::from_utf8(lock(&got).clone()).unwrap();
        let expected: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        assert_eq!(text, expected);
    }

    #[test]
    fn a_stalled_sink_never_blocks_a_push_and_counts_what_it_lost() {
        let gate = Arc::new((Mutex::new(false), Condvar::new()));
        let got = Arc::new(Mutex::new(Vec::new()));
        let channel = Channel::spawn(Box::new(Stalled(gate.clone(), got)), "test");
        let line = vec![b'x'; 1024 * 1024];
        let mut taken = 0;
        for _ in 0..40 {
            if channel.push(|buf| buf.extend_from_slice(&line)) {
                taken += 1;
            }
        }
        assert!(taken < 40, "the buffer is bounded");
        assert!(!channel.has_room());
        let deadline = Instant::now() + Duration::from_millis(50);
        let left = channel.wait_written(Some(deadline));
        assert_eq!(left.lines, 40);
        assert_eq!(left.bytes, 40 * 1024 * 1024);
        // Released, it writes what it took; the dropped lines stay counted.
        *lock(&gate.0) = true;
        gate.1.notify_all();
        let left = channel.wait_written(None);
        assert_eq!(left.lines, 40 - taken);
    }

    #[tokio::test]
    async fn room_comes_back_when_the_reader_catches_up() {
        let gate = Arc::new((Mutex::new(false), Condvar::new()));
        let got = Arc::new(Mutex::new(Vec::new()));
        let channel = Channel::spawn(Box::new(Stalled(gate.clone(), got)), "test");
        let line = vec![b'x'; SOFT_LIMIT];
        channel.push(|buf| buf.extend_from_slice(&line));
        channel.push(|buf| buf.extend_from_slice(&line));
        let waiting = tokio::time::timeout(Duration::from_millis(20), channel.room()).await;
        assert!(waiting.is_err(), "no room while the reader stalls");
        *lock(&gate.0) = true;
        gate.1.notify_all();
        tokio::time::timeout(Duration::from_secs(10), channel.room())
            .await
            .expect("room once written");
    }

    #[test]
    fn a_failed_stream_takes_nothing_more() {
        let channel = Channel::spawn(Box::new(Closed), "test");
        channel.push(|buf| buf.extend_from_slice(b"lost\n"));
        assert!(channel.wait_written(None).is_empty());
        assert!(channel.has_failed());
        assert!(!channel.push(|buf| buf.extend_from_slice(b"more\n")));
        assert_eq!(
            channel.take_error().map(|e| e.kind()),
            Some(io::ErrorKind::BrokenPipe)
        );
    }
}
