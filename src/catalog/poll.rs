//! The one poller: reads the inventory every `--refresh`, whatever the number
//! of clients. A failed read keeps the last good snapshot, records the error
//! (shown with the snapshot's age) and waits twice as long before the next,
//! up to [`MAX_BACKOFF`].

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use super::Catalog;
use super::snapshot::{self, RefreshError, Snapshot};
use crate::ecs::Ecs;
use crate::engine::inventory;

/// The longest wait after failed reads.
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// Reads once and publishes the result; returns whether the read succeeded.
pub async fn refresh(catalog: &Catalog, ecs: &dyn Ecs) -> bool {
    let now = Timestamp::now();
    let listed = inventory::list(ecs, &catalog.project, &catalog.scope, now).await;
    let previous = catalog.snapshot();
    match listed {
        Ok(views) => {
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
            true
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
            false
        }
    }
}

/// Refreshes for ever (the server's lifetime).
pub async fn run(catalog: Arc<Catalog>, ecs: Arc<dyn Ecs>) {
    let every = catalog.options.refresh;
    let mut wait = every;
    loop {
        wait = match refresh(&catalog, ecs.as_ref()).await {
            true => every,
            false => (wait * 2).min(MAX_BACKOFF).max(every),
        };
        tokio::time::sleep(wait).await;
    }
}
