//! Where `init --from-task-definition` / `--from-service` reads the task
//! definition it adopts: a file, or ECS itself (DescribeTaskDefinition with
//! tags, which answers the same JSON `aws ecs describe-task-definition
//! --include TAGS` prints, so both go through the same adoption).
//!
//! Arguments are checked before any AWS call; a live read runs on its own
//! runtime and ends before `init` asks anything.

use std::path::Path;

use crate::cli::InitArgs;
use crate::ecs::Ecs as _;
use crate::error::{ExitKind, UserError};
use crate::settings::Settings;

/// A task definition's text and where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file, `task definition api:7` or `service api-prod`, for messages.
    pub label: String,
    pub text: String,
    /// What the dynroute service could be called (the ECS service's name).
    pub name_hint: Option<String>,
}

/// Reads the task definition the arguments name.
pub fn read(settings: &Settings, args: &InitArgs) -> anyhow::Result<Source> {
    if let Some(service) = &args.from_service {
        return live_service(settings, service);
    }
    let wanted = args.from_task_definition.as_deref().unwrap_or_default();
    let path = settings.cwd.join(wanted);
    if path.is_file() || !is_task_definition_name(wanted) {
        // Named as given (relative paths are relative to the working directory).
        let text = crate::files::read_text(Path::new(wanted), "task definition", crate::files::MAX_DOCUMENT_BYTES)
            .map_err(|err| {
                err.hint("pass the path of a JSON file (e.g. the output of `aws ecs describe-task-definition --include TAGS`), or a family, family:revision or ARN to read it from ECS")
            })?;
        return Ok(Source {
            label: Path::new(wanted).display().to_string(),
            text,
            name_hint: None,
        });
    }
    live_task_definition(settings, wanted)
}

/// `family`, `family:7` or a task definition ARN (and not a file here).
fn is_task_definition_name(s: &str) -> bool {
    let tail = s
        .strip_prefix("arn:")
        .and_then(|rest| rest.split_once(":task-definition/").map(|(_, t)| t))
        .unwrap_or(s);
    let (family, revision) = tail.split_once(':').unwrap_or((tail, "1"));
    !family.is_empty()
        && family.len() <= 255
        && family
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && revision.parse::<u32>().is_ok_and(|r| r > 0)
}

/// Where the live read goes: the config's cluster and region, or the flags.
fn target(settings: &Settings) -> anyhow::Result<(Option<String>, Option<String>)> {
    let project = settings.optional_project()?;
    let cluster = settings
        .cluster_override()
        .map(str::to_owned)
        .or_else(|| project.as_ref().map(|p| p.cluster.clone()));
    let region = settings
        .region_override()
        .map(str::to_owned)
        .or_else(|| project.and_then(|p| p.region));
    Ok((cluster, region))
}

fn live_task_definition(settings: &Settings, name: &str) -> anyhow::Result<Source> {
    let (cluster, region) = target(settings)?;
    let document = crate::commands::block_on(async {
        let aws = settings
            .aws_for(cluster.as_deref().unwrap_or_default(), region)
            .await?;
        aws.task_definition_document(name).await
    })?
    .ok_or_else(|| {
        UserError::new(
            ExitKind::Failure,
            format!("ECS has no task definition `{name}` (and there is no file of that name here)"),
        )
        .hint("`aws ecs list-task-definitions --family-prefix FAMILY` lists the revisions; check --region")
    })?;
    Ok(Source {
        label: format!("task definition {name}"),
        text: serde_json::to_string(&document)?,
        name_hint: None,
    })
}

fn live_service(settings: &Settings, service: &str) -> anyhow::Result<Source> {
    if service.trim().is_empty() {
        return Err(UserError::usage("--from-service: expected an ECS service name").into());
    }
    let (cluster, region) = target(settings)?;
    let Some(cluster) = cluster.filter(|c| !c.trim().is_empty()) else {
        return Err(UserError::usage(format!(
            "--from-service {service}: which cluster? There is no dynroute.yaml here and no --cluster"
        ))
        .hint("pass --cluster NAME (and --region REGION)")
        .into());
    };
    let document = crate::commands::block_on(async {
        let aws = settings.aws_for(&cluster, region).await?;
        let found = aws.describe_services(&[service.to_owned()]).await?;
        let Some(running) = found.into_iter().find(|s| s.is_present()) else {
            return Err(UserError::new(
                ExitKind::Failure,
                format!("there is no service `{service}` on cluster {cluster}"),
            )
            .hint(format!(
                "`aws ecs list-services --cluster {cluster}` lists them; check --region"
            ))
            .into());
        };
        aws.task_definition_document(&running.task_definition)
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "service `{service}` runs task definition {}, which ECS does not describe",
                    running.task_definition
                )
            })
    })?;
    Ok(Source {
        label: format!("service {service}"),
        text: serde_json::to_string(&document)?,
        name_hint: Some(service.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::is_task_definition_name;

    #[test]
    fn families_revisions_and_arns_are_names_and_paths_are_not() {
        for name in [
            "api",
            "api-prod:7",
            "arn:aws:ecs:eu-west-1:123456789012:task-definition/api_prod:12",
        ] {
            assert!(is_task_definition_name(name), "{name}");
        }
        for not in ["api.json", "dir/api", "api:0", "api:latest", "", "api:"] {
            assert!(!is_task_definition_name(not), "{not}");
        }
    }
}
