//! Versions as `ls` shows them: managed services grouped by version.
//!
//! [`versions`] is pure; [`list`] is the one listing every command uses (`ls`,
//! `prune`, the `down` picker): ceil(N/100) ListServices + ceil(N/10)
//! DescribeServices calls for N services, nothing else.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::scope::Scope;
use crate::config::Project;
use crate::ecs::{Ecs, RolloutState, ServiceState, ServiceStatus, short_arn};
use crate::naming::tags::{self, Expiry};
use crate::naming::{ServiceName, Version};

/// Where one service of a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ServicePhase {
    Running,
    Deploying,
    Failed,
    /// The circuit breaker made an older task definition primary again.
    #[serde(rename = "rolled back")]
    RolledBack,
    Draining,
    /// A URL baseline: dynroute routes to it and cannot see its state.
    External,
}

/// How the main of a service runs when it is a baseline (`baseline:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineKind {
    EcsService,
    Url,
}

/// Where a version stands, from its services; serialised as its text
/// (`2/2 running`, `deploying`, `failed`, `draining`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionStatus {
    Running { running: i32, desired: i32 },
    Deploying,
    Failed,
    Draining,
}

impl std::fmt::Display for VersionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VersionStatus::Running { running, desired } => write!(f, "{running}/{desired} running"),
            VersionStatus::Deploying => f.write_str("deploying"),
            VersionStatus::Failed => f.write_str("failed"),
            VersionStatus::Draining => f.write_str("draining"),
        }
    }
}

impl Serialize for VersionStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One service of a version.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceView {
    pub service: ServiceName,
    /// The `dynroute:project` tag (none: deployed before projects existed).
    pub project: Option<String>,
    pub ecs_service: String,
    pub status: ServicePhase,
    pub running: i32,
    pub desired: i32,
    pub rollout_state: Option<RolloutState>,
    pub task_definition: String,
    /// Set when this is main's baseline: run by the team's own tooling, read-only.
    pub baseline: Option<BaselineKind>,
    /// Each hook's last run for this service (`dynroute:hook:*` tags).
    pub hooks: Vec<super::hooks::HookRecord>,
    /// When Traefik last counted a request for it (`dynroute:last-request`,
    /// written by the activity recorder).
    #[serde(serialize_with = "tags::serialize_time")]
    pub last_request: Option<Timestamp>,
}

/// One version with all its services.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub version: Version,
    pub status: VersionStatus,
    pub owner: Option<String>,
    #[serde(serialize_with = "tags::serialize_time")]
    pub created_at: Option<Timestamp>,
    #[serde(serialize_with = "tags::serialize_time")]
    pub updated_at: Option<Timestamp>,
    /// RFC 3339 or `never`.
    pub expires_at: Option<String>,
    pub expired: bool,
    pub protected: bool,
    pub image_tag: Option<String>,
    /// The projects whose services make up this version (a version may span projects).
    pub projects: Vec<String>,
    /// The pull / merge request CI deployed it for (`dynroute:pr`).
    pub pr: Option<u64>,
    /// The repository CI deployed it from (`dynroute:repo`, e.g. `acme/shop`).
    pub repo: Option<String>,
    /// The latest request to any of its services (the activity recorder's).
    #[serde(serialize_with = "tags::serialize_time")]
    pub last_request: Option<Timestamp>,
    pub services: Vec<ServiceView>,
    #[serde(skip)]
    pub states: Vec<ServiceState>,
}

fn service_status(s: &ServiceState) -> ServicePhase {
    if s.status == ServiceStatus::Draining {
        return ServicePhase::Draining;
    }
    // The circuit breaker made an older task definition primary again.
    let deployed = s.tag(tags::TASK_DEFINITION);
    if deployed.is_some_and(|td| s.primary().is_some_and(|p| p.task_definition != td)) {
        return ServicePhase::RolledBack;
    }
    match s.primary().and_then(|d| d.rollout_state) {
        Some(RolloutState::Failed) => ServicePhase::Failed,
        _ if s.deployments.len() > 1 || s.running != s.desired => ServicePhase::Deploying,
        Some(RolloutState::InProgress) => ServicePhase::Deploying,
        _ => ServicePhase::Running,
    }
}

