//! The arguments of the verbs that deploy, remove, extend or render a version:
//! `up`, `down`, `prune`, `extend`, `render` (clap derive only).

use clap::Args;

use super::values;
use crate::config::Ttl;
use crate::naming::{ServiceName, Version};
use crate::report::format::RenderFormat;

/// Inputs that change what a release sends (shared by `up` and `render`).
#[derive(Debug, Clone, Args)]
pub struct ReleaseArgs {
    /// Only these services (repeatable) [default: all in the config]
    #[arg(short = 's', long = "service", value_name = "SERVICE", value_parser = values::service)]
    pub services: Vec<ServiceName>,

    /// Image tag for templates (`{{ image_tag }}`) [default: the version name]
    #[arg(long, value_name = "TAG", value_parser = values::image_tag)]
    pub image_tag: Option<String>,

    /// Override a service var for templates (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = values::var_override)]
    pub set: Vec<(String, String)>,

    /// Owner recorded in the tags [default: CI actor, git user.email, $USER]
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    /// Expiry from now, e.g. 72h, 3d, never [default: the config's ttl]
    #[arg(long, value_name = "DURATION", value_parser = values::ttl)]
    pub ttl: Option<Ttl>,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Version name [default: the current git branch, slugified]
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Option<Version>,

    #[command(flatten)]
    pub release: ReleaseArgs,

    /// Return once the services are updated, without waiting for the rollout
    #[arg(long)]
    pub no_wait: bool,

    /// How long to wait for the rollout (exit code 3 after that)
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = values::positive_duration)]
    pub timeout: std::time::Duration,

    /// Show what would be created or updated, change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Replace the running tasks even when nothing changed (by default a
    /// service that already runs what `up` would send is left as it is)
    #[arg(long)]
    pub force_new_deployment: bool,

    /// Do not run the `on_create` and `before_up` hooks (said on stderr and in the report)
    #[arg(long)]
    pub no_hooks: bool,

    /// After the rollout, request each service through the ingress with the
    /// baggage header until this version answers [default: on when `ingress` is configured]
    #[arg(long, overrides_with = "no_verify")]
    pub verify: bool,

    /// Skip the check through the ingress
    #[arg(long, overrides_with = "verify")]
    pub no_verify: bool,
}

#[derive(Debug, Args)]
pub struct DownArgs {
    /// Version name [default: the current git branch; on a terminal, a picker]
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Option<Version>,

    /// Only these services (repeatable) [default: all in the config]
    #[arg(short = 's', long = "service", value_name = "SERVICE", value_parser = values::service)]
    pub services: Vec<ServiceName>,

    /// Also remove a protected version (such as main)
    #[arg(long)]
    pub force: bool,

    /// Wait until the services are gone
    #[arg(long)]
    pub wait: bool,

    /// How long `--wait` waits for the services to drain (exit code 3 after that)
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = values::positive_duration)]
    pub timeout: std::time::Duration,

    /// Act on every project's services, not only this project's
    #[arg(long)]
    pub all_projects: bool,

    /// Do not run the `after_down` hooks (said on stderr and in the report)
    #[arg(long)]
    pub no_hooks: bool,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Act on every project's services, not only this project's
    #[arg(long)]
    pub all_projects: bool,

    /// Show what would be removed, change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Do not run the `after_down` hooks (said on stderr and in the report)
    #[arg(long)]
    pub no_hooks: bool,

    /// Also remove versions without a request for DURATION (e.g. 3d), when the activity recorder watched all of it
    #[arg(long, value_name = "DURATION", value_parser = values::positive_duration, conflicts_with = "all_projects")]
    pub idle: Option<std::time::Duration>,
}

#[derive(Debug, Args)]
pub struct ExtendArgs {
    /// Version name
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Version,

    /// New expiry from now, e.g. 72h, 3d, never [default: the config's ttl]
    #[arg(long, value_name = "DURATION", value_parser = values::ttl)]
    pub ttl: Option<Ttl>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Version whose task definition runs the command
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Version,

    /// The service whose task definition runs [default: the only service of the config]
    #[arg(short = 's', long = "service", value_name = "SERVICE", value_parser = values::service)]
    pub service: Option<ServiceName>,

    /// The container whose command is replaced [default: the service's `container`]
    #[arg(long, value_name = "NAME")]
    pub container: Option<String>,

    /// Run main's task definition of SERVICE instead (the version is not deployed for it)
    #[arg(long)]
    pub from_main: bool,

    /// Print the task's ARN and return at once
    #[arg(long)]
    pub detach: bool,

    /// How long the task may run before dynroute stops it (exit code 3)
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = values::positive_duration)]
    pub timeout: std::time::Duration,

    /// The command, after `--` (no shell unless you name one: `-- sh -c '…'`)
    #[arg(last = true, required = true, num_args = 1.., value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Version name [default: the current git branch, slugified]
    #[arg(id = "version_name", value_name = "VERSION", value_parser = values::version)]
    pub version: Option<Version>,

    #[command(flatten)]
    pub release: ReleaseArgs,

    /// Task definitions print as JSON unless `--format yaml` (which conflicts
    /// with `--json` / `-o json`; `-o table` does not apply) [default: json]
    #[arg(long, value_enum)]
    pub format: Option<RenderFormat>,
}
