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

/// `--framing ws`'s upgrade: `--ws-path` (default `/`) on `host`; `None` in any other
/// framing, where `--ws-path` is refused.
///
/// # Errors
/// `--ws-path` without `--framing ws`, or a path that is not one.
pub(super) fn ws_upgrade(
    framing: Framing,
    path: Option<&str>,
    host: &str,
) -> Result<Option<crate::framing::websocket::Upgrade>> {
    if framing != Framing::Ws {
        if path.is_some() {
            return Err(usage(
                "--ws-path is the path of a WebSocket URL: it applies to --framing ws",
            ));
        }
        return Ok(None);
    }
    Ok(Some(crate::framing::websocket::Upgrade {
        host: host.to_owned(),
        path: url_path("--ws-path", path)?,
    }))
}

/// The path of a WebSocket URL given with `flag`, `/` when it is not.
///
/// # Errors
/// It does not begin with `/`, or holds a space or a control character.
pub(super) fn url_path(flag: &str, path: Option<&str>) -> Result<String> {
    let path = path.unwrap_or("/");
    if !path.starts_with('/') || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(usage(format!(
            "{flag} {path:?}: a URL path begins with / and has no spaces (e.g. /chat?room=1)"
        )));
    }
    Ok(path.to_owned())
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
