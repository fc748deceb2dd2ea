//! The record of a hook run: what `up`, `down` and `prune` report ([`HookRun`])
//! and what a service keeps of each hook's last run, a tag
//! `dynroute:hook:{phase}:{n}` = `exit=0 task=… at=…` read back by `status`
//! and `ls` ([`HookRecord`]).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::TAG_PREFIX;
use crate::config::{Phase, Project};
use crate::naming::{ServiceName, tags};

/// How a hook ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HookStatus {
    /// Dry run: it would run.
    Planned,
    Succeeded,
    Failed,
}

/// One hook run (or, in a dry run, one that would run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookRun {
    pub phase: Phase,
    /// 1-based position in its phase's list.
    pub index: usize,
    pub service: ServiceName,
    pub command: Vec<String>,
    pub status: HookStatus,
    /// The task ID.
    pub task: Option<String>,
    pub exit_code: Option<i32>,
    /// Why the task stopped without its command's exit code, or why it did not start.
    pub stopped_reason: Option<String>,
    #[serde(serialize_with = "tags::serialize_time")]
    pub at: Option<Timestamp>,
    /// The task's last log lines, when it failed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_tail: Vec<String>,
}

impl HookRun {
    /// `on_create #1 (api)`.
    pub fn label(&self) -> String {
        format!("{} #{} ({})", self.phase, self.index, self.service)
    }

    /// `exit 0`, `exit 1`, or the stop reason.
    pub fn result(&self) -> String {
        match (self.status, self.exit_code, &self.stopped_reason) {
            (HookStatus::Planned, ..) => "would run".to_owned(),
            (_, Some(code), _) => format!("exit {code}"),
            (_, None, Some(reason)) => reason.clone(),
            (_, None, None) => "stopped".to_owned(),
        }
    }

    /// The tag that keeps this run on the service.
    pub fn tag(&self) -> (String, String) {
        let exit = self
            .exit_code
            .map_or_else(|| "none".to_owned(), |c| c.to_string());
        let at = self.at.map(tags::rfc3339).unwrap_or_default();
        (
            format!("{TAG_PREFIX}{}:{}", self.phase, self.index),
            format!(
                "exit={exit} task={} at={at}",
                self.task.as_deref().unwrap_or("none")
            ),
        )
    }
}

/// A hook's last run as its service's tag keeps it, for `status` and `ls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookRecord {
    pub phase: Phase,
    pub index: usize,
    pub task: Option<String>,
    pub exit_code: Option<i32>,
    #[serde(serialize_with = "tags::serialize_time")]
    pub at: Option<Timestamp>,
}

impl HookRecord {
    /// `before_up #1: exit 0, task 0123abcd, 2026-12-06T12:00:00Z`.
    pub fn summary(&self) -> String {
        format!(
            "{} #{}: {}, task {}, {}",
            self.phase,
            self.index,
            self.exit_code
                .map_or_else(|| "no exit code".to_owned(), |c| format!("exit {c}")),
            self.task.as_deref().unwrap_or("-"),
            self.at.map(tags::rfc3339).unwrap_or_else(|| "-".into())
        )
    }
}

/// The hook records among a service's tags, by phase and position.
pub fn records(service_tags: &BTreeMap<String, String>) -> Vec<HookRecord> {
    let mut found: Vec<HookRecord> = service_tags
        .iter()
        .filter_map(|(key, value)| {
            let (phase, index) = key.strip_prefix(TAG_PREFIX)?.split_once(':')?;
            let mut record = HookRecord {
                phase: Phase::parse(phase)?,
                index: index.parse().ok()?,
                task: None,
                exit_code: None,
                at: None,
            };
            for part in value.split(' ') {
                match part.split_once('=') {
                    Some(("exit", code)) => record.exit_code = code.parse().ok(),
                    Some(("task", id)) if id != "none" => record.task = Some(id.to_owned()),
                    Some(("at", at)) => record.at = at.parse().ok(),
                    _ => {}
                }
            }
            Some(record)
        })
        .collect();
    found.sort_by_key(|r| (r.phase, r.index));
    found
}

/// Whether a hook tag is one the project still declares for `service` (the
/// others are stale once the hook is removed from `dynroute.yaml`).
pub fn is_declared_tag(project: &Project, service: &ServiceName, key: &str) -> bool {
    let Some((phase, index)) = key
        .strip_prefix(TAG_PREFIX)
        .and_then(|rest| rest.split_once(':'))
    else {
        return false;
    };
    let (Some(phase), Ok(index)) = (Phase::parse(phase), index.parse::<usize>()) else {
        return false;
    };
    project.hooks.of(phase, service).any(|h| h.index == index)
}

/// The record of `after_down` hooks that failed, on the revision they keep.
pub fn pending_value(run: &HookRun) -> String {
    let (_, value) = run.tag();
    format!("{}.{} {value}", run.phase, run.index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::hooks::CLEANUP_PENDING;

    #[test]
    fn a_run_s_tag_reads_back_as_its_record() {
        let run = HookRun {
            phase: Phase::BeforeUp,
            index: 2,
            service: "api".parse().unwrap(),
            command: vec!["bin/db".into(), "migrate".into()],
            status: HookStatus::Failed,
            task: Some("0123abcd".into()),
            exit_code: Some(3),
            stopped_reason: None,
            at: Some("2026-12-06T12:00:00Z".parse().unwrap()),
            log_tail: vec![],
        };
        let (key, value) = run.tag();
        assert_eq!(key, "dynroute:hook:before_up:2");
        assert_eq!(value, "exit=3 task=0123abcd at=2026-12-06T12:00:00Z");
        crate::taskdef::ecs_rules::tag_ok(&key, &value).unwrap();
        crate::taskdef::ecs_rules::tag_ok(CLEANUP_PENDING, &pending_value(&run)).unwrap();
        let tags = BTreeMap::from([
            (key, value),
            (
                "dynroute:hook:on_create:1".into(),
                "exit=none task=none at=".into(),
            ),
            ("dynroute:hook:nonsense:1".into(), "exit=0".into()),
            ("dynroute:version".into(), "v1".into()),
        ]);
        let found = records(&tags);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].phase, Phase::OnCreate);
        assert_eq!((found[0].exit_code, found[0].task.as_deref()), (None, None));
        assert_eq!(
            (found[1].index, found[1].exit_code, found[1].task.as_deref()),
            (2, Some(3), Some("0123abcd"))
        );
        assert_eq!(run.result(), "exit 3");
        assert_eq!(run.label(), "before_up #2 (api)");
    }
}
