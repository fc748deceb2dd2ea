//! The policy's inputs from a project and its rendered task definitions.
//!
//! Each template is rendered for two different versions: a role ARN or log
//! group that differs between them depends on the release, so no fixed policy
//! can name it, and the caller is told so instead of getting a wrong policy.

use super::{PolicyInputs, Unresolved, cluster_name};
use crate::config::{Ingress, Project};
use crate::taskdef::TaskDefinition;

/// One service's task definition rendered for two versions.
pub struct Rendered<'a> {
    pub service: &'a str,
    pub first: &'a TaskDefinition,
    pub second: &'a TaskDefinition,
}

/// Values of one field in both renderings.
fn resolve(
    service: &str,
    field: &str,
    first: Option<&String>,
    second: Option<&String>,
    unresolved: &mut Vec<Unresolved>,
) -> Option<String> {
    let value = first?;
    if Some(value) != second {
        unresolved.push(Unresolved {
            service: service.to_owned(),
            field: field.to_owned(),
            value: format!(
                "renders to {value:?} for one version and {:?} for another",
                second.map(String::as_str).unwrap_or("nothing")
            ),
        });
        return None;
    }
    Some(value.clone())
}

fn role(
    service: &str,
    field: &str,
    value: Option<String>,
    unresolved: &mut Vec<Unresolved>,
) -> Option<String> {
    let value = value?;
    let is_role_arn = value.starts_with("arn:aws") && value.contains(":role/");
    if is_role_arn {
        Some(value)
    } else {
        unresolved.push(Unresolved {
            service: service.to_owned(),
            field: field.to_owned(),
            value: format!("{value:?} is not a role ARN"),
        });
        None
    }
}

/// The inputs for `project` with `account` (or `*`), plus what could not be resolved.
pub fn gather(
    project: &Project,
    account: Option<&str>,
    rendered: &[Rendered<'_>],
) -> (PolicyInputs, Vec<Unresolved>) {
    let region = project.region.clone().unwrap_or_else(|| "*".to_owned());
    let mut unresolved = Vec::new();
    let mut roles = Vec::new();
    let mut log_groups = Vec::new();
    for r in rendered {
        for (field, a, b) in [
            (
                "taskRoleArn",
                &r.first.task_role_arn,
                &r.second.task_role_arn,
            ),
            (
                "executionRoleArn",
                &r.first.execution_role_arn,
                &r.second.execution_role_arn,
            ),
        ] {
            let value = resolve(r.service, field, a.as_ref(), b.as_ref(), &mut unresolved);
            if let Some(arn) = role(r.service, field, value, &mut unresolved) {
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
            let group = resolve(
                r.service,
                &field,
                option(r.first, "awslogs-group").as_ref(),
                option(r.second, "awslogs-group").as_ref(),
                &mut unresolved,
            );
            if let Some(group) = group {
                let group_region = option(r.first, "awslogs-region").unwrap_or(region.clone());
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
    };
    (inputs, unresolved)
}
