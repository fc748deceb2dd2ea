//! `dynroute serve`: the catalog (`crate::catalog`) on `--listen` until Ctrl-C.

use std::sync::Arc;

use crate::catalog::{self, Catalog, Options};
use crate::check::send;
use crate::cli::ServeArgs;
use crate::engine::ingress;
use crate::engine::scope::Scope;
use crate::error::UserError;
use crate::report::ServeReport;
use crate::settings::Settings;

/// Versions per page of `/`.
const PAGE_SIZE: usize = 50;

/// `*`, or `http(s)://host[:port]` with nothing after it.
fn check_origin(origin: &str) -> Result<(), UserError> {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let ok = origin == "*"
        || rest.is_some_and(|r| {
            !r.is_empty()
                && r.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        });
    match ok {
        true => Ok(()),
        false => Err(UserError::usage(format!(
            "--cors-origin {}: not an origin",
            crate::error::quoted(origin)
        ))
        .hint("an origin is a scheme and a host, e.g. https://qa.example.com (or `*` for any)")),
    }
}

fn check_pr_url(template: &str) -> Result<(), UserError> {
    let ok = (template.starts_with("https://") || template.starts_with("http://"))
        && template.contains("{pr}")
        && !template
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`".contains(c));
    match ok {
        true => Ok(()),
        false => Err(UserError::usage(format!(
            "--pr-url {}: not a URL template with {{pr}}",
            crate::error::quoted(template)
        ))
        .hint("e.g. https://gitlab.example.com/{repo}/-/merge_requests/{pr}")),
    }
}

pub async fn run(settings: &Settings, args: ServeArgs) -> anyhow::Result<ServeReport> {
    let project = settings.project()?;
    for origin in &args.cors_origins {
        check_origin(origin)?;
    }
    check_pr_url(&args.pr_url)?;
    if !args.listen.ip().is_loopback() {
        settings.ui.warn(format!(
            "listening on {}: the catalog has no login of its own; put it behind your load balancer's authentication (see the Catalog chapter)",
            args.listen
        ));
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| {
            UserError::usage(format!("cannot listen on {}: {e}", args.listen))
                .hint("pick another address with --listen (port 0: any free port)")
        })?;
    let bound = listener.local_addr()?;

    let aws = Arc::new(settings.aws(&project).await?);
    let ingress = match ingress::resolve(aws.as_ref(), &project).await {
        Ok(found) => found,
        Err(err) => {
            settings.ui.warn(format!(
                "no routing proofs: the ingress cannot be resolved ({})",
                crate::error::chain_text(&err)
            ));
            None
        }
    };
    let scope = Scope::new(&project.project, args.all_projects);
    let options = Options {
        refresh: args.refresh,
        proof_every: args.proof_every,
        cors_origins: args.cors_origins.clone(),
        pr_url: args.pr_url.clone(),
        page_size: PAGE_SIZE,
    };
    let catalog = Arc::new(Catalog::new(project, scope, options, ingress));
    let client = send::client(std::time::Duration::from_secs(5))?;
    settings.ui.info(format!(
        "serving the catalog on http://{bound}/ (Ctrl-C stops it)"
    ));
    let server = axum::serve(listener, catalog::http::router(catalog.clone()))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        });
    // The poller and the prover run beside the server, for its lifetime.
    tokio::select! {
        served = server => served?,
        () = catalog::poll::run(catalog.clone(), aws.clone()) => {}
        () = catalog::proof::run(catalog.clone(), client) => {}
    }
    Ok(ServeReport {
        listen: bound.to_string(),
        requests: catalog.metrics.requests_total(),
        versions: catalog.snapshot().rows.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_pr_templates_are_checked() {
        for ok in ["*", "https://qa.example.com", "http://127.0.0.1:3000"] {
            check_origin(ok).unwrap();
        }
        for bad in [
            "qa.example.com",
            "https://",
            "https://a.com/path",
            "https://a.com\r\nX: y",
        ] {
            assert!(check_origin(bad).is_err(), "{bad}");
        }
        check_pr_url("https://github.com/{repo}/pull/{pr}").unwrap();
        assert!(check_pr_url("javascript:alert({pr})").is_err());
        assert!(check_pr_url("https://x/{repo}").is_err());
        assert!(check_pr_url("https://x/\"{pr}").is_err());
    }
}
