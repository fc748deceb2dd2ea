//! Finds the line of a dotted key path in a YAML block mapping, for errors about
//! rules that span several fields (checked after deserialization).

/// The 1-based line of `path` (e.g. `["services", "api", "port"]`), or of the
/// deepest prefix of it that exists.
pub fn line_of(text: &str, path: &[&str]) -> Option<usize> {
    let mut found = None;
    let mut parent_indent: Option<usize> = None;
    let mut start = 0;
    let lines: Vec<&str> = text.lines().collect();
    'segments: for segment in path {
        for (i, line) in lines.iter().enumerate().skip(start) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if parent_indent.is_some_and(|p| indent <= p) {
                break 'segments; // left the parent's block
            }
            let key = trimmed.trim_start_matches("- ");
            let matches = key
                .strip_prefix(segment)
                .and_then(|rest| rest.trim_start().strip_prefix(':'))
                .is_some()
                || key
                    .strip_prefix(&format!("\"{segment}\""))
                    .is_some_and(|rest| rest.trim_start().starts_with(':'));
            if matches {
                found = Some(i + 1);
                parent_indent = Some(indent);
                start = i + 1;
                continue 'segments;
            }
        }
        break;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::line_of;

    const YAML: &str = "cluster: dev\n# comment\nservices:\n  web:\n    port: 80\n  api:\n    template: t.yaml\n    port: 8080\nnetwork:\n  subnets: [a]\n";

    #[test]
    fn finds_nested_keys_under_the_right_parent() {
        assert_eq!(line_of(YAML, &["cluster"]), Some(1));
        assert_eq!(line_of(YAML, &["services", "api", "port"]), Some(8));
        assert_eq!(line_of(YAML, &["services", "web", "port"]), Some(5));
        assert_eq!(line_of(YAML, &["network", "subnets"]), Some(10));
    }

    #[test]
    fn falls_back_to_the_deepest_existing_prefix() {
        assert_eq!(line_of(YAML, &["services", "web", "hosts"]), Some(4));
        assert_eq!(line_of(YAML, &["nothing"]), None);
    }
}
