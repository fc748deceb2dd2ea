//! The arguments of the verbs that read: `ls`, `status`, `diff`, `logs` and
//! `header` (clap derive only).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::ReleaseArgs;
use super::values;
use crate::naming::{ServiceName, Version};
use crate::report::format::HeaderFormat;

#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only versions that run this service
    #[arg(long, value_name = "SERVICE", value_parser = values::service)]
    pub service: Option<ServiceName>,

    /// Only versions deployed by this owner
    #[arg(long, value_name = "OWNER", conflicts_with = "mine")]
    pub owner: Option<String>,

    /// Only versions deployed by you (CI actor, git user.email or $USER)
    #[arg(long)]
    pub mine: bool,

    /// Only expired versions
    #[arg(long)]
    pub expired: bool,

    /// Only versions deployed for this pull / merge request number
    #[arg(long, value_name = "N")]
    pub pr: Option<u64>,

    /// Act on every project's services, not only this project's
    #[arg(long)]
    pub all_projects: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Version name [default: the current git branch, slugified]
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Option<Version>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Version name [default: the current git branch, slugified]
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Option<Version>,

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
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Version,

    /// Only these services (repeatable) [default: all in the config]
    #[arg(short = 's', long = "service", value_name = "SERVICE", value_parser = values::service)]
    pub services: Vec<ServiceName>,

    /// Start this long ago (10m, 2h, 1d) or at this time (RFC 3339)
    #[arg(long, value_name = "WHEN", default_value = "10m", value_parser = crate::ecs::logs::Since::parse)]
    pub since: crate::ecs::logs::Since,

    /// Keep polling for new lines until Ctrl-C
    #[arg(short = 'f', long)]
    pub follow: bool,

    /// Only this task (its ID, the last part of its ARN; repeatable)
    #[arg(long = "task", value_name = "ID", value_parser = values::task_id)]
    pub tasks: Vec<String>,
}

#[derive(Debug, Args)]
pub struct HeaderArgs {
    /// Version name [default: the current git branch, slugified]
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Option<Version>,

    /// What to print [default: header; json with --json]
    #[arg(long, value_enum)]
    pub format: Option<HeaderFormat>,

    /// An existing baggage value to add our member to (other members are kept)
    #[arg(long, value_name = "BAGGAGE")]
    pub merge: Option<String>,

    /// Pin one service to another version (repeatable): adds `dynamic_route.SERVICE=VERSION`
    #[arg(long = "pin", value_name = "SERVICE=VERSION", value_parser = values::pin)]
    pub pins: Vec<(ServiceName, Version)>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen; a non-loopback address is warned about (the catalog has no login)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,

    /// How often the one poller reads the inventory from ECS
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = values::positive_duration)]
    pub refresh: std::time::Duration,

    /// How often a version's routing proof is sent again when nothing about it changed
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = values::positive_duration)]
    pub proof_every: std::time::Duration,

    /// List every project's versions, not only this project's
    #[arg(long)]
    pub all_projects: bool,

    /// An origin allowed to read the JSON API from a browser (repeatable; `*` for any)
    #[arg(long = "cors-origin", value_name = "ORIGIN", value_parser = values::origin)]
    pub cors_origins: Vec<String>,

    /// A version's pull request link, from its `dynroute:repo` and `dynroute:pr` tags
    #[arg(
        long,
        value_name = "TEMPLATE",
        default_value = "https://github.com/{repo}/pull/{pr}",
        value_parser = values::pr_url_template
    )]
    pub pr_url: String,
}

#[derive(Debug, Args)]
pub struct ActivityArgs {
    #[command(subcommand)]
    pub action: ActivityAction,
}

#[derive(Debug, Clone, Copy, clap::Subcommand)]
pub enum ActivityAction {
    /// Read every Traefik replica's counters once; record each service's last request and the heartbeat (for a scheduled job)
    Record,
}
