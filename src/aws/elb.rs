//! ELBv2: resolving the ingress load balancer.

use async_trait::async_trait;

use super::Aws;
use super::errors::{has_code, sdk_error};
use crate::ecs::LoadBalancers;
use crate::error::{ExitKind, UserError};

#[async_trait]
impl LoadBalancers for Aws {
    async fn load_balancer_dns(&self, name: &str) -> anyhow::Result<String> {
        match self.elb.describe_load_balancers().names(name).send().await {
            Ok(out) => out
                .load_balancers()
                .first()
                .and_then(|lb| lb.dns_name())
                .map(str::to_owned)
                .ok_or_else(|| missing(name)),
            Err(err) if has_code(&err, "LoadBalancerNotFound") => Err(missing(name)),
            Err(err) => Err(sdk_error("DescribeLoadBalancers", &self.cluster, err)),
        }
    }
}

fn missing(name: &str) -> anyhow::Error {
    UserError::new(
        ExitKind::Failure,
        format!("load balancer `{name}` does not exist"),
    )
    .hint("check ingress.load_balancer in dynroute.yaml and the region")
    .into()
}
