//! Reading the YAML files a user points dynroute at (config, templates) so that
//! anything that is not a reasonable text file is a clear error, not a hang, a
//! crash or a minute of parsing.
//!
//! Only regular files are read, at most [`MAX_BYTES`] of them; the text must be
//! UTF-8 (a leading byte-order mark is dropped); flow collections may nest at
//! most [`MAX_DEPTH`] deep (the YAML parser is quadratic in that depth); YAML
//! tags (`!!binary`, `!Ref`) and duplicate keys are errors.

pub mod write;
mod yaml_error;
pub use yaml_error::yaml_error;

use std::io::Read;
use std::path::Path;

use crate::error::UserError;

/// The largest config or template file read.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// The deepest nesting of `[` / `{` accepted.
pub const MAX_DEPTH: usize = 64;

/// What YAML aliases may expand a file to: each `*alias` can repeat up to the
/// whole file, so a file's aliases times its size must stay under this.
pub const MAX_EXPANSION_BYTES: u64 = 16 * 1024 * 1024;

/// The largest JSON document read (`diff --against-file`, `init
/// --from-task-definition`): a task definition is kilobytes.
pub const MAX_DOCUMENT_BYTES: u64 = 4 * 1024 * 1024;

/// The text of the file at `path`; `what` names it in errors ("config file").
pub fn read(path: &Path, what: &str) -> Result<String, UserError> {
    let text = read_text(path, what, MAX_BYTES)?;
    check_depth(path, &text)?;
    check_aliases(path, &text)?;
    Ok(text)
}

/// The UTF-8 text of a regular file of at most `max` bytes: a pipe, socket or
/// device is refused before it is opened (no read can hang), a larger file
/// before more than `max` bytes are read.
pub fn read_text(path: &Path, what: &str, max: u64) -> Result<String, UserError> {
    let bytes = read_bytes(path, what, max)?;
    decode(path, what, bytes)
}

/// The bytes of a regular file of at most `max` bytes (see [`read_text`]).
pub fn read_bytes(path: &Path, what: &str, max: u64) -> Result<Vec<u8>, UserError> {
    let shown = path.display();
    let metadata = std::fs::metadata(path)
        .map_err(|err| UserError::usage(format!("cannot read {what} {shown}: {err}")))?;
    if metadata.is_dir() {
        return Err(
            UserError::usage(format!("cannot read {what} {shown}: it is a directory"))
                .hint("name the YAML file itself, e.g. dynroute.yaml"),
        );
    }
    if !metadata.is_file() {
        return Err(UserError::usage(format!(
            "cannot read {what} {shown}: it is not a regular file (a pipe, socket or device)"
        )));
    }
    if metadata.len() > max {
        return Err(too_large(what, path, max));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(max + 1).read_to_end(&mut bytes))
        .map_err(|err| UserError::usage(format!("cannot read {what} {shown}: {err}")))?;
    if bytes.len() as u64 > max {
        return Err(too_large(what, path, max));
    }
    Ok(bytes)
}

fn too_large(what: &str, path: &Path, max: u64) -> UserError {
    UserError::usage(format!(
        "cannot read {what} {}: it is larger than {max} bytes",
        path.display()
    ))
}

/// UTF-8 text without a leading byte-order mark.
pub fn decode(path: &Path, what: &str, bytes: Vec<u8>) -> Result<String, UserError> {
    let mut text = String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        UserError::usage(format!(
            "{}:{line}: {what} is not UTF-8 text (invalid byte 0x{:02x} at offset {valid})",
            path.display(),
            bytes[valid]
        ))
        .hint("save the file as UTF-8")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Calls `f(line, char, starts_token)` for every character of `text` outside
/// quoted strings, comments and block scalars (`|`, `>`).
fn scan(
    text: &str,
    mut f: impl FnMut(usize, char, bool) -> Result<(), UserError>,
) -> Result<(), UserError> {
    let mut block_indent: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(parent) = block_indent {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_indent = None;
        }
        let mut chars = line.chars().peekable();
        let mut previous = ' ';
        let mut last = ' ';
        while let Some(c) = chars.next() {
            let starts_token = previous.is_whitespace() || "[{,:".contains(previous);
            match c {
                '#' if previous.is_whitespace() => break,
                '"' | '\'' if starts_token => {
                    while let Some(q) = chars.next() {
                        if q == '\\' && c == '"' {
                            chars.next();
                        } else if q == c {
                            break;
                        }
                    }
                }
                _ => f(index + 1, c, starts_token)?,
            }
            previous = c;
            if !c.is_whitespace() {
                last = c;
            }
        }
        let tail = line.split(" #").next().unwrap_or_default().trim_end();
        let indicator = tail.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
        if matches!(last, '|' | '>' | '-' | '+' | '0'..='9')
            && (indicator.ends_with(" |")
                || indicator.ends_with(" >")
                || indicator == "|"
                || indicator == ">")
        {
            block_indent = Some(indent);
        }
    }
    Ok(())
}

