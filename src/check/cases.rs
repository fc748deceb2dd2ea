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
    pub service: String,
    /// The version the case is about (main for plain requests).
    pub version: String,
    pub kind: CaseKind,
    pub host: String,
    pub path: String,
    /// Request header lines, in order.
    pub headers: Vec<Header>,
    /// The `X-Dynroute-Version` that must answer.
    pub expect_version: String,
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
    pub service: String,
    pub hosts: Vec<String>,
    pub path: String,
    /// Live versions of this service (main included when deployed).
    pub versions: BTreeSet<String>,
}

/// What the routing promises, from the project config.
#[derive(Debug, Clone)]
pub struct Routing {
    pub baggage_key: String,
    pub main_version: String,
    /// Versions tried in order, before main, for a route to a version the service lacks.
    pub fallback: Vec<String>,
    /// The browser cookie that selects a version (None: no cookie routers).
    pub cookie: Option<String>,
    /// Version hosts `{service}--{version}.{domain}` are on for this domain.
    pub version_host_domain: Option<String>,
    /// Per-service pins `{key}.{service}=V` are routed.
    pub pins: bool,
}

/// The longest DNS label: longer `{service}--{version}` names get no version host.
const MAX_LABEL: usize = 63;

impl Routing {
    /// The version that answers a request that names `requested` (None: no route).
    pub fn resolve(&self, table: &ServiceTable, requested: Option<&str>) -> String {
        let Some(requested) = requested else {
            return self.main_version.clone();
        };
        if table.versions.contains(requested) {
            return requested.to_owned();
        }
        self.fallback
            .iter()
            .find(|tier| table.versions.contains(tier.as_str()))
            .cloned()
            .unwrap_or_else(|| self.main_version.clone())
    }
}

/// Which versions to generate version cases for (empty: all live ones).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub versions: Vec<String>,
}

