//! A least-privilege IAM policy for one project, per kind of user.
//!
//! "dynroute only touches what it manages" is a promise of the client; this
//! policy makes the account enforce it: writes are allowed only on resources
//! that carry (or are created with) `dynroute:managed=true`, and every resource
//! is scoped to the project's cluster and task definition families. The policy
//! is plain data built from [`PolicyInputs`]; gathering those inputs (rendering
//! the templates) is the command's job.

mod actions;
mod gather;

use serde_json::{Value, json};

/// A second version the policy's inputs are rendered with, besides main: a
/// value that differs between the two depends on the release.
pub fn probe_version() -> crate::naming::Version {
    "iam-policy-probe".parse().expect("a valid version name")
}

pub use actions::{ActivityAccess, Audience, actions_for};
pub use gather::{Malformed, Rendered, gather};

/// The service that may receive the roles the templates name.
const ECS_TASKS: &str = "ecs-tasks.amazonaws.com";

/// What the policy is built from, already resolved from the project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyInputs {
    /// The cluster name (an ARN is reduced to its name).
    pub cluster: String,
    /// The region, or `*` when the project does not name one.
    pub region: String,
    /// The account id, or `*`.
    pub account: String,
    /// The project's service names: families and ECS services are `{service}--{version}`.
    pub services: Vec<String>,
    /// Task and execution role ARNs the templates name (resolved).
    pub roles: Vec<String>,
    /// CloudWatch Logs groups the templates' `awslogs` configurations name, with
    /// their region (`awslogs-region`, else the project's).
    pub log_groups: Vec<(String, String)>,
    /// Whether `ingress.load_balancer` is configured (its DNS name is looked up).
    pub load_balancer: bool,
    /// Whether the project has `after_down` hooks (`prune` runs them).
    pub after_down_hooks: bool,
    /// What the activity recorder (`serve`, `activity record`) needs (`activity:`).
    pub activity: ActivityAccess,
}

/// A value the policy could not name because the template computes it per
/// release (for instance a role ARN built from `{{ vars.x }}` or `{{ version }}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub service: String,
    pub field: String,
    pub value: String,
}

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "service `{}`: {} is templated ({}); add it to the policy by hand",
            self.service, self.field, self.value
        )
    }
}

/// The cluster name of a cluster name or ARN.
pub fn cluster_name(cluster: &str) -> &str {
    cluster.rsplit_once(":cluster/").map_or(cluster, |(_, n)| n)
}

impl PolicyInputs {
    fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:aws:{service}:{}:{}:{resource}",
            self.region, self.account
        )
    }

    fn ecs_services(&self) -> Vec<String> {
        self.services
            .iter()
            .map(|s| self.arn("ecs", &format!("service/{}/{s}--*", self.cluster)))
            .collect()
    }

    fn task_definitions(&self) -> Vec<String> {
        self.services
            .iter()
            .map(|s| self.arn("ecs", &format!("task-definition/{s}--*:*")))
            .collect()
    }
}

