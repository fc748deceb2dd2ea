//! The arguments of the day-two verbs: `extend`, `diff`, `logs` and `init`
//! (clap derive only; no behaviour here).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::ReleaseArgs;

#[derive(Debug, Args)]
pub struct ExtendArgs {
    /// Version name
    #[arg(value_name = "VERSION")]
    pub version_name: String,

    /// New expiry from now, e.g. 72h, 3d, never [default: the config's ttl]
    #[arg(long, value_name = "DURATION")]
    pub ttl: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Version name [default: the current git branch, slugified]
    #[arg(value_name = "VERSION")]
    pub version_name: Option<String>,

    #[command(flatten)]
    pub release: ReleaseArgs,

    /// Compare with this version's running revision, or main's (leaving out
    /// what names the version: family, routing labels, DYNROUTE_VERSION, dynroute tags)
    #[arg(long, value_enum, default_value_t = DiffAgainst::Deployed)]
    pub against: DiffAgainst,

    /// Compare with a task definition file instead (JSON: `render` output or
    /// `aws ecs describe-task-definition` output; one service); no AWS call
    #[arg(long, value_name = "FILE", conflicts_with = "against")]
    pub against_file: Option<PathBuf>,

    /// Exit with 1 when there are differences (like `git diff --exit-code`)
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffAgainst {
    /// The revision this version's service runs
    Deployed,
    /// The revision the main version's service runs
    Main,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Version name
    #[arg(value_name = "VERSION")]
    pub version_name: String,

    /// Only these services (repeatable) [default: all in the config]
    #[arg(short = 's', long = "service", value_name = "SERVICE")]
    pub services: Vec<String>,

    /// Start this long ago (10m, 2h, 1d) or at this time (RFC 3339)
    #[arg(long, value_name = "WHEN", default_value = "10m", value_parser = crate::ecs::logs::Since::parse)]
    pub since: crate::ecs::logs::Since,

    /// Keep polling for new lines until Ctrl-C
    #[arg(short = 'f', long)]
    pub follow: bool,

    /// Only this task (its ID, the last part of its ARN; repeatable)
    #[arg(long = "task", value_name = "ID")]
    pub tasks: Vec<String>,
}

/// `init` takes the cluster from the global `--cluster`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Domain for default hosts (`{service}.{domain}`)
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,

    /// First service name [default: this directory's name]
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,

    /// Container port Traefik routes to
    #[arg(long, value_name = "PORT")]
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
}
