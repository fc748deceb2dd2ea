//! The only module that touches the AWS SDK: client configuration, domain
//! operations that return dynroute types, and SDK errors turned into messages.

mod convert;
pub mod credentials;
mod ecs;
mod ecs_types;
mod elb;
mod errors;
mod https;
pub mod iam;
mod logs;
#[cfg(test)]
mod model_drift;
mod retries;
pub use retries::requests_sent;
mod setup;
mod task_definition_document;
mod tasks;

use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};

use crate::tls::Roots;
use crate::ui::Ui;

/// Clients for one cluster.
#[derive(Debug, Clone)]
pub struct Aws {
    ecs: aws_sdk_ecs::Client,
    elb: aws_sdk_elasticloadbalancingv2::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    /// The loaded config, for clients of another region (`awslogs-region`).
    config: aws_config::SdkConfig,
    cluster: String,
    /// Region and endpoint, for `-v`.
    target: String,
}

/// How to reach AWS: the standard credential and config chain, plus overrides.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Who hears about retries (`-v`).
    pub ui: Option<Ui>,
}

pub use retries::MAX_ATTEMPTS;
pub use setup::{ClusterFacts, Identity, InVpc, Question, Simulation, principal_arn};

impl Aws {
    /// Loads the SDK config (profile, region, `AWS_ENDPOINT_URL`, credentials,
    /// the TLS roots).
    pub async fn connect(connection: &Connection, cluster: &str) -> anyhow::Result<Aws> {
        let roots = Roots::from_env()?;
        if let Some(ui) = &connection.ui {
            ui.detail(format!("TLS roots: {}", roots.describe()));
        }
        let http = https::client(roots);
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http.clone())
            .retry_config(retries::retry_config(retries::mode_from_env()?))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .build(),
            );
        let profile = connection.profile.as_deref();
        if let Some(profile) = profile {
            loader = loader.profile_name(profile);
        }
        // The profile the SDK reads, for messages: --profile, else AWS_PROFILE.
        let env_profile = std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
        let named = profile.or(env_profile.as_deref());
        // A local emulator named in the environment: the region and the
        // credentials are never asked of the instance metadata service.
        let env_loopback = ["AWS_ENDPOINT_URL_ECS", "AWS_ENDPOINT_URL"]
            .iter()
            .find_map(|k| std::env::var(k).ok())
            .is_some_and(|e| retries::is_loopback(&e));
        match &connection.region {
            Some(region) => loader = loader.region(Region::new(region.clone())),
            None => {
                loader = loader.region(credentials::region_provider(env_loopback, profile, &http))
            }
        }
        if env_loopback {
            loader = loader.credentials_provider(credentials::loopback_provider(profile, &http));
        }
        let mut config = loader.load().await;
        let loopback = config.endpoint_url().is_some_and(retries::is_loopback);
        if config.region().is_none() {
            return Err(credentials::no_region(loopback, named).into());
        }
        if loopback && !env_loopback {
            config = config
                .into_builder()
                .credentials_provider(credentials::loopback_provider(profile, &http))
                .build();
        }
        let config = credentials::resolve(config, loopback, named).await?;
        let target = format!(
            "cluster {cluster} in {}{}",
            config.region().map(|r| r.as_ref()).unwrap_or("?"),
            config
                .endpoint_url()
                .map(|e| format!(" via {e}"))
                .unwrap_or_default()
        );
        // A refused connection to a local endpoint fails at once instead of after
        // ten seconds of backoff; every attempt after the first is shown with -v.
        let mut ecs = aws_sdk_ecs::config::Builder::from(&config).interceptor(
            retries::RetryReport::new(connection.ui.clone(), MAX_ATTEMPTS),
        );
        let mut elb = aws_sdk_elasticloadbalancingv2::config::Builder::from(&config).interceptor(
            retries::RetryReport::new(connection.ui.clone(), MAX_ATTEMPTS),
        );
        let mut logs = aws_sdk_cloudwatchlogs::config::Builder::from(&config).interceptor(
            retries::RetryReport::new(connection.ui.clone(), MAX_ATTEMPTS),
        );
        // A certificate the roots refuse fails at once too: it stays refused.
        ecs = ecs.retry_classifier(retries::UntrustedCertificate);
        elb = elb.retry_classifier(retries::UntrustedCertificate);
        logs = logs.retry_classifier(retries::UntrustedCertificate);
        if loopback {
            ecs = ecs.retry_classifier(retries::RefusedOnLoopback);
            elb = elb.retry_classifier(retries::RefusedOnLoopback);
            logs = logs.retry_classifier(retries::RefusedOnLoopback);
        }
        Ok(Aws {
            ecs: aws_sdk_ecs::Client::from_conf(ecs.build()),
            elb: aws_sdk_elasticloadbalancingv2::Client::from_conf(elb.build()),
            logs: aws_sdk_cloudwatchlogs::Client::from_conf(logs.build()),
            config,
            cluster: cluster.to_owned(),
            target,
        })
    }

    /// The region the clients talk to.
    pub fn region(&self) -> &str {
        self.config.region().map_or("", |r| r.as_ref())
    }

    /// `cluster C in REGION [via ENDPOINT]`.
    pub fn target(&self) -> &str {
        &self.target
    }
}
