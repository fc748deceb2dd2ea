//! Name resolution for `doctor`'s DNS check: the system resolver, or
//! `DYNROUTE_RESOLVE` (`NAME=ADDRESS,*.DOMAIN=ADDRESS`, like curl's
//! `--resolve`), which answers for the names it lists instead — for a setup
//! whose DNS is not live yet, and for tests, which must never ask real DNS.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::Duration;

use crate::error::UserError;

/// The variable that overrides name resolution.
pub const RESOLVE_VAR: &str = "DYNROUTE_RESOLVE";
/// The longest one lookup may take.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);
/// The most entries the variable may hold.
const MAX_ENTRIES: usize = 64;

/// Resolves names, the variable's entries first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolver {
    /// `(name or *.domain, address)`, lower-case.
    entries: Vec<(String, IpAddr)>,
}

impl Resolver {
    /// The entries of `value` (`a.example=127.0.0.1,*.example=127.0.0.2`).
    pub fn parse(value: &str) -> Result<Resolver, UserError> {
        let mut entries = Vec::new();
        for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let parsed = item.split_once('=').and_then(|(name, addr)| {
                let addr: IpAddr = addr.trim().parse().ok()?;
                let name = name.trim().to_ascii_lowercase();
                let plain = name.strip_prefix("*.").unwrap_or(&name);
                let ok = !plain.is_empty()
                    && plain
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
                ok.then_some((name, addr))
            });
            let Some(entry) = parsed else {
                return Err(UserError::usage(format!(
                    "{RESOLVE_VAR}: {} is not NAME=ADDRESS",
                    crate::error::quoted(item)
                ))
                .hint(format!(
                    "e.g. {RESOLVE_VAR}=api.dev.example.com=10.0.0.5,*.dev.example.com=10.0.0.5"
                )));
            };
            entries.push(entry);
        }
        if entries.len() > MAX_ENTRIES {
            return Err(UserError::usage(format!(
                "{RESOLVE_VAR}: {} entries; at most {MAX_ENTRIES}",
                entries.len()
            )));
        }
        Ok(Resolver { entries })
    }

    /// From the environment (no variable: the system resolver only).
    pub fn from_env() -> Result<Resolver, UserError> {
        match std::env::var(RESOLVE_VAR) {
            Ok(value) => Resolver::parse(&value),
            Err(_) => Ok(Resolver::default()),
        }
    }

    /// The variable's answer for `name`: an exact entry, else the wildcard of
    /// its parent domain.
    fn listed(&self, name: &str) -> Option<BTreeSet<IpAddr>> {
        let name = name.to_ascii_lowercase();
        let exact: BTreeSet<IpAddr> = self
            .entries
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, a)| *a)
            .collect();
        if !exact.is_empty() {
            return Some(exact);
        }
        let parent = name.split_once('.').map(|(_, p)| format!("*.{p}"))?;
        let wild: BTreeSet<IpAddr> = self
            .entries
            .iter()
            .filter(|(n, _)| *n == parent)
            .map(|(_, a)| *a)
            .collect();
        (!wild.is_empty()).then_some(wild)
    }

    /// The addresses of `name` (an IP literal is itself); an error text when
    /// it does not resolve.
    pub async fn lookup(&self, name: &str) -> Result<BTreeSet<IpAddr>, String> {
        let bare = name.trim_matches(['[', ']']);
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Ok(BTreeSet::from([ip]));
        }
        if let Some(listed) = self.listed(name) {
            return Ok(listed);
        }
        match tokio::time::timeout(LOOKUP_TIMEOUT, tokio::net::lookup_host((name, 443))).await {
            Ok(Ok(addrs)) => {
                let found: BTreeSet<IpAddr> = addrs.map(|a| a.ip()).collect();
                match found.is_empty() {
                    true => Err(format!("{name} has no address")),
                    false => Ok(found),
                }
            }
            Ok(Err(e)) => Err(format!("{name} does not resolve ({e})")),
            Err(_) => Err(format!(
                "looking up {name} took more than {}s",
                LOOKUP_TIMEOUT.as_secs()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn listed_names_and_wildcards_answer_before_the_system() {
        let r = Resolver::parse("api.dev.test=127.0.0.1, *.dev.test=127.0.0.2").unwrap();
        let one = |ip: &str| BTreeSet::from([ip.parse::<IpAddr>().unwrap()]);
        assert_eq!(r.lookup("API.dev.test").await.unwrap(), one("127.0.0.1"));
        assert_eq!(
            r.lookup("api--feature-1.dev.test").await.unwrap(),
            one("127.0.0.2")
        );
        assert_eq!(r.lookup("127.0.0.9").await.unwrap(), one("127.0.0.9"));
        assert!(r.listed("a.b.other.test").is_none());
        for bad in ["api.dev.test", "x=notanip", "bad name=127.0.0.1"] {
            assert!(Resolver::parse(bad).is_err(), "{bad}");
        }
    }
}
