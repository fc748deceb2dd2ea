//! The `limits:` check `up` runs for a new version, before any write.

use super::inventory;
use crate::config::{Project, Ttl};
use crate::ecs::Ecs;
use crate::limits::{self, Candidate};
use crate::release::{Release, RenderedService};

/// Lists every managed version on the cluster and refuses `release` when it is
/// new and a limit is reached. No call at all when no limit is configured.
pub async fn check_new_version(
    ecs: &dyn Ecs,
    project: &Project,
    release: &Release,
    ttl_arg: Option<&str>,
    services: &[RenderedService],
) -> anyhow::Result<()> {
    if !project.limits.any() {
        return Ok(());
    }
    // Already validated while rendering the release.
    let ttl = ttl_arg
        .and_then(|t| t.parse::<Ttl>().ok())
        .unwrap_or(project.ttl);
    // Limits count every project's versions on the shared cluster.
    let live = inventory::list(ecs, project, &super::scope::Scope::All, release.now).await?;
    let candidate = Candidate {
        version: release.version.as_str(),
        owner: &release.owner,
        protected: project.is_protected(&release.version),
        desired_counts: services
            .iter()
            .map(|s| (s.settings.name.as_str(), s.settings.desired_count))
            .collect(),
        ttl,
    };
    limits::check(&project.limits, &live, &candidate)?;
    Ok(())
}
