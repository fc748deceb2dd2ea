//! `doctor`'s report: every check with its ID, status, what it found and the
//! fix of a failed one; a failed check makes the run exit 1.

use std::fmt;

use serde::Serialize;

use super::Report;
use crate::doctor::{Finding, Status};
use crate::error::{ExitKind, UserError};
use crate::ui::terminal_text::escape_controls;

/// The checks in the order they ran, and how many of each outcome.
#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
    pub checks: Vec<Finding>,
    pub ok: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl DoctorReport {
    pub fn new(checks: Vec<Finding>) -> DoctorReport {
        let count = |s: Status| checks.iter().filter(|c| c.status == s).count();
        DoctorReport {
            ok: count(Status::Ok),
            failed: count(Status::Failed),
            skipped: count(Status::Skipped),
            checks,
        }
    }
}

impl Report for DoctorReport {
    fn failure(&self) -> Option<UserError> {
        (self.failed > 0).then(|| {
            let ids: Vec<&str> = self
                .checks
                .iter()
                .filter(|c| c.status == Status::Failed)
                .map(|c| c.id)
                .collect();
            UserError::new(
                ExitKind::Failure,
                format!("doctor: {} failed ({})", self.failed, ids.join(", ")),
            )
        })
    }
}

impl fmt::Display for DoctorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self.checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in &self.checks {
            let mark = match c.status {
                Status::Ok => "✓",
                Status::Failed => "✗",
                Status::Skipped => "-",
            };
            // What a check found quotes AWS, Traefik and the config: one line each.
            let found = escape_controls(&c.found);
            writeln!(f, "{mark} {:width$}  {found}", c.id)?;
            if let Some(fix) = &c.fix {
                writeln!(f, "  {:width$}  fix: {}", "", escape_controls(fix))?;
            }
        }
        writeln!(
            f,
            "{} ok, {} failed, {} skipped",
            self.ok, self.failed, self.skipped
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use insta::{assert_json_snapshot, assert_snapshot};

    fn sample() -> DoctorReport {
        let finding = |id, status, found: &str, fix: Option<&str>| Finding {
            id,
            status,
            found: found.to_owned(),
            fix: fix.map(str::to_owned),
        };
        DoctorReport::new(vec![
            finding(
                "config",
                Status::Ok,
                "dynroute.yaml (project shop, cluster dev)",
                None,
            ),
            finding(
                "ecs.cluster",
                Status::Failed,
                "no cluster nosuch in us-east-1",
                Some("name the cluster in `cluster:`"),
            ),
            finding("ecs.capacity", Status::Skipped, "no cluster", None),
        ])
    }

    #[test]
    fn the_json_schema_is_a_contract() {
        assert_json_snapshot!("doctor_json", sample());
    }

    #[test]
    fn the_text_marks_each_check_and_gives_the_fix_under_it() {
        assert_snapshot!("doctor_text", sample().to_string());
        assert_eq!(
            sample().failure().unwrap().message,
            "doctor: 1 failed (ecs.cluster)"
        );
    }
}
