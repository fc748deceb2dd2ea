//! How dynroute retries, retries made visible, and connection errors not worth
//! retrying.
//!
//! [`retry_config`] is the SDK's standard mode (or, with `AWS_RETRY_MODE=adaptive`,
//! its adaptive one): under 30 % injected throttling the benchmarks measured
//! adaptive 70–100× slower than unthrottled, against a few times for standard,
//! because its client-side rate limiter slows a short burst of calls to a crawl
//! after a few throttles. The SDK retries throttling and transient errors on its
//! own; without help nobody sees it happen. [`RetryReport`] tells `-v` about every
//! attempt after the first and remembers how many attempts an operation took,
//! so an error can say how hard dynroute tried. [`RefusedOnLoopback`] stops the
//! retries of a connection a loopback endpoint refused: nothing listens there,
//! and backing off for ten seconds will not start it.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use aws_config::retry::{RetryConfig, RetryMode};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef, InterceptorContext,
};
use aws_smithy_runtime_api::client::orchestrator::{Metadata, OrchestratorError};
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

use crate::error::UserError;
use crate::ui::Ui;

/// Attempts per call. ECS throttles per account and region, and Traefik's ECS
/// provider polls the same API, so throttling is retried generously with the
/// SDK's exponential backoff with full jitter: the first retries come soon
/// ([`INITIAL_BACKOFF`]), the later ones wait up to [`MAX_BACKOFF`], ~23 s at
/// most in all. Measured under 30 % injected throttling (`scripts/bench faults`),
/// 8 attempts starting at 200 ms made `ls` of 1,000 services 3.9× slower than
/// unthrottled, and one call in a few runs used up all 8.
pub const MAX_ATTEMPTS: u32 = 10;

/// The first retry waits up to this long (each later one up to twice as long).
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(50);

/// No retry waits longer than this.
pub const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// The SDKs' own variable for the retry mode.
pub const RETRY_MODE_VAR: &str = "AWS_RETRY_MODE";

/// The retry mode `AWS_RETRY_MODE` asks for (unset or empty: standard). Any other
/// value than `standard` or `adaptive` is a usage error, before any AWS call.
pub fn mode_from_env() -> Result<RetryMode, UserError> {
    parse_mode(std::env::var(RETRY_MODE_VAR).ok().as_deref())
}

fn parse_mode(value: Option<&str>) -> Result<RetryMode, UserError> {
    match value.map(str::trim) {
        None | Some("") => Ok(RetryMode::Standard),
        Some(v) if v.eq_ignore_ascii_case("standard") => Ok(RetryMode::Standard),
        Some(v) if v.eq_ignore_ascii_case("adaptive") => Ok(RetryMode::Adaptive),
        Some(v) => Err(UserError::usage(format!(
            "{RETRY_MODE_VAR}={v:?} is not a retry mode: expected `standard` or `adaptive`"
        ))
        .hint(format!(
            "unset {RETRY_MODE_VAR} for the default (standard), the faster mode for a command's burst of calls"
        ))),
    }
}

/// `mode` with dynroute's attempts and backoff.
pub fn retry_config(mode: RetryMode) -> RetryConfig {
    let config = match mode {
        RetryMode::Adaptive => RetryConfig::adaptive(),
        _ => RetryConfig::standard(),
    };
    config
        .with_max_attempts(MAX_ATTEMPTS)
        .with_initial_backoff(INITIAL_BACKOFF)
        .with_max_backoff(MAX_BACKOFF)
}

/// Attempts the last failed call of each operation made (`DescribeServices` → 8).
static ATTEMPTS: Mutex<BTreeMap<String, u32>> = Mutex::new(BTreeMap::new());

/// Every attempt of every AWS request this process sent (`serve`'s `/metrics`).
static SENT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many AWS request attempts this process has sent so far.
pub fn requests_sent() -> u64 {
    SENT.load(std::sync::atomic::Ordering::Relaxed)
}

/// How many attempts the most recent failed call of `op` made, if it failed here.
pub fn attempts_of(op: &str) -> Option<u32> {
    ATTEMPTS.lock().ok()?.get(op).copied()
}

/// Why the previous attempt of this call failed (kept in the call's config bag).
#[derive(Debug, Clone)]
struct PreviousFailure(String);

impl Storable for PreviousFailure {
    type Storer = StoreReplace<Self>;
}

/// Reports attempts after the first to `-v` and records attempt counts.
#[derive(Debug)]
pub struct RetryReport {
    ui: Option<Ui>,
    max_attempts: u32,
}

impl RetryReport {
    pub fn new(ui: Option<Ui>, max_attempts: u32) -> Self {
        RetryReport { ui, max_attempts }
    }
}

fn operation(cfg: &ConfigBag) -> String {
    cfg.load::<Metadata>()
        .map(|m| m.name().to_owned())
        .unwrap_or_else(|| "request".to_owned())
}

