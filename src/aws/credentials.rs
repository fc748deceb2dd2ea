//! Where the region and credentials come from, resolved once before the first
//! request so that a missing one is an error naming every source looked at and
//! how to set one — not a failed request blamed on the endpoint.
//!
//! Against a loopback endpoint (a local emulator) neither the region nor the
//! credentials are ever asked of the EC2 instance metadata service, whose
//! link-local address is not loopback.

use std::sync::Mutex;

use aws_config::SdkConfig;
use aws_config::environment::{
    EnvironmentVariableCredentialsProvider, EnvironmentVariableRegionProvider,
};
use aws_config::meta::credentials::CredentialsProviderChain;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::profile::region::ProfileFileRegionProvider;
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use crate::error::{ExitKind, UserError};

/// One place the SDK looks for credentials (or a region).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Environment,
    Profile,
    WebIdentity,
    ContainerEndpoint,
    InstanceMetadata,
}

impl Source {
    fn describe(self, profile: &str) -> String {
        match self {
            Source::Environment => {
                "the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)".into()
            }
            Source::Profile => format!(
                "profile `{profile}` in ~/.aws/config and ~/.aws/credentials (keys, SSO, assume-role, credential_process)"
            ),
            Source::WebIdentity => {
                "web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)".into()
            }
            Source::ContainerEndpoint => {
                "the ECS container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)"
                    .into()
            }
            Source::InstanceMetadata => "the EC2 instance metadata service".into(),
        }
    }
}

/// Where credentials are looked for: the SDK's default chain, or against a
/// loopback endpoint only the environment and the profile.
pub fn credential_sources(loopback: bool) -> &'static [Source] {
    if loopback {
        &[Source::Environment, Source::Profile]
    } else {
        &[
            Source::Environment,
            Source::Profile,
            Source::WebIdentity,
            Source::ContainerEndpoint,
            Source::InstanceMetadata,
        ]
    }
}

/// The region chain: the environment, the profile, and (unless `loopback`)
/// the instance metadata service.
pub fn region_provider(
    loopback: bool,
    profile: Option<&str>,
    http: &SharedHttpClient,
) -> RegionProviderChain {
    let providers = providers(http);
    let mut file = ProfileFileRegionProvider::builder().configure(&providers);
    if let Some(p) = profile {
        file = file.profile_name(p);
    }
    let chain = RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
        .or_else(file.build());
    if loopback {
        chain
    } else {
        chain.or_else(
            aws_config::imds::region::ImdsRegionProvider::builder()
                .configure(&providers)
                .build(),
        )
    }
}

/// What the providers built here share: the SDK's HTTPS client (`aws::https`),
/// for the requests a profile's SSO or role makes and the metadata service.
fn providers(http: &SharedHttpClient) -> ProviderConfig {
    ProviderConfig::default().with_http_client(http.clone())
}

/// The error for a missing region: what was looked at, and how to set one.
pub fn no_region(loopback: bool, profile: Option<&str>) -> UserError {
    let mut looked = format!(
        "--region, `region` in dynroute.yaml, AWS_REGION and AWS_DEFAULT_REGION, the `region` of profile `{}` in ~/.aws/config",
        profile.unwrap_or("default")
    );
    if !loopback {
        looked.push_str(", the EC2 instance metadata service");
    }
    UserError::usage(format!("no AWS region configured (looked at {looked})"))
        .hint("set `region: us-east-1` in dynroute.yaml, pass --region us-east-1, or export AWS_REGION=us-east-1")
}

/// Against a loopback endpoint: the environment and the profile only.
pub fn loopback_provider(
    profile: Option<&str>,
    http: &SharedHttpClient,
) -> SharedCredentialsProvider {
    let mut file = ProfileFileCredentialsProvider::builder().configure(&providers(http));
    if let Some(p) = profile {
        file = file.profile_name(p);
    }
    SharedCredentialsProvider::new(
        CredentialsProviderChain::first_try(
            "Environment",
            EnvironmentVariableCredentialsProvider::new(),
        )
        .or_else("Profile", file.build()),
    )
}

