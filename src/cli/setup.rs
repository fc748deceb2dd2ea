//! The arguments of the verbs that set a project and its platform up: `init`,
//! `traefik-config`, `iam-policy` (clap derive only).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::values;
use crate::naming::{ServiceName, Version};
use crate::report::format::LabelsFormat;
use crate::routing::{EntryPoint, Hostname};

/// `init` takes the cluster from the global `--cluster`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Domain for default hosts (`{service}.{domain}`)
    #[arg(long, value_name = "DOMAIN", value_parser = values::hostname)]
    pub domain: Option<Hostname>,

    /// First service name [default: this directory's name]
    #[arg(long, value_name = "NAME", value_parser = values::service)]
    pub service: Option<ServiceName>,

    /// Container port Traefik routes to
    #[arg(long, value_name = "PORT", value_parser = values::port)]
    pub port: Option<u16>,

    /// Image repository, without tag (the tag is the version or --image-tag)
    #[arg(long, value_name = "REPO")]
    pub image: Option<String>,

    /// Overwrite existing files
    #[arg(long)]
    pub force: bool,

    /// Adopt this task definition as the service's template: a JSON file
    /// (RegisterTaskDefinition input or describe-task-definition output), or
    /// a family, family:revision or ARN read live with DescribeTaskDefinition
    #[arg(
        long,
        value_name = "FILE|FAMILY[:REV]",
        conflicts_with = "image",
        group = "adopt"
    )]
    pub from_task_definition: Option<String>,

    /// Adopt the task definition this ECS service runs (in --cluster or the
    /// config's cluster) as the service's template
    #[arg(long, value_name = "NAME", conflicts_with = "image", group = "adopt")]
    pub from_service: Option<String>,

    /// With --from-task-definition / --from-service: the container requests reach [default: detected]
    #[arg(long, value_name = "NAME", requires = "adopt")]
    pub container: Option<String>,

    /// With --from-service: record that service as the service's baseline, the
    /// `main` the team already runs (dynroute routes to it and never writes to it)
    #[arg(long, requires = "from_service")]
    pub baseline: bool,
}

#[derive(Debug, Args)]
pub struct TraefikConfigArgs {
    /// How to print the static configuration
    #[arg(long, value_enum, default_value_t = TraefikConfigFormat::Yaml)]
    pub format: TraefikConfigFormat,

    /// Also write the plugin source and the middleware file under DIR
    /// (Traefik's working directory); the printed configuration then points there
    #[arg(long, value_name = "DIR")]
    pub write_plugin: Option<PathBuf>,

    /// Entrypoint that runs the middleware (repeatable)
    /// [default: the config's traefik.entrypoints, else `web`]
    #[arg(long = "entrypoint", value_name = "NAME", value_parser = values::entrypoint, conflicts_with = "cluster_wide")]
    pub entrypoints: Vec<EntryPoint>,

    /// Print the whole static configuration of one Traefik for every project on
    /// the cluster (entrypoints, API, ECS provider scoped to --cluster, metrics),
    /// as the platform kit runs it
    #[arg(long)]
    pub cluster_wide: bool,

    /// How often the ECS provider polls ECS, in seconds (with --cluster-wide)
    #[arg(long, value_name = "SECONDS", requires = "cluster_wide", value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub refresh_seconds: Option<u32>,

    /// Print the dynamic configuration (the middleware definition for the file
    /// provider) instead of the static one
    #[arg(long)]
    pub dynamic: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraefikConfigFormat {
    Yaml,
    Toml,
    /// One Traefik command-line argument per line
    Flags,
}

#[derive(Debug, Args)]
pub struct LabelsArgs {
    /// Version name [default: the config's main version]
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Option<Version>,

    /// The service whose routed container gets the labels
    #[arg(short = 's', long = "service", value_name = "SERVICE", value_parser = values::service)]
    pub service: ServiceName,

    /// How to print them: JSON (ECS `dockerLabels`, CDK `dockerLabels`), YAML
    /// (CloudFormation `DockerLabels`) or HCL (Terraform `docker_labels`)
    #[arg(long, value_enum)]
    pub format: Option<LabelsFormat>,
}

#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    /// Who the policy is for
    #[arg(long = "for", value_enum, default_value_t = crate::aws::iam::Audience::Deploy)]
    pub audience: crate::aws::iam::Audience,

    /// AWS account id for the resource ARNs [default: any account, `*`]
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,

    /// A policy for every project on the cluster (the platform kit's CI and
    /// prune roles): any `SERVICE--VERSION`, task roles under --role-path, log
    /// groups under --log-group-prefix; no dynroute.yaml needed (pass --cluster)
    #[arg(long)]
    pub cluster_wide: bool,

    /// With --cluster-wide: the IAM path of the task roles dynroute may pass
    #[arg(
        long,
        value_name = "PATH",
        requires = "cluster_wide",
        default_value = "/dynroute/"
    )]
    pub role_path: String,

    /// With --cluster-wide: the start of the log groups `logs` may read
    #[arg(
        long,
        value_name = "PREFIX",
        requires = "cluster_wide",
        default_value = "/ecs/"
    )]
    pub log_group_prefix: String,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Traefik's API [default: traefik.api_url from the config]
    #[arg(long, value_name = "URL", value_parser = values::traefik_api)]
    pub traefik_api: Option<String>,

    /// A token for Traefik's API behind the platform kit's load balancer (prefer the variable)
    #[arg(long, value_name = "TOKEN", env = "DYNROUTE_TRAEFIK_API_TOKEN", hide_env_values = true, value_parser = values::api_token)]
    pub traefik_api_token: Option<String>,
}
