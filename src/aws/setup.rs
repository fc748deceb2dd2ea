//! What `doctor` reads about the account and its network, beyond the ECS
//! services: who the credentials are (STS), the cluster itself, the subnets
//! and security groups (EC2), and whether the caller may do what the deploy
//! policy lists (IAM's policy simulator). Read-only calls, each answered as
//! plain data; "not allowed to ask" is its own answer, not an error.

use std::collections::BTreeMap;

use aws_sdk_ecs::error::ProvideErrorMetadata;

use super::Aws;
use super::errors::sdk_error;

/// SimulatePrincipalPolicy calls in flight at once: IAM's request quotas are
/// low, and the answers are needed only together, in order.
const SIMULATIONS_IN_FLIGHT: usize = 4;

/// The principal behind the credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub account: String,
    pub arn: String,
}

/// The cluster as ECS describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterFacts {
    pub status: String,
    pub capacity_providers: Vec<String>,
}

/// A subnet or security group and its VPC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InVpc {
    pub id: String,
    pub vpc: String,
}

/// One question to IAM's simulator: may `action` be done on `resource` with
/// these context values (`aws:RequestTag/…`, `iam:PassedToService`, …)?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub action: String,
    pub resource: String,
    pub context: BTreeMap<String, String>,
}

/// IAM's answer for each question, or that the caller may not ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Simulation {
    /// `(action, resource, allowed)` per question.
    Answered(Vec<(String, String, bool)>),
    /// The simulator itself is denied to the caller.
    NotAllowed(String),
}

/// Access denied, whatever the service calls it.
fn denied(code: &str) -> bool {
    matches!(
        code,
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation"
    )
}

/// An STS assumed-role ARN as the IAM role ARN the simulator takes:
/// `arn:aws:sts::1:assumed-role/NAME/SESSION` → `arn:aws:iam::1:role/NAME`.
pub fn principal_arn(caller: &str) -> String {
    let Some((partition, rest)) = caller.split_once(":sts::") else {
        return caller.to_owned();
    };
    match rest.split_once(":assumed-role/") {
        Some((account, role)) => {
            let name = role.split('/').next().unwrap_or(role);
            format!("{partition}:iam::{account}:role/{name}")
        }
        None => caller.to_owned(),
    }
}

impl Aws {
    fn sts(&self) -> aws_sdk_sts::Client {
        aws_sdk_sts::Client::new(&self.config)
    }

    fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.config)
    }

    fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config)
    }

    /// STS GetCallerIdentity.
    pub async fn caller_identity(&self) -> anyhow::Result<Identity> {
        let out = self
            .sts()
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| sdk_error("GetCallerIdentity", &self.cluster, e))?;
        Ok(Identity {
            account: out.account().unwrap_or_default().to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
        })
    }

    /// The cluster, `None` when ECS does not know it.
    pub async fn cluster_facts(&self) -> anyhow::Result<Option<ClusterFacts>> {
        let out = self
            .ecs
            .describe_clusters()
            .clusters(&self.cluster)
            .send()
            .await
            .map_err(|e| sdk_error("DescribeClusters", &self.cluster, e))?;
        Ok(out.clusters().first().map(|c| ClusterFacts {
            status: c.status().unwrap_or_default().to_owned(),
            capacity_providers: c.capacity_providers().to_vec(),
        }))
    }

    /// The subnets that exist among `ids`, with their VPCs: one call, filtered
    /// by ID, so a missing one is left out instead of failing the others.
    pub async fn subnets(&self, ids: &[String]) -> anyhow::Result<Vec<InVpc>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let filter = aws_sdk_ec2::types::Filter::builder()
            .name("subnet-id")
            .set_values(Some(ids.to_vec()))
            .build();
        let out = self
            .ec2()
            .describe_subnets()
            .filters(filter)
            .send()
            .await
            .map_err(|e| sdk_error("DescribeSubnets", &self.cluster, e))?;
        Ok(out
            .subnets()
            .iter()
            .map(|s| InVpc {
                id: s.subnet_id().unwrap_or_default().to_owned(),
                vpc: s.vpc_id().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    /// The security groups that exist among `ids`, with their VPCs (one
    /// filtered call, as [`Aws::subnets`]).
    pub async fn security_groups(&self, ids: &[String]) -> anyhow::Result<Vec<InVpc>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let filter = aws_sdk_ec2::types::Filter::builder()
            .name("group-id")
            .set_values(Some(ids.to_vec()))
            .build();
        let out = self
            .ec2()
            .describe_security_groups()
            .filters(filter)
            .send()
            .await
            .map_err(|e| sdk_error("DescribeSecurityGroups", &self.cluster, e))?;
        Ok(out
            .security_groups()
            .iter()
            .map(|g| InVpc {
                id: g.group_id().unwrap_or_default().to_owned(),
                vpc: g.vpc_id().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    /// Asks IAM's simulator every question for `principal`: one call per
    /// resource and context, with all the actions asked of them, a few calls
    /// at a time (the platform kit's permission check asks 25 of them; one
    /// after another, their round trips added up).
    pub async fn simulate(
        &self,
        principal: &str,
        questions: &[Question],
    ) -> anyhow::Result<Simulation> {
        use futures::StreamExt;

        let mut groups: Vec<(&str, &BTreeMap<String, String>, Vec<&str>)> = Vec::new();
        for q in questions {
            match groups
                .iter_mut()
                .find(|(r, c, _)| *r == q.resource && **c == q.context)
            {
                Some((_, _, actions)) => actions.push(&q.action),
                None => groups.push((&q.resource, &q.context, vec![&q.action])),
            }
        }
        let iam = self.iam();
        let replies: Vec<_> = futures::stream::iter(groups)
            .map(|(resource, context, actions)| {
                let mut request = iam
                    .simulate_principal_policy()
                    .policy_source_arn(principal)
                    .resource_arns(resource);
                for action in &actions {
                    request = request.action_names(*action);
                }
                for (key, value) in context {
                    request = request.context_entries(
                        aws_sdk_iam::types::ContextEntry::builder()
                            .context_key_name(key)
                            .context_key_values(value)
                            .context_key_type(aws_sdk_iam::types::ContextKeyTypeEnum::String)
                            .build(),
                    );
                }
                async move { (resource, actions, request.send().await) }
            })
            .buffered(SIMULATIONS_IN_FLIGHT)
            .collect()
            .await;
        let mut answers = Vec::new();
        for (resource, actions, reply) in replies {
            match reply {
                Ok(out) => {
                    for action in actions {
                        let results: Vec<_> = out
                            .evaluation_results()
                            .iter()
                            .filter(|r| r.eval_action_name() == action)
                            .collect();
                        let allowed = !results.is_empty()
                            && results.iter().all(|r| {
                                r.eval_decision()
                                    == &aws_sdk_iam::types::PolicyEvaluationDecisionType::Allowed
                            });
                        answers.push((action.to_owned(), resource.to_owned(), allowed));
                    }
                }
                // Denied, or a principal IAM cannot name (an assumed role with a path).
                Err(e) if e.code().is_some_and(|c| denied(c) || c == "NoSuchEntity") => {
                    return Ok(Simulation::NotAllowed(
                        e.message().unwrap_or("access denied").to_owned(),
                    ));
                }
                Err(e) => return Err(sdk_error("SimulatePrincipalPolicy", &self.cluster, e)),
            }
        }
        Ok(Simulation::Answered(answers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assumed_role_is_simulated_as_its_role() {
        assert_eq!(
            principal_arn("arn:aws:sts::123456789012:assumed-role/ci-deploy/gha-42"),
            "arn:aws:iam::123456789012:role/ci-deploy"
        );
        assert_eq!(
            principal_arn("arn:aws:iam::123456789012:user/alice"),
            "arn:aws:iam::123456789012:user/alice"
        );
    }
}
