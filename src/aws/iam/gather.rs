//! The policy's inputs from a project and its rendered task definitions.
//!
//! Each template is rendered for two different versions, and once more with
//! every environment value shifted: a role ARN or log group that differs
//! depends on the release or on the machine that renders it, so no fixed
//! policy can name it, and the caller is told so instead of getting a policy
//! that holds for one CI job's variables.

use super::{PolicyInputs, Unresolved, cluster_name};
use crate::config::{Ingress, Project};
use crate::taskdef::TaskDefinition;

/// One service's task definition rendered for two versions.
pub struct Rendered<'a> {
    pub service: &'a str,
    pub first: &'a TaskDefinition,
    pub second: &'a TaskDefinition,
    /// The first version rendered with other `env()` values (none when the
    /// templates do not render with them).
    pub elsewhere: Option<&'a TaskDefinition>,
}

/// One field's value in the three renderings: `elsewhere` is `None` when
/// there is no third rendering, `Some(None)` when the field is absent in it.
struct Values<'v> {
    first: Option<&'v String>,
    second: Option<&'v String>,
    elsewhere: Option<Option<&'v String>>,
}

/// The value of one field, when it is the same in every rendering.
fn resolve(
    service: &str,
    field: &str,
    values: Values<'_>,
    unresolved: &mut Vec<Unresolved>,
) -> Option<String> {
    let value = values.first?;
    let mut reason = None;
    if values.elsewhere.is_some_and(|other| other != Some(value)) {
        reason = Some("read from the environment with env(), so another machine or CI job would name another resource".to_owned());
    } else if Some(value) != values.second {
        reason = Some(format!(
            "renders to {value:?} for one version and {:?} for another",
            values.second.map(String::as_str).unwrap_or("nothing")
        ));
    }
    if let Some(reason) = reason {
        unresolved.push(Unresolved {
            service: service.to_owned(),
            field: field.to_owned(),
            value: reason,
        });
        return None;
    }
    Some(value.clone())
}

/// A concrete IAM role ARN: partition, 12-digit account, `role/` and a path
/// and name of IAM's characters; no wildcard can widen the policy.
fn is_role_arn(value: &str) -> bool {
    let Some(rest) = ["arn:aws:iam::", "arn:aws-cn:iam::", "arn:aws-us-gov:iam::"]
        .iter()
        .find_map(|p| value.strip_prefix(p))
    else {
        return false;
    };
    let Some((account, name)) = rest.split_once(":role/") else {
        return false;
    };
    account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
        && name.len() <= 512
        && !name.ends_with('/')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-/".contains(&b))
}

/// A concrete CloudWatch Logs group name (its documented characters; no `*`).
pub(super) fn is_log_group(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 512
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/#".contains(&b))
}

/// An AWS region code such as `eu-west-1` (no `*`, no colon).
fn is_region(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// A value that would widen or break the policy: what it is, and what to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub service: String,
    pub field: String,
    pub value: String,
    pub expected: &'static str,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "service `{}`: {} is {}, not {}",
            self.service,
            self.field,
            crate::error::quoted(&self.value),
            self.expected
        )
    }
}

const ROLE: &str = "a role ARN such as arn:aws:iam::123456789012:role/api-task (no wildcards)";
const GROUP: &str =
    "a log group name such as /ecs/api (letters, digits and . _ - / #; no wildcards)";
const REGION: &str = "a region code such as eu-west-1";

fn check(
    service: &str,
    field: &str,
    value: String,
    ok: fn(&str) -> bool,
    expected: &'static str,
    malformed: &mut Vec<Malformed>,
) -> Option<String> {
    if ok(&value) {
        return Some(value);
    }
    malformed.push(Malformed {
        service: service.to_owned(),
        field: field.to_owned(),
        value,
        expected,
    });
    None
}

