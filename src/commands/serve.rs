//! `dynroute serve`: the catalog (`crate::catalog`) on `--listen` until Ctrl-C.

use std::sync::Arc;

use crate::catalog::{self, Catalog, Options};
use crate::check::send;
use crate::cli::ServeArgs;
use crate::engine::activity::recorder::{HttpMetrics, MetricsReader};
use crate::engine::ingress;
use crate::engine::scope::Scope;
use crate::error::UserError;
use crate::report::ServeReport;
use crate::settings::Settings;

/// Versions per page of `/`.
const PAGE_SIZE: usize = 50;

pub async fn run(settings: &Settings, args: ServeArgs) -> anyhow::Result<ServeReport> {
    let project = settings.project()?;
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
    // With `activity:`, the poller also records which versions had requests.
    let reader: Option<Arc<dyn MetricsReader>> = match &project.activity {
        Some(_) => Some(Arc::new(HttpMetrics::new()?)),
        None => None,
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
        () = catalog::poll::run(catalog.clone(), aws.clone(), reader) => {}
        () = catalog::proof::run(catalog.clone(), client) => {}
    }
    Ok(ServeReport {
        listen: bound.to_string(),
        requests: catalog.metrics.requests_total(),
        versions: catalog.snapshot().rows.len(),
    })
}
