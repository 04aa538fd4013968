//! Text given to `netdemo merge` (a report file, or anything mistaken for one) through
//! finding its reports and adding them up: never a panic, whatever the lines hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netdemo::load::merge::{merge, reports};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(found) = reports("fuzz", &text) else {
        return;
    };
    // Each report as its own file, as shards are merged.
    let named: Vec<_> = found
        .into_iter()
        .enumerate()
        .map(|(i, report)| (format!("shard-{i}"), report))
        .collect();
    let _ = merge(&named);
});
