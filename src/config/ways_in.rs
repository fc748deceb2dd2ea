//! `fallback:` and `browser:` resolved into [`WaysIn`], with the checks that span
//! several fields: fallback versions against main and each other, version hosts
//! against `domain` and the DNS label limit, router priorities against the tiers.

use std::path::Path;

use crate::error::UserError;
use crate::naming::{ServiceName, Version};
use crate::routing::{
    BaggageKey, CookieName, Hostname, Priorities, TraefikSettings, WaysIn, check_version_host,
};

use super::locate;
use super::schema::BrowserFile;

/// What the checks need from the rest of the file.
pub struct Inputs<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub baggage_key: &'a BaggageKey,
    pub main_version: &'a Version,
    pub domain: Option<&'a Hostname>,
    pub traefik: &'a TraefikSettings,
    pub services: Vec<&'a ServiceName>,
    /// Every host of every service.
    pub hosts: Vec<&'a Hostname>,
}

impl Inputs<'_> {
    /// `file:line:col: message` at `keys`, or at the `nth` occurrence of `item` after them.
    fn at(&self, keys: &[&str], item: Option<(&str, usize)>, message: String) -> UserError {
        let position = position(self.text, keys, item)
            .map(|(l, c)| format!(":{l}:{c}"))
            .unwrap_or_default();
        UserError::usage(format!("{}{position}: {message}", self.path.display()))
    }
}

/// The 1-based line and column of `keys` (or of an item under them).
fn position(text: &str, keys: &[&str], item: Option<(&str, usize)>) -> Option<(usize, usize)> {
    let line = locate::line_of(text, keys)?;
    let lines: Vec<&str> = text.lines().collect();
    let Some((word, nth)) = item else {
        let l = lines[line - 1];
        return Some((line, l.len() - l.trim_start().len() + 1));
    };
    let mut seen = 0;
    for (i, l) in lines.iter().enumerate().skip(line - 1) {
        let bytes = l.as_bytes();
        let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        for (col, _) in l.match_indices(word) {
            let before = col.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(col + word.len()).copied();
            if before.is_none_or(|b| !word_char(b)) && after.is_none_or(|b| !word_char(b)) {
                if seen == nth {
                    return Some((i + 1, col + 1));
                }
                seen += 1;
            }
        }
    }
    Some((line, 1))
}

/// Resolves `fallback:` and `browser:` with their defaults.
pub fn resolve(
    inputs: &Inputs,
    fallback: Option<Vec<Version>>,
    browser: Option<BrowserFile>,
) -> Result<WaysIn, UserError> {
    let browser = browser.unwrap_or_default();
    let version_host_domain = match (browser.version_hosts, inputs.domain) {
        (Some(true), None) => {
            return Err(inputs
                .at(
                    &["browser", "version_hosts"],
                    None,
                    "browser.version_hosts needs `domain`: version hosts are `{service}--{version}.{domain}`".into(),
                )
                .hint("set `domain: dev.example.com` (one wildcard DNS record `*.dev.example.com` covers every version host), or remove `version_hosts`"));
        }
        (Some(false), _) | (None, None) => None,
        (_, Some(domain)) => Some(domain.clone()),
    };
    if let Some(domain) = &browser.cookie_domain {
        check_cookie_domain(inputs, domain)?;
    }
    let ways = WaysIn {
        cookie: browser
            .cookie
            .unwrap_or_else(|| CookieName::from(inputs.baggage_key)),
        cookie_domain: browser.cookie_domain.or_else(|| inputs.domain.cloned()),
        version_host_domain,
        fallback: fallback.unwrap_or_default(),
    };
    check_fallback(inputs, &ways)?;
    Priorities::derive(inputs.traefik, ways.fallback.len()).map_err(|message| {
        inputs
            .at(&["traefik", "priority"], None, message)
            .hint("the defaults (priority 1000, main_priority 1) leave room for 997 fallback tiers")
    })?;
    Ok(ways)
}

/// A browser drops a cookie whose `Domain` does not cover the host that set it.
fn check_cookie_domain(inputs: &Inputs, domain: &Hostname) -> Result<(), UserError> {
    let suffix = format!(".{domain}");
    match inputs
        .hosts
        .iter()
        .find(|h| h.as_str() != domain.as_str() && !h.as_str().ends_with(&suffix))
    {
        Some(host) => Err(inputs
            .at(
                &["browser", "cookie_domain"],
                None,
                format!(
                    "browser.cookie_domain `{domain}` does not cover the service host `{host}`: browsers would drop the cookie the link sets there"
                ),
            )
            .hint("set cookie_domain to a parent domain of every service host, e.g. the `domain`")),
        None => Ok(()),
    }
}

fn check_fallback(inputs: &Inputs, ways: &WaysIn) -> Result<(), UserError> {
    let hint = "`fallback` lists versions tried in order before main, e.g. `fallback: [shadow]`";
    for (i, version) in ways.fallback.iter().enumerate() {
        let nth = ways.fallback[..i].iter().filter(|v| *v == version).count();
        let at = |message: String| inputs.at(&["fallback"], Some((version.as_str(), nth)), message);
        if version == inputs.main_version {
            return Err(at(format!(
                "fallback names the main version `{version}`, which already answers last"
            ))
            .hint(hint));
        }
        if nth > 0 {
            return Err(at(format!("fallback names `{version}` twice")).hint(hint));
        }
        for service in &inputs.services {
            check_version_host(ways, service, version).map_err(|message| {
                at(format!(
                    "fallback `{version}` on service `{service}`: {message}"
                ))
                .hint("use a shorter version name, or set `browser: {version_hosts: false}`")
            })?;
        }
    }
    Ok(())
}

/// The same check for the version of one `up`, `render` or `header`.
pub fn check_version(
    ways: &WaysIn,
    services: &[&ServiceName],
    version: &Version,
) -> Result<(), UserError> {
    for service in services {
        check_version_host(ways, service, version).map_err(|message| {
            UserError::usage(format!("version `{version}` on service `{service}`: {message}"))
                .hint("use a shorter version name, or set `browser: {version_hosts: false}` in dynroute.yaml")
        })?;
    }
    Ok(())
}
