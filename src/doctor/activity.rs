//! The `activity` check: with `activity:` configured, every Traefik replica's
//! metrics answer with its request counters, and the recorder's heartbeat is
//! no older than `activity.max_gap` (else `prune --idle` refuses).

use std::time::Duration;

use jiff::Timestamp;

use super::{Finding, failed, ok, skipped};
use crate::config::Project;
use crate::ecs::{Ecs, ServiceState};
use crate::engine::activity::heartbeat::elapsed;
use crate::engine::activity::recorder::MetricsReader;
use crate::engine::activity::{self, counters};
use crate::naming::tags::rfc3339;

const ID: &str = "activity";

pub(super) async fn check(
    project: &Project,
    ecs: Option<&dyn Ecs>,
    reader: &dyn MetricsReader,
    services: Option<&[ServiceState]>,
    now: Timestamp,
) -> Finding {
    let Some(settings) = &project.activity else {
        return skipped(
            ID,
            "no `activity:` in dynroute.yaml (nothing records which versions are used)",
        );
    };
    let (Some(ecs), Some(services)) = (ecs, services) else {
        return skipped(ID, "no cluster to look in");
    };
    let replicas = match activity::replicas(ecs, settings).await {
        Ok(replicas) => replicas,
        Err(err) => {
            // The error's own hint names its fix (too many tasks, no address, none running).
            let (_, hint) = crate::error::classify(&err);
            return failed(
                ID,
                crate::error::chain_text(&err),
                hint.unwrap_or("name Traefik's ECS service in activity.traefik_service, or list its replicas' /metrics under activity.metrics"),
            );
        }
    };
    let mut requests = 0u64;
    for replica in replicas.iter().filter(|r| !r.stopping) {
        let counted = match reader.read(&replica.url).await {
            Ok(text) => counters::parse(&text),
            Err(err) => Err(crate::error::chain_text(&err)),
        };
        match counted {
            Ok(counts) => requests += counts.values().sum::<u64>(),
            Err(err) => {
                return failed(
                    ID,
                    format!("cannot read Traefik's metrics at {}: {err}", replica.url),
                    "run Traefik with --metrics.prometheus=true and let the recorder reach its port (the platform kit: ActivityRecorderSecurityGroupId)",
                );
            }
        }
    }
    let read = format!(
        "{} Traefik replica(s) read ({requests} requests counted)",
        replicas.iter().filter(|r| !r.stopping).count()
    );
    let fix = "run `dynroute activity record` on a schedule more often than activity.max_gap, or `dynroute serve` (see the Catalog chapter)";
    match activity::heartbeat(services, project) {
        None => failed(ID, format!("{read}; the recorder has never run"), fix),
        Some(beat) if beat.last > now && elapsed(now, beat.last) > Duration::from_secs(60) => {
            failed(
                ID,
                format!(
                    "{read}; the recorder's last recording is dated {}, later than now",
                    rfc3339(beat.last)
                ),
                "a clock is wrong: check the time of the machine or task that records (NTP)",
            )
        }
        Some(beat) if beat.last <= now && elapsed(beat.last, now) > settings.max_gap => failed(
            ID,
            format!(
                "{read}; the recorder last recorded at {}, longer ago than activity.max_gap ({})",
                rfc3339(beat.last),
                humantime::format_duration(settings.max_gap)
            ),
            fix,
        ),
        Some(beat) => ok(
            ID,
            format!(
                "{read}; recording without a gap since {}, last at {}",
                rfc3339(beat.since),
                rfc3339(beat.last)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::ServiceStatus;
    use crate::ecs::fake::FakeEcs;
    use crate::engine::activity::Replica;
    use crate::error::UserError;

    const URL: &str = "http://127.0.0.1:9100/metrics";

    struct Answers(Option<String>);

    #[async_trait::async_trait]
    impl MetricsReader for Answers {
        async fn read(&self, _url: &str) -> anyhow::Result<String> {
            self.0
                .clone()
                .ok_or_else(|| UserError::usage("connection refused").into())
        }
    }

    fn project(activity: &str) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("t.yaml"),
            "containerDefinitions:\n  - name: api\n    image: repo/api:1\n",
        )
        .unwrap();
        let config = format!(
            "project: shop\ncluster: dev\ndomain: dev.test\n{activity}services:\n  api:\n    template: t.yaml\n    port: 8080\n"
        );
        std::fs::write(dir.path().join("dynroute.yaml"), config).unwrap();
        let project = crate::config::load(
            &dir.path().join("dynroute.yaml"),
            &crate::config::Overrides::default(),
        )
        .unwrap();
        (dir, project)
    }

    fn t(s: &str) -> Timestamp {
        format!("2026-12-06T{s}:00Z").parse().unwrap()
    }

    #[tokio::test]
    async fn the_activity_check_reads_the_replicas_and_judges_the_heartbeat() {
        let traefik = Answers(Some(
            "traefik_service_requests_total{service=\"api--main@ecs\"} 7\n".into(),
        ));
        let ecs = FakeEcs::new();
        let main = |beat: &str| {
            let mut tags = vec![
                ("dynroute:managed", "true"),
                ("dynroute:project", "shop"),
                ("dynroute:version", "main"),
            ];
            if !beat.is_empty() {
                tags.push(("dynroute:activity", beat));
            }
            ecs.add_service("api--main", ServiceStatus::Active, &tags);
            futures::executor::block_on(ecs.all_services()).unwrap()
        };
        let (_d, none) = project("");
        let f = check(&none, Some(&ecs), &traefik, Some(&main("")), t("12:00")).await;
        assert_eq!(f.status, super::super::Status::Skipped, "{f:?}");

        let (_d, p) = project(&format!("activity:\n  metrics: [{URL}]\n"));
        let never = check(&p, Some(&ecs), &traefik, Some(&main("")), t("12:00")).await;
        assert!(
            never.found.contains(
                "1 Traefik replica(s) read (7 requests counted); the recorder has never run"
            ),
            "{never:?}"
        );
        let key = Replica::new(URL).key;
        let beat = format!("since=2026-12-06T08:00:00Z last=2026-12-06T11:50:00Z replicas={key}");
        let fresh = check(&p, Some(&ecs), &traefik, Some(&main(&beat)), t("12:00")).await;
        assert_eq!(fresh.status, super::super::Status::Ok, "{fresh:?}");
        let stale = check(&p, Some(&ecs), &traefik, Some(&main(&beat)), t("13:00")).await;
        assert!(
            stale
                .found
                .contains("longer ago than activity.max_gap (30m)"),
            "{stale:?}"
        );
        let ahead = check(&p, Some(&ecs), &traefik, Some(&main(&beat)), t("10:00")).await;
        assert!(ahead.found.contains("later than now"), "{ahead:?}");
        let down = check(
            &p,
            Some(&ecs),
            &Answers(None),
            Some(&main(&beat)),
            t("12:00"),
        )
        .await;
        assert!(
            down.found
                .contains(&format!("cannot read Traefik's metrics at {URL}")),
            "{down:?}"
        );
    }
}
