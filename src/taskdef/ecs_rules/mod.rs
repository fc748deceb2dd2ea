//! ECS's documented rules for the requests dynroute makes, checked before any
//! AWS call: a request ECS would refuse is an error here, with the rule, a hint
//! and the page that documents it. [`RULES`] is the table; [`check`] runs the
//! rules of RegisterTaskDefinition on the complete task definition (template
//! plus everything dynroute injects), [`check_service`] those of
//! CreateService/UpdateService on a service's settings.

mod fargate;
mod service;
mod tags;

use std::collections::BTreeSet;

pub use fargate::fargate_memory;
pub use service::{check_service, check_strategy};
pub use tags::{MAX_TAGS, tag_ok};

use super::model::{PROPAGATORS_ENV, RESOURCE_ATTRIBUTES_ENV, TaskDefinition, VERSION_ENV};
use fargate::fargate_size;

/// One rule ECS documents: which request it constrains, what it says, where.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub request: &'static str,
    pub rule: &'static str,
    pub source: &'static str,
}

const TD_PARAMS: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html";
const FARGATE_SIZES: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size";
const TAGGING: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-using-tags.html#tag-restrictions";
const CREATE_SERVICE: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html";
const STRATEGY: &str = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html";
const AWSVPC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html";
const QUOTAS: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html";

/// Every rule dynroute checks before it calls ECS.
pub const RULES: &[Rule] = &[
    Rule {
        id: "container-names-unique",
        request: "RegisterTaskDefinition",
        rule: "container names are unique within a task definition",
        source: TD_PARAMS,
    },
    Rule {
        id: "container-name",
        request: "RegisterTaskDefinition",
        rule: "a container name is 1-255 letters, digits, hyphens and underscores",
        source: TD_PARAMS,
    },
    Rule {
        id: "image-reference",
        request: "RegisterTaskDefinition",
        rule: "an image is 1-255 letters, digits, hyphens, underscores, colons, periods, forward slashes, number signs (and @ of a digest)",
        source: TD_PARAMS,
    },
    Rule {
        id: "tags-per-resource",
        request: "RegisterTaskDefinition, CreateService, TagResource",
        rule: "at most 50 tags on a resource",
        source: TAGGING,
    },
    Rule {
        id: "tag-key-value",
        request: "RegisterTaskDefinition, CreateService, TagResource",
        rule: "a tag key is 1-128 and a value 0-256 characters of Unicode letters, digits, spaces and _ . : / = + - @; the key does not start with aws:",
        source: TAGGING,
    },
    Rule {
        id: "task-definition-size",
        request: "RegisterTaskDefinition",
        rule: "the request is at most 64 KiB of JSON",
        source: QUOTAS,
    },
    Rule {
        id: "depends-on-container",
        request: "RegisterTaskDefinition",
        rule: "dependsOn names a container of the same task definition",
        source: TD_PARAMS,
    },
    Rule {
        id: "ec2-memory",
        request: "RegisterTaskDefinition",
        rule: "an EC2 task definition sets memory at task level, or memory or memoryReservation on every container",
        source: TD_PARAMS,
    },
    Rule {
        id: "fargate-awsvpc",
        request: "RegisterTaskDefinition",
        rule: "Fargate tasks use networkMode awsvpc",
        source: TD_PARAMS,
    },
    Rule {
        id: "fargate-size",
        request: "RegisterTaskDefinition",
        rule: "Fargate tasks set task-level cpu and memory to one of the pairs Fargate offers",
        source: FARGATE_SIZES,
    },
    Rule {
        id: "none-no-ports",
        request: "RegisterTaskDefinition",
        rule: "containers of networkMode none have no port mappings",
        source: TD_PARAMS,
    },
    Rule {
        id: "network-configuration-awsvpc",
        request: "CreateService, UpdateService",
        rule: "networkConfiguration is only for task definitions of networkMode awsvpc, which need it",
        source: CREATE_SERVICE,
    },
    Rule {
        id: "public-ip-fargate",
        request: "CreateService, UpdateService",
        rule: "assignPublicIp ENABLED is only for the Fargate launch type",
        source: AWSVPC,
    },
    Rule {
        id: "strategy-weight-base",
        request: "CreateService, UpdateService",
        rule: "a capacity provider strategy item has a provider name, a weight of 0-1000 and a base of 0-100000; at least one weight is above 0 and at most one item has a base",
        source: STRATEGY,
    },
];