fn statement(sid: &str, actions: &[&str], resources: Vec<String>) -> Value {
    let resource = match resources.as_slice() {
        [one] => json!(one),
        _ => json!(resources),
    };
    json!({"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource})
}

fn with_condition(mut statement: Value, condition: Value) -> Value {
    statement["Condition"] = condition;
    statement
}

fn managed(key: &str) -> Value {
    json!({"StringEquals": {format!("aws:{key}/{}", crate::naming::tags::MANAGED): "true"}})
}

/// IAM's path characters: a path starts and ends with `/`.
fn is_role_path(path: &str) -> bool {
    path.len() <= 512
        && path.starts_with('/')
        && path.ends_with('/')
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-/".contains(&b))
}

/// The inputs of a policy for every project on `cluster` (`--cluster-wide`):
/// any `{service}--{version}` family, the task roles under `role_path` (a
/// platform convention, e.g. `/dynroute/`) and the log groups under
/// `log_group_prefix`. Errors name the value and what to write instead.
pub fn cluster_wide_inputs(
    cluster: &str,
    region: &str,
    account: &str,
    role_path: &str,
    log_group_prefix: &str,
) -> Result<PolicyInputs, String> {
    if !is_role_path(role_path) {
        return Err(format!(
            "--role-path {}: an IAM path such as /dynroute/ (starts and ends with `/`; letters, digits and + = , . @ _ -)",
            crate::error::quoted(role_path)
        ));
    }
    if !gather::is_log_group(log_group_prefix) {
        return Err(format!(
            "--log-group-prefix {}: the start of a log group name such as /ecs/ (letters, digits and . _ - / #)",
            crate::error::quoted(log_group_prefix)
        ));
    }
    Ok(PolicyInputs {
        cluster: cluster_name(cluster).to_owned(),
        region: region.to_owned(),
        account: account.to_owned(),
        services: vec!["*".to_owned()],
        roles: vec![format!("arn:aws:iam::{account}:role{role_path}*")],
        log_groups: vec![(format!("{log_group_prefix}*"), region.to_owned())],
        load_balancer: true,
        // A cluster-wide `prune` has no project's hooks: it keeps the
        // revisions they need (TagResource) for each project's own `prune`.
        after_down_hooks: false,
        // Any project's recorder: the activity tags and Traefik's tasks.
        activity: ActivityAccess::TraefikTasks,
    })
}

/// Traefik's task role: its ECS provider reads the cluster's tasks and their
/// definitions; nothing else, and nothing it could change.
fn traefik_policy(inputs: &PolicyInputs) -> Value {
    let cluster = inputs.arn("ecs", &format!("cluster/{}", inputs.cluster));
    let statements = vec![
        // ListClusters takes no resource; DescribeClusters is scoped to the cluster.
        statement("ListClusters", &["ecs:ListClusters"], vec!["*".into()]),
        statement(
            "DescribeTheCluster",
            &["ecs:DescribeClusters"],
            vec![cluster.clone()],
        ),
        // ListTasks names container instances in IAM; the condition keeps it
        // to the cluster whatever the launch type.
        with_condition(
            statement(
                "ListTasksOfCluster",
                &["ecs:ListTasks"],
                vec![inputs.arn("ecs", &format!("container-instance/{}/*", inputs.cluster))],
            ),
            json!({"ArnEquals": {"ecs:cluster": cluster}}),
        ),
        statement(
            "ReadTasksOfCluster",
            &["ecs:DescribeTasks"],
            vec![inputs.arn("ecs", &format!("task/{}/*", inputs.cluster))],
        ),
        statement(
            "ReadContainerInstancesOfCluster",
            &["ecs:DescribeContainerInstances"],
            vec![inputs.arn("ecs", &format!("container-instance/{}/*", inputs.cluster))],
        ),
        // These take no resource ARN in IAM.
        statement(
            "ReadTaskDefinitionsAndInstances",
            &["ecs:DescribeTaskDefinition", "ec2:DescribeInstances"],
            vec!["*".into()],
        ),
    ];
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The policy document for `audience`.
pub fn policy(inputs: &PolicyInputs, audience: Audience) -> Value {
    if audience == Audience::Traefik {
        return traefik_policy(inputs);
    }
    let wanted = actions_for(
        audience,
        inputs.load_balancer,
        !inputs.log_groups.is_empty(),
        inputs.after_down_hooks,
        inputs.activity,
    );
    let has = |action: &str| wanted.contains(&action);
    let pick = |list: &[&'static str]| -> Vec<&'static str> {
        list.iter().copied().filter(|a| has(a)).collect()
    };
    let mut statements = Vec::new();
    let mut push = |sid: &str, actions: Vec<&str>, resources: Vec<String>, cond: Option<Value>| {
        if actions.is_empty() || resources.is_empty() {
            return;
        }
        let s = statement(sid, &actions, resources);
        statements.push(match cond {
            Some(c) => with_condition(s, c),
            None => s,
        });
    };
    let both = || {
        let mut r = inputs.ecs_services();
        r.extend(inputs.task_definitions());
        r
    };

    push(
        "CreateManagedOnly",
        // Tagging while creating; `prune` only tags what is managed already.
        pick(&[
            "ecs:CreateService",
            "ecs:RegisterTaskDefinition",
            "ecs:TagResource",
        ])
        .into_iter()
        .filter(|_| has("ecs:CreateService") || has("ecs:RegisterTaskDefinition"))
        .collect(),
        both(),
        Some(managed("RequestTag")),
    );
    // The catalog's one write: the activity recorder's own tags, on the
    // project's managed services only.
    let recorder = audience == Audience::Catalog;
    push(
        "ChangeManagedOnly",
        pick(&[
            "ecs:UpdateService",
            "ecs:DeleteService",
            "ecs:TagResource",
            "ecs:UntagResource",
        ])
        .into_iter()
        .filter(|_| !recorder)
        .collect(),
        both(),
        Some(managed("ResourceTag")),
    );
    push(
        "RecordActivityOnManagedServices",
        pick(&["ecs:TagResource"])
            .into_iter()
            .filter(|_| recorder)
            .collect(),
        inputs.ecs_services(),
        Some(json!({
            "StringEquals": {format!("aws:ResourceTag/{}", crate::naming::tags::MANAGED): "true"},
            "ForAllValues:StringEquals": {"aws:TagKeys": [
                crate::naming::tags::LAST_REQUEST,
                crate::naming::tags::REQUESTS,
                crate::naming::tags::ACTIVITY,
            ]},
        })),
    );
    // `run`: one-off tasks of the project's task definitions on this cluster,
    // tagged as managed when started (TagResource on the task), stopped only
    // when they carry the tag.
    push(
        "RunManagedTasks",
        pick(&["ecs:RunTask"]),
        inputs.task_definitions(),
        Some(
            json!({"ArnEquals": {"ecs:cluster": inputs.arn("ecs", &format!("cluster/{}", inputs.cluster))}}),
        ),
    );
    push(
        "TagStartedTasks",
        pick(&["ecs:TagResource"])
            .into_iter()
            .filter(|_| has("ecs:RunTask"))
            .collect(),
        vec![inputs.arn("ecs", &format!("task/{}/*", inputs.cluster))],
        Some(managed("RequestTag")),
    );
    push(
        "StopManagedTasks",
        pick(&["ecs:StopTask"]),
        vec![inputs.arn("ecs", &format!("task/{}/*", inputs.cluster))],
        Some(managed("ResourceTag")),
    );
    // DeregisterTaskDefinition takes no resource ARN in IAM; the tag still scopes it.
    push(
        "DeregisterManagedOnly",
        pick(&["ecs:DeregisterTaskDefinition"]),
        vec!["*".into()],
        Some(managed("ResourceTag")),
    );
    push(
        "ReadServices",
        pick(&["ecs:DescribeServices"]),
        inputs.ecs_services(),
        None,
    );
    push(
        "ReadTasks",
        pick(&["ecs:DescribeTasks"]),
        vec![inputs.arn("ecs", &format!("task/{}/*", inputs.cluster))],
        None,
    );
    push(
        "ListTasksOfCluster",
        pick(&["ecs:ListTasks"]),
        vec![inputs.arn("ecs", &format!("container-instance/{}/*", inputs.cluster))],
        None,
    );
    push(
        "ListServicesOfCluster",
        pick(&["ecs:ListServices"]),
        vec!["*".into()],
        Some(
            json!({"ArnEquals": {"ecs:cluster": inputs.arn("ecs", &format!("cluster/{}", inputs.cluster))}}),
        ),
    );
    // These take no resource ARN in IAM.
    push(
        "ReadTaskDefinitions",
        pick(&[
            "ecs:DescribeTaskDefinition",
            "ecs:ListTaskDefinitions",
            "ecs:ListTaskDefinitionFamilies",
        ]),
        vec!["*".into()],
        None,
    );
    push(
        "PassTaskRoles",
        pick(&["iam:PassRole"]),
        inputs.roles.clone(),
        Some(json!({"StringEquals": {"iam:PassedToService": ECS_TASKS}})),
    );
    push(
        "ResolveIngressLoadBalancer",
        pick(&["elasticloadbalancing:DescribeLoadBalancers"]),
        vec!["*".into()],
        None,
    );
    let log_groups: Vec<String> = inputs
        .log_groups
        .iter()
        .map(|(group, region)| {
            format!("arn:aws:logs:{region}:{}:log-group:{group}", inputs.account)
        })
        .collect();
    push(
        "ReadContainerLogs",
        pick(&["logs:FilterLogEvents"]),
        log_groups,
        None,
    );
    json!({"Version": "2012-10-17", "Statement": statements})
}

#[cfg(test)]
mod tests;
