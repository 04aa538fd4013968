//! Bytes from a peer shown in each encoding (what reaches the terminal and JSON): never a
//! panic, and never a control character on the terminal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netdemo::encoding::{COMMON, Encoding};

/// Stateful and single-byte encodings beyond the common ones completion offers.
const MORE: &[&str] = &["iso-2022-jp", "koi8-r", "windows-1251"];

fuzz_target!(|data: &[u8]| {
    let Some((pick, bytes)) = data.split_first() else {
        return;
    };
    let labels: Vec<&str> = COMMON.iter().chain(MORE).copied().collect();
    let encoding: Encoding = labels[usize::from(*pick) % labels.len()].parse().unwrap();
    let shown = encoding.show(bytes);
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    // What decodes exactly (JSON's `data`) must be text the encoding can take back.
    if let Some(text) = encoding.decode_exact(bytes) {
        let _ = encoding.encode(&text);
    }
});
