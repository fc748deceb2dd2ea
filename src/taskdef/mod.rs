//! Template output -> the task definition `up` registers, with everything
//! dynroute injects: family, routing labels, telemetry env, tags.

pub mod adopt;
pub mod diff;
pub mod ecs_rules;
pub mod model;
pub mod release;
pub mod reserved;

use std::path::Path;

use crate::config::{Project, ServiceSettings};
use crate::error::UserError;
use crate::files;
use crate::files::yaml_error;
use crate::naming::resource_name;
use crate::naming::tags::DeployTags;
use crate::routing::{self, Route};
use crate::taskdef::release::Release;
use crate::template::placeholders;
use crate::template::{self, EnvLookup, TemplateVars};
pub use model::TaskDefinition;
use model::{ContainerDefinition, Environment, Family, KeyValuePair, PortMapping, Tag, Tags};

/// Reads, renders, parses and completes the task definition of one service;
/// [`with_tags`] adds the deployment's tags.
pub fn build(
    project: &Project,
    service: &ServiceSettings,
    release: &Release,
    env_lookup: EnvLookup,
) -> Result<TaskDefinition, UserError> {
    let path = &service.template;
    let source = files::read(path, "template").map_err(|err| {
        err.hint(format!(
            "services.{}.template in {} is relative to that file",
            service.name,
            project.path.display()
        ))
    })?;
    let mut vars = service.vars.clone();
    for (key, value) in &release.var_overrides {
        vars.insert(key.clone(), serde_yaml::Value::from(value.as_str()));
    }
    let template_vars = TemplateVars {
        version: release.version.clone(),
        version_id: release.version.id(),
        project: project.project.to_string(),
        service: service.name.clone(),
        cluster: project.cluster.clone(),
        image_tag: release.image_tag.clone(),
        git: release.git.clone(),
        owner: release.owner.clone(),
        vars,
    };
    let rendered = template::render(path, &source, &template_vars, env_lookup)?;
    let mut task_definition = parse(path, &rendered)?;
    let in_template = |message: String| UserError::usage(format!("{}: {message}", path.display()));
    inject(&mut task_definition, project, service, release).map_err(in_template)?;
    let complete = with_tags(task_definition.clone(), &release.tags(&service.name, None));
    ecs_rules::check(&complete).map_err(in_template)?;
    Ok(task_definition)
}

/// What the user should know about a valid task definition.
pub fn warnings(td: &TaskDefinition) -> Vec<String> {
    td.container_definitions
        .iter()
        .filter(|c| c.environment_files.as_ref().is_some_and(|f| !f.is_empty()))
        .map(|c| {
            format!(
                "container `{}` reads environmentFiles: if they set DYNROUTE_VERSION, OTEL_RESOURCE_ATTRIBUTES or OTEL_PROPAGATORS, the value dynroute injects takes precedence",
                c.name
            )
        })
        .collect()
}

/// The Traefik and `dynroute.*` labels dynroute puts on the routed container of
/// `service` at `version`: what `dynroute labels` prints, and what a baseline's
/// own task definition carries so Traefik routes main's requests to it.
pub fn routing_labels(
    project: &Project,
    service: &ServiceSettings,
    version: &crate::naming::Version,
    expires: &crate::naming::tags::Expiry,
    now: jiff::Timestamp,
) -> std::collections::BTreeMap<String, String> {
    routing::labels(&Route {
        service: &service.name,
        version,
        is_main: *version == project.main_version,
        hosts: &service.hosts,
        port: service.port,
        protocol: service.protocol,
        health_check_path: service.health_check_path.as_ref(),
        baggage_key: &project.baggage_key,
        traefik: &project.traefik,
        ways: &project.ways_in,
        cookie_max_age: routing::cookie_max_age(expires, now),
    })
}

