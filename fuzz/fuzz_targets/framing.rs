//! Bytes from a peer through each framing's decoder, cut into reads of fuzzer-chosen
//! sizes: never a panic, never a frame over `--max-frame`, and raw framing loses nothing.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use netdemo::framing::{FrameSpec, Framing};
use tokio_util::codec::Decoder;

fuzz_target!(|data: &[u8]| {
    let [how, max, read, wire @ ..] = data else {
        return;
    };
    let framing = match how % 3 {
        0 => Framing::Raw,
        1 => Framing::Line,
        _ => Framing::Length,
    };
    let spec = FrameSpec {
        framing,
        crlf: how & 4 != 0,
        max_frame: usize::from(*max) + 1,
        delimiter: None,
    };
    let mut codec = spec.codec(1024);
    let mut buf = BytesMut::new();
    let mut frames: Vec<Vec<u8>> = Vec::new();
    let read = usize::from(*read) + 1;
    for chunk in wire.chunks(read) {
        buf.extend_from_slice(chunk);
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => frames.push(frame.to_vec()),
                Ok(None) => break,
                // An error closes the connection: nothing more is read.
                Err(_) => return,
            }
        }
    }
    while let Ok(Some(frame)) = codec.decode_eof(&mut buf) {
        frames.push(frame.to_vec());
        if buf.is_empty() {
            break;
        }
    }
    assert!(frames.iter().all(|f| f.len() <= spec.max_frame));
    if framing == Framing::Raw {
        assert_eq!(frames.concat(), wire);
    }
});
