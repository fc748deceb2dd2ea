//! ECS's tag restrictions: how many tags, which keys and values.

use crate::naming::provenance::is_tag_char;

/// ECS accepts at most this many tags on a resource.
pub const MAX_TAGS: usize = 50;

/// Whether `key` and `value` are a tag ECS accepts.
pub fn tag_ok(key: &str, value: &str) -> Result<(), String> {
    let chars = |s: &str| s.chars().count();
    if chars(key) == 0 || chars(key) > 128 {
        return Err(format!(
            "tag key {key:?} is {} characters; ECS takes 1 to 128",
            chars(key)
        ));
    }
    if chars(value) > 256 {
        return Err(format!(
            "the value of tag {key:?} is {} characters; ECS takes at most 256",
            chars(value)
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(format!(
            "tag key {key:?} starts with `aws:`, which AWS reserves"
        ));
    }
    for (what, text) in [("key", key), ("value", value)] {
        if !text.chars().all(is_tag_char) {
            return Err(format!(
                "tag {what} {text:?} has characters ECS refuses: only letters, digits, spaces and _ . : / = + - @"
            ));
        }
    }
    Ok(())
}
