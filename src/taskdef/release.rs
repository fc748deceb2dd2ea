//! What one `up` (or `render`) releases: the version plus who, what commit, and when.

use jiff::Timestamp;

use crate::config::{Project, Ttl};
use crate::naming::tags::{DeployTags, Expiry};
use crate::naming::{ProjectName, ServiceName, Version};
use crate::template::GitVars;

/// The shared facts of one release, for every service in it.
#[derive(Debug, Clone)]
pub struct Release {
    pub version: Version,
    /// The project every service of this release belongs to.
    pub project: ProjectName,
    /// CI's repository and pull request, when CI runs this release.
    pub repo: Option<String>,
    pub pr: Option<u64>,
    pub image_tag: String,
    pub owner: String,
    pub git: GitVars,
    pub ci_url: Option<String>,
    pub now: Timestamp,
    pub expires: Expiry,
    /// `--set key=value` overrides of service vars.
    pub var_overrides: Vec<(String, String)>,
}

/// When a version deployed `now` expires: protected versions never do.
pub fn expiry(project: &Project, version: &Version, ttl: Option<Ttl>, now: Timestamp) -> Expiry {
    if project.is_protected(version) {
        return Expiry::Never;
    }
    match ttl.unwrap_or(project.ttl) {
        Ttl::Never => Expiry::Never,
        Ttl::After(d) => match jiff::SignedDuration::try_from(d)
            .ok()
            .and_then(|d| now.checked_add(d).ok())
        {
            Some(ts) => Expiry::At(ts),
            None => Expiry::Never,
        },
    }
}

impl Release {
    /// The tags for one service of this release; `created_at` is kept from an
    /// existing deployment when there is one.
    pub fn tags(&self, service: &ServiceName, created_at: Option<Timestamp>) -> DeployTags {
        DeployTags {
            service: service.clone(),
            version: self.version.clone(),
            project: self.project.clone(),
            repo: self.repo.clone(),
            pr: self.pr,
            owner: self.owner.clone(),
            created_at: created_at.unwrap_or(self.now),
            updated_at: self.now,
            expires: self.expires,
            git_sha: (!self.git.sha.is_empty()).then(|| self.git.sha.clone()),
            ci_url: self.ci_url.clone(),
            image_tag: self.image_tag.clone(),
        }
    }
}

/// One service of a release, with its rendered task definition (tags not yet added).
#[derive(Debug, Clone)]
pub struct RenderedService {
    pub settings: crate::config::ServiceSettings,
    pub ecs_name: String,
    pub task_definition: crate::taskdef::TaskDefinition,
}

/// The one test fixture of a release: project `shop`, owner `alice`, image tag
/// `t1`, at 2026-11-22T10:00:00Z, never expiring.
#[cfg(test)]
impl Release {
    pub fn fixture(version: &str) -> Release {
        Release {
            version: version.parse().expect("a fixture version"),
            project: "shop".parse().expect("a fixture project"),
            repo: None,
            pr: None,
            image_tag: "t1".into(),
            owner: "alice".into(),
            git: GitVars::default(),
            ci_url: None,
            now: "2026-11-22T10:00:00Z".parse().expect("a fixture time"),
            expires: Expiry::Never,
            var_overrides: vec![],
        }
    }
}