/// One service of a version as ECS reports it.
fn service_view(service: ServiceName, s: &ServiceState) -> ServiceView {
    ServiceView {
        service,
        project: s.tag(tags::PROJECT).map(str::to_owned),
        ecs_service: s.name.clone(),
        status: service_status(s),
        running: s.running,
        desired: s.desired,
        rollout_state: s.primary().and_then(|d| d.rollout_state),
        task_definition: short_arn(&s.task_definition).to_owned(),
        baseline: None,
        hooks: super::hooks::records(&s.tags),
        last_request: s.last_request(),
    }
}

/// A version's status from its services' phases (a URL baseline's counts
/// nothing: dynroute cannot see it).
fn status_of(phases: &[ServicePhase], running: i32, desired: i32) -> VersionStatus {
    let seen: Vec<ServicePhase> = (phases.iter().copied())
        .filter(|p| *p != ServicePhase::External)
        .collect();
    if seen
        .iter()
        .any(|p| matches!(p, ServicePhase::Failed | ServicePhase::RolledBack))
    {
        VersionStatus::Failed
    } else if seen.contains(&ServicePhase::Deploying) {
        VersionStatus::Deploying
    } else if !seen.is_empty() && seen.iter().all(|p| *p == ServicePhase::Draining) {
        VersionStatus::Draining
    } else {
        VersionStatus::Running { running, desired }
    }
}

/// Adds main's baselines to `views`: an ECS baseline as `all` (every service of
/// the cluster) reports it, a URL baseline as `external`. Main is created when
/// dynroute manages none of its services.
pub fn with_baselines(
    mut views: Vec<VersionView>,
    project: &Project,
    all: &[ServiceState],
) -> Vec<VersionView> {
    let mut added = Vec::new();
    for settings in project.services.values() {
        let view = match &settings.baseline {
            None => continue,
            Some(crate::config::Baseline::EcsService(name)) => {
                let Some(s) = all.iter().find(|s| &s.name == name && s.is_live()) else {
                    continue;
                };
                ServiceView {
                    project: None,
                    baseline: Some(BaselineKind::EcsService),
                    ..service_view(settings.name.clone(), s)
                }
            }
            Some(crate::config::Baseline::Url(url)) => ServiceView {
                service: settings.name.clone(),
                project: None,
                ecs_service: url.clone(),
                status: ServicePhase::External,
                running: 0,
                desired: 0,
                rollout_state: None,
                task_definition: String::new(),
                baseline: Some(BaselineKind::Url),
                hooks: Vec::new(),
                last_request: None,
            },
        };
        added.push(view);
    }
    if added.is_empty() {
        return views;
    }
    let main = &project.main_version;
    let index = match views.iter().position(|v| &v.version == main) {
        Some(i) => i,
        None => {
            views.insert(
                0,
                VersionView {
                    version: main.clone(),
                    status: VersionStatus::Running {
                        running: 0,
                        desired: 0,
                    },
                    owner: None,
                    created_at: None,
                    updated_at: None,
                    expires_at: Some("never".into()),
                    expired: false,
                    protected: true,
                    last_request: None,
                    image_tag: None,
                    projects: Vec::new(),
                    pr: None,
                    repo: None,
                    services: Vec::new(),
                    states: Vec::new(),
                },
            );
            0
        }
    };
    let view = &mut views[index];
    // The baseline is main; a managed namesake would be the error `up` reports.
    view.services
        .retain(|s| !added.iter().any(|b| b.service == s.service));
    view.services.extend(added);
    view.services.sort_by(|a, b| a.service.cmp(&b.service));
    let phases: Vec<ServicePhase> = view.services.iter().map(|s| s.status).collect();
    view.status = status_of(
        &phases,
        view.services.iter().map(|s| s.running).sum(),
        view.services.iter().map(|s| s.desired).sum(),
    );
    views
}

