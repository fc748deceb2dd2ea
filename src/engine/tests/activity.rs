//! The activity recorder on the fake ECS: growth moves a service's last
//! request, a replica's restart is not negative traffic, a recent request is
//! not written again, a replica that cannot be read holds the heartbeat back,
//! only the project's managed services are tagged; and `prune --idle`'s plan.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::*;
use crate::ecs::Ecs as _;
use crate::engine::activity::recorder::{self, MetricsReader, Recording};
use crate::engine::activity::{self, Replica};
use crate::engine::scope::Scope;
use crate::naming::tags;

const A: &str = "http://127.0.0.1:9001/metrics";
const B: &str = "http://127.0.0.1:9002/metrics";

/// Each URL's metrics text, or the error reading it gives.
#[derive(Default)]
struct Scripted(Mutex<BTreeMap<String, Result<String, String>>>);

impl Scripted {
    fn set(&self, url: &str, counts: &[(&str, u64)]) {
        let mut text = String::from("traefik_config_reloads_total 1\n");
        for (service, n) in counts {
            // Two series per service: the counter is summed over them.
            let first = n / 2;
            text.push_str(&format!(
                "traefik_service_requests_total{{code=\"200\",method=\"GET\",protocol=\"http\",service=\"{service}@ecs\"}} {first}\n\
                 traefik_service_requests_total{{code=\"404\",method=\"GET\",protocol=\"http\",service=\"{service}@ecs\"}} {}\n",
                n - first
            ));
        }
        self.0.lock().unwrap().insert(url.to_owned(), Ok(text));
    }

    fn down(&self, url: &str) {
        (self.0.lock().unwrap()).insert(url.to_owned(), Err("connection refused".into()));
    }
}

#[async_trait]
impl MetricsReader for Scripted {
    async fn read(&self, url: &str) -> anyhow::Result<String> {
        match self.0.lock().unwrap().get(url) {
            Some(Ok(text)) => Ok(text.clone()),
            Some(Err(e)) => Err(anyhow::anyhow!("{e}")),
            None => Err(anyhow::anyhow!("no such replica")),
        }
    }
}

