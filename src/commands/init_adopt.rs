//! `dynroute init --from-task-definition FILE`: a template from an existing
//! task definition, and its service added to dynroute.yaml.
//!
//! Everything is decided and validated before either file is written: the
//! routed container and port (detected, asked on a terminal when ambiguous,
//! flags otherwise), the service name, and that the result loads and renders.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::adopt::{self, Adopted};
use crate::cli::InitArgs;
use crate::config::{self, FILE_NAME, Overrides};
use crate::error::UserError;
use crate::naming::{ServiceName, suggest};
use crate::report::InitReport;
use crate::routing::Hostname;
use crate::settings::Settings;
use crate::ui::prompt;

pub fn run(settings: &Settings, args: &InitArgs, file: &Path) -> anyhow::Result<InitReport> {
    let source = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|err| {
        UserError::usage(format!("cannot read task definition {source}: {err}"))
            .hint("pass the path of a JSON file, e.g. the output of `aws ecs describe-task-definition --include TAGS`")
    })?;
    let Adopted {
        mut task_definition,
        family,
        notes,
    } = adopt::parse(&source, &text)?;
    if adopt::has_template_syntax(&task_definition) {
        return Err(UserError::usage(format!(
            "{source} contains `{{{{`, `{{%` or `{{#`, which templates would read as template syntax"
        ))
        .hint("adopt it without those values and add them to the template by hand, escaped as {{ '{{' }}")
        .into());
    }
    let (container, port) = routed(settings, args, &task_definition)?;
    let service = service_name(settings, args, family.as_deref())?;
    let tag = adopt::template_image_tag(&mut task_definition, &container);

    let dir = settings.cwd.clone();
    let config_path = dir.join(FILE_NAME);
    let template_rel = PathBuf::from("templates").join(format!("{service}.yaml"));
    let template_path = dir.join(&template_rel);
    if template_path.exists() && !args.force {
        return Err(
            UserError::usage(format!("{} already exists", template_path.display()))
                .hint("pass --force to overwrite it")
                .into(),
        );
    }
    let entry = format!(
        "  {service}:\n    template: {}\n    container: {}\n    port: {port}\n",
        template_rel.display(),
        serde_json::to_string(&container)?,
    );
    let config_text = if config_path.exists() {
        add_service(&config_path, &service, &entry)?
    } else {
        new_config(settings, args, &entry)?
    };

    std::fs::create_dir_all(dir.join("templates"))
        .with_context(|| format!("cannot create {}", dir.join("templates").display()))?;
    let template = adopt::template_text(&task_definition, service.as_str(), &source);
    std::fs::write(&template_path, template)
        .with_context(|| format!("cannot write {}", template_path.display()))?;
    std::fs::write(&config_path, config_text)
        .with_context(|| format!("cannot write {}", config_path.display()))?;
    config::load(&config_path, &Overrides::default())
        .context("internal error: the updated config does not load")?;

    for note in &notes {
        settings.ui.info(format!("note: {note}"));
    }
    match &tag {
        Ok(tag) => settings.ui.info(format!(
            "note: the image tag `{tag}` of `{container}` became {{{{ image_tag }}}}: `dynroute render main --image-tag {tag}` gives back the task definition"
        )),
        Err(message) => settings.ui.warn(message),
    }
    settings.ui.info(format!(
        "wrote {} and added service `{service}` (container `{container}`, port {port}) to {}",
        template_path.display(),
        config_path.display()
    ));
    Ok(InitReport {
        config: config_path,
        template: template_path,
    })
}

/// The container and port Traefik routes to.
fn routed(
    settings: &Settings,
    args: &InitArgs,
    td: &crate::taskdef::TaskDefinition,
) -> anyhow::Result<(String, u16)> {
    let names: Vec<&str> = td
        .container_definitions
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    if let Some(c) = &args.container
        && !names.contains(&c.as_str())
    {
        return Err(UserError::usage(format!(
            "--container {c}: the task definition has no such container"
        ))
        .hint(format!("containers: {}", names.join(", ")))
        .into());
    }
    let candidates: Vec<(String, u16)> = adopt::routable(td)
        .into_iter()
        .filter(|(c, _)| args.container.as_ref().is_none_or(|want| want == c))
        .filter(|(_, p)| args.port.is_none_or(|want| want == *p))
        .collect();
    let single_container = match (&args.container, names.as_slice()) {
        (Some(c), _) => Some(c.clone()),
        (None, [one]) => Some((*one).to_owned()),
        _ => None,
    };
    match (candidates.as_slice(), args.port, single_container) {
        ([one], _, _) => Ok(one.clone()),
        // A port the task definition does not map yet: dynroute adds the mapping.
        ([], Some(port), Some(container)) => Ok((container, port)),
        _ => {
            let choices: Vec<String> = adopt::routable(td)
                .iter()
                .map(|(c, p)| format!("{c}:{p}"))
                .collect();
            let answer = prompt::text(
                &settings.ui,
                &format!(
                    "Which container:port should requests reach? ({})",
                    if choices.is_empty() {
                        "none is mapped".to_owned()
                    } else {
                        choices.join(", ")
                    }
                ),
                choices.first().cloned(),
                "--container NAME --port PORT",
                |s| parse_choice(s, &names).map(|_| ()),
            )?;
            Ok(parse_choice(&answer, &names).map_err(UserError::usage)?)
        }
    }
}

