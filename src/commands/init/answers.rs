//! The answers of a plain `dynroute init`: cluster, domain, first service,
//! port and image repository. Asked on a terminal (with defaults where one is
//! sensible); without one every answer comes from a flag.

use std::path::Path;

use crate::cli::{InitArgs, values};
use crate::config::scaffold::{Answers, image_repo_ok, non_empty};
use crate::error::UserError;
use crate::naming::ServiceName;
use crate::settings::Settings;
use crate::ui::prompt;

pub fn ask(settings: &Settings, args: &InitArgs, dir: &Path) -> anyhow::Result<Answers> {
    let ui = &settings.ui;
    let cluster = match settings.cluster_override() {
        Some(c) => c.to_owned(),
        None => prompt::text(ui, "ECS cluster", None, "--cluster NAME", |s| {
            non_empty(s, "a cluster name")
        })?,
    };
    let domain = super::choices::domain(settings, args)?;
    let default_service = dir
        .file_name()
        .and_then(|n| ServiceName::suggested(&n.to_string_lossy()));
    let service = match (&args.service, default_service) {
        (Some(s), _) => s.clone(),
        (None, Some(default)) if !ui.interactive => default,
        (None, default) => {
            prompt::value(ui, "First service name", default.as_ref(), "--service NAME")?
        }
    };
    let port = match args.port {
        Some(p) => p,
        None if !ui.interactive => 8080,
        None => {
            let answer = prompt::text(
                ui,
                "Container port",
                Some("8080".into()),
                "--port PORT",
                |s| values::port_number(s).map(|_| ()),
            )?;
            values::port_number(&answer).map_err(UserError::usage)?
        }
    };
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
