//! Where Traefik is reachable: `ingress.url`, or `ingress.load_balancer`
//! resolved to its DNS name with ELBv2. One resolution, two policies: a check
//! that needs the ingress fails without it; a printed line only loses it.

use super::progress::Progress;
use crate::config::{Ingress, Project};
use crate::ecs::LoadBalancers;

/// The ingress base URL (no trailing slash), if one is configured.
pub async fn resolve(lbs: &dyn LoadBalancers, project: &Project) -> anyhow::Result<Option<String>> {
    match &project.ingress {
        None => Ok(None),
        Some(Ingress::Url(url)) => Ok(Some(url.clone())),
        Some(Ingress::LoadBalancer(name)) => Ok(Some(format!(
            "http://{}",
            lbs.load_balancer_dns(name).await?
        ))),
    }
}

/// The ingress for printed lines (curl, URLs): a failure to resolve it is a
/// warning, and the lines go to the service hosts instead.
pub async fn for_printing(
    lbs: &dyn LoadBalancers,
    project: &Project,
    progress: &mut dyn Progress,
) -> Option<String> {
    match resolve(lbs, project).await {
        Ok(ingress) => ingress,
        Err(err) => {
            progress.warn(&format!(
                "the curl line goes to the service host: {}",
                crate::error::chain_text(&err)
            ));
            None
        }
    }
}