fn attempts(cfg: &ConfigBag) -> u32 {
    cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts())
}

impl Intercept for RetryReport {
    fn name(&self) -> &'static str {
        "RetryReport"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        SENT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let attempt = attempts(cfg);
        if attempt > 1
            && let Some(ui) = &self.ui
        {
            let why = cfg
                .load::<PreviousFailure>()
                .map(|p| p.0.clone())
                .unwrap_or_else(|| "an error".to_owned());
            ui.detail(format!(
                "retrying {} (attempt {attempt} of {}) after {why}",
                operation(cfg),
                self.max_attempts
            ));
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(Err(err)) = context.output_or_error() {
            let why = failure(context, err);
            let op = operation(cfg);
            let attempt = attempts(cfg);
            if let Ok(mut map) = ATTEMPTS.lock() {
                map.insert(op, attempt);
            }
            cfg.interceptor_state().store_put(PreviousFailure(why));
        }
        Ok(())
    }
}

/// `ThrottlingException (HTTP 400)`, `HTTP 500`, `a connection error`, ...
fn failure<E>(context: &FinalizerInterceptorContextRef<'_>, err: &OrchestratorError<E>) -> String {
    if let Some(response) = context.response() {
        let status = response.status().as_u16();
        let code = response
            .headers()
            .get("x-amzn-errortype")
            .map(|c| c.split(':').next().unwrap_or(c).to_owned());
        return match code {
            Some(code) => format!("{code} (HTTP {status})"),
            None => format!("HTTP {status}"),
        };
    }
    if err.is_timeout_error() {
        "a timeout".to_owned()
    } else if let Some(conn) = err.as_connector_error() {
        format!("a connection error ({})", innermost(conn))
    } else {
        "an error".to_owned()
    }
}

/// The last message of an error's source chain (`Connection refused (os error 111)`).
fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// Whether the error chain holds an I/O error of kind `ConnectionRefused`.
fn is_refused(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        {
            return true;
        }
        current = e.source();
    }
    // hyper's connect error does not always expose the io::Error as a source
    innermost(err).contains("Connection refused")
}

/// Forbids retrying a connection a loopback endpoint refused.
#[derive(Debug)]
pub struct RefusedOnLoopback;

impl ClassifyRetry for RefusedOnLoopback {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match ctx.output_or_error() {
            Some(Err(err)) if err.as_connector_error().is_some_and(|c| is_refused(c)) => {
                RetryAction::RetryForbidden
            }
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "RefusedOnLoopback"
    }

    fn priority(&self) -> RetryClassifierPriority {
        // After the SDK's transient-error classifier, which would retry it.
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// Forbids retrying a server certificate the TLS roots refused: it stays refused.
#[derive(Debug)]
pub struct UntrustedCertificate;

impl ClassifyRetry for UntrustedCertificate {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match ctx.output_or_error() {
            Some(Err(err))
                if err
                    .as_connector_error()
                    .is_some_and(|c| crate::tls::is_untrusted_certificate(c)) =>
            {
                RetryAction::RetryForbidden
            }
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "UntrustedCertificate"
    }

    fn priority(&self) -> RetryClassifierPriority {
        // After the SDK's transient-error classifier, which would retry it.
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// Whether an endpoint URL names this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(endpoint: &str) -> bool {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_mode_is_standard_unless_adaptive_is_asked_for() {
        for v in [None, Some(""), Some("standard"), Some(" Standard ")] {
            assert_eq!(parse_mode(v).unwrap(), RetryMode::Standard, "{v:?}");
        }
        assert_eq!(parse_mode(Some("ADAPTIVE")).unwrap(), RetryMode::Adaptive);
        let err = parse_mode(Some("legacy")).unwrap_err();
        assert!(
            err.to_string().contains("AWS_RETRY_MODE=\"legacy\""),
            "{err}"
        );
        assert_eq!(
            retry_config(RetryMode::Adaptive).mode(),
            RetryMode::Adaptive
        );
        assert_eq!(
            retry_config(RetryMode::Standard).max_attempts(),
            MAX_ATTEMPTS
        );
    }

    #[test]
    fn loopback_endpoints_are_recognised() {
        for url in [
            "http://127.0.0.1:4566",
            "http://127.9.8.7",
            "http://localhost:9000/",
            "http://[::1]:80/x",
            "https://user@127.0.0.1:1",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://ecs.us-east-1.amazonaws.com",
            "http://10.0.0.1:80",
            "http://128.0.0.1",
            "http://localhost.example.com",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }

    #[test]
    fn refused_connections_are_found_in_the_error_chain() {
        #[derive(Debug)]
        struct Wrapper(std::io::Error);
        impl std::fmt::Display for Wrapper {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("client error (Connect)")
            }
        }
        impl std::error::Error for Wrapper {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let refused = Wrapper(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(is_refused(&refused));
        let reset = Wrapper(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(!is_refused(&reset));
    }
}
