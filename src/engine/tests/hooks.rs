//! The lifecycle hooks' rules on the in-memory ECS: when each phase runs,
//! in which order against the writes, what a failure leaves, and the retries.

use super::*;
use crate::config::Phase;
use crate::ecs::Ecs;
use crate::engine::after_down::{self, AfterDown, HookTarget};
use crate::engine::hooks::{CLEANUP_PENDING, HAS_AFTER_DOWN, HookStatus};
use crate::engine::scope::Scope;
use crate::engine::up::{HookContext, UpResult};

const LOGGED: &str = "containerDefinitions:\n  - name: '{{ service }}'\n    image: 'repo/{{ service }}:{{ image_tag }}'\n    portMappings: [{containerPort: 8080}]\n    logConfiguration: {logDriver: awslogs, options: {awslogs-group: /ecs/shop, awslogs-region: us-east-1, awslogs-stream-prefix: v}}\n";

const HOOKS: &str = "hooks:\n  on_create: [{service: api, command: [db, create, 'v_{{ version_id }}']}]\n  before_up: [{service: api, command: [db, migrate]}]\n  after_down: [{service: api, command: [db, drop, 'v_{{ version_id }}']}]\n";

fn hooked(names: &[&str], version: &str) -> Fixture {
    fixture_with(names, version, LOGGED, HOOKS)
}

async fn up_hooked(ecs: &FakeEcs, f: &Fixture, options: UpOptions) -> anyhow::Result<UpResult> {
    let context = HookContext {
        logs: ecs,
        region: "us-east-1",
        poll: Duration::from_secs(2),
    };
    up_with(ecs, f, options, Some(context)).await
}

fn commands(ecs: &FakeEcs) -> Vec<String> {
    ecs.one_offs().iter().map(|t| t.command.join(" ")).collect()
}

/// Where `op` (e.g. `RunTask`) first appears in the calls.
fn first(ecs: &FakeEcs, op: &str) -> usize {
    let calls = ecs.calls();
    calls
        .iter()
        .position(|c| c.starts_with(&format!("{op} ")))
        .unwrap_or_else(|| panic!("no {op} in {calls:?}"))
}

