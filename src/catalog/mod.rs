//! The catalog: `dynroute serve`, a read-only web server for the people who
//! have no AWS credentials. One poller reads the inventory every `--refresh`
//! ([`poll`]); a prover sends `check`'s cases through the ingress for a version
//! when it appears or changes and at most every `--proof-every` ([`proof`]);
//! pages ([`pages`]), the JSON API ([`api`]), `/healthz` and `/metrics`
//! ([`metrics`]) are served from that snapshot ([`http`]), whatever the number
//! of clients. Its only writes to AWS are the activity recorder's tags, when
//! the project configures `activity:`.

pub mod api;
pub mod cache;
pub mod http;
pub mod metrics;
pub mod pages;
pub mod poll;
pub mod proof;
pub mod qr;
pub mod snapshot;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::config::Project;
use crate::engine::activity::recorder::Recording;
use crate::engine::scope::Scope;
use crate::naming::Version;

/// How the catalog serves.
#[derive(Debug, Clone)]
pub struct Options {
    /// How often the poller reads the inventory.
    pub refresh: Duration,
    /// How often a version's routing proof is sent again when nothing changed.
    pub proof_every: Duration,
    /// Origins the JSON API answers with `Access-Control-Allow-Origin`.
    pub cors_origins: Vec<String>,
    /// `{repo}` and `{pr}` make a version's pull request link.
    pub pr_url: String,
    /// Versions per page of `/`.
    pub page_size: usize,
}

/// The routing proofs by version. Each proof is shared: a new proof copies the
/// map's references, not every other proof's cases (5,000 versions proven 20 a
/// second would otherwise copy 100,000 proofs a second).
pub type Proofs = BTreeMap<Version, Arc<proof::Proof>>;

/// What every request reads: the last good snapshot, the proofs, the counters.
pub struct Catalog {
    pub project: Project,
    pub scope: Scope,
    pub options: Options,
    /// Where the proofs' requests go (`None`: no ingress configured, no proofs).
    pub ingress: Option<String>,
    snapshot: RwLock<Arc<snapshot::Snapshot>>,
    proofs: RwLock<(u64, Arc<Proofs>)>,
    pub metrics: metrics::Metrics,
    /// Rendered pages and API answers ([`cache`]).
    pub cache: cache::Cache,
    /// The last activity recording, or why it failed.
    recording: RwLock<Option<Result<Recording, String>>>,
}

impl Catalog {
    pub fn new(
        project: Project,
        scope: Scope,
        options: Options,
        ingress: Option<String>,
    ) -> Catalog {
        Catalog {
            project,
            scope,
            options,
            ingress,
            snapshot: RwLock::new(Arc::new(snapshot::Snapshot::default())),
            proofs: RwLock::new((0, Arc::new(BTreeMap::new()))),
            metrics: metrics::Metrics::default(),
            cache: cache::Cache::default(),
            recording: RwLock::new(None),
        }
    }

    /// The last activity recording (`None`: none yet), or why it failed.
    pub fn recording(&self) -> Option<Result<Recording, String>> {
        self.recording
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_recording(&self, result: anyhow::Result<Recording>) {
        let result = result.map_err(|e| crate::error::chain_text(&e));
        let heartbeat = result.as_ref().ok().and_then(|r| r.heartbeat.as_ref());
        self.metrics.recorded(heartbeat.map(|h| h.last));
        *self.recording.write().unwrap_or_else(|e| e.into_inner()) = Some(result);
    }

    /// The current snapshot (cheap: one reference count).
    pub fn snapshot(&self) -> Arc<snapshot::Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_snapshot(&self, snapshot: snapshot::Snapshot) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }

    /// The routing proofs by version.
    pub fn proofs(&self) -> Arc<Proofs> {
        self.proofs
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .clone()
    }

    /// What a rendered answer depends on now ([`cache::Stamp`]).
    pub fn stamp(&self, now: jiff::Timestamp) -> cache::Stamp {
        let proofs = self.proofs.read().unwrap_or_else(|e| e.into_inner()).0;
        (self.snapshot().generation, proofs, now.as_second())
    }

    fn set_proof(&self, version: Version, proof: proof::Proof) {
        let mut guard = self.proofs.write().unwrap_or_else(|e| e.into_inner());
        let mut next = (*guard.1).clone();
        next.insert(version, Arc::new(proof));
        *guard = (guard.0 + 1, Arc::new(next));
    }

    /// Forgets the proofs of versions that are gone.
    fn keep_proofs_of(&self, live: &[Version]) {
        let live: BTreeSet<&Version> = live.iter().collect();
        let mut guard = self.proofs.write().unwrap_or_else(|e| e.into_inner());
        if guard.1.keys().all(|v| live.contains(v)) {
            return;
        }
        let next = (guard.1.iter())
            .filter(|(v, _)| live.contains(v))
            .map(|(v, p)| (v.clone(), p.clone()))
            .collect();
        *guard = (guard.0 + 1, Arc::new(next));
    }
}

#[cfg(test)]
mod tests;
