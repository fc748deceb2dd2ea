//! `dynroute doctor`: what is wrong with a setup, and the one thing to do
//! about it. Checks run in a fixed order, each with a stable ID, a status, what
//! it found and, when it failed, one fix. A check whose prerequisite failed is
//! skipped (saying which), so one fault fails one check. Read-only: no call
//! here changes anything.

mod activity;
mod cluster;
pub mod dns;
mod entry;
pub mod permissions;
mod traefik;
pub mod traefik_static;

use std::time::Duration;

use serde::Serialize;

use crate::aws::Aws;
use crate::config::{Ingress, Placement, Project};
use crate::ecs::Ecs;

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Failed,
    Skipped,
}

/// One check: its stable ID, its outcome, what it found and, when it failed,
/// the one fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub status: Status,
    pub found: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// Every check ID, in the order they run.
pub const CHECKS: [&str; 17] = [
    "config",
    "aws.credentials",
    "aws.region",
    "ecs.cluster",
    "ecs.capacity",
    "network.subnets",
    "network.security_groups",
    "network.vpc",
    "baseline",
    "traefik.service",
    "traefik.api",
    "traefik.provider",
    "traefik.middleware",
    "activity",
    "ingress.main",
    "dns.version_hosts",
    "iam.deploy",
];

pub(super) fn ok(id: &'static str, found: impl Into<String>) -> Finding {
    Finding {
        id,
        status: Status::Ok,
        found: found.into(),
        fix: None,
    }
}

/// The longest `found` text: an SDK error can carry a whole debug dump.
const MAX_FOUND_CHARS: usize = 400;

fn short(text: String) -> String {
    let total = text.chars().count();
    if total <= MAX_FOUND_CHARS {
        return text;
    }
    let head: String = text.chars().take(MAX_FOUND_CHARS).collect();
    format!("{head}… ({total} characters)")
}

pub(super) fn failed(
    id: &'static str,
    found: impl Into<String>,
    fix: impl Into<String>,
) -> Finding {
    Finding {
        id,
        status: Status::Failed,
        found: short(found.into()),
        fix: Some(fix.into()),
    }
}

pub(super) fn skipped(id: &'static str, why: impl Into<String>) -> Finding {
    Finding {
        id,
        status: Status::Skipped,
        found: why.into(),
        fix: None,
    }
}

/// The findings of a config that does not load: that one, every other skipped.
pub fn config_failed(error: &str) -> Vec<Finding> {
    let mut out = vec![failed(
        "config",
        error,
        "fix dynroute.yaml as the error says (`dynroute render main` shows the same error)",
    )];
    out.extend(
        CHECKS[1..]
            .iter()
            .map(|id| skipped(id, "the config does not load")),
    );
    out
}

/// What the checks read besides the AWS account.
pub struct Inputs<'a> {
    pub project: &'a Project,
    /// The AWS clients, or why they could not be made (no credentials, no region).
    pub aws: Result<Aws, String>,
    /// The task and execution roles main's task definitions name.
    pub roles: Vec<String>,
    pub api_url: Option<String>,
    pub api_token: Option<String>,
    pub resolver: dns::Resolver,
    /// The HTTP client of the checks that send requests ([`client`]).
    pub client: reqwest::Client,
}

/// The client doctor's requests use: dynroute's TLS roots, a short timeout,
/// no redirects followed (an answer is judged as it comes).
pub fn client() -> Result<reqwest::Client, crate::error::UserError> {
    crate::tls::http_client()?
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| crate::error::UserError::usage(format!("cannot build an HTTP client: {e}")))
}

