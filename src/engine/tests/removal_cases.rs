//! `prune` and `down` on the fake ECS: only live services are deleted, draining
//! ones only cleaned, a half-gone version finished, and a failed delete reported
//! with what was done.

use super::*;
use crate::ecs::Ecs as _;
use crate::engine::scope::Scope;

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
    let (removal, old) = removal::plan_prune(&views, &Scope::All, None);
    assert_eq!(old.len(), 1);
    assert_eq!(
        removal.delete,
        ["api--old"],
        "the draining one is not deleted again"
    );
    assert_eq!(removal.families, ["api--old", "web--old"]);
    let removed = removal::remove(&ecs, &removal, None, &mut Recorder::default())
        .await
        .unwrap()
        .removed;
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
        ..Removal::default()
    };
    let removed = removal::remove(&ecs, &removal, None, &mut Recorder::default())
        .await
        .unwrap()
        .removed;
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
        ..Removal::default()
    };
    let err = removal::remove(&ecs, &removal, None, &mut Recorder::default())
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("removed: api--v1"), "{text}");
    assert!(text.contains("not removed: web--v1"), "{text}");
}

fn managed(service: &str, version: &str, project: Option<&str>) -> Vec<(String, String)> {
    let mut tags = vec![
        ("dynroute:managed".to_owned(), "true".to_owned()),
        ("dynroute:service".to_owned(), service.to_owned()),
        ("dynroute:version".to_owned(), version.to_owned()),
    ];
    if let Some(p) = project {
        tags.push(("dynroute:project".to_owned(), p.to_owned()));
    }
    tags
}

fn families(version: &str) -> Vec<String> {
    ["api", "web", "worker"]
        .iter()
        .map(|s| format!("{s}--{version}"))
        .collect()
}

async fn plan_on(ecs: &FakeEcs, version: &str, scope: &Scope) -> removal::DownPlan {
    let families = families(version);
    let states = ecs.describe_services(&families).await.unwrap();
    removal::plan_down(&version.into(), false, false, &families, &states, scope).unwrap()
}

#[tokio::test(start_paused = true)]
async fn down_leaves_foreign_and_unmanaged_services_and_only_cleans_draining_ones() {
    let ecs = FakeEcs::new();
    let shop: Scope = Scope::Project("shop".into());
    ecs.add_service(
        "api--v1",
        ServiceStatus::Active,
        &pairs(&managed("api", "v1", Some("shop"))),
    );
    ecs.add_service(
        "web--v1",
        ServiceStatus::Active,
        &pairs(&managed("web", "v1", Some("blog"))),
    );
    ecs.add_service("worker--v1", ServiceStatus::Active, &[("team", "payments")]);
    let plan = plan_on(&ecs, "v1", &shop).await;
    assert_eq!(plan.removal.delete, ["api--v1"]);
    assert_eq!(plan.removal.families, ["api--v1"]);
    assert_eq!(plan.removal.project.as_deref(), Some("shop"));
    assert_eq!(
        plan.skipped,
        [
            (
                "web--v1".to_owned(),
                removal::Skip::OtherProject("blog".into())
            ),
            ("worker--v1".to_owned(), removal::Skip::Unmanaged),
        ]
    );
    assert_eq!(plan.unmanaged(), ["worker--v1"]);
    let mut told = Recorder::default();
    plan.tell_skipped(&mut told);
    assert_eq!(told.lines.len(), 2, "{:?}", told.lines);

    // --all-projects takes the other project's service too, never the unmanaged one.
    let all = plan_on(&ecs, "v1", &Scope::All).await;
    assert_eq!(all.removal.delete, ["api--v1", "web--v1"]);
    assert_eq!(all.removal.project, None);

    // A draining service: its revisions are cleaned, it is not deleted again.
    let ecs = FakeEcs::new();
    ecs.add_service(
        "api--v2",
        ServiceStatus::Draining,
        &pairs(&managed("api", "v2", Some("shop"))),
    );
    let plan = plan_on(&ecs, "v2", &shop).await;
    assert!(plan.removal.delete.is_empty() && plan.removal.nothing_live());
    assert_eq!(plan.removal.families, families("v2"));
}

#[tokio::test(start_paused = true)]
async fn down_finishes_a_half_gone_version_and_refuses_a_protected_one() {
    // Services gone, a revision left by an interrupted `down`: every family is cleaned.
    let ecs = FakeEcs::new();
    ecs.add_task_definition("web--v3", &[("dynroute:managed", "true")]);
    let plan = plan_on(&ecs, "v3", &Scope::Project("shop".into())).await;
    assert!(plan.removal.nothing_live() && plan.skipped.is_empty());
    assert_eq!(plan.removal.families, families("v3"));
    removal::remove(&ecs, &plan.removal, None, &mut Recorder::default())
        .await
        .unwrap();
    assert!(ecs.task_definitions().is_empty());

    let err = removal::plan_down(
        &"main".into(),
        true,
        false,
        &families("main"),
        &[],
        &Scope::All,
    )
    .unwrap_err();
    assert_eq!(err.message, "version `main` is protected");
    assert!(
        removal::plan_down(
            &"main".into(),
            true,
            true,
            &families("main"),
            &[],
            &Scope::All
        )
        .is_ok()
    );
}

#[tokio::test(start_paused = true)]
async fn prune_never_takes_a_protected_version() {
    let f = fixture(&["api"], "v1");
    let ecs = FakeEcs::new();
    ecs.add_service(
        "api--main",
        ServiceStatus::Active,
        &pairs(&expired("api", "main")),
    );
    ecs.add_service(
        "api--old",
        ServiceStatus::Active,
        &pairs(&expired("api", "old")),
    );
    let now: Timestamp = "2026-11-22T00:00:00Z".parse().unwrap();
    let views = inventory::list(&ecs, &f.project, &Scope::All, now)
        .await
        .unwrap();
    let (removal, expired) = removal::plan_prune(&views, &Scope::All, None);
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].version, "old");
    assert_eq!(removal.delete, ["api--old"]);
}
