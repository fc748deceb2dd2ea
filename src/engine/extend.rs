//! `extend`: a new expiry on a deployed version's services, tags only; the
//! tasks keep running untouched.

use super::progress::Progress;
use crate::ecs::{Ecs, ServiceStatus};
use crate::naming::tags::{self, Expiry};

/// Tags the live managed services among `names` with `expires`; returns their
/// names. None of them live: exit 1 and nothing written.
pub async fn run(
    ecs: &dyn Ecs,
    cluster: &str,
    version: &str,
    names: &[String],
    expires: Expiry,
    progress: &mut dyn Progress,
) -> anyhow::Result<Vec<String>> {
    let live: Vec<_> = ecs
        .describe_services(names)
        .await?
        .into_iter()
        .filter(|s| s.status == ServiceStatus::Active && s.is_managed())
        .collect();
    if live.is_empty() {
        return Err(super::deployed::not_deployed(version, names, cluster).into());
    }
    let tag = vec![(tags::EXPIRES_AT.to_owned(), expires.tag())];
    for service in &live {
        progress.detail(&format!("tag {} {}={}", service.name, tag[0].0, tag[0].1));
        ecs.tag_resource(&service.arn, &tag).await?;
    }
    Ok(live.into_iter().map(|s| s.name).collect())
}
