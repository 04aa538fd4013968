//! `--framing ws`: WebSocket messages on a client's stream, so every request/reply client
//! (conversations, and load runs with `-c`, `--rate`, `--pipeline`) speaks to a WebSocket
//! service. The opening handshake is written here (an HTTP/1.1 upgrade, its accept key
//! checked); the frames are tungstenite's (`FrameHeader::parse`, `Frame::format`).
//!
//! A message goes out as one masked frame, text when it is UTF-8 and binary otherwise; a
//! reply is one data message, its fragments joined. Pings and pongs from the server are
//! let by (a load answers none), and a close frame ends the connection with its code.

use std::io::Cursor;

use bytes::{Buf, BufMut, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio_tungstenite::tungstenite::handshake::client::generate_key;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::FrameHeader;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Control, Data, OpCode};

use super::FrameError;

/// The longest response head a server may send to the upgrade.
const MAX_HEAD: usize = 16 * 1024;

/// What the upgrade asks for: the Host header and the path of `ws://HOST/PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    pub host: String,
    pub path: String,
}

/// Why an upgrade failed.
#[derive(Debug, thiserror::Error)]
pub enum UpgradeError {
    /// The connection failed on the way: another connection may do better.
    #[error("{0}")]
    Io(String),
    /// The server answered, and not with a WebSocket: every connection would meet the same.
    #[error("{0}")]
    Refused(String),
}

/// Upgrades a connected stream to WebSocket: the request for `path` on `host`, then the
/// server's `101 Switching Protocols` with the right accept key. Nothing past the
/// response head is read.
///
/// # Errors
/// The stream failed, the server answered something else, or its key is wrong.
pub async fn upgrade<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    asked: &Upgrade,
) -> Result<(), UpgradeError> {
    let (host, path) = (&asked.host, &asked.path);
    let key = generate_key();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    let io = |err: std::io::Error| UpgradeError::Io(crate::io_error::describe(&err));
    let refused = |why: String| UpgradeError::Refused(why);
    stream.write_all(request.as_bytes()).await.map_err(io)?;
    stream.flush().await.map_err(io)?;
    // The server's first message may follow the head at once: it stays unread.
    let head = match super::http::read_head(stream, MAX_HEAD).await {
        Ok(head) => head,
        Err(err) if err.kind() == std::io::ErrorKind::InvalidData => {
            return Err(refused(format!(
                "the answer to the WebSocket upgrade has no end within {MAX_HEAD} bytes"
            )));
        }
        Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => {
            return Err(UpgradeError::Io(
                "the server closed instead of answering the WebSocket upgrade".into(),
            ));
        }
        Err(err) => return Err(io(err)),
    };
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    response.parse(&head).map_err(|err| {
        refused(format!(
            "the answer to the WebSocket upgrade is not HTTP ({err}): is it a WebSocket server?"
        ))
    })?;
    if response.code != Some(101) {
        return Err(refused(format!(
            "the server answered the WebSocket upgrade with {} {} (is --ws-path right?)",
            response.code.unwrap_or_default(),
            response.reason.unwrap_or_default()
        )));
    }
    let accept = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("sec-websocket-accept"))
        .map(|h| h.value)
        .unwrap_or_default();
    if accept != derive_accept_key(key.as_bytes()).as_bytes() {
        return Err(refused(
            "the server's Sec-WebSocket-Accept does not match our key".into(),
        ));
    }
    Ok(())
}

/// Writes `message` as one masked frame, text when it is UTF-8, else binary: tungstenite
/// writes the header, the payload is masked in place in `dst` (no copy per message).
pub fn encode(message: &[u8], mask: [u8; 4], dst: &mut BytesMut) -> Result<(), FrameError> {
    let data = if std::str::from_utf8(message).is_ok() {
        Data::Text
    } else {
        Data::Binary
    };
    let header = FrameHeader {
        opcode: OpCode::Data(data),
        mask: Some(mask),
        ..FrameHeader::default()
    };
    header
        .format(message.len() as u64, &mut dst.writer())
        .map_err(|err| FrameError::Invalid(err.to_string()))?;
    let start = dst.len();
    dst.extend_from_slice(message);
    apply_mask(&mut dst[start..], mask);
    Ok(())
}

/// Masks or unmasks `payload` (RFC 6455 5.3: the same XOR both ways).
fn apply_mask(payload: &mut [u8], mask: [u8; 4]) {
    for (i, byte) in payload.iter_mut().enumerate() {
        *byte ^= mask[i % 4];
    }
}

