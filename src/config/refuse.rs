//! The refusals every planner shares, worded once: a usage error, a flag given to a
//! program it cannot apply to, a duration of zero, `-e` where nothing is encoded, more
//! connections than file descriptors, and replies larger than a frame.

use std::time::Duration;

use color_eyre::eyre::Result;

use crate::cli::CodecArgs;
use crate::error::UsageError;
use crate::framing::FrameSpec;
use crate::output::OutputConfig;

/// File descriptors a load run needs besides one per connection: stdio, the runtime's.
const SPARE_DESCRIPTORS: u64 = 32;

/// A usage error (exit 2) with this message.
pub(super) fn usage(message: impl Into<String>) -> color_eyre::Report {
    UsageError(message.into()).into()
}

/// Refuses `flag` when it was `given` to a program it cannot apply to.
pub(super) fn refuse(given: bool, flag: &str, program: &str, applies: &str) -> Result<()> {
    if given {
        return Err(usage(format!(
            "{flag} does not apply to {program}: it applies to {applies}"
        )));
    }
    Ok(())
}

/// A duration that must be more than zero.
pub(super) fn positive(flag: &str, value: Option<Duration>, why: &str) -> Result<()> {
    if value.is_some_and(|v| v.is_zero()) {
        return Err(usage(format!("{flag} 0s {why}")));
    }
    Ok(())
}

/// `-e` decides how typed text becomes bytes and how received bytes are shown. Stdio mode
/// passes bytes through untouched (only `--json` shows them as text), and `-z` and
/// chargen show nothing: there it would do nothing.
pub(super) fn refuse_encoding(
    codec: &CodecArgs,
    stdio: bool,
    shows_nothing: bool,
    output: &OutputConfig,
    program: &str,
) -> Result<()> {
    refuse(
        codec.encoding.is_some() && (shows_nothing || (stdio && !output.json)),
        "-e/--encoding",
        program,
        "messages and what is shown of them (stdio mode passes bytes through unchanged; \
         with --json it decides how they are shown)",
    )
}

/// `-c` beyond the file descriptor limit would fail part-way with EMFILE: say so first.
pub(super) fn check_descriptors(connections: usize) -> Result<()> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we own and has no other effect.
    let known = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    let needed = connections as u64 + SPARE_DESCRIPTORS;
    if known && limit.rlim_cur < needed {
        return Err(usage(format!(
            "-c {connections} needs about {needed} file descriptors, but the limit is {} \
             (raise it with `ulimit -n {needed}`, or use fewer -c)",
            limit.rlim_cur
        )));
    }
    Ok(())
}

/// The client reads a greeting and each reply as one frame of at most `--max-frame`
/// bytes, in every framing (a raw read is capped by it too): what does not fit would be
/// read as two, and shown as a reply to the wrong message.
pub(super) fn replies_fit(
    frames: FrameSpec,
    greeting: Option<usize>,
    message: usize,
    reply: usize,
) -> Result<()> {
    if let Some(greeting) = greeting.filter(|&g| g > frames.max_frame) {
        return Err(usage(format!(
            "--max-frame {} is smaller than the seed greeting ({greeting} bytes) (try --max-frame 1K)",
            frames.max_frame
        )));
    }
    if reply > frames.max_frame {
        return Err(usage(format!(
            "the reply to a {message}-byte message is {reply} bytes, over --max-frame {} \
             (raise --max-frame)",
            frames.max_frame
        )));
    }
    Ok(())
}

/// The name a `--mode` value is written with on the command line.
pub(super) fn mode_name(mode: impl clap::ValueEnum) -> String {
    mode.to_possible_value()
        .map(|value| value.get_name().to_owned())
        .unwrap_or_default()
}