fn managed(service: &str, version: &str, project: &str) -> Vec<(String, String)> {
    [
        ("dynroute:managed", "true"),
        ("dynroute:service", service),
        ("dynroute:version", version),
        ("dynroute:project", project),
        ("dynroute:created-at", "2026-12-01T00:00:00Z"),
        ("dynroute:updated-at", "2026-12-01T00:00:00Z"),
        ("dynroute:expires-at", "never"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

fn add(ecs: &FakeEcs, service: &str, version: &str, project: &str) {
    let tags = managed(service, version, project);
    let pairs: Vec<(&str, &str)> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ecs.add_service(
        &format!("{service}--{version}"),
        ServiceStatus::Active,
        &pairs,
    );
}

fn at(minutes: i64) -> Timestamp {
    "2026-12-06T10:00:00Z".parse::<Timestamp>().unwrap() + jiff::SignedDuration::from_mins(minutes)
}

async fn record(ecs: &FakeEcs, f: &Fixture, reader: &Scripted, minutes: i64) -> Recording {
    let services = ecs.all_services().await.unwrap();
    let activity = f.project.activity.as_ref().unwrap();
    recorder::record(ecs, reader, &f.project, activity, &services, at(minutes))
        .await
        .unwrap()
}

fn tag(ecs: &FakeEcs, service: &str, key: &str) -> Option<String> {
    ecs.service(service).unwrap().tags.get(key).cloned()
}

fn fixture_with_activity() -> Fixture {
    fixture_with(
        &["api"],
        "main",
        TEMPLATE,
        &format!("activity:\n  metrics: [{A}, {B}]\n  every: 1m\n  max_gap: 10m\n"),
    )
}

#[tokio::test]
async fn growth_resets_and_failures_as_the_recorder_sees_them() {
    let f = fixture_with_activity();
    let ecs = FakeEcs::new();
    add(&ecs, "api", "main", "shop");
    add(&ecs, "api", "feature-1", "shop");
    add(&ecs, "api", "feature-2", "shop");
    add(&ecs, "api", "other", "elsewhere");
    ecs.add_service("legacy", ServiceStatus::Active, &[]);
    let reader = Scripted::default();
    let (a, b) = (Replica::new(A).key, Replica::new(B).key);

    // Minute 0: requests to main and feature-1 (and to another project's service).
    reader.set(
        A,
        &[("api--main", 5), ("api--feature-1", 3), ("api--other", 9)],
    );
    reader.set(B, &[("api--feature-1", 4)]);
    let r = record(&ecs, &f, &reader, 0).await;
    assert_eq!(r.requested, ["api--feature-1", "api--main"]);
    assert_eq!(
        tag(&ecs, "api--feature-1", tags::LAST_REQUEST).as_deref(),
        Some("2026-12-06T10:00:00Z")
    );
    let stored = crate::engine::activity::counters::parse_tag(
        &tag(&ecs, "api--feature-1", tags::REQUESTS).unwrap(),
    );
    assert_eq!(stored, BTreeMap::from([(a.clone(), 3), (b.clone(), 4)]));
    assert_eq!(tag(&ecs, "api--feature-2", tags::LAST_REQUEST), None);
    assert_eq!(r.holder.as_deref(), Some("api--main"));
    let beat = tag(&ecs, "api--main", tags::ACTIVITY).unwrap();
    assert!(
        beat.starts_with("since=2026-12-06T10:00:00Z last=2026-12-06T10:00:00Z replicas="),
        "{beat}"
    );
    // Only the project's managed services are ever tagged.
    let tagged = ecs.calls_of("TagResource");
    assert!(
        tagged
            .iter()
            .all(|c| !c.contains("api--other") && !c.contains("legacy")),
        "{tagged:?}"
    );

    // Minute 10: replica B restarted and counted one request for feature-1.
    // The sum went down (7 to 4); that is a restart plus traffic, not idleness.
    reader.set(A, &[("api--main", 5), ("api--feature-1", 3)]);
    reader.set(B, &[("api--feature-1", 1)]);
    let r = record(&ecs, &f, &reader, 10).await;
    assert_eq!(r.requested, ["api--feature-1"]);
    assert_eq!(
        tag(&ecs, "api--feature-1", tags::LAST_REQUEST).as_deref(),
        Some("2026-12-06T10:10:00Z")
    );
    assert_eq!(
        tag(&ecs, "api--main", tags::LAST_REQUEST).as_deref(),
        Some("2026-12-06T10:00:00Z")
    );

    // Minute 20: B restarted again with no request since: a reset, written,
    // the last request unchanged.
    reader.set(B, &[]);
    let r = record(&ecs, &f, &reader, 20).await;
    assert_eq!(
        (r.requested.len(), r.resets.as_slice()),
        (0, ["api--feature-1".to_owned()].as_slice())
    );
    assert_eq!(
        tag(&ecs, "api--feature-1", tags::LAST_REQUEST).as_deref(),
        Some("2026-12-06T10:10:00Z")
    );
    assert!(
        tag(&ecs, "api--feature-1", tags::REQUESTS)
            .unwrap()
            .contains(&format!("{b}=0"))
    );

    // Minute 22 and 23: requests again; the second is within the tag's resolution.
    reader.set(A, &[("api--main", 5), ("api--feature-1", 4)]);
    let r = record(&ecs, &f, &reader, 22).await;
    assert_eq!(r.requested, ["api--feature-1"]);
    let writes = ecs.calls_of("TagResource").len();
    reader.set(A, &[("api--main", 5), ("api--feature-1", 5)]);
    let r = record(&ecs, &f, &reader, 23).await;
    assert_eq!(
        (r.requested.len(), r.recent.as_slice()),
        (0, ["api--feature-1".to_owned()].as_slice())
    );
    assert_eq!(
        ecs.calls_of("TagResource").len(),
        writes + 1,
        "only the heartbeat"
    );

    // Minute 24: replica B cannot be read: A's growth is still recorded,
    // the heartbeat does not move.
    reader.set(A, &[("api--main", 6), ("api--feature-1", 5)]);
    reader.down(B);
    let r = record(&ecs, &f, &reader, 24).await;
    assert_eq!(r.failed().count(), 1);
    assert!(r.heartbeat.is_none());
    assert_eq!(
        tag(&ecs, "api--main", tags::LAST_REQUEST).as_deref(),
        Some("2026-12-06T10:24:00Z")
    );
    let beat = tag(&ecs, "api--main", tags::ACTIVITY).unwrap();
    assert!(beat.contains("last=2026-12-06T10:23:00Z"), "{beat}");
    // B's count is kept as it was while it is not read.
    assert!(
        tag(&ecs, "api--main", tags::REQUESTS)
            .unwrap()
            .contains(&format!("{b}=0"))
    );

    // Minute 40: back after a pause longer than max_gap (10m): a new run, the gap kept.
    reader.set(B, &[]);
    let r = record(&ecs, &f, &reader, 40).await;
    let beat = r.heartbeat.unwrap();
    assert_eq!(beat.since, at(40));
    assert_eq!(beat.gap.map(|g| (g.from, g.to)), Some((at(23), at(40))));
}

#[tokio::test]
async fn the_heartbeat_needs_a_protected_service_to_live_on() {
    let f = fixture_with_activity();
    let ecs = FakeEcs::new();
    add(&ecs, "api", "feature-1", "shop");
    let reader = Scripted::default();
    reader.set(A, &[("api--feature-1", 1)]);
    reader.set(B, &[]);
    let services = ecs.all_services().await.unwrap();
    let err = recorder::record(
        &ecs,
        &reader,
        &f.project,
        f.project.activity.as_ref().unwrap(),
        &services,
        at(0),
    )
    .await
    .unwrap_err();
    assert!(
        format!("{err:#}").contains("no live service of a protected version of project shop"),
        "{err:#}"
    );
    // The requests were recorded all the same.
    assert_eq!(
        tag(&ecs, "api--feature-1", tags::LAST_REQUEST).as_deref(),
        Some("2026-12-06T10:00:00Z")
    );
}

#[tokio::test]
async fn prune_idle_plans_only_unused_unprotected_versions() {
    let f = fixture_with_activity();
    let ecs = FakeEcs::new();
    for v in ["main", "feature-used", "feature-idle", "feature-never"] {
        add(&ecs, "api", v, "shop");
    }
    let set = |service: &str, key: &str, value: &str| {
        let svc = ecs.service(service).unwrap();
        futures::executor::block_on(
            ecs.tag_resource(&svc.arn, &[(key.to_owned(), value.to_owned())]),
        )
        .unwrap();
    };
    set(
        "api--feature-used",
        tags::LAST_REQUEST,
        "2026-12-06T09:00:00Z",
    );
    set(
        "api--feature-idle",
        tags::LAST_REQUEST,
        "2026-12-03T09:00:00Z",
    );
    set("api--main", tags::LAST_REQUEST, "2026-12-01T09:00:00Z");
    let now = at(0);
    let views = inventory::list(
        &ecs,
        &f.project,
        &Scope::new(&f.project.project, false),
        now,
    )
    .await
    .unwrap();
    let window = Duration::from_secs(2 * 86_400);
    let scope = Scope::new(&f.project.project, false);
    let (removal, chosen) = removal::plan_prune(&views, &scope, Some((now, window)));
    let names: Vec<&str> = chosen.iter().map(|v| v.version.as_str()).collect();
    // Used yesterday: kept; idle three days and never used since its deployment
    // five days ago: removed; main (protected) never.
    assert_eq!(names, ["feature-idle", "feature-never"]);
    assert_eq!(removal.delete, ["api--feature-idle", "api--feature-never"]);
    // Without --idle only expired versions go (none here).
    assert!(removal::plan_prune(&views, &scope, None).1.is_empty());

    // The heartbeat decides whether the plan may run at all.
    let states: Vec<_> = views.iter().flat_map(|v| v.states.clone()).collect();
    let expected = activity::expected_keys(f.project.activity.as_ref().unwrap());
    let watched = |beat: &str| {
        set("api--main", tags::ACTIVITY, beat);
        let states = futures::executor::block_on(ecs.all_services()).unwrap();
        activity::idle::watched(
            activity::heartbeat(&states, &f.project).as_ref(),
            now,
            window,
            Duration::from_secs(600),
            &expected,
        )
    };
    assert_eq!(activity::heartbeat(&states, &f.project), None);
    let keys = {
        let mut k = expected.clone();
        k.sort();
        k.join("+")
    };
    assert_eq!(
        watched(&format!(
            "since=2026-12-01T00:00:00Z last=2026-12-06T09:55:00Z replicas={keys}"
        )),
        Ok(())
    );
    let refused = watched(&format!("since=2026-12-05T00:00:00Z last=2026-12-06T09:55:00Z replicas={keys} gap=2026-12-04T20:00:00Z/2026-12-05T00:00:00Z")).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "the recorder was not running from 2026-12-04T20:00:00Z to 2026-12-05T00:00:00Z"
    );
    let one_replica =
        watched("since=2026-12-01T00:00:00Z last=2026-12-06T09:55:00Z replicas=00000000")
            .unwrap_err();
    assert!(
        one_replica
            .to_string()
            .contains("did not read Traefik replica"),
        "{one_replica}"
    );
}

#[tokio::test]
async fn replicas_found_through_ecs_are_all_read_or_none() {
    let ecs = FakeEcs::new();
    ecs.add_service("dynroute-traefik", ServiceStatus::Active, &[]);
    let settings = crate::config::Activity {
        replicas: crate::config::activity::Replicas::Ecs {
            service: "dynroute-traefik".into(),
            port: 8080,
            path: "/metrics".into(),
        },
        every: Duration::from_secs(60),
        max_gap: Duration::from_secs(1800),
    };
    ecs.scale("dynroute-traefik", 2);
    let found = activity::replicas(&ecs, &settings).await.unwrap();
    let urls: Vec<&str> = found.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "http://127.0.0.1:8080/metrics",
            "http://127.0.0.2:8080/metrics"
        ]
    );
    // Eleven tasks: one would go unread and hide its requests, so none is.
    ecs.scale("dynroute-traefik", 11);
    let err = activity::replicas(&ecs, &settings).await.unwrap_err();
    assert!(
        format!("{err:#}").contains("11 running tasks, more than the 10 replicas"),
        "{err:#}"
    );
    // A task being stopped (a rollout) is read while it answers, after the
    // running ones; one without an address is passed over.
    ecs.scale("dynroute-traefik", 2);
    ecs.stopping_task("dynroute-traefik", true);
    ecs.stopping_task("dynroute-traefik", false);
    let found = activity::replicas(&ecs, &settings).await.unwrap();
    let seen: Vec<(&str, bool)> = found.iter().map(|r| (r.url.as_str(), r.stopping)).collect();
    assert_eq!(
        seen,
        [
            ("http://127.0.0.1:8080/metrics", false),
            ("http://127.0.0.2:8080/metrics", false),
            ("http://127.0.1.1:8080/metrics", true)
        ]
    );
    // Only stopping tasks left: nothing to read.
    ecs.scale("dynroute-traefik", 0);
    let err = activity::replicas(&ecs, &settings).await.unwrap_err();
    assert!(
        format!("{err:#}").contains("no running task with a private address"),
        "{err:#}"
    );
}

