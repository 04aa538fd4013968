//! memcached's text protocol, as a client sees it (memcached's `doc/protocol.txt`): a
//! request is a command line, and a storage command's data block after it
//! (`set k 0 0 5\r\nhello\r\n`); a reply is lines up to its last one: `VALUE` lines with
//! their data blocks and `STAT` lines come before the `END` that closes them, and any
//! other line (`STORED`, `NOT_FOUND`, `DELETED`, a number, `ERROR`...) is a reply alone.

/// The commands whose line is followed by a data block of the size the line gives.
const STORAGE: &[&str] = &["set", "add", "replace", "append", "prepend", "cas"];

/// Lines of a reply that more lines follow.
const CONTINUED: &[&str] = &["VALUE ", "STAT ", "ITEM ", "CONFIG "];

/// The line at the start of `buf` (without its `\r\n` or `\n`) and its length with it.
fn line(buf: &[u8]) -> Option<(&[u8], usize)> {
    let end = buf.iter().position(|&b| b == b'\n')?;
    let text = &buf[..end];
    Some((text.strip_suffix(b"\r").unwrap_or(text), end + 1))
}

/// A data block of `size` bytes at the start of `buf`, with its `\r\n`: its length once
/// all there.
fn block(buf: &[u8], size: usize) -> Result<Option<usize>, String> {
    let len = size.checked_add(2).ok_or("a data block too large")?;
    if buf.len() < len {
        return Ok(None);
    }
    if &buf[size..len] != b"\r\n" {
        return Err(format!(
            "a data block is not {size} bytes followed by \\r\\n, as its line says"
        ));
    }
    Ok(Some(len))
}

/// The length of the request at the start of `buf`, once it is all there.
///
/// # Errors
/// A storage command whose line has no byte count, or whose data block does not end
/// where the count says; `noreply`, which leaves nothing to pair the request with.
pub fn request_len(buf: &[u8]) -> Result<Option<usize>, String> {
    let Some((text, at)) = line(buf) else {
        return Ok(None);
    };
    let words: Vec<&[u8]> = text
        .split(|&b| b == b' ')
        .filter(|w| !w.is_empty())
        .collect();
    if words.last().is_some_and(|w| *w == b"noreply") {
        return Err(
            "a request with noreply gets no reply to pair it with: leave noreply out".to_owned(),
        );
    }
    let command = words
        .first()
        .map(|w| String::from_utf8_lossy(w).to_ascii_lowercase())
        .unwrap_or_default();
    if !STORAGE.contains(&command.as_str()) {
        return Ok(Some(at));
    }
    let size = words
        .get(4)
        .and_then(|w| std::str::from_utf8(w).ok())
        .and_then(|w| w.parse::<usize>().ok())
        .ok_or_else(|| {
            format!("'{command}' needs KEY FLAGS EXPTIME BYTES, then a data block of BYTES bytes")
        })?;
    Ok(block(&buf[at..], size)?.map(|len| at + len))
}

/// The length of the reply at the start of `buf`, once it is all there.
///
/// # Errors
/// A `VALUE` line without a byte count, or a data block that does not end where it says.
pub fn reply_len(buf: &[u8]) -> Result<Option<usize>, String> {
    let mut at = 0;
    loop {
        let Some((text, len)) = line(&buf[at..]) else {
            return Ok(None);
        };
        at += len;
        if !CONTINUED.iter().any(|p| text.starts_with(p.as_bytes())) {
            return Ok(Some(at));
        }
        if text.starts_with(b"VALUE ") {
            let size = text
                .split(|&b| b == b' ')
                .nth(3)
                .and_then(|w| std::str::from_utf8(w).ok())
                .and_then(|w| w.parse::<usize>().ok())
                .ok_or("a VALUE line without its byte count")?;
            match block(&buf[at..], size)? {
                Some(len) => at += len,
                None => return Ok(None),
            }
        }
    }
}

/// Whether a reply says the request failed.
pub fn is_error(reply: &[u8]) -> bool {
    reply.starts_with(b"ERROR")
        || reply.starts_with(b"CLIENT_ERROR")
        || reply.starts_with(b"SERVER_ERROR")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_end_after_their_data_block() {
        assert_eq!(request_len(b"get a b\r\nget"), Ok(Some(9)));
        assert_eq!(request_len(b"set k 0 0 5\r\nhel"), Ok(None));
        assert_eq!(
            request_len(b"set k 0 0 5\r\nhello\r\nget k\r\n"),
            Ok(Some(20))
        );
        assert_eq!(request_len(b"cas k 0 0 2 7\r\nhi\r\n"), Ok(Some(19)));
        assert!(request_len(b"set k 0 0 5\r\nhello!!\r\n").is_err());
        assert!(request_len(b"set k 0 0\r\n").is_err());
        assert!(request_len(b"set k 0 0 1 noreply\r\nx\r\n").is_err());
    }

    #[test]
    fn replies_run_to_their_last_line() {
        assert_eq!(reply_len(b"STORED\r\nEND"), Ok(Some(8)));
        assert_eq!(reply_len(b"END\r\n"), Ok(Some(5)));
        let hit = b"VALUE k 0 5\r\nEND\r\n\r\nEND\r\n";
        // The data block may hold what looks like END: its count says where it ends.
        assert_eq!(reply_len(hit), Ok(Some(hit.len())));
        assert_eq!(reply_len(b"VALUE k 0 5\r\nEN"), Ok(None));
        assert_eq!(reply_len(b"STAT pid 1\r\nSTAT uptime 2\r\n"), Ok(None));
        assert_eq!(reply_len(b"STAT pid 1\r\nEND\r\n"), Ok(Some(17)));
        assert_eq!(reply_len(b"42\r\n"), Ok(Some(4)));
        assert!(reply_len(b"VALUE k 0\r\n").is_err());
        assert!(is_error(b"CLIENT_ERROR bad data chunk"));
        assert!(!is_error(b"STORED"));
    }
}
