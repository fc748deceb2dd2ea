//! Container logs of a version: where ECS's `awslogs` driver puts them (read
//! from the task definitions that run), which streams belong to which task, and
//! the lines of several services interleaved by time.

mod since;
mod sources;

pub use since::Since;
pub use sources::{LogSource, NotLogged, sources_of};

use std::collections::BTreeSet;

/// One log event as CloudWatch Logs returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    pub event_id: String,
    pub stream: String,
    /// Milliseconds since the epoch.
    pub timestamp: i64,
    pub message: String,
}

/// Reads CloudWatch Logs (implemented by `aws/`).
#[async_trait::async_trait]
pub trait LogReader: Send + Sync {
    /// The events of these streams of one group from `start_ms` on, oldest first.
    async fn events(
        &self,
        region: &str,
        group: &str,
        streams: &[String],
        start_ms: i64,
    ) -> anyhow::Result<Vec<LogEvent>>;
}

/// What has been shown, so a poll that starts at the last timestamp again
/// (CloudWatch Logs' resolution) shows nothing twice.
#[derive(Debug, Default)]
pub struct Seen {
    /// The newest timestamp shown.
    pub last: Option<i64>,
    ids_at_last: BTreeSet<String>,
}

impl Seen {
    /// Sorts `events` by time (stable: the order within a stream stays) and
    /// drops the ones already shown.
    pub fn fresh<T>(&mut self, mut events: Vec<(T, LogEvent)>) -> Vec<(T, LogEvent)> {
        events.sort_by_key(|(_, e)| e.timestamp);
        events.retain(|(_, e)| match self.last {
            Some(last) if e.timestamp < last => false,
            Some(last) if e.timestamp == last => !self.ids_at_last.contains(&e.event_id),
            _ => true,
        });
        for (_, e) in &events {
            if self.last != Some(e.timestamp) {
                self.last = Some(e.timestamp);
                self.ids_at_last.clear();
            }
            self.ids_at_last.insert(e.event_id.clone());
        }
        events
    }
}

#[cfg(test)]
mod tests;
