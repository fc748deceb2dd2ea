//! What a person or program uses to reach a version of a service: the header,
//! a pin, the cookie, the version host and the link, as `header`, `up`, `ls`
//! and `status` print them.

use serde::Serialize;

use crate::config::{Ingress, Project};
use crate::naming::{ServiceName, Version};
use crate::routing::baggage::{header_line, pin_line};
use crate::routing::{use_path, version_host};

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
    // A worker (`routing: none`) has no way in.
    if project.services.get(service).is_some_and(|s| !s.routed) {
        return Vec::new();
    }
    let key = &project.baggage_key;
    let ways = &project.ways_in;
    let scheme = scheme(project);
    let mut out = vec![
        Entry {
            kind: EntryKind::Header,
            value: header_line(key, version),
        },
        Entry {
            kind: EntryKind::Pin,
            value: pin_line(key, service, version),
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

/// The URL that reaches `version` of a service in a browser: the service's own
/// URL for main, else the version host, else the link that sets the cookie.
pub fn url_of(
    project: &Project,
    version: &Version,
    service: &crate::config::ServiceSettings,
) -> Option<String> {
    if *version == project.main_version {
        return service.urls().into_iter().next();
    }
    let entries = entry_points(project, version, &service.name);
    let of = |kind| {
        entries
            .iter()
            .find(|e| e.kind == kind)
            .map(|e| e.value.clone())
    };
    of(EntryKind::VersionHost).or_else(|| of(EntryKind::Link))
}

/// Single-quotes a word for POSIX shells.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One ready curl command per service of `services` — the ones that run the
/// version, so each line reaches it (`None`: no config, a generic line) —
/// through `ingress` (a base URL) when there is one.
pub fn curl_lines(
    services: Option<&[&crate::config::ServiceSettings]>,
    ingress: Option<&str>,
    header: &str,
) -> Vec<String> {
    let header = shell_quote(header);
    let Some(services) = services else {
        return vec![format!("curl -H {header} \"$URL\"")];
    };
    services
        .iter()
        .filter(|service| service.routed)
        .map(|service| {
            let host = &service.hosts[0];
            let path = service.path();
            match ingress {
                Some(url) => format!(
                    "curl -H {} -H {header} {}",
                    shell_quote(&format!("Host: {host}")),
                    shell_quote(&format!("{url}{path}"))
                ),
                _ => format!(
                    "curl -H {header} {}",
                    shell_quote(&format!("http://{host}{path}"))
                ),
            }
        })
        .collect()
}

/// What `up` prints about the ways in to a release: per service its entries,
/// the summary lines, the URLs ([`url_of`]) and the first link.
#[derive(Debug, Clone, Default)]
pub struct ReleaseWays {
    pub ways_in: std::collections::BTreeMap<String, Vec<Entry>>,
    pub entry_lines: Vec<String>,
    pub urls: Vec<String>,
    pub link: Option<String>,
}

/// The ways in to `version` of `services`.
pub fn for_release(
    project: &Project,
    version: &Version,
    services: &[&crate::config::ServiceSettings],
) -> ReleaseWays {
    let mut out = ReleaseWays::default();
    for s in services {
        let name = &s.name;
        let entries = entry_points(project, version, name);
        let of = |kind| {
            entries
                .iter()
                .find(|e| e.kind == kind)
                .map(|e| e.value.clone())
        };
        out.urls.extend(url_of(project, version, s));
        if out.link.is_none() {
            out.link = of(EntryKind::Link);
        }
        out.ways_in.insert(name.to_string(), entries);
        for line in summary_lines(project, version, name) {
            out.entry_lines.push(format!("{name}: {line}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
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
}
