//! The engine against the in-memory ECS: every decision `up`, `down` and
//! `prune` make, in milliseconds (tokio's paused clock skips the waits).

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use super::inventory;
use super::poller::Poller;
use super::progress::Recorder;
use super::removal::{self, Removal};
use super::timings::Stopwatch;
use super::up::{self, Settled, UpOptions, UpRequest};
use crate::config::{Overrides, Project, load};
use crate::ecs::ServiceStatus;
use crate::ecs::fake::{FakeEcs, Rollout};
use crate::error::{ExitKind, classify};
use crate::naming::resource_name;
use crate::taskdef::release::{Release, RenderedService};

/// The rollout waits leave a process-wide note for Ctrl-C: one test at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const TEMPLATE: &str = "containerDefinitions:\n  - name: '{{ service }}'\n    image: 'repo/{{ service }}:{{ image_tag }}'\n    portMappings: [{containerPort: 8080}]\n";

struct Fixture {
    _dir: tempfile::TempDir,
    project: Project,
    release: Release,
    services: Vec<RenderedService>,
}

fn fixture(names: &[&str], version: &str) -> Fixture {
    fixture_with(names, version, TEMPLATE, "")
}

/// [`fixture`] with another template and more top-level config (`extra`).
fn fixture_with(names: &[&str], version: &str, template: &str, extra: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.yaml"), template).unwrap();
    let services: String = names
        .iter()
        .map(|n| format!("  {n}:\n    template: t.yaml\n    port: 8080\n"))
        .collect();
    std::fs::write(
        dir.path().join("dynroute.yaml"),
        format!(
            "project: shop\ncluster: dev\ndomain: dev.example.com\n{extra}services:\n{services}"
        ),
    )
    .unwrap();
    let project = load(&dir.path().join("dynroute.yaml"), &Overrides::default()).unwrap();
    let release = Release {
        project: project.project.clone(),
        ..Release::fixture(version)
    };
    let services = project
        .services
        .values()
        .map(|s| RenderedService {
            ecs_name: resource_name(&s.name, &release.version),
            task_definition: crate::taskdef::build(&project, s, &release, Arc::new(|_| None))
                .unwrap(),
            settings: s.clone(),
        })
        .collect();
    Fixture {
        _dir: dir,
        project,
        release,
        services,
    }
}

/// The same services with another image: what a new commit changes.
fn with_image_tag(mut f: Fixture, tag: &str) -> Fixture {
    for s in &mut f.services {
        let c = &mut s.task_definition.container_definitions[0];
        c.image = format!("repo/{}:{tag}", s.settings.name);
    }
    f
}

const WAIT: UpOptions = UpOptions {
    dry_run: false,
    wait: true,
    timeout: Duration::from_secs(600),
    force_new_deployment: false,
};

async fn up(ecs: &FakeEcs, f: &Fixture, options: UpOptions) -> anyhow::Result<Vec<Settled>> {
    let result = up_with(ecs, f, options, None).await?;
    Ok(result.outcomes.into_iter().map(|o| o.settled).collect())
}

/// `up` of the fixture, with hooks when `hooks` says where their output is.
async fn up_with(
    ecs: &FakeEcs,
    f: &Fixture,
    options: UpOptions,
    hooks: Option<up::HookContext<'_>>,
) -> anyhow::Result<up::UpResult> {
    let request = UpRequest {
        project: &f.project,
        release: &f.release,
        services: &f.services,
        options,
        ingress: None,
        hooks,
    };
    let poller = Poller::new(Duration::from_secs(3), options.timeout);
    up::run(
        ecs,
        request,
        poller,
        &mut Recorder::default(),
        &Stopwatch::start(),
    )
    .await
}

const MANAGED: [(&str, &str); 3] = [
    ("dynroute:managed", "true"),
    ("dynroute:service", "api"),
    ("dynroute:version", "v1"),
];