/// The fields that `describe-task-definition` prints and
/// `register-task-definition` refuses (ECS sets them on registration), from
/// `output_only_fields.txt`, which the local stack reads too.
pub fn output_only_fields() -> impl Iterator<Item = &'static str> {
    include_str!("output_only_fields.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Parses rendered template text (YAML or JSON): first with the values still
/// tokens, so the structure and every line number come from the template's
/// own text, then once more with the values in place, so the checks see them.
pub fn parse(path: &Path, rendered: &str) -> Result<TaskDefinition, UserError> {
    files::check_depth(path, rendered)?;
    files::check_plain_yaml(path, rendered).map_err(|mut err| {
        err.message = placeholders::decode_message(&err.message);
        err
    })?;
    let td: TaskDefinition = serde_yaml::from_str(rendered).map_err(|err| {
        let mut error = yaml_error(path, &err);
        error.message = placeholders::decode_message(&error.message);
        let output_only = output_only_fields()
            .any(|f| error.message.contains(&format!("unknown field `{f}`")));
        if output_only {
            let fields: Vec<&str> = output_only_fields().collect();
            error.hint(format!("templates use the RegisterTaskDefinition request shape; remove the output-only fields of describe-task-definition ({})", fields.join(", ")))
        } else {
            error
        }
    })?;
    let td = with_values(path, td)?;
    if td.container_definitions.is_empty() {
        return Err(UserError::usage(format!(
            "{}: containerDefinitions is empty",
            path.display()
        )));
    }
    Ok(td)
}

/// The task definition with every token replaced by its value, checked again.
fn with_values(path: &Path, td: TaskDefinition) -> Result<TaskDefinition, UserError> {
    let json = serde_json::to_value(&td).expect("a task definition serializes");
    if !placeholders::contains_token(&json.to_string()) {
        return Ok(td);
    }
    serde_json::from_value(placeholders::decode_json(json)).map_err(|err| {
        UserError::usage(format!(
            "{}: with the template's values filled in: {err}",
            path.display()
        ))
    })
}

/// Adds the injected fields. Errors are messages about the template.
pub fn inject(
    td: &mut TaskDefinition,
    project: &Project,
    service: &ServiceSettings,
    release: &Release,
) -> Result<(), String> {
    let version = &release.version;
    td.family = Some(Family(resource_name(&service.name, version)));

    // A worker (`routing: none`) gets no port mapping and no Traefik label, and
    // so names no container to route to.
    if service.routed {
        let names: Vec<String> = td
            .container_definitions
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let routed = td
            .container_definitions
            .iter_mut()
            .find(|c| c.name == service.container)
            .ok_or_else(|| {
                format!(
                    "no container named `{}` to route to (services.{}.container); containers: {}",
                    service.container,
                    service.name,
                    names.join(", ")
                )
            })?;
        ensure_port_mapping(routed, service.port);
        routed
            .docker_labels
            .get_or_insert_with(Default::default)
            .0
            .extend(routing_labels(
                project,
                service,
                version,
                &release.expires,
                release.now,
            ));
    }

    for container in &mut td.container_definitions {
        inject_telemetry(
            container.environment.get_or_insert_with(Default::default),
            version.as_str(),
        );
    }

    Ok(())
}

/// The task definition with the deployment's `dynroute:*` tags after the template's own.
pub fn with_tags(mut td: TaskDefinition, tags: &DeployTags) -> TaskDefinition {
    let mut all_tags = td.tags.take().unwrap_or_default().0;
    all_tags.extend(
        tags.to_pairs()
            .into_iter()
            .map(|(key, value)| Tag { key, value }),
    );
    td.tags = Some(Tags(all_tags));
    td
}

/// The tags of a task definition as key/value pairs.
pub fn tag_pairs(td: &TaskDefinition) -> Vec<(String, String)> {
    td.tags
        .iter()
        .flat_map(|t| t.0.iter())
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect()
}

/// Traefik needs the routed port among the container's port mappings.
fn ensure_port_mapping(container: &mut ContainerDefinition, port: u16) {
    let mappings = container.port_mappings.get_or_insert_with(Vec::new);
    if !mappings
        .iter()
        .any(|m| m.container_port == Some(i32::from(port)))
    {
        mappings.push(PortMapping {
            container_port: Some(i32::from(port)),
            host_port: None,
            protocol: Some("tcp".parse().expect("valid protocol")),
            name: None,
            app_protocol: None,
            container_port_range: None,
        });
    }
}

const OTEL_RESOURCE_ATTRIBUTES: &str = "OTEL_RESOURCE_ATTRIBUTES";
const OTEL_PROPAGATORS: &str = "OTEL_PROPAGATORS";

/// `DYNROUTE_VERSION`, the OpenTelemetry resource attributes (merged), and the
/// baggage propagator unless the template chose propagators itself.
fn inject_telemetry(env: &mut Environment, version: &str) {
    let pairs = &mut env.0;
    let set = |pairs: &mut Vec<KeyValuePair>, name: &str, value: String| match pairs
        .iter_mut()
        .find(|p| p.name.as_deref() == Some(name))
    {
        Some(p) => p.value = Some(value),
        None => pairs.push(KeyValuePair {
            name: Some(name.to_owned()),
            value: Some(value),
        }),
    };
    set(pairs, model::VERSION_ENV, version.to_owned());

    let existing = pairs
        .iter()
        .find(|p| p.name.as_deref() == Some(OTEL_RESOURCE_ATTRIBUTES))
        .and_then(|p| p.value.clone())
        .unwrap_or_default();
    let mut attributes: Vec<String> = existing
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .filter(|a| {
            let key = a.split('=').next().unwrap_or_default().trim();
            key != "service.version" && key != "dynroute.version"
        })
        .map(str::to_owned)
        .collect();
    attributes.push(format!("service.version={version}"));
    attributes.push(format!("dynroute.version={version}"));
    set(pairs, OTEL_RESOURCE_ATTRIBUTES, attributes.join(","));

    if !pairs
        .iter()
        .any(|p| p.name.as_deref() == Some(OTEL_PROPAGATORS))
    {
        set(pairs, OTEL_PROPAGATORS, "tracecontext,baggage".to_owned());
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod hostile_tests;

#[cfg(test)]
mod fixture_tests;
