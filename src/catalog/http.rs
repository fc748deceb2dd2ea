//! The routes: `/`, `/v/{version}`, `/api/versions`, `/api/versions/{version}`,
//! `/healthz`, `/metrics`; anything else is a 404 page. Unknown query
//! parameters are ignored; every answer says what it is and forbids scripts.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Timestamp;

use super::Catalog;
use super::snapshot::Filter;
use super::{api, pages};

/// Pages load nothing from elsewhere and run no script.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The catalog's routes over `catalog`.
pub fn router(catalog: Arc<Catalog>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/v/{version}", get(version_page))
        .route("/api/versions", get(api_versions))
        .route("/api/versions/{version}", get(api_version))
        .route("/qr/{file}", get(qr))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .with_state(catalog)
}

fn html(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        body.into(),
    )
        .into_response()
}

/// JSON, with `Access-Control-Allow-Origin` for an allowed origin.
fn json(
    catalog: &Catalog,
    request: &HeaderMap,
    status: StatusCode,
    body: impl Into<axum::body::Body>,
) -> Response {
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body.into(),
    )
        .into_response();
    if let Some(origin) = request.get(header::ORIGIN).and_then(|o| o.to_str().ok())
        && (catalog.options.cors_origins.iter()).any(|allowed| allowed == origin || allowed == "*")
        && let Ok(value) = HeaderValue::from_str(origin)
    {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

/// The cache key of a page or answer: the route, the filter and the page
/// (unknown parameters do not make another key).
fn cache_key(route: &str, filter: &Filter, page: usize, per_page: usize) -> String {
    format!("{route}|{filter:?}|{page}|{per_page}")
}

fn number(query: &BTreeMap<String, String>, key: &str, default: usize) -> usize {
    query
        .get(key)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

async fn index(
    State(catalog): State<Arc<Catalog>>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    catalog.metrics.request("index");
    let now = Timestamp::now();
    let key = cache_key(
        "/",
        &Filter::from_query(&query),
        number(&query, "page", 1),
        0,
    );
    let body = catalog.cache.get_or_render(catalog.stamp(now), key, || {
        pages::index(&catalog, &query, now).into()
    });
    html(StatusCode::OK, body)
}

async fn version_page(
    State(catalog): State<Arc<Catalog>>,
    Path(version): Path<String>,
) -> Response {
    let now = Timestamp::now();
    match pages::version(&catalog, &version, now) {
        Some(body) => {
            catalog.metrics.request("version");
            html(StatusCode::OK, body)
        }
        None => {
            catalog.metrics.request("not_found");
            let message = format!(
                "No live version is called {}.",
                crate::error::quoted(&version)
            );
            html(
                StatusCode::NOT_FOUND,
                pages::not_found(&catalog, &message, now),
            )
        }
    }
}

async fn api_versions(
    State(catalog): State<Arc<Catalog>>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    catalog.metrics.request("api_versions");
    let filter = Filter::from_query(&query);
    let (page, per_page) = (
        number(&query, "page", 1),
        number(&query, "per_page", api::PER_PAGE),
    );
    let now = Timestamp::now();
    let key = cache_key("/api/versions", &filter, page, per_page);
    let body = catalog.cache.get_or_render(catalog.stamp(now), key, || {
        api::versions(&catalog, &filter, page, per_page, now).into()
    });
    json(&catalog, &headers, StatusCode::OK, body)
}

async fn api_version(
    State(catalog): State<Arc<Catalog>>,
    Path(version): Path<String>,
    headers: HeaderMap,
) -> Response {
    match api::version(&catalog, &version) {
        Some(body) => {
            catalog.metrics.request("api_version");
            json(&catalog, &headers, StatusCode::OK, body)
        }
        None => {
            catalog.metrics.request("not_found");
            let body =
                serde_json::json!({"error": "no live version of that name", "version": version});
            json(&catalog, &headers, StatusCode::NOT_FOUND, body.to_string())
        }
    }
}

/// `/qr/{version}.svg`: the QR code of the version's link.
async fn qr(State(catalog): State<Arc<Catalog>>, Path(file): Path<String>) -> Response {
    let snapshot = catalog.snapshot();
    let svg = (file.strip_suffix(".svg"))
        .and_then(|v| {
            snapshot
                .rows
                .iter()
                .find(|r| r.version().version.as_str() == v)
        })
        .and_then(|r| r.qr_svg().map(str::to_owned));
    match svg {
        Some(svg) => {
            catalog.metrics.request("qr");
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "image/svg+xml"),
                    (header::CONTENT_SECURITY_POLICY, CSP),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                ],
                svg,
            )
                .into_response()
        }
        None => not_found(State(catalog)).await,
    }
}

async fn healthz(State(catalog): State<Arc<Catalog>>) -> Response {
    catalog.metrics.request("healthz");
    let snapshot = catalog.snapshot();
    // The last activity recording (with `activity:`): what it read and wrote, or why it failed.
    let activity = match catalog.recording() {
        None => serde_json::Value::Null,
        Some(Ok(recording)) => serde_json::json!({ "recording": recording }),
        Some(Err(error)) => serde_json::json!({ "error": error }),
    };
    let body = serde_json::json!({
        "status": if snapshot.taken_at.is_some() { "ok" } else { "starting" },
        "taken_at": snapshot.taken_at,
        "refresh_error": snapshot.error.as_ref().map(|e| &e.message),
        "activity": activity,
    });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn metrics(State(catalog): State<Arc<Catalog>>) -> Response {
    catalog.metrics.request("metrics");
    let text = catalog.metrics.render(
        &catalog.snapshot(),
        crate::aws::requests_sent(),
        Timestamp::now(),
    );
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

async fn not_found(State(catalog): State<Arc<Catalog>>) -> Response {
    catalog.metrics.request("not_found");
    html(
        StatusCode::NOT_FOUND,
        pages::not_found(&catalog, "There is no such page.", Timestamp::now()),
    )
}