fn parse_choice(s: &str, names: &[&str]) -> Result<(String, u16), String> {
    let (c, p) = s
        .rsplit_once(':')
        .ok_or_else(|| "expected CONTAINER:PORT".to_owned())?;
    if !names.contains(&c) {
        return Err(format!(
            "no container `{c}`; containers: {}",
            names.join(", ")
        ));
    }
    let port = p
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("{p:?} is not a port from 1 to 65535"))?;
    Ok((c.to_owned(), port))
}

fn service_name(
    settings: &Settings,
    args: &InitArgs,
    family: Option<&str>,
) -> anyhow::Result<ServiceName> {
    let name = match (&args.service, family.and_then(suggest)) {
        (Some(s), _) => s.clone(),
        (None, Some(from_family)) if from_family.parse::<ServiceName>().is_ok() => from_family,
        (None, _) => prompt::text(&settings.ui, "Service name", None, "--service NAME", |s| {
            s.parse::<ServiceName>()
                .map(|_| ())
                .map_err(|e| e.to_string())
        })?,
    };
    Ok(name.parse().map_err(UserError::from)?)
}

/// The existing config with the service appended to its `services:` block.
fn add_service(path: &Path, service: &ServiceName, entry: &str) -> anyhow::Result<String> {
    let project = config::load(path, &Overrides::default())?;
    if project.services.contains_key(service) {
        return Err(UserError::usage(format!(
            "{}: service `{service}` is already declared",
            path.display()
        ))
        .hint("pick another name with --service")
        .into());
    }
    let text = std::fs::read_to_string(path)?;
    let last_top_level = text
        .lines()
        .rfind(|l| !l.is_empty() && !l.starts_with([' ', '#', '\t']))
        .unwrap_or_default();
    if last_top_level.trim_end() != "services:" {
        return Err(UserError::usage(format!(
            "{}: `services:` is not the last block of the file, so the new service cannot be appended safely",
            path.display()
        ))
        .hint(format!("add it under `services:` by hand:\n{entry}"))
        .into());
    }
    let mut text = text;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(entry);
    Ok(text)
}

/// A new dynroute.yaml holding just this service.
fn new_config(settings: &Settings, args: &InitArgs, entry: &str) -> anyhow::Result<String> {
    let cluster = match settings.cluster_override() {
        Some(c) if !c.trim().is_empty() => c.trim().to_owned(),
        _ => prompt::text(&settings.ui, "ECS cluster", None, "--cluster NAME", |s| {
            if s.trim().is_empty() {
                Err("expected a cluster name".into())
            } else {
                Ok(())
            }
        })?,
    };
    let domain = domain(settings, args)?;
    let region = settings
        .region_override()
        .map(|r| format!("region: {}\n", serde_json::to_string(r).expect("a string")))
        .unwrap_or_default();
    Ok(format!(
        "# dynroute configuration: see README.md \"Configuration reference\".\ncluster: {}\n{region}domain: {domain}\nservices:\n{entry}",
        serde_json::to_string(&cluster)?
    ))
}

fn domain(settings: &Settings, args: &InitArgs) -> anyhow::Result<Hostname> {
    let domain = match &args.domain {
        Some(d) => d.clone(),
        None => prompt::text(
            &settings.ui,
            "Domain for service hosts",
            None,
            "--domain DOMAIN",
            |s| s.parse::<Hostname>().map(|_| ()),
        )?,
    };
    Ok(domain
        .parse()
        .map_err(|e: String| UserError::usage(format!("--domain: {e}")))?)
}
