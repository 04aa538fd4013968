//! `--framing`, `--crlf`, `--delimiter` and `--max-frame` as one [`FrameSpec`].

use color_eyre::eyre::Result;

use crate::cli::FramingArgs;
use crate::framing::{DEFAULT_MAX_FRAME, FrameSpec, Framing};

use super::refuse::{refuse, usage};

/// The framing flags as one spec; refused where framing does not apply (`framed` false),
/// and `--crlf` or `--delimiter` without line framing.
pub(super) fn frame_spec(
    args: &FramingArgs,
    framed: bool,
    program: &str,
    applies: &str,
) -> Result<FrameSpec> {
    let given =
        args.framing.is_some() || args.crlf || args.max_frame.is_some() || args.delimiter.is_some();
    refuse(given && !framed, framing_flag(args), program, applies)?;
    let framing = args.framing.unwrap_or_default();
    if args.crlf && framing != Framing::Line {
        return Err(usage(
            "--crlf ends lines: it applies to --framing line only",
        ));
    }
    if args.delimiter.is_some() && framing != Framing::Line {
        return Err(usage(
            "--delimiter ends received messages: it applies to --framing line only",
        ));
    }
    Ok(FrameSpec {
        framing,
        crlf: args.crlf,
        max_frame: args.max_frame.unwrap_or(DEFAULT_MAX_FRAME),
        delimiter: args.delimiter,
    })
}

/// The first framing flag given, to name it.
pub(super) fn framing_flag(args: &FramingArgs) -> &'static str {
    if args.framing.is_some() {
        "--framing"
    } else if args.crlf {
        "--crlf"
    } else if args.delimiter.is_some() {
        "--delimiter"
    } else {
        "--max-frame"
    }
}
