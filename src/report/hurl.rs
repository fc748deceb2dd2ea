//! Every case as a Hurl file, so CI can replay the table with the real `hurl`
//! (`hurl --test FILE`) against the same ingress: one request per case with
//! assertions on the status and `X-Dynroute-Version`. A `# case: ID` comment
//! precedes each entry, so a failing line leads back to the case `check` names.

use crate::check::cases::Case;
use crate::routing::VERSION_RESPONSE_HEADER;

/// Hurl's special characters in a header value or a string: `\`, `#` (comment), `{` (template).
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' | '#' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Inside a double-quoted Hurl string.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The Hurl file for these cases against `ingress` (no trailing slash).
pub fn render(ingress: &str, cases: &[Case]) -> String {
    let mut out = format!(
        "# dynroute check: {} cases through {ingress}\n# run: hurl --test THIS_FILE\n",
        cases.len()
    );
    for case in cases {
        out.push_str(&format!("\n# case: {}\n", case.id));
        out.push_str(&format!("GET {ingress}{}\n", case.path));
        out.push_str(&format!("Host: {}\n", escape(&case.host)));
        for header in &case.headers {
            out.push_str(&format!("{}: {}\n", header.name, escape(&header.value)));
        }
        out.push_str("HTTP *\n[Asserts]\nstatus < 500\n");
        out.push_str(&format!(
            "header {} == {}\n",
            quoted(VERSION_RESPONSE_HEADER),
            quoted(&case.expect_version)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::cases::{CaseKind, Header};

    fn case(id: &str, value: Option<&str>) -> Case {
        Case {
            id: id.into(),
            service: "api".into(),
            version: "feature-1".into(),
            kind: CaseKind::Baggage,
            host: "api.dev.test".into(),
            path: "/health".into(),
            headers: value
                .map(|v| {
                    vec![Header {
                        name: "baggage".into(),
                        value: v.into(),
                    }]
                })
                .unwrap_or_default(),
            expect_version: "feature-1".into(),
        }
    }

    #[test]
    fn one_entry_per_case_with_status_and_version_asserts() {
        let text = render(
            "http://127.0.0.1:9",
            &[case("a", Some("dynamic_route=feature-1")), case("b", None)],
        );
        let expected = "\n# case: a\nGET http://127.0.0.1:9/health\nHost: api.dev.test\nbaggage: dynamic_route=feature-1\nHTTP *\n[Asserts]\nstatus < 500\nheader \"X-Dynroute-Version\" == \"feature-1\"\n";
        assert!(text.contains(expected), "{text}");
        assert_eq!(text.matches("\nGET ").count(), 2);
        assert_eq!(
            text.matches("\n# case: ").count(),
            2,
            "each entry names its case"
        );
    }

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(escape(r"a#b{c}\d"), r"a\#b\{c\}\\d");
        assert_eq!(quoted("x\"y"), "\"x\\\"y\"");
    }
}
