//! The `main` a team already runs (`baseline:` of a service): found and checked
//! before `up` and `check` write or prove anything, read by `ls`, `status` and
//! `diff`, and never written to — no call dynroute makes names it except
//! DescribeServices and DescribeTaskDefinition.

use crate::config::{Baseline, Project, ServiceSettings};
use crate::ecs::{Ecs, ServiceState};
use crate::error::{ExitKind, UserError};
use crate::naming::{ServiceName, resource_name};

/// Where `version` of `service` runs: its ECS service, the baseline's for main
/// (`Err(url)` for a URL baseline, which no ECS service runs).
pub fn running_as(
    project: &Project,
    service: &ServiceSettings,
    version: &crate::naming::Version,
) -> Result<String, String> {
    match (&service.baseline, *version == project.main_version) {
        (Some(Baseline::EcsService(name)), true) => Ok(name.clone()),
        (Some(Baseline::Url(url)), true) => Err(url.clone()),
        _ => Ok(resource_name(&service.name, version)),
    }
}

/// A service whose main is a baseline ECS service, and what ECS says of it.
#[derive(Debug, Clone)]
pub struct EcsBaseline {
    pub service: ServiceName,
    /// The baseline's ECS service name (any name, any deployer).
    pub ecs_service: String,
    pub state: ServiceState,
}

/// The ECS baselines of `services`, read in one DescribeServices per ten names.
/// A baseline that does not exist (or is being deleted) is an error that names
/// the key to fix, and so is a main that dynroute also manages as
/// `{service}--{main}` (two definitions of main's routers).
pub async fn check(
    ecs: &dyn Ecs,
    project: &Project,
    services: &[&ServiceSettings],
) -> anyhow::Result<Vec<EcsBaseline>> {
    let wanted: Vec<(&ServiceSettings, &str)> = services
        .iter()
        .filter_map(|s| match &s.baseline {
            Some(Baseline::EcsService(name)) => Some((*s, name.as_str())),
            _ => None,
        })
        .collect();
    let managed_mains: Vec<String> = services
        .iter()
        .filter(|s| s.baseline.is_some())
        .map(|s| resource_name(&s.name, &project.main_version))
        .collect();
    if wanted.is_empty() && managed_mains.is_empty() {
        return Ok(Vec::new());
    }
    let mut names: Vec<String> = wanted.iter().map(|(_, n)| (*n).to_owned()).collect();
    names.extend(managed_mains.iter().cloned());
    names.sort();
    names.dedup();
    let states = ecs.describe_services(&names).await?;
    for main in &managed_mains {
        if let Some(s) = states
            .iter()
            .find(|s| &s.name == main && s.is_live() && s.is_managed())
        {
            let service = main.split("--").next().unwrap_or(main);
            return Err(UserError::new(
                ExitKind::Failure,
                format!(
                    "{service}: main is both a baseline in {} and the service {} that dynroute manages; Traefik would get main's routers twice",
                    project.path.display(),
                    s.name
                ),
            )
            .hint(format!(
                "to move main to the baseline: add `dynroute labels {main_version} -s {service}` to the baseline's task definition and deploy it, check that it answers, then remove `baseline:` for a moment and run `dynroute down {main_version} -s {service} --force`, and put `baseline:` back; to keep dynroute's main instead, remove `baseline:`",
                main_version = project.main_version
            ))
            .into());
        }
    }
    let mut out = Vec::new();
    for (settings, name) in wanted {
        let state = states
            .iter()
            .find(|s| s.name == name && s.is_live())
            .ok_or_else(|| {
                UserError::new(
                    ExitKind::Failure,
                    format!(
                        "the baseline of {}: ECS service `{name}` does not exist on cluster {} (or is being deleted)",
                        settings.name, project.cluster
                    ),
                )
                .hint(format!(
                    "fix services.{}.baseline.ecs_service in {}, or deploy the baseline first",
                    settings.name,
                    project.path.display()
                ))
            })?;
        out.push(EcsBaseline {
            service: settings.name.clone(),
            ecs_service: name.to_owned(),
            state: state.clone(),
        });
    }
    Ok(out)
}

