//! What `init` writes: the text of a first `dynroute.yaml` and template from
//! validated answers (pure; `commands::init` asks and writes the files).

use std::path::Path;

use crate::naming::ServiceName;
use crate::routing::Hostname;

/// What `init` asked for (or took from flags), validated.
pub struct Answers {
    pub cluster: String,
    pub domain: Hostname,
    pub service: ServiceName,
    pub port: u16,
    pub image: String,
}

/// `Err` with what was expected when `s` is blank.
pub fn non_empty(s: &str, what: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Err(format!("expected {what}"))
    } else {
        Ok(())
    }
}

/// `Err` unless `s` looks like an image repository without a tag.
pub fn image_repo_ok(s: &str) -> Result<(), String> {
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

/// A YAML scalar that holds `s` exactly, whatever it contains.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

/// The `dynroute.yaml` for these answers (`template` relative to it).
pub fn config_text(a: &Answers, region: Option<&str>, template: &Path) -> String {
    let region = region.map_or_else(
        || "# region: us-east-1            # default: the AWS config chain\n".to_owned(),
        |r| format!("region: {}\n", yaml_string(r)),
    );
    format!(
        r#"# dynroute configuration: see the guide's "Configuration reference" (docs/configuration.md).
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

/// The first task definition template for these answers.
pub fn template_text(a: &Answers) -> String {
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
