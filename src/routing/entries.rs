//! What a person or program uses to reach a version (the header, a pin, the
//! cookie, the version host, the link), and which version answers a request
//! that names a version, given what is deployed: for `header`, `up`, `ls`, `status`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::config::{Ingress, Project};
use crate::naming::{ServiceName, Version, resource_name};

use super::{Hostname, WaysIn, pin_key, use_path};

/// The longest DNS label (RFC 1035); a version host's first label must fit.
pub const MAX_LABEL: usize = 63;

/// `{service}--{version}.{domain}` when version hosts are on and the label fits.
pub fn version_host(ways: &WaysIn, service: &ServiceName, version: &Version) -> Option<Hostname> {
    let domain = ways.version_host_domain.as_ref()?;
    let label = resource_name(service, version);
    if label.len() > MAX_LABEL {
        return None;
    }
    format!("{label}.{domain}").parse().ok()
}

/// Why `{service}--{version}` cannot be a version host, if it cannot.
pub fn check_version_host(
    ways: &WaysIn,
    service: &ServiceName,
    version: &Version,
) -> Result<(), String> {
    let Some(domain) = &ways.version_host_domain else {
        return Ok(());
    };
    let label = resource_name(service, version);
    if label.len() > MAX_LABEL {
        return Err(format!(
            "the version host `{label}.{domain}` has a first label of {} characters; DNS allows at most {MAX_LABEL}",
            label.len()
        ));
    }
    format!("{label}.{domain}")
        .parse::<Hostname>()
        .map(|_| ())
        .map_err(|e| format!("the version host of `{service}` at `{version}`: {e}"))
}

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// `baggage: dynamic_route=V`, for every service.
    Header,
    /// `baggage: dynamic_route.S=V`, for this service only.
    Pin,
    /// `Cookie: dynamic_route=V`, what a browser sends after the link.
    Cookie,
    /// `https://S--V.domain/`.
    VersionHost,
    /// `https://HOST/_dynroute/use/V`, sets the cookie and redirects to `/`.
    Link,
}

/// One way to reach a version of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub kind: EntryKind,
    pub value: String,
}

/// The scheme of printed URLs: the ingress URL's, else `https`.
fn scheme(project: &Project) -> &str {
    match &project.ingress {
        Some(Ingress::Url(url)) if url.starts_with("http://") => "http",
        _ => "https",
    }
}

/// Every way in to `version` of `service`.
pub fn entry_points(project: &Project, version: &Version, service: &ServiceName) -> Vec<Entry> {
    let key = &project.baggage_key;
    let ways = &project.ways_in;
    let scheme = scheme(project);
    let mut out = vec![
        Entry {
            kind: EntryKind::Header,
            value: format!("baggage: {key}={version}"),
        },
        Entry {
            kind: EntryKind::Pin,
            value: format!("baggage: {}={version}", pin_key(key, service)),
        },
        Entry {
            kind: EntryKind::Cookie,
            value: format!("Cookie: {}={version}", ways.cookie),
        },
    ];
    if let Some(host) = version_host(ways, service, version) {
        out.push(Entry {
            kind: EntryKind::VersionHost,
            value: format!("{scheme}://{host}/"),
        });
    }
    if let Some(settings) = project.services.get(service) {
        out.extend(settings.hosts.iter().map(|host| Entry {
            kind: EntryKind::Link,
            value: format!("{scheme}://{host}{}", use_path(version)),
        }));
    }
    out
}

/// The browser ways in to `version` of `service` as summary lines:
/// `version host: URL` and `link: URL` (the first host's).
pub fn summary_lines(project: &Project, version: &Version, service: &ServiceName) -> Vec<String> {
    let entries = entry_points(project, version, service);
    let first = |kind: EntryKind| entries.iter().find(|e| e.kind == kind);
    let mut out = Vec::new();
    if let Some(host) = first(EntryKind::VersionHost) {
        out.push(format!("version host: {}", host.value));
    }
    if let Some(link) = first(EntryKind::Link) {
        out.push(format!("link: {}", link.value));
    }
    out
}

/// Which version answers a request for a version on one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "tier", content = "version", rename_all = "snake_case")]
pub enum Tier {
    /// The requested version is deployed for the service.
    Requested(Version),
    /// The first version of `fallback` deployed for the service.
    Fallback(Version),
    /// Nothing else is: main answers.
    Main(Version),
}

impl Tier {
    /// The version that answers.
    pub fn version(&self) -> &Version {
        match self {
            Tier::Requested(v) | Tier::Fallback(v) | Tier::Main(v) => v,
        }
    }
}

/// The tier that serves a request naming `requested`, given the versions `live`
/// (deployed and routed) for the service.
pub fn serving_tier(
    ways: &WaysIn,
    main: &Version,
    requested: &Version,
    live: &BTreeSet<Version>,
) -> Tier {
    if live.contains(requested) {
        return Tier::Requested(requested.clone());
    }
    match ways.fallback.iter().find(|f| live.contains(*f)) {
        Some(f) => Tier::Fallback(f.clone()),
        None => Tier::Main(main.clone()),
    }
}

