//! Sends every case through the ingress, a bounded number at a time, each with a
//! timeout, and records what answered.

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde::Serialize;

use super::cases::Case;
use crate::routing::VERSION_RESPONSE_HEADER;
use crate::tls;

/// What answered one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// Its `X-Dynroute-Version`, when it had one.
    pub version: Option<String>,
    /// Why there was no answer (connection refused, timeout, …).
    pub error: Option<String>,
    pub seconds: f64,
}

impl Answer {
    /// The expected version answered, and not with a server error.
    pub fn proves(&self, case: &Case) -> bool {
        self.status.is_some_and(|s| s < 500)
            && self.version.as_deref() == Some(case.expect_version.as_str())
    }

    /// One line for humans: `HTTP 404 without X-Dynroute-Version`, `HTTP 200 from main`, …
    pub fn describe(&self) -> String {
        match (&self.status, &self.version, &self.error) {
            (Some(status), Some(version), _) => format!("HTTP {status} from {version}"),
            (Some(status), None, _) => format!("HTTP {status} without {VERSION_RESPONSE_HEADER}"),
            (None, _, Some(error)) => format!("no answer: {error}"),
            (None, _, None) => "no answer".into(),
        }
    }
}

/// An HTTP client for the checks: no redirects followed, one timeout per request,
/// dynroute's TLS roots (`tls`).
pub fn client(timeout: Duration) -> anyhow::Result<reqwest::Client> {
    Ok(tls::http_client()?
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// Sends every case to `ingress` (no trailing slash), at most `concurrency` at once;
/// the answers come back in the order of the cases.
pub async fn send_all(
    client: &reqwest::Client,
    ingress: &str,
    cases: &[Case],
    concurrency: usize,
) -> Vec<Answer> {
    futures::stream::iter(cases)
        .map(|case| send_one(client, ingress, case))
        .buffered(concurrency.max(1))
        .collect()
        .await
}

async fn send_one(client: &reqwest::Client, ingress: &str, case: &Case) -> Answer {
    let started = Instant::now();
    let mut request = client
        .get(format!("{ingress}{}", case.path))
        .header(reqwest::header::HOST, &case.host);
    for header in &case.headers {
        request = request.header(header.name.as_str(), header.value.as_str());
    }
    let (status, version, error) = match request.send().await {
        Ok(response) => (
            Some(response.status().as_u16()),
            response
                .headers()
                .get(VERSION_RESPONSE_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            None,
        ),
        Err(e) => (None, None, Some(error_text(&e))),
    };
    Answer {
        status,
        version,
        error,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// The error with its causes (reqwest's own message is only "error sending request").
fn error_text(err: &reqwest::Error) -> String {
    let mut text = if err.is_timeout() {
        "timed out".to_owned()
    } else {
        err.to_string()
    };
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}
