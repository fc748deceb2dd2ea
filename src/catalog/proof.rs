//! The routing proof of each version: `check`'s cases for that version, sent
//! through the ingress (a bounded number at a time) when the version appears
//! or changes (its revisions or counts) and at most every `--proof-every`
//! otherwise — never a full `check` per refresh.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use super::Catalog;
use super::snapshot::Snapshot;
use crate::check::cases::{self, Filter, Routing, ServiceTable};
use crate::check::{select, send};
use crate::naming::Version;

/// Requests in flight for one proof.
pub const CONCURRENCY: usize = 8;
/// At most this many versions are proven per round (the rest next round).
pub const PER_ROUND: usize = 20;
/// The pause between rounds.
pub const ROUND: Duration = Duration::from_secs(1);

/// One version's proof.
#[derive(Debug, Clone, Serialize)]
pub struct Proof {
    pub at: Timestamp,
    pub passed: usize,
    pub failed: usize,
    pub cases: Vec<ProofCase>,
    /// The row's fingerprint when it was proven.
    #[serde(skip)]
    pub fingerprint: String,
}

/// One request of a proof and what answered it.
#[derive(Debug, Clone, Serialize)]
pub struct ProofCase {
    pub id: String,
    pub kind: &'static str,
    pub host: String,
    pub expect_version: String,
    /// `HTTP 200 from feature-1`, `no answer: …`.
    pub answered: String,
    pub passed: bool,
}

impl Proof {
    /// Every case answered as it must (a version with no case proves nothing
    /// and fails nothing).
    pub fn ok(&self) -> bool {
        self.failed == 0
    }
}

/// The versions of `snapshot` whose proof is missing, stale (their row
/// changed) or older than `every`, most urgent first.
pub fn due(
    snapshot: &Snapshot,
    proofs: &super::Proofs,
    every: Duration,
    now: Timestamp,
) -> Vec<Version> {
    let mut due: Vec<(u8, Timestamp, Version)> = Vec::new();
    for row in snapshot.rows.iter() {
        let version = &row.version().version;
        let rank = match proofs.get(version) {
            None => (0, Timestamp::UNIX_EPOCH),
            Some(p) if p.fingerprint != row.fingerprint => (1, p.at),
            Some(p) => {
                let age = now.duration_since(p.at).unsigned_abs();
                if age < every {
                    continue;
                }
                (2, p.at)
            }
        };
        due.push((rank.0, rank.1, version.clone()));
    }
    due.sort();
    due.into_iter().map(|(_, _, v)| v).collect()
}

/// Proves `version` with the tables of `snapshot`.
pub async fn prove(
    catalog: &Catalog,
    client: &reqwest::Client,
    ingress: &str,
    tables: &[ServiceTable],
    snapshot: &Snapshot,
    version: &Version,
) -> Proof {
    let filter = Filter {
        versions: vec![version.clone()],
    };
    let cases = cases::generate(tables, &Routing::of(&catalog.project), &filter);
    let answers = send::send_all(client, ingress, &cases, CONCURRENCY).await;
    let cases: Vec<ProofCase> = cases
        .into_iter()
        .zip(answers)
        .map(|(case, answer)| ProofCase {
            passed: answer.proves(&case),
            answered: answer.describe(),
            kind: case.kind.as_str(),
            host: case.host,
            expect_version: case.expect_version.to_string(),
            id: case.id,
        })
        .collect();
    let failed = cases.iter().filter(|c| !c.passed).count();
    Proof {
        at: Timestamp::now(),
        passed: cases.len() - failed,
        failed,
        cases,
        fingerprint: (snapshot.rows.iter())
            .find(|r| &r.version().version == version)
            .map(|r| r.fingerprint.clone())
            .unwrap_or_default(),
    }
}

/// The case tables of a snapshot (every live version of every service).
pub fn tables(catalog: &Catalog, snapshot: &Snapshot) -> Vec<ServiceTable> {
    let views: Vec<_> = snapshot.rows.iter().map(|r| r.version().clone()).collect();
    let live = select::live(&views);
    let all = matches!(catalog.scope, crate::engine::scope::Scope::All);
    select::tables(&catalog.project, &live, None, &[], all).0
}

/// Proves what is due, round after round, for ever (without an ingress:
/// nothing, for ever).
pub async fn run(catalog: Arc<Catalog>, client: reqwest::Client) {
    let Some(ingress) = catalog.ingress.clone() else {
        return std::future::pending().await;
    };
    let mut tables_of: Option<(u64, Vec<ServiceTable>)> = None;
    loop {
        let snapshot = catalog.snapshot();
        if snapshot.taken_at.is_some() {
            if tables_of
                .as_ref()
                .is_none_or(|(g, _)| *g != snapshot.generation)
            {
                tables_of = Some((snapshot.generation, tables(&catalog, &snapshot)));
            }
            let tables = &tables_of.as_ref().expect("set above").1;
            let due = due(
                &snapshot,
                &catalog.proofs(),
                catalog.options.proof_every,
                Timestamp::now(),
            );
            for version in due.into_iter().take(PER_ROUND) {
                let proof = prove(&catalog, &client, &ingress, tables, &snapshot, &version).await;
                catalog.metrics.proved(proof.ok());
                catalog.set_proof(version, proof);
            }
        }
        tokio::time::sleep(ROUND).await;
    }
}
