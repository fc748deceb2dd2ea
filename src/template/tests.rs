//! Unit tests of template rendering.
use super::*;

fn vars() -> TemplateVars {
    TemplateVars {
        version: "feature-1".parse().unwrap(),
        version_id: "feature_1".into(),
        project: "shop".into(),
        service: "api".parse().unwrap(),
        cluster: "dev".into(),
        image_tag: "abc123".into(),
        git: GitVars {
            sha: "deadbeef".into(),
            branch: "feature/1".into(),
        },
        owner: "alice@example.com".into(),
        vars: [(
            "image_repo".to_string(),
            serde_yaml::Value::from("repo/api"),
        )]
        .into_iter()
        .collect(),
    }
}

fn env_with(pairs: &'static [(&'static str, &'static str)]) -> EnvLookup {
    Arc::new(move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
}

pub(super) fn render_str(src: &str) -> Result<String, UserError> {
    render(
        Path::new("t.yaml"),
        src,
        &vars(),
        env_with(&[("REGION", "eu-west-1")]),
    )
}

#[test]
fn constructs_that_accumulate_across_steps_are_refused_with_their_line() {
    for (src, line) in [
        (
            "a: 1\n{% macro d(s, n) %}{{ d(s ~ s, n - 1) }}{% endmacro %}\n",
            2,
        ),
        ("{%- macro m() -%}x{%- endmacro %}", 1),
        ("a: b\nc: d\n{% call m() %}x{% endcall %}", 3),
        (
            "{% set ns = namespace(s=\"ab\") %}\n{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            1,
        ),
    ] {
        let err = render_str(src).unwrap_err();
        assert!(
            err.message.starts_with(&format!("t.yaml:{line}: `")),
            "{src}: {}",
            err.message
        );
        assert_eq!(err.kind, crate::error::ExitKind::Usage);
    }
    // Docker's own syntax inside a raw block is text, and a loop's `set` stays
    // within one iteration, so doubling there cannot run away.
    let ok = render_str(
        "a: \"{% raw %}{% macro %}{% endraw %}\"\nb: \"{% set s = 'ab' %}{% for i in range(40) %}{% set s = s ~ s %}{% endfor %}{{ s }}\"\n",
    )
    .map(|out| placeholders::decode(&out))
    .unwrap();
    assert!(ok.contains("b: \"ab\""), "{ok}");
}

#[test]
fn every_variable_and_function_renders() {
    let out = render_str(
        "{{ version }} {{ version_id }} {{ project }} {{ service }} {{ cluster }} {{ image_tag }} {{ git.sha }} {{ git.branch }} \
         {{ owner }} {{ vars.image_repo }} {{ env(\"REGION\") }} {{ env(\"NOPE\", \"dflt\") }} \
         {{ env(\"NOPE\") }}| {{ must_env(\"REGION\") }}\n",
    )
    .map(|out| placeholders::decode(&out))
    .unwrap();
    assert_eq!(
        out,
        "feature-1 feature_1 shop api dev abc123 deadbeef feature/1 alice@example.com repo/api eu-west-1 dflt | eu-west-1"
    );
}

#[test]
fn undefined_variables_are_errors_with_line_and_hint() {
    let err = render_str("a: 1\nimage: {{ vars.nope }}\n").unwrap_err();
    assert!(
        err.message
            .starts_with("t.yaml:2: template error: undefined value"),
        "{}",
        err.message
    );
    assert!(err.message.contains("image: {{ vars.nope }}"));
    assert!(err.hint.unwrap().contains("vars.image_repo"));
}

#[test]
fn must_env_of_an_unset_variable_is_an_error() {
    let err = render_str("x: {{ must_env(\"SECRET_X\") }}").unwrap_err();
    assert!(
        err.message.contains("SECRET_X is not set"),
        "{}",
        err.message
    );
    assert!(err.hint.is_some());
}

#[test]
fn syntax_errors_name_the_line() {
    let err = render_str("a: 1\nb: {{ version \n").unwrap_err();
    assert!(
        err.message
            .starts_with("t.yaml:2: template error: syntax error"),
        "{}",
        err.message
    );
}

#[test]
fn json_templates_are_not_escaped() {
    let out = render(
        Path::new("t.json"),
        "{\"v\": \"{{ owner }}\"}",
        &vars(),
        env_with(&[]),
    )
    .unwrap();
    assert_eq!(placeholders::decode(&out), "{\"v\": \"alice@example.com\"}");
}

#[test]
fn a_shifted_environment_keeps_each_value_s_shape_but_not_its_content() {
    let env = env_with(&[
        ("ROLE", "arn:aws:iam::123456789012:role/Zed-9"),
        ("N", "256"),
    ]);
    let letters = shifted_env(env.clone(), false);
    assert_eq!(
        letters("ROLE").unwrap(),
        "bso:bxt:jbn::123456789012:spmf/Afe-9"
    );
    assert_eq!(letters("N").unwrap(), "256");
    let both = shifted_env(env, true);
    assert_eq!(
        both("ROLE").unwrap(),
        "bso:bxt:jbn::234567890123:spmf/Afe-0"
    );
    assert_eq!(both("N").unwrap(), "367");
    assert_eq!(both("UNSET"), None);
}
