//! Global flags and the environment, resolved once for every command.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::cli::{GlobalArgs, OutputFormat};
use crate::config::{self, Overrides, Project};
use crate::ui::Ui;

/// What every command may need besides its own arguments.
#[derive(Debug)]
pub struct Context {
    pub global: GlobalArgs,
    pub output: OutputFormat,
    pub ui: Ui,
    pub cwd: PathBuf,
}

/// `CI=true` (or `1`) as set by every major CI system.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

impl Context {
    pub fn new(global: GlobalArgs) -> anyhow::Result<Context> {
        let output = if global.json {
            OutputFormat::Json
        } else {
            global.output
        };
        let interactive = !global.no_input
            && !in_ci()
            && std::io::stdin().is_terminal()
            && std::io::stderr().is_terminal();
        let ui = Ui {
            interactive,
            quiet: global.quiet,
            verbose: global.verbose,
        };
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        Ok(Context {
            global,
            output,
            ui,
            cwd,
        })
    }

    fn overrides(&self) -> Overrides {
        Overrides {
            cluster: self.global.cluster.clone(),
            region: self.global.region.clone(),
        }
    }

    /// The project config, when there is one.
    pub fn optional_project(&self) -> anyhow::Result<Option<Project>> {
        match config::discover(self.global.config.as_deref(), &self.cwd)? {
            Some(path) => {
                self.ui.detail(format!("config: {}", path.display()));
                Ok(Some(config::load(&path, &self.overrides())?))
            }
            None => Ok(None),
        }
    }

    /// AWS clients for the project's cluster and region.
    pub async fn aws(&self, project: &Project) -> anyhow::Result<crate::aws::Aws> {
        let connection = crate::aws::Connection {
            profile: self.global.profile.clone(),
            region: project.region.clone(),
        };
        let aws = crate::aws::Aws::connect(&connection, &project.cluster).await?;
        self.ui.detail(format!("AWS: {}", aws.target()));
        Ok(aws)
    }

    /// The project config; an error when none is found.
    pub fn project(&self) -> anyhow::Result<Project> {
        self.optional_project()?
            .ok_or_else(|| config::not_found(&self.cwd).into())
    }
}
