//! The inputs commands share beyond their own flags: the version from the
//! argument or the git branch, the `-s` services of the project, and the
//! rendered release `up`, `render` and `diff` send (no AWS call).

use jiff::Timestamp;

use crate::cli::{ReleaseArgs, UpArgs};
use crate::config::{Project, ServiceSettings};
use crate::error::UserError;
use crate::naming::provenance::{self, ProcessEnv, Provenance};
use crate::naming::resource_name;
use crate::naming::{ServiceName, Version};
use crate::settings::Settings;
use crate::taskdef;
use crate::taskdef::release::{Release, RenderedService, expiry};
use crate::template::{EnvLookup, GitVars, process_env};

/// The version named on the command line, or the current branch's slug.
pub fn version_or_branch(arg: Option<&Version>) -> Result<Version, UserError> {
    version_from(arg, || provenance::git_branch(&ProcessEnv))
}

/// The version named on the command line, or the slug of `branch()`.
fn version_from(
    arg: Option<&Version>,
    branch: impl FnOnce() -> Option<String>,
) -> Result<Version, UserError> {
    match arg {
        Some(version) => Ok(version.clone()),
        None => {
            let branch = branch().ok_or_else(|| {
                UserError::usage("no VERSION given and no git branch to derive it from")
                    .hint("name the version on the command line (such as `feature-123`), or run in a git checkout on a branch")
            })?;
            Version::from_branch(&branch)
        }
    }
}

/// A version derived from the branch or a CI ref must not land on a protected
/// version (a fork's `GITHUB_HEAD_REF=main`, a branch `Main`): only a version
/// named on the command line may.
pub fn refuse_derived_protected(
    project: &Project,
    version: &Version,
    named: bool,
) -> Result<(), UserError> {
    if named || !project.is_protected(version) {
        return Ok(());
    }
    Err(UserError::usage(format!(
        "the version `{version}` was derived from the git branch or CI ref, and `{version}` is protected; refusing to deploy over it"
    ))
    .hint(format!(
        "name the version on the command line to deploy it on purpose (`dynroute up {version}`), or deploy from another branch"
    )))
}

/// Whether `up` proves the route through the ingress after the rollout:
/// `--verify` asks for it (and needs the rollout and an ingress), `--no-verify`
/// skips it; by default it runs when an ingress is configured and `up` waits.
pub fn verify(args: &UpArgs, project: &Project) -> Result<bool, UserError> {
    match (args.verify, args.no_verify, &project.ingress) {
        (_, true, _) => Ok(false),
        (true, _, _) if args.no_wait => Err(UserError::usage(
            "--verify needs the rollout to finish; it cannot go with --no-wait",
        )),
        (true, _, None) => Err(UserError::usage(
            "--verify needs an ingress to send requests through",
        )
        .hint("set `ingress.url` or `ingress.load_balancer` in dynroute.yaml")),
        (_, _, ingress) => Ok(ingress.is_some() && !args.no_wait),
    }
}

/// `up` and `down` never write to a baseline: the main version of a service
/// whose main the team already runs is refused, naming the services.
pub fn refuse_baseline(
    project: &Project,
    version: &Version,
    services: &[&ServiceSettings],
    verb: &str,
) -> Result<(), UserError> {
    if *version != project.main_version {
        return Ok(());
    }
    let baselines: Vec<String> = services
        .iter()
        .filter_map(|s| Some(format!("{} ({})", s.name, s.baseline.as_ref()?.describe())))
        .collect();
    if baselines.is_empty() {
        return Ok(());
    }
    let others: Vec<&str> = services
        .iter()
        .filter(|s| s.baseline.is_none())
        .map(|s| s.name.as_str())
        .collect();
    let hint = if others.is_empty() {
        format!(
            "{version} of these services is deployed by your own tooling; dynroute routes to it and never writes to it. Deploy a version beside it (`dynroute up feature-1`); to hand main to dynroute, remove `baseline:` from the service"
        )
    } else {
        format!(
            "name the services whose main dynroute manages: `dynroute {verb} {version} -s {}`",
            others.join(" -s ")
        )
    };
    Err(UserError::usage(format!(
        "`dynroute {verb} {version}` would write to a baseline: {}",
        baselines.join(", ")
    ))
    .hint(hint))
}

/// The services selected with `-s`.
pub fn services<'p>(
    project: &'p Project,
    names: &[ServiceName],
) -> Result<Vec<&'p ServiceSettings>, UserError> {
    project.select(names)
}

