//! The one rule for "not deployed": a version is deployed when at least one of
//! the project's services runs it, live or draining (main counts its baselines). Every verb about
//! a deployed version (`status`, `logs`, `diff`, `extend`, `check`, and
//! `header`'s host, link and curl forms) ends with exit 1 and [`not_deployed`]
//! otherwise; `down` alone is a no-op (exit 0), so CI can run it twice.

use crate::config::{Project, ServiceSettings};
use crate::ecs::Ecs;
use crate::error::{ExitKind, UserError};
use crate::naming::Version;

use super::baseline::running_as;

/// The error for a version none of `names` runs.
pub fn not_deployed(version: impl std::fmt::Display, names: &[String], cluster: &str) -> UserError {
    UserError::new(
        ExitKind::Failure,
        format!(
            "version `{version}` is not deployed: no service {} on cluster {cluster}",
            names.join(", ")
        ),
    )
    .hint(format!(
        "`dynroute ls` lists the deployed versions; `dynroute up {version}` deploys it"
    ))
}

/// The project's services that run `version` (one DescribeServices per ten
/// names); [`not_deployed`] when none does. Main is every service, without a
/// call: it is what answers a request that names no version.
pub async fn serving<'p>(
    ecs: &dyn Ecs,
    project: &'p Project,
    version: &Version,
) -> anyhow::Result<Vec<&'p ServiceSettings>> {
    if *version == project.main_version {
        return Ok(project.services.values().collect());
    }
    let running: Vec<(&ServiceSettings, Result<String, String>)> = project
        .services
        .values()
        .map(|s| (s, running_as(project, s, version)))
        .collect();
    let names: Vec<String> = running
        .iter()
        .filter_map(|(_, n)| n.as_ref().ok().cloned())
        .collect();
    let states = match names.is_empty() {
        true => Vec::new(),
        false => ecs.describe_services(&names).await?,
    };
    let serving: Vec<&ServiceSettings> = running
        .iter()
        .filter(|(_, name)| match name {
            // Live or draining: tasks of it still run (as `status` and `logs` count).
            Ok(name) => states.iter().any(|s| &s.name == name && s.is_present()),
            Err(_url) => true,
        })
        .map(|(s, _)| *s)
        .collect();
    if serving.is_empty() {
        return Err(not_deployed(version, &names, &project.cluster).into());
    }
    Ok(serving)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::ServiceStatus;
    use crate::ecs::fake::FakeEcs;

    fn project() -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dynroute.yaml");
        std::fs::write(
            &path,
            "cluster: dev\ndomain: dev.test\nservices:\n  api:\n    template: t.yaml\n    port: 80\n  web:\n    template: t.yaml\n    port: 80\n",
        )
        .unwrap();
        let p = crate::config::load(&path, &Default::default()).unwrap();
        (dir, p)
    }

    #[tokio::test]
    async fn only_the_services_that_run_the_version_serve_it() {
        let (_dir, p) = project();
        let ecs = FakeEcs::new();
        ecs.add_service("web--feature-2", ServiceStatus::Active, &[]);
        ecs.add_service("api--feature-2", ServiceStatus::Inactive, &[]);
        let v: Version = "feature-2".parse().unwrap();
        let names: Vec<&str> = serving(&ecs, &p, &v)
            .await
            .unwrap()
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names, ["web"]);
        // Main: every service, nothing asked.
        let calls = ecs.calls().len();
        assert_eq!(
            serving(&ecs, &p, &"main".parse().unwrap())
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(ecs.calls().len(), calls);
        let err = serving(&ecs, &p, &"feature-3".parse().unwrap())
            .await
            .unwrap_err();
        assert_eq!(
            crate::error::chain_text(&err),
            "version `feature-3` is not deployed: no service api--feature-3, web--feature-3 on cluster dev"
        );
        assert_eq!(
            crate::error::classify(&err),
            (
                ExitKind::Failure,
                Some(
                    "`dynroute ls` lists the deployed versions; `dynroute up feature-3` deploys it"
                )
            )
        );
    }
}
