//! The `-o markdown` form of the reports that have one (`up`, `down`, `ls`,
//! `status`): a table plus the header / link / curl lines, ready for a pull
//! request comment or a GitHub job summary. Every value is escaped, so no
//! version, owner or event text can break the table or the code spans.

use std::fmt::Write;

use crate::engine::hooks::HookRun;
use crate::ui::terminal_text::escape_controls;

use super::durations::age;
use super::{DownReport, LsReport, StatusReport, UpReport, ls::projects};
use crate::engine::ways_in::EntryKind;

/// A table cell: `|` escaped, line breaks flattened.
pub fn cell(text: &str) -> String {
    let text = text
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    crate::ui::terminal_text::escape_controls(&text)
}

/// An inline code span that survives backticks in `text`.
pub fn code(text: &str) -> String {
    let text = crate::ui::terminal_text::escape_controls(&text.replace(['\r', '\n'], " "));
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A fenced code block whose fence is longer than any backtick run inside.
pub(super) fn block(lang: &str, lines: &[String]) -> String {
    let body = lines.join("\n");
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{body}\n{fence}\n")
}

/// A Markdown table; every cell is escaped.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", headers.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

impl UpReport {
    pub(super) fn to_markdown(&self) -> String {
        let mut out = match self.dry_run {
            true => format!(
                "### dynroute: {} on {} (dry run, nothing changed)\n\n",
                code(&self.version),
                code(&self.cluster)
            ),
            false if crate::engine::hooks::failed(&self.hooks).is_some() => format!(
                "### dynroute: {} not deployed to {}: a hook failed\n\n",
                code(&self.version),
                code(&self.cluster)
            ),
            false => format!(
                "### dynroute: {} deployed to {}\n\n",
                code(&self.version),
                code(&self.cluster)
            ),
        };
        let rows: Vec<Vec<String>> = self
            .services
            .iter()
            .map(|s| {
                vec![
                    s.service.clone(),
                    code(&s.ecs_service),
                    s.action.to_owned(),
                    s.task_definition.as_deref().map_or("-".into(), code),
                    s.status.to_string(),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                "service",
                "ECS service",
                "action",
                "task definition",
                "status",
            ],
            &rows,
        ));
        out.push_str(&hooks(&self.hooks));
        if self.dry_run || crate::engine::hooks::failed(&self.hooks).is_some() {
            return out;
        }
        let _ = writeln!(out, "\n**Header:** {}\n", code(&self.header));
        for (service, entries) in &self.ways_in {
            for e in entries {
                let what = match e.kind {
                    EntryKind::Link => "link",
                    EntryKind::VersionHost => "version host",
                    _ => continue,
                };
                let _ = writeln!(out, "- {} {what}: <{}>", cell(service), e.value.trim());
            }
        }
        if !self.curl.is_empty() {
            let _ = write!(out, "\n**Try:**\n\n{}", block("sh", &self.curl));
        }
        out
    }

    /// The outputs `up` gives later CI steps: `version`, `header`, `urls`, `link`.
    pub(super) fn outputs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("version", self.version.to_string()),
            ("header", self.header.clone()),
            ("urls", self.urls.join(" ")),
            ("link", self.link.clone().unwrap_or_default()),
        ]
    }
}

impl DownReport {
    pub(super) fn to_markdown(&self) -> String {
        let version = self.version.as_ref().map_or("", |v| v.as_str());
        let mut out = format!("### dynroute: {} removed\n\n", code(version));
        if self.removed.is_empty() {
            out.push_str("Nothing was removed.\n");
        } else {
            let rows: Vec<Vec<String>> = self
                .removed
                .iter()
                .map(|r| {
                    vec![
                        code(&r.ecs_service),
                        if r.service_deleted {
                            "deleted"
                        } else {
                            "already gone"
                        }
                        .into(),
                        r.task_definitions_deregistered.to_string(),
                    ]
                })
                .collect();
            out.push_str(&table(
                &["ECS service", "service", "task definitions deregistered"],
                &rows,
            ));
        }
        for name in &self.skipped_unmanaged {
            let _ = writeln!(
                out,
                "\n{} is not managed by dynroute; left untouched",
                code(name)
            );
        }
        out.push_str(&hooks(&self.hooks));
        out
    }
}