#[tokio::test(start_paused = true)]
async fn the_first_up_creates_then_migrates_before_any_service_exists_and_the_next_only_migrates() {
    let _serial = SERIAL.lock().await;
    let f = hooked(&["api", "web"], "feature-7");
    let ecs = FakeEcs::new();
    let result = up_hooked(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(commands(&ecs), ["db create v_feature_7", "db migrate"]);
    // Registered first, hooks from the new revision, services only after them.
    assert!(first(&ecs, "RegisterTaskDefinition") < first(&ecs, "RunTask"));
    let last_run_task = ecs
        .calls()
        .iter()
        .rposition(|c| c.starts_with("DescribeTasks "))
        .unwrap();
    assert!(last_run_task < first(&ecs, "CreateService"));
    let api = ecs.service("api--feature-7").unwrap();
    for task in ecs.one_offs() {
        assert_eq!(task.task_definition, api.task_definition);
        assert_eq!(task.container, "api");
        assert_eq!(task.started_by, "dynroute-hook");
        assert!(
            task.tags
                .contains(&("dynroute:managed".into(), "true".into()))
        );
        assert!(
            task.tags
                .contains(&("dynroute:version".into(), "feature-7".into()))
        );
    }
    assert!(api.tags["dynroute:hook:on_create:1"].starts_with("exit=0 task="));
    assert!(api.tags["dynroute:hook:before_up:1"].starts_with("exit=0 task="));
    assert_eq!(
        api.tags.get(HAS_AFTER_DOWN).map(String::as_str),
        Some("true")
    );
    assert!(
        !ecs.service("web--feature-7")
            .unwrap()
            .tags
            .contains_key(HAS_AFTER_DOWN)
    );
    assert_eq!(result.hooks.len(), 2);
    assert!(
        result
            .hooks
            .iter()
            .all(|h| h.status == HookStatus::Succeeded)
    );

    // Nothing changed: before_up still runs (migrations are idempotent), on_create does not,
    // and its record stays on the service.
    up_hooked(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(
        commands(&ecs),
        ["db create v_feature_7", "db migrate", "db migrate"]
    );
    assert!(ecs.calls_of("UpdateService").is_empty());
    let api = ecs.service("api--feature-7").unwrap();
    assert!(api.tags.contains_key("dynroute:hook:on_create:1"));

    // Main never runs hooks: its data is the team's.
    let main = hooked(&["api"], "main");
    let before = ecs.one_offs().len();
    up_hooked(&ecs, &main, WAIT).await.unwrap();
    assert_eq!(ecs.one_offs().len(), before);

    // A dry run lists what would run, and runs nothing.
    let other = hooked(&["api"], "feature-8");
    let planned = up_hooked(
        &ecs,
        &other,
        UpOptions {
            dry_run: true,
            ..WAIT
        },
    )
    .await
    .unwrap();
    assert_eq!(ecs.one_offs().len(), before);
    let planned: Vec<(Phase, HookStatus)> =
        planned.hooks.iter().map(|h| (h.phase, h.status)).collect();
    assert_eq!(
        planned,
        [
            (Phase::OnCreate, HookStatus::Planned),
            (Phase::BeforeUp, HookStatus::Planned)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_hook_stops_up_before_any_service_changes_and_on_create_runs_again_next_time() {
    let _serial = SERIAL.lock().await;
    let f = hooked(&["api"], "feature-7");
    let ecs = FakeEcs::new();
    ecs.exit_when("migrate", 3);
    let result = up_hooked(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(result.outcomes[0].settled, Settled::HeldBack);
    let failed = result.hooks.last().unwrap();
    assert_eq!((failed.phase, failed.exit_code), (Phase::BeforeUp, Some(3)));
    assert_eq!(failed.log_tail, ["$ db migrate", "exit 3"]);
    assert!(ecs.calls_of("CreateService").is_empty());
    // The revision this run registered is gone again: nothing is left behind.
    assert!(
        ecs.task_definitions().is_empty(),
        "{:?}",
        ecs.task_definitions()
    );

    // Fixed: the version still has no service, so on_create runs again.
    ecs.exit_when("migrate", 0);
    up_hooked(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(
        commands(&ecs),
        [
            "db create v_feature_7",
            "db migrate",
            "db create v_feature_7",
            "db migrate"
        ]
    );
    assert!(ecs.service("api--feature-7").is_some());

    // A failing migration of a running version: the service keeps running what
    // it ran (no UpdateService) and keeps the failed run's record.
    let changed = with_image_tag(hooked(&["api"], "feature-7"), "t2");
    let running = ecs.service("api--feature-7").unwrap().task_definition;
    ecs.exit_when("migrate", 1);
    let result = up_hooked(&ecs, &changed, WAIT).await.unwrap();
    assert_eq!(result.outcomes[0].settled, Settled::HeldBack);
    assert!(ecs.calls_of("UpdateService").is_empty());
    let api = ecs.service("api--feature-7").unwrap();
    assert_eq!(api.task_definition, running);
    assert!(api.tags["dynroute:hook:before_up:1"].starts_with("exit=1 "));
    assert_eq!(ecs.task_definitions(), [running]);
}

async fn down(
    ecs: &FakeEcs,
    f: &Fixture,
    version: &str,
    run_hooks: bool,
) -> removal::RemovalOutcome {
    let version: crate::naming::Version = version.parse().unwrap();
    let families: Vec<String> = (f.project.services.keys())
        .map(|s| resource_name(s, &version))
        .collect();
    let states = ecs.describe_services(&families).await.unwrap();
    let scope = Scope::Project("shop".into());
    let mut plan = removal::plan_down(&version, false, false, &families, &states, &scope).unwrap();
    let targets: Vec<_> = (f.project.services.keys())
        .zip(&families)
        .map(|(s, family)| (family.clone(), s.clone(), version.clone()))
        .collect();
    plan.removal.run_hooks(&f.project, &targets, &states);
    let after = AfterDown {
        project: &f.project,
        logs: ecs,
        region: "us-east-1",
        poll: Duration::from_secs(2),
    };
    removal::remove(
        ecs,
        &plan.removal,
        run_hooks.then_some(&after),
        &mut Recorder::default(),
    )
    .await
    .unwrap()
}

#[tokio::test(start_paused = true)]
async fn after_down_runs_once_the_services_are_deleted_and_a_failure_keeps_its_revision_for_prune()
{
    let _serial = SERIAL.lock().await;
    let f = hooked(&["api", "web"], "feature-7");
    let ecs = FakeEcs::new();
    up_hooked(&ecs, &f, WAIT).await.unwrap();
    let last_run = ecs.service("api--feature-7").unwrap().task_definition;

    ecs.exit_when("drop", 1);
    let outcome = down(&ecs, &f, "feature-7", true).await;
    // Both services were deleted before the hook ran, from the revision api last ran.
    let deletes = ecs
        .calls()
        .iter()
        .rposition(|c| c.starts_with("DeleteService "))
        .unwrap();
    let drop = ecs.one_offs().last().unwrap().clone();
    assert_eq!(drop.command.join(" "), "db drop v_feature_7");
    assert_eq!(drop.task_definition, last_run);
    assert!(
        deletes
            < ecs
                .calls()
                .iter()
                .rposition(|c| c.starts_with("RunTask "))
                .unwrap()
    );
    // It failed: that revision stays, tagged; everything else is gone.
    assert_eq!(outcome.pending, std::slice::from_ref(&last_run));
    assert_eq!(ecs.task_definitions(), std::slice::from_ref(&last_run));
    let pending = ecs.task_definition_tag(&last_run, CLEANUP_PENDING).unwrap();
    assert!(pending.starts_with("after_down.1 exit=1 "), "{pending}");
    assert_eq!(outcome.hooks.last().unwrap().exit_code, Some(1));

    // prune finds it (the version has no service any more) and runs the hook again.
    let found = after_down::pending_cleanups(&ecs, &f.project, &[])
        .await
        .unwrap();
    assert_eq!(
        found,
        [(
            "api--feature-7".to_owned(),
            "api".parse().unwrap(),
            "feature-7".parse().unwrap()
        )]
    );
    ecs.exit_when("drop", 0);
    let mut retry = Removal {
        families: vec!["api--feature-7".into()],
        ..Removal::default()
    };
    retry.after_down.insert(
        "api--feature-7".into(),
        HookTarget {
            service: "api".parse().unwrap(),
            version: "feature-7".parse().unwrap(),
            project: "shop".into(),
            last_run: None,
            pending_only: true,
        },
    );
    let after = AfterDown {
        project: &f.project,
        logs: &ecs,
        region: "us-east-1",
        poll: Duration::from_secs(2),
    };
    let outcome = removal::remove(&ecs, &retry, Some(&after), &mut Recorder::default())
        .await
        .unwrap();
    assert!(outcome.pending.is_empty());
    assert_eq!(outcome.hooks.last().unwrap().exit_code, Some(0));
    assert!(ecs.task_definitions().is_empty());
    assert!(
        after_down::pending_cleanups(&ecs, &f.project, &[])
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn no_hooks_and_protected_versions_run_no_after_down() {
    let _serial = SERIAL.lock().await;
    let f = hooked(&["api"], "feature-7");
    let ecs = FakeEcs::new();
    up_hooked(&ecs, &f, WAIT).await.unwrap();
    let before = ecs.one_offs().len();
    // --no-hooks: nothing runs, nothing is kept.
    let outcome = down(&ecs, &f, "feature-7", false).await;
    assert_eq!(ecs.one_offs().len(), before);
    assert!(outcome.pending.is_empty() && ecs.task_definitions().is_empty());

    // A protected version never runs after_down (its data outlives it).
    let mut protected = hooked(&["api"], "shadow");
    protected
        .project
        .protected
        .insert("shadow".parse().unwrap());
    up_hooked(&ecs, &protected, WAIT).await.unwrap();
    let before = ecs.one_offs().len();
    let version: crate::naming::Version = "shadow".parse().unwrap();
    let families = vec!["api--shadow".to_owned()];
    let states = ecs.describe_services(&families).await.unwrap();
    let mut plan = removal::plan_down(
        &version,
        true,
        true,
        &families,
        &states,
        &Scope::Project("shop".into()),
    )
    .unwrap();
    plan.removal.run_hooks(
        &protected.project,
        &[(families[0].clone(), "api".parse().unwrap(), version.clone())],
        &states,
    );
    assert!(plan.removal.after_down.is_empty());
    plan.removal
        .keep_for_their_hooks(&states, Some(&protected.project));
    assert!(plan.removal.keep_for_hooks.is_empty());
    removal::remove(&ecs, &plan.removal, None, &mut Recorder::default())
        .await
        .unwrap();
    assert_eq!(ecs.one_offs().len(), before);
}

#[tokio::test(start_paused = true)]
async fn prune_without_the_project_s_config_keeps_the_revision_its_hooks_need() {
    let _serial = SERIAL.lock().await;
    let f = hooked(&["api"], "feature-7");
    let ecs = FakeEcs::new();
    up_hooked(&ecs, &f, WAIT).await.unwrap();
    let last_run = ecs.service("api--feature-7").unwrap().task_definition;
    let states = ecs
        .describe_services(&["api--feature-7".to_owned()])
        .await
        .unwrap();
    let mut cluster_wide = Removal {
        delete: vec!["api--feature-7".into()],
        families: vec!["api--feature-7".into()],
        ..Removal::default()
    };
    cluster_wide.keep_for_their_hooks(&states, None);
    removal::remove(&ecs, &cluster_wide, None, &mut Recorder::default())
        .await
        .unwrap();
    assert_eq!(ecs.task_definitions(), std::slice::from_ref(&last_run));
    assert!(
        ecs.task_definition_tag(&last_run, CLEANUP_PENDING)
            .is_some()
    );
    // The project's own prune finds it.
    let found = after_down::pending_cleanups(&ecs, &f.project, &[])
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
}
