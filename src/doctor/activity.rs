//! The `activity` check: with `activity:` configured, every Traefik replica's
//! metrics answer with its request counters, and the recorder's heartbeat is
//! no older than `activity.max_gap` (else `prune --idle` refuses).

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
            return failed(
                ID,
                crate::error::chain_text(&err),
                "name Traefik's ECS service in activity.traefik_service, or list its replicas' /metrics under activity.metrics",
            );
        }
    };
    let mut requests = 0u64;
    for replica in &replicas {
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
        replicas.len()
    );
    let fix = "run `dynroute activity record` on a schedule more often than activity.max_gap, or `dynroute serve` (see the Catalog chapter)";
    match activity::heartbeat(services, project) {
        None => failed(ID, format!("{read}; the recorder has never run"), fix),
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
