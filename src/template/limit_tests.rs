//! Unit tests of the evaluation limits.
use super::tests::render_str;

#[test]
fn nested_loops_run_out_of_fuel_with_a_hint() {
    let err = render_str(
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}",
    )
    .unwrap_err();
    assert!(
        err.message.contains("t.yaml:1: template error"),
        "{}",
        err.message
    );
    assert!(err.hint.unwrap().contains("instructions"));
}

#[test]
fn huge_values_and_outputs_are_errors() {
    let err = render_str("{{ \"x\" * 2000000 }}").unwrap_err();
    assert!(err.message.contains("byte limit"), "{}", err.message);
    let err = render_str(
        "{% for i in range(30000) %}0123456789012345678901234567890123456789{% endfor %}",
    )
    .unwrap_err();
    assert!(
        err.message.contains("over the 1048576-byte limit"),
        "{}",
        err.message
    );
}

#[test]
fn token_characters_in_the_template_itself_are_refused() {
    let err = render_str("a: 1\nb: \u{E000}\n").unwrap_err();
    assert!(err.message.starts_with("t.yaml:2: "), "{}", err.message);
}
