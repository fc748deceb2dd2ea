//! Command-line arguments (clap derive only; no behaviour here).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::format::OutputFormat;

/// Deploy named versions of microservices side by side on a shared ECS cluster,
/// and route to them per request with the W3C `baggage` header through Traefik.
#[derive(Debug, Parser)]
#[command(
    name = "dynroute",
    version,
    propagate_version = true,
    after_help = "Send `baggage: dynamic_route=VERSION` with a request to reach that version; \
                  every service without it falls back to main.\nGuide: docs/ (mdBook; scripts/book builds it)"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts, listed under their own heading in each
/// command's help; each says which commands it changes.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
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

    /// Output format of results on stdout (wide: ls; markdown: up, down, ls, status, check)
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Same as `--output json`
    #[arg(long, global = true)]
    pub json: bool,

    /// Do not append the markdown report to $GITHUB_STEP_SUMMARY (up, down, check)
    #[arg(long, global = true)]
    pub no_summary: bool,

    /// Answer yes to confirmations (down, prune)
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,

    /// Never prompt (also when CI=true or without a terminal); a question becomes an error naming the flag that answers it
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

    /// How often waits poll ECS and the ingress, e.g. 3s, 500ms (up, down, status, logs --follow)
    #[arg(long, global = true, env = "DYNROUTE_POLL_INTERVAL", value_name = "DURATION", default_value = "3s", value_parser = values::positive_duration)]
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
    /// Remove every expired (with --idle also every unused) non-protected version
    Prune(PruneArgs),
    /// Prove the routing table by requests and lint what Traefik loaded
    Check(check::CheckArgs),
    /// Push a version's expiry without redeploying it (tags only)
    Extend(ExtendArgs),
    /// Run a one-off task (a migration, a console) from a version's task definition
    Run(RunArgs),
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
    /// Check the whole setup and name the one fix of each problem
    Doctor(DoctorArgs),
    /// Serve the catalog of live versions and their ways in over HTTP (read-only)
    Serve(ServeArgs),
    /// Record which versions had requests, from Traefik's counters (`activity record`)
    Activity(ActivityArgs),
    /// Print the Docker labels of a version's routed container (no AWS call)
    Labels(LabelsArgs),
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
            Command::Run(_) => "run",
            Command::Diff(_) => "diff",
            Command::Logs(_) => "logs",
            Command::Header(_) => "header",
            Command::Render(_) => "render",
            Command::TraefikConfig(_) => "traefik-config",
            Command::Init(_) => "init",
            Command::IamPolicy(_) => "iam-policy",
            Command::Doctor(_) => "doctor",
            Command::Serve(_) => "serve",
            Command::Activity(_) => "activity",
            Command::Labels(_) => "labels",
            Command::Completions(_) => "completions",
            Command::Man => "man",
        }
    }
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to generate completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub mod check;
mod deploy;
mod inspect;
mod setup;
pub mod values;

pub use deploy::{DownArgs, ExtendArgs, PruneArgs, ReleaseArgs, RenderArgs, RunArgs, UpArgs};
pub use inspect::{
    ActivityAction, ActivityArgs, DiffAgainst, DiffArgs, HeaderArgs, LogsArgs, LsArgs, ServeArgs,
    StatusArgs,
};
pub use setup::{
    DoctorArgs, IamPolicyArgs, InitArgs, LabelsArgs, TraefikConfigArgs, TraefikConfigFormat,
};

#[cfg(test)]
mod tests;
