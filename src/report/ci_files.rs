//! The files GitHub Actions hands a step: `GITHUB_STEP_SUMMARY` (Markdown
//! appended to the job summary) and `GITHUB_OUTPUT` (`name=value` outputs for
//! later steps). A value with a line break uses the heredoc form with a
//! delimiter that does not occur in it, so no value can forge another output.

use std::path::Path;

/// One output in GitHub's format: `name=value`, or `name<<DELIM` … `DELIM`
/// when the value spans lines.
pub fn output_line(name: &str, value: &str) -> String {
    if !value.contains(['\n', '\r']) {
        return format!("{name}={value}\n");
    }
    let mut delimiter = String::from("DYNROUTE_EOF");
    let mut n = 0u32;
    while value.lines().any(|l| l.trim_end_matches('\r') == delimiter) || value.contains(&delimiter)
    {
        n += 1;
        delimiter = format!("DYNROUTE_EOF_{n}");
    }
    format!("{name}<<{delimiter}\n{value}\n{delimiter}\n")
}

/// Appends `text` to the file at `path` in one write: a regular file or a new
/// one, never a pipe or device (which could block after the deployment).
pub fn append(path: &Path, text: &str) -> std::io::Result<()> {
    crate::files::write::append(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_values_are_name_value_and_others_heredocs() {
        assert_eq!(output_line("version", "feature-1"), "version=feature-1\n");
        assert_eq!(
            output_line("header", "a\nb"),
            "header<<DYNROUTE_EOF\na\nb\nDYNROUTE_EOF\n"
        );
        // A value that contains the delimiter gets another one.
        let tricky = "x\nDYNROUTE_EOF\nlink=evil";
        let line = output_line("urls", tricky);
        assert!(line.starts_with("urls<<DYNROUTE_EOF_1\n"), "{line}");
        assert!(line.ends_with("\nDYNROUTE_EOF_1\n"));
        assert_eq!(output_line("link", ""), "link=\n");
    }

    #[test]
    fn appending_keeps_what_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        append(&path, "a=1\n").unwrap();
        append(&path, "b=2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a=1\nb=2\n");
        assert!(append(&dir.path().join("no/such/dir"), "x").is_err());
    }
}
