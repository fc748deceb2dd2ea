//! Command-line arguments (clap derive only; no behaviour here).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::format::{HeaderFormat, OutputFormat, RenderFormat};

/// Deploy named versions of microservices side by side on a shared ECS cluster,
/// and route to them per request with the W3C `baggage` header through Traefik.
#[derive(Debug, Parser)]
#[command(
    name = "dynroute",
    version,
    propagate_version = true,
    after_help = "Send `baggage: dynamic_route=VERSION` with a request to reach that version; \
                  every service without it falls back to main.\nDocs: README.md"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Config file [default: dynroute.yaml in this or a parent directory]
    #[arg(long, global = true, env = "DYNROUTE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// ECS cluster name or ARN, overriding the config
    #[arg(long, global = true, env = "DYNROUTE_CLUSTER", value_name = "NAME")]
    pub cluster: Option<String>,

    /// AWS region, overriding the config and the AWS config chain
    #[arg(long, global = true, env = "DYNROUTE_REGION", value_name = "REGION")]
    pub region: Option<String>,

    /// AWS profile from ~/.aws/config
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Output format of results on stdout
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Same as `--output json`
    #[arg(long, global = true)]
    pub json: bool,

    /// Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down)
    #[arg(long, global = true)]
    pub no_summary: bool,

    /// Answer yes to confirmations
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,

    /// Never prompt (also when CI=true or without a terminal)
    #[arg(long, global = true)]
    pub no_input: bool,

    /// Print only results and errors
    #[arg(short = 'q', long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Show what dynroute reads and writes: config file, AWS target, each change
    #[arg(short = 'v', long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Disable colours (also NO_COLOR)
    #[arg(long, global = true)]
    pub no_color: bool,

    /// How often waits poll ECS and the ingress, e.g. 3s, 500ms
    #[arg(long, global = true, env = "DYNROUTE_POLL_INTERVAL", value_name = "DURATION", default_value = "3s", value_parser = humantime::parse_duration)]
    pub poll_interval: std::time::Duration,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Deploy a version of the project's services beside main
    Up(UpArgs),
    /// Remove a version's services and task definitions
    Down(DownArgs),
    /// List deployed versions
    Ls(LsArgs),
    /// Show a version's services, rollouts, events and stopped tasks
    Status(StatusArgs),
    /// Remove every expired, non-protected version
    Prune(PruneArgs),
    /// Prove the routing table by requests and lint what Traefik loaded
    Check(check::CheckArgs),
    /// Push a version's expiry without redeploying it (tags only)
    Extend(ExtendArgs),
    /// Show how the task definitions `up` would register differ from what runs
    Diff(DiffArgs),
    /// Show a version's container logs from CloudWatch Logs
    Logs(LogsArgs),
    /// Print the baggage header that routes a request to a version
    Header(HeaderArgs),
    /// Print the RegisterTaskDefinition input(s) `up` would send (no AWS call)
    Render(RenderArgs),
    /// Print the static Traefik configuration for the entry middleware (no AWS call)
    TraefikConfig(TraefikConfigArgs),
    /// Create dynroute.yaml and a first task definition template
    Init(InitArgs),
    /// Print a least-privilege IAM policy for this project (no AWS call)
    IamPolicy(IamPolicyArgs),
    /// Print shell completions
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
}

impl Command {
    /// The verb as typed on the command line.
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Up(_) => "up",
            Command::Down(_) => "down",
            Command::Ls(_) => "ls",
            Command::Status(_) => "status",
            Command::Prune(_) => "prune",
            Command::Check(_) => "check",
            Command::Extend(_) => "extend",
            Command::Diff(_) => "diff",
            Command::Logs(_) => "logs",
            Command::Header(_) => "header",
            Command::Render(_) => "render",
            Command::TraefikConfig(_) => "traefik-config",
            Command::Init(_) => "init",
            Command::IamPolicy(_) => "iam-policy",
            Command::Completions(_) => "completions",
            Command::Man => "man",
        }
    }
}

