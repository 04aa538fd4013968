//! What the repository holds and what it says of itself: no scratch output committed at
//! the top, and a README whose command table and quoted errors match the binary.

mod support;

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;
use support::netdemo;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn no_scratch_output_is_committed_and_it_is_ignored() {
    let Ok(listed) = Command::new("git")
        .args(["ls-files"])
        .current_dir(root())
        .output()
    else {
        eprintln!("skipping: git is not installed");
        return;
    };
    if !listed.status.success() {
        eprintln!("skipping: not a git checkout");
        return;
    }
    let scratch: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter(|path| !path.contains('/'))
        .filter(|path| {
            [".err", ".log", ".bin", ".pid"]
                .iter()
                .any(|ext| path.ends_with(ext))
                || *path == "pids"
        })
        .map(str::to_owned)
        .collect();
    assert!(scratch.is_empty(), "scratch files committed: {scratch:?}");
    let ignored = std::fs::read_to_string(root().join(".gitignore")).unwrap();
    for pattern in ["/target", "*.err", "*.bin", "pids"] {
        assert!(
            ignored.lines().any(|line| line == pattern),
            ".gitignore lacks {pattern}"
        );
    }
}

/// The README with its lines joined, so a sentence wrapped over two lines is found whole.
fn readme() -> String {
    std::fs::read_to_string(root().join("README.md"))
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_readme_lists_every_command_and_quotes_the_real_error() {
    let readme = readme();
    let cli = netdemo::cli::Cli::command();
    for command in cli.get_subcommands().filter(|c| !c.is_hide_set()) {
        let name = command.get_name();
        if name == "help" {
            continue;
        }
        let leaves: Vec<String> = match command.get_subcommands().count() {
            0 => vec![format!("`netdemo {name}")],
            _ => command
                .get_subcommands()
                .filter(|sub| sub.get_name() != "help")
                .map(|sub| format!("`netdemo {name} {}", sub.get_name()))
                .collect(),
        };
        for leaf in leaves {
            assert!(readme.contains(&leaf), "README's table lacks {leaf}`");
        }
    }
    let output = netdemo().arg("tcp").output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains(&said),
        "README quotes another error than `netdemo tcp` prints: {said}"
    );
}