/// The inputs for `project` with `account` (or `*`), plus what could not be resolved.
/// Values that would widen the policy ([`Malformed`]) come back in the error
/// list: the caller refuses to print a policy while there are any.
pub fn gather<'a>(
    project: &Project,
    account: Option<&str>,
    rendered: &[Rendered<'a>],
) -> (PolicyInputs, Vec<Unresolved>, Vec<Malformed>) {
    let region = project.region.clone().unwrap_or_else(|| "*".to_owned());
    let mut unresolved = Vec::new();
    let mut malformed = Vec::new();
    let mut roles = Vec::new();
    let mut log_groups = Vec::new();
    for r in rendered {
        let roles_of = |td: &'a TaskDefinition| {
            [
                ("taskRoleArn", td.task_role_arn.as_ref()),
                ("executionRoleArn", td.execution_role_arn.as_ref()),
            ]
        };
        for (i, (field, first)) in roles_of(r.first).into_iter().enumerate() {
            let values = Values {
                first,
                second: roles_of(r.second)[i].1,
                elsewhere: r.elsewhere.map(|e| roles_of(e)[i].1),
            };
            let value = resolve(r.service, field, values, &mut unresolved);
            if let Some(arn) =
                value.and_then(|v| check(r.service, field, v, is_role_arn, ROLE, &mut malformed))
            {
                roles.push(arn);
            }
        }
        for (i, container) in r.first.container_definitions.iter().enumerate() {
            let Some(log) = &container.log_configuration else {
                continue;
            };
            if log.log_driver.as_str() != "awslogs" {
                continue;
            }
            let option = |td: &TaskDefinition, key: &str| {
                td.container_definitions
                    .get(i)
                    .and_then(|c| c.log_configuration.as_ref())
                    .and_then(|l| l.options.as_ref())
                    .and_then(|o| o.get(key))
                    .cloned()
            };
            let field = format!(
                "containerDefinitions[{}].logConfiguration.options.awslogs-group",
                container.name
            );
            let [first, second] = [r.first, r.second].map(|td| option(td, "awslogs-group"));
            let elsewhere = r.elsewhere.map(|td| option(td, "awslogs-group"));
            let values = Values {
                first: first.as_ref(),
                second: second.as_ref(),
                elsewhere: elsewhere.as_ref().map(Option::as_ref),
            };
            let group = resolve(r.service, &field, values, &mut unresolved);
            let group = group
                .and_then(|g| check(r.service, &field, g, is_log_group, GROUP, &mut malformed));
            let region_field = field.replace("awslogs-group", "awslogs-region");
            let group_region = match option(r.first, "awslogs-region") {
                Some(v) => check(
                    r.service,
                    &region_field,
                    v,
                    is_region,
                    REGION,
                    &mut malformed,
                ),
                None => Some(region.clone()),
            };
            if let (Some(group), Some(group_region)) = (group, group_region) {
                log_groups.push((group, group_region));
            }
        }
    }
    roles.sort();
    roles.dedup();
    log_groups.sort();
    log_groups.dedup();
    let inputs = PolicyInputs {
        cluster: cluster_name(&project.cluster).to_owned(),
        region,
        account: account.unwrap_or("*").to_owned(),
        services: project.services.keys().map(|s| s.to_string()).collect(),
        roles,
        log_groups,
        load_balancer: matches!(project.ingress, Some(Ingress::LoadBalancer(_))),
        after_down_hooks: (project.hooks)
            .in_phase(crate::config::Phase::AfterDown)
            .next()
            .is_some(),
        activity: match project.activity.as_ref().map(|a| &a.replicas) {
            None => super::ActivityAccess::None,
            Some(crate::config::activity::Replicas::Listed(_)) => super::ActivityAccess::Listed,
            Some(crate::config::activity::Replicas::Ecs { .. }) => {
                super::ActivityAccess::TraefikTasks
            }
        },
    };
    (inputs, unresolved, malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_concrete_well_formed_values_enter_a_policy() {
        assert!(is_role_arn("arn:aws:iam::123456789012:role/api-task"));
        assert!(is_role_arn(
            "arn:aws:iam::123456789012:role/service-role/ecs.task@x+y=z,1"
        ));
        for bad in [
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:role/*",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::12345:role/api",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::123456789012:user/bob",
            "api-task",
        ] {
            assert!(!is_role_arn(bad), "{bad}");
        }
        assert!(is_log_group("/ecs/api#1"));
        for bad in ["*", "/ecs/*", "", "/ecs/a?b", "/ecs/a b"] {
            assert!(!is_log_group(bad), "{bad:?}");
        }
        assert!(is_region("eu-west-1") && is_region("us-gov-west-1"));
        for bad in ["*", "eu-west-1:123", "us:east", "EU-WEST-1", "eu-west"] {
            assert!(!is_region(bad), "{bad}");
        }
    }
}