#[tokio::test(start_paused = true)]
async fn creates_then_updates_and_never_takes_over_a_foreign_service() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api", "web"], "v1");
    let ecs = FakeEcs::new();
    let settled = up(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(
        settled,
        [Settled::Running {
            running: 1,
            desired: 1
        }; 2]
    );
    assert_eq!(ecs.calls_of("CreateService").len(), 2);
    let api = ecs.service("api--v1").unwrap();
    assert_eq!(api.tag("dynroute:managed"), Some("true"));
    assert!(
        api.tag("dynroute:task-definition")
            .is_some_and(|td| td.ends_with("api--v1:1"))
    );

    // The same `up` again: nothing registered, created or updated; the tags
    // (the expiry, the update time) are refreshed. The running revisions are
    // the ones the same render registered (their digest tags say so): not read back.
    let calls_since = |before: usize| -> Vec<String> {
        ecs.calls()[before..]
            .iter()
            .map(|c| c.split(' ').next().unwrap().to_owned())
            .collect()
    };
    let before = ecs.calls().len();
    up(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(
        calls_since(before),
        [
            "DescribeServices",
            "TagResource",
            "TagResource",
            "DescribeServices"
        ]
    );
    // Without the digest (a service an older dynroute deployed), the running
    // revisions are read back and compared: still nothing registered.
    use crate::ecs::Ecs as _;
    for name in ["api--v1", "web--v1"] {
        let arn = ecs.service(name).unwrap().arn;
        ecs.untag_resource(&arn, &["dynroute:render-digest".to_owned()])
            .await
            .unwrap();
    }
    let before = ecs.calls().len();
    up(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(
        calls_since(before),
        [
            "DescribeServices",
            "DescribeTaskDefinition",
            "DescribeTaskDefinition",
            "TagResource",
            "TagResource",
            "DescribeServices"
        ]
    );
    assert!(
        ecs.service("api--v1")
            .unwrap()
            .tag("dynroute:render-digest")
            .is_some()
    );

    // A new image: new revisions, same services.
    let f = with_image_tag(f, "t2");
    up(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(ecs.calls_of("CreateService").len(), 2);
    assert_eq!(ecs.calls_of("UpdateService").len(), 2);
    assert!(
        ecs.service("api--v1")
            .unwrap()
            .task_definition
            .ends_with(":2")
    );

    // --force-new-deployment: the same revision, its tasks replaced.
    let forced = UpOptions {
        force_new_deployment: true,
        ..WAIT
    };
    up(&ecs, &f, forced).await.unwrap();
    assert_eq!(ecs.calls_of("RegisterTaskDefinition").len(), 4);
    assert_eq!(ecs.forced(), ["api--v1", "web--v1"]);
    assert!(
        ecs.service("api--v1")
            .unwrap()
            .task_definition
            .ends_with(":2")
    );

    // A same-named service without the managed tag: refused before any write.
    let other = FakeEcs::new();
    other.add_service("web--v1", ServiceStatus::Active, &[("team", "payments")]);
    let err = up(&other, &f, WAIT).await.unwrap_err();
    assert_eq!(classify(&err).0, ExitKind::Usage);
    assert!(
        format!("{err:#}").contains("not managed by dynroute"),
        "{err:#}"
    );
    assert!(other.calls_of("RegisterTaskDefinition").is_empty());
    assert!(other.calls_of("CreateService").is_empty());
}

#[tokio::test(start_paused = true)]
async fn another_projects_service_is_refused_and_an_untagged_one_adopted() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api"], "v1");
    let theirs = FakeEcs::new();
    let web = [MANAGED.as_slice(), &[("dynroute:project", "web")]].concat();
    theirs.add_service("api--v1", ServiceStatus::Active, &web);
    let err = up(&theirs, &f, WAIT).await.unwrap_err();
    assert_eq!(classify(&err).0, ExitKind::Usage);
    let text = format!("{err:#}");
    assert!(
        text.contains("project `web`") && text.contains("`shop`"),
        "{text}"
    );
    assert!(theirs.calls_of("RegisterTaskDefinition").is_empty());
    assert!(theirs.calls_of("UpdateService").is_empty());

    // Deployed by an older dynroute: adopted (tagged) by this project's `up`, with a line.
    let old = FakeEcs::new();
    old.add_service("api--v1", ServiceStatus::Active, &MANAGED);
    let request = UpRequest {
        project: &f.project,
        release: &f.release,
        services: &f.services,
        options: WAIT,
        ingress: None,
        hooks: None,
    };
    let mut progress = Recorder::default();
    let poller = Poller::new(Duration::from_secs(3), WAIT.timeout);
    up::run(&old, request, poller, &mut progress, &Stopwatch::start())
        .await
        .unwrap();
    assert!(
        progress
            .lines
            .iter()
            .any(|l| l.contains("adopting api--v1 into project shop")),
        "{:?}",
        progress.lines
    );
    let api = old.service("api--v1").unwrap();
    assert_eq!(api.tag("dynroute:project"), Some("shop"));
    assert_eq!(old.calls_of("UpdateService").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_draining_namesake_is_waited_out_and_a_hidden_conflict_retried() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api", "web"], "v1");
    let ecs = FakeEcs::new();
    ecs.add_service("api--v1", ServiceStatus::Draining, &MANAGED);
    ecs.drains_after("api--v1", 3);
    // web: CreateService says "exists" twice while DescribeServices shows nothing.
    ecs.hidden_conflict("web--v1", 2);
    up(&ecs, &f, WAIT).await.unwrap();
    let creates = ecs.calls_of("CreateService");
    assert_eq!(
        creates.iter().filter(|c| c.ends_with("web--v1")).count(),
        3,
        "{creates:?}"
    );
    assert_eq!(
        ecs.service("api--v1").unwrap().status,
        ServiceStatus::Active
    );
    // The draining service was never updated, only replaced.
    assert!(ecs.calls_of("UpdateService").is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_rolled_back_rollout_fails_with_exit_4_and_the_stopped_tasks() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api"], "v1");
    let ecs = FakeEcs::new();
    ecs.rollout("api--v1", Rollout::RollsBack);
    let err = up(&ecs, &f, WAIT).await.unwrap_err();
    assert_eq!(classify(&err).0, ExitKind::DeployFailed);
    let text = format!("{err:#}");
    assert!(text.contains("deployment of api--v1 failed"), "{text}");
    assert!(
        text.contains("Essential container in task exited"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_partial_failure_names_what_was_deployed_and_what_not() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api", "web", "worker"], "v1");
    let ecs = FakeEcs::new();
    ecs.fail("CreateService:worker--v1", "AccessDeniedException");
    let err = up(&ecs, &f, WAIT).await.unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("deployed: api--v1, web--v1"), "{text}");
    assert!(text.contains("not deployed: worker--v1"), "{text}");
    assert!(text.contains("AccessDeniedException"), "{text}");
    assert_eq!(
        classify(&err),
        (
            ExitKind::Failure,
            Some("re-run the same `dynroute up`: it converges")
        )
    );
    // Nothing waited on a half-done release.
    assert!(ecs.service("api--v1").is_some() && ecs.service("worker--v1").is_none());
}

#[tokio::test(start_paused = true)]
async fn a_refused_service_leaves_no_revision_behind() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api", "web"], "v1");
    let ecs = FakeEcs::new();
    ecs.refuse("CreateService:web--v1", "InvalidParameterException");
    let err = up(&ecs, &f, WAIT).await.unwrap_err();
    assert_eq!(
        crate::error::chain_text(&err),
        "deployment incomplete\n  deployed: api--v1\n  not deployed: web--v1: CreateService failed: InvalidParameterException: refused by the fake"
    );
    // web's revision is deregistered again; api's stays with its service.
    assert_eq!(
        ecs.calls_of("DeregisterTaskDefinition"),
        ["DeregisterTaskDefinition arn:aws:ecs:us-east-1:123456789012:task-definition/web--v1:1"]
    );
    assert_eq!(
        ecs.task_definitions(),
        ["arn:aws:ecs:us-east-1:123456789012:task-definition/api--v1:1"]
    );
    // Any other failure (the service may exist after all) keeps it for `down`.
    let other = FakeEcs::new();
    other.fail("CreateService:web--v1", "connection reset");
    up(&other, &f, WAIT).await.unwrap_err();
    assert!(other.calls_of("DeregisterTaskDefinition").is_empty());
    // A refusal after the service runs the new revision (its tags) keeps it.
    let running = FakeEcs::new();
    up(&running, &f, WAIT).await.unwrap();
    running.refuse("TagResource", "AccessDeniedException");
    up(&running, &with_image_tag(f, "t2"), WAIT)
        .await
        .unwrap_err();
    assert_eq!(running.calls_of("UpdateService").len(), 2);
    assert!(running.calls_of("DeregisterTaskDefinition").is_empty());
}

#[tokio::test(start_paused = true)]
async fn the_deadline_ends_the_wait_with_exit_3_naming_what_still_deploys() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api", "web"], "v1");
    let ecs = FakeEcs::new();
    ecs.rollout("web--v1", Rollout::Hangs);
    let options = UpOptions {
        timeout: Duration::from_secs(30),
        ..WAIT
    };
    let err = up(&ecs, &f, options).await.unwrap_err();
    assert_eq!(classify(&err).0, ExitKind::TimedOut);
    let text = format!("{err:#}");
    assert!(
        text.contains("timed out after 30s waiting for: web--v1"),
        "{text}"
    );
    assert!(!text.contains("api--v1"), "{text}");
    // 30 s at a 3 s interval: about ten polls, not a busy loop.
    let polls = ecs.calls_of("DescribeServices").len();
    assert!((10..=13).contains(&polls), "{polls}");
}

#[tokio::test(start_paused = true)]
async fn an_interrupt_while_waiting_says_what_is_still_deploying() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api"], "v1");
    let ecs = FakeEcs::new();
    ecs.rollout("api--v1", Rollout::Hangs);
    // Ctrl-C drops the command's future mid-wait, as `lib.rs` does.
    let cut = tokio::time::timeout(Duration::from_secs(20), up(&ecs, &f, WAIT)).await;
    assert!(cut.is_err(), "the wait was still going");
    let err = crate::engine::interrupt::error();
    assert_eq!(err.kind, ExitKind::Interrupted);
    assert!(
        err.message.contains("still deploying: api--v1"),
        "{}",
        err.message
    );
    crate::engine::interrupt::clear();
}

#[tokio::test(start_paused = true)]
async fn a_dry_run_plans_without_writing() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api"], "v1");
    let ecs = FakeEcs::new();
    let options = UpOptions {
        dry_run: true,
        ..WAIT
    };
    assert_eq!(up(&ecs, &f, options).await.unwrap(), [Settled::Planned]);
    assert_eq!(ecs.calls().len(), 1, "{:?}", ecs.calls());
}

mod activity;
mod hooks;
mod removal_cases;

mod timing;

#[tokio::test(start_paused = true)]
async fn only_awsvpc_services_get_a_network_configuration() {
    let mut f = fixture(&["api", "web"], "v1");
    f.project.network = Some(crate::config::Network {
        subnets: vec!["subnet-1".into()],
        security_groups: vec![],
        assign_public_ip: false,
    });
    f.services[0].task_definition.network_mode = Some("awsvpc".parse().unwrap());
    f.services[1].task_definition.network_mode = Some("bridge".parse().unwrap());
    let ecs = FakeEcs::new();
    up(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(ecs.sent_network("api--v1"), Some(true));
    assert_eq!(
        ecs.sent_network("web--v1"),
        Some(false),
        "ECS refuses it for bridge"
    );
    // An update too.
    let f = with_image_tag(f, "t2");
    up(&ecs, &f, WAIT).await.unwrap();
    assert_eq!(ecs.calls_of("UpdateService").len(), 2);
    assert_eq!(ecs.sent_network("web--v1"), Some(false));
}
