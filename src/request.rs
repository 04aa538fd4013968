//! The messages of a load run, ready to send: fixed bytes, or templates (`{seq}`, `{conn}`,
//! `{rand:N}`) filled for each request in the framing's form (RESP words, HTTP target and
//! body), into buffers a connection keeps.

use crate::encoding::Encoding;
use crate::framing::{Framing, http, resp};
use crate::template::{Rng, Template};

/// One message of a load run, ready to send: fixed bytes, or a template (`{seq}`,
/// `{conn}`, `{rand:N}`) filled for each request, in its framing's form.
#[derive(Debug, Clone)]
pub enum Request {
    /// The same bytes every time.
    Fixed(Vec<u8>),
    /// Text with placeholders (raw, line and length framing).
    Text(Template),
    /// A RESP command whose words may hold placeholders.
    Resp(Vec<Piece>),
    /// An HTTP request whose target and body may hold placeholders.
    Http {
        method: String,
        target: Piece,
        body: Piece,
        host: String,
    },
}

/// A part of a request that is fixed, or filled each time.
#[derive(Debug, Clone)]
pub enum Piece {
    Fixed(Vec<u8>),
    Template(Template),
}

impl Piece {
    fn of(text: &str, encode: &impl Fn(&str) -> Result<Vec<u8>, String>) -> Result<Piece, String> {
        Ok(match Template::parse(text, encode)? {
            Some(template) => Piece::Template(template),
            None => Piece::Fixed(encode(text)?),
        })
    }

    fn write(&self, seq: u64, conn: u64, rng: &mut Rng, out: &mut Vec<u8>) {
        match self {
            Piece::Fixed(bytes) => out.extend_from_slice(bytes),
            Piece::Template(template) => template.fill(seq, conn, rng, out),
        }
    }
}

/// Buffers a connection keeps for filling templates, so a request costs no allocation
/// once they have grown.
#[derive(Debug, Default)]
pub struct Scratch {
    out: Vec<u8>,
    a: Vec<u8>,
    b: Vec<u8>,
}

impl Request {
    /// The request for `text`: RESP words, an HTTP request, or text in `encoding`; a
    /// template when it holds a placeholder.
    ///
    /// # Errors
    /// The text cannot be encoded, is not a command or request, or a placeholder is bad.
    pub fn new(
        text: &str,
        encoding: Encoding,
        framing: Framing,
        host: &str,
    ) -> Result<Request, String> {
        // Text framings take escapes (`\r\n`, `\xNN`), so a request may span lines;
        // RESP words and HTTP requests are written in their own forms.
        let escapes = !matches!(framing, Framing::Resp | Framing::Http);
        let encode = |t: &str| {
            if escapes {
                encoding.encode_escaped(t)
            } else {
                encoding.encode(t)
            }
            .map_err(|err| err.to_string())
        };
        let templated = Template::parse(text, encode)?.is_some();
        Ok(match framing {
            Framing::Resp if templated => Request::Resp(
                resp::split_words(text)?
                    .into_iter()
                    .map(|word| match String::from_utf8(word) {
                        Ok(word) => Piece::of(&word, &|t: &str| Ok(t.as_bytes().to_vec())),
                        Err(bytes) => Ok(Piece::Fixed(bytes.into_bytes())),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Framing::Resp => Request::Fixed(resp::command(text)?),
            Framing::Http if templated => {
                let (method, target, body) = http::split(text)?;
                let utf8 = |t: &str| Ok(t.as_bytes().to_vec());
                Request::Http {
                    method: method.to_owned(),
                    target: Piece::of(target, &utf8)?,
                    body: Piece::of(body, &utf8)?,
                    host: host.to_owned(),
                }
            }
            Framing::Http => Request::Fixed(http::request(text, host)?),
            _ => match Template::parse(text, encode)? {
                Some(template) => Request::Text(template),
                None => Request::Fixed(encode(text)?),
            },
        })
    }

    /// The bytes of request `seq` on connection `conn`, in `scratch`.
    pub fn bytes<'a>(
        &'a self,
        seq: u64,
        conn: u64,
        rng: &mut Rng,
        scratch: &'a mut Scratch,
    ) -> &'a [u8] {
        let Scratch { out, a, b } = scratch;
        out.clear();
        match self {
            Request::Fixed(bytes) => return bytes,
            Request::Text(template) => template.fill(seq, conn, rng, out),
            Request::Resp(words) => {
                resp::write_array(words.len(), out);
                for word in words {
                    a.clear();
                    word.write(seq, conn, rng, a);
                    resp::write_bulk(a, out);
                }
            }
            Request::Http {
                method,
                target,
                body,
                host,
            } => {
                a.clear();
                b.clear();
                target.write(seq, conn, rng, a);
                body.write(seq, conn, rng, b);
                http::write_request(method, a, host, b, out);
            }
        }
        out
    }

    /// The bytes when they are the same for every request.
    pub fn fixed(&self) -> Option<&[u8]> {
        match self {
            Request::Fixed(bytes) => Some(bytes),
            _ => None,
        }
    }
}
