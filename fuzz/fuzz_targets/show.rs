//! Bytes from a peer shown in each encoding (what reaches the terminal and JSON): never a
//! panic, and never a control character on the terminal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netdemo::encoding::Encoding;

const LABELS: &[&str] = &[
    "utf-8",
    "gbk",
    "gb18030",
    "big5",
    "shift_jis",
    "euc-jp",
    "euc-kr",
    "iso-2022-jp",
    "latin1",
    "utf-16le",
    "utf-16be",
    "koi8-r",
    "windows-1251",
    "hex",
    "base64",
];

fuzz_target!(|data: &[u8]| {
    let Some((pick, bytes)) = data.split_first() else {
        return;
    };
    let encoding: Encoding = LABELS[usize::from(*pick) % LABELS.len()].parse().unwrap();
    let shown = encoding.show(bytes);
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    if let Some(text) = encoding.decode_exact(bytes) {
        // What decoded exactly is sent back as the same bytes... unless the encoding maps
        // two characters to one byte sequence, in which case it still encodes.
        let _ = encoding.encode(&text);
    }
});
