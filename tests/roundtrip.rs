//! Property tests: every framing gives back, frame for frame, what was encoded, however the
//! bytes are cut into reads; every encoding gives back the bytes or text it was handed; and
//! what a peer's bytes are shown as never carries a control character to the terminal.

use bytes::BytesMut;
use netdemo::encoding::Encoding;
use netdemo::framing::{FrameError, FrameSpec, Framing};
use proptest::prelude::*;
use tokio_util::codec::{Decoder, Encoder};

/// Feeds `wire` to a fresh decoder of `spec` in pieces cut at `cuts`, as successive socket
/// reads would deliver it, then signals end-of-stream. Returns the frames, or the error.
fn decode_in_pieces(
    spec: FrameSpec,
    wire: &[u8],
    cuts: &[usize],
) -> Result<Vec<Vec<u8>>, FrameError> {
    let mut codec = spec.codec(1024);
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (wire.len() + 1)).collect();
    points.push(wire.len());
    points.sort_unstable();
    let mut start = 0;
    for end in points {
        buf.extend_from_slice(&wire[start..end]);
        start = end;
        while let Some(frame) = codec.decode(&mut buf)? {
            frames.push(frame.to_vec());
        }
    }
    while let Some(frame) = codec.decode_eof(&mut buf)? {
        frames.push(frame.to_vec());
        if buf.is_empty() {
            break;
        }
    }
    Ok(frames)
}

fn encode_all(spec: FrameSpec, frames: &[Vec<u8>]) -> Vec<u8> {
    let mut codec = spec.codec(1024);
    let mut wire = BytesMut::new();
    for frame in frames {
        codec.encode(frame.as_slice(), &mut wire).unwrap();
    }
    wire.to_vec()
}

fn spec(framing: Framing, crlf: bool, max_frame: usize) -> FrameSpec {
    FrameSpec {
        framing,
        crlf,
        max_frame,
        delimiter: None,
    }
}

/// A frame a line framing can carry: no newline, and (without `--crlf`) no trailing `\r`,
/// which a reader strips as the `\r` of a `\r\n` line end.
fn line_frame(crlf: bool) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>().prop_filter("newline", |b| *b != b'\n'), 0..200)
        .prop_filter("trailing CR", move |f| crlf || f.last() != Some(&b'\r'))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn line_frames_round_trip(
        crlf in any::<bool>(),
        frames in proptest::collection::vec(line_frame(true), 0..20),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let frames: Vec<Vec<u8>> = frames
            .into_iter()
            .filter(|f| crlf || f.last() != Some(&b'\r'))
            .collect();
        let spec = spec(Framing::Line, crlf, 1024);
        let wire = encode_all(spec, &frames);
        prop_assert_eq!(decode_in_pieces(spec, &wire, &cuts).unwrap(), frames);
    }

    #[test]
    fn length_frames_round_trip(
        frames in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..20),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let spec = spec(Framing::Length, false, 1024);
        let wire = encode_all(spec, &frames);
        prop_assert_eq!(decode_in_pieces(spec, &wire, &cuts).unwrap(), frames);
    }

    #[test]
    fn raw_reads_keep_every_byte_in_order(
        bytes in proptest::collection::vec(any::<u8>(), 0..5000),
        max in 1usize..2048,
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let spec = spec(Framing::Raw, false, max);
        let frames = decode_in_pieces(spec, &bytes, &cuts).unwrap();
        prop_assert!(frames.iter().all(|f| !f.is_empty() && f.len() <= max.min(1024)));
        prop_assert_eq!(frames.concat(), bytes);
    }

    #[test]
    fn resp_commands_come_back_whole_however_they_are_cut(
        commands in proptest::collection::vec(
            proptest::collection::vec("[a-zA-Z0-9 ]{0,12}", 1..5), 1..6),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let sent: Vec<Vec<u8>> = commands
            .iter()
            .map(|words| {
                let text: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                netdemo::framing::resp::command(&text.join(" ")).unwrap()
            })
            .collect();
        let frames = decode_in_pieces(spec(Framing::Resp, false, 1 << 20), &sent.concat(), &cuts)
            .unwrap();
        prop_assert_eq!(frames, sent);
    }

    #[test]
    fn oversized_frames_are_an_error_never_a_panic(
        framing in prop_oneof![Just(Framing::Line), Just(Framing::Length), Just(Framing::Resp)],
        max in 1usize..64,
        wire in proptest::collection::vec(any::<u8>(), 0..600),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let spec = spec(framing, false, max);
        match decode_in_pieces(spec, &wire, &cuts) {
            Ok(frames) => prop_assert!(frames.iter().all(|f| f.len() <= max)),
            Err(FrameError::TooLarge { limit }) => prop_assert_eq!(limit, max),
            Err(FrameError::Truncated) => prop_assert!(framing != Framing::Line),
            Err(FrameError::Invalid(_)) => prop_assert_eq!(framing, Framing::Resp),
            Err(FrameError::Io(err)) => prop_assert!(false, "unexpected I/O error: {err}"),
            Err(err @ FrameError::OverBudget { .. }) => prop_assert!(false, "no budget here: {err}"),
        }
        // Sending a frame over the limit is refused before a byte is written.
        let mut codec = spec.codec(1024);
        let mut dst = BytesMut::new();
        let too_big = vec![b'x'; max + 1];
        prop_assert!(codec.encode(too_big.as_slice(), &mut dst).is_err());
        prop_assert!(dst.is_empty());
    }

    #[test]
    fn hex_and_base64_round_trip_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        for encoding in [Encoding::Hex, Encoding::Base64] {
            let shown = encoding.show(&bytes);
            prop_assert_eq!(encoding.encode(&shown).unwrap(), bytes.clone());
        }
    }

    #[test]
    fn text_round_trips_in_every_encoding_that_can_hold_it(text in "\\PC{0,40}") {
        for label in ["utf-8", "gbk", "gb18030", "big5", "shift_jis", "euc-jp", "euc-kr",
                      "latin1", "utf-16le", "utf-16be"] {
            let encoding: Encoding = label.parse().unwrap();
            // A character the encoding lacks is an error naming it, not a substitute. What
            // is sent reads back as text that encodes to the very same bytes: the text itself
            // may differ where WHATWG maps two characters to one byte (Shift_JIS sends `¥` as
            // 0x5C, which reads back as `\`).
            if let Ok(bytes) = encoding.encode(&text) {
                let back = encoding.decode_exact(&bytes);
                prop_assert!(back.is_some(), "{}: {:?} does not decode", label, bytes);
                prop_assert_eq!(encoding.encode(&back.unwrap()).unwrap(), bytes, "{}", label);
            }
        }
        for label in ["utf-8", "gb18030", "utf-16le", "utf-16be"] {
            let encoding: Encoding = label.parse().unwrap();
            let bytes = encoding.encode(&text).unwrap();
            prop_assert_eq!(encoding.decode_exact(&bytes), Some(text.clone()), "{}", label);
        }
        let utf8: Encoding = "utf-8".parse().unwrap();
        prop_assert_eq!(utf8.encode(&text).unwrap(), text.as_bytes().to_vec());
    }

    #[test]
    fn shown_bytes_never_carry_control_characters(
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        label in prop_oneof![Just("utf-8"), Just("gbk"), Just("shift_jis"), Just("utf-16le"), Just("latin1")],
    ) {
        let shown = label.parse::<Encoding>().unwrap().show(&bytes);
        prop_assert!(!shown.chars().any(char::is_control), "{:?}", shown);
        prop_assert!(
            !shown.chars().any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "{:?}", shown
        );
    }
}
