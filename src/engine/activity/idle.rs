//! `prune --idle`'s rule (pure): a version is idle when none of its services
//! had a request for the window — counted from the later of its last request
//! (plus the tag's resolution) and its last deployment, so a version nobody
//! ever used counts from when it was deployed — and it is neither protected
//! nor main's baseline. The whole decision stands only when the heartbeat
//! covers the window.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use super::heartbeat::elapsed;
use super::{Heartbeat, RESOLUTION, Uncovered};
use crate::config::Project;
use crate::config::activity::Activity;
use crate::ecs::ServiceState;
use crate::engine::inventory::VersionView;
use crate::error::{ExitKind, UserError};
use crate::naming::tags::serialize_time;

/// Why a version counts as idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Idle {
    /// Its last request, if it ever had one.
    #[serde(serialize_with = "serialize_time")]
    pub last_request: Option<Timestamp>,
    /// Its last deployment.
    #[serde(serialize_with = "serialize_time")]
    pub deployed_at: Option<Timestamp>,
}

impl Idle {
    /// `no request since …` / `never requested since its deployment at …`.
    pub fn describe(&self) -> String {
        use crate::naming::tags::rfc3339;
        match (self.last_request, self.deployed_at) {
            (Some(at), _) => format!("no request since {}", rfc3339(at)),
            (None, Some(at)) => format!("no request since its deployment at {}", rfc3339(at)),
            (None, None) => "no request recorded".to_owned(),
        }
    }
}

/// The latest request to any of the version's services.
pub fn version_last_request(view: &VersionView) -> Option<Timestamp> {
    view.states
        .iter()
        .filter_map(ServiceState::last_request)
        .max()
}

/// Whether `view` had no request for `window` at `now`. Only a version
/// whose every service is a managed one of `project` can be: the recorder
/// tags nothing else, so anything else would look unused whatever its traffic
/// (a service deployed before project tags gets its tag at its next `up`).
pub fn idle(view: &VersionView, project: &str, now: Timestamp, window: Duration) -> Option<Idle> {
    if view.protected || view.services.iter().any(|s| s.baseline.is_some()) {
        return None;
    }
    let recorded =
        |s: &ServiceState| s.is_managed() && s.tag(crate::naming::tags::PROJECT) == Some(project);
    if view.states.is_empty() || !view.states.iter().all(recorded) {
        return None;
    }
    let last_request = version_last_request(view);
    let deployed_at = view.updated_at.or(view.created_at);
    // The tag may lag the last request by up to its resolution.
    // A tag at the end of time (hand-written) is a request that never ends.
    let lagging = |t: Timestamp| t.checked_add(RESOLUTION).unwrap_or(Timestamp::MAX);
    let active_until = [last_request.map(lagging), deployed_at]
        .into_iter()
        .flatten()
        .max()?;
    (active_until <= now && elapsed(active_until, now) >= window).then_some(Idle {
        last_request,
        deployed_at,
    })
}

/// `prune --idle window`'s gate: the project's heartbeat (read from `views`)
/// must cover the window at `now`, else the error names the gap and the fix.
pub fn gate(
    views: &[VersionView],
    project: &Project,
    activity: &Activity,
    now: Timestamp,
    window: Duration,
) -> Result<(), UserError> {
    let beat = super::heartbeat(views.iter().flat_map(|v| &v.states), project);
    let expected = super::expected_keys(activity);
    watched(beat.as_ref(), now, window, activity.max_gap, &expected).map_err(|uncovered| {
        UserError::new(
            ExitKind::Failure,
            format!(
                "prune --idle {} refused: {uncovered}, so a version without recorded requests may still be in use",
                humantime::format_duration(window)
            ),
        )
        .hint(format!(
            "keep `dynroute activity record` (or `dynroute serve`) running at least every {}; `--idle` works once it has watched the whole window. `dynroute prune` without --idle removes only expired versions",
            humantime::format_duration(activity.max_gap)
        ))
    })
}

/// Whether the heartbeat lets `prune --idle window` decide at `now`.
pub fn watched(
    heartbeat: Option<&Heartbeat>,
    now: Timestamp,
    window: Duration,
    max_gap: Duration,
    expected: &[String],
) -> Result<(), Uncovered> {
    heartbeat
        .ok_or(Uncovered::Never)?
        .covers(now, window, max_gap, expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::inventory::{ServicePhase, ServiceView, VersionStatus};
    use crate::naming::tags;

    const HOUR: Duration = Duration::from_secs(3600);

    fn t(s: &str) -> Timestamp {
        format!("2026-12-{s}:00Z").parse().unwrap()
    }

    fn view(version: &str, deployed: &str, last: Option<&str>, protected: bool) -> VersionView {
        let mut state = ServiceState::fixture(&format!("api--{version}"));
        state.tags.insert(tags::MANAGED.into(), "true".into());
        state.tags.insert(tags::PROJECT.into(), "shop".into());
        if let Some(last) = last {
            state
                .tags
                .insert(tags::LAST_REQUEST.into(), tags::rfc3339(t(last)));
        }
        VersionView {
            version: version.parse().unwrap(),
            status: VersionStatus::Running {
                running: 1,
                desired: 1,
            },
            owner: None,
            created_at: Some(t("01T00:00")),
            updated_at: Some(t(deployed)),
            expires_at: None,
            expired: false,
            protected,
            image_tag: None,
            projects: vec![],
            pr: None,
            repo: None,
            last_request: None,
            services: vec![ServiceView {
                service: "api".parse().unwrap(),
                project: None,
                ecs_service: state.name.clone(),
                status: ServicePhase::Running,
                running: 1,
                desired: 1,
                rollout_state: None,
                task_definition: String::new(),
                baseline: None,
                hooks: vec![],
                last_request: None,
            }],
            states: vec![state],
        }
    }

    #[test]
    fn idle_counts_from_the_last_request_or_the_deployment() {
        let now = t("06T12:00");
        // Used two days ago: idle for a day's window, not for three.
        let used = view("feature-1", "01T10:00", Some("04T12:00"), false);
        assert!(idle(&used, "shop", now, 24 * HOUR).is_some());
        assert!(idle(&used, "shop", now, 72 * HOUR).is_none());
        // Never used, deployed this morning: not idle for a day.
        let fresh = view("feature-2", "06T08:00", None, false);
        assert!(idle(&fresh, "shop", now, 24 * HOUR).is_none());
        let old = view("feature-3", "03T08:00", None, false);
        let why = idle(&old, "shop", now, 24 * HOUR).unwrap();
        assert_eq!(
            why.describe(),
            "no request since its deployment at 2026-12-03T08:00:00Z"
        );
        // Redeployed after its last request: counts from the deployment.
        let redeployed = view("feature-4", "06T11:00", Some("02T00:00"), false);
        assert!(idle(&redeployed, "shop", now, 24 * HOUR).is_none());
        // Within the tag's resolution of the window's edge: not yet.
        let edge = view("feature-5", "01T00:00", Some("05T11:57"), false);
        assert!(idle(&edge, "shop", now, 24 * HOUR).is_none());
        // Protected and baseline versions never are.
        assert!(idle(&view("main", "01T00:00", None, true), "shop", now, HOUR).is_none());
        let mut baseline = view("main", "01T00:00", None, false);
        baseline.services[0].baseline = Some(crate::engine::inventory::BaselineKind::Url);
        assert!(idle(&baseline, "shop", now, HOUR).is_none());
    }

    #[test]
    fn no_heartbeat_is_no_decision() {
        assert_eq!(
            watched(None, t("06T12:00"), HOUR, HOUR, &[]),
            Err(Uncovered::Never)
        );
    }
}
