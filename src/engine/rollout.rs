//! Waiting for rollouts and for deleted services to drain: poll
//! DescribeServices with the one [`Poller`], report progress, fail fast.

use std::collections::HashSet;

use super::assess::{Assessment, Phase, assess};
use super::poller::Poller;
use super::progress::Progress;
use super::timings::Mark;
use crate::ecs::Ecs;
use crate::error::{ExitKind, UserError};

/// The hint when Ctrl-C ends a rollout wait.
const STILL_DEPLOYING_HINT: &str =
    "the deployment goes on in ECS; a later `dynroute up` or `dynroute down` converges";

/// One service to wait for: its ECS name and the task definition it must run.
#[derive(Debug, Clone)]
pub struct Target {
    pub ecs_name: String,
    pub task_definition: String,
}

/// The progress line for an assessment (for people; reports use the fields).
pub fn progress_line(a: &Assessment) -> String {
    let phase = match &a.phase {
        Phase::Deploying => "deploying",
        Phase::Stable => "running",
        Phase::Superseded => "superseded by a newer deployment",
        Phase::Failed(_) => "failed",
        Phase::Gone => "gone",
    };
    let mut line = format!("{phase} {}/{}", a.running, a.desired);
    if let Phase::Failed(reason) = &a.phase {
        line.push_str(&format!(" – {reason}"));
    } else if let Some(event) = &a.latest_event {
        line.push_str(&format!(" – {event}"));
    }
    line
}

/// Waits until every target is stable. Fails fast (exit 4) on a failed or
/// rolled-back deployment with the stopped tasks' reasons, ends with exit 3 at
/// the poller's deadline (`timeout` names it in the message), and leaves a note
/// for Ctrl-C (exit 130) saying what is still deploying; the deployment goes on.
pub async fn wait_for_rollout(
    ecs: &dyn Ecs,
    targets: &[Target],
    poller: Poller,
    timeout: std::time::Duration,
    progress: &mut dyn Progress,
) -> anyhow::Result<Vec<(String, Assessment)>> {
    let names: Vec<&str> = targets.iter().map(|t| t.ecs_name.as_str()).collect();
    crate::engine::interrupt::note(
        format!("stopped waiting; still deploying: {}", names.join(", ")),
        STILL_DEPLOYING_HINT,
    );
    let result = poll_rollout(ecs, targets, poller, timeout, progress).await;
    crate::engine::interrupt::clear();
    result
}

async fn poll_rollout(
    ecs: &dyn Ecs,
    targets: &[Target],
    poller: Poller,
    timeout: std::time::Duration,
    progress: &mut dyn Progress,
) -> anyhow::Result<Vec<(String, Assessment)>> {
    let names: Vec<String> = targets.iter().map(|t| t.ecs_name.clone()).collect();
    // ECS is eventually consistent: a service just created may not be described yet.
    let mut seen: HashSet<String> = HashSet::new();
    loop {
        let states = ecs.describe_services(&names).await?;
        seen.extend(states.iter().map(|s| s.name.clone()));
        let assessments: Vec<(String, Assessment)> = targets
            .iter()
            .map(|t| {
                let state = states.iter().find(|s| s.name == t.ecs_name);
                let mut a = assess(state, &t.task_definition);
                if a.phase == Phase::Gone && !seen.contains(&t.ecs_name) {
                    a.phase = Phase::Deploying;
                }
                (t.ecs_name.clone(), a)
            })
            .collect();
        if assessments
            .iter()
            .all(|(_, a)| a.running > 0 || a.phase == Phase::Stable)
        {
            progress.phase_ended(Mark::FirstRunning);
        }
        for (name, a) in &assessments {
            match a.phase {
                Phase::Deploying => progress.update(name, &progress_line(a)),
                _ => progress.finish(name, &progress_line(a)),
            }
        }
        if let Some((name, _)) = assessments.iter().find(|(_, a)| a.phase == Phase::Gone) {
            progress.stop();
            return Err(UserError::new(
                ExitKind::Failure,
                format!("{name} was deleted while waiting for its rollout (a concurrent `dynroute down`?)"),
            )
            .hint("run `dynroute up` again to deploy it")
            .into());
        }
        if let Some((name, reason)) = assessments.iter().find_map(|(n, a)| match &a.phase {
            Phase::Failed(r) => Some((n, r.clone())),
            _ => None,
        }) {
            progress.stop();
            let stopped = ecs.stopped_tasks(name).await.unwrap_or_default();
            let mut message = format!("deployment of {name} failed: {reason}");
            for task in stopped.iter().take(5) {
                message.push_str(&format!("\n  {}", task.summary()));
            }
            return Err(UserError::new(ExitKind::DeployFailed, message)
                .hint("`dynroute status` shows the service's events; fix the cause and run `dynroute up` again")
                .into());
        }
        if assessments
            .iter()
            .all(|(_, a)| matches!(a.phase, Phase::Stable | Phase::Superseded))
        {
            return Ok(assessments);
        }
        let pending: Vec<String> = assessments
            .iter()
            .filter(|(_, a)| a.phase == Phase::Deploying)
            .map(|(n, a)| format!("{n} ({})", progress_line(a)))
            .collect();
        // What Ctrl-C reports if it ends the wait (it may come mid-request).
        crate::engine::interrupt::note(
            format!("stopped waiting; still deploying: {}", pending.join(", ")),
            STILL_DEPLOYING_HINT,
        );
        if poller.tick().await.is_err() {
            progress.stop();
            return Err(UserError::new(
                ExitKind::TimedOut,
                format!(
                    "timed out after {} waiting for: {}",
                    humantime::format_duration(timeout),
                    pending.join(", ")
                ),
            )
            .hint("the deployment goes on; `dynroute status` follows it, or re-run with a longer --timeout")
            .into());
        }
    }
}

/// Waits until none of `names` is ACTIVE or DRAINING (deleted services drain for
/// minutes on ECS), telling `progress` whenever the set still there changes.
pub async fn wait_until_gone(
    ecs: &dyn Ecs,
    names: &[String],
    poller: Poller,
    progress: &mut dyn Progress,
) -> anyhow::Result<()> {
    let mut said: Vec<String> = Vec::new();
    loop {
        let states = ecs.describe_services(names).await?;
        let remaining: Vec<String> = states
            .iter()
            .filter(|s| s.is_present())
            .map(|s| s.name.clone())
            .collect();
        if remaining.is_empty() {
            return Ok(());
        }
        if said != remaining {
            progress.info(&format!("waiting for {} to drain", remaining.join(", ")));
            said = remaining.clone();
        }
        if poller.tick().await.is_err() {
            return Err(UserError::new(
                ExitKind::TimedOut,
                format!("still draining: {}", remaining.join(", ")),
            )
            .hint("ECS drains a deleted service's tasks first; try again in a few minutes")
            .into());
        }
    }
}
