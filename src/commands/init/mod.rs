//! `dynroute init`: scaffold `dynroute.yaml` and a first template.
//!
//! Asks on a terminal; otherwise every answer comes from a flag. Validates every
//! answer and checks both target files before writing either.

mod adopt;
mod answers;
mod choices;
mod source;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::InitArgs;
use crate::config::scaffold::{config_text, template_text};
use crate::config::{self, FILE_NAME, Overrides};
use crate::error::UserError;
use crate::report::InitReport;
use crate::settings::Settings;

pub fn run(settings: &Settings, args: InitArgs) -> anyhow::Result<InitReport> {
    if args.from_task_definition.is_some() || args.from_service.is_some() {
        return adopt::run(settings, &args);
    }
    // `--config PATH` / DYNROUTE_CONFIG name the file init writes; the template
    // goes beside it.
    let config_path = match settings.config_flag() {
        Some(path) => settings.cwd.join(path),
        None => settings.cwd.join(FILE_NAME),
    };
    let dir = config_path
        .parent()
        .map_or_else(|| settings.cwd.clone(), Path::to_path_buf);
    let answers = answers::ask(settings, &args, &dir)?;
    let template_rel = PathBuf::from("templates").join(format!("{}.yaml", answers.service));
    let template_path = dir.join(&template_rel);

    for path in [&config_path, &template_path] {
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if link && !args.force {
            return Err(UserError::usage(format!(
                "{} is a symbolic link; init does not write through links",
                path.display()
            ))
            .hint("pass --force to replace the link itself (its target is left alone)")
            .into());
        }
        if link {
            std::fs::remove_file(path)
                .with_context(|| format!("cannot remove the link {}", path.display()))?;
        }
    }
    if !args.force {
        for path in [&config_path, &template_path] {
            if path.exists() {
                return Err(
                    UserError::usage(format!("{} already exists", path.display()))
                        .hint("pass --force to overwrite it")
                        .into(),
                );
            }
        }
    }
    std::fs::create_dir_all(template_path.parent().expect("has a parent"))
        .with_context(|| format!("cannot create {}", dir.join("templates").display()))?;
    write(
        &config_path,
        &config_text(&answers, settings.region_override(), &template_rel),
    )?;
    write(&template_path, &template_text(&answers))?;

    // What init writes must load; a failure here is a bug, reported as such.
    config::load(&config_path, &Overrides::default())
        .context("internal error: the generated config does not load")?;

    settings.ui.info(format!(
        "wrote {} and {}\nnext: `dynroute render main` to see the task definition, `dynroute up` to deploy your branch",
        config_path.display(),
        template_path.display()
    ));
    Ok(InitReport {
        config: config_path,
        template: template_path,
    })
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
