//! The W3C `baggage` header value: parsing, merging our member, formatting.
//!
//! Grammar (W3C Baggage, §3.2.1):
//! `baggage-string = list-member 0*179( OWS "," OWS list-member )`,
//! `list-member = key OWS "=" OWS value *( OWS ";" OWS property )`,
//! `property = key OWS "=" OWS value / key`, `key = token`,
//! `value = *baggage-octet` with values percent-encoded as needed.
//! Empty list members (as from a trailing comma) are tolerated, as receivers must.

use std::fmt;

use crate::error::quoted;
use crate::naming::Version;
use crate::routing::BaggageKey;

/// The header name.
pub const HEADER: &str = "baggage";

/// W3C limits: at most 180 list members and 8192 bytes.
pub const MAX_MEMBERS: usize = 180;
pub const MAX_BYTES: usize = 8192;
/// A malformed baggage string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaggageError {
    pub member: String,
    pub problem: String,
}

impl fmt::Display for BaggageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.member.is_empty() {
            write!(f, "baggage: {}", self.problem)
        } else {
            write!(
                f,
                "malformed baggage member {}: {}",
                quoted(&self.member),
                self.problem
            )
        }
    }
}

impl std::error::Error for BaggageError {}

/// One list member, kept as written (trimmed) so that merging never rewrites
/// other members' encoding or properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub key: String,
    pub text: String,
}

/// Our member: `key=version`.
pub fn member(key: &BaggageKey, version: &Version) -> String {
    format!("{key}={version}")
}

/// The whole header line for a version: `baggage: dynamic_route=feature-1`.
pub fn header_line(key: &BaggageKey, version: &Version) -> String {
    format!("{HEADER}: {}", member(key, version))
}

/// The header line that pins `version` on `service` only:
/// `baggage: dynamic_route.api=feature-1`.
pub fn pin_line(
    key: &BaggageKey,
    service: &crate::naming::ServiceName,
    version: &Version,
) -> String {
    format!("{HEADER}: {}={version}", super::pin_key(key, service))
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn is_baggage_octet(c: char) -> bool {
    // %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E: printable ASCII except `"` `,` `;` `\`.
    c.is_ascii_graphic() && !matches!(c, '"' | ',' | ';' | '\\')
}

fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn check_key(key: &str, member: &str) -> Result<(), BaggageError> {
    if key.is_empty() || !key.chars().all(is_token_char) {
        return Err(BaggageError {
            member: member.to_owned(),
            problem: format!(
                "key {} is not a token (letters, digits and !#$%&'*+-.^_`|~)",
                quoted(key)
            ),
        });
    }
    Ok(())
}

fn check_value(value: &str, member: &str) -> Result<(), BaggageError> {
    let err = |problem: String| BaggageError {
        member: member.to_owned(),
        problem,
    };
    if let Some(c) = value.chars().find(|c| !is_baggage_octet(*c)) {
        return Err(err(format!(
            "value {} contains {c:?}, which must be percent-encoded",
            quoted(value)
        )));
    }
    let bytes = value.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err(err(format!(
                "value {} has a `%` that is not followed by two hex digits",
                quoted(value)
            )));
        }
    }
    Ok(())
}

/// Splits `key OWS = OWS value` and checks both halves.
fn check_pair(pair: &str, member: &str, value_required: bool) -> Result<String, BaggageError> {
    let pair = pair.trim_matches(is_ows);
    match pair.split_once('=') {
        Some((k, v)) => {
            let k = k.trim_end_matches(is_ows);
            check_key(k, member)?;
            check_value(v.trim_start_matches(is_ows), member)?;
            Ok(k.to_owned())
        }
        None if !value_required => {
            check_key(pair, member)?;
            Ok(pair.to_owned())
        }
        None => Err(BaggageError {
            member: member.to_owned(),
            problem: "expected `key=value`".into(),
        }),
    }
}

/// Parses a baggage header value into its list members.
pub fn parse(input: &str) -> Result<Vec<Member>, BaggageError> {
    let limit = |problem: String| BaggageError {
        member: String::new(),
        problem,
    };
    if input.len() > MAX_BYTES {
        return Err(limit(format!(
            "the baggage is {} bytes; W3C allows at most {MAX_BYTES}",
            input.len()
        )));
    }
    let count = input
        .split(',')
        .filter(|m| !m.trim_matches(is_ows).is_empty())
        .count();
    if count > MAX_MEMBERS {
        return Err(limit(format!(
            "the baggage has {count} list members; W3C allows at most {MAX_MEMBERS}"
        )));
    }
    let mut members = Vec::new();
    for raw in input.split(',') {
        let text = raw.trim_matches(is_ows);
        if text.is_empty() {
            continue;
        }
        let mut parts = text.split(';');
        let key = check_pair(parts.next().unwrap_or_default(), text, true)?;
        for property in parts {
            check_pair(property, text, false)?;
        }
        members.push(Member {
            key,
            text: text.to_owned(),
        });
    }
    Ok(members)
}

