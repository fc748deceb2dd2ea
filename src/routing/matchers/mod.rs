//! Go RE2 expressions for Traefik's header matchers: the baggage list member,
//! the per-service pin, the cookie, and the "any route" forms the fallback tiers use.
//!
//! Traefik checks a header matcher against each header line on its own, unanchored,
//! so every expression anchors itself on the list separators of its grammar.

use crate::naming::{ServiceName, Version};

use super::{BaggageKey, CookieName};

/// The characters a version name is made of, for the "any version" matchers.
pub const ANY_VERSION: &str = "[a-z0-9][a-z0-9-]*";

/// A Go RE2 expression matching one `baggage` header line that carries `key=version`
/// as a list member, following the W3C Baggage grammar (see the module tests).
///
/// With duplicate keys the LAST member wins, as in the OpenTelemetry SDKs: every
/// member after ours must have another key. RE2 has no lookahead, so "another
/// key" is spelled out by [`other_key_member`].
pub fn baggage_regex(key: &BaggageKey, version: &Version) -> String {
    let escaped = regex_escape(key.as_str());
    let others = other_key_member(key.as_str());
    // Member start, OWS, key, OWS `=` OWS, value, OWS, optional properties,
    // then only members with other keys up to the end.
    format!(r"(?:^|,)\s*{escaped}\s*=\s*{version}\s*(?:;[^,]*)?(?:,{others})*$")
}

/// A list member whose key is not `key`: its key stops short of `key`,
/// differs from it at some character, or continues past it.
fn other_key_member(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let in_class = |c: char| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c.to_string()
        } else {
            format!("\\{c}")
        }
    };
    // After the whole key: more key characters (a longer key).
    let mut rest = r"[^,\s=;][^,]*".to_owned();
    for (i, c) in chars.iter().enumerate().rev() {
        let blank = if i == 0 { r"\s" } else { "" };
        let differs = format!("[^,{blank}{}][^,]*", in_class(*c));
        rest = format!("(?:{differs}|{}(?:{rest})?)", regex_escape(&c.to_string()));
    }
    format!(r"\s*(?:{rest})?")
}

/// The baggage key of a per-service pin: `{key}.{service}` (`dynamic_route.api`).
pub fn pin_key(key: &BaggageKey, service: &ServiceName) -> BaggageKey {
    format!("{key}.{service}")
        .parse()
        .expect("a baggage key, `.` and a service name make a baggage key")
}

/// The baggage member that pins `service` to `version`.
pub fn pin_regex(key: &BaggageKey, service: &ServiceName, version: &Version) -> String {
    baggage_regex(&pin_key(key, service), version)
}

/// A `baggage` line with a `key=` member naming any version.
pub fn any_baggage_regex(key: &BaggageKey) -> String {
    let key = regex_escape(key.as_str());
    format!(r"(?:^|,)\s*{key}\s*=\s*{ANY_VERSION}\s*(?:;[^,]*)?(?:,|$)")
}

/// A `baggage` line pinning `service` to any version.
pub fn any_pin_regex(key: &BaggageKey, service: &ServiceName) -> String {
    any_baggage_regex(&pin_key(key, service))
}

/// A `Cookie` line (RFC 6265 §4.2.1: `name=value` pairs joined by `; `) carrying
/// the cookie `name` with the value `version`, optionally double-quoted.
/// Whitespace around the separators is tolerated, as browsers and curl differ.
pub fn cookie_regex(name: &CookieName, version: &Version) -> String {
    cookie_pair(name, &format!(r#"(?:{version}|"{version}")"#))
}

/// A `Cookie` line carrying the cookie `name` with any version.
pub fn any_cookie_regex(name: &CookieName) -> String {
    cookie_pair(name, &format!(r#"(?:{ANY_VERSION}|"{ANY_VERSION}")"#))
}

fn cookie_pair(name: &CookieName, value: &str) -> String {
    let name = regex_escape(name.as_str());
    format!(r"(?:^|;)\s*{name}={value}\s*(?:;|$)")
}

/// Escapes the RE2 metacharacters a baggage key or cookie name may contain.
pub fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
