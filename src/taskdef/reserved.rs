//! Reserved label and tag prefixes, compared the way their owners compare them.
//!
//! Traefik matches the `traefik.` label prefix with Go's `strings.EqualFold`
//! (Unicode simple case folding), so `Traefik.http…` or `traefi\u{212A}.…` (Kelvin
//! sign) is still read as a Traefik label; AWS reserves `aws:` tag keys in any
//! case. A template must not get past a check that Traefik or AWS would not.

/// Label prefixes dynroute generates.
pub const LABEL_PREFIXES: &[&str] = &["traefik.", "dynroute."];
/// Tag key prefixes no template may use.
pub const TAG_PREFIXES: &[&str] = &["dynroute:", "aws:"];

/// Whether `key` starts with `prefix` (ASCII) under simple case folding.
pub fn has_prefix(key: &str, prefix: &str) -> bool {
    let mut key = key.chars();
    prefix
        .chars()
        .all(|p| key.next().is_some_and(|k| fold(k) == fold(p)))
}

/// The reserved prefix in `prefixes` that `key` starts with, if any.
pub fn reserved_prefix(key: &str, prefixes: &[&'static str]) -> Option<&'static str> {
    prefixes.iter().copied().find(|p| has_prefix(key, p))
}

/// Maps every character whose simple case-folding orbit contains an ASCII
/// letter onto that lowercase letter; other characters are left alone (they
/// can never equal an ASCII prefix character).
fn fold(c: char) -> char {
    match c {
        '\u{212A}' => 'k', // KELVIN SIGN
        '\u{017F}' => 's', // LATIN SMALL LETTER LONG S
        c => c.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_like_go_equal_fold() {
        for key in [
            "traefik.enable",
            "Traefik.http.routers.x.rule",
            "TRAEFIK.enable",
            "traefi\u{212A}.enable",
            "TRAEFI\u{212A}.enable",
        ] {
            assert_eq!(
                reserved_prefix(key, LABEL_PREFIXES),
                Some("traefik."),
                "{key}"
            );
        }
        for key in ["Dynroute.version", "DYNROUTE.x"] {
            assert_eq!(
                reserved_prefix(key, LABEL_PREFIXES),
                Some("dynroute."),
                "{key}"
            );
        }
        for key in [
            "Dynroute:version",
            "AWS:x",
            "Aws:cloudformation",
            "dynroute:managed",
        ] {
            assert!(reserved_prefix(key, TAG_PREFIXES).is_some(), "{key}");
        }
        assert!(has_prefix("\u{017F}ervice", "service"));
        for key in [
            "traefik",
            "traefik-x",
            "tra\u{0130}fik.x",
            "app.traefik.x",
            "awsx:y",
            "aws",
            "dynroute-x",
        ] {
            assert_eq!(reserved_prefix(key, LABEL_PREFIXES), None, "{key}");
            assert_eq!(reserved_prefix(key, TAG_PREFIXES), None, "{key}");
        }
    }
}
