//! The requests that prove a routing table, and the version each must reach.
//!
//! For every checked service: a plain request per host reaches main. For every
//! live version of it: the baggage member per host reaches that version, and
//! near misses (a longer version, a prefix of it, the key with a prefix, our
//! member inside another member's value) reach what the routing promises for
//! them: the version they name when it is live, else the first live fallback
//! tier, else main. Every other way in adds its own: the version host (when
//! version hosts are on), the cookie and its near miss, the per-service pin, and,
//! with fallback tiers, a route to a version the service does not run.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::config::Project;
use crate::naming::{ServiceName, Version};
use crate::routing::baggage::member;
use crate::routing::{BaggageKey, CookieName, Hostname, WaysIn, pin_key, version_host};

/// How a case asks for its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseKind {
    /// No route at all: main.
    Plain,
    /// `baggage: {key}={version}`.
    Baggage,
    /// `baggage: {key}={version}0`: a version that shares a prefix.
    LongerVersion,
    /// `baggage: {key}={prefix of version}`.
    VersionPrefix,
    /// `baggage: x{key}={version}`: another key that ends in ours.
    KeyPrefix,
    /// `baggage: other={key}={version}`: our member inside another member's value.
    InsideValue,
    /// `Host: {service}--{version}.{domain}`, no header.
    VersionHost,
    /// `Cookie: {cookie}={version}`.
    Cookie,
    /// `Cookie: x{cookie}={version}`: another cookie that ends in ours.
    CookiePrefix,
    /// `baggage: {key}.{service}={version}`: the pin of this service.
    Pin,
    /// `baggage: {key}={version}` on a service that does not run the version.
    Fallback,
}

impl CaseKind {
    /// The kebab-case name used in case ids and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Plain => "plain",
            CaseKind::Baggage => "baggage",
            CaseKind::LongerVersion => "longer-version",
            CaseKind::VersionPrefix => "version-prefix",
            CaseKind::KeyPrefix => "key-prefix",
            CaseKind::InsideValue => "inside-value",
            CaseKind::VersionHost => "version-host",
            CaseKind::Cookie => "cookie",
            CaseKind::CookiePrefix => "cookie-prefix",
            CaseKind::Pin => "pin",
            CaseKind::Fallback => "fallback",
        }
    }
}

/// One request and what must answer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// Stable and unique: `{service}/{version}/{kind}@{host}`.
    pub id: String,
    pub service: ServiceName,
    /// The version the case is about (main for plain requests).
    pub version: Version,
    pub kind: CaseKind,
    pub host: String,
    pub path: String,
    /// Request header lines, in order.
    pub headers: Vec<Header>,
    /// The `X-Dynroute-Version` that must answer.
    pub expect_version: Version,
}

/// One request header line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// A service as the cases need it: its hosts and path, and its live versions.
#[derive(Debug, Clone)]
pub struct ServiceTable {
    pub service: ServiceName,
    pub hosts: Vec<Hostname>,
    pub path: String,
    /// Live versions of this service (main included when deployed).
    pub versions: BTreeSet<Version>,
}

/// What the routing promises, from the project config.
#[derive(Debug, Clone)]
pub struct Routing {
    pub baggage_key: BaggageKey,
    pub main_version: Version,
    /// The fallback tiers and version hosts, as the config gives them.
    pub ways: WaysIn,
    /// The browser cookie that selects a version (None: no cookie routers).
    pub cookie: Option<CookieName>,
    /// Per-service pins `{key}.{service}=V` are routed.
    pub pins: bool,
}

impl Routing {
    /// What the project's config promises: every way in is routed.
    pub fn of(project: &Project) -> Routing {
        Routing {
            baggage_key: project.baggage_key.clone(),
            main_version: project.main_version.clone(),
            ways: project.ways_in.clone(),
            cookie: Some(project.ways_in.cookie.clone()),
            pins: true,
        }
    }

    /// The version that answers a request that names `requested` (None: no route).
    /// `requested` is a string because a near miss (a prefix of a version)
    /// need not be a valid version name.
    pub fn resolve(&self, table: &ServiceTable, requested: Option<&str>) -> Version {
        let Some(requested) = requested else {
            return self.main_version.clone();
        };
        if let Some(live) = table.versions.iter().find(|v| v.as_str() == requested) {
            return live.clone();
        }
        self.ways
            .fallback
            .iter()
            .find(|tier| table.versions.contains(*tier))
            .cloned()
            .unwrap_or_else(|| self.main_version.clone())
    }
}

