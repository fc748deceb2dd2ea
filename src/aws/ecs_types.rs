//! SDK ECS types ↔ dynroute's domain values: services, deployments, events,
//! tags and network configuration.

use std::collections::BTreeMap;

use aws_sdk_ecs::types as sdk;

use crate::config::Network;
use crate::ecs::{
    Deployment, DeploymentStatus, RolloutState, ServiceEvent, ServiceState, ServiceStatus,
};

pub(super) fn ts(t: Option<&aws_smithy_types::DateTime>) -> Option<jiff::Timestamp> {
    let t = t?;
    jiff::Timestamp::new(t.secs(), t.subsec_nanos() as i32).ok()
}

pub(super) fn tags_map(tags: &[sdk::Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_owned(),
                t.value().unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}

pub(super) fn sdk_tags(tags: &[(String, String)]) -> Vec<sdk::Tag> {
    tags.iter()
        .map(|(k, v)| sdk::Tag::builder().key(k).value(v).build())
        .collect()
}

pub(super) fn service_state(s: &sdk::Service) -> ServiceState {
    ServiceState {
        name: s.service_name().unwrap_or_default().to_owned(),
        arn: s.service_arn().unwrap_or_default().to_owned(),
        status: ServiceStatus::parse(s.status().unwrap_or_default()),
        desired: s.desired_count(),
        running: s.running_count(),
        pending: s.pending_count(),
        task_definition: s.task_definition().unwrap_or_default().to_owned(),
        deployments: s
            .deployments()
            .iter()
            .map(|d| Deployment {
                id: d.id().unwrap_or_default().to_owned(),
                status: DeploymentStatus::parse(d.status().unwrap_or_default()),
                task_definition: d.task_definition().unwrap_or_default().to_owned(),
                desired: d.desired_count(),
                running: d.running_count(),
                pending: d.pending_count(),
                failed: d.failed_tasks(),
                rollout_state: d
                    .rollout_state()
                    .and_then(|r| RolloutState::parse(r.as_str())),
                rollout_reason: d.rollout_state_reason().map(str::to_owned),
            })
            .collect(),
        events: s
            .events()
            .iter()
            .map(|e| ServiceEvent {
                at: ts(e.created_at()),
                message: e.message().unwrap_or_default().to_owned(),
            })
            .collect(),
        tags: tags_map(s.tags()),
        network: s
            .network_configuration()
            .and_then(|n| n.awsvpc_configuration())
            .map(network_of),
    }
}

/// The awsvpc configuration ECS reports, in the config's terms.
fn network_of(vpc: &sdk::AwsVpcConfiguration) -> Network {
    Network {
        subnets: vpc.subnets().to_vec(),
        security_groups: vpc.security_groups().to_vec(),
        assign_public_ip: vpc.assign_public_ip() == Some(&sdk::AssignPublicIp::Enabled),
    }
}

/// A capacity provider strategy as ECS takes it (CreateService, RunTask).
pub(super) fn capacity_strategy(
    items: &[crate::config::CapacityProviderItem],
) -> Vec<sdk::CapacityProviderStrategyItem> {
    items
        .iter()
        .map(|i| {
            sdk::CapacityProviderStrategyItem::builder()
                .capacity_provider(&i.capacity_provider)
                .weight(i.weight)
                .base(i.base)
                .build()
                .expect("capacity provider is set")
        })
        .collect()
}

pub(super) fn network_configuration(network: &Network) -> sdk::NetworkConfiguration {
    let vpc = sdk::AwsVpcConfiguration::builder()
        .set_subnets(Some(network.subnets.clone()))
        .set_security_groups(Some(network.security_groups.clone()))
        .assign_public_ip(if network.assign_public_ip {
            sdk::AssignPublicIp::Enabled
        } else {
            sdk::AssignPublicIp::Disabled
        })
        .build()
        .expect("subnets are set");
    sdk::NetworkConfiguration::builder()
        .awsvpc_configuration(vpc)
        .build()
}