/// The next data message in `src`, its fragments gathered in `parts`; `None` until one
/// is whole. Pings and pongs are dropped; a close is an error with its code.
///
/// # Errors
/// A frame over `limit`, a malformed frame, or the server's close.
pub fn decode(
    src: &mut BytesMut,
    parts: &mut BytesMut,
    limit: usize,
) -> Result<Option<bytes::Bytes>, FrameError> {
    loop {
        let mut cursor = Cursor::new(&src[..]);
        let Some((header, len)) = FrameHeader::parse(&mut cursor)
            .map_err(|err| FrameError::Invalid(format!("not a WebSocket frame: {err}")))?
        else {
            return Ok(None);
        };
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        if len.saturating_add(parts.len()) > limit {
            return Err(FrameError::TooLarge { limit });
        }
        let start = cursor.position() as usize;
        if src.len() < start + len {
            return Ok(None);
        }
        src.advance(start);
        let mut payload = src.split_to(len);
        if let Some(mask) = header.mask {
            apply_mask(&mut payload, mask);
        }
        match header.opcode {
            OpCode::Data(Data::Text | Data::Binary | Data::Continue) => {
                if header.is_final && parts.is_empty() {
                    return Ok(Some(payload.freeze()));
                }
                parts.extend_from_slice(&payload);
                if header.is_final {
                    return Ok(Some(parts.split().freeze()));
                }
            }
            OpCode::Control(Control::Ping | Control::Pong) => {}
            OpCode::Control(Control::Close) => {
                let code =
                    (payload.len() >= 2).then(|| u16::from_be_bytes([payload[0], payload[1]]));
                let reason = String::from_utf8_lossy(payload.get(2..).unwrap_or_default());
                return Err(FrameError::Invalid(match code {
                    Some(code) if reason.is_empty() => {
                        format!("the server closed the WebSocket with {code}")
                    }
                    Some(code) => format!("the server closed the WebSocket with {code}: {reason}"),
                    None => "the server closed the WebSocket".to_owned(),
                }));
            }
            other => {
                return Err(FrameError::Invalid(format!(
                    "a WebSocket frame of a reserved kind ({other})"
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;

    /// A server's frame: unmasked.
    fn frame(opcode: OpCode, is_final: bool, payload: &[u8]) -> Vec<u8> {
        let header = FrameHeader {
            is_final,
            opcode,
            ..FrameHeader::default()
        };
        let mut out = Vec::new();
        Frame::from_payload(header, payload.to_vec().into())
            .format(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn fragments_are_joined_and_control_frames_let_by() {
        let mut wire = frame(OpCode::Data(Data::Text), false, b"hel");
        wire.extend(frame(OpCode::Control(Control::Ping), true, b"p"));
        wire.extend(frame(OpCode::Data(Data::Continue), true, b"lo"));
        wire.extend(frame(OpCode::Data(Data::Binary), true, b"\xff"));
        let (mut parts, mut got) = (BytesMut::new(), Vec::new());
        // Fed a byte at a time, as reads may come.
        let mut src = BytesMut::new();
        for byte in wire {
            src.put_u8(byte);
            while let Some(message) = decode(&mut src, &mut parts, 1024).unwrap() {
                got.push(message.to_vec());
            }
        }
        assert_eq!(got, [b"hello".to_vec(), b"\xff".to_vec()]);
    }

    #[test]
    fn a_close_and_an_oversized_frame_are_errors() {
        let mut src =
            BytesMut::from(&frame(OpCode::Control(Control::Close), true, b"\x03\xe9bye")[..]);
        let err = decode(&mut src, &mut BytesMut::new(), 1024).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the server closed the WebSocket with 1001: bye"
        );
        let mut src = BytesMut::from(&frame(OpCode::Data(Data::Text), true, &[b'x'; 100])[..]);
        assert!(matches!(
            decode(&mut src, &mut BytesMut::new(), 10),
            Err(FrameError::TooLarge { limit: 10 })
        ));
    }

    #[test]
    fn messages_go_out_masked() {
        let mut dst = BytesMut::new();
        encode(b"hi", [1, 2, 3, 4], &mut dst).unwrap();
        // FIN and text, masked with a length of 2, the mask, then "hi" masked.
        assert_eq!(&dst[..], &[0x81, 0x82, 1, 2, 3, 4, b'h' ^ 1, b'i' ^ 2]);
    }
}
