//! Templates in messages: `{seq}` (the request's number in the run), `{conn}` (the
//! connection's number) and `{rand:N}` (N random letters), so that
//! `'SET key:{seq} {rand:32}'` exercises a real key space instead of one key.
//!
//! A template is parsed once into parts; filling one writes into a buffer the caller keeps,
//! so a load run allocates nothing per request once its buffers have grown.

use std::io::Write as _;

/// The most random letters one `{rand:N}` makes.
pub const MAX_RAND: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(Vec<u8>),
    Seq,
    Conn,
    Rand(usize),
}

/// A message with placeholders, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

impl Template {
    /// The template in `text`, or `None` when it has no placeholder (the message is sent as
    /// it is). `encode` turns the literal text into bytes; placeholders write ASCII.
    ///
    /// # Errors
    /// A `{rand:N}` with N not from 1 to [`MAX_RAND`], or `encode` failing.
    pub fn parse(
        text: &str,
        encode: impl Fn(&str) -> Result<Vec<u8>, String>,
    ) -> Result<Option<Template>, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut literal = String::new();
        while let Some(open) = rest.find('{') {
            let (before, from) = rest.split_at(open);
            literal.push_str(before);
            let Some(close) = from.find('}') else {
                literal.push_str(from);
                rest = "";
                break;
            };
            let name = &from[1..close];
            // A placeholder written almost right is a mistake, not text: it would send one
            // key over and over.
            let lower = name.to_ascii_lowercase();
            if (lower == "seq" || lower == "conn" || lower == "rand" || lower.starts_with("rand:"))
                && !(name == "seq" || name == "conn" || name.starts_with("rand:"))
            {
                return Err(format!(
                    "{{{name}}} is not a placeholder: write {{seq}}, {{conn}} or {{rand:N}}"
                ));
            }
            let part = match name {
                "seq" => Some(Part::Seq),
                "conn" => Some(Part::Conn),
                _ => match name.strip_prefix("rand:") {
                    Some(n) => {
                        let n: usize = n
                            .parse()
                            .ok()
                            .filter(|n| (1..=MAX_RAND).contains(n))
                            .ok_or_else(|| {
                                format!("{{{name}}}: write {{rand:N}} with N from 1 to {MAX_RAND}")
                            })?;
                        Some(Part::Rand(n))
                    }
                    None => None,
                },
            };
            match part {
                Some(part) => {
                    if !literal.is_empty() {
                        parts.push(Part::Text(encode(&std::mem::take(&mut literal))?));
                    }
                    parts.push(part);
                }
                // Not a placeholder: the braces are text.
                None => literal.push_str(&from[..=close]),
            }
            rest = &from[close + 1..];
        }
        literal.push_str(rest);
        if parts.is_empty() {
            return Ok(None);
        }
        if !literal.is_empty() {
            parts.push(Part::Text(encode(&literal)?));
        }
        Ok(Some(Template { parts }))
    }

    /// Appends the message for request `seq` on connection `conn` to `out`.
    pub fn fill(&self, seq: u64, conn: u64, rng: &mut Rng, out: &mut Vec<u8>) {
        for part in &self.parts {
            match part {
                Part::Text(text) => out.extend_from_slice(text),
                // Writing a number into a Vec cannot fail.
                Part::Seq => {
                    let _ = write!(out, "{seq}");
                }
                Part::Conn => {
                    let _ = write!(out, "{conn}");
                }
                Part::Rand(n) => out.extend((0..*n).map(|_| rng.letter())),
            }
        }
    }
}

/// A small, fast generator of letters (xorshift64*): keys need spread, not secrecy.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed` (any value; zero is avoided).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether an event of probability `pct` percent happens.
    pub fn chance(&mut self, pct: f64) -> bool {
        pct > 0.0 && self.unit() * 100.0 < pct
    }

    /// A lowercase letter.
    pub fn letter(&mut self) -> u8 {
        b'a' + (self.next() % 26) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf8(text: &str) -> Result<Vec<u8>, String> {
        Ok(text.as_bytes().to_vec())
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        let template = Template::parse("SET key:{seq} {rand:8} on {conn} {json}", utf8)
            .unwrap()
            .unwrap();
        let mut out = Vec::new();
        template.fill(42, 3, &mut Rng::new(1), &mut out);
        let text = String::from_utf8(out).unwrap();
        let words: Vec<&str> = text.split(' ').collect();
        assert_eq!(words[0], "SET");
        assert_eq!(words[1], "key:42");
        assert_eq!(words[2].len(), 8);
        assert!(words[2].bytes().all(|b| b.is_ascii_lowercase()));
        assert_eq!(&words[3..], ["on", "3", "{json}"]);
    }

    #[test]
    fn plain_messages_are_not_templates_and_bad_sizes_are_refused() {
        assert_eq!(Template::parse("GET k", utf8), Ok(None));
        assert_eq!(Template::parse("{\"a\": 1}", utf8), Ok(None));
        assert!(Template::parse("{rand:0}", utf8).is_err());
        assert!(Template::parse("{rand}", utf8).is_err());
        assert!(Template::parse("{Seq}", utf8).is_err());
        assert_eq!(Template::parse("{random words}", utf8), Ok(None));
        assert_eq!(
            Template::parse("{SEQ}", utf8),
            Err("{SEQ} is not a placeholder: write {seq}, {conn} or {rand:N}".to_owned())
        );
        assert!(Template::parse("{rand:99999}", utf8).is_err());
    }

    #[test]
    fn filling_again_reuses_the_buffer() {
        let template = Template::parse("k{seq}", utf8).unwrap().unwrap();
        let mut out = Vec::with_capacity(64);
        let before = out.as_ptr();
        for seq in 0..100 {
            out.clear();
            template.fill(seq, 0, &mut Rng::new(seq), &mut out);
        }
        assert_eq!(out, b"k99");
        assert_eq!(out.as_ptr(), before);
    }
}