#[derive(Debug, Args)]
pub struct HeaderArgs {
    /// Version name [default: the current git branch, slugified]
    #[arg(value_name = "VERSION")]
    pub version_name: Option<String>,

    /// What to print [default: header; json with --json]
    #[arg(long, value_enum)]
    pub format: Option<HeaderFormat>,

    /// An existing baggage value to add our member to (other members are kept)
    #[arg(long, value_name = "BAGGAGE")]
    pub merge: Option<String>,

    /// Pin one service to another version (repeatable): adds `dynamic_route.SERVICE=VERSION`
    #[arg(long = "pin", value_name = "SERVICE=VERSION")]
    pub pins: Vec<String>,
}

/// Inputs that change what a release sends (shared by `up` and `render`).
#[derive(Debug, Clone, Args)]
pub struct ReleaseArgs {
    /// Only these services (repeatable) [default: all in the config]
    #[arg(short = 's', long = "service", value_name = "SERVICE")]
    pub services: Vec<String>,

    /// Image tag for templates (`{{ image_tag }}`) [default: the version name]
    #[arg(long, value_name = "TAG")]
    pub image_tag: Option<String>,

    /// Override a service var for templates (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Owner recorded in the tags [default: CI actor, git user.email, $USER]
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    /// Expiry from now, e.g. 72h, 3d, never [default: the config's ttl]
    #[arg(long, value_name = "DURATION")]
    pub ttl: Option<String>,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Version name [default: the current git branch, slugified]
    #[arg(value_name = "VERSION")]
    pub version_name: Option<String>,

    #[command(flatten)]
    pub release: ReleaseArgs,

    /// Return once the services are updated, without waiting for the rollout
    #[arg(long)]
    pub no_wait: bool,

    /// How long to wait for the rollout (exit code 3 after that)
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = humantime::parse_duration)]
    pub timeout: std::time::Duration,

    /// Show what would be created or updated, change nothing
    #[arg(long)]
    pub dry_run: bool,

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
    #[arg(value_name = "VERSION")]
    pub version_name: Option<String>,

    /// Only these services (repeatable) [default: all in the config]
    #[arg(short = 's', long = "service", value_name = "SERVICE")]
    pub services: Vec<String>,

    /// Also remove a protected version (such as main)
    #[arg(long)]
    pub force: bool,

    /// Wait until the services are gone
    #[arg(long)]
    pub wait: bool,

    /// How long `--wait` waits for the services to drain (exit code 3 after that)
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = humantime::parse_duration)]
    pub timeout: std::time::Duration,

    /// Act on every project's services, not only this project's
    #[arg(long)]
    pub all_projects: bool,
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only versions that run this service
    #[arg(long, value_name = "SERVICE")]
    pub service: Option<String>,

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
    #[arg(value_name = "VERSION")]
    pub version_name: Option<String>,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Act on every project's services, not only this project's
    #[arg(long)]
    pub all_projects: bool,

    /// Show what would be removed, change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Version name [default: the current git branch, slugified]
    #[arg(value_name = "VERSION")]
    pub version_name: Option<String>,

    #[command(flatten)]
    pub release: ReleaseArgs,

    /// Task definitions print as JSON unless `--format yaml` (which conflicts
    /// with `--json` / `-o json`; `-o table` does not apply) [default: json]
    #[arg(long, value_enum)]
    pub format: Option<RenderFormat>,
}

#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    /// Who the policy is for
    #[arg(long = "for", value_enum, default_value_t = crate::aws::iam::Audience::Deploy)]
    pub audience: crate::aws::iam::Audience,

    /// AWS account id for the resource ARNs [default: any account, `*`]
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
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
    #[arg(long = "entrypoint", value_name = "NAME")]
    pub entrypoints: Vec<String>,

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
pub struct CompletionsArgs {
    /// Shell to generate completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub mod check;
mod day_two;
pub use day_two::{DiffAgainst, DiffArgs, ExtendArgs, InitArgs, LogsArgs};

#[cfg(test)]
mod tests;
