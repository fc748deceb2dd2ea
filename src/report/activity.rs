//! `activity record`'s report: the replicas read, the services whose last
//! request moved, and the heartbeat written.

use std::fmt;

use serde::Serialize;

use super::Report;
use crate::engine::activity::recorder::Recording;
use crate::error::{ExitKind, UserError};
use crate::naming::tags::rfc3339;

/// The result of `dynroute activity record`.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityReport {
    #[serde(flatten)]
    pub recording: Recording,
}

impl Report for ActivityReport {
    fn failure(&self) -> Option<UserError> {
        let failed: Vec<String> = (self.recording.failed())
            .map(|r| format!("{} ({})", r.url, r.error.as_deref().unwrap_or("not read")))
            .collect();
        if failed.is_empty() {
            return None;
        }
        Some(
            UserError::new(
                ExitKind::Failure,
                format!(
                    "could not read Traefik's metrics from {}; the heartbeat did not move",
                    failed.join(", ")
                ),
            )
            .hint("check that the replica is up and serves /metrics (metrics.prometheus); until every replica is read, `prune --idle` sees a gap"),
        )
    }
}

impl fmt::Display for ActivityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.recording;
        for replica in &r.replicas {
            match &replica.error {
                None => writeln!(
                    f,
                    "read {} ({}): {} requests to {} services",
                    replica.url, replica.key, replica.requests, replica.services
                )?,
                Some(err) => {
                    writeln!(f, "could not read {} ({}): {err}", replica.url, replica.key)?
                }
            }
        }
        if !r.requested.is_empty() {
            writeln!(f, "last request now: {}", r.requested.join(", "))?;
        }
        if !r.recent.is_empty() {
            writeln!(
                f,
                "requested again (recorded less than 5 minutes ago): {}",
                r.recent.join(", ")
            )?;
        }
        if !r.resets.is_empty() {
            writeln!(f, "counters restarted: {}", r.resets.join(", "))?;
        }
        if r.deferred > 0 {
            writeln!(f, "{} writes left for the next recording", r.deferred)?;
        }
        if let (Some(beat), Some(holder)) = (&r.heartbeat, &r.holder) {
            writeln!(
                f,
                "heartbeat: recording without a gap since {}, last at {} (kept on {holder})",
                rfc3339(beat.since),
                rfc3339(beat.last)
            )?;
        }
        Ok(())
    }
}