/// Groups the managed, live services into versions: main first, then by name.
pub fn versions(
    states: Vec<ServiceState>,
    main: &Version,
    is_protected: impl Fn(&Version) -> bool,
    now: Timestamp,
) -> Vec<VersionView> {
    let mut groups: BTreeMap<Version, Vec<ServiceState>> = BTreeMap::new();
    for state in states {
        if !state.is_managed() || !state.is_present() {
            continue;
        }
        if let Some((_, version)) = state.identity() {
            groups.entry(version).or_default().push(state);
        }
    }
    let mut views: Vec<VersionView> = groups
        .into_iter()
        .map(|(version, mut states)| {
            states.sort_by(|a, b| a.name.cmp(&b.name));
            let newest = states
                .iter()
                .max_by_key(|s| s.tag(tags::UPDATED_AT).unwrap_or_default().to_owned())
                .expect("a group has services");
            let expires = newest.tag(tags::EXPIRES_AT).and_then(Expiry::parse);
            let protected = is_protected(&version);
            let phases: Vec<ServicePhase> = states.iter().map(service_status).collect();
            let status = status_of(
                &phases,
                states.iter().map(|s| s.running).sum(),
                states.iter().map(|s| s.desired).sum(),
            );
            VersionView {
                status,
                owner: newest.tag(tags::OWNER).map(str::to_owned),
                created_at: states
                    .iter()
                    .filter_map(|s| s.tag(tags::CREATED_AT)?.parse().ok())
                    .min(),
                updated_at: newest.tag(tags::UPDATED_AT).and_then(|t| t.parse().ok()),
                expires_at: expires.map(|e| e.tag()),
                expired: !protected && expires.is_some_and(|e| e.is_expired(now)),
                protected,
                image_tag: newest.tag(tags::IMAGE_TAG).map(str::to_owned),
                projects: states
                    .iter()
                    .filter_map(|s| s.tag(tags::PROJECT).map(str::to_owned))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                pr: newest.tag(tags::PR).and_then(|p| p.parse().ok()),
                repo: newest.tag(tags::REPO).map(str::to_owned),
                last_request: states.iter().filter_map(ServiceState::last_request).max(),
                services: states
                    .iter()
                    .map(|s| service_view(s.identity().expect("grouped by its identity").0, s))
                    .collect(),
                states,
                version,
            }
        })
        .collect();
    views.sort_by_key(|v| (&v.version != main, v.version.clone()));
    views
}

/// Every managed version of the cluster in `scope`, grouped and judged for `project`.
pub async fn list(
    ecs: &dyn Ecs,
    project: &Project,
    scope: &Scope,
    now: Timestamp,
) -> anyhow::Result<Vec<VersionView>> {
    let all = ecs.all_services().await?;
    let states: Vec<ServiceState> = all.iter().filter(|s| scope.includes(s)).cloned().collect();
    let views = versions(
        states,
        &project.main_version,
        |v| project.is_protected(v),
        now,
    );
    Ok(with_baselines(views, project, &all))
}

/// Every managed version of the cluster, for a clean-up run without a project
/// (`prune --all-projects` in the platform kit's scheduled task): with no
/// config, a version is protected by its tags alone (protected versions are
/// deployed with `expires-at: never`).
pub async fn list_cluster(ecs: &dyn Ecs, now: Timestamp) -> anyhow::Result<Vec<VersionView>> {
    let all = ecs.all_services().await?;
    let main: Version = "main".parse().expect("a valid version name");
    Ok(versions(all, &main, |_| false, now))
}

