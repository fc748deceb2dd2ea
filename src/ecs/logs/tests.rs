use serde_json::json;

use super::*;

fn event(id: &str, stream: &str, timestamp: i64) -> (String, LogEvent) {
    (
        "api".to_owned(),
        LogEvent {
            event_id: id.to_owned(),
            stream: stream.to_owned(),
            timestamp,
            message: format!("line {id}"),
        },
    )
}

#[test]
fn awslogs_containers_are_sources_and_the_others_say_which_driver_they_use() {
    let doc = json!({"taskDefinition": {"containerDefinitions": [
        {"name": "api", "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/dev/api", "awslogs-stream-prefix": "feature-1"}}},
        {"name": "envoy", "logConfiguration": {"logDriver": "splunk", "options": {}}},
        {"name": "init"},
        {"name": "old", "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g", "awslogs-region": "eu-west-1"}}}
    ]}});
    let (sources, missing) = sources_of(&doc, "us-east-1");
    assert_eq!(
        sources,
        [LogSource {
            container: "api".into(),
            group: "/ecs/dev/api".into(),
            region: "us-east-1".into(),
            stream_prefix: "feature-1".into(),
        }]
    );
    assert_eq!(sources[0].stream("0a1b"), "feature-1/api/0a1b");
    let why: Vec<(&str, &str)> = missing
        .iter()
        .map(|m| (m.container.as_str(), m.why.as_str()))
        .collect();
    assert_eq!(
        why[0],
        ("envoy", "it logs with the `splunk` log driver, not awslogs")
    );
    assert!(why[1].1.contains("no logConfiguration"), "{why:?}");
    assert!(why[2].1.contains("awslogs-stream-prefix"), "{why:?}");
}

#[test]
fn events_are_interleaved_by_time_and_a_poll_from_the_last_timestamp_repeats_nothing() {
    let mut seen = Seen::default();
    let first = seen.fresh(vec![
        event("b", "s2", 20),
        event("a", "s1", 10),
        event("c", "s1", 20),
    ]);
    let ids: Vec<&str> = first.iter().map(|(_, e)| e.event_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    // The next poll starts at 20 again: b and c are not shown twice, d is new.
    let next = seen.fresh(vec![
        event("b", "s2", 20),
        event("c", "s1", 20),
        event("d", "s1", 20),
        event("e", "s2", 31),
    ]);
    let ids: Vec<&str> = next.iter().map(|(_, e)| e.event_id.as_str()).collect();
    assert_eq!(ids, ["d", "e"]);
    assert_eq!(seen.last, Some(31));
    assert!(seen.fresh(vec![event("a", "s1", 10)]).is_empty());
}

#[test]
fn since_takes_durations_and_times_and_refuses_the_rest() {
    let now: jiff::Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
    assert_eq!(
        Since::parse("10m").unwrap().start_ms(now),
        now.as_millisecond() - 600_000
    );
    assert_eq!(
        Since::parse("2026-12-01T09:00:00Z").unwrap().start_ms(now),
        now.as_millisecond() - 3_600_000
    );
    let err = Since::parse("yesterday").unwrap_err();
    assert!(err.contains("expected a duration such as 10m"), "{err}");
    assert!(Since::parse("0s").is_err());
}
