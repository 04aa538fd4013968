//! Messages typed by the user (or read from stdin) turned into bytes: hex and base64 input
//! is parsed, text is encoded. Never a panic; hex and base64 read back what they gave.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netdemo::encoding::Encoding;

const LABELS: &[&str] = &[
    "hex",
    "base64",
    "utf-8",
    "gbk",
    "shift_jis",
    "big5",
    "utf-16le",
    "latin1",
];

fuzz_target!(|data: &[u8]| {
    let Some((pick, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let encoding: Encoding = LABELS[usize::from(*pick) % LABELS.len()].parse().unwrap();
    if let Ok(bytes) = encoding.encode(text) {
        if matches!(encoding, Encoding::Hex | Encoding::Base64) {
            assert_eq!(encoding.encode(&encoding.show(&bytes)).unwrap(), bytes);
        }
    }
});