/// Every case for the given services, in a stable order.
pub fn generate(tables: &[ServiceTable], routing: &Routing, filter: &Filter) -> Vec<Case> {
    let wanted = |v: &str| filter.versions.is_empty() || filter.versions.iter().any(|f| f == v);
    // Versions some checked service runs: a route to one of them on a service that
    // does not run it is the fallback case.
    let everywhere: BTreeSet<&str> = tables
        .iter()
        .flat_map(|t| t.versions.iter().map(String::as_str))
        .filter(|v| wanted(v))
        .collect();
    let key = &routing.baggage_key;
    let main = routing.main_version.as_str();
    let mut cases = Vec::new();
    for table in tables {
        let mut push = |version: &str,
                        kind: CaseKind,
                        host: &str,
                        header: Option<(&str, String)>,
                        requested: Option<&str>| {
            cases.push(Case {
                id: format!("{}/{version}/{}@{host}", table.service, kind.as_str()),
                service: table.service.clone(),
                version: version.to_owned(),
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
                push(main, CaseKind::Plain, host, None, None);
            }
        }
        let Some(first) = table.hosts.first() else {
            continue;
        };
        for version in table.versions.iter().filter(|v| wanted(v)) {
            let v = Some(version.as_str());
            for host in &table.hosts {
                push(
                    version,
                    CaseKind::Baggage,
                    host,
                    baggage(format!("{key}={version}")),
                    v,
                );
            }
            if let Some(domain) = &routing.version_host_domain {
                let label = format!("{}--{version}", table.service);
                if label.len() <= MAX_LABEL {
                    push(
                        version,
                        CaseKind::VersionHost,
                        &format!("{label}.{domain}"),
                        None,
                        v,
                    );
                }
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
                let pin = format!("{key}.{}={version}", table.service);
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
            if version.len() > 1 {
                let prefix = &version[..version.len() - 1];
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
                baggage(format!("x{key}={version}")),
                None,
            );
            push(
                version,
                CaseKind::InsideValue,
                first,
                baggage(format!("other={key}={version}")),
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
        if !routing.fallback.is_empty() {
            for version in everywhere
                .iter()
                .filter(|v| !table.versions.contains(**v) && **v != main)
            {
                push(
                    version,
                    CaseKind::Fallback,
                    first,
                    baggage(format!("{key}={version}")),
                    Some(version),
                );
            }
        }
    }
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(service: &str, hosts: &[&str], versions: &[&str]) -> ServiceTable {
        ServiceTable {
            service: service.into(),
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            path: "/health".into(),
            versions: versions.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn routing(fallback: &[&str]) -> Routing {
        Routing {
            baggage_key: "dynamic_route".into(),
            main_version: "main".into(),
            fallback: fallback.iter().map(|v| v.to_string()).collect(),
            cookie: None,
            version_host_domain: None,
            pins: false,
        }
    }

    fn find<'a>(cases: &'a [Case], id: &str) -> &'a Case {
        cases.iter().find(|c| c.id == id).unwrap_or_else(|| {
            panic!(
                "no case {id}: {:?}",
                cases.iter().map(|c| &c.id).collect::<Vec<_>>()
            )
        })
    }

    #[test]
    fn every_version_gets_its_member_and_near_misses() {
        let tables = [
            table("api", &["api.x"], &["main", "feature-1", "feature-10"]),
            table("web", &["web.x", "www.x"], &["main"]),
        ];
        let cases = generate(&tables, &routing(&[]), &Filter::default());
        let c = find(&cases, "api/feature-1/baggage@api.x");
        assert_eq!(c.headers[0].name, "baggage");
        assert_eq!(c.headers[0].value, "dynamic_route=feature-1");
        assert_eq!(c.expect_version, "feature-1");
        // feature-10 is live, so the longer member of feature-1 reaches it.
        assert_eq!(
            find(&cases, "api/feature-1/longer-version@api.x").expect_version,
            "feature-10"
        );
        assert_eq!(
            find(&cases, "api/feature-10/longer-version@api.x").expect_version,
            "main"
        );
        let prefix = find(&cases, "api/feature-1/version-prefix@api.x");
        assert_eq!(prefix.headers[0].value, "dynamic_route=feature-");
        assert_eq!(prefix.expect_version, "main");
        assert_eq!(
            find(&cases, "api/feature-1/key-prefix@api.x").headers[0].value,
            "xdynamic_route=feature-1"
        );
        assert_eq!(
            find(&cases, "api/feature-1/inside-value@api.x").headers[0].value,
            "other=dynamic_route=feature-1"
        );
        let plain = find(&cases, "web/main/plain@www.x");
        assert!(plain.headers.is_empty());
        assert_eq!(plain.expect_version, "main");
        // api: plain + main baggage + 2 versions × (1 baggage + 4 near misses);
        // web: 2 plain + 2 main baggage.
        assert_eq!(cases.len(), 2 + 2 * 5 + 4);
        let ids: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), cases.len(), "ids are unique");
    }

    #[test]
    fn a_service_without_main_still_expects_main_for_plain_requests() {
        let cases = generate(
            &[table("web", &["web.x"], &["feature-1"])],
            &routing(&[]),
            &Filter::default(),
        );
        assert_eq!(find(&cases, "web/main/plain@web.x").expect_version, "main");
        assert_eq!(
            find(&cases, "web/feature-1/baggage@web.x").expect_version,
            "feature-1"
        );
    }

    #[test]
    fn routes_to_missing_versions_reach_the_first_live_fallback_tier() {
        let r = routing(&["shadow", "staging"]);
        let with_staging = table("api", &["api.x"], &["main", "staging", "feature-1"]);
        assert_eq!(r.resolve(&with_staging, Some("nope")), "staging");
        assert_eq!(r.resolve(&with_staging, None), "main");
        let cases = generate(&[with_staging], &r, &Filter::default());
        assert_eq!(
            find(&cases, "api/feature-1/longer-version@api.x").expect_version,
            "staging"
        );
        assert_eq!(
            find(&cases, "api/feature-1/key-prefix@api.x").expect_version,
            "main"
        );
        let none = table("api", &["api.x"], &["main"]);
        assert_eq!(r.resolve(&none, Some("nope")), "main");
    }

    #[test]
    fn a_version_filter_keeps_only_those_versions() {
        let tables = [table("api", &["api.x"], &["main", "a", "b"])];
        let filter = Filter {
            versions: vec!["b".into()],
        };
        let cases = generate(&tables, &routing(&[]), &filter);
        assert!(cases.iter().all(|c| c.version == "b"), "{cases:?}");
        // A one-letter version has no prefix case.
        assert_eq!(cases.len(), 4);
    }

    #[test]
    fn every_way_in_gets_its_cases_where_configured() {
        let tables = [
            table("api", &["api.x"], &["main", "shadow", "feature-1"]),
            table("web", &["web.x"], &["main", "feature-2"]),
        ];
        let r = Routing {
            cookie: Some("dynamic_route".into()),
            version_host_domain: Some("x".into()),
            pins: true,
            ..routing(&["shadow"])
        };
        let cases = generate(&tables, &r, &Filter::default());
        let host = find(&cases, "api/feature-1/version-host@api--feature-1.x");
        assert!(host.headers.is_empty());
        assert_eq!(host.expect_version, "feature-1");
        let cookie = find(&cases, "api/feature-1/cookie@api.x");
        assert_eq!(
            (
                cookie.headers[0].name.as_str(),
                cookie.headers[0].value.as_str()
            ),
            ("cookie", "dynamic_route=feature-1")
        );
        assert_eq!(
            find(&cases, "api/feature-1/cookie-prefix@api.x").expect_version,
            "main"
        );
        let pin = find(&cases, "web/feature-2/pin@web.x");
        assert_eq!(pin.headers[0].value, "dynamic_route.web=feature-2");
        assert_eq!(pin.expect_version, "feature-2");
        // feature-2 runs on web only: on api a route to it reaches the shadow tier;
        // web has no shadow, so feature-1 falls back to main there.
        assert_eq!(
            find(&cases, "api/feature-2/fallback@api.x").expect_version,
            "shadow"
        );
        assert_eq!(
            find(&cases, "web/feature-1/fallback@web.x").expect_version,
            "main"
        );
        assert_eq!(
            find(&cases, "web/shadow/fallback@web.x").expect_version,
            "main"
        );
        assert_eq!(
            find(&cases, "api/main/version-host@api--main.x").expect_version,
            "main"
        );
        let ids: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), cases.len(), "ids are unique");
        // Without the ways in, none of their kinds appear.
        let plain = generate(&tables, &routing(&[]), &Filter::default());
        assert!(plain.iter().all(|c| !matches!(
            c.kind,
            CaseKind::VersionHost
                | CaseKind::Cookie
                | CaseKind::CookiePrefix
                | CaseKind::Pin
                | CaseKind::Fallback
        )));
    }
}
