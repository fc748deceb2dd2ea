//! `prune` and `down` on the fake ECS: only live services are deleted, draining
//! ones only cleaned, a half-gone version finished, and a failed delete reported
//! with what was done.

use super::*;

fn expired(service: &str, version: &str) -> Vec<(String, String)> {
    [
        ("dynroute:managed", "true"),
        ("dynroute:service", service),
        ("dynroute:version", version),
        ("dynroute:expires-at", "2026-01-01T00:00:00Z"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

fn pairs(tags: &[(String, String)]) -> Vec<(&str, &str)> {
    tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test(start_paused = true)]
async fn prune_deletes_live_services_and_only_cleans_draining_ones() {
    let f = fixture(&["api", "web"], "v1");
    let ecs = FakeEcs::new();
    let api = expired("api", "old");
    let web = expired("web", "old");
    ecs.add_service("api--old", ServiceStatus::Active, &pairs(&api));
    ecs.add_service("web--old", ServiceStatus::Draining, &pairs(&web));
    ecs.add_task_definition("web--old", &[("dynroute:managed", "true")]);
    let now: Timestamp = "2026-11-22T00:00:00Z".parse().unwrap();
    let views = inventory::list(&ecs, &f.project, &crate::engine::scope::Scope::All, now)
        .await
        .unwrap();
    let old: Vec<_> = views.iter().filter(|v| v.expired).collect();
    assert_eq!(old.len(), 1);
    let removal = Removal {
        project: None,
        delete: old.iter().flat_map(|v| v.live_services()).collect(),
        families: old.iter().flat_map(|v| v.ecs_services()).collect(),
    };
    let removed = removal::remove(&ecs, &removal, &mut Recorder::default())
        .await
        .unwrap();
    assert_eq!(ecs.calls_of("DeleteService"), ["DeleteService api--old"]);
    assert_eq!(removed.len(), 2, "{removed:?}");
    assert!(removed.iter().any(|r| r.ecs_service == "web--old"
        && !r.service_deleted
        && r.task_definitions_deregistered == 1));
}

#[tokio::test(start_paused = true)]
async fn removing_a_half_gone_version_finishes_the_job() {
    let ecs = FakeEcs::new();
    let api = expired("api", "v1");
    ecs.add_service("api--v1", ServiceStatus::Active, &pairs(&api));
    // web's service is gone, but an interrupted `down` left a managed revision,
    // beside a revision of the same family that dynroute did not register.
    ecs.add_task_definition("web--v1", &[("dynroute:managed", "true")]);
    ecs.add_task_definition("web--v1", &[("team", "payments")]);
    let removal = Removal {
        project: None,
        delete: vec!["api--v1".into()],
        families: vec!["api--v1".into(), "web--v1".into()],
    };
    let removed = removal::remove(&ecs, &removal, &mut Recorder::default())
        .await
        .unwrap();
    assert_eq!(removed.len(), 2);
    assert_eq!(ecs.calls_of("DeregisterTaskDefinition").len(), 1);
    let left = ecs.task_definitions();
    assert!(
        left.len() == 1 && left[0].ends_with("web--v1:2"),
        "only the foreign revision stays: {left:?}"
    );

    // A failure is reported with what was done.
    let ecs = FakeEcs::new();
    ecs.add_service("api--v1", ServiceStatus::Active, &pairs(&api));
    ecs.add_service(
        "web--v1",
        ServiceStatus::Active,
        &pairs(&expired("web", "v1")),
    );
    ecs.fail("DeleteService:web--v1", "ThrottlingException");
    let removal = Removal {
        project: None,
        delete: vec!["api--v1".into(), "web--v1".into()],
        families: vec!["api--v1".into(), "web--v1".into()],
    };
    let err = removal::remove(&ecs, &removal, &mut Recorder::default())
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("removed: api--v1"), "{text}");
    assert!(text.contains("not removed: web--v1"), "{text}");
}
