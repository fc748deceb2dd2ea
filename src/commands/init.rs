//! `dynroute init`: scaffold `dynroute.yaml` and a first template.
//!
//! Asks on a terminal; otherwise every answer comes from a flag. Validates every
//! answer and checks both target files before writing either.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::InitArgs;
use crate::config::{self, FILE_NAME, Overrides};
use crate::context::Context;
use crate::error::UserError;
use crate::naming::{ServiceName, suggest};
use crate::routing::Hostname;
use crate::ui::prompt;

struct Answers {
    cluster: String,
    domain: Hostname,
    service: ServiceName,
    port: u16,
    image: String,
}

pub fn run(ctx: &Context, args: InitArgs) -> anyhow::Result<()> {
    // `--config PATH` / DYNROUTE_CONFIG name the file init writes; the template
    // goes beside it.
    let config_path = match &ctx.global.config {
        Some(path) => ctx.cwd.join(path),
        None => ctx.cwd.join(FILE_NAME),
    };
    let dir = config_path
        .parent()
        .map_or_else(|| ctx.cwd.clone(), Path::to_path_buf);
    let answers = ask(ctx, &args, &dir)?;
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
        &config_text(&answers, ctx.global.region.as_deref(), &template_rel),
    )?;
    write(&template_path, &template_text(&answers))?;

    // What init writes must load; a failure here is a bug, reported as such.
    config::load(&config_path, &Overrides::default())
        .context("internal error: the generated config does not load")?;

    ctx.ui.info(format!(
        "wrote {} and {}\nnext: `dynroute render main` to see the task definition, `dynroute up` to deploy your branch",
        config_path.display(),
        template_path.display()
    ));
    Ok(())
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn ask(ctx: &Context, args: &InitArgs, dir: &Path) -> anyhow::Result<Answers> {
    let ui = &ctx.ui;
    let cluster = match &ctx.global.cluster {
        Some(c) => c.clone(),
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

fn non_empty(s: &str, what: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Err(format!("expected {what}"))
    } else {
        Ok(())
    }
}

fn image_repo_ok(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/:".contains(c))
        && !s.ends_with(':');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not an image repository like `123456789012.dkr.ecr.us-east-1.amazonaws.com/api`"
        ))
    }
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

fn config_text(a: &Answers, region: Option<&str>, template: &Path) -> String {
    let region = region.map_or_else(
        || "# region: us-east-1            # default: the AWS config chain\n".to_owned(),
        |r| format!("region: {}\n", yaml_string(r)),
    );
    format!(
        r#"# dynroute configuration: see README.md "Configuration reference".
cluster: {cluster}
{region}baggage_key: dynamic_route      # requests carry `baggage: dynamic_route=VERSION`
main_version: main               # the version every request falls back to
protected: [main]                # never removed by down/prune without --force, never expire
ttl: 72h                         # other versions expire this long after their last `up`
domain: {domain}
traefik:
  rule_syntax: v3                # v2 for Traefik 2.x
  entrypoints: [web]
  priority: 1000
# ingress:                       # where Traefik is reachable, for `up --verify` and printed URLs
#   url: http://traefik.{domain}
launch_type: FARGATE
# network:                       # required for awsvpc tasks
#   subnets: [subnet-0abc]
#   security_groups: [sg-0abc]
#   assign_public_ip: false
services:
  {service}:
    template: {template}
    port: {port}
    # hosts: [{service}.{domain}]
    # health_check_path: /health
    desired_count: 1
    vars:
      image_repo: {image}
"#,
        cluster = yaml_string(&a.cluster),
        domain = a.domain,
        service = a.service,
        template = template.display(),
        port = a.port,
        image = yaml_string(&a.image),
    )
}

fn template_text(a: &Answers) -> String {
    format!(
        r#"# Task definition template for `{service}`, in the shape of
# `aws ecs register-task-definition --cli-input-json` (written as YAML).
# dynroute sets `family`, the Traefik labels, DYNROUTE_VERSION and its tags.
networkMode: awsvpc
requiresCompatibilities: [FARGATE]
cpu: "256"
memory: "512"
# executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
containerDefinitions:
  - name: {service}
    image: "{{{{ vars.image_repo }}}}:{{{{ image_tag }}}}"
    essential: true
    portMappings:
      - containerPort: {port}
        protocol: tcp
    environment:
      - name: GIT_SHA
        value: "{{{{ git.sha }}}}"
"#,
        service = a.service,
        port = a.port,
    )
}
