//! `dynroute init`: scaffold `dynroute.yaml` and a first template.
//!
//! Asks on a terminal; otherwise every answer comes from a flag. Validates every
//! answer and checks both target files before writing either.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::InitArgs;
use crate::config::{self, FILE_NAME, Overrides};
use crate::error::UserError;
use crate::naming::{ServiceName, suggest};
use crate::report::InitReport;
use crate::routing::Hostname;
use crate::scaffold::{Answers, config_text, image_repo_ok, non_empty, template_text};
use crate::settings::Settings;
use crate::ui::prompt;

pub fn run(settings: &Settings, args: InitArgs) -> anyhow::Result<InitReport> {
    if let Some(file) = &args.from_task_definition {
        return super::init_adopt::run(settings, &args, file);
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
    let answers = ask(settings, &args, &dir)?;
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

fn ask(settings: &Settings, args: &InitArgs, dir: &Path) -> anyhow::Result<Answers> {
    let ui = &settings.ui;
    let cluster = match settings.cluster_override() {
        Some(c) => c.to_owned(),
        None => prompt::text(ui, "ECS cluster", None, "--cluster NAME", |s| {
            non_empty(s, "a cluster name")
        })?,
    };
    let domain = match &args.domain {
        Some(d) => d.clone(),
        None => prompt::text(
            ui,
            "Domain for service hosts",
            None,
            "--domain DOMAIN",
            |s| s.parse::<Hostname>().map(|_| ()),
        )?,
    };
    let domain: Hostname = domain
        .parse()
        .map_err(|e: String| UserError::usage(format!("--domain: {e}")))?;
    let default_service = dir
        .file_name()
        .and_then(|n| suggest(&n.to_string_lossy()))
        .filter(|s| s.parse::<ServiceName>().is_ok());
    let service = match &args.service {
        Some(s) => s.clone(),
        None if !ui.interactive && default_service.is_some() => {
            default_service.clone().unwrap_or_default()
        }
        None => prompt::text(
            ui,
            "First service name",
            default_service,
            "--service NAME",
            |s| {
                s.parse::<ServiceName>()
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            },
        )?,
    };
    let service: ServiceName = service.parse().map_err(UserError::from)?;
    let port = match args.port {
        Some(p) => p,
        None if !ui.interactive => 8080,
        None => prompt::text(
            ui,
            "Container port",
            Some("8080".into()),
            "--port PORT",
            |s| {
                s.parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .map(|_| ())
                    .ok_or_else(|| "expected a port from 1 to 65535".to_owned())
            },
        )?
        .parse()?,
    };
    if port == 0 {
        return Err(UserError::usage("--port 0: expected a port from 1 to 65535").into());
    }
    let image = match &args.image {
        Some(i) => i.clone(),
        None => prompt::text(
            ui,
            "Image repository (without tag)",
            None,
            "--image REPO",
            |s| image_repo_ok(s),
        )?,
    };
    image_repo_ok(&image).map_err(|e| UserError::usage(format!("--image: {e}")))?;
    Ok(Answers {
        cluster: cluster.trim().to_owned(),
        domain,
        service,
        port,
        image,
    })
}
