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

/// `1 version`, `2 versions`: a count and its noun, singular for one.
pub fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

#[cfg(test)]
mod tests {
    use super::escape_controls;

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