/// Which versions to generate version cases for (empty: all live ones).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub versions: Vec<Version>,
}

/// Every case for the given services, in a stable order.
pub fn generate(tables: &[ServiceTable], routing: &Routing, filter: &Filter) -> Vec<Case> {
    let wanted = |v: &Version| filter.versions.is_empty() || filter.versions.contains(v);
    // Versions some checked service runs: a route to one of them on a service that
    // does not run it is the fallback case.
    let everywhere: BTreeSet<&Version> = tables
        .iter()
        .flat_map(|t| t.versions.iter())
        .filter(|v| wanted(v))
        .collect();
    let key = &routing.baggage_key;
    let main = &routing.main_version;
    let mut cases = Vec::new();
    for table in tables {
        let mut push = |version: &Version,
                        kind: CaseKind,
                        host: &str,
                        header: Option<(&str, String)>,
                        requested: Option<&str>| {
            cases.push(Case {
                id: format!("{}/{version}/{}@{host}", table.service, kind.as_str()),
                service: table.service.clone(),
                version: version.clone(),
                kind,
                host: host.to_owned(),
                path: table.path.clone(),
                headers: header
                    .map(|(name, value)| {
                        vec![Header {
                            name: name.to_owned(),
                            value,
                        }]
                    })
                    .unwrap_or_default(),
                expect_version: routing.resolve(table, requested),
            });
        };
        let baggage = |value: String| Some(("baggage", value));
        if wanted(main) {
            for host in &table.hosts {
                push(main, CaseKind::Plain, host.as_str(), None, None);
            }
        }
        let Some(first) = table.hosts.first().map(Hostname::as_str) else {
            continue;
        };
        for version in table.versions.iter().filter(|v| wanted(v)) {
            let v = Some(version.as_str());
            for host in &table.hosts {
                push(
                    version,
                    CaseKind::Baggage,
                    host.as_str(),
                    baggage(member(key, version)),
                    v,
                );
            }
            if let Some(host) = version_host(&routing.ways, &table.service, version) {
                push(version, CaseKind::VersionHost, host.as_str(), None, v);
            }
            if let Some(cookie) = &routing.cookie {
                push(
                    version,
                    CaseKind::Cookie,
                    first,
                    Some(("cookie", format!("{cookie}={version}"))),
                    v,
                );
            }
            if routing.pins {
                let pin = format!("{}={version}", pin_key(key, &table.service));
                push(version, CaseKind::Pin, first, baggage(pin), v);
            }
            if version == main {
                continue; // near misses of main reach main whatever happens
            }
            let longer = format!("{version}0");
            push(
                version,
                CaseKind::LongerVersion,
                first,
                baggage(format!("{key}={longer}")),
                Some(&longer),
            );
            if version.as_str().len() > 1 {
                let prefix = &version.as_str()[..version.as_str().len() - 1];
                push(
                    version,
                    CaseKind::VersionPrefix,
                    first,
                    baggage(format!("{key}={prefix}")),
                    Some(prefix),
                );
            }
            push(
                version,
                CaseKind::KeyPrefix,
                first,
                baggage(format!("x{}", member(key, version))),
                None,
            );
            push(
                version,
                CaseKind::InsideValue,
                first,
                baggage(format!("other={}", member(key, version))),
                None,
            );
            if let Some(cookie) = &routing.cookie {
                push(
                    version,
                    CaseKind::CookiePrefix,
                    first,
                    Some(("cookie", format!("x{cookie}={version}"))),
                    None,
                );
            }
        }
        if !routing.ways.fallback.is_empty() {
            for version in everywhere
                .iter()
                .filter(|v| !table.versions.contains(**v) && *v != &main)
            {
                push(
                    version,
                    CaseKind::Fallback,
                    first,
                    baggage(member(key, version)),
                    Some(version.as_str()),
                );
            }
        }
    }
    cases
}

#[cfg(test)]
mod tests;
