//! How text on the command line becomes bytes on the wire, and how received bytes are shown.
//!
//! Pure functions only. Bytes on the wire are never altered because of the encoding
//! (PROTOCOL.md, "Defaults"): decoding happens for display, and what cannot be decoded is
//! shown escaped (`\xff`) rather than replaced or dropped. Text that cannot be encoded is an
//! error before anything is sent.

use std::ffi::OsStr;
use std::fmt::{self, Write as _};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use clap::builder::{PossibleValue, TypedValueParser};
use encoding_rs::{DecoderResult, EncoderResult};

use crate::error::EncodingError;

/// A resolved `--encoding`: a character encoding from the WHATWG list, or a binary-to-text
/// notation for people who think in bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// A character encoding that encoding_rs implements (UTF-8, GBK, Shift_JIS, ...).
    Text(&'static encoding_rs::Encoding),
    /// Bytes written as pairs of hex digits (`48690a`); whitespace between pairs is allowed.
    Hex,
    /// Bytes written as standard padded base64 (`SGkK`).
    Base64,
}

/// Encodings offered to shell completion. Any other WHATWG label is accepted too.
pub const COMMON: &[&str] = &[
    "utf-8",
    "gbk",
    "gb18030",
    "big5",
    "shift_jis",
    "euc-jp",
    "euc-kr",
    "latin1",
    "utf-16le",
    "utf-16be",
    "hex",
    "base64",
];

impl Default for Encoding {
    fn default() -> Self {
        Encoding::Text(encoding_rs::UTF_8)
    }
}

impl fmt::Debug for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Encoding({self})")
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Encoding::Text(enc) => f.write_str(&enc.name().to_ascii_lowercase()),
            Encoding::Hex => f.write_str("hex"),
            Encoding::Base64 => f.write_str("base64"),
        }
    }
}

impl std::str::FromStr for Encoding {
    type Err = String;

    fn from_str(label: &str) -> Result<Self, Self::Err> {
        match label.to_ascii_lowercase().as_str() {
            "hex" => return Ok(Encoding::Hex),
            "base64" => return Ok(Encoding::Base64),
            _ => {}
        }
        match encoding_rs::Encoding::for_label(label.as_bytes()) {
            // WHATWG maps a few dangerous legacy labels (iso-2022-kr, hz-gb-2312...) to an
            // encoding that decodes everything to U+FFFD and cannot encode: useless here.
            Some(enc) if enc == encoding_rs::REPLACEMENT => Err(format!(
                "'{label}' is a legacy encoding that cannot be used safely (try utf-8 or hex)"
            )),
            Some(enc) => Ok(Encoding::Text(enc)),
            None => Err(format!(
                "unknown encoding '{label}' (try utf-8, gbk, big5, shift_jis, latin1, hex or base64)"
            )),
        }
    }
}

impl Encoding {
    /// Turns a message typed by the user into the bytes to send.
    ///
    /// # Errors
    /// A character the encoding cannot represent, or malformed hex or base64.
    /// Whether messages are written as bytes (hex, base64) rather than text.
    pub fn is_binary(&self) -> bool {
        matches!(self, Encoding::Hex | Encoding::Base64)
    }

    /// [`Encoding::encode`], with the escapes `\r`, `\n`, `\t`, `\0`, `\\` and `\xNN`
    /// written as the bytes they name (the text around them in this encoding), so a
    /// request may span lines or carry any byte. Hex and base64 are bytes already.
    ///
    /// # Errors
    /// A malformed or unknown escape, or text this encoding cannot write.
    pub fn encode_escaped(&self, text: &str) -> Result<Vec<u8>, EncodingError> {
        if self.is_binary() || !text.contains('\\') {
            return self.encode(text);
        }
        let bad = |reason: String| EncodingError::InvalidEscape {
            input: text.to_owned(),
            reason,
        };
        let mut out = Vec::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('\\') {
            out.extend(self.encode(&rest[..at])?);
            let mut chars = rest[at + 1..].chars();
            let byte = match chars.next() {
                Some('r') => b'\r',
                Some('n') => b'\n',
                Some('t') => b'\t',
                Some('0') => 0,
                Some('\\') => b'\\',
                Some('x') => {
                    let hex: String = chars.by_ref().take(2).collect();
                    u8::from_str_radix(&hex, 16)
                        .ok()
                        .filter(|_| hex.len() == 2)
                        .ok_or_else(|| bad("\\x needs two hex digits".to_owned()))?
                }
                Some(other) => return Err(bad(format!("unknown escape \\{other}"))),
                None => return Err(bad("it ends in a lone backslash".to_owned())),
            };
            out.push(byte);
            rest = chars.as_str();
        }
        out.extend(self.encode(rest)?);
        Ok(out)
    }

