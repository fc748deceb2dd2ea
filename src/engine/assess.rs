//! Where a rollout stands, judged from one DescribeServices answer (pure).

use crate::ecs::model::revision;
use crate::ecs::{RolloutState, ServiceState, short_arn};

/// The phase of one service's rollout towards a task definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Tasks are starting or old ones draining.
    Deploying,
    /// All desired tasks run the target task definition.
    Stable,
    /// A later `up` replaced the target (a newer revision is primary): not ours to wait for.
    Superseded,
    /// The circuit breaker failed the deployment or rolled it back.
    Failed(String),
    /// The service is gone (deleted while we waited).
    Gone,
}

/// A one-line view of a rollout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub phase: Phase,
    pub running: i32,
    pub desired: i32,
    pub latest_event: Option<String>,
}

/// Judges `state` against the task definition `target` that `up` registered.
pub fn assess(state: Option<&ServiceState>, target: &str) -> Assessment {
    let Some(state) = state.filter(|s| s.is_live()) else {
        return Assessment {
            phase: Phase::Gone,
            running: 0,
            desired: 0,
            latest_event: None,
        };
    };
    let latest_event = state.events.first().map(|e| e.message.clone());
    let ours = state
        .deployments
        .iter()
        .find(|d| d.task_definition == target);
    let (running, desired) =
        ours.map_or((state.running, state.desired), |d| (d.running, d.desired));
    let phase = match (state.primary(), ours) {
        (Some(primary), _) if primary.task_definition != target => {
            // Another task definition is primary: the circuit breaker rolled ours
            // back, or a concurrent `up` deployed after us (then it is not ours to judge).
            let ours_failed = ours.is_some_and(|d| d.rollout_state == Some(RolloutState::Failed));
            let rolled_back = state.events.iter().take(5).any(|e| {
                let m = e.message.to_ascii_lowercase();
                m.contains("rolling back")
                    || m.contains("rolled back")
                    || m.contains("circuit breaker")
            });
            let older = revision(&primary.task_definition) < revision(target);
            if ours_failed || (older && ours.is_none() && rolled_back) {
                let reason = ours
                    .and_then(|d| d.rollout_reason.clone())
                    .or_else(|| latest_event.clone())
                    .unwrap_or_else(|| "the deployment was rolled back".to_owned());
                Phase::Failed(format!(
                    "rolled back to {}: {reason}",
                    short_arn(&primary.task_definition)
                ))
            } else {
                Phase::Superseded
            }
        }
        (_, Some(d)) if d.rollout_state == Some(RolloutState::Failed) => Phase::Failed(
            d.rollout_reason
                .clone()
                .unwrap_or_else(|| "the deployment failed".to_owned()),
        ),
        (_, Some(d))
            if d.rollout_state == Some(RolloutState::Completed) && d.running >= d.desired =>
        {
            Phase::Stable
        }
        // Without rollout states: one deployment with every task running.
        (_, Some(d))
            if d.rollout_state.is_none()
                && state.deployments.len() == 1
                && d.running == d.desired
                && d.pending == 0 =>
        {
            Phase::Stable
        }
        _ => Phase::Deploying,
    };
    Assessment {
        phase,
        running,
        desired,
        latest_event,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::{Deployment, DeploymentStatus, ServiceEvent};

    const TD1: &str = "arn:aws:ecs:r:1:task-definition/api--v:1";
    const TD2: &str = "arn:aws:ecs:r:1:task-definition/api--v:2";
    const TD3: &str = "arn:aws:ecs:r:1:task-definition/api--v:3";

    fn deployment(status: &str, td: &str, running: i32, rollout: Option<&str>) -> Deployment {
        Deployment {
            id: format!("ecs-svc/{td}"),
            status: DeploymentStatus::parse(status),
            task_definition: td.into(),
            desired: 2,
            running,
            pending: 0,
            failed: 0,
            rollout_state: rollout.and_then(RolloutState::parse),
            rollout_reason: rollout
                .filter(|r| *r == "FAILED")
                .map(|_| "ECS deployment circuit breaker: tasks failed to start.".into()),
        }
    }

    fn state(deployments: Vec<Deployment>) -> ServiceState {
        ServiceState {
            desired: 2,
            task_definition: deployments[0].task_definition.clone(),
            deployments,
            events: vec![ServiceEvent {
                at: None,
                message: "(service api--v) has started 1 tasks".into(),
            }],
            ..ServiceState::fixture("api--v")
        }
    }

    #[test]
    fn completed_rollouts_are_stable() {
        let s = state(vec![deployment("PRIMARY", TD2, 2, Some("COMPLETED"))]);
        let a = assess(Some(&s), TD2);
        assert_eq!(a.phase, Phase::Stable);
        assert_eq!((a.running, a.desired), (2, 2));
        assert_eq!(
            a.latest_event.unwrap(),
            "(service api--v) has started 1 tasks"
        );
    }

    #[test]
    fn rollouts_in_progress_are_deploying() {
        let s = state(vec![
            deployment("PRIMARY", TD2, 1, Some("IN_PROGRESS")),
            deployment("ACTIVE", TD1, 2, Some("COMPLETED")),
        ]);
        assert_eq!(assess(Some(&s), TD2).phase, Phase::Deploying);
        assert_eq!(assess(Some(&s), TD2).running, 1);
    }

    #[test]
    fn failed_and_rolled_back_rollouts_fail() {
        let failed = state(vec![deployment("PRIMARY", TD2, 0, Some("FAILED"))]);
        assert!(
            matches!(assess(Some(&failed), TD2).phase, Phase::Failed(r) if r.contains("circuit breaker"))
        );
        let rolled_back = state(vec![
            deployment("PRIMARY", TD1, 2, Some("IN_PROGRESS")),
            deployment("ACTIVE", TD2, 0, Some("FAILED")),
        ]);
        assert!(
            matches!(assess(Some(&rolled_back), TD2).phase, Phase::Failed(r) if r.starts_with("rolled back to api--v:1"))
        );
    }

    #[test]
    fn another_primary_without_a_failure_supersedes_ours() {
        let s = state(vec![deployment("PRIMARY", TD3, 0, Some("IN_PROGRESS"))]);
        assert_eq!(assess(Some(&s), TD2).phase, Phase::Superseded);
        // A concurrent `up` whose older revision landed after ours.
        let s = state(vec![
            deployment("PRIMARY", TD1, 0, Some("IN_PROGRESS")),
            deployment("ACTIVE", TD2, 1, Some("IN_PROGRESS")),
        ]);
        assert_eq!(assess(Some(&s), TD2).phase, Phase::Superseded);
    }

    #[test]
    fn a_rollback_event_without_our_deployment_is_a_failure() {
        let mut s = state(vec![deployment("PRIMARY", TD1, 2, Some("IN_PROGRESS"))]);
        s.events[0].message =
            "(service api--v) rolling back to deployment ecs-svc/1: circuit breaker".into();
        assert!(matches!(assess(Some(&s), TD2).phase, Phase::Failed(_)));
    }

    #[test]
    fn without_rollout_states_one_full_deployment_is_stable() {
        let s = state(vec![deployment("PRIMARY", TD1, 2, None)]);
        assert_eq!(assess(Some(&s), TD1).phase, Phase::Stable);
        assert_eq!(assess(None, TD1).phase, Phase::Gone);
    }
}
