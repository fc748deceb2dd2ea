//! One read of the inventory as the catalog serves it: a row per version with
//! its ways in (the header, the link that sets the cookie, version hosts, a
//! curl line, the link's QR code) and its pull request link; filters and pages
//! (pure).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::Timestamp;
use serde::Serialize;

use crate::config::{Ingress, Project, ServiceSettings};
use crate::engine::inventory::VersionView;
use crate::engine::ways_in::{self, EntryKind};
use crate::report::LsRow;
use crate::routing::baggage;

/// The last good read of the inventory, and the last failure when there is one.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// When the rows were read (`None`: not yet).
    pub taken_at: Option<Timestamp>,
    /// Shared with the next snapshot when a refresh fails.
    pub rows: std::sync::Arc<Vec<Row>>,
    /// The last refresh failed: when and why (the rows are older).
    pub error: Option<RefreshError>,
    /// Counts the reads that changed the snapshot.
    pub generation: u64,
}

/// A refresh that failed.
#[derive(Debug, Clone, Serialize)]
pub struct RefreshError {
    pub at: Timestamp,
    pub message: String,
}

/// How a person or a phone gets to the version.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WaysIn {
    /// `baggage: dynamic_route=V`.
    pub header: String,
    /// The link that sets the cookie and redirects to `/` (first service's).
    pub link: Option<String>,
    /// `https://S--V.domain/` per service.
    pub version_hosts: Vec<String>,
    /// One curl line per routed service.
    pub curl: Vec<String>,
}

/// One version: `ls --json`'s fields, its ways in and its pull request link.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub ls: LsRow,
    pub ways_in: WaysIn,
    /// The pull / merge request (from the `dynroute:repo` and `dynroute:pr` tags).
    pub pr_url: Option<String>,
    /// The QR code of the link, as an SVG element: drawn the first time it is
    /// asked for (`/qr/{version}.svg`), not on every refresh — a refresh of
    /// 5,000 versions drew 5,000 codes nobody had asked for.
    #[serde(skip)]
    qr_svg: OnceLock<Option<String>>,
    /// What a routing proof depends on: revisions and counts per service.
    #[serde(skip)]
    pub fingerprint: String,
}

impl Row {
    pub fn version(&self) -> &VersionView {
        &self.ls.version
    }

    /// Whether the version's link has a QR code.
    pub fn has_qr(&self) -> bool {
        (self.ways_in.link.as_deref()).is_some_and(super::qr::encodable)
    }

    /// The QR code of the version's link (`None`: no link, or too long).
    pub fn qr_svg(&self) -> Option<&str> {
        self.qr_svg
            .get_or_init(|| self.ways_in.link.as_deref().and_then(super::qr::svg))
            .as_deref()
    }
}

/// The rows of `views`.
pub fn rows(project: &Project, views: Vec<VersionView>, pr_url: &str) -> Vec<Row> {
    let ingress = match &project.ingress {
        Some(Ingress::Url(url)) => Some(url.as_str()),
        _ => None,
    };
    LsRow::for_views(project, views)
        .into_iter()
        .map(|ls| {
            let view = &ls.version;
            let deployed: Vec<&ServiceSettings> = (view.services.iter())
                .filter_map(|s| project.services.get(&s.service))
                .collect();
            let header = baggage::header_line(&project.baggage_key, &view.version);
            let ways = ways_in::for_release(project, &view.version, &deployed);
            let version_hosts = (ways.ways_in.values().flatten())
                .filter(|e| e.kind == EntryKind::VersionHost)
                .map(|e| e.value.trim().to_owned())
                .collect();
            let curl = ways_in::curl_lines(Some(&deployed), ingress, &header);
            let fingerprint = (view.services.iter())
                .map(|s| {
                    format!(
                        "{}={}@{}/{}",
                        s.ecs_service, s.task_definition, s.running, s.desired
                    )
                })
                .collect::<Vec<_>>()
                .join(";");
            let pr_url = match (&view.repo, view.pr) {
                (Some(repo), Some(pr)) if is_repo_path(repo) => Some(
                    pr_url
                        .replace("{repo}", repo)
                        .replace("{pr}", &pr.to_string()),
                ),
                _ => None,
            };
            Row {
                ways_in: WaysIn {
                    header,
                    link: ways.link,
                    version_hosts,
                    curl,
                },
                pr_url,
                qr_svg: OnceLock::new(),
                fingerprint,
                ls,
            }
        })
        .collect()
}

/// `acme/shop`: a repository path that can go into a URL as it is.
fn is_repo_path(repo: &str) -> bool {
    !repo.is_empty()
        && repo.len() <= 200
        && repo.contains('/')
        && repo
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
        && !repo.contains("..")
}

/// The filters of `/` and `/api/versions` (unknown parameters are ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub project: Option<String>,
    pub service: Option<String>,
    pub owner: Option<String>,
    pub pr: Option<u64>,
}

impl Filter {
    /// From query parameters; empty values are no filter, a PR that is not a
    /// number matches nothing.
    pub fn from_query(query: &BTreeMap<String, String>) -> Filter {
        let get = |k: &str| {
            query
                .get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Filter {
            project: get("project"),
            service: get("service"),
            owner: get("owner"),
            pr: get("pr").map(|p| p.trim_start_matches('#').parse().unwrap_or(0)),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    pub fn matches(&self, row: &Row) -> bool {
        let v = row.version();
        self.project
            .as_ref()
            .is_none_or(|p| v.projects.iter().any(|x| x == p))
            && (self.service.as_ref())
                .is_none_or(|s| v.services.iter().any(|x| x.service.as_str() == s))
            && (self.owner.as_ref()).is_none_or(|o| {
                v.owner
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(o))
            })
            && self.pr.is_none_or(|pr| v.pr == Some(pr))
    }
}

/// One page of the rows that match.
pub struct Page<'a> {
    pub rows: Vec<&'a Row>,
    /// 1-based.
    pub number: usize,
    pub pages: usize,
    pub matching: usize,
}

/// Page `number` (1-based; out of range: the last) of the rows `filter` matches.
pub fn page<'a>(rows: &'a [Row], filter: &Filter, number: usize, size: usize) -> Page<'a> {
    let matching: Vec<&Row> = rows.iter().filter(|r| filter.matches(r)).collect();
    let size = size.max(1);
    let pages = matching.len().div_ceil(size).max(1);
    let number = number.clamp(1, pages);
    let total = matching.len();
    Page {
        rows: matching
            .into_iter()
            .skip((number - 1) * size)
            .take(size)
            .collect(),
        number,
        pages,
        matching: total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_paths_and_filters() {
        assert!(is_repo_path("acme/shop"));
        for bad in [
            "",
            "acme",
            "a/../b",
            "acme/shop\"><script>",
            "acme/shop?x=1",
        ] {
            assert!(!is_repo_path(bad), "{bad}");
        }
        let q: BTreeMap<String, String> = [
            ("owner", "alice"),
            ("pr", "#12"),
            ("service", ""),
            ("utm_source", "x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let f = Filter::from_query(&q);
        assert_eq!(
            f,
            Filter {
                owner: Some("alice".into()),
                pr: Some(12),
                ..Filter::default()
            }
        );
        assert!(Filter::from_query(&BTreeMap::new()).is_empty());
    }
}
