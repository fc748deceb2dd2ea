//! ECS is eventually consistent: a service created seconds ago can be missing
//! from DescribeServices and ListServices. A removal that concluded "not
//! deployed" from that would deregister the task definition of a service about
//! to appear, so it first gives such a service a moment to show up.
//!
//! The sign of a service that may not be visible yet: no service record at all
//! (not even DRAINING or INACTIVE) while the family has a managed task definition
//! revision that `up` registered moments ago.

use std::time::Duration;

use jiff::Timestamp;

use super::poller::Poller;
use super::progress::Progress;
use crate::ecs::{Ecs, ServiceState};
use crate::error::{ExitKind, UserError};
use crate::naming::tags;

/// A revision registered this recently may belong to a service ECS does not show yet.
pub const RECENT: Duration = Duration::from_secs(120);
/// How long a removal waits for such a service to appear.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Whether a revision registered at `registered` (its `dynroute:updated-at`) is recent at `now`.
pub fn is_recent(registered: Timestamp, now: Timestamp) -> bool {
    now.duration_since(registered).unsigned_abs() < RECENT
}

/// The families among `families` that have no service record in `states` and
/// whose newest managed revision was registered recently.
pub async fn possibly_unseen(
    aws: &dyn Ecs,
    families: &[String],
    states: &[ServiceState],
) -> anyhow::Result<Vec<String>> {
    let now = Timestamp::now();
    let mut unseen = Vec::new();
    for family in families {
        if states.iter().any(|s| &s.name == family) {
            continue;
        }
        let arns = aws.task_definition_arns(family).await?;
        let Some(newest) = arns
            .iter()
            .max_by_key(|arn| crate::ecs::model::revision(arn).unwrap_or(0))
        else {
            continue;
        };
        let td_tags = aws.task_definition_tags(newest).await?;
        let registered = td_tags
            .get(tags::UPDATED_AT)
            .and_then(|t| t.parse::<Timestamp>().ok());
        if tags::is_managed(&td_tags) && registered.is_some_and(|t| is_recent(t, now)) {
            unseen.push(family.clone());
        }
    }
    Ok(unseen)
}

/// Polls DescribeServices until every name in `names` has a record or
/// [`PATIENCE`] has passed; returns the records that appeared.
pub async fn wait_for(
    aws: &dyn Ecs,
    names: &[String],
    poller: Poller,
) -> anyhow::Result<Vec<ServiceState>> {
    let poller = poller.until(tokio::time::Instant::now() + PATIENCE);
    loop {
        let states = aws.describe_services(names).await?;
        if states.len() >= names.len() || poller.tick().await.is_err() {
            return Ok(states);
        }
    }
}

/// For a removal: the records of services among `families` that were missing
/// from `states` only because ECS had not caught up yet. An error (before
/// anything is removed) when such a service still does not show.
pub async fn catch_up(
    aws: &dyn Ecs,
    families: &[String],
    states: &[ServiceState],
    poller: Poller,
    progress: &mut dyn Progress,
) -> anyhow::Result<Vec<ServiceState>> {
    let unseen = possibly_unseen(aws, families, states).await?;
    if unseen.is_empty() {
        return Ok(Vec::new());
    }
    progress.info(&format!(
        "waiting for ECS to show {} (its task definition was registered moments ago; ECS is eventually consistent)",
        unseen.join(", ")
    ));
    let appeared = wait_for(aws, &unseen, poller).await?;
    let missing: Vec<&str> = unseen
        .iter()
        .filter(|n| !appeared.iter().any(|s| &s.name == *n))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(UserError::new(
            ExitKind::Failure,
            format!(
                "ECS does not show a service {} yet, although its task definition was registered less than {} s ago; nothing was removed",
                missing.join(", "),
                RECENT.as_secs()
            ),
        )
        .hint("an `up` may still be creating it, or ECS has not caught up: run the same command again in a minute")
        .into());
    }
    Ok(appeared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_revisions_of_the_last_two_minutes_are_recent() {
        let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        assert!(is_recent("2026-12-01T11:59:30Z".parse().unwrap(), now));
        assert!(!is_recent("2026-12-01T11:57:00Z".parse().unwrap(), now));
        // a clock a little ahead of ours still counts
        assert!(is_recent("2026-12-01T12:00:05Z".parse().unwrap(), now));
    }
}
