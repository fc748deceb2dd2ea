//! The HTML pages, server-rendered with the template engine dynroute already
//! has (minijinja, HTML auto-escaping: every value from a tag, AWS or Traefik
//! is text), every asset in the binary, no JavaScript.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use minijinja::{AutoEscape, Environment};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::ui::terminal_text::escape_controls;

use super::Catalog;
use super::proof::Proof;
use super::snapshot::{Filter, Row, page};
use crate::engine::inventory::VersionStatus;

fn value<T: Serialize>(v: T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(v))
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        // Control and bidirectional-override characters become visible
        // escapes first (as on the terminal), then the text is HTML-escaped.
        env.set_formatter(|out, state, value| {
            if value.is_safe() || value.as_str().is_none() {
                return minijinja::escape_formatter(out, state, value);
            }
            let text = escape_controls(value.as_str().unwrap_or_default());
            write!(out, "{}", minijinja::HtmlEscape(&text)).map_err(|_| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write the page")
            })
        });
        for (name, source) in [
            ("base.html", include_str!("templates/base.html")),
            ("index.html", include_str!("templates/index.html")),
            ("version.html", include_str!("templates/version.html")),
            ("not_found.html", include_str!("templates/not_found.html")),
        ] {
            env.add_template(name, source)
                .expect("the catalog's templates parse");
        }
        env
    })
}

/// `3h`, `2d`, `45s`: how long ago, for people.
pub fn ago(then: Timestamp, now: Timestamp) -> String {
    let secs = now.duration_since(then).as_secs().max(0);
    match secs {
        s if s < 120 => format!("{s}s"),
        s if s < 2 * 3600 => format!("{}m", s / 60),
        s if s < 2 * 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// A row as the pages show it.
#[derive(Debug, Serialize)]
struct RowView<'a> {
    version: &'a str,
    status: String,
    status_class: &'static str,
    owner: &'a str,
    pr: Option<u64>,
    pr_url: Option<&'a str>,
    services: String,
    age: String,
    expires: String,
    last_request: Option<String>,
    proof: String,
    proof_class: &'static str,
    link: Option<&'a str>,
    version_hosts: &'a [String],
    header: &'a str,
    curl: String,
    /// Whether the version has a QR code (served at `/qr/{version}.svg`).
    qr: bool,
}

/// What a row shows, at `now`; `recording`: the project records activity
/// (without it, a version has no last request to show).
fn row_view<'a>(
    row: &'a Row,
    proof: Option<&Proof>,
    proofs_on: bool,
    recording: bool,
    now: Timestamp,
) -> RowView<'a> {
    let v = row.version();
    let (proof_text, proof_class) = match (proof, proofs_on) {
        (_, false) => ("no ingress configured: not proven".to_owned(), "muted"),
        (None, true) => ("not proven yet".to_owned(), "muted"),
        (Some(p), true) if p.passed + p.failed == 0 => (
            format!("nothing to prove (no route), {} ago", ago(p.at, now)),
            "muted",
        ),
        (Some(p), true) if p.ok() => (
            format!(
                "{}/{} cases passed, {} ago",
                p.passed,
                p.passed,
                ago(p.at, now)
            ),
            "ok",
        ),
        (Some(p), true) => (
            format!(
                "{} of {} cases failed, {} ago",
                p.failed,
                p.passed + p.failed,
                ago(p.at, now)
            ),
            "bad",
        ),
    };
    RowView {
        version: v.version.as_str(),
        status: v.status.to_string(),
        status_class: match v.status {
            VersionStatus::Running { running, desired } if running == desired => "ok",
            VersionStatus::Failed => "bad",
            _ => "warn",
        },
        owner: v.owner.as_deref().unwrap_or("-"),
        pr: v.pr,
        pr_url: row.pr_url.as_deref(),
        services: (v.services.iter())
            .map(|s| s.service.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        age: v.created_at.map_or_else(|| "-".into(), |c| ago(c, now)),
        last_request: match v.last_request {
            Some(at) => Some(format!("{} ago", ago(at, now))),
            None if recording => Some("none recorded".into()),
            None => None,
        },
        expires: match (v.protected, v.expired, v.expires_at.as_deref()) {
            (true, _, _) => "never (protected)".into(),
            (_, true, _) => "expired".into(),
            (_, _, Some(at)) => at.to_owned(),
            _ => "-".into(),
        },
        proof: proof_text,
        proof_class,
        link: row.ways_in.link.as_deref(),
        version_hosts: &row.ways_in.version_hosts,
        header: &row.ways_in.header,
        curl: row.ways_in.curl.join("\n"),
        qr: row.has_qr(),
    }
}

/// What every page's frame shows.
fn frame(catalog: &Catalog, now: Timestamp) -> BTreeMap<&'static str, minijinja::Value> {
    let snapshot = catalog.snapshot();
    let mut ctx = BTreeMap::new();
    ctx.insert("project", catalog.project.project.to_string().into());
    ctx.insert("cluster", catalog.project.cluster.clone().into());
    ctx.insert(
        "refresh",
        humantime::format_duration(catalog.options.refresh)
            .to_string()
            .into(),
    );
    ctx.insert(
        "age",
        snapshot
            .taken_at
            .map(|t| ago(t, now))
            .unwrap_or_default()
            .into(),
    );
    if let Some(err) = &snapshot.error {
        ctx.insert("error", err.message.clone().into());
        ctx.insert("error_age", ago(err.at, now).into());
    }
    ctx
}

