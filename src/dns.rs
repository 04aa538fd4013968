//! DNS queries as bytes (RFC 1035 section 4.1), for `udp send --dns-query NAME TYPE`: a
//! user loading a resolver needs no hex editor. Only the question is built; replies are
//! matched by their ID and checked for RCODE by the load engine.

/// The query for `name` and `kind` (a type name or number), with ID 0 (the load run
/// writes each request's own) and recursion desired.
///
/// # Errors
/// A label over 63 bytes, a name over 253, an empty label, or a type netdemo does not
/// know by name and that is not a number up to 65535.
pub fn query(name: &str, kind: &str) -> Result<Vec<u8>, String> {
    let code = record_type(kind)?;
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.len() > 253 {
        return Err(format!("--dns-query {name}: a name is at most 253 bytes"));
    }
    // ID, flags (RD), one question, no answer, authority or additional records.
    let mut query = vec![0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    if !name.is_empty() {
        for label in name.split('.') {
            if label.is_empty() || label.len() > 63 {
                return Err(format!(
                    "--dns-query {name}: each label (between dots) is 1 to 63 bytes"
                ));
            }
            query.push(label.len() as u8);
            query.extend_from_slice(label.as_bytes());
        }
    }
    query.push(0);
    query.extend_from_slice(&code.to_be_bytes());
    query.extend_from_slice(&1u16.to_be_bytes()); // class IN
    Ok(query)
}

/// A record type by its name or number.
fn record_type(kind: &str) -> Result<u16, String> {
    const NAMED: [(&str, u16); 10] = [
        ("A", 1),
        ("NS", 2),
        ("CNAME", 5),
        ("SOA", 6),
        ("PTR", 12),
        ("MX", 15),
        ("TXT", 16),
        ("AAAA", 28),
        ("SRV", 33),
        ("ANY", 255),
    ];
    NAMED
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(kind))
        .map(|(_, code)| *code)
        .or_else(|| kind.parse().ok())
        .ok_or_else(|| {
            format!(
                "--dns-query: unknown record type '{kind}' (try A, AAAA, MX, TXT, NS, CNAME, \
                 SOA, PTR, SRV, ANY, or its number)"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_the_header_then_the_question() {
        let query = query("example.test.", "a").unwrap();
        let mut expected = vec![0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        expected.extend_from_slice(b"\x07example\x04test\x00\x00\x01\x00\x01");
        assert_eq!(query, expected);
        assert_eq!(&super::query("x", "28").unwrap()[15..17], &[0, 28]);
    }

    #[test]
    fn bad_names_and_types_are_refused() {
        assert!(query("a..b", "A").is_err());
        assert!(query(&"a".repeat(64), "A").is_err());
        assert!(query("example.test", "BOGUS").is_err());
        assert!(query("example.test", "70000").is_err());
    }
}
