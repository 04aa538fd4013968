//! netdemo on a terminal and off it: colour and the interactive prompt appear under a
//! pseudo-terminal (util-linux `script` provides one) and never when output is piped.

mod support;

use std::process::{Command, Stdio};

use support::{DEADLINE, Server, bin, netdemo};
use wait_timeout::ChildExt;

const ESC: &str = "\x1b[";

/// Runs `netdemo ARGS` with stdin, stdout and stderr on a pseudo-terminal, feeding it
/// `input`; returns everything the terminal showed. `None` where `script` is missing.
fn on_a_terminal(args: &[&str], input: &str, no_color: bool) -> Option<String> {
    let check = Command::new("script").arg("--version").output();
    if !check.is_ok_and(|o| o.status.success()) {
        eprintln!("skipping: util-linux `script` is not installed");
        return None;
    }
    let command = std::iter::once(bin().display().to_string())
        .chain(args.iter().map(|a| format!("'{a}'")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let mut child = cmd.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    let mut out = String::new();
    let reader = {
        let mut stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut stdout, &mut bytes).unwrap();
            bytes
        })
    };
    let status = child.wait_timeout(DEADLINE).unwrap();
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("netdemo under a terminal did not exit within {DEADLINE:?}");
    }
    out.push_str(&String::from_utf8_lossy(&reader.join().unwrap()));
    Some(out)
}

#[test]
fn colour_and_prompt_on_a_terminal_only() {
    let server = Server::netdemo(&["tcp", "serve", "-p", "0"]);
    let port = server.port();
    let Some(shown) = on_a_terminal(&["tcp", "connect", "-p", &port, "-"], "hello\n", false) else {
        return;
    };
    // The prompt, then the peer's data with its `-->>` in colour.
    assert!(shown.contains("> "), "{shown:?}");
    assert!(shown.contains(&format!("{ESC}32m-->>")), "{shown:?}");
    assert!(shown.contains("Loop_Msg: hello!"), "{shown:?}");

    // NO_COLOR keeps the terminal plain; the prompt stays.
    let plain = on_a_terminal(&["tcp", "connect", "-p", &port, "-"], "again\n", true).unwrap();
    assert!(!plain.contains(ESC), "{plain:?}");
    assert!(
        plain.contains("> ") && plain.contains("Loop_Msg: again!"),
        "{plain:?}"
    );

    // Piped: neither colour nor prompt.
    let out = netdemo()
        .args(["tcp", "connect", "-p", &port, "-"])
        .write_stdin("piped\n")
        .assert()
        .success()
        .get_output()
        .clone();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains(ESC) && !text.contains("> "), "{text:?}");
}

#[test]
fn errors_are_red_on_a_terminal_and_color_flags_override() {
    let Some(shown) = on_a_terminal(&["tcp", "connect", "-p", "1"], "", false) else {
        return;
    };
    assert!(shown.contains(&format!("{ESC}31mError:")), "{shown:?}");
    let never = on_a_terminal(
        &["--color", "never", "tcp", "connect", "-p", "1"],
        "",
        false,
    )
    .unwrap();
    assert!(
        !never.contains(ESC) && never.contains("Error:"),
        "{never:?}"
    );
    // --color always colours even a pipe, NO_COLOR or not.
    let out = netdemo()
        .args(["--color", "always", "tcp", "connect", "-p", "1"])
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{ESC}31mError:")));
}
