//! A baseline's routing labels against what dynroute would write for main
//! (`baseline-drift`): the baseline must exist (`engine::baseline::check`), and
//! its running task definition is read, never written.

use jiff::Timestamp;

use super::lint::{Finding, baseline_drift};
use crate::config::{Project, ServiceSettings};
use crate::ecs::Ecs;
use crate::engine::baseline;
use crate::naming::tags::Expiry;

/// One finding per ECS baseline of `services` whose labels drifted: a
/// DescribeServices per ten baselines and a DescribeTaskDefinition each.
pub async fn drift(
    ecs: &dyn Ecs,
    project: &Project,
    services: &[&ServiceSettings],
) -> anyhow::Result<Vec<Finding>> {
    let mut findings = Vec::new();
    for b in baseline::check(ecs, project, services).await? {
        let settings = &project.services[&b.service];
        // A worker's baseline carries no route, so no label can drift.
        if !settings.routed {
            continue;
        }
        let expected = crate::taskdef::routing_labels(
            project,
            settings,
            &project.main_version,
            &Expiry::Never,
            Timestamp::now(),
        );
        let actual = baseline::running_labels(ecs, &b, &settings.container).await?;
        findings.extend(baseline_drift(
            &b.service,
            &b.ecs_service,
            &settings.container,
            &project.main_version,
            &expected,
            actual.as_ref(),
        ));
    }
    Ok(findings)
}
