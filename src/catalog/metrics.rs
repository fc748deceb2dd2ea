//! `/metrics` in Prometheus' text format: the inventory's age, refreshes and
//! their errors, the AWS requests this process sent (one poller's, whatever
//! the number of clients), the proofs, and the requests served per route.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;

use super::snapshot::Snapshot;

/// The routes counted.
pub const ROUTES: [&str; 8] = [
    "index",
    "version",
    "api_versions",
    "api_version",
    "qr",
    "healthz",
    "metrics",
    "not_found",
];

/// The counters (lock-free: every request bumps one).
#[derive(Debug, Default)]
pub struct Metrics {
    requests: [AtomicU64; ROUTES.len()],
    refreshes: AtomicU64,
    refresh_errors: AtomicU64,
    proofs: AtomicU64,
    proofs_failing: AtomicU64,
    recordings: AtomicU64,
    recording_errors: AtomicU64,
    /// Unix seconds of the last heartbeat written (0: none yet).
    heartbeat: AtomicU64,
}

impl Metrics {
    /// A request to `route` (one of [`ROUTES`]).
    pub fn request(&self, route: &str) {
        if let Some(i) = ROUTES.iter().position(|r| *r == route) {
            self.requests[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn refreshed(&self, ok: bool) {
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        if !ok {
            self.refresh_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn proved(&self, ok: bool) {
        self.proofs.fetch_add(1, Ordering::Relaxed);
        if !ok {
            self.proofs_failing.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// An activity recording; `heartbeat`: when it advanced the heartbeat.
    pub fn recorded(&self, heartbeat: Option<Timestamp>) {
        self.recordings.fetch_add(1, Ordering::Relaxed);
        match heartbeat {
            Some(at) => self.heartbeat.store(
                u64::try_from(at.as_second()).unwrap_or(0),
                Ordering::Relaxed,
            ),
            None => {
                self.recording_errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Requests served so far, all routes.
    pub fn requests_total(&self) -> u64 {
        self.requests
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum()
    }

    /// The text `/metrics` answers.
    pub fn render(&self, snapshot: &Snapshot, aws_requests: u64, now: Timestamp) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, lines: &[(String, String)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for (labels, value) in lines {
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        };
        let plain = |v: String| vec![(String::new(), v)];
        let age = snapshot
            .taken_at
            .map(|t| format!("{:.3}", now.duration_since(t).as_secs_f64().max(0.0)))
            .unwrap_or_else(|| "NaN".into());
        metric(
            "dynroute_catalog_inventory_age_seconds",
            "gauge",
            "Seconds since the last good read of the inventory.",
            &plain(age),
        );
        metric(
            "dynroute_catalog_versions",
            "gauge",
            "Live versions in the last good read.",
            &plain(snapshot.rows.len().to_string()),
        );
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed).to_string();
        metric(
            "dynroute_catalog_refreshes_total",
            "counter",
            "Reads of the inventory.",
            &plain(load(&self.refreshes)),
        );
        metric(
            "dynroute_catalog_refresh_errors_total",
            "counter",
            "Reads of the inventory that failed (the last good one is kept).",
            &plain(load(&self.refresh_errors)),
        );
        metric(
            "dynroute_catalog_aws_requests_total",
            "counter",
            "AWS request attempts this process sent.",
            &plain(aws_requests.to_string()),
        );
        metric(
            "dynroute_catalog_proofs_total",
            "counter",
            "Routing proofs sent through the ingress.",
            &plain(load(&self.proofs)),
        );
        metric(
            "dynroute_catalog_proofs_failing_total",
            "counter",
            "Routing proofs with a failed case.",
            &plain(load(&self.proofs_failing)),
        );
        metric(
            "dynroute_catalog_activity_recordings_total",
            "counter",
            "Activity recordings (Traefik's counters into the last-request tags).",
            &plain(load(&self.recordings)),
        );
        metric(
            "dynroute_catalog_activity_recording_errors_total",
            "counter",
            "Activity recordings that did not advance the heartbeat (a replica or a write failed).",
            &plain(load(&self.recording_errors)),
        );
        metric(
            "dynroute_catalog_activity_heartbeat_timestamp_seconds",
            "gauge",
            "When this process last advanced the activity heartbeat (Unix time; 0: not yet).",
            &plain(load(&self.heartbeat)),
        );
        let per_route: Vec<(String, String)> = ROUTES
            .iter()
            .zip(&self.requests)
            .map(|(r, c)| (format!("{{route=\"{r}\"}}"), load(c)))
            .collect();
        metric(
            "dynroute_catalog_http_requests_total",
            "counter",
            "Requests served, by route.",
            &per_route,
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_format_has_help_type_and_labels() {
        let m = Metrics::default();
        m.request("index");
        m.request("index");
        m.request("nonsense");
        m.refreshed(false);
        let text = m.render(&Snapshot::default(), 7, Timestamp::now());
        assert!(
            text.contains("dynroute_catalog_http_requests_total{route=\"index\"} 2\n"),
            "{text}"
        );
        assert!(text.contains("# TYPE dynroute_catalog_aws_requests_total counter\ndynroute_catalog_aws_requests_total 7\n"));
        assert!(text.contains("dynroute_catalog_refresh_errors_total 1\n"));
        assert!(text.contains("dynroute_catalog_inventory_age_seconds NaN\n"));
        assert_eq!(m.requests_total(), 2);
    }
}