/// Resolves the credentials of `config` once; the config returned hands out
/// those first (no second resolution) and asks its provider again only later,
/// when they expire. Missing credentials are a usage error naming each source.
pub async fn resolve(
    config: SdkConfig,
    loopback: bool,
    profile: Option<&str>,
) -> Result<SdkConfig, UserError> {
    let Some(provider) = config.credentials_provider() else {
        return Ok(config);
    };
    match provider.provide_credentials().await {
        Ok(first) => {
            let prefetched = Prefetched {
                first: Mutex::new(Some(first)),
                inner: provider,
            };
            Ok(config
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(prefetched))
                .build())
        }
        Err(err) => Err(credentials_error(&err, loopback, profile)),
    }
}

/// The error for credentials that could not be loaded.
pub fn credentials_error(
    err: &CredentialsError,
    loopback: bool,
    profile: Option<&str>,
) -> UserError {
    let name = profile.unwrap_or("default");
    let tried: Vec<String> = credential_sources(loopback)
        .iter()
        .map(|s| s.describe(name))
        .collect();
    let local = if loopback {
        "; the instance metadata service is not asked: the endpoint is a local emulator"
    } else {
        ""
    };
    match err {
        CredentialsError::CredentialsNotLoaded(_) => UserError::usage(format!(
            "no AWS credentials found (looked at {}{local})",
            tried.join(", ")
        ))
        .hint(if loopback {
            "for a local emulator any keys do: export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing"
        } else {
            "sign in with `aws sso login --profile NAME` and pass --profile NAME (or export AWS_PROFILE=NAME), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        }),
        other => UserError::new(
            ExitKind::Failure,
            format!(
                "the AWS credentials could not be loaded: {}",
                aws_sdk_ecs::error::DisplayErrorContext(other)
            ),
        )
        .hint(format!(
            "for SSO, sign in again: `aws sso login --profile {name}`; check profile `{name}` in ~/.aws/config"
        )),
    }
}

/// Credentials resolved before the first request, handed out once; later
/// requests (after the SDK's cache expires them) ask the provider again.
#[derive(Debug)]
struct Prefetched {
    first: Mutex<Option<Credentials>>,
    inner: SharedCredentialsProvider,
}

impl ProvideCredentials for Prefetched {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let first = self.first.lock().unwrap_or_else(|e| e.into_inner()).take();
        match first {
            Some(c) => future::ProvideCredentials::ready(Ok(c)),
            None => self.inner.provide_credentials(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loopback_endpoint_never_asks_the_instance_metadata_service() {
        assert!(!credential_sources(true).contains(&Source::InstanceMetadata));
        assert!(credential_sources(false).contains(&Source::InstanceMetadata));
        let err = CredentialsError::not_loaded_no_source();
        assert_eq!(
            credentials_error(&err, true, None).message,
            "no AWS credentials found (looked at the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), profile `default` in ~/.aws/config and ~/.aws/credentials (keys, SSO, assume-role, credential_process); the instance metadata service is not asked: the endpoint is a local emulator)"
        );
        let remote = credentials_error(&err, false, Some("dev"));
        assert!(
            remote.message.contains("profile `dev`"),
            "{}",
            remote.message
        );
        assert!(
            remote
                .message
                .ends_with("the EC2 instance metadata service)")
        );
        assert_eq!(remote.kind, ExitKind::Usage);
        assert!(!no_region(true, None).message.contains("metadata"));
        assert!(no_region(false, None).message.contains("metadata"));
    }

    #[tokio::test]
    async fn prefetched_credentials_are_handed_out_once_then_asked_again() {
        let inner =
            SharedCredentialsProvider::new(Credentials::new("later", "s", None, None, "test"));
        let first = Credentials::new("first", "s", None, None, "test");
        let p = Prefetched {
            first: Mutex::new(Some(first)),
            inner,
        };
        assert_eq!(
            p.provide_credentials().await.unwrap().access_key_id(),
            "first"
        );
        assert_eq!(
            p.provide_credentials().await.unwrap().access_key_id(),
            "later"
        );
    }
}