impl LsReport {
    pub(super) fn to_markdown(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                let v = &row.version;
                let services: Vec<String> = v.services.iter().map(|s| s.label()).collect();
                vec![
                    code(&v.version),
                    projects(v),
                    services.join(", "),
                    v.status.to_string(),
                    v.owner.clone().unwrap_or_else(|| "-".into()),
                    v.pr.map_or_else(|| "-".into(), |pr| format!("#{pr}")),
                    v.created_at
                        .map_or_else(|| "-".into(), |c| age(c, self.now)),
                    super::ls::last_request(v, self.now),
                    match (v.protected, v.expired, v.expires_at.as_deref()) {
                        (true, _, _) => "never (protected)".into(),
                        (_, true, _) => "expired".into(),
                        (_, _, Some(at)) => at.to_owned(),
                        _ => "-".into(),
                    },
                    row.urls.join(" "),
                ]
            })
            .collect();
        let headers = [
            "version",
            "project",
            "services",
            "status",
            "owner",
            "PR",
            "age",
            "last request",
            "expires",
            "URL",
        ];
        match rows.is_empty() {
            true => "No versions deployed.\n".to_owned(),
            false => table(&headers, &rows),
        }
    }
}

impl StatusReport {
    pub(super) fn to_markdown(&self) -> String {
        let mut out = format!(
            "### dynroute: {} status\n\n**Header:** {}\n\n",
            code(&self.version),
            code(&self.header)
        );
        let rows: Vec<Vec<String>> = self
            .services
            .iter()
            .map(|s| match s.deployed {
                false => vec![
                    s.service.clone(),
                    code(&s.ecs_service),
                    format!("not deployed (falls back to {})", s.served_by.version()),
                    "-".into(),
                    s.urls.join(" "),
                ],
                true => vec![
                    s.service.clone(),
                    code(&s.ecs_service),
                    format!("{}/{} running, {} pending", s.running, s.desired, s.pending),
                    s.task_definition.as_deref().map_or("-".into(), code),
                    s.urls.join(" "),
                ],
            })
            .collect();
        out.push_str(&table(
            &["service", "ECS service", "tasks", "task definition", "URL"],
            &rows,
        ));
        let ways: Vec<String> = self
            .services
            .iter()
            .flat_map(|s| {
                s.ways_in
                    .iter()
                    .map(move |l| format!("- {}: {}", cell(&s.service), cell(l)))
            })
            .collect();
        if !ways.is_empty() {
            let _ = write!(out, "\n{}\n", ways.join("\n"));
        }
        if !self.curl.is_empty() {
            let _ = write!(out, "\n**Try:**\n\n{}", block("sh", &self.curl));
        }
        out
    }
}

/// The Markdown form: a table and, for a failed hook, its last lines.
fn hooks(runs: &[HookRun]) -> String {
    if runs.is_empty() {
        return String::new();
    }
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            vec![
                r.label(),
                code(&r.command.join(" ")),
                r.task.as_deref().map_or("-".into(), code),
                r.result(),
            ]
        })
        .collect();
    let mut out = format!(
        "\n**Hooks:**\n\n{}",
        table(&["hook", "command", "task", "result"], &rows)
    );
    if let Some(failed) = crate::engine::hooks::failed(runs) {
        if failed.log_tail.is_empty() {
            let _ = writeln!(
                out,
                "\n**Hook {} failed** ({}); it wrote no log lines.",
                code(&failed.label()),
                cell(&failed.result())
            );
            return out;
        }
        let _ = write!(
            out,
            "\n**Hook {} failed** ({}). Its last log lines:\n\n{}",
            code(&failed.label()),
            cell(&failed.result()),
            block(
                "text",
                &failed
                    .log_tail
                    .iter()
                    .map(|l| escape_controls(l))
                    .collect::<Vec<_>>()
            )
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_code_spans_cannot_break_out() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        // HTML, comments and terminal escapes from an API's error text stay text.
        assert_eq!(
            cell("<b>x</b> <!-- y --> a&b \u{1b}[2J"),
            "&lt;b&gt;x&lt;/b&gt; &lt;!-- y --&gt; a&amp;b \\u{1b}[2J"
        );
        assert_eq!(code("a\u{1b}[31mb"), "`a\\u{1b}[31mb`");
        assert_eq!(code("x"), "`x`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(block("sh", &["a ``` b".into()]), "````sh\na ``` b\n````\n");
        assert_eq!(
            table(&["h"], &[vec!["|".into()]]),
            "| h |\n|---|\n| \\| |\n"
        );
    }
}