/// How long one HTTP request of a check may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs every check in order.
pub async fn run(inputs: Inputs<'_>) -> Vec<Finding> {
    let project = inputs.project;
    let mut out = vec![ok(
        "config",
        format!(
            "{} (project {}, cluster {})",
            project.path.display(),
            project.project,
            project.cluster
        ),
    )];
    let aws = match inputs.aws {
        Ok(aws) => Some(aws),
        Err(error) => {
            let region = error.contains("region");
            out.push(match region {
                true => skipped("aws.credentials", "no region to ask in"),
                false => failed(
                    "aws.credentials",
                    error.clone(),
                    "sign in (`aws sso login`, or export AWS_PROFILE / AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
                ),
            });
            out.push(match region {
                true => failed(
                    "aws.region",
                    error,
                    "set `region:` in dynroute.yaml, or AWS_REGION, or --region",
                ),
                false => skipped("aws.region", "no credentials"),
            });
            None
        }
    };
    let identity = match &aws {
        Some(aws) => match aws.caller_identity().await {
            Ok(identity) => {
                out.push(ok(
                    "aws.credentials",
                    format!("{} (account {})", identity.arn, identity.account),
                ));
                out.push(ok("aws.region", aws.region().to_owned()));
                Some(identity)
            }
            Err(e) => {
                out.push(failed(
                    "aws.credentials",
                    crate::error::chain_text(&e),
                    "sign in again (`aws sso login`), or check AWS_PROFILE / AWS_ACCESS_KEY_ID",
                ));
                out.push(ok("aws.region", aws.region().to_owned()));
                None
            }
        },
        None => None,
    };
    let aws = aws.filter(|_| identity.is_some());

    // The cluster and its capacity.
    let cluster = match &aws {
        None => {
            out.push(skipped("ecs.cluster", "no AWS access"));
            None
        }
        Some(aws) => match aws.cluster_facts().await {
            Ok(Some(c)) if c.status == "ACTIVE" => {
                out.push(ok("ecs.cluster", format!("{} is ACTIVE", project.cluster)));
                Some(c)
            }
            Ok(Some(c)) => {
                out.push(failed(
                    "ecs.cluster",
                    format!("{} is {}", project.cluster, c.status),
                    "create the cluster again, or name an active one in `cluster:`",
                ));
                None
            }
            Ok(None) => {
                out.push(failed(
                    "ecs.cluster",
                    format!("no cluster {} in {}", project.cluster, aws.region()),
                    "name the cluster in `cluster:` (`aws ecs list-clusters` lists them), or create it (the platform kit's CreateCluster=true)",
                ));
                None
            }
            Err(e) => {
                out.push(failed(
                    "ecs.cluster",
                    crate::error::chain_text(&e),
                    "allow ecs:DescribeClusters, or check the region",
                ));
                None
            }
        },
    };
    out.push(match (&cluster, &project.placement) {
        (None, _) => skipped("ecs.capacity", "no cluster"),
        (Some(_), Placement::LaunchType(lt)) => ok(
            "ecs.capacity",
            format!(
                "launch type {} (no capacity provider needed)",
                format!("{lt:?}").to_uppercase()
            ),
        ),
        (Some(c), Placement::CapacityProviders(items)) => {
            let missing: Vec<&str> = items
                .iter()
                .map(|i| i.capacity_provider.as_str())
                .filter(|p| !c.capacity_providers.iter().any(|q| q == p))
                .collect();
            match missing.is_empty() {
                true => ok(
                    "ecs.capacity",
                    format!("capacity providers {}", c.capacity_providers.join(", ")),
                ),
                false => failed(
                    "ecs.capacity",
                    format!(
                        "the cluster has no capacity provider {} (it has: {})",
                        missing.join(", "),
                        c.capacity_providers.join(", ")
                    ),
                    "attach it to the cluster (`aws ecs put-cluster-capacity-providers`), or change `capacity_provider_strategy`",
                ),
            }
        }
    });

    // The network.
    cluster::network_checks(&mut out, aws.as_ref(), project).await;

    // Services of the cluster (baselines, Traefik).
    let services = match (&aws, &cluster) {
        (Some(aws), Some(_)) => aws.all_services().await.ok(),
        _ => None,
    };
    out.push(cluster::baseline_check(project, &inputs.client, services.as_deref()).await);

    // Traefik.
    let traefik = match (&aws, &services) {
        (Some(aws), Some(services)) => traefik::find_traefik(aws, services).await,
        _ => None,
    };
    let traefik_down = traefik.as_ref().is_some_and(|t| t.service.running == 0);
    out.push(match (&traefik, &services) {
        (_, None) => skipped("traefik.service", "no cluster to look in"),
        (None, Some(_)) => skipped(
            "traefik.service",
            "Traefik does not run as an ECS service of this cluster (configured elsewhere)",
        ),
        (Some(t), _) if t.service.running == 0 => failed(
            "traefik.service",
            format!(
                "Traefik's service {} has no running task ({} desired)",
                t.service.name, t.service.desired
            ),
            format!(
                "see why its tasks stop: `aws ecs describe-services --cluster {} --services {}` (events), then its logs",
                project.cluster, t.service.name
            ),
        ),
        (Some(t), _) => ok(
            "traefik.service",
            format!(
                "{}: {}/{} tasks running ({})",
                t.service.name,
                t.service.running,
                t.service.desired,
                t.container["image"].as_str().unwrap_or("?")
            ),
        ),
    });
    let client = &inputs.client;
    let api_ok = traefik::api_check(
        &mut out,
        client,
        inputs.api_url.as_deref(),
        inputs.api_token.as_deref(),
        traefik.as_ref(),
        traefik_down,
    )
    .await;
    out.push(traefik::provider_check(traefik.as_ref(), project));
    out.push(
        traefik::middleware_check(
            project,
            client,
            inputs.api_url.as_deref(),
            inputs.api_token.as_deref(),
            api_ok,
        )
        .await,
    );
    let reader = crate::engine::activity::recorder::HttpMetrics::new();
    out.push(match &reader {
        Ok(reader) => {
            activity::check(
                project,
                aws.as_ref().map(|a| a as &dyn Ecs),
                reader,
                services.as_deref(),
                jiff::Timestamp::now(),
            )
            .await
        }
        Err(err) => failed(
            "activity",
            crate::error::chain_text(err),
            "check AWS_CA_BUNDLE",
        ),
    });
    let ingress = match (&project.ingress, &aws) {
        (Some(Ingress::Url(url)), _) => Some(url.clone()),
        (Some(Ingress::LoadBalancer(name)), Some(aws)) => {
            crate::ecs::LoadBalancers::load_balancer_dns(aws, name)
                .await
                .ok()
                .map(|dns| format!("http://{dns}"))
        }
        _ => None,
    };
    out.push(entry::main_check(project, client, ingress.as_deref(), traefik_down).await);
    out.push(entry::dns_check(project, &inputs.resolver, ingress.as_deref()).await);
    out.push(
        permissions::deploy_check(project, aws.as_ref(), identity.as_ref(), &inputs.roles).await,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_that_does_not_load_fails_one_check_and_skips_the_rest() {
        let findings = config_failed("dynroute.yaml:3: unknown field");
        assert_eq!(findings.len(), CHECKS.len());
        assert_eq!(
            findings.iter().map(|f| f.id).collect::<Vec<_>>(),
            CHECKS.to_vec()
        );
        assert_eq!(
            findings
                .iter()
                .filter(|f| f.status == Status::Failed)
                .count(),
            1
        );
    }
}
