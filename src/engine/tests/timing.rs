//! `up`'s per-phase timings against the in-memory ECS, under tokio's paused
//! clock: only the poller's ticks take time, so every phase's duration is exact.

use std::time::Duration;

use super::*;
use crate::engine::timings::Mark;
use crate::engine::timings::{Stopwatch, Timings};

const TICK: Duration = Duration::from_secs(3);

async fn timed_up(ecs: &FakeEcs, f: &Fixture, options: UpOptions) -> (Timings, Recorder) {
    let watch = Stopwatch::start();
    tokio::time::sleep(Duration::from_millis(40)).await; // stands for validating the inputs
    watch.mark(Mark::Validated);
    let request = UpRequest {
        project: &f.project,
        release: &f.release,
        services: &f.services,
        options,
        ingress: None,
        hooks: None,
    };
    let mut progress = Recorder::default();
    up::run(
        ecs,
        request,
        Poller::new(TICK, options.timeout),
        &mut progress,
        &watch,
    )
    .await
    .unwrap();
    (watch.timings(), progress)
}

fn sum(t: &Timings) -> u64 {
    [
        t.validate_ms,
        t.plan_ms,
        t.register_ms,
        t.create_update_ms,
        t.first_task_running_ms,
        t.steady_state_ms,
        t.routable_ms,
    ]
    .into_iter()
    .flatten()
    .sum()
}

#[tokio::test(start_paused = true)]
async fn each_phase_is_timed_from_the_end_of_the_one_before() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api", "web"], "v1");
    let ecs = FakeEcs::new();
    // api's namesake drains for three DescribeServices (the plan's is the first):
    // its create waits two ticks.
    ecs.add_service("api--v1", ServiceStatus::Draining, &MANAGED);
    ecs.drains_after("api--v1", 3);
    // web's rollout hangs until 20 s, then completes at the next poll (every 3 s).
    ecs.rollout("web--v1", Rollout::Hangs);
    let ((timings, _), ()) = tokio::join!(timed_up(&ecs, &f, WAIT), async {
        tokio::time::sleep(Duration::from_secs(20)).await;
        ecs.rollout("web--v1", Rollout::Completes);
    });
    assert_eq!(timings.validate_ms, Some(40));
    assert_eq!(timings.plan_ms, Some(0));
    assert_eq!(timings.register_ms, Some(0));
    assert_eq!(timings.create_update_ms, Some(6_000));
    // Polls at 6 s (api applied last), 9, …, 18, 21: web completes at 21 s.
    assert_eq!(timings.first_task_running_ms, Some(15_000));
    assert_eq!(timings.steady_state_ms, Some(0));
    assert_eq!(timings.routable_ms, None, "no ingress, no verification");
    assert_eq!(timings.total_ms, Some(sum(&timings)));
    assert_eq!(timings.total_ms, Some(21_040));
}

#[tokio::test(start_paused = true)]
async fn no_wait_stops_after_create_update_and_a_dry_run_after_plan() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api"], "v1");
    let ecs = FakeEcs::new();
    let no_wait = UpOptions {
        wait: false,
        ..WAIT
    };
    let (timings, _) = timed_up(&ecs, &f, no_wait).await;
    assert_eq!(timings.validate_ms, Some(40));
    assert!(timings.register_ms.is_some() && timings.create_update_ms.is_some());
    assert_eq!(
        (
            timings.first_task_running_ms,
            timings.steady_state_ms,
            timings.routable_ms
        ),
        (None, None, None)
    );
    assert_eq!(timings.total_ms, Some(40));

    let dry_run = UpOptions {
        dry_run: true,
        ..WAIT
    };
    let (timings, _) = timed_up(&ecs, &f, dry_run).await;
    assert_eq!((timings.validate_ms, timings.plan_ms), (Some(40), Some(0)));
    assert_eq!(
        (timings.register_ms, timings.create_update_ms),
        (None, None)
    );
    assert_eq!(
        timings.phases().iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        ["validate", "plan", "total"]
    );
}

#[tokio::test(start_paused = true)]
async fn an_update_is_running_once_a_task_of_the_new_revision_runs() {
    let _serial = SERIAL.lock().await;
    let f = fixture(&["api"], "v1");
    let ecs = FakeEcs::new();
    up(&ecs, &f, WAIT).await.unwrap();
    let f = super::with_image_tag(f, "t2");
    // The old revision's task runs throughout; the new one's only when it completes.
    ecs.rollout("api--v1", Rollout::Hangs);
    let ((timings, progress), ()) = tokio::join!(timed_up(&ecs, &f, WAIT), async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        ecs.rollout("api--v1", Rollout::Completes);
    });
    assert_eq!(ecs.calls_of("UpdateService").len(), 1);
    assert_eq!(
        timings.first_task_running_ms,
        Some(6_000),
        "{:?}",
        progress.lines
    );
    assert_eq!(timings.steady_state_ms, Some(0));
}
