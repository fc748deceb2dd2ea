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
        // Hurl is line-based: a value with a line break (from a router rule,
        // say) would add requests of its own. Such a case is named, not exported.
        let fields = [
            case.id.as_str(),
            &case.path,
            &case.host,
            case.expect_version.as_str(),
        ];
        let unsafe_value = fields.iter().any(|f| f.chars().any(char::is_control))
            || case
                .headers
                .iter()
                .any(|h| (h.name.chars().chain(h.value.chars())).any(char::is_control));
        if unsafe_value {
            out.push_str(&format!(
                "\n# case {} not exported: one of its values holds a control character\n",
                crate::ui::terminal_text::escape_controls(&case.id).replace('\n', "\\n")
            ));
            continue;
        }
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

    #[test]
    fn a_value_with_a_line_break_is_never_a_request_of_its_own() {
        let mut evil = case("api/x", Some("dynamic_route=feature-1"));
        evil.path = "/a\nGET http://evil.test/\nHTTP 200".into();
        let text = render("http://127.0.0.1:9", &[evil, case("api/ok", None)]);
        assert_eq!(text.matches("\nGET ").count(), 1, "{text}");
        assert!(
            text.contains(
                "# case api/x not exported: one of its values holds a control character\n"
            ),
            "{text}"
        );
        assert!(!text.contains("evil.test"), "{text}");
    }
}
