//! `dynroute iam-policy`: a least-privilege IAM policy for this project. No AWS call.

use crate::aws::iam::{self, Audience, Rendered};
use crate::cli::{IamPolicyArgs, ReleaseArgs};
use crate::error::UserError;
use crate::report::IamPolicyReport;
use crate::settings::Settings;
use crate::settings::inputs;
use crate::template::{process_env, shifted_env};

fn release_args() -> ReleaseArgs {
    ReleaseArgs {
        services: Vec::new(),
        image_tag: None,
        set: Vec::new(),
        owner: Some("iam-policy".to_owned()),
        ttl: None,
    }
}

pub fn run(settings: &Settings, args: IamPolicyArgs) -> anyhow::Result<IamPolicyReport> {
    if let Some(account) = &args.account
        && (account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(UserError::usage(format!(
            "--account {account:?}: an AWS account id is 12 digits"
        ))
        .into());
    }
    // Traefik's role and the cluster-wide roles name the cluster, not a project.
    if args.audience == Audience::Traefik || args.cluster_wide {
        return cluster_policy(settings, &args);
    }
    let project = settings.project()?;
    let probe = iam::probe_version();
    let first = inputs::render_release(settings, Some(&project.main_version), &release_args())?;
    let second = inputs::render_release_in(settings, Some(&probe), &release_args(), process_env())?;
    // The same version under a shifted environment: what changes came from env().
    let elsewhere = [true, false].into_iter().find_map(|digits| {
        let env = shifted_env(process_env(), digits);
        inputs::render_release_in(settings, Some(&project.main_version), &release_args(), env).ok()
    });
    if elsewhere.is_none() {
        settings.ui.warn(
            "the templates do not render with other environment values; values read with env() are not told apart from fixed ones",
        );
    }
    let rendered: Vec<Rendered<'_>> = first
        .services
        .iter()
        .zip(&second.services)
        .enumerate()
        .map(|(i, (a, b))| Rendered {
            service: a.settings.name.as_str(),
            first: &a.task_definition,
            second: &b.task_definition,
            elsewhere: elsewhere
                .as_ref()
                .and_then(|e| e.services.get(i))
                .map(|e| &e.task_definition),
        })
        .collect();
    let (inputs, unresolved, malformed) = iam::gather(&project, args.account.as_deref(), &rendered);
    // A wildcard or malformed value would widen the policy: no policy at all.
    if !malformed.is_empty() {
        let lines: Vec<String> = malformed.iter().map(|m| format!("  {m}")).collect();
        return Err(UserError::usage(format!(
            "the templates name values a policy cannot hold:\n{}",
            lines.join("\n")
        ))
        .hint("write concrete values in the templates (a wildcard would widen the policy to resources that are not this project's)")
        .into());
    }
    for item in &unresolved {
        settings.ui.warn(item);
    }
    if inputs.account == "*" {
        settings
            .ui
            .info("note: resources name any account (`*`); pass --account ID to pin it");
    }
    Ok(IamPolicyReport {
        policy: iam::policy(&inputs, args.audience),
    })
}

/// A policy that names the cluster, its region and account only: `--for
/// traefik`, and any audience `--cluster-wide`.
fn cluster_policy(settings: &Settings, args: &IamPolicyArgs) -> anyhow::Result<IamPolicyReport> {
    let project = settings.optional_project()?;
    let (cluster, region) = settings.cluster_and_region(
        project.as_ref(),
        "this policy names the cluster: pass --cluster NAME",
    )?;
    let region = region.unwrap_or_else(|| "*".to_owned());
    let account = args.account.clone().unwrap_or_else(|| "*".to_owned());
    let inputs = iam::cluster_wide_inputs(
        &cluster,
        &region,
        &account,
        &args.role_path,
        &args.log_group_prefix,
    )
    .map_err(UserError::usage)?;
    if account == "*" {
        settings
            .ui
            .info("note: resources name any account (`*`); pass --account ID to pin it");
    }
    Ok(IamPolicyReport {
        policy: iam::policy(&inputs, args.audience),
    })
}
