//! The `dynroute:*` tags on services, tasks and task definitions.
//!
//! Tags are the only state dynroute keeps: ownership, provenance and expiry all
//! live on the AWS resources, so every laptop and CI job sees the same truth.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::naming::provenance::tag_value;
use crate::naming::{ProjectName, ServiceName, Version};

pub const MANAGED: &str = "dynroute:managed";
pub const SERVICE: &str = "dynroute:service";
pub const VERSION: &str = "dynroute:version";
pub const OWNER: &str = "dynroute:owner";
pub const CREATED_AT: &str = "dynroute:created-at";
pub const UPDATED_AT: &str = "dynroute:updated-at";
pub const EXPIRES_AT: &str = "dynroute:expires-at";
pub const GIT_SHA: &str = "dynroute:git-sha";
pub const CI_URL: &str = "dynroute:ci-url";
pub const IMAGE_TAG: &str = "dynroute:image-tag";
/// The project (repository) a service belongs to.
pub const PROJECT: &str = "dynroute:project";
/// The repository CI deployed from, e.g. `acme/shop`.
pub const REPO: &str = "dynroute:repo";
/// The pull / merge request number CI deployed for.
pub const PR: &str = "dynroute:pr";
/// On services only: the task definition the last `up` deployed, so `ls` can
/// tell a rolled-back service without extra calls.
pub const TASK_DEFINITION: &str = "dynroute:task-definition";
/// On services: the SHA-256 of the normalised task definition the last `up`
/// rendered, so an `up` with nothing changed need not read the revision back.
pub const RENDER_DIGEST: &str = "dynroute:render-digest";
/// On services: when Traefik last counted a request for it (the activity
/// recorder writes it; RFC 3339, kept to within a few minutes).
pub const LAST_REQUEST: &str = "dynroute:last-request";
/// On services: each Traefik replica's request count the recorder last wrote.
pub const REQUESTS: &str = "dynroute:requests";
/// On one protected service of a project: the activity recorder's heartbeat.
pub const ACTIVITY: &str = "dynroute:activity";

/// The tags the activity recorder owns: `up` leaves them as they are.
pub fn is_activity_tag(key: &str) -> bool {
    matches!(key, LAST_REQUEST | REQUESTS | ACTIVITY)
}

/// When a version expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Never,
    At(Timestamp),
}

impl Expiry {
    /// The tag value: RFC 3339 or `never`.
    pub fn tag(&self) -> String {
        match self {
            Expiry::Never => "never".to_owned(),
            Expiry::At(ts) => rfc3339(*ts),
        }
    }

    /// Parses a tag value; `None` for anything unreadable.
    pub fn parse(value: &str) -> Option<Expiry> {
        if value == "never" {
            return Some(Expiry::Never);
        }
        value.parse().ok().map(Expiry::At)
    }

    /// Whether the version has expired at `now`.
    pub fn is_expired(&self, now: Timestamp) -> bool {
        matches!(self, Expiry::At(ts) if *ts <= now)
    }
}

/// RFC 3339 in UTC with second precision, e.g. `2026-11-22T10:00:00Z`.
pub fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// [`serialize_time`] for a time that is always known.
pub fn serialize_timestamp<S: serde::Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    serialize_time(&Some(*ts), s)
}

/// How times are written in JSON reports: RFC 3339 in UTC with milliseconds,
/// e.g. `2026-11-22T10:00:00.120Z` (`null` when unknown).
pub fn serialize_time<S: serde::Serializer>(
    ts: &Option<Timestamp>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match ts {
        Some(ts) => s.collect_str(&ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ")),
        None => s.serialize_none(),
    }
}

/// The tags one deployment writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployTags {
    pub service: ServiceName,
    pub version: Version,
    pub project: ProjectName,
    pub repo: Option<String>,
    pub pr: Option<u64>,
    pub owner: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub expires: Expiry,
    pub git_sha: Option<String>,
    pub ci_url: Option<String>,
    /// The `{{ image_tag }}` of the deployment, so `ls` can show it without extra calls.
    pub image_tag: String,
}

impl DeployTags {
    /// Key/value pairs in a stable order, values made valid for AWS.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            (MANAGED, "true".to_owned()),
            (SERVICE, self.service.to_string()),
            (VERSION, self.version.to_string()),
            (PROJECT, self.project.to_string()),
            (OWNER, tag_value(&self.owner)),
            (CREATED_AT, rfc3339(self.created_at)),
            (UPDATED_AT, rfc3339(self.updated_at)),
            (EXPIRES_AT, self.expires.tag()),
            (IMAGE_TAG, tag_value(&self.image_tag)),
        ];
        if let Some(sha) = &self.git_sha {
            pairs.push((GIT_SHA, tag_value(sha)));
        }
        if let Some(url) = &self.ci_url {
            pairs.push((CI_URL, tag_value(url)));
        }
        if let Some(repo) = &self.repo {
            pairs.push((REPO, tag_value(repo)));
        }
        if let Some(pr) = self.pr {
            pairs.push((PR, pr.to_string()));
        }
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

/// Whether a resource's tags mark it as managed by dynroute.
pub fn is_managed(tags: &BTreeMap<String, String>) -> bool {
    tags.get(MANAGED).is_some_and(|v| v == "true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_carry_every_design_tag() {
        let t: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let tags = DeployTags {
            service: "api".parse().unwrap(),
            version: "feature-1".parse().unwrap(),
            project: "shop".parse().unwrap(),
            repo: Some("acme/shop".into()),
            pr: Some(42),
            owner: "a@b.c".into(),
            created_at: t,
            updated_at: t,
            expires: Expiry::At("2026-11-25T10:00:00Z".parse().unwrap()),
            git_sha: Some("abc".into()),
            ci_url: Some("https://ci/x?y=1".into()),
            image_tag: "abc".into(),
        };
        let pairs: BTreeMap<_, _> = tags.to_pairs().into_iter().collect();
        assert_eq!(pairs[MANAGED], "true");
        assert_eq!(pairs[EXPIRES_AT], "2026-11-25T10:00:00Z");
        assert_eq!(pairs[CREATED_AT], "2026-11-22T10:00:00Z");
        assert_eq!(pairs[CI_URL], "https://ci/x_y=1");
        assert!(is_managed(&pairs));
        assert_eq!(pairs[PROJECT], "shop");
        assert_eq!(pairs[REPO], "acme/shop");
        assert_eq!(pairs[PR], "42");
        assert_eq!(pairs.len(), 13);
        assert_eq!(pairs[IMAGE_TAG], "abc");
    }

    #[test]
    fn expiry_round_trips_and_compares() {
        let at = Expiry::parse("2026-11-25T10:00:00Z").unwrap();
        assert!(at.is_expired("2026-11-25T10:00:00Z".parse().unwrap()));
        assert!(!at.is_expired("2026-11-25T09:59:59Z".parse().unwrap()));
        assert_eq!(Expiry::parse("never"), Some(Expiry::Never));
        assert!(!Expiry::Never.is_expired(Timestamp::MAX));
        assert_eq!(Expiry::parse("soon"), None);
    }
}
