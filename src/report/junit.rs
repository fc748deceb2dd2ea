//! JUnit XML (the Jenkins / Surefire format every CI system reads): a suite of
//! route cases, one testcase each, and a suite of lint findings, one failing
//! testcase each (skipped with `--warn-only`, so it shows without failing).

use super::check::{CheckReport, request_text};

/// XML text and attribute escaping.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The JUnit XML document; `timestamp` is RFC 3339 without offset (`2026-12-01T21:00:00`).
pub fn render(report: &CheckReport, timestamp: &str) -> String {
    let routes_time: f64 = report.cases.iter().map(|c| c.answer.seconds).sum();
    let route_failures = report.total - report.proven;
    let findings = report
        .lint
        .as_ref()
        .map_or(&[][..], |l| l.findings.as_slice());
    let warn_only = report.lint.as_ref().is_some_and(|l| l.warn_only);
    let lint_failures = if warn_only { 0 } else { findings.len() };
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"dynroute check\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{routes_time:.3}\">\n",
        report.total + findings.len(),
        route_failures + lint_failures
    ));
    x.push_str(&format!(
        "  <testsuite name=\"routes\" tests=\"{}\" failures=\"{route_failures}\" errors=\"0\" skipped=\"0\" time=\"{routes_time:.3}\" timestamp=\"{timestamp}\">\n",
        report.total
    ));
    x.push_str(&format!(
        "    <properties>\n      <property name=\"cluster\" value=\"{}\"/>\n      <property name=\"ingress\" value=\"{}\"/>\n    </properties>\n",
        esc(&report.cluster),
        esc(&report.ingress)
    ));
    for c in &report.cases {
        x.push_str(&format!(
            "    <testcase classname=\"routes.{}\" name=\"{}\" time=\"{:.3}\"",
            esc(&c.case.service),
            esc(&c.case.id),
            c.answer.seconds
        ));
        if c.passed {
            x.push_str("/>\n");
        } else {
            let message = format!(
                "expected {}, got {}",
                c.case.expect_version,
                c.answer.describe()
            );
            x.push_str(&format!(
                ">\n      <failure message=\"{}\" type=\"route\">{}</failure>\n    </testcase>\n",
                esc(&message),
                esc(&format!("{}\n{message}", request_text(&c.case)))
            ));
        }
    }
    x.push_str("  </testsuite>\n");
    if let Some(lint) = &report.lint {
        x.push_str(&format!(
            "  <testsuite name=\"lint\" tests=\"{}\" failures=\"{lint_failures}\" errors=\"0\" skipped=\"{}\" time=\"0\" timestamp=\"{timestamp}\">\n",
            findings.len(),
            findings.len() - lint_failures
        ));
        x.push_str(&format!(
            "    <properties>\n      <property name=\"traefik_api\" value=\"{}\"/>\n    </properties>\n",
            esc(&lint.traefik_api)
        ));
        for f in findings {
            let element = if warn_only { "skipped" } else { "failure" };
            let typ = if warn_only {
                String::new()
            } else {
                format!(" type=\"{}\"", f.code.as_str())
            };
            x.push_str(&format!(
                "    <testcase classname=\"lint.{}\" name=\"{}\" time=\"0\">\n      <{element} message=\"{}\"{typ}>{}</{element}>\n    </testcase>\n",
                f.code.as_str(),
                esc(&f.subject),
                esc(&f.message),
                esc(&format!("{}\nhint: {}", f.message, f.hint))
            ));
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::cases::{Case, CaseKind};
    use crate::check::lint::{Code, Finding};
    use crate::check::send::Answer;
    use crate::report::check::LintReport;

    fn report(warn_only: bool) -> CheckReport {
        let case = |id: &str, version: Option<&str>| {
            (
                Case {
                    id: id.into(),
                    service: "api".into(),
                    version: "main".into(),
                    kind: CaseKind::Plain,
                    host: "api.x".into(),
                    path: "/".into(),
                    headers: vec![],
                    expect_version: "main".into(),
                },
                Answer {
                    status: Some(200),
                    version: version.map(str::to_owned),
                    error: None,
                    seconds: 0.01,
                },
            )
        };
        let lint = LintReport {
            traefik_api: "http://127.0.0.1:1".into(),
            warn_only,
            findings: vec![Finding {
                code: Code::Shadowed,
                subject: "legacy@ecs".into(),
                service: "api".into(),
                message: "takes <api.x> & more".into(),
                hint: "narrow it".into(),
            }],
        };
        CheckReport::new(
            "dev".into(),
            "http://127.0.0.1:2".into(),
            vec![],
            vec![case("a", Some("main")), case("b", None)],
            Some(lint),
        )
    }

    #[test]
    fn cases_and_findings_become_testcases() {
        let xml = render(&report(false), "2026-12-01T21:00:00");
        assert!(
            xml.contains("<testsuites name=\"dynroute check\" tests=\"3\" failures=\"2\""),
            "{xml}"
        );
        assert!(xml.contains("<testcase classname=\"routes.api\" name=\"a\" time=\"0.010\"/>"));
        assert!(xml.contains("<failure message=\"expected main, got HTTP 200 without X-Dynroute-Version\" type=\"route\">"));
        assert!(
            xml.contains("<failure message=\"takes &lt;api.x&gt; &amp; more\" type=\"shadowed\">")
        );
        assert_eq!(xml.matches("<testcase ").count(), 3);
    }

    #[test]
    fn warn_only_findings_are_skipped_not_failed() {
        let xml = render(&report(true), "2026-12-01T21:00:00");
        assert!(xml.contains("tests=\"3\" failures=\"1\""), "{xml}");
        assert!(xml.contains("<skipped message=\"takes &lt;api.x&gt; &amp; more\">"));
    }
}
