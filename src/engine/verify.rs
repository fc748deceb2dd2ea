//! `up --verify`: request each service through the ingress with the baggage
//! header until the answer carries `X-Dynroute-Version: VERSION`.

use std::time::Duration;

use futures::future::join_all;

use super::poller::Poller;
use super::progress::Progress;
use crate::error::{ExitKind, UserError};
use crate::routing::VERSION_RESPONSE_HEADER;
use crate::tls;

/// How long one probe request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// One request to make: `url` (the ingress plus the service's path) with `Host: host`.
#[derive(Debug, Clone)]
pub struct Probe {
    pub ecs_name: String,
    pub url: String,
    pub host: String,
}

/// What answered a probe.
fn answer_text(status: u16, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("HTTP {status} from version {v}"),
        None => {
            format!("HTTP {status} without {VERSION_RESPONSE_HEADER} (no dynroute route matched)")
        }
    }
}

/// Probes until every service answers as `version`, or the poller's deadline
/// passes (exit 3), retrying at the poller's interval.
pub async fn verify(
    probes: &[Probe],
    baggage_value: &str,
    version: &str,
    poller: Poller,
    progress: &mut dyn Progress,
) -> anyhow::Result<()> {
    let client = tls::http_client()?
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let progress = std::sync::Mutex::new(progress);
    let results = join_all(probes.iter().map(|probe| {
        let client = &client;
        let progress = &progress;
        async move {
            loop {
                let response = client
                    .get(&probe.url)
                    .header(reqwest::header::HOST, &probe.host)
                    .header("baggage", baggage_value)
                    .send()
                    .await;
                let last = match response {
                    Ok(r) => {
                        let answered = r
                            .headers()
                            .get(VERSION_RESPONSE_HEADER)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        if answered.as_deref() == Some(version) {
                            let line = format!("routed – {} answers as {version}", probe.host);
                            progress
                                .lock()
                                .expect("not poisoned")
                                .finish(&probe.ecs_name, &line);
                            return Ok(());
                        }
                        answer_text(r.status().as_u16(), answered.as_deref())
                    }
                    Err(e) => format!("request failed: {e}"),
                };
                progress
                    .lock()
                    .expect("not poisoned")
                    .update(&probe.ecs_name, &format!("verifying – {last}"));
                if poller.tick().await.is_err() {
                    return Err(format!("{} (via {}): {last}", probe.host, probe.url));
                }
            }
        }
    }))
    .await;
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    if failures.is_empty() {
        return Ok(());
    }
    Err(UserError::new(
        ExitKind::TimedOut,
        format!(
            "the ingress did not route `baggage: {baggage_value}` to {version} in time:\n  {}",
            failures.join("\n  ")
        ),
    )
    .hint("Traefik picks up new tasks within its ECS refresh interval; check its ECS provider (clusters, exposedByDefault) and `dynroute status`")
    .into())
}
