//! Raw global flags and the environment, turned once into settings.
//!
//! Commands never read raw flags: they get the output format, a confirmation
//! policy, the poll interval and a way to the project and to AWS from here.

pub mod inputs;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use crate::cli::GlobalArgs;
use crate::config::{self, Overrides, Project};
use crate::engine::poller::Poller;
use crate::error::UserError;
use crate::report::GithubFiles;
use crate::report::format::OutputFormat;
use crate::ui::Ui;
use crate::ui::progress::ServiceProgress;
use crate::ui::prompt;

/// How a question that needs a yes is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// `--yes`: every confirmation is answered yes.
    Yes,
    /// A person at a terminal is asked.
    Ask,
    /// Nobody can be asked (CI, `--no-input`, no terminal): an error naming `--yes`.
    Refuse,
}

/// What every command may need besides its own arguments.
#[derive(Debug)]
pub struct Settings {
    pub output: OutputFormat,
    pub confirmation: Confirmation,
    pub ui: Ui,
    pub cwd: PathBuf,
    /// How often every wait polls (`--poll-interval`).
    pub poll_interval: Duration,
    /// The files GitHub Actions gives a step, when set.
    pub github: GithubFiles,
    config: Option<PathBuf>,
    overrides: Overrides,
    profile: Option<String>,
}

/// `CI=true` (or `1`) as set by every major CI system.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

impl Settings {
    /// Where reports go: the chosen format, GitHub Actions' files, the terminal.
    pub fn sink(&self, verb: &'static str) -> crate::report::Sink<'_> {
        crate::report::Sink {
            verb,
            format: self.output,
            github: &self.github,
            ui: &self.ui,
        }
    }

    /// `--config` / `DYNROUTE_CONFIG` as given (`init` writes there).
    pub fn config_flag(&self) -> Option<&std::path::Path> {
        self.config.as_deref()
    }

    /// Resolves the global flags, the environment and the terminal.
    pub fn from_args(global: GlobalArgs) -> anyhow::Result<Settings> {
        let output = if global.json {
            OutputFormat::Json
        } else {
            global.output
        };
        let interactive = !global.no_input
            && !in_ci()
            && std::io::stdin().is_terminal()
            && std::io::stderr().is_terminal();
        let confirmation = match (global.yes, interactive) {
            (true, _) => Confirmation::Yes,
            (false, true) => Confirmation::Ask,
            (false, false) => Confirmation::Refuse,
        };
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        Ok(Settings {
            output,
            confirmation,
            ui: Ui {
                interactive,
                quiet: global.quiet,
                verbose: global.verbose,
            },
            cwd,
            poll_interval: global.poll_interval,
            github: GithubFiles::from_env(global.no_summary),
            config: global.config,
            overrides: Overrides {
                cluster: global.cluster,
                region: global.region,
            },
            profile: global.profile,
        })
    }

    /// `--cluster`, for commands that take it without a config (`init`).
    pub fn cluster_override(&self) -> Option<&str> {
        self.overrides.cluster.as_deref()
    }

    /// `--region`, for commands that take it without a config (`init`).
    pub fn region_override(&self) -> Option<&str> {
        self.overrides.region.as_deref()
    }

    /// The cluster and region a command names without needing a project:
    /// `--cluster` / `--region`, else the project's (when there is one), each
    /// checked as AWS would. `missing` says why the cluster is needed.
    pub fn cluster_and_region(
        &self,
        project: Option<&Project>,
        missing: &str,
    ) -> Result<(String, Option<String>), UserError> {
        let cluster = self
            .cluster_override()
            .map(str::to_owned)
            .or_else(|| project.map(|p| p.cluster.clone()))
            .ok_or_else(|| {
                UserError::usage(missing.to_owned()).hint(
                    "pass --cluster NAME (or run it in a project whose dynroute.yaml names it)",
                )
            })?;
        config::check_cluster(&cluster)
            .map_err(|message| UserError::usage(format!("--cluster: {message}")))?;
        let region = self
            .region_override()
            .map(str::to_owned)
            .or_else(|| project.and_then(|p| p.region.clone()));
        if let Some(region) = &region {
            config::check_region(region)
                .map_err(|message| UserError::usage(format!("--region: {message}")))?;
        }
        Ok((cluster, region))
    }

    /// The project config, when there is one.
    pub fn optional_project(&self) -> anyhow::Result<Option<Project>> {
        match config::discover(self.config.as_deref(), &self.cwd)? {
            Some(path) => {
                self.ui.detail(format!("config: {}", path.display()));
                Ok(Some(config::load(&path, &self.overrides)?))
            }
            None => Ok(None),
        }
    }

    /// The project config; an error when none is found.
    pub fn project(&self) -> anyhow::Result<Project> {
        self.optional_project()?
            .ok_or_else(|| config::not_found(&self.cwd).into())
    }

    /// AWS clients for the project's cluster and region.
    pub async fn aws(&self, project: &Project) -> anyhow::Result<crate::aws::Aws> {
        self.aws_for(&project.cluster, project.region.clone()).await
    }

    /// AWS clients for a cluster and region without a project (`init --from-service`).
    pub async fn aws_for(
        &self,
        cluster: &str,
        region: Option<String>,
    ) -> anyhow::Result<crate::aws::Aws> {
        let connection = crate::aws::Connection {
            profile: self.profile.clone(),
            region,
            ui: Some(self.ui.clone()),
        };
        let aws = crate::aws::Aws::connect(&connection, cluster).await?;
        self.ui.detail(format!("AWS: {}", aws.target()));
        Ok(aws)
    }

    /// A poller at the configured interval, for at most `budget` from now.
    pub fn poller(&self, budget: Duration) -> Poller {
        Poller::new(self.poll_interval, budget)
    }

    /// The progress sink for a command that works on `names`.
    pub fn progress(&self, names: &[String]) -> ServiceProgress {
        ServiceProgress::new(&self.ui, names)
    }

    /// Shows `lines` and asks `question` as the confirmation policy says.
    /// `Ok(false)`: the person said no.
    pub fn confirm(&self, lines: &[String], question: &str) -> anyhow::Result<bool> {
        match self.confirmation {
            Confirmation::Yes => Ok(true),
            Confirmation::Refuse => Err(UserError::usage(format!(
                "{question} This needs confirmation and there is no terminal to ask; would remove:\n  {}",
                lines.join("\n  ")
            ))
            .hint("pass --yes to confirm")
            .into()),
            Confirmation::Ask => {
                // Shown even with -q: nobody should confirm what they cannot see.
                eprintln!("will remove:");
                for line in lines {
                    eprintln!("  {line}");
                }
                prompt::confirm(&self.ui, question)
            }
        }
    }

    /// The format a command prints in: its own `--format` when given, the
    /// JSON one with `-o json`/`--json`; both at once must agree.
    pub fn format<F>(&self, explicit: Option<F>, json: F, default: F) -> Result<F, UserError>
    where
        F: Copy + PartialEq + clap::ValueEnum,
    {
        match (explicit, self.output) {
            (Some(f), OutputFormat::Json) if f != json => Err(UserError::usage(format!(
                "--format {} conflicts with --json / -o json",
                f.to_possible_value()
                    .map_or_else(String::new, |v| v.get_name().to_owned())
            ))
            .hint("pass one of them")),
            (Some(f), _) => Ok(f),
            (None, OutputFormat::Json) => Ok(json),
            (None, _) => Ok(default),
        }
    }
}
