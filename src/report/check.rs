//! The result of `dynroute check`: one value, printed as JSON or as a summary
//! line, a table of the failures and the lint findings.

use std::fmt;

use serde::Serialize;

use crate::check::cases::Case;
use crate::check::lint::Finding;
use crate::check::send::Answer;
use crate::error::{ExitKind, UserError};
use crate::ui::table;
use crate::ui::terminal_text::count;

/// One case and what answered it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    #[serde(flatten)]
    pub case: Case,
    pub answer: Answer,
    pub passed: bool,
}

/// The lint part.
#[derive(Debug, Clone, Serialize)]
pub struct LintReport {
    pub traefik_api: String,
    pub warn_only: bool,
    pub findings: Vec<Finding>,
}

/// Everything `check` found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub cluster: String,
    pub ingress: String,
    pub proven: usize,
    pub total: usize,
    /// Services the listing has that could not be checked, and why.
    pub skipped: Vec<String>,
    pub cases: Vec<CaseResult>,
    /// Absent when no Traefik API was given.
    pub lint: Option<LintReport>,
    /// Every case proven and (unless warn-only) no finding.
    pub passed: bool,
}

impl crate::report::Report for CheckReport {
    fn markdown(&self) -> Option<String> {
        Some(self.to_markdown())
    }

    /// Printed first, then: exit 3 when the ingress answered nothing, 1 when a
    /// case or (unless warn-only) a lint finding failed.
    fn failure(&self) -> Option<UserError> {
        if self.ingress_unreachable() {
            let error = self.cases[0].answer.describe();
            return Some(
                UserError::new(
                    ExitKind::TimedOut,
                    format!(
                        "the ingress at {} answered none of the {} requests ({error})",
                        self.ingress, self.total
                    ),
                )
                .hint("check `ingress.url` / `ingress.load_balancer` and that Traefik runs"),
            );
        }
        if self.passed {
            return None;
        }
        let failed = self.total - self.proven;
        let findings = self
            .lint
            .as_ref()
            .filter(|l| !l.warn_only)
            .map_or(0, |l| l.findings.len());
        Some(UserError::new(
            ExitKind::Failure,
            format!(
                "check failed: {failed} of {} not proven, {}",
                count(self.total, "route", "routes"),
                count(findings, "lint finding", "lint findings")
            ),
        ))
    }
}

impl CheckReport {
    /// Builds the report; `passed` follows from the parts.
    pub fn new(
        cluster: String,
        ingress: String,
        skipped: Vec<String>,
        cases: Vec<(Case, Answer)>,
        lint: Option<LintReport>,
    ) -> CheckReport {
        let cases: Vec<CaseResult> = cases
            .into_iter()
            .map(|(case, answer)| CaseResult {
                passed: answer.proves(&case),
                case,
                answer,
            })
            .collect();
        let proven = cases.iter().filter(|c| c.passed).count();
        let lint_ok = lint
            .as_ref()
            .is_none_or(|l| l.warn_only || l.findings.is_empty());
        CheckReport {
            cluster,
            ingress,
            proven,
            total: cases.len(),
            skipped,
            passed: proven == cases.len() && lint_ok,
            cases,
            lint,
        }
    }

    /// The summary line: `routes proven: 118/120`.
    pub fn summary(&self) -> String {
        format!("routes proven: {}/{}", self.proven, self.total)
    }

    /// The summary, the failed cases and the lint findings as markdown, for a
    /// pull request comment or a job summary.
    pub fn to_markdown(&self) -> String {
        use crate::report::markdown::{code, table};
        let mut out = format!("### dynroute check: {}\n\n", self.summary());
        let failed: Vec<Vec<String>> = self
            .failures()
            .map(|c| {
                vec![
                    code(&c.case.id),
                    code(&request_text(&c.case)),
                    code(&c.case.expect_version),
                    code(&c.answer.describe()),
                ]
            })
            .collect();
        if !failed.is_empty() {
            out.push_str(&table(
                &["case", "request", "expected", "answered"],
                &failed,
            ));
            out.push('\n');
        }
        if let Some(lint) = self.lint.as_ref().filter(|l| !l.findings.is_empty()) {
            let rows: Vec<Vec<String>> = lint
                .findings
                .iter()
                .map(|f| {
                    vec![
                        code(f.code.as_str()),
                        code(&f.subject),
                        crate::report::markdown::cell(&f.message),
                        crate::report::markdown::cell(&f.hint),
                    ]
                })
                .collect();
            out.push_str(&table(&["finding", "subject", "what", "hint"], &rows));
        }
        out
    }

    /// The cases that failed.
    pub fn failures(&self) -> impl Iterator<Item = &CaseResult> {
        self.cases.iter().filter(|c| !c.passed)
    }

    /// No case got any HTTP answer: the ingress is unreachable.
    pub fn ingress_unreachable(&self) -> bool {
        !self.cases.is_empty() && self.cases.iter().all(|c| c.answer.status.is_none())
    }
}

/// The request of a case in one short line: `Host: h, baggage: v`.
pub fn request_text(case: &Case) -> String {
    let mut parts = vec![format!("{}{}", case.host, case.path)];
    parts.extend(
        case.headers
            .iter()
            .map(|h| format!("{}: {}", h.name, h.value)),
    );
    parts.join(" ")
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        if self.failures().next().is_some() {
            let mut t = table::new(&["CASE", "REQUEST", "EXPECTED", "ANSWERED"]);
            for c in self.failures() {
                t.add_row(vec![
                    c.case.id.clone(),
                    request_text(&c.case),
                    c.case.expect_version.to_string(),
                    c.answer.describe(),
                ]);
            }
            writeln!(f, "{t}")?;
        }
        for skipped in &self.skipped {
            writeln!(f, "not checked: {skipped}")?;
        }
        match &self.lint {
            None => writeln!(
                f,
                "lint: skipped (pass --traefik-api URL or set traefik.api_url)"
            )?,
            Some(lint) if lint.findings.is_empty() => {
                writeln!(f, "lint: no findings ({})", lint.traefik_api)?
            }
            Some(lint) => {
                let n = lint.findings.len();
                let label = if lint.warn_only {
                    count(n, "warning", "warnings")
                } else {
                    count(n, "finding", "findings")
                };
                writeln!(f, "lint: {label} ({})", lint.traefik_api)?;
                for finding in &lint.findings {
                    writeln!(
                        f,
                        "  {} {}: {}",
                        finding.code.as_str(),
                        finding.subject,
                        finding.message
                    )?;
                    writeln!(f, "    hint: {}", finding.hint)?;
                }
            }
        }
        Ok(())
    }
}
