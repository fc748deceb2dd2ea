//! Unit tests of the hint for Docker's own template syntax.
use super::tests::render_str;

#[test]
fn docker_go_templates_name_their_line_and_suggest_raw() {
    for (source, line) in [
        ("a: 1\noptions:\n  tag: \"{{.Name}}/{{.ID}}\"\nb: 2\n", 3),
        (
            "a: 1\ncommand: [\"sh\", \"-c\", \"echo ${#VAR}\"]\nb: 2\nc: 3\n",
            2,
        ),
        (
            "a: 1\nb: 2\ncommand: [\"sh\", \"-c\", \"printf '{%s}' x\"]\n",
            3,
        ),
        ("a: 1\ntag: \"{{ .Name }}\"\n", 2),
    ] {
        let err = render_str(source).unwrap_err();
        assert!(
            err.message
                .starts_with(&format!("t.yaml:{line}: template error")),
            "{source}: {}",
            err.message
        );
        assert!(err.hint.unwrap().contains("{% raw %}"), "{source}");
    }
}
