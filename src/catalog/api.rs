//! The JSON API for mobile debug menus and scripts: `/api/versions` (the
//! rows `ls --json` has, plus the ways in and the routing proof, filtered like
//! `/`, in pages of `per_page`) and `/api/versions/{version}`.

use std::sync::Arc;

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
    /// The versions that match the filters.
    pub total: usize,
    /// This page (1-based), the number of pages, versions per page.
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    pub versions: Vec<ApiVersion<'a>>,
}

/// Versions per page of `/api/versions` unless `per_page` says otherwise.
pub const PER_PAGE: usize = 100;
/// The most `per_page` may ask for.
pub const MAX_PER_PAGE: usize = 1000;

/// The body of `/api/versions` for `filter`, page `page` of `per_page`.
pub fn versions(
    catalog: &Catalog,
    filter: &Filter,
    page: usize,
    per_page: usize,
    now: Timestamp,
) -> Vec<u8> {
    let snapshot = catalog.snapshot();
    let proofs = catalog.proofs();
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let found = super::snapshot::page(&snapshot.rows, filter, page, per_page);
    let body = ApiVersions {
        taken_at: snapshot.taken_at,
        age_seconds: snapshot
            .taken_at
            .map(|t| now.duration_since(t).as_secs_f64().max(0.0)),
        error: snapshot.error.as_ref(),
        total: found.matching,
        page: found.number,
        pages: found.pages,
        per_page,
        versions: (found.rows.iter())
            .map(|row| ApiVersion {
                proof: proofs.get(&row.version().version).map(Arc::as_ref),
                row,
            })
            .collect(),
    };
    serde_json::to_vec(&body).unwrap_or_default()
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
        proof: proofs.get(&row.version().version).map(Arc::as_ref),
        row,
    };
    serde_json::to_vec(&one).ok()
}