#[tokio::test]
async fn a_stopping_replica_may_go_away_a_running_one_without_an_address_may_not() {
    let f = fixture_with(
        &["api"],
        "main",
        TEMPLATE,
        "activity:\n  traefik_service: dynroute-traefik\n",
    );
    let settings = f.project.activity.clone().unwrap();
    let ecs = FakeEcs::new();
    ecs.add_service("dynroute-traefik", ServiceStatus::Active, &[]);
    add(&ecs, "api", "main", "shop");
    let reader = Scripted::default();
    reader.set("http://127.0.0.1:8080/metrics", &[("api--main", 2)]);
    // The stopping replica no longer answers: no failure, the heartbeat moves.
    ecs.stopping_task("dynroute-traefik", true);
    let services = ecs.all_services().await.unwrap();
    let r = recorder::record(&ecs, &reader, &f.project, &settings, &services, at(0))
        .await
        .unwrap();
    assert_eq!(r.failed().count(), 0, "{:?}", r.replicas);
    assert!(r.replicas.iter().any(|x| x.stopping && x.error.is_some()));
    assert_eq!(r.requested, ["api--main"]);
    assert_eq!(r.heartbeat.map(|h| h.replicas.len()), Some(1));
    // A running one without an address would hide its requests: an error.
    ecs.running_without_address("dynroute-traefik");
    let err = activity::replicas(&ecs, &settings).await.unwrap_err();
    assert!(
        format!("{err:#}").contains("task dynroute-traefik-task0 has no private address"),
        "{err:#}"
    );
}

