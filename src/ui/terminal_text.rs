//! Text from users' files on its way to a terminal: control characters (ESC,
//! CR, BEL, DEL, C1) and bidirectional overrides are shown escaped, so a config
//! value quoted in an error can neither move the cursor, recolour the screen,
//! nor reorder what the reader sees. Line breaks stay: messages span lines.

/// `text` with every control character but `\n` written as `\u{…}`.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}');
        if (c.is_control() && c != '\n') || bidi {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The most of a value an error quotes.
pub use crate::error::QUOTE_CHARS;

/// Clap's message with the value of `invalid value '…'` cut to
/// [`QUOTE_CHARS`] characters, so a huge argument is not echoed whole.
pub fn shorten_invalid_value(message: &str) -> String {
    const START: &str = "invalid value '";
    let Some(at) = message.find(START) else {
        return message.to_owned();
    };
    let value_start = at + START.len();
    let Some(len) = message[value_start..].find("' for '") else {
        return message.to_owned();
    };
    let value = &message[value_start..value_start + len];
    let total = value.chars().count();
    if total <= QUOTE_CHARS {
        return message.to_owned();
    }
    let head: String = value.chars().take(QUOTE_CHARS).collect();
    format!(
        "{}{head}…' ({total} characters){}",
        &message[..value_start],
        &message[value_start + len + 1..]
    )
}

/// `1 version`, `2 versions`: a count and its noun, singular for one.
pub fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_quoted_by_their_first_80_characters() {
        let long = "x".repeat(120_000);
        let q = crate::error::quoted(&long);
        assert_eq!(q, format!("\"{}\"… (120000 characters)", "x".repeat(80)));
        assert_eq!(crate::error::quoted("a\nb"), "\"a\\nb\"");
        let clap =
            format!("error: invalid value '{long}' for '--since <WHEN>': expected a duration\n");
        let short = shorten_invalid_value(&clap);
        assert_eq!(
            short,
            format!(
                "error: invalid value '{}…' (120000 characters) for '--since <WHEN>': expected a duration\n",
                "x".repeat(80)
            )
        );
        assert_eq!(
            shorten_invalid_value("error: invalid value 'ab' for '--x'"),
            "error: invalid value 'ab' for '--x'"
        );
    }

    #[test]
    fn controls_are_escaped_and_line_breaks_kept() {
        assert_eq!(escape_controls("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            escape_controls("x\ry\u{7}\u{7f}\u{9b}"),
            "x\\u{d}y\\u{7}\\u{7f}\\u{9b}"
        );
        assert_eq!(escape_controls("l1\nl2\tt"), "l1\nl2\\u{9}t");
        assert_eq!(escape_controls("abc\u{202E}cba"), "abc\\u{202e}cba");
        assert_eq!(escape_controls("plain ✓ ünï"), "plain ✓ ünï");
    }
}
