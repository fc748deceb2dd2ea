//! SDK errors as dynroute errors: the operation, a hint, and the SDK error kept
//! as the source so the whole cause chain prints and stays inspectable.

use aws_sdk_ecs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::ecs::Refused;
use crate::error::{ExitKind, UserError};

/// Turns an SDK error of operation `op` into an error with context and a hint.
pub fn sdk_error<E, R>(op: &str, cluster: &str, err: SdkError<E, R>) -> anyhow::Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let code = err.code().unwrap_or_default().to_owned();
    let text = DisplayErrorContext(&err).to_string();
    if let Some(kind) = gave_up(&err, &code) {
        let attempts = super::retries::attempts_of(op).unwrap_or(super::MAX_ATTEMPTS);
        let answer = match err.message() {
            Some(m) => format!("{code} ({m})"),
            None => code.clone(),
        };
        return UserError::new(
            ExitKind::Failure,
            format!("AWS kept answering {op} with {answer}: gave up after {attempts} attempts"),
        )
        .hint(if kind == "throttling" {
            "the ECS API rate of an account and region is shared (Traefik's ECS provider polls it too); wait a minute and run the same command again: it converges"
        } else {
            "AWS had a server-side problem; wait a minute and run the same command again: it converges"
        })
        .caused_by(err)
        .into();
    }
    if let SdkError::DispatchFailure(failure) = &err
        && failure.is_io()
        && text.contains("Connection refused")
    {
        return UserError::new(
            ExitKind::Failure,
            format!("{op} failed: the AWS endpoint refused the connection (Connection refused)"),
        )
        .hint("the AWS endpoint did not answer: nothing listens at that address; check AWS_ENDPOINT_URL (a local stack: is it running?) and the region")
        .caused_by(err)
        .into();
    }
    if let SdkError::DispatchFailure(failure) = &err
        && failure.is_io()
        && crate::tls::is_untrusted_certificate(&err)
    {
        return UserError::new(
            ExitKind::Failure,
            format!("{op} failed: the AWS endpoint's TLS certificate is not trusted"),
        )
        .hint(crate::tls::UNTRUSTED_HINT)
        .caused_by(err)
        .into();
    }
    let hint = match (&err, code.as_str()) {
        (_, "ClusterNotFoundException") => {
            return UserError::new(
                ExitKind::Failure,
                format!("cluster `{cluster}` does not exist ({op})"),
            )
            .hint("check `cluster` in dynroute.yaml, --cluster or DYNROUTE_CLUSTER, and the region")
            .caused_by(err)
            .into();
        }
        (_, "AccessDeniedException" | "UnrecognizedClientException" | "ExpiredTokenException") => {
            Some("check your AWS credentials (aws sso login, AWS_PROFILE or --profile)")
        }
        (SdkError::DispatchFailure(_) | SdkError::TimeoutError(_), _) => Some(
            "the AWS endpoint did not answer; check the network, the region and AWS_ENDPOINT_URL",
        ),
        _ if text.contains("credentials") => Some(
            "no AWS credentials found: configure a profile (aws configure / aws sso login) or set AWS_PROFILE",
        ),
        _ => None,
    };
    // The SDK error stays the source: `{:#}` prints its whole chain, and callers
    // can still downcast it. A client error (not throttling: that was handled
    // above) is a refusal: nothing changed, and the same request fails again.
    let error = UserError::new(ExitKind::Failure, format!("{op} failed"));
    let error = match &err {
        SdkError::ServiceError(_) if !code.is_empty() => {
            let refused = Refused {
                message: err.message().unwrap_or_default().to_owned(),
                code: code.clone(),
                source: Some(Box::new(err)),
            };
            let hint = hint.unwrap_or(
                "ECS refused a value of the request (the message names it): change it in dynroute.yaml or the template and run the command again; run unchanged, it fails the same way",
            );
            return error.hint(hint).caused_by(refused).into();
        }
        _ => error.caused_by(err),
    };
    match hint {
        Some(h) => error.hint(h).into(),
        None => error.into(),
    }
}

/// `throttling` or `server errors` when the SDK retried and still failed.
fn gave_up<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>, code: &str) -> Option<&'static str> {
    if THROTTLING_CODES.contains(&code) {
        return Some("throttling");
    }
    match err {
        SdkError::ServiceError(_) if SERVER_CODES.contains(&code) => Some("server errors"),
        _ => None,
    }
}

/// The throttling codes the SDK's standard retry mode retries.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Server-side codes retried as transient.
const SERVER_CODES: &[&str] = &[
    "ServerException",
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
];

/// Whether the error has the given AWS error code.
pub fn has_code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>, code: &str) -> bool {
    err.code() == Some(code)
}