/// The labels of the routed container of the task definition `baseline` runs
/// now (one DescribeTaskDefinition): the container whose `dynroute.service`
/// label names the service, else the one named `container`; `None` when there
/// is neither (the team's own task definition may name its containers freely).
pub async fn running_labels(
    ecs: &dyn Ecs,
    baseline: &EcsBaseline,
    container: &str,
) -> anyhow::Result<Option<std::collections::BTreeMap<String, String>>> {
    let Some(doc) = ecs
        .task_definition_document(&baseline.state.task_definition)
        .await?
    else {
        return Ok(None);
    };
    let containers = doc["taskDefinition"]["containerDefinitions"].as_array();
    let service = baseline.service.as_str();
    let routed = containers.and_then(|all| {
        (all.iter()
            .find(|c| c["dockerLabels"]["dynroute.service"] == service))
        .or_else(|| all.iter().find(|c| c["name"] == container))
    });
    let Some(routed) = routed else {
        return Ok(None);
    };
    Ok(Some(
        routed["dockerLabels"]
            .as_object()
            .map(|labels| {
                labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Overrides, load};
    use crate::ecs::ServiceStatus;
    use crate::ecs::fake::FakeEcs;

    fn project(dir: &std::path::Path) -> Project {
        std::fs::write(
            dir.join("t.yaml"),
            "containerDefinitions: [{name: api, image: x}]\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("dynroute.yaml"),
            "project: shop\ncluster: dev\ndomain: dev.test\nservices:\n  api:\n    template: t.yaml\n    port: 8080\n    baseline: {ecs_service: team-api}\n  web:\n    template: t.yaml\n    port: 8080\n    baseline: {url: http://web.internal:8080}\n  db:\n    template: t.yaml\n    port: 8080\n",
        )
        .unwrap();
        load(&dir.join("dynroute.yaml"), &Overrides::default()).unwrap()
    }

    #[tokio::test]
    async fn an_ecs_baseline_must_exist_and_main_must_not_also_be_managed() {
        let dir = tempfile::tempdir().unwrap();
        let p = project(dir.path());
        let all: Vec<&ServiceSettings> = p.services.values().collect();
        let ecs = FakeEcs::new();
        let err = check(&ecs, &p, &all).await.unwrap_err();
        assert!(
            format!("{err:#}").contains("ECS service `team-api` does not exist"),
            "{err:#}"
        );
        ecs.add_service("team-api", ServiceStatus::Active, &[]);
        let found = check(&ecs, &p, &all).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].service.as_str(), found[0].ecs_service.as_str()),
            ("api", "team-api")
        );
        assert_eq!(
            ecs.calls_of("DescribeServices").len(),
            2,
            "one read each time, no write"
        );
        ecs.add_service(
            "web--main",
            ServiceStatus::Active,
            &[("dynroute:managed", "true")],
        );
        let err = check(&ecs, &p, &all).await.unwrap_err();
        assert!(
            format!("{err:#}").contains("web: main is both a baseline"),
            "{err:#}"
        );
        // A service without a baseline costs nothing.
        let db: Vec<&ServiceSettings> = vec![&p.services[&"db".into()]];
        let calls = ecs.calls().len();
        assert!(check(&ecs, &p, &db).await.unwrap().is_empty());
        assert_eq!(ecs.calls().len(), calls);
    }

    #[test]
    fn main_of_a_baselined_service_runs_as_the_baseline() {
        let dir = tempfile::tempdir().unwrap();
        let p = project(dir.path());
        let main = p.main_version.clone();
        let s = |n: &str| &p.services[&n.into()];
        assert_eq!(running_as(&p, s("api"), &main), Ok("team-api".into()));
        assert_eq!(
            running_as(&p, s("web"), &main),
            Err("http://web.internal:8080".into())
        );
        assert_eq!(
            running_as(&p, s("api"), &"feature-1".into()),
            Ok("api--feature-1".into())
        );
        assert_eq!(running_as(&p, s("db"), &main), Ok("db--main".into()));
    }
}
