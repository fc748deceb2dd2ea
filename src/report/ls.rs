//! `ls`'s report: one row per version, main first.

use std::collections::BTreeMap;
use std::fmt;

use console::style;
use jiff::Timestamp;
use serde::Serialize;

use super::Report;
use crate::engine::inventory::{VersionStatus, VersionView, age};
use crate::naming::ServiceName;
use crate::naming::tags::Expiry;
use crate::routing::Tier;
use crate::ui::table;

/// A version with the URLs of its services (for the services this project declares).
#[derive(Debug, Clone, Serialize)]
pub struct LsRow {
    #[serde(flatten)]
    pub version: VersionView,
    pub urls: Vec<String>,
    /// Declared services without this version, and what answers there instead.
    pub served_elsewhere: BTreeMap<ServiceName, Tier>,
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
}

impl fmt::Display for LsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rows.is_empty() {
            return Ok(());
        }
        let now = self.now;
        let mut t = table::new(&[
            "VERSION", "PROJECT", "SERVICES", "STATUS", "OWNER", "PR", "AGE", "EXPIRES", "IMAGE",
            "URL",
        ]);
        for LsRow {
            version: v, urls, ..
        } in &self.rows
        {
            let services: Vec<String> = v.services.iter().map(|s| s.label()).collect();
            let status = match v.status {
                VersionStatus::Failed => style(v.status).red().to_string(),
                VersionStatus::Deploying | VersionStatus::Draining => {
                    style(v.status).yellow().to_string()
                }
                VersionStatus::Running { .. } => style(v.status).green().to_string(),
            };
            let expires = match v.expires_at.as_deref().and_then(Expiry::parse) {
                _ if v.protected => "never (protected)".to_owned(),
                Some(Expiry::Never) => "never".to_owned(),
                Some(Expiry::At(_)) if v.expired => style("expired").red().to_string(),
                Some(Expiry::At(at)) => format!("in {}", age(now, at)),
                None => "-".to_owned(),
            };
            t.add_row(vec![
                v.version.to_string(),
                projects(v),
                services.join(","),
                status,
                v.owner.clone().unwrap_or_else(|| "-".into()),
                v.pr.map_or_else(|| "-".into(), |pr| format!("#{pr}")),
                v.created_at.map_or_else(|| "-".into(), |c| age(c, now)),
                expires,
                v.image_tag.clone().unwrap_or_else(|| "-".into()),
                urls.join(" "),
            ]);
        }
        writeln!(f, "{t}")?;
        // Only fallback tiers need saying: everything else not deployed falls back to main.
        for row in &self.rows {
            let tiers: Vec<String> = row
                .served_elsewhere
                .iter()
                .filter(|(_, tier)| matches!(tier, Tier::Fallback(_)))
                .map(|(service, tier)| format!("{service} → {} (fallback)", tier.version()))
                .collect();
            if !tiers.is_empty() {
                writeln!(f, "{}: {}", row.version.version, tiers.join(", "))?;
            }
        }
        Ok(())
    }
}

/// The projects of a version, `-` for services deployed before projects existed.
pub(super) fn projects(v: &VersionView) -> String {
    match v.projects.is_empty() {
        true => "-".to_owned(),
        false => v.projects.join(","),
    }
}
