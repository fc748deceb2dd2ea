//! The fake's stand-in for the ECS scheduler: one step per DescribeServices.

use super::{Rollout, State, deployment};
use crate::ecs::{DeploymentStatus, RolloutState, ServiceEvent, ServiceStatus};

/// One scheduler step: rollouts complete, roll back or hang; draining ends.
pub(super) fn advance(s: &mut State) {
    let names: Vec<String> = s.services.keys().cloned().collect();
    for name in names {
        if let Some(left) = s.drains.get_mut(&name) {
            if *left == 0 {
                s.drains.remove(&name);
                if let Some(svc) = s.services.get_mut(&name) {
                    svc.status = ServiceStatus::Inactive;
                }
            } else {
                *left -= 1;
            }
        }
        let rollout = s.rollouts.get(&name).copied().unwrap_or_default();
        let Some(svc) = s.services.get_mut(&name) else {
            continue;
        };
        let Some(primary) = svc.deployments.first().cloned() else {
            continue;
        };
        if primary.rollout_state != Some(RolloutState::InProgress) {
            continue;
        }
        match rollout {
            Rollout::Hangs => {}
            Rollout::Completes => {
                svc.deployments = vec![deployment(
                    &primary.task_definition,
                    primary.desired,
                    primary.desired,
                    RolloutState::Completed,
                )];
                svc.running = primary.desired;
                svc.task_definition = primary.task_definition.clone();
                svc.events.insert(
                    0,
                    ServiceEvent {
                        at: None,
                        message: format!("(service {name}) has reached a steady state."),
                    },
                );
            }
            Rollout::RollsBack => {
                let mut failed = primary.clone();
                failed.status = DeploymentStatus::Active;
                failed.rollout_state = Some(RolloutState::Failed);
                failed.rollout_reason =
                    Some("ECS deployment circuit breaker: tasks failed to start.".into());
                let previous = svc.deployments.get(1).cloned();
                svc.deployments = match previous {
                    Some(mut p) => {
                        p.status = DeploymentStatus::Primary;
                        vec![p, failed]
                    }
                    None => vec![failed],
                };
            }
        }
    }
}
