//! Which AWS actions each kind of dynroute user needs, from the calls the
//! commands make. Kept as data so a test can compare it with the calls the
//! local stack counts while the commands run.

use clap::ValueEnum;

/// Who the policy is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Audience {
    /// Engineers and CI jobs: `up`, `down`, `extend`, `run`, and everything `read` allows.
    Deploy,
    /// Read-only: `ls`, `status`, `diff`, `logs`, `header --format curl`.
    Read,
    /// The scheduled clean-up job: `prune` (and the `after_down` hooks it runs).
    Prune,
    /// Traefik's task role: what its ECS provider reads (Traefik's documented set).
    Traefik,
    /// The catalog's task role (`dynroute serve`): reads the inventory, nothing else.
    Catalog,
}

/// Listing and describing the project's services, tasks and task definitions.
const READ: &[&str] = &[
    "ecs:ListServices",
    "ecs:DescribeServices",
    "ecs:ListTasks",
    "ecs:DescribeTasks",
    "ecs:DescribeTaskDefinition",
    "ecs:ListTaskDefinitions",
];

/// Creating, updating, tagging and removing managed services and task definitions.
const WRITE: &[&str] = &[
    "ecs:RegisterTaskDefinition",
    "ecs:CreateService",
    "ecs:UpdateService",
    "ecs:TagResource",
    "ecs:UntagResource",
    "ecs:DeleteService",
    "ecs:DeregisterTaskDefinition",
    "ecs:RunTask",
    "ecs:StopTask",
    "iam:PassRole",
];

/// What `prune` calls: find expired versions, delete them; tag the revision
/// a removed service last ran when its `after_down` hooks cannot run here
/// (another project's, or no config) or failed, so they run later.
const PRUNE: &[&str] = &[
    "ecs:ListServices",
    "ecs:DescribeServices",
    "ecs:DeleteService",
    "ecs:ListTaskDefinitions",
    "ecs:DescribeTaskDefinition",
    "ecs:DeregisterTaskDefinition",
    "ecs:TagResource",
];

/// What `prune` adds when the project has `after_down` hooks: find the
/// revisions kept for them and run them (one-off tasks).
const PRUNE_HOOKS: &[&str] = &[
    "ecs:ListTaskDefinitionFamilies",
    "ecs:RunTask",
    "ecs:DescribeTasks",
    "ecs:StopTask",
    "iam:PassRole",
];

/// What Traefik's ECS provider calls: clusters, tasks, their definitions and,
/// for the EC2 launch type, container instances and EC2 instances.
const TRAEFIK: &[&str] = &[
    "ecs:ListClusters",
    "ecs:DescribeClusters",
    "ecs:ListTasks",
    "ecs:DescribeTasks",
    "ecs:DescribeContainerInstances",
    "ecs:DescribeTaskDefinition",
    "ec2:DescribeInstances",
];

/// What `serve` reads: the inventory (and the load balancer's name, when configured).
const CATALOG: &[&str] = &["ecs:ListServices", "ecs:DescribeServices"];

/// What the activity recorder needs besides the catalog's reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ActivityAccess {
    /// No `activity:`: nothing.
    #[default]
    None,
    /// `activity.metrics` lists the replicas: the tags only.
    Listed,
    /// `activity.traefik_service`: the tags, and Traefik's tasks and their addresses.
    TraefikTasks,
}

const LOAD_BALANCER: &str = "elasticloadbalancing:DescribeLoadBalancers";
const LOGS: &str = "logs:FilterLogEvents";

/// Every action `audience` needs; the load balancer lookup and log reads only
/// when the project configures them; for `prune`, running hooks (and reading
/// their logs) only when the project has `after_down` hooks; for the catalog,
/// the activity recorder's tag writes (and Traefik's tasks) only with `activity:`.
pub fn actions_for(
    audience: Audience,
    load_balancer: bool,
    logs: bool,
    after_down_hooks: bool,
    activity: ActivityAccess,
) -> Vec<&'static str> {
    let mut actions: Vec<&'static str> = match audience {
        Audience::Read => READ.to_vec(),
        Audience::Deploy => READ.iter().chain(WRITE).copied().collect(),
        Audience::Prune if after_down_hooks => PRUNE.iter().chain(PRUNE_HOOKS).copied().collect(),
        Audience::Prune => PRUNE.to_vec(),
        Audience::Traefik => return TRAEFIK.to_vec(),
        Audience::Catalog => {
            let mut actions = CATALOG.to_vec();
            if activity != ActivityAccess::None {
                actions.push("ecs:TagResource");
            }
            if activity == ActivityAccess::TraefikTasks {
                actions.extend(["ecs:ListTasks", "ecs:DescribeTasks"]);
            }
            actions
        }
    };
    if load_balancer && audience != Audience::Prune {
        actions.push(LOAD_BALANCER);
    }
    if logs && audience != Audience::Catalog && (audience != Audience::Prune || after_down_hooks) {
        actions.push(LOGS);
    }
    actions
}
