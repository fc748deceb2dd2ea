//! `dynroute diff`: what `up` would change. The task definitions `up` would
//! register, compared with the revision this version's services run (or
//! main's, or a file's), normalised so an unchanged template shows no diff.

use std::path::Path;

use serde_json::Value;

use crate::cli::{DiffAgainst, DiffArgs};
use crate::engine::baseline;
use crate::engine::compare::{Candidate, against_running};
use crate::error::{ExitKind, UserError};
use crate::naming::{ServiceName, Version, resource_name};
use crate::report::{DiffReport, ServiceDiffView};
use crate::settings::Settings;
use crate::settings::inputs::{self, RenderedRelease};
use crate::taskdef;
use crate::taskdef::diff::Comparison;

/// Against what runs on the cluster (`--against deployed|main`).
pub async fn run(settings: &Settings, args: DiffArgs) -> anyhow::Result<DiffReport> {
    let rendered = inputs::render_release(settings, args.version.as_ref(), &args.release)?;
    let version = rendered.release.version.clone();
    let against_version = match args.against {
        DiffAgainst::Deployed => version.clone(),
        DiffAgainst::Main => rendered.project.main_version.clone(),
    };
    let project = &rendered.project;
    // Main of a service with a baseline: the baseline's revision (read only).
    let candidates: Vec<Candidate> = documents(&rendered)?
        .into_iter()
        .map(|(service, _, rendered)| Candidate {
            against_service: project
                .services
                .get(&service)
                .and_then(|s| baseline::running_as(project, s, &against_version).ok())
                .unwrap_or_else(|| resource_name(&service, &against_version)),
            service: service.to_string(),
            rendered,
        })
        .collect();
    let aws = settings.aws(&rendered.project).await?;
    let identity = args.against == DiffAgainst::Deployed;
    let compared = against_running(
        &aws,
        &candidates,
        &format!("dynroute up {version}"),
        identity,
    )
    .await?;
    if compared
        .iter()
        .all(|(_, c)| matches!(c, Comparison::NotDeployed { .. }))
    {
        let names: Vec<&str> = candidates
            .iter()
            .map(|c| c.against_service.as_str())
            .collect();
        let (what, hint) = match args.against {
            DiffAgainst::Deployed => (
                format!("version `{version}` is not deployed"),
                "`--against main` compares with the main version's revisions; `dynroute ls` lists the deployed versions",
            ),
            DiffAgainst::Main => (
                format!("the main version `{against_version}` is not deployed"),
                "`--against-file FILE` compares with a task definition file; `dynroute ls` lists the deployed versions",
            ),
        };
        return Err(UserError::new(
            ExitKind::Failure,
            format!(
                "{what}: no service {} on cluster {}",
                names.join(", "),
                rendered.project.cluster
            ),
        )
        .hint(hint)
        .into());
    }
    Ok(report(
        &version,
        match args.against {
            DiffAgainst::Deployed => "deployed",
            DiffAgainst::Main => "main",
        },
        compared,
        args.exit_code,
    ))
}

/// Against a task definition file (`--against-file`); no AWS call.
pub fn against_file(
    settings: &Settings,
    args: DiffArgs,
    file: &Path,
) -> anyhow::Result<DiffReport> {
    let source = file.display().to_string();
    let text = crate::files::read_text(file, "--against-file", crate::files::MAX_DOCUMENT_BYTES)
        .map_err(|err| {
            err.hint("pass a JSON file: `dynroute render` output or `aws ecs describe-task-definition` output")
        })?;
    let in_file = crate::taskdef::diff::file_documents(&source, &text)?;
    let rendered = inputs::render_release(settings, args.version.as_ref(), &args.release)?;
    let version = rendered.release.version.clone();
    let ours = documents(&rendered)?;
    let mut compared = Vec::with_capacity(ours.len());
    for (service, family, new) in ours {
        let old = pick(&in_file, &family, &service, rendered.services.len() == 1)
            .ok_or_else(|| {
                UserError::usage(format!(
                    "--against-file {source}: no task definition of family `{family}` (service `{service}`) in it"
                ))
                .hint("pass one service with -s SERVICE, or a file that holds a task definition of that service")
            })?;
        let identity = crate::taskdef::diff::family_of(old) == Some(family.as_str());
        let label = format!(
            "{source} ({})",
            crate::taskdef::diff::family_of(old).unwrap_or("no family")
        );
        compared.push((
            service.to_string(),
            Comparison::of(
                old,
                &new,
                &label,
                &format!("dynroute up {version}"),
                identity,
            ),
        ));
    }
    Ok(report(&version, "file", compared, args.exit_code))
}

/// The file's definition for `service`: the same family, else the same
/// service's definition of another version (families are
/// `{service}--{version}`), else the only one when one service is compared.
fn pick<'a>(in_file: &'a [Value], family: &str, service: &str, single: bool) -> Option<&'a Value> {
    let family_of = |d: &Value| crate::taskdef::diff::family_of(d).map(str::to_owned);
    in_file
        .iter()
        .find(|d| family_of(d).as_deref() == Some(family))
        .or_else(|| {
            in_file
                .iter()
                .find(|d| family_of(d).is_some_and(|f| f.split("--").next() == Some(service)))
        })
        .or(match in_file {
            [only] if single => Some(only),
            _ => None,
        })
}

/// Each rendered service as `(service, family, JSON)` with the tags `up` adds.
fn documents(rendered: &RenderedRelease) -> anyhow::Result<Vec<(ServiceName, String, Value)>> {
    let release = &rendered.release;
    rendered
        .services
        .iter()
        .map(|s| {
            let td = taskdef::with_tags(
                s.task_definition.clone(),
                &release.tags(&s.settings.name, None),
            );
            let family = td.family.as_ref().map(|f| f.0.clone()).unwrap_or_default();
            Ok((s.settings.name.clone(), family, serde_json::to_value(td)?))
        })
        .collect()
}

fn report(
    version: &Version,
    against: &'static str,
    compared: Vec<(String, Comparison)>,
    exit_code: bool,
) -> DiffReport {
    DiffReport {
        version: version.clone(),
        against,
        differences: compared.iter().any(|(_, c)| c.differs()),
        services: compared
            .into_iter()
            .map(|(service, comparison)| ServiceDiffView {
                service,
                comparison,
            })
            .collect(),
        exit_code,
    }
}