/// The rule with `id` (for its source in an error).
fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .expect("a rule of the table")
}

/// ECS rejects task definitions larger than this (the JSON of the request).
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// `message` as a broken rule: the text, then where ECS documents it.
fn broken(id: &str, message: String) -> String {
    format!("{message} (ECS: {})", rule(id).source)
}

/// Fails with a message about the template when ECS would refuse `td`.
pub fn check(td: &TaskDefinition) -> Result<(), String> {
    let mut names = BTreeSet::new();
    for container in &td.container_definitions {
        let name = container.name.as_str();
        if name.is_empty()
            || name.len() > 255
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(broken(
                "container-name",
                format!(
                    "container name {name:?} is not 1-255 letters, digits, hyphens and underscores"
                ),
            ));
        }
        let image = container.image.as_str();
        if image.is_empty()
            || image.len() > 255
            || !image
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_:./#@".contains(&b))
        {
            return Err(broken(
                "image-reference",
                format!(
                    "container `{name}`: image {image:?} is not 1-255 letters, digits and - _ : . / # @"
                ),
            ));
        }
        if !names.insert(container.name.as_str()) {
            return Err(broken(
                "container-names-unique",
                format!(
                    "two containers are named `{}`; container names must be unique",
                    container.name
                ),
            ));
        }
        for secret in container.secrets.iter().flatten() {
            if [VERSION_ENV, RESOURCE_ATTRIBUTES_ENV, PROPAGATORS_ENV]
                .contains(&secret.name.as_str())
            {
                return Err(format!(
                    "container `{}`: secret `{}` would clash with the variable dynroute injects; set it under `environment` instead (dynroute merges OTEL_RESOURCE_ATTRIBUTES and keeps OTEL_PROPAGATORS)",
                    container.name, secret.name
                ));
            }
        }
    }
    for container in &td.container_definitions {
        for dep in container.depends_on.iter().flatten() {
            if !names.contains(dep.container_name.as_str()) {
                return Err(broken(
                    "depends-on-container",
                    format!(
                        "container `{}` dependsOn `{}`, which is not a container of this task definition (containers: {})",
                        container.name,
                        dep.container_name,
                        names.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
    }
    let mode = td.network_mode.as_ref().map(|m| m.as_str().to_owned());
    if mode.as_deref() == Some("none")
        && let Some(c) = (td.container_definitions.iter())
            .find(|c| c.port_mappings.as_ref().is_some_and(|p| !p.is_empty()))
    {
        return Err(broken(
            "none-no-ports",
            format!(
                "container `{}` has port mappings, but networkMode none has no network; a routed service needs awsvpc or bridge",
                c.name
            ),
        ));
    }
    if td.requires_compatibility("EC2")
        && td.memory.is_none()
        && let Some(c) = (td.container_definitions.iter())
            .find(|c| c.memory.is_none() && c.memory_reservation.is_none())
    {
        return Err(broken(
            "ec2-memory",
            format!(
                "an EC2 task definition without task-level `memory` needs `memory` or `memoryReservation` on every container; `{}` has neither",
                c.name
            ),
        ));
    }
    if td.requires_compatibility("FARGATE")
        && let (Some(cpu), Some(memory)) = (&td.cpu, &td.memory)
    {
        fargate_size(cpu, memory)?;
    }
    let tags = td.tags.as_ref().map_or(&[][..], |t| &t.0[..]);
    if tags.len() > MAX_TAGS {
        return Err(broken(
            "tags-per-resource",
            format!(
                "{} tags with the ones dynroute adds; ECS allows at most {MAX_TAGS} (dynroute adds up to 10)",
                tags.len()
            ),
        ));
    }
    for tag in tags {
        tag_ok(&tag.key, &tag.value).map_err(|e| broken("tag-key-value", e))?;
    }
    let size = serde_json::to_vec(td)
        .expect("a task definition serializes")
        .len();
    if size > MAX_JSON_BYTES {
        return Err(broken(
            "task-definition-size",
            format!(
                "the task definition is {size} bytes of JSON with what dynroute injects; ECS accepts at most {MAX_JSON_BYTES}"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
