//! Template values as opaque tokens, so no value can change a task
//! definition's structure.
//!
//! Every `{{ … }}` output is written into the rendered text as a token made of
//! two private-use characters around the value's bytes in hex. A token holds
//! no quote, newline, `:`, `#`, `-`, bracket or space, so the YAML parser sees
//! the same structure whatever the values are; the values come back only into
//! the strings of the parsed document ([`decode`]). A value that is a plain
//! whole number, decimal or boolean is written as itself instead: such text
//! cannot change structure either, and `containerPort: {{ vars.port }}` keeps
//! its number type.

use std::fmt::Write as _;

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The text a template value is rendered as.
pub fn encode(value: &str) -> String {
    if is_literal_safe(value) {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len() * 2 + 6);
    out.push(OPEN);
    for byte in value.bytes() {
        let _ = write!(out, "{byte:02x}");
    }
    out.push(CLOSE);
    out
}

/// Whether `text` contains a token (or one of the token characters).
pub fn contains_token(text: &str) -> bool {
    text.contains([OPEN, CLOSE])
}

/// The first line (1-based) of a template source that contains a token
/// character itself: such a template could forge a value.
pub fn line_with_token_chars(source: &str) -> Option<usize> {
    source
        .lines()
        .position(contains_token)
        .map(|index| index + 1)
}

/// `text` with every token replaced by the value it stands for.
pub fn decode(text: &str) -> String {
    if !contains_token(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        match after
            .find(CLOSE)
            .and_then(|end| Some((end, hex(&after[..end])?)))
        {
            Some((end, value)) => {
                out.push_str(&value);
                rest = &after[end + CLOSE.len_utf8()..];
            }
            None => {
                out.push(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// An error message, which may quote tokens as Rust escapes, with the values.
pub fn decode_message(message: &str) -> String {
    decode(
        &message
            .replace("\\u{e000}", &OPEN.to_string())
            .replace("\\u{e001}", &CLOSE.to_string()),
    )
}

/// Every string (keys included) of a JSON document, decoded.
pub fn decode_json(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(decode(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(decode_json).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (decode(&k), decode_json(v)))
                .collect(),
        ),
        other => other,
    }
}

fn hex(digits: &str) -> Option<String> {
    if !digits.len().is_multiple_of(2) || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let bytes: Vec<u8> = (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex digits"))
        .collect();
    String::from_utf8(bytes).ok()
}

/// `-12`, `3`, `0.5`, `true`, `false`: text no YAML context reads as more than
/// one scalar.
fn is_literal_safe(value: &str) -> bool {
    if value == "true" || value == "false" {
        return true;
    }
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole)
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_tokens() {
        for value in [
            "",
            "plain",
            "evil\"\n    privileged: true\n    hostname: \"",
            "a: b",
            "- x",
            "# c",
            "{x}",
            "[1, 2]",
            "'q'",
            "\u{E000}61\u{E001}",
            "ünïcödé ✓",
        ] {
            let token = encode(value);
            assert!(
                !token.contains(['"', '\'', '\n', ':', '#', ' ', '[', '{', '-']),
                "{token:?}"
            );
            assert_eq!(decode(&format!("x{token}y")), format!("x{value}y"));
        }
    }

    #[test]
    fn numbers_and_booleans_stay_literal() {
        for value in ["0", "8080", "-1", "0.5", "true", "false"] {
            assert_eq!(encode(value), value);
        }
        for value in [
            "08", "1e5", "1.", ".5", "True", "0x10", "1 ", "--1", "1.2.3",
        ] {
            assert_ne!(encode(value), value, "{value}");
        }
    }

    #[test]
    fn broken_tokens_are_left_alone() {
        assert_eq!(decode("a\u{E000}6\u{E001}b"), "a\u{E000}6\u{E001}b");
        assert_eq!(decode("a\u{E000}ff\u{E001}"), "a\u{E000}ff\u{E001}");
        assert_eq!(line_with_token_chars("a\nb\u{E001}\n"), Some(2));
    }
}
