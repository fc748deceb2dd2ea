//! `ls`'s report: one row per version, main first.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::Timestamp;
use serde::Serialize;

use super::Report;
use super::durations::{age, until};
use crate::config::Project;
use crate::engine::inventory::{VersionStatus, VersionView};
use crate::engine::ways_in;
use crate::naming::tags::Expiry;
use crate::naming::{ServiceName, Version};
use crate::routing;
use crate::routing::Tier;
use crate::ui::table::{self, Cell, Color};

/// A version with the URLs of its services (for the services this project declares).
#[derive(Debug, Clone, Serialize)]
pub struct LsRow {
    #[serde(flatten)]
    pub version: VersionView,
    pub urls: Vec<String>,
    /// Declared services without this version, and what answers there instead.
    pub served_elsewhere: BTreeMap<ServiceName, Tier>,
}

impl LsRow {
    /// The rows of `views` for `project`: each version with the URL that
    /// reaches it per deployed service, and what answers for the declared
    /// services it does not run (shared by `ls` and the catalog).
    pub fn for_views(project: &Project, views: Vec<VersionView>) -> Vec<LsRow> {
        let mut running: BTreeMap<ServiceName, BTreeSet<Version>> = BTreeMap::new();
        for view in &views {
            for s in &view.services {
                running
                    .entry(s.service.clone())
                    .or_default()
                    .insert(view.version.clone());
            }
        }
        let declared: Vec<&ServiceName> = project.services.keys().collect();
        views
            .into_iter()
            .map(|version| LsRow {
                urls: (version.services.iter())
                    .filter_map(|s| project.services.get(&s.service))
                    .filter_map(|settings| ways_in::url_of(project, &version.version, settings))
                    .collect(),
                served_elsewhere: if version.version == project.main_version {
                    BTreeMap::new()
                } else {
                    routing::served_elsewhere(
                        &project.ways_in,
                        &project.main_version,
                        &version.version,
                        &declared,
                        &running,
                    )
                },
                version,
            })
            .collect()
    }
}

/// The result of `ls`: serialised as the list of rows.
#[derive(Debug, Clone)]
pub struct LsReport {
    pub rows: Vec<LsRow>,
    /// When the listing was taken (ages and expiries are relative to it).
    pub now: Timestamp,
}

impl Serialize for LsReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rows.serialize(s)
    }
}

impl Report for LsReport {
    fn markdown(&self) -> Option<String> {
        Some(self.to_markdown())
    }

    fn wide(&self) -> Option<String> {
        Some(self.table(true))
    }
}

impl fmt::Display for LsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.table(false))
    }
}

impl LsReport {
    /// The table: VERSION, SERVICES, STATUS, OWNER, AGE, EXPIRES (fits 100
    /// columns), LAST REQUEST once the activity recorder wrote one; `wide`
    /// adds PROJECT, PR, IMAGE and the URLs (and LAST REQUEST always).
    fn table(&self, wide: bool) -> String {
        if self.rows.is_empty() {
            return String::new();
        }
        let now = self.now;
        let activity = wide || self.rows.iter().any(|r| r.version.last_request.is_some());
        let mut headers: Vec<&str> = match wide {
            true => vec![
                "VERSION", "PROJECT", "SERVICES", "STATUS", "OWNER", "PR", "AGE", "EXPIRES",
                "IMAGE", "URL",
            ],
            false => vec!["VERSION", "SERVICES", "STATUS", "OWNER", "AGE", "EXPIRES"],
        };
        if activity {
            headers.insert(if wide { 8 } else { 6 }, "LAST REQUEST");
        }
        let headers = &headers[..];
        // The default view fits the terminal; the wide one keeps every cell whole.
        let mut t = match wide {
            true => table::new(headers),
            false => table::fitted(headers),
        };
        for LsRow {
            version: v, urls, ..
        } in &self.rows
        {
            let services: Vec<String> = v.services.iter().map(|s| s.label()).collect();
            let status = match v.status {
                VersionStatus::Failed => table::cell(v.status, Color::Red),
                VersionStatus::Deploying | VersionStatus::Draining => {
                    table::cell(v.status, Color::Yellow)
                }
                VersionStatus::Running { .. } => table::cell(v.status, Color::Green),
            };
            let expires = match v.expires_at.as_deref().and_then(Expiry::parse) {
                _ if v.protected => Cell::new("never (protected)"),
                Some(Expiry::Never) => Cell::new("never"),
                Some(Expiry::At(_)) if v.expired => table::cell("expired", Color::Red),
                Some(Expiry::At(at)) => Cell::new(format!("in {}", until(now, at))),
                None => Cell::new("-"),
            };
            let owner = Cell::new(v.owner.as_deref().unwrap_or("-"));
            let age = Cell::new(v.created_at.map_or_else(|| "-".into(), |c| age(c, now)));
            let last = Cell::new(last_request(v, now));
            let mut row = match wide {
                true => vec![
                    Cell::new(&v.version),
                    Cell::new(projects(v)),
                    Cell::new(services.join(",")),
                    status,
                    owner,
                    Cell::new(v.pr.map_or_else(|| "-".into(), |pr| format!("#{pr}"))),
                    age,
                    expires,
                    Cell::new(v.image_tag.as_deref().unwrap_or("-")),
                    Cell::new(urls.join(" ")),
                ],
                false => vec![
                    Cell::new(&v.version),
                    Cell::new(services.join(",")),
                    status,
                    owner,
                    age,
                    expires,
                ],
            };
            if activity {
                row.insert(if wide { 8 } else { 6 }, last);
            }
            t.add_row(row);
        }
        let mut out = format!("{t}\n");
        // Only fallback tiers need saying: everything else not deployed falls back to main.
        for row in &self.rows {
            let tiers: Vec<String> = row
                .served_elsewhere
                .iter()
                .filter(|(_, tier)| matches!(tier, Tier::Fallback(_)))
                .map(|(service, tier)| format!("{service} → {} (fallback)", tier.version()))
                .collect();
            if !tiers.is_empty() {
                out.push_str(&format!("{}: {}\n", row.version.version, tiers.join(", ")));
            }
        }
        out
    }
}

/// When a version last had a request: `5m ago`, or `-` when none was recorded.
pub(super) fn last_request(v: &VersionView, now: Timestamp) -> String {
    v.last_request
        .map_or_else(|| "-".into(), |at| format!("{} ago", age(at, now)))
}

/// The projects of a version, `-` for services deployed before projects existed.
pub(super) fn projects(v: &VersionView) -> String {
    match v.projects.is_empty() {
        true => "-".to_owned(),
        false => v.projects.join(","),
    }
}
