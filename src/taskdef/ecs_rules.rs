//! ECS's documented rules for the requests dynroute makes, checked before any
//! AWS call: a request ECS would refuse is an error here, with the rule, a hint
//! and the page that documents it. [`RULES`] is the table; [`check`] runs the
//! rules of RegisterTaskDefinition on the complete task definition (template
//! plus everything dynroute injects), [`check_service`] those of
//! CreateService/UpdateService on a service's settings.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use super::model::{PROPAGATORS_ENV, RESOURCE_ATTRIBUTES_ENV, TaskDefinition, VERSION_ENV};
use crate::config::{LaunchType, Placement, Project, ServiceSettings};
use crate::error::UserError;

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

/// `message` as a broken rule: the text, then where ECS documents it.
fn broken(id: &str, message: String) -> String {
    format!("{message} (ECS: {})", rule(id).source)
}

/// ECS accepts at most this many tags on a resource.
pub const MAX_TAGS: usize = 50;
/// ECS rejects task definitions larger than this (the JSON of the request).
pub const MAX_JSON_BYTES: usize = 64 * 1024;

static TAG_CHARS: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").expect("a valid regex"));

/// Whether `key` and `value` are a tag ECS accepts.
pub fn tag_ok(key: &str, value: &str) -> Result<(), String> {
    let chars = |s: &str| s.chars().count();
    if chars(key) == 0 || chars(key) > 128 {
        return Err(format!(
            "tag key {key:?} is {} characters; ECS takes 1 to 128",
            chars(key)
        ));
    }
    if chars(value) > 256 {
        return Err(format!(
            "the value of tag {key:?} is {} characters; ECS takes at most 256",
            chars(value)
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(format!(
            "tag key {key:?} starts with `aws:`, which AWS reserves"
        ));
    }
    for (what, text) in [("key", key), ("value", value)] {
        if !TAG_CHARS.is_match(text) {
            return Err(format!(
                "tag {what} {text:?} has characters ECS refuses: only letters, digits, spaces and _ . : / = + - @"
            ));
        }
    }
    Ok(())
}

/// The memory values (MiB) Fargate offers with `cpu` units, or `None` for a cpu
/// value it does not offer.
pub fn fargate_memory(cpu: u32) -> Option<Vec<u32>> {
    let gib = |from: u32, to: u32, step: u32| {
        (from..=to)
            .step_by(step as usize)
            .map(|g| g * 1024)
            .collect()
    };
    Some(match cpu {
        256 => vec![512, 1024, 2048],
        512 => gib(1, 4, 1),
        1024 => gib(2, 8, 1),
        2048 => gib(4, 16, 1),
        4096 => gib(8, 30, 1),
        8192 => gib(16, 60, 4),
        16384 => gib(32, 120, 8),
        _ => return None,
    })
}

/// Task-level cpu units from `256`, `0.25 vCPU` or `1 vcpu`.
fn cpu_units(text: &str) -> Option<u32> {
    let t = text.trim().to_ascii_lowercase();
    match t.strip_suffix("vcpu") {
        Some(n) => n
            .trim()
            .parse::<f64>()
            .ok()
            .map(|v| (v * 1024.0).round() as u32),
        None => t.parse().ok(),
    }
}

/// Task-level memory in MiB from `512`, `0.5 GB` or `2 gb`.
fn memory_mib(text: &str) -> Option<u32> {
    let t = text.trim().to_ascii_lowercase();
    match t.strip_suffix("gb") {
        Some(n) => n
            .trim()
            .parse::<f64>()
            .ok()
            .map(|v| (v * 1024.0).round() as u32),
        None => t.parse().ok(),
    }
}

/// Fails with a message about the template when ECS would refuse `td`.
pub fn check(td: &TaskDefinition) -> Result<(), String> {
    let mut names = BTreeSet::new();
    for container in &td.container_definitions {
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
    let compat = |name: &str| {
        td.requires_compatibilities
            .as_ref()
            .is_some_and(|c| c.iter().any(|c| c.as_str() == name))
    };
    if compat("EC2")
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
    if compat("FARGATE")
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

/// Task-level cpu and memory that Fargate offers, or the valid memory values.
fn fargate_size(cpu: &str, memory: &str) -> Result<(), String> {
    let offered = "256, 512, 1024, 2048, 4096, 8192 or 16384 (or `1 vCPU` …)";
    let units = cpu_units(cpu).ok_or_else(|| {
        broken(
            "fargate-size",
            format!("Fargate cpu {cpu:?} is not a number of cpu units: use {offered}"),
        )
    })?;
    let Some(valid) = fargate_memory(units) else {
        return Err(broken(
            "fargate-size",
            format!("Fargate does not offer cpu {cpu:?}: use {offered}"),
        ));
    };
    let mib = memory_mib(memory).ok_or_else(|| {
        broken(
            "fargate-size",
            format!("Fargate memory {memory:?} is not a number of MiB"),
        )
    })?;
    if valid.contains(&mib) {
        return Ok(());
    }
    let list: Vec<String> = valid.iter().map(u32::to_string).collect();
    Err(broken(
        "fargate-size",
        format!(
            "Fargate does not offer cpu {cpu} with memory {memory}; with cpu {cpu} memory is one of {} (MiB)",
            list.join(", ")
        ),
    ))
}

/// The rules of CreateService/UpdateService for `service` with task definition
/// `td`, and the placement rules of RegisterTaskDefinition that depend on the
/// project: Fargate needs awsvpc and task-level cpu/memory, awsvpc needs
/// `network.subnets`, a public IP needs Fargate, a capacity strategy must be
/// one ECS takes.
pub fn check_service(
    td: &TaskDefinition,
    project: &Project,
    service: &ServiceSettings,
) -> Result<(), UserError> {
    let fargate_launch = matches!(
        project.placement,
        Placement::LaunchType(LaunchType::Fargate)
    );
    let fargate = fargate_launch
        || td
            .requires_compatibilities
            .as_ref()
            .is_some_and(|c| c.iter().any(|c| c.as_str() == "FARGATE"));
    let template = service.template.display();
    let awsvpc = td
        .network_mode
        .as_ref()
        .is_some_and(|m| m.as_str() == "awsvpc");
    let at = |id: &str, message: String| UserError::usage(broken(id, message));
    if fargate && !awsvpc {
        return Err(at(
            "fargate-awsvpc",
            format!("{template}: Fargate tasks need `networkMode: awsvpc`"),
        ));
    }
    if fargate && (td.cpu.is_none() || td.memory.is_none()) {
        return Err(at(
            "fargate-size",
            format!(
                "{template}: Fargate tasks need task-level `cpu` and `memory` (e.g. \"256\" and \"512\")"
            ),
        ));
    }
    if awsvpc && project.network.is_none() {
        return Err(at(
            "network-configuration-awsvpc",
            format!(
                "service `{}` uses awsvpc networking but {} has no `network`",
                service.name,
                project.path.display()
            ),
        )
        .hint("add `network: { subnets: [subnet-…], security_groups: [sg-…] }` to dynroute.yaml"));
    }
    let ec2_launch = matches!(project.placement, Placement::LaunchType(LaunchType::Ec2));
    if ec2_launch && awsvpc && project.network.as_ref().is_some_and(|n| n.assign_public_ip) {
        return Err(at("public-ip-fargate", format!(
            "{}: `network.assign_public_ip: true` with `launch_type: EC2`; ECS assigns public IPs to Fargate tasks only",
            project.path.display()
        ))
        .hint("set `assign_public_ip: false` (EC2 tasks get their address from the instance's subnet)"));
    }
    for strategy in [
        Some(&project.placement),
        project.ephemeral_placement.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if let Placement::CapacityProviders(items) = strategy {
            check_strategy(items).map_err(|m| {
                at(
                    "strategy-weight-base",
                    format!("{}: {m}", project.path.display()),
                )
            })?;
        }
    }
    Ok(())
}

/// A capacity provider strategy ECS takes.
pub fn check_strategy(items: &[crate::config::CapacityProviderItem]) -> Result<(), String> {
    for i in items {
        if i.capacity_provider.trim().is_empty() {
            return Err(
                "a capacity provider strategy item has an empty `capacity_provider`".into(),
            );
        }
        if !(0..=1000).contains(&i.weight) {
            return Err(format!(
                "capacity provider `{}` has weight {}; ECS takes 0 to 1000",
                i.capacity_provider, i.weight
            ));
        }
        if !(0..=100_000).contains(&i.base) {
            return Err(format!(
                "capacity provider `{}` has base {}; ECS takes 0 to 100000",
                i.capacity_provider, i.base
            ));
        }
    }
    if !items.is_empty() && items.iter().all(|i| i.weight == 0) {
        return Err(
            "every capacity provider has weight 0; at least one needs a weight above 0".into(),
        );
    }
    if items.iter().filter(|i| i.base > 0).count() > 1 {
        return Err(
            "more than one capacity provider has a base; ECS allows a base on one only".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_a_source_for_every_rule() {
        println!("ecs rules: {} rules checked before any call", RULES.len());
        assert!(RULES.len() >= 12);
        let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len(), "ids are unique");
        assert!(
            RULES
                .iter()
                .all(|r| r.source.starts_with("https://docs.aws.amazon.com/"))
        );
    }

    #[test]
    fn the_safety_chapter_lists_every_rule_with_its_source() {
        let chapter = include_str!("../../docs/safety.md");
        for r in RULES {
            let row = format!(
                "| `{}` | {} | {} | [docs]({}) |",
                r.id, r.request, r.rule, r.source
            );
            assert!(chapter.contains(&row), "docs/safety.md lacks the row {row}");
        }
    }

    #[test]
    fn fargate_sizes_are_the_offered_pairs() {
        assert!(fargate_size("256", "512").is_ok());
        assert!(fargate_size("1 vCPU", "2 GB").is_ok());
        assert!(fargate_size("4096", "30720").is_ok());
        let err = fargate_size("256", "4096").unwrap_err();
        assert!(
            err.contains("memory is one of 512, 1024, 2048 (MiB)"),
            "{err}"
        );
        assert!(
            fargate_size("300", "512")
                .unwrap_err()
                .contains("does not offer cpu")
        );
        assert!(fargate_size("8192", "20480").is_ok());
        assert!(fargate_size("8192", "18432").is_err());
    }

    #[test]
    fn tags_follow_ecs_rules() {
        assert!(tag_ok("team", "payments").is_ok());
        assert!(
            tag_ok("owner", "राम.शर्मा@example.com").is_err(),
            "U+093E is a mark, not a letter"
        );
        assert!(
            tag_ok("Cost Center", "R&D (EU)")
                .unwrap_err()
                .contains("characters ECS refuses")
        );
        assert!(tag_ok("", "x").is_err());
        assert!(tag_ok("aws:x", "y").is_err());
        assert!(tag_ok(&"k".repeat(129), "").is_err());
        assert!(tag_ok("k", &"v".repeat(257)).is_err());
    }

    #[test]
    fn strategies_need_a_weight_and_one_base_at_most() {
        let item = |p: &str, weight, base| crate::config::CapacityProviderItem {
            capacity_provider: p.into(),
            weight,
            base,
        };
        assert!(check_strategy(&[item("FARGATE", 1, 0)]).is_ok());
        assert!(
            check_strategy(&[item("FARGATE", 0, 0)])
                .unwrap_err()
                .contains("at least one")
        );
        assert!(check_strategy(&[item("FARGATE", -1, 0)]).is_err());
        assert!(check_strategy(&[item("", 1, 0)]).is_err());
        assert!(check_strategy(&[item("A", 1, 1), item("B", 1, 2)]).is_err());
    }
}
