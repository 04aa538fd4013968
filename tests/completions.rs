//! The completion scripts in `completions/` must be what the binary generates today.
//! Regenerate them with `NETDEMO_BLESS=1 cargo test --test completions`.

use std::path::Path;

use assert_cmd::Command;
use netdemo::completions::{SHELLS, file_name, script};

#[test]
fn checked_in_scripts_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let bless = std::env::var_os("NETDEMO_BLESS").is_some();
    let mut stale = Vec::new();
    for shell in SHELLS {
        let path = dir.join(file_name(shell));
        let fresh = script(shell);
        if bless {
            std::fs::write(&path, &fresh).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&fresh[..]) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}\nregenerate with: NETDEMO_BLESS=1 cargo test --test completions"
    );
}

#[test]
fn the_binary_prints_the_same_script() {
    for shell in SHELLS {
        let output = Command::cargo_bin("netdemo")
            .unwrap()
            .args(["completions", &shell.to_string()])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}: {output:?}");
        assert_eq!(output.stdout, script(shell), "netdemo completions {shell}");
    }
}
