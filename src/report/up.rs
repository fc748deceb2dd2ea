//! `up`'s report: what happened to each service, the header and a curl line.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

use super::Report;
use crate::engine::hooks::HookRun;
use crate::engine::timings::Timings;
use crate::engine::up::{ServiceOutcome, Settled};
use crate::engine::ways_in::Entry;
use crate::naming::Version;
use crate::ui::table;

/// A service's status as `up` reports it; serialised as its text
/// (`planned`, `deploying`, `running 2/2`, `running 1/1, routed`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpStatus {
    pub settled: Settled,
    pub routed: bool,
}

impl fmt::Display for UpStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.settled {
            Settled::Planned => f.write_str("planned")?,
            Settled::Deploying => f.write_str("deploying")?,
            Settled::Running { running, desired } => write!(f, "running {running}/{desired}")?,
            Settled::Superseded { running, desired } => {
                write!(f, "superseded by a newer deployment {running}/{desired}")?
            }
            Settled::HeldBack => f.write_str("not changed (a hook failed)")?,
        }
        if self.routed {
            f.write_str(", routed")?;
        }
        Ok(())
    }
}

impl Serialize for UpStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One service's row.
#[derive(Debug, Clone, Serialize)]
pub struct UpServiceReport {
    pub service: String,
    pub ecs_service: String,
    pub action: &'static str,
    pub task_definition: Option<String>,
    pub status: UpStatus,
}

impl From<ServiceOutcome> for UpServiceReport {
    fn from(o: ServiceOutcome) -> Self {
        UpServiceReport {
            service: o.service,
            ecs_service: o.ecs_service,
            action: o.verb.as_str(),
            task_definition: o.task_definition,
            status: UpStatus {
                settled: o.settled,
                routed: o.routed,
            },
        }
    }
}

/// The result of `up`.
#[derive(Debug, Clone, Serialize)]
pub struct UpReport {
    pub version: Version,
    pub cluster: String,
    pub dry_run: bool,
    pub services: Vec<UpServiceReport>,
    pub header: String,
    pub curl: Vec<String>,
    /// Every way in per service: header, pin, cookie, version host, links.
    pub ways_in: BTreeMap<String, Vec<Entry>>,
    /// The `on_create` / `before_up` hooks this run ran, in order (a dry run:
    /// the ones it would run); a failed one is last.
    pub hooks: Vec<HookRun>,
    /// `--no-hooks` left out hooks that would have run.
    pub hooks_skipped: bool,
    /// Milliseconds per phase of this run (validate, plan, register, …).
    pub timings: Timings,
    /// The version host and link lines, `service: line`.
    #[serde(skip)]
    pub entry_lines: Vec<String>,
    /// One URL per service for this version (its version host, else its URL),
    /// for the `urls` CI output.
    #[serde(skip)]
    pub urls: Vec<String>,
    /// The link that switches a browser to this version, for the `link` CI output.
    #[serde(skip)]
    pub link: Option<String>,
}

impl Report for UpReport {
    fn failure(&self) -> Option<crate::error::UserError> {
        super::hooks::failure(
            &self.hooks,
            "no service was created or updated: main and the version's running tasks are as they were",
            "fix the hook (its output is above) and run the same `dynroute up` again",
        )
    }

    fn markdown(&self) -> Option<String> {
        Some(self.to_markdown())
    }

    fn outputs(&self) -> Vec<(&'static str, String)> {
        UpReport::outputs(self)
    }
}

impl fmt::Display for UpReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = table::new(&[
            "SERVICE",
            "ECS SERVICE",
            "ACTION",
            "TASK DEFINITION",
            "STATUS",
        ]);
        for r in &self.services {
            t.add_row(vec![
                r.service.clone(),
                r.ecs_service.clone(),
                r.action.to_owned(),
                r.task_definition.clone().unwrap_or_else(|| "-".into()),
                r.status.to_string(),
            ]);
        }
        writeln!(f, "{t}")?;
        super::hooks::text(f, &self.hooks)?;
        if self.dry_run {
            return writeln!(f, "dry run: nothing was changed");
        }
        if crate::engine::hooks::failed(&self.hooks).is_some() {
            return Ok(());
        }
        writeln!(f, "\nheader: {}", self.header)?;
        if let Some(first) = self.curl.first() {
            writeln!(f, "try:    {first}")?;
        }
        for line in &self.entry_lines {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}
