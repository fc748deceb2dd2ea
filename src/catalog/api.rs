//! The JSON API for mobile debug menus and scripts: `/api/versions` (the
//! rows `ls --json` has, plus the ways in and the routing proof, filtered like
//! `/`) and `/api/versions/{version}`. The unfiltered list is serialised once
//! per snapshot and proof change, not once per request.

use std::sync::Mutex;

use jiff::Timestamp;
use serde::Serialize;

use super::Catalog;
use super::proof::Proof;
use super::snapshot::{Filter, RefreshError, Row};

/// One version as the API answers it.
#[derive(Debug, Serialize)]
pub struct ApiVersion<'a> {
    #[serde(flatten)]
    pub row: &'a Row,
    /// The last routing proof (`null`: not proven yet, or no ingress).
    pub proof: Option<&'a Proof>,
}

/// `/api/versions`.
#[derive(Debug, Serialize)]
pub struct ApiVersions<'a> {
    /// When the inventory was read (`null`: not yet).
    pub taken_at: Option<Timestamp>,
    pub age_seconds: Option<f64>,
    /// The last refresh failed (the versions are from `taken_at`).
    pub error: Option<&'a RefreshError>,
    pub versions: Vec<ApiVersion<'a>>,
}

/// The unfiltered body, kept until the snapshot or the proofs change.
#[derive(Default)]
pub struct Cache {
    body: Mutex<Option<(u64, u64, axum::body::Bytes)>>,
}

/// The body of `/api/versions` for `filter`.
pub fn versions(catalog: &Catalog, filter: &Filter, now: Timestamp) -> axum::body::Bytes {
    let snapshot = catalog.snapshot();
    let (proofs_generation, proofs) = catalog.proofs_with_generation();
    let key = (snapshot.generation, proofs_generation);
    if filter.is_empty()
        && let Some((g, p, body)) = catalog.api_cache.body.lock().ok().and_then(|c| c.clone())
        && (g, p) == key
    {
        return body;
    }
    let body = ApiVersions {
        taken_at: snapshot.taken_at,
        age_seconds: snapshot
            .taken_at
            .map(|t| now.duration_since(t).as_secs_f64().max(0.0)),
        error: snapshot.error.as_ref(),
        versions: (snapshot.rows.iter())
            .filter(|r| filter.matches(r))
            .map(|row| ApiVersion {
                proof: proofs.get(&row.version().version),
                row,
            })
            .collect(),
    };
    let bytes = axum::body::Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
    if filter.is_empty()
        && let Ok(mut cache) = catalog.api_cache.body.lock()
    {
        *cache = Some((key.0, key.1, bytes.clone()));
    }
    bytes
}

/// `/api/versions/{version}`, or `None` when it is not live.
pub fn version(catalog: &Catalog, version: &str) -> Option<Vec<u8>> {
    let snapshot = catalog.snapshot();
    let proofs = catalog.proofs();
    let row = snapshot
        .rows
        .iter()
        .find(|r| r.version().version.as_str() == version)?;
    let one = ApiVersion {
        proof: proofs.get(&row.version().version),
        row,
    };
    serde_json::to_vec(&one).ok()
}
