//! Shell completion scripts, generated from the clap definition so they cannot drift.
//! `netdemo completions SHELL` prints one; `completions/` holds all of them, and
//! `tests/completions.rs` fails when a checked-in script is out of date.

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use crate::cli::Cli;

/// Every shell netdemo ships a script for.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "netdemo", &mut out);
    out
}

/// The conventional file name of the script for `shell` (`netdemo.bash`, `_netdemo`...).
pub fn file_name(shell: Shell) -> String {
    shell.file_name("netdemo")
}