/// A validated release: the project, the release facts, and every selected
/// service's task definition. Shared by `render` and `up`; makes no AWS call.
pub struct RenderedRelease {
    pub project: Project,
    pub release: Release,
    pub services: Vec<RenderedService>,
}

/// Validates every input and renders every template.
pub fn render_release(
    settings: &Settings,
    version_arg: Option<&Version>,
    args: &ReleaseArgs,
) -> anyhow::Result<RenderedRelease> {
    let rendered = render_release_in(settings, version_arg, args, process_env())?;
    for s in &rendered.services {
        for warning in taskdef::warnings(&s.task_definition) {
            settings
                .ui
                .warn(format!("{}: {warning}", s.settings.template.display()));
        }
    }
    Ok(rendered)
}

/// [`render_release`] with `env()` and `must_env()` answered by `env`, and
/// without its warnings (for a second look at the same templates).
pub fn render_release_in(
    settings: &Settings,
    version_arg: Option<&Version>,
    args: &ReleaseArgs,
    env: EnvLookup,
) -> anyhow::Result<RenderedRelease> {
    // One round of git queries serves the version, the tags and the templates.
    let found = Provenance::detect(&ProcessEnv, args.owner.clone());
    let version = version_from(version_arg, || found.branch.clone())?;
    let project = settings.project()?;
    let selected = services(&project, &args.services)?;
    let names: Vec<_> = selected.iter().map(|s| &s.name).collect();
    crate::config::check_version(&project.ways_in, &names, &version)?;
    let release = release(&project, version, args, found)?;
    let services: Vec<RenderedService> = selected
        .into_iter()
        .map(|s| {
            Ok(RenderedService {
                ecs_name: resource_name(&s.name, &release.version),
                task_definition: taskdef::build(&project, s, &release, env.clone())?,
                settings: s.clone(),
            })
        })
        .collect::<Result<_, UserError>>()?;
    check_hook_containers(&project, &services)?;
    Ok(RenderedRelease {
        project,
        release,
        services,
    })
}

/// Every hook of a rendered service names a container its task definition has.
fn check_hook_containers(project: &Project, services: &[RenderedService]) -> Result<(), UserError> {
    for hook in &project.hooks.hooks {
        let Some(s) = services.iter().find(|s| s.settings.name == hook.service) else {
            continue;
        };
        let container = hook.container.as_deref().unwrap_or(&s.settings.container);
        let names: Vec<&str> = (s.task_definition.container_definitions.iter())
            .map(|c| c.name.as_str())
            .collect();
        if !names.contains(&container) {
            return Err(UserError::usage(format!(
                "{}: hooks.{}[{}] runs in container `{container}`, which {} does not define",
                project.path.display(),
                hook.phase,
                hook.index - 1,
                s.settings.template.display()
            ))
            .hint(format!("its containers: {}", names.join(", "))));
        }
    }
    Ok(())
}

/// Everything `up` and `render` share about one release.
fn release(
    project: &Project,
    version: Version,
    args: &ReleaseArgs,
    found: Provenance,
) -> Result<Release, UserError> {
    let env = ProcessEnv;
    let image_tag = args
        .image_tag
        .clone()
        .unwrap_or_else(|| version.to_string());
    let now = Timestamp::now();
    Ok(Release {
        expires: expiry(project, &version, args.ttl, now),
        version,
        project: project.project.clone(),
        repo: provenance::ci_repo(&env),
        pr: provenance::ci_pr(&env),
        image_tag,
        owner: found.owner.unwrap_or_else(|| "unknown".to_owned()),
        git: GitVars {
            sha: found.sha.unwrap_or_default(),
            branch: found.branch.unwrap_or_default(),
        },
        ci_url: provenance::ci_url(&env),
        now,
        var_overrides: args.set.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_versions_never_land_on_a_protected_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dynroute.yaml");
        std::fs::write(
            &path,
            "project: shop\ncluster: dev\ndomain: d.example.com\nprotected: [shadow]\nservices:\n  api: { template: t.yaml, port: 80 }\n",
        )
        .unwrap();
        let project = crate::config::load(&path, &Default::default()).unwrap();
        for branch in ["Main", "main", "Shadow"] {
            let v = version_from(None, || Some(branch.into())).unwrap();
            let err = refuse_derived_protected(&project, &v, false).unwrap_err();
            assert_eq!(err.kind, crate::error::ExitKind::Usage);
            assert!(err.message.contains("is protected"), "{}", err.message);
            assert!(refuse_derived_protected(&project, &v, true).is_ok());
        }
        let v = version_from(None, || Some("feature/x".into())).unwrap();
        assert!(refuse_derived_protected(&project, &v, false).is_ok());
    }
}