/// For every declared service in `services` that does not run `version`, the
/// tier that answers a request for it, given the versions each service runs.
pub fn served_elsewhere(
    ways: &WaysIn,
    main: &Version,
    version: &Version,
    services: &[&ServiceName],
    running: &BTreeMap<ServiceName, BTreeSet<Version>>,
) -> BTreeMap<ServiceName, Tier> {
    let none = BTreeSet::new();
    services
        .iter()
        .map(|s| {
            let live = running.get(*s).unwrap_or(&none);
            ((*s).clone(), serving_tier(ways, main, version, live))
        })
        .filter(|(_, tier)| !matches!(tier, Tier::Requested(_)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    fn ways(fallback: &[&str]) -> WaysIn {
        WaysIn {
            version_host_domain: Some("dev.example.com".parse().unwrap()),
            fallback: fallback.iter().map(|f| v(f)).collect(),
            ..WaysIn::default()
        }
    }

    #[test]
    fn tiers_go_requested_then_fallback_in_order_then_main() {
        let w = ways(&["shadow", "staging"]);
        let live = |vs: &[&str]| vs.iter().map(|s| v(s)).collect::<BTreeSet<_>>();
        let main = v("main");
        let f1 = v("feature-1");
        assert_eq!(
            serving_tier(&w, &main, &f1, &live(&["main", "feature-1", "shadow"])),
            Tier::Requested(f1.clone())
        );
        assert_eq!(
            serving_tier(&w, &main, &f1, &live(&["main", "staging", "shadow"])),
            Tier::Fallback(v("shadow"))
        );
        assert_eq!(
            serving_tier(&w, &main, &f1, &live(&["main", "staging"])),
            Tier::Fallback(v("staging"))
        );
        assert_eq!(
            serving_tier(&w, &main, &f1, &live(&["main"])),
            Tier::Main(main.clone())
        );
        assert_eq!(
            serving_tier(&ways(&[]), &main, &f1, &live(&["shadow"])),
            Tier::Main(main)
        );
    }

    #[test]
    fn services_without_the_version_name_their_tier() {
        let w = ways(&["shadow"]);
        let (api, web, ui): (ServiceName, ServiceName, ServiceName) = (
            "api".parse().unwrap(),
            "web".parse().unwrap(),
            "ui".parse().unwrap(),
        );
        let running: BTreeMap<ServiceName, BTreeSet<Version>> = [
            (api.clone(), [v("main"), v("feature-1")].into()),
            (web.clone(), [v("main"), v("shadow")].into()),
        ]
        .into();
        let got = served_elsewhere(
            &w,
            &v("main"),
            &v("feature-1"),
            &[&api, &web, &ui],
            &running,
        );
        assert_eq!(
            got,
            [
                (web, Tier::Fallback(v("shadow"))),
                (ui, Tier::Main(v("main")))
            ]
            .into()
        );
    }

    fn project(extra: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dynroute.yaml");
        std::fs::write(
            &path,
            format!("cluster: dev\ndomain: dev.test\n{extra}services:\n  api:\n    template: t.yaml\n    port: 80\n    hosts: [api.dev.test, api2.dev.test]\n"),
        )
        .unwrap();
        crate::config::load(&path, &Default::default()).unwrap()
    }

    #[test]
    fn entry_points_list_every_way_in() {
        let p = project("ingress:\n  url: http://127.0.0.1:1\nbrowser:\n  cookie: dr\n");
        let api: ServiceName = "api".parse().unwrap();
        let got: Vec<(EntryKind, String)> = entry_points(&p, &v("feature-1"), &api)
            .into_iter()
            .map(|e| (e.kind, e.value))
            .collect();
        let want = [
            (EntryKind::Header, "baggage: dynamic_route=feature-1"),
            (EntryKind::Pin, "baggage: dynamic_route.api=feature-1"),
            (EntryKind::Cookie, "Cookie: dr=feature-1"),
            (EntryKind::VersionHost, "http://api--feature-1.dev.test/"),
            (
                EntryKind::Link,
                "http://api.dev.test/_dynroute/use/feature-1",
            ),
            (
                EntryKind::Link,
                "http://api2.dev.test/_dynroute/use/feature-1",
            ),
        ];
        let want: Vec<(EntryKind, String)> =
            want.iter().map(|(k, s)| (*k, s.to_string())).collect();
        assert_eq!(got, want);
        assert_eq!(
            summary_lines(&p, &v("feature-1"), &api),
            [
                "version host: http://api--feature-1.dev.test/",
                "link: http://api.dev.test/_dynroute/use/feature-1"
            ]
        );
        // No ingress URL: https; no version hosts: no such entry.
        let p = project("browser:\n  version_hosts: false\n");
        let lines = summary_lines(&p, &v("x"), &api);
        assert_eq!(lines, ["link: https://api.dev.test/_dynroute/use/x"]);
    }

    #[test]
    fn version_hosts_respect_the_dns_label_limit() {
        let w = ways(&[]);
        let s: ServiceName = "api".parse().unwrap();
        assert_eq!(
            version_host(&w, &s, &v("feature-1")).unwrap().as_str(),
            "api--feature-1.dev.example.com"
        );
        let long = v(&"a".repeat(40));
        let long_service: ServiceName = "a".repeat(22).parse().unwrap();
        assert!(check_version_host(&w, &long_service, &long).is_err());
        assert!(version_host(&w, &long_service, &long).is_none());
        let fits: ServiceName = "a".repeat(21).parse().unwrap();
        assert!(check_version_host(&w, &fits, &long).is_ok());
        assert!(version_host(&WaysIn::default(), &s, &v("x")).is_none());
    }
}
