//! YAML and schema errors as `file:line:col: message`, with a "did you mean" hint.

use std::path::Path;

use crate::error::UserError;

/// A YAML or schema error as `file:line:col: message`, with a "did you mean" hint.
pub fn yaml_error(path: &Path, err: &serde_yaml::Error) -> UserError {
    let message = err.to_string();
    let message = strip_location(&message);
    let position = err
        .location()
        .map(|l| format!(":{}:{}", l.line(), l.column()))
        .unwrap_or_default();
    let mut error = UserError::usage(format!("{}{position}: {message}", path.display()));
    if let Some(hint) = did_you_mean(message) {
        error = error.hint(hint);
    }
    error
}

/// yaml_serde appends ` at line L column C`; we print the position up front.
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => &message[..i],
        _ => message,
    }
}

/// For `unknown field `x`, expected one of `a`, `b``: the closest valid key.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (unknown, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(unknown, c), *c))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, key)) => Some(format!("did you mean `{key}`?")),
        None if !candidates.is_empty() => {
            Some(format!("valid keys here: {}", candidates.join(", ")))
        }
        None => None,
    }
}
