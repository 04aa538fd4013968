//! Bytes from a server through `--framing http`'s response decoder, cut into reads at
//! fuzzer-chosen points: never a panic, never a response longer than the bytes fed, a
//! response once complete stays the same as more bytes come, and every frame the codec
//! hands on is a whole response within `--max-frame`.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use netdemo::framing::http::{End, response_end};
use netdemo::framing::{FrameSpec, Framing};
use tokio_util::codec::Decoder;

fuzz_target!(|data: &[u8]| {
    // Four bytes choose the read sizes (cycled) and one --max-frame; the rest is the wire.
    let [a, b, c, max, wire @ ..] = data else {
        return;
    };
    let reads = [usize::from(*a) + 1, usize::from(*b) + 1, usize::from(*c) + 1];

    // The bare decoder, asked at every cut as the codec asks it.
    let mut fed = 0;
    let mut done: Option<End> = None;
    for read in reads.iter().cycle() {
        if fed >= wire.len() {
            break;
        }
        fed = (fed + read).min(wire.len());
        let end = response_end(&wire[..fed]);
        if let Ok(End::At { len, .. } | End::Interim { len }) = end {
            assert!(len <= fed, "claimed {len} of {fed} bytes");
        }
        if let Ok(End::Needs { len }) = end {
            assert!(len > fed, "needs {len} with {fed} bytes in hand");
        }
        match (done, end) {
            (Some(earlier), now) => assert_eq!(Ok(earlier), now, "changed at {fed} bytes"),
            (None, Ok(end @ (End::At { .. } | End::Interim { .. }))) => done = Some(end),
            (None, _) => {}
        }
    }

    // The codec: interim responses dropped, final ones handed on.
    let spec = FrameSpec {
        framing: Framing::Http,
        max_frame: usize::from(*max) * 64 + 1,
        ..FrameSpec::default()
    };
    let mut codec = spec.codec(1024);
    let mut buf = BytesMut::new();
    let mut handed = 0;
    let mut fed = 0;
    'reads: for read in reads.iter().cycle() {
        if fed >= wire.len() {
            break;
        }
        let next = (fed + read).min(wire.len());
        buf.extend_from_slice(&wire[fed..next]);
        fed = next;
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => {
                    assert!(frame.len() <= spec.max_frame);
                    assert!(frame.starts_with(b"HTTP/1."), "{frame:?}");
                    handed += frame.len();
                    assert!(handed <= fed, "handed on {handed} of {fed} bytes");
                }
                Ok(None) => break,
                // An error closes the connection: nothing more is read.
                Err(_) => break 'reads,
            }
        }
    }
    if let Ok(Some(frame)) = codec.decode_eof(&mut buf) {
        handed += frame.len();
        assert!(handed <= wire.len());
    }
});