/// Fails, before parsing, when the YAML aliases (`*name`) of `text` could
/// expand it past [`MAX_EXPANSION_BYTES`] (a 1 MB value aliased 5,000 times
/// would be 5 GB): every alias is counted as a copy of the whole text.
pub fn check_aliases(path: &Path, text: &str) -> Result<(), UserError> {
    let mut aliases = 0u64;
    let mut first = None;
    scan(text, |line, c, starts_token| {
        if c == '*' && starts_token {
            aliases += 1;
            first.get_or_insert(line);
        }
        Ok(())
    })?;
    if aliases.saturating_mul(text.len() as u64) > MAX_EXPANSION_BYTES {
        return Err(UserError::usage(format!(
            "{}:{}: {aliases} YAML aliases in {} bytes could expand past {MAX_EXPANSION_BYTES} bytes",
            path.display(),
            first.unwrap_or(1),
            text.len()
        ))
        .hint("write the values out, or use fewer aliases"));
    }
    Ok(())
}

/// Fails on flow collections nested deeper than [`MAX_DEPTH`], before parsing.
/// Brackets inside quoted strings, comments and block scalars do not count.
pub fn check_depth(path: &Path, text: &str) -> Result<(), UserError> {
    let mut depth = 0usize;
    scan(text, |line, c, _| {
        match c {
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(UserError::usage(format!(
                        "{}:{line}: brackets nest more than {MAX_DEPTH} deep",
                        path.display(),
                    )));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        Ok(())
    })
}

/// Rejects YAML tags and duplicate keys anywhere in `text`.
pub fn check_plain_yaml(path: &Path, text: &str) -> Result<(), UserError> {
    scan(text, |line, c, starts_token| {
        if c == '!' && starts_token {
            let tag: String = text
                .lines()
                .nth(line - 1)
                .unwrap_or_default()
                .split_whitespace()
                .find(|w| w.trim_start_matches(['[', '{', ',', ':']).starts_with('!'))
                .unwrap_or("!")
                .trim_start_matches(['[', '{', ',', ':'])
                .to_owned();
            return Err(UserError::usage(format!(
                "{}:{line}: YAML tag `{tag}` is not supported",
                path.display()
            ))
            .hint("write the value as a plain string; quote it if it starts with `!`"));
        }
        Ok(())
    })?;
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Err(err) if err.to_string().contains("duplicate entry") => {
            Err(yaml_error(path, &err).hint("each key may appear once in a mapping"))
        }
        // Other syntax errors are reported by the typed parse, with its context.
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_that_could_expand_past_the_budget_are_refused_before_parsing() {
        let big = "x".repeat(200_000);
        let wide = format!(
            "big: &b \"{big}\"\nlist: [{}]\n",
            vec!["*b"; 100].join(", ")
        );
        let err = check_aliases(p(), &wide).unwrap_err();
        assert!(
            err.message.starts_with("f.yaml:2: 100 YAML aliases in"),
            "{}",
            err.message
        );
        // A config's few aliases are fine; `*` inside quotes or as a glob is no alias.
        let ok = "a: &x [1]\nb: *x\nc: *x\nd: \"*not\"\ne: a*b\n";
        check_aliases(p(), ok).unwrap();
    }

    fn p() -> &'static Path {
        Path::new("f.yaml")
    }

    #[test]
    fn deep_brackets_fail_fast_with_their_line() {
        let text = format!("a: 1\nb: {}", "[".repeat(400 * 1024));
        let err = check_depth(p(), &text).unwrap_err();
        assert_eq!(err.message, "f.yaml:2: brackets nest more than 64 deep");
        let ok = format!("a: {}{}", "[".repeat(64), "]".repeat(64));
        check_depth(p(), &ok).unwrap();
        check_depth(
            p(),
            &format!("a: \"{}\" # {}", "[".repeat(100), "{".repeat(100)),
        )
        .unwrap();
    }

    #[test]
    fn invalid_utf8_names_the_line_and_a_bom_is_dropped() {
        let err = decode(p(), "config file", b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert!(
            err.message
                .starts_with("f.yaml:2: config file is not UTF-8"),
            "{}",
            err.message
        );
        assert_eq!(
            decode(p(), "x", b"\xef\xbb\xbfa: 1\n".to_vec()).unwrap(),
            "a: 1\n"
        );
    }

    #[test]
    fn tags_and_duplicate_keys_are_errors() {
        let err = check_plain_yaml(p(), "a: 1\nb: !!binary aGk=\n").unwrap_err();
        assert_eq!(
            err.message,
            "f.yaml:2: YAML tag `!!binary` is not supported"
        );
        let err = check_plain_yaml(p(), "a: [x, !Ref y]\n").unwrap_err();
        assert!(err.message.contains("`!Ref`"), "{}", err.message);
        check_plain_yaml(p(), "a: |\n  if ! grep x; then !!; fi\nb: c!\n").unwrap();
        let err = check_plain_yaml(p(), "m:\n  k: 1\n  k: 2\n").unwrap_err();
        assert!(err.message.contains("duplicate entry"), "{}", err.message);
        check_plain_yaml(p(), "a: \"!x\"\n").unwrap();
    }

    #[test]
    fn directories_and_devices_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(dir.path(), "config file").unwrap_err();
        assert!(
            err.message.ends_with("it is a directory"),
            "{}",
            err.message
        );
        let err = read(Path::new("/dev/zero"), "template").unwrap_err();
        assert!(
            err.message.contains("not a regular file"),
            "{}",
            err.message
        );
    }
}
