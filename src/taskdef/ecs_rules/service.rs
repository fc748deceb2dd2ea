//! The rules of CreateService and UpdateService, and the placement rules of a
//! task definition that depend on the project's launch type and network.

use super::super::model::TaskDefinition;
use super::broken;
use crate::config::{LaunchType, Placement, Project, ServiceSettings};
use crate::error::UserError;

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
    let fargate = matches!(
        project.placement,
        Placement::LaunchType(LaunchType::Fargate)
    ) || td.requires_compatibility("FARGATE");
    let template = service.template.display();
    let awsvpc = td.is_awsvpc();
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
