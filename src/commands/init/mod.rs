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
    write_project(
        &dir,
        (
            &config_path,
            &config_text(&answers, settings.region_override(), &template_rel),
        ),
        (&template_path, &template_text(&answers)),
    )?;

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

/// Writes a config and its template only when both can be written whole and
/// the config loads: the template's size, the config (validated in memory), the
/// `templates/` folder and both targets are checked before either is written
/// (a folder or file symlinked out of the project is refused); then each is
/// written atomically.
fn write_project(
    dir: &Path,
    (config_path, config_text): (&Path, &str),
    (template_path, template_text): (&Path, &str),
) -> anyhow::Result<()> {
    if template_text.len() as u64 > crate::files::MAX_BYTES {
        return Err(UserError::usage(format!(
            "{}: the template would be larger than {} bytes, which `render` refuses",
            template_path.display(),
            crate::files::MAX_BYTES
        ))
        .hint("adopt a smaller task definition (large values belong in a parameter store)")
        .into());
    }
    config::load_text(config_path, config_text, &Overrides::default())
        .context("init would write a config that does not load; nothing was written")?;
    let templates = template_path.parent().expect("has a parent");
    if std::fs::symlink_metadata(templates).is_ok_and(|m| m.file_type().is_symlink()) {
        let inside = templates
            .canonicalize()
            .ok()
            .zip(dir.canonicalize().ok())
            .is_some_and(|(real, root)| real.starts_with(root));
        if !inside {
            return Err(UserError::usage(format!(
                "{} is a symbolic link out of the project; init does not write through it",
                templates.display()
            ))
            .hint("remove the link, or make `templates` a folder of the project")
            .into());
        }
    }
    std::fs::create_dir_all(templates)
        .with_context(|| format!("cannot create {}", templates.display()))?;
    let template_real = crate::files::write::check_target(template_path, dir, "template")?;
    let config_real = crate::files::write::check_target(config_path, dir, "config file")?;
    crate::files::write::write_atomic(&template_real, template_text.as_bytes(), "template")?;
    crate::files::write::write_atomic(&config_real, config_text.as_bytes(), "config file")?;
    // What init wrote must load; a failure here is a bug, reported as such.
    config::load(config_path, &Overrides::default())
        .context("internal error: the written config does not load")?;
    Ok(())
}
