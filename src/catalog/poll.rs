//! The one poller: reads the inventory every `--refresh`, whatever the number
//! of clients. A failed read keeps the last good snapshot, records the error
//! (shown with the snapshot's age) and waits twice as long before the next,
//! up to [`MAX_BACKOFF`]. With `activity:` configured, a good read is also
//! what the activity recorder compares Traefik's counters with, every
//! `activity.every` (no listing of its own).

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::Catalog;
use super::snapshot::{self, RefreshError, Snapshot};
use crate::ecs::{Ecs, ServiceState};
use crate::engine::activity::recorder::{self, MetricsReader};
use crate::engine::inventory;

/// The longest wait after failed reads.
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// Reads once and publishes the result; returns whether the read succeeded.
pub async fn refresh(catalog: &Catalog, ecs: &dyn Ecs) -> bool {
    read(catalog, ecs, false).await.is_some()
}

/// Reads once and publishes the result; when it succeeded, the services read
/// (copied only with `keep`: the activity recorder's turn).
async fn read(catalog: &Catalog, ecs: &dyn Ecs, keep: bool) -> Option<Vec<ServiceState>> {
    let now = Timestamp::now();
    let listed = inventory::list(ecs, &catalog.project, &catalog.scope, now).await;
    let previous = catalog.snapshot();
    match listed {
        Ok(views) => {
            let states: Vec<ServiceState> = match keep {
                true => views
                    .iter()
                    .flat_map(|v| v.states.iter().cloned())
                    .collect(),
                false => Vec::new(),
            };
            let rows = snapshot::rows(&catalog.project, views, &catalog.options.pr_url);
            let versions: Vec<_> = rows.iter().map(|r| r.version().version.clone()).collect();
            catalog.set_snapshot(Snapshot {
                taken_at: Some(now),
                rows: Arc::new(rows),
                error: None,
                generation: previous.generation + 1,
            });
            catalog.keep_proofs_of(&versions);
            catalog.metrics.refreshed(true);
            Some(states)
        }
        Err(err) => {
            catalog.set_snapshot(Snapshot {
                taken_at: previous.taken_at,
                rows: previous.rows.clone(),
                error: Some(RefreshError {
                    at: now,
                    message: crate::error::chain_text(&err),
                }),
                generation: previous.generation + 1,
            });
            catalog.metrics.refreshed(false);
            None
        }
    }
}

/// Refreshes for ever (the server's lifetime); records activity after a
/// good read once `activity.every` has passed since the last recording.
pub async fn run(catalog: Arc<Catalog>, ecs: Arc<dyn Ecs>, reader: Option<Arc<dyn MetricsReader>>) {
    let every = catalog.options.refresh;
    let mut wait = every;
    let mut recorded: Option<Instant> = None;
    loop {
        // Half a refresh early is on time: the next read would be late.
        let due = (catalog.project.activity.as_ref())
            .filter(|_| reader.is_some())
            .is_some_and(|a| recorded.is_none_or(|at| at.elapsed() + every / 2 >= a.every));
        let states = read(&catalog, ecs.as_ref(), due).await;
        wait = match states {
            Some(_) => every,
            None => (wait * 2).min(MAX_BACKOFF).max(every),
        };
        if let (Some(states), Some(reader), Some(activity)) =
            (states, &reader, &catalog.project.activity)
            && due
        {
            recorded = Some(Instant::now());
            let result = recorder::record(
                ecs.as_ref(),
                reader.as_ref(),
                &catalog.project,
                activity,
                &states,
                Timestamp::now(),
            )
            .await;
            catalog.set_recording(result);
        }
        tokio::time::sleep(wait).await;
    }
}
