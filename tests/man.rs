//! The man pages in `man/` must be what clap_mangen generates from today's command line.
//! Regenerate them with `NETDEMO_BLESS=1 cargo test --test man`.

use std::path::Path;

use clap::CommandFactory;
use netdemo::cli::Cli;

#[test]
fn checked_in_man_pages_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    if std::env::var_os("NETDEMO_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        clap_mangen::generate_to(Cli::command(), &dir).unwrap();
        return;
    }
    let fresh = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(Cli::command(), fresh.path()).unwrap();
    let mut stale = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(fresh.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.iter().any(|n| n == "netdemo.1"), "{names:?}");
    for name in &names {
        let page = std::fs::read(fresh.path().join(name)).unwrap();
        if std::fs::read(dir.join(name)).ok() != Some(page) {
            stale.push(name.to_string_lossy().into_owned());
        }
    }
    let checked_in = std::fs::read_dir(&dir).map_or(0, |d| d.count());
    assert!(
        stale.is_empty() && checked_in == names.len(),
        "out of date: {stale:?} ({checked_in} pages checked in, {} generated)\n\
         regenerate with: NETDEMO_BLESS=1 cargo test --test man",
        names.len()
    );
}
