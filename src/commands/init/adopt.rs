//! `dynroute init --from-task-definition FILE|FAMILY[:REV]` / `--from-service
//! NAME`: a template from an existing task definition, and its service added
//! to dynroute.yaml.
//!
//! Everything is decided and validated before either file is written: the
//! routed container and port (detected, asked on a terminal when ambiguous,
//! flags otherwise), the service name, and that the result loads and renders.

use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::config::{self, FILE_NAME, Overrides};
use crate::error::UserError;
use crate::naming::ServiceName;
use crate::report::InitReport;
use crate::settings::Settings;
use crate::taskdef::adopt::{self, Adopted};
use crate::ui::prompt;

use super::choices::{domain, routed, service_name};
use super::source::{self, Source};

pub fn run(settings: &Settings, args: &InitArgs) -> anyhow::Result<InitReport> {
    let Source {
        label: source,
        text,
        name_hint,
    } = source::read(settings, args)?;
    let Adopted {
        mut task_definition,
        family,
        notes,
    } = adopt::parse(&source, &text)?;
    // What ECS would refuse (a container name or image with a line break,
    // say) is refused before anything is written.
    crate::taskdef::ecs_rules::check(&task_definition)
        .map_err(|message| UserError::usage(format!("{source}: {message}")))?;
    if adopt::has_template_syntax(&task_definition) {
        return Err(UserError::usage(format!(
            "{source} contains `{{{{`, `{{%` or `{{#`, which templates would read as template syntax"
        ))
        .hint("adopt it without those values and add them to the template by hand, escaped as {{ '{{' }}")
        .into());
    }
    let (container, port) = routed(settings, args, &task_definition)?;
    let service = service_name(settings, args, name_hint.as_deref().or(family.as_deref()))?;
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
    // The baseline is the service the template was read from (an ECS name:
    // letters, digits, `-` and `_`, so it needs no quoting).
    let baseline = match (&args.from_service, args.baseline) {
        (Some(name), true) => format!(
            "    baseline: {{ecs_service: {}}}\n",
            serde_json::to_string(name)?
        ),
        _ => String::new(),
    };
    let entry = format!(
        "  {service}:\n    template: {}\n    container: {}\n    port: {port}\n{baseline}",
        template_rel.display(),
        serde_json::to_string(&container)?,
    );
    let config_text = if config_path.exists() {
        add_service(&config_path, &service, &entry)?
    } else {
        new_config(settings, args, &entry)?
    };

    let template = adopt::template_text(&task_definition, service.as_str(), &source);
    super::write_project(
        &dir,
        (&config_path, &config_text),
        (&template_path, &template),
    )?;

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
    if let (Some(name), true) = (&args.from_service, args.baseline) {
        settings.ui.info(format!(
            "recorded ECS service `{name}` as the baseline (main) of `{service}`: dynroute never writes to it; add `dynroute labels main -s {service} --format json` to the dockerLabels of its container `{container}` with your own tooling so Traefik routes main's requests to it"
        ));
    }
    Ok(InitReport {
        config: config_path,
        template: template_path,
    })
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
    let text = crate::files::read(path, "config file")?;
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
        "# dynroute configuration: see the guide's \"Configuration reference\" (docs/configuration.md).\ncluster: {}\n{region}domain: {domain}\nservices:\n{entry}",
        serde_json::to_string(&cluster)?
    ))
}