    pub fn encode(&self, text: &str) -> Result<Vec<u8>, EncodingError> {
        match self {
            Encoding::Hex => {
                let digits: String = text.split_ascii_whitespace().collect();
                hex::decode(&digits).map_err(|err| EncodingError::InvalidHex {
                    input: text.to_owned(),
                    reason: err.to_string(),
                })
            }
            Encoding::Base64 => {
                BASE64
                    .decode(text.trim())
                    .map_err(|err| EncodingError::InvalidBase64 {
                        input: text.to_owned(),
                        reason: err.to_string(),
                    })
            }
            Encoding::Text(enc) => {
                encode_text(enc, text).map_err(|ch| EncodingError::Unencodable {
                    ch,
                    input: text.to_owned(),
                    encoding: self.to_string(),
                })
            }
        }
    }

    /// The bytes of a protocol string (greeting, `exit`, `Loop_Msg: `...) in this encoding.
    ///
    /// Hex and base64 describe how bytes are written by the user, not a character set, so
    /// protocol text stays UTF-8 for them, as in the tutorial.
    pub fn protocol_bytes(&self, text: &str) -> Vec<u8> {
        match self {
            // Protocol strings are ASCII, which every supported encoding can represent;
            // falling back to UTF-8 keeps this total without a panic path.
            Encoding::Text(enc) => encode_text(enc, text).unwrap_or_else(|_| text.into()),
            Encoding::Hex | Encoding::Base64 => text.as_bytes().to_vec(),
        }
    }

    /// Renders received bytes for a terminal: decoded text with control characters and
    /// undecodable bytes escaped, or the hex / base64 notation.
    pub fn show(&self, bytes: &[u8]) -> String {
        match self {
            Encoding::Hex => hex::encode(bytes),
            Encoding::Base64 => BASE64.encode(bytes),
            Encoding::Text(enc) => decode_escaped(enc, bytes),
        }
    }
}

impl Encoding {
    /// The bytes as text when they decode exactly, unescaped (for JSON, which escapes on
    /// its own); `None` when some bytes do not decode. Hex and base64 always succeed.
    pub fn decode_exact(&self, bytes: &[u8]) -> Option<String> {
        match self {
            Encoding::Hex | Encoding::Base64 => Some(self.show(bytes)),
            Encoding::Text(enc) => enc
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|text| text.into_owned()),
        }
    }

    /// Standard base64 of `bytes`, for JSON output of what did not decode.
    pub fn base64(bytes: &[u8]) -> String {
        BASE64.encode(bytes)
    }
}

/// A path as a human line shows it: UTF-8 with what does not decode written `\xNN`, and
/// control characters escaped, so a file name can never start a line of its own (a path
/// `x\nERROR fake` would otherwise forge a log line).
pub fn shown_path(path: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    decode_escaped(encoding_rs::UTF_8, path.as_os_str().as_bytes())
}

/// Text from a user or a peer as a human line shows it: control characters escaped.
pub fn shown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// Encodes without replacement, so the caller learns which character did not fit instead of
/// sending an HTML numeric reference in its place (encoding_rs's default behaviour).
fn encode_text(enc: &'static encoding_rs::Encoding, text: &str) -> Result<Vec<u8>, char> {
    // encoding_rs only decodes UTF-16: its encoder for UTF-16 outputs UTF-8 (per WHATWG).
    // The code units are trivial to write out by hand.
    if enc == encoding_rs::UTF_16LE {
        return Ok(text.encode_utf16().flat_map(u16::to_le_bytes).collect());
    }
    if enc == encoding_rs::UTF_16BE {
        return Ok(text.encode_utf16().flat_map(u16::to_be_bytes).collect());
    }
    let mut encoder = enc.new_encoder();
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut rest = text;
    loop {
        let spare = encoder
            .max_buffer_length_from_utf8_without_replacement(rest.len())
            .unwrap_or(rest.len() * 4 + 16);
        let start = out.len();
        out.resize(start + spare, 0);
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut out[start..], true);
        out.truncate(start + written);
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => return Ok(out),
            EncoderResult::OutputFull => continue,
            EncoderResult::Unmappable(ch) => return Err(ch),
        }
    }
}

/// Decodes `bytes`, writing each malformed sequence as `\xNN` escapes in place.
fn decode_escaped(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> String {
    // Fast path: everything decodes, which is the common case.
    if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
        let mut out = String::with_capacity(text.len());
        escape_into(&text, &mut out);
        return out;
    }
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 2);
    let mut chunk = String::new();
    let mut pos = 0;
    loop {
        let room = decoder
            .max_utf8_buffer_length_without_replacement(bytes.len() - pos)
            .unwrap_or(bytes.len() * 3 + 16);
        chunk.reserve(room);
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[pos..], &mut chunk, true);
        pos += read;
        escape_into(&chunk, &mut out);
        chunk.clear();
        match result {
            DecoderResult::InputEmpty => return out,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                // The malformed bytes end `after` bytes before the read position.
                let end = pos - usize::from(after);
                let start = end.saturating_sub(usize::from(bad));
                for byte in &bytes[start..end] {
                    let _ = write!(out, "\\x{byte:02x}");
                }
            }
        }
    }
}