/// Adds or replaces our member in an existing baggage string, keeping the others.
///
/// Our member takes the place of the first existing member with the same key;
/// further duplicates of that key are dropped, so ours is the only one (with
/// duplicates, OpenTelemetry SDKs and dynroute's routers take the last).
pub fn merge(existing: &str, key: &BaggageKey, version: &Version) -> Result<String, BaggageError> {
    let ours = member(key, version);
    let mut out: Vec<String> = Vec::new();
    let mut placed = false;
    for m in parse(existing)? {
        if m.key == key.as_str() {
            if !placed {
                out.push(ours.clone());
                placed = true;
            }
        } else {
            out.push(m.text);
        }
    }
    if !placed {
        out.push(ours);
    }
    let merged = out.join(",");
    if out.len() > MAX_MEMBERS || merged.len() > MAX_BYTES {
        let problem = if out.len() > MAX_MEMBERS {
            format!(
                "with our member the baggage has {} list members; W3C allows at most {MAX_MEMBERS}",
                out.len()
            )
        } else {
            format!(
                "with our member the baggage is {} bytes; W3C allows at most {MAX_BYTES}",
                merged.len()
            )
        };
        return Err(BaggageError {
            member: String::new(),
            problem,
        });
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merge_ok(existing: &str) -> String {
        merge(
            existing,
            &BaggageKey::default(),
            &"feature-1".parse().unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn merge_adds_our_member_and_keeps_others_verbatim() {
        assert_eq!(merge_ok(""), "dynamic_route=feature-1");
        assert_eq!(
            merge_ok("userId=alice"),
            "userId=alice,dynamic_route=feature-1"
        );
        assert_eq!(
            merge_ok("a=1;p=%20x , b = 2 ,"),
            "a=1;p=%20x,b = 2,dynamic_route=feature-1"
        );
    }

    #[test]
    fn merge_replaces_in_place_and_drops_duplicates() {
        assert_eq!(
            merge_ok("a=1,dynamic_route=old;p,b=2,dynamic_route=other"),
            "a=1,dynamic_route=feature-1,b=2"
        );
        assert_eq!(merge_ok("dynamic_route = old"), "dynamic_route=feature-1");
        // A different key that merely contains ours is kept.
        assert_eq!(
            merge_ok("xdynamic_route=old"),
            "xdynamic_route=old,dynamic_route=feature-1"
        );
    }

    #[test]
    fn parse_accepts_the_grammar() {
        let m = parse("k1=v1;p1;p2=x, k2 =\t%E2%9C%93 ;q").unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].key, "k1");
        assert_eq!(m[1].key, "k2");
        assert_eq!(m[1].text, "k2 =\t%E2%9C%93 ;q");
    }

    #[test]
    fn parse_rejects_malformed_members() {
        for bad in [
            "novalue",
            "=v",
            "a b=1",
            "k=v v",
            "k=\"quoted\"",
            "k=back\\slash",
            "k=%zz",
            "k=%4",
            "k=v;=p",
            "k=é",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(!err.problem.is_empty(), "{bad}");
        }
    }

    #[test]
    fn merge_enforces_the_w3c_limits_and_names_them() {
        let key = BaggageKey::default();
        let version: Version = "x".parse().unwrap();
        let members = |n: usize| {
            (0..n)
                .map(|i| format!("k{i}=v"))
                .collect::<Vec<_>>()
                .join(",")
        };
        merge(&members(179), &key, &version).unwrap();
        let err = merge(&members(180), &key, &version)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "baggage: with our member the baggage has 181 list members; W3C allows at most 180"
        );
        let err = parse(&members(181)).unwrap_err().to_string();
        assert_eq!(
            err,
            "baggage: the baggage has 181 list members; W3C allows at most 180"
        );
        parse(&format!("k={}", "v".repeat(8190))).unwrap();
        let err = parse(&format!("k={}", "v".repeat(8191)))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "baggage: the baggage is 8193 bytes; W3C allows at most 8192"
        );
        let err = merge(&format!("k={}", "v".repeat(8180)), &key, &version)
            .unwrap_err()
            .to_string();
        assert!(err.contains("bytes; W3C allows at most 8192"), "{err}");
    }

    #[test]
    fn errors_quote_at_most_80_characters() {
        let long = format!("k=\"{}\"", "x".repeat(5000));
        let err = parse(&long).unwrap_err().to_string();
        assert!(err.len() < 400, "{} bytes: {err}", err.len());
        assert!(err.contains("(5004 characters)"), "{err}");
    }

    #[test]
    fn percent_sequences_that_are_not_utf8_are_still_a_valid_value() {
        // W3C: receivers decode them to U+FFFD; the header itself is valid.
        parse("k=%FF,j=%C3%28").unwrap();
    }
}
