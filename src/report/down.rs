//! `down`'s report: what was removed per ECS service.

use std::fmt;

use serde::Serialize;

use super::Report;
use crate::engine::hooks::HookRun;
use crate::engine::removal::Removed;
use crate::naming::Version;
use crate::ui::table;

/// The result of `down`.
#[derive(Debug, Clone, Serialize)]
pub struct DownReport {
    /// None: nothing was chosen (the picker had no versions); `""` in JSON.
    #[serde(serialize_with = "version_or_empty")]
    pub version: Option<Version>,
    pub removed: Vec<Removed>,
    /// Same-named services without the managed tag, left untouched.
    pub skipped_unmanaged: Vec<String>,
    /// The `after_down` hooks that ran, in order.
    pub hooks: Vec<HookRun>,
    /// `--no-hooks` left out hooks that would have run.
    pub hooks_skipped: bool,
    /// Revisions kept with `dynroute:cleanup-pending` because a hook failed.
    pub cleanup_pending: Vec<String>,
}

fn version_or_empty<S: serde::Serializer>(v: &Option<Version>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.as_ref().map_or("", Version::as_str))
}

impl Report for DownReport {
    fn failure(&self) -> Option<crate::error::UserError> {
        super::hooks::failure(
            &self.hooks,
            "the services are gone; the revision it ran from is kept with dynroute:cleanup-pending",
            "fix the hook and run the same `dynroute down` again, or let `dynroute prune` retry it",
        )
    }

    fn markdown(&self) -> Option<String> {
        Some(self.to_markdown())
    }
}

/// The removal table shared by `down` and `prune` (empty when nothing was removed).
pub(super) fn removed_table(f: &mut fmt::Formatter<'_>, removed: &[Removed]) -> fmt::Result {
    if removed.is_empty() {
        return Ok(());
    }
    let mut t = table::new(&["ECS SERVICE", "SERVICE", "TASK DEFINITIONS DEREGISTERED"]);
    for r in removed {
        t.add_row(vec![
            r.ecs_service.clone(),
            if r.service_deleted {
                "deleted"
            } else {
                "already gone"
            }
            .to_owned(),
            r.task_definitions_deregistered.to_string(),
        ]);
    }
    writeln!(f, "{t}")
}

impl fmt::Display for DownReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        removed_table(f, &self.removed)?;
        super::hooks::text(f, &self.hooks)
    }
}