#[tokio::test]
async fn over_the_write_bound_the_stalest_go_first_and_the_heartbeat_waits() {
    let f = fixture_with_activity();
    let ecs = FakeEcs::new();
    add(&ecs, "api", "main", "shop");
    let n = recorder::MAX_WRITES + 1;
    let mut counts = Vec::new();
    for i in 0..n {
        let version = format!("v{i:03}");
        add(&ecs, "api", &version, "shop");
        let name = format!("api--{version}");
        // All but the last were recorded an hour ago; the last never was.
        if i + 1 < n {
            let svc = ecs.service(&name).unwrap();
            let value = tags::rfc3339(at(-60));
            ecs.tag_resource(&svc.arn, &[(tags::LAST_REQUEST.to_owned(), value)])
                .await
                .unwrap();
        }
        counts.push(name);
    }
    let with_counts: Vec<(&str, u64)> = counts.iter().map(|n| (n.as_str(), 1)).collect();
    let reader = Scripted::default();
    reader.set(A, &with_counts);
    reader.set(B, &[]);
    let r = record(&ecs, &f, &reader, 0).await;
    assert_eq!((r.deferred, r.requested.len()), (1, recorder::MAX_WRITES));
    let never = format!("api--v{:03}", n - 1);
    assert!(
        r.requested.contains(&never),
        "the never-recorded one goes first"
    );
    assert!(
        r.heartbeat.is_none(),
        "a write left over holds the heartbeat"
    );
    // The next recording writes the rest and the heartbeat moves.
    let r = record(&ecs, &f, &reader, 1).await;
    assert_eq!((r.deferred, r.requested.len()), (0, 1));
    assert!(r.heartbeat.is_some());
}
