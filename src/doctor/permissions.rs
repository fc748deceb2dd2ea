//! The questions `doctor` asks IAM's policy simulator: one per action and
//! resource of the project's `iam-policy --for deploy` document, with a
//! concrete resource ARN in place of each wildcard (a probe version's service
//! and task definition) and the context values its conditions test (the
//! `dynroute:managed` tag on the request or the resource, the cluster, the
//! service a role is passed to), so the answer is the one a real `up` meets.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Finding, failed, ok, skipped};
use crate::aws::{Aws, Question, Simulation, iam};
use crate::config::{Ingress, Project};

/// The version whose resources the questions name.
pub const PROBE_VERSION: &str = "doctor-probe";

/// A wildcard resource of the policy as a resource a real call names.
fn concrete(resource: &str) -> String {
    resource
        .replace("--*:*", &format!("--{PROBE_VERSION}:1"))
        .replace("--*", &format!("--{PROBE_VERSION}"))
        .replace("/*", "/0123456789abcdef0123456789abcdef")
}

/// The context a statement's conditions test, as the caller's request would
/// carry it.
fn context(condition: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for operator in ["StringEquals", "ArnEquals", "StringLike", "ArnLike"] {
        if let Some(map) = condition.get(operator).and_then(Value::as_object) {
            for (key, value) in map {
                if let Some(v) = value.as_str() {
                    out.insert(key.clone(), v.to_owned());
                }
            }
        }
    }
    out
}

/// One question per action and resource of `policy`'s statements.
pub fn questions(policy: &Value) -> Vec<Question> {
    let mut out: Vec<Question> = Vec::new();
    for statement in policy["Statement"].as_array().into_iter().flatten() {
        let actions: Vec<&str> = statement["Action"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let resources: Vec<String> = match &statement["Resource"] {
            Value::String(r) => vec![concrete(r)],
            Value::Array(rs) => rs.iter().filter_map(Value::as_str).map(concrete).collect(),
            _ => Vec::new(),
        };
        let context = context(&statement["Condition"]);
        for action in &actions {
            for resource in &resources {
                let question = Question {
                    action: (*action).to_owned(),
                    resource: resource.clone(),
                    context: context.clone(),
                };
                if !out.contains(&question) {
                    out.push(question);
                }
            }
        }
    }
    out
}

/// `iam.deploy`: IAM's simulator asked every question for the caller.
pub(super) async fn deploy_check(
    project: &Project,
    aws: Option<&Aws>,
    identity: Option<&crate::aws::Identity>,
    roles: &[String],
) -> Finding {
    let (Some(aws), Some(identity)) = (aws, identity) else {
        return skipped("iam.deploy", "no AWS access");
    };
    let inputs = iam::PolicyInputs {
        cluster: iam::cluster_name(&project.cluster).to_owned(),
        region: aws.region().to_owned(),
        account: identity.account.clone(),
        services: project.services.keys().map(|s| s.to_string()).collect(),
        roles: roles.to_vec(),
        log_groups: Vec::new(),
        load_balancer: matches!(project.ingress, Some(Ingress::LoadBalancer(_))),
        after_down_hooks: false,
        activity: Default::default(),
    };
    let questions = questions(&iam::policy(&inputs, iam::Audience::Deploy));
    let principal = crate::aws::principal_arn(&identity.arn);
    match aws.simulate(&principal, &questions).await {
        Ok(Simulation::NotAllowed(why)) => {
            skipped("iam.deploy", format!("not allowed to simulate ({why})"))
        }
        Ok(Simulation::Answered(answers)) => {
            let mut denied: Vec<String> = Vec::new();
            for (action, resource, allowed) in &answers {
                let n = answers
                    .iter()
                    .filter(|(a, _, ok)| a == action && !ok)
                    .count();
                if !allowed && !denied.iter().any(|d| d.starts_with(&format!("{action} "))) {
                    denied.push(match n {
                        1 => format!("{action} (on {resource})"),
                        _ => format!("{action} (on {n} resources, e.g. {resource})"),
                    });
                }
            }
            match denied.is_empty() {
                true => ok(
                    "iam.deploy",
                    format!(
                        "{principal} may do every action of `iam-policy --for deploy` ({} questions)",
                        answers.len()
                    ),
                ),
                false => failed(
                    "iam.deploy",
                    format!("{principal} may not: {}", denied.join(", ")),
                    "attach `dynroute iam-policy --for deploy` (IAM chapter) to this principal",
                ),
            }
        }
        Err(e) => failed(
            "iam.deploy",
            crate::error::chain_text(&e),
            "allow iam:SimulatePrincipalPolicy on yourself, or run `dynroute iam-policy --for deploy` and compare by hand",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::iam::{Audience, PolicyInputs, policy};

    #[test]
    fn each_action_is_asked_on_a_real_resource_with_the_context_its_condition_tests() {
        let inputs = PolicyInputs {
            cluster: "dev".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
            services: vec!["api".into()],
            roles: vec!["arn:aws:iam::123456789012:role/dynroute/api".into()],
            log_groups: vec![],
            load_balancer: false,
            after_down_hooks: false,
            activity: Default::default(),
        };
        let qs = questions(&policy(&inputs, Audience::Deploy));
        let find = |action: &str| {
            qs.iter()
                .find(|q| q.action == action)
                .unwrap_or_else(|| panic!("no question for {action}: {qs:?}"))
        };
        let create = find("ecs:CreateService");
        assert_eq!(
            create.resource,
            "arn:aws:ecs:us-east-1:123456789012:service/dev/api--doctor-probe"
        );
        assert_eq!(create.context["aws:RequestTag/dynroute:managed"], "true");
        let update = find("ecs:UpdateService");
        assert_eq!(update.context["aws:ResourceTag/dynroute:managed"], "true");
        let pass = find("iam:PassRole");
        assert_eq!(pass.resource, "arn:aws:iam::123456789012:role/dynroute/api");
        assert_eq!(
            pass.context["iam:PassedToService"],
            "ecs-tasks.amazonaws.com"
        );
        let list = find("ecs:ListServices");
        assert_eq!(list.resource, "*");
        assert_eq!(
            list.context["ecs:cluster"],
            "arn:aws:ecs:us-east-1:123456789012:cluster/dev"
        );
        assert!(qs.iter().any(|q| q.action == "ecs:RegisterTaskDefinition"
            && q.resource
                == "arn:aws:ecs:us-east-1:123456789012:task-definition/api--doctor-probe:1"));
        assert!(
            !qs.iter()
                .any(|q| q.resource.contains('*') && q.resource != "*")
        );
    }
}
