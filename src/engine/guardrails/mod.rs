//! Guardrails for a shared cluster: how many versions may live at once, per
//! owner, how many tasks one may run, and how long it may live (`limits:`).
//!
//! Shared dev clusters fill up when nothing stops them. A limit only ever
//! refuses the `up` of a NEW version, before any write, and says what counts
//! against it; updating a version that is already deployed is never blocked,
//! and protected versions (main, …) neither count nor are limited.

use super::inventory::{self, VersionView};
use crate::config::Limits;
use crate::config::{Project, Ttl};
use crate::ecs::Ecs;
use crate::error::{ExitKind, UserError};
use crate::naming::Version;
use crate::taskdef::release::{Release, RenderedService};

/// Lists every managed version on the cluster and refuses `release` when it is
/// new and a limit is reached. No call at all when no limit is configured.
pub async fn check_new_version(
    ecs: &dyn Ecs,
    project: &Project,
    release: &Release,
    ttl_arg: Option<Ttl>,
    services: &[RenderedService],
) -> anyhow::Result<()> {
    if !project.limits.any() {
        return Ok(());
    }
    let ttl = ttl_arg.unwrap_or(project.ttl);
    // Limits count every project's versions on the shared cluster.
    let live = inventory::list(ecs, project, &super::scope::Scope::All, release.now).await?;
    let candidate = Candidate {
        version: &release.version,
        owner: &release.owner,
        protected: project.is_protected(&release.version),
        desired_counts: services
            .iter()
            .map(|s| (s.settings.name.as_str(), s.settings.desired_count))
            .collect(),
        ttl,
    };
    check(&project.limits, &live, &candidate)?;
    Ok(())
}

/// The version `up` is about to deploy.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub version: &'a Version,
    pub owner: &'a str,
    pub protected: bool,
    /// `(service, desired_count)` of every service in the release.
    pub desired_counts: Vec<(&'a str, u32)>,
    pub ttl: Ttl,
}

fn describe(v: &VersionView) -> String {
    let services: Vec<&str> = v.services.iter().map(|s| s.service.as_str()).collect();
    format!(
        "  {} ({}) by {}, expires {}{}",
        v.version,
        services.join(","),
        v.owner.as_deref().unwrap_or("unknown"),
        v.expires_at.as_deref().unwrap_or("unknown"),
        if v.expired { " (expired)" } else { "" }
    )
}

const FREE_A_SLOT: &str = "free a slot with `dynroute down VERSION`, or `dynroute prune` for the expired ones; \
     to keep a version longer, `dynroute extend VERSION` instead of redeploying it";

fn refusal(message: String, counted: &[&VersionView]) -> UserError {
    let mut message = message;
    for v in counted {
        message.push('\n');
        message.push_str(&describe(v));
    }
    UserError::new(ExitKind::Failure, message).hint(FREE_A_SLOT)
}

/// Ok when `candidate` may be deployed next to `live` (every managed version on
/// the cluster); otherwise the refusal, listing what counts against the limit.
pub fn check(
    limits: &Limits,
    live: &[VersionView],
    candidate: &Candidate<'_>,
) -> Result<(), UserError> {
    if candidate.protected {
        return Ok(());
    }
    // The TTL limit holds for every `up`, of a new version or an existing one
    // (as it does for `extend`).
    if let Some(max) = limits.max_ttl {
        let over = match candidate.ttl {
            Ttl::Never => true,
            Ttl::After(d) => d > max,
        };
        if over {
            let asked = match candidate.ttl {
                Ttl::Never => "never".to_owned(),
                Ttl::After(d) => humantime::format_duration(d).to_string(),
            };
            return Err(UserError::new(
                ExitKind::Failure,
                format!(
                    "limits.max_ttl is {}: version `{}` asks for a ttl of {asked}",
                    humantime::format_duration(max),
                    candidate.version
                ),
            )
            .hint("pass a shorter --ttl; `dynroute extend` can push the expiry later, up to the same limit"));
        }
    }
    if live.iter().any(|v| &v.version == candidate.version) {
        return Ok(());
    }
    if let Some(max) = limits.max_desired_count
        && let Some((service, count)) = candidate.desired_counts.iter().find(|(_, c)| *c > max)
    {
        return Err(UserError::new(
            ExitKind::Failure,
            format!(
                "limits.max_desired_count is {max}: service `{service}` asks for {count} tasks"
            ),
        )
        .hint(format!(
            "lower services.{service}.desired_count to at most {max}"
        )));
    }
    let counting: Vec<&VersionView> = live.iter().filter(|v| !v.protected).collect();
    if let Some(max) = limits.max_versions
        && counting.len() >= max as usize
    {
        return Err(refusal(
            format!(
                "limits.max_versions is {max} and {} versions are live on the cluster; `{}` would be one more:",
                counting.len(),
                candidate.version
            ),
            &counting,
        ));
    }
    if let Some(max) = limits.max_versions_per_owner {
        let mine: Vec<&VersionView> = counting
            .iter()
            .copied()
            .filter(|v| v.owner.as_deref() == Some(candidate.owner))
            .collect();
        if mine.len() >= max as usize {
            return Err(refusal(
                format!(
                    "limits.max_versions_per_owner is {max} and {} has {} live versions; `{}` would be one more:",
                    candidate.owner,
                    mine.len(),
                    candidate.version
                ),
                &mine,
            ));
        }
    }
    Ok(())
}

/// A TTL for `extend` within `max_ttl`.
pub fn check_extension(limits: &Limits, ttl: Ttl) -> Result<(), UserError> {
    match (limits.max_ttl, ttl) {
        (Some(max), Ttl::Never) => Err(UserError::usage(format!(
            "limits.max_ttl is {}: a version cannot be extended to never expire",
            humantime::format_duration(max)
        ))
        .hint("pass a --ttl within the limit")),
        (Some(max), Ttl::After(d)) if d > max => Err(UserError::usage(format!(
            "limits.max_ttl is {}: --ttl {} is longer",
            humantime::format_duration(max),
            humantime::format_duration(d)
        ))
        .hint("pass a --ttl within the limit")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
