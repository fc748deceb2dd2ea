//! SDK errors as dynroute errors: the operation, a hint, and the SDK error kept
//! as the source so the whole cause chain prints and stays inspectable.

use aws_sdk_ecs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::error::{ExitKind, UserError};

/// Turns an SDK error of operation `op` into an error with context and a hint.
pub fn sdk_error<E, R>(op: &str, cluster: &str, err: SdkError<E, R>) -> anyhow::Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let code = err.code().unwrap_or_default().to_owned();
    let text = DisplayErrorContext(&err).to_string();
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
    // can still downcast it.
    let error = UserError::new(ExitKind::Failure, format!("{op} failed")).caused_by(err);
    match hint {
        Some(h) => error.hint(h).into(),
        None => error.into(),
    }
}

/// Whether the error has the given AWS error code.
pub fn has_code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>, code: &str) -> bool {
    err.code() == Some(code)
}