/// The one test fixture of a listed version: `api--{version}` of project `shop`,
/// 1/1 running, owned by alice; tests change the fields they are about.
#[cfg(test)]
impl VersionView {
    pub fn fixture(version: &str, protected: bool) -> VersionView {
        VersionView {
            version: version.into(),
            status: VersionStatus::Running {
                running: 1,
                desired: 1,
            },
            owner: Some("alice".into()),
            created_at: None,
            updated_at: None,
            expires_at: Some(
                if protected {
                    "never"
                } else {
                    "2026-12-04T10:00:00Z"
                }
                .into(),
            ),
            expired: false,
            protected,
            image_tag: None,
            projects: vec!["shop".into()],
            pr: None,
            repo: None,
            last_request: None,
            services: vec![ServiceView {
                service: "api".into(),
                project: Some("shop".into()),
                ecs_service: format!("api--{version}"),
                status: ServicePhase::Running,
                running: 1,
                desired: 1,
                rollout_state: None,
                task_definition: format!("api--{version}:1"),
                baseline: None,
                hooks: Vec::new(),
                last_request: None,
            }],
            states: Vec::new(),
        }
    }
}

impl ServiceView {
    /// The service as `ls` names it: `api`, or `api (baseline)` for main's baseline.
    pub fn label(&self) -> String {
        match self.baseline {
            Some(_) => format!("{} (baseline)", self.service),
            None => self.service.to_string(),
        }
    }
}

impl VersionView {
    /// The ECS services of this version that are live (not draining).
    pub fn live_services(&self) -> Vec<String> {
        self.states
            .iter()
            .filter(|s| s.is_live())
            .map(|s| s.name.clone())
            .collect()
    }

    /// Every ECS service of this version, live or draining.
    pub fn ecs_services(&self) -> Vec<String> {
        self.states.iter().map(|s| s.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::{Deployment, DeploymentStatus};

    fn svc(name: &str, version: &str, managed: bool, expires: &str, running: i32) -> ServiceState {
        let (service, _) = name.split_once("--").unwrap();
        let mut tags = BTreeMap::new();
        if managed {
            for (k, v) in [
                (tags::MANAGED, "true"),
                (tags::SERVICE, service),
                (tags::VERSION, version),
                (tags::OWNER, "alice"),
                (tags::CREATED_AT, "2026-11-20T00:00:00Z"),
                (tags::UPDATED_AT, "2026-11-21T00:00:00Z"),
                (tags::EXPIRES_AT, expires),
                (tags::IMAGE_TAG, "abc"),
            ] {
                tags.insert(k.to_owned(), v.to_owned());
            }
        }
        ServiceState {
            running,
            task_definition: format!("arn:task-definition/{name}:1"),
            deployments: vec![Deployment {
                id: "d".into(),
                status: DeploymentStatus::Primary,
                task_definition: String::new(),
                desired: 1,
                running,
                pending: 0,
                failed: 0,
                rollout_state: Some(if running == 1 {
                    RolloutState::Completed
                } else {
                    RolloutState::InProgress
                }),
                rollout_reason: None,
            }],
            tags,
            ..ServiceState::fixture(name)
        }
    }

    #[test]
    fn groups_managed_services_by_version_with_main_first() {
        let now: Timestamp = "2026-11-22T00:00:00Z".parse().unwrap();
        let main: Version = "main".parse().unwrap();
        let views = versions(
            vec![
                svc(
                    "web--feature-1",
                    "feature-1",
                    true,
                    "2026-11-21T12:00:00Z",
                    0,
                ),
                svc(
                    "api--feature-1",
                    "feature-1",
                    true,
                    "2026-11-21T12:00:00Z",
                    1,
                ),
                svc("api--main", "main", true, "never", 1),
                svc("api--zeta", "zeta", true, "2026-11-25T00:00:00Z", 1),
                svc("legacy--thing", "thing", false, "", 1),
            ],
            &main,
            |v| v.as_str() == "main",
            now,
        );
        let names: Vec<&str> = views.iter().map(|v| v.version.as_str()).collect();
        assert_eq!(names, ["main", "feature-1", "zeta"]);
        assert_eq!(views[0].status.to_string(), "1/1 running");
        assert!(views[0].protected && !views[0].expired);
        assert_eq!(views[1].status, VersionStatus::Deploying);
        assert!(views[1].expired);
        assert_eq!(views[1].services.len(), 2);
        assert_eq!(views[1].services[0].service, "api");
        assert!(!views[2].expired);
        assert_eq!(views[2].image_tag.as_deref(), Some("abc"));
    }
}
