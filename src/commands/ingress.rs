//! Where Traefik is reachable: `ingress.url`, or `ingress.load_balancer`
//! resolved to its DNS name with ELBv2.

use crate::aws::Aws;
use crate::config::{Ingress, Project};

/// The ingress base URL (no trailing slash), if one is configured.
pub async fn resolve(aws: &Aws, project: &Project) -> anyhow::Result<Option<String>> {
    match &project.ingress {
        None => Ok(None),
        Some(Ingress::Url(url)) => Ok(Some(url.clone())),
        Some(Ingress::LoadBalancer(name)) => Ok(Some(format!(
            "http://{}",
            aws.load_balancer_dns(name).await?
        ))),
    }
}
