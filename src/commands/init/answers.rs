//! The answers of a plain `dynroute init`: cluster, domain, first service,
//! port and image repository. Asked on a terminal (with defaults where one is
//! sensible); without one every answer comes from a flag.

use std::path::Path;

use crate::cli::InitArgs;
use crate::config::scaffold::{Answers, image_repo_ok, non_empty};
use crate::error::UserError;
use crate::naming::{ServiceName, suggest};
use crate::routing::Hostname;
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