/// `/?project=…&owner=…&page=N` with the filter kept.
fn page_url(filter: &Filter, page: usize) -> String {
    let mut parts = Vec::new();
    let enc = |v: &str| utf8_percent_encode(v, NON_ALPHANUMERIC).to_string();
    for (k, v) in [
        ("project", &filter.project),
        ("service", &filter.service),
        ("owner", &filter.owner),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}={}", enc(v)));
        }
    }
    if let Some(pr) = filter.pr {
        parts.push(format!("pr={pr}"));
    }
    parts.push(format!("page={page}"));
    format!("/?{}", parts.join("&"))
}

/// `/`: the live versions, filtered and paged.
pub fn index(catalog: &Catalog, query: &BTreeMap<String, String>, now: Timestamp) -> String {
    let filter = Filter::from_query(query);
    let number = query
        .get("page")
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(1);
    let snapshot = catalog.snapshot();
    let proofs = catalog.proofs();
    let page = page(&snapshot.rows, &filter, number, catalog.options.page_size);
    let proofs_on = catalog.ingress.is_some();
    let recording = catalog.project.activity.is_some();
    let rows: Vec<RowView> = (page.rows.iter())
        .map(|r| {
            let proof = proofs.get(&r.version().version).map(Arc::as_ref);
            row_view(r, proof, proofs_on, recording, now)
        })
        .collect();
    let mut ctx = frame(catalog, now);
    ctx.insert("rows", value(&rows));
    ctx.insert("filtered", (!filter.is_empty()).into());
    ctx.insert(
        "filter",
        value(BTreeMap::from([
            ("project", filter.project.clone().unwrap_or_default()),
            ("service", filter.service.clone().unwrap_or_default()),
            ("owner", filter.owner.clone().unwrap_or_default()),
            ("pr", filter.pr.map(|p| p.to_string()).unwrap_or_default()),
        ])),
    );
    ctx.insert("matching", page.matching.into());
    ctx.insert("total", snapshot.rows.len().into());
    ctx.insert("page", page.number.into());
    ctx.insert("pages", page.pages.into());
    if page.number > 1 {
        ctx.insert("prev_url", page_url(&filter, page.number - 1).into());
    }
    if page.number < page.pages {
        ctx.insert("next_url", page_url(&filter, page.number + 1).into());
    }
    render("index.html", &ctx)
}

/// A service of a version, for its page.
#[derive(Debug, Serialize)]
struct ServiceDetail {
    name: String,
    ecs_service: String,
    task_definition: String,
    running: i32,
    desired: i32,
    rollout: String,
    hooks: Vec<String>,
    events: Vec<String>,
}

/// `/v/{version}`, or `None` when the version is not live.
pub fn version(catalog: &Catalog, version: &str, now: Timestamp) -> Option<String> {
    let snapshot = catalog.snapshot();
    let proofs = catalog.proofs();
    let row = (snapshot.rows.iter()).find(|r| r.version().version.as_str() == version)?;
    let proof = proofs.get(&row.version().version).map(Arc::as_ref);
    let recording = catalog.project.activity.is_some();
    let view = row_view(row, proof, catalog.ingress.is_some(), recording, now);
    let services: Vec<ServiceDetail> = (row.version().services.iter())
        .map(|s| {
            let state = (row.version().states.iter()).find(|st| st.name == s.ecs_service);
            ServiceDetail {
                name: s.service.to_string(),
                ecs_service: s.ecs_service.clone(),
                task_definition: s.task_definition.clone(),
                running: s.running,
                desired: s.desired,
                rollout: s.rollout_state.map_or("-", |r| r.as_str()).to_owned(),
                hooks: s.hooks.iter().map(|h| h.summary()).collect(),
                events: state
                    .map(|st| {
                        (st.events.iter().take(5))
                            .map(|e| {
                                let at = e.at.map(|t| format!("{} ago: ", ago(t, now)));
                                format!("{}{}", at.unwrap_or_default(), e.message)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let mut ctx = frame(catalog, now);
    ctx.insert("row", value(&view));
    ctx.insert("services", value(&services));
    if let Some(p) = proof {
        ctx.insert("proof", value(p));
    }
    Some(render("version.html", &ctx))
}

/// The 404 page.
pub fn not_found(catalog: &Catalog, message: &str, now: Timestamp) -> String {
    let mut ctx = frame(catalog, now);
    ctx.insert("message", message.into());
    render("not_found.html", &ctx)
}

fn render(name: &str, ctx: &BTreeMap<&'static str, minijinja::Value>) -> String {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .unwrap_or_else(|err| {
            // The templates are the binary's own: a failure is a bug, shown as text.
            format!(
                "<!doctype html><title>error</title><p>{}</p>",
                escape(&err.to_string())
            )
        })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