/// Escapes what must not reach a terminal raw: control characters (a peer could move the
/// cursor or clear the screen), bidirectional overrides (they can disguise text), and the
/// backslash itself so that `\xff` always means one undecodable byte.
fn escape_into(text: &str, out: &mut String) {
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() || is_bidi_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// clap parser for `--encoding`: accepts every WHATWG label plus `hex` and `base64`, and
/// offers the common ones to shell completion.
#[derive(Clone, Copy, Debug)]
pub struct EncodingParser;

impl TypedValueParser for EncodingParser {
    type Value = Encoding;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Encoding, clap::Error> {
        let invalid = |msg: String| {
            let text = format!("invalid value for '--encoding': {msg}\n");
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, text).with_cmd(cmd)
        };
        let label = value
            .to_str()
            .ok_or_else(|| invalid(format!("{value:?} is not an encoding name")))?;
        label.parse().map_err(invalid)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(COMMON.iter().map(PossibleValue::new)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(label: &str) -> Encoding {
        label.parse().unwrap()
    }

    #[test]
    fn labels_resolve_case_insensitively() {
        assert_eq!(enc("UTF8"), Encoding::default());
        assert_eq!(enc("GBK"), Encoding::Text(encoding_rs::GBK));
        assert_eq!(enc("latin1"), Encoding::Text(encoding_rs::WINDOWS_1252));
        assert_eq!(enc("HEX"), Encoding::Hex);
        assert!(
            "klingon"
                .parse::<Encoding>()
                .unwrap_err()
                .contains("unknown encoding")
        );
        assert!("iso-2022-kr".parse::<Encoding>().is_err());
    }

    #[test]
    fn gbk_round_trip() {
        let gbk = enc("gbk");
        let bytes = gbk.encode("你好, café").unwrap();
        assert_eq!(&bytes[..4], &[0xc4, 0xe3, 0xba, 0xc3]);
        assert_eq!(gbk.show(&bytes), "你好, café");
    }

    #[test]
    fn unencodable_character_is_named() {
        let err = enc("gbk").encode("hi 😀").unwrap_err();
        assert!(
            matches!(err, EncodingError::Unencodable { ch: '😀', .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("gbk"), "{err}");
    }

    #[test]
    fn invalid_utf8_is_escaped_not_replaced() {
        let utf8 = Encoding::default();
        assert_eq!(utf8.show(b"ok\xff\xfeok"), "ok\\xff\\xfeok");
        // A truncated multi-byte sequence at the end.
        assert_eq!(utf8.show("é".as_bytes()[..1].as_ref()), "\\xc3");
        // A lead byte followed by ASCII keeps the ASCII.
        assert_eq!(utf8.show(b"\xe4A"), "\\xe4A");
    }

    #[test]
    fn invalid_gbk_is_escaped() {
        assert_eq!(enc("gbk").show(b"\xc4\xe3\xff"), "你\\xff");
    }

    #[test]
    fn controls_and_backslashes_are_escaped() {
        let utf8 = Encoding::default();
        assert_eq!(utf8.show(b"a\nb\r\t\x1b[2J\\"), "a\\nb\\r\\t\\x1b[2J\\\\");
        assert_eq!(utf8.show("x\u{202e}y".as_bytes()), "x\\u{202e}y");
    }

    #[test]
    fn hex_and_base64_round_trip() {
        let hex = Encoding::Hex;
        assert_eq!(hex.encode("48 69 0a").unwrap(), b"Hi\n");
        assert_eq!(hex.show(b"Hi\n"), "48690a");
        assert!(matches!(
            hex.encode("zz"),
            Err(EncodingError::InvalidHex { .. })
        ));
        assert!(matches!(
            hex.encode("486"),
            Err(EncodingError::InvalidHex { .. })
        ));
        let b64 = Encoding::Base64;
        assert_eq!(b64.encode("SGkK").unwrap(), b"Hi\n");
        assert_eq!(b64.show(b"Hi\n"), "SGkK");
        assert!(matches!(
            b64.encode("!!"),
            Err(EncodingError::InvalidBase64 { .. })
        ));
    }

    #[test]
    fn utf16_is_written_as_utf16() {
        let le = enc("utf-16le");
        assert_eq!(le.encode("hi").unwrap(), b"h\0i\0");
        assert_eq!(le.show(b"h\0i\0"), "hi");
        assert_eq!(le.protocol_bytes("exit"), b"e\0x\0i\0t\0");
    }

    #[test]
    fn protocol_text_in_binary_notations_is_utf8() {
        assert_eq!(Encoding::Hex.protocol_bytes("exit"), b"exit");
        assert_eq!(enc("gbk").protocol_bytes("exit"), b"exit");
    }
}
