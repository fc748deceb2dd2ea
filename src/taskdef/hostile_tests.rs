//! No value, from any source, changes the structure of a task definition.

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::template::{GitVars, TemplateVars, render};

const SOURCES: &[&str] = &[
    "vars.v",
    "env(\"V\")",
    "must_env(\"V\")",
    "env(\"UNSET\", V_DEFAULT)",
    "git.branch",
    "git.sha",
    "owner",
    "cluster",
    "image_tag",
    "vars.v ~ \"-suffix\"",
];

/// Templates with `X` where a placeholder goes, in every scalar style.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "t.yaml",
        "containerDefinitions:\n  - name: api\n    image: {{X}}\n",
    ),
    (
        "t.yaml",
        "containerDefinitions:\n  - name: api\n    image: \"{{X}}\"\n",
    ),
    (
        "t.yaml",
        "containerDefinitions:\n  - name: api\n    image: 'r:{{X}}'\n",
    ),
    (
        "t.yaml",
        "containerDefinitions:\n  - name: api\n    image: r\n    command: [\"--branch={{X}}\", \"b\"]\n",
    ),
    (
        "t.yaml",
        "containerDefinitions:\n  - name: api\n    image: r\n    command:\n      - |\n        echo {{X}}\n        done\n      - >-\n        a {{X}}\n",
    ),
    (
        "t.yaml",
        "containerDefinitions: [{name: api, image: r, environment: [{name: A, value: {{X}}}, {name: B, value: \"{{X}}\"}]}]\n",
    ),
    (
        "t.yaml",
        "containerDefinitions:\n  - name: api\n    image: r\n    dockerLabels:\n      owner: {{X}} # {{X}}\n      \"k-{{X}}\": v\n",
    ),
    (
        "t.json",
        "{\"containerDefinitions\": [{\"name\": \"api\", \"image\": \"{{X}}\", \"command\": [\"{{X}}\"]}]}",
    ),
];

/// Values that would change the structure if pasted in as text.
pub const HOSTILE: &[&str] = &[
    "evil\"\n    privileged: true\n    hostname: \"",
    "evil'\n    privileged: true\n    hostname: '",
    "x\n    privileged: true",
    "x}, {name: EXTRA, value: y",
    "x\"}, {\"name\": \"EXTRA\", \"value\": \"y",
    "x\", \"--extra",
    "a: b",
    "- x",
    "#c",
    " # c",
    "{x: 1}",
    "[1, 2]",
    "'",
    "\"",
    "\\",
    "\\\"",
    "\n",
    "\r\n",
    "\t",
    "}",
    "]",
    ",",
    "&anchor",
    "*alias",
    "!!binary",
    "!tag x",
    "|",
    ">",
    "%YAML 1.2",
    "@",
    "`",
    "---",
    "...",
    "null",
    "~",
    "yes",
    "0x10",
    "1e3",
    "08",
    "8080",
    "-1",
    "true",
    "",
    "{{ x }}",
    "{% raw %}",
    "${HOME}",
    "\u{E000}61\u{E001}",
    "\u{1b}[31mred",
    "ünïcödé ✓",
    "\u{feff}bom",
];

fn vars(value: &str) -> TemplateVars {
    TemplateVars {
        version: "feature-1".parse().unwrap(),
        version_id: "feature_1".into(),
        project: "shop".into(),
        service: "api".parse().unwrap(),
        cluster: value.into(),
        image_tag: value.into(),
        git: GitVars {
            sha: value.into(),
            branch: value.into(),
        },
        owner: value.into(),
        vars: [
            ("v".to_string(), serde_yaml::Value::from(value)),
            ("V_DEFAULT".to_string(), serde_yaml::Value::from(value)),
        ]
        .into_iter()
        .collect(),
    }
}

fn rendered_json(name: &str, template: &str, value: &str) -> Result<serde_json::Value, UserError> {
    let owned = value.to_owned();
    let lookup: template::EnvLookup = Arc::new(move |name| (name == "V").then(|| owned.clone()));
    let template = template.replace("V_DEFAULT", "vars.V_DEFAULT");
    let text = render(Path::new(name), &template, &vars(value), lookup)?;
    let td = parse(Path::new(name), &text)?;
    Ok(serde_json::to_value(td).unwrap())
}

/// `json` with `marker` replaced by `value` in every string and key.
fn substituted(json: &serde_json::Value, marker: &str, value: &str) -> serde_json::Value {
    use serde_json::Value;
    match json {
        Value::String(s) => Value::String(s.replace(marker, value)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| substituted(i, marker, value))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.replace(marker, value), substituted(v, marker, value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn every_value_lands_as_one_string_in_every_style_from_every_source() {
    let mut cases = 0;
    for (name, template) in TEMPLATES {
        for source in SOURCES {
            let template = template.replace("{{X}}", &format!("{{{{ {source} }}}}"));
            let benign = rendered_json(name, &template, "BENIGN")
                .unwrap_or_else(|e| panic!("{template}: {e:?}"));
            for value in HOSTILE {
                let expected = substituted(&benign, "BENIGN", value);
                let got = rendered_json(name, &template, value)
                    .unwrap_or_else(|e| panic!("{template} with {value:?}: {e:?}"));
                assert_eq!(got, expected, "{template} with {value:?}");
                cases += 1;
            }
        }
    }
    assert_eq!(cases, TEMPLATES.len() * SOURCES.len() * HOSTILE.len());
}

#[test]
fn numbers_from_vars_keep_their_type_in_plain_scalars() {
    let template = "containerDefinitions:\n  - name: api\n    image: r\n    cpu: {{ vars.v }}\n    essential: {{ vars.b }}\n    portMappings:\n      - containerPort: {{ vars.v }}\n";
    let mut v = vars("256");
    v.vars.insert("b".into(), serde_yaml::Value::Bool(false));
    let text = render(Path::new("t.yaml"), template, &v, Arc::new(|_| None)).unwrap();
    let td = parse(Path::new("t.yaml"), &text).unwrap();
    let c = &td.container_definitions[0];
    assert_eq!(c.cpu, Some(256));
    assert_eq!(c.essential, Some(false));
    assert_eq!(
        c.port_mappings.as_ref().unwrap()[0].container_port,
        Some(256)
    );
}

#[test]
fn a_value_cannot_smuggle_a_reserved_name() {
    let template = "containerDefinitions:\n  - name: api\n    image: r\n    dockerLabels:\n      \"{{ vars.v }}\": x\n";
    let text = render(
        Path::new("t.yaml"),
        template,
        &vars("traefik.enable"),
        Arc::new(|_| None),
    )
    .unwrap();
    let err = parse(Path::new("t.yaml"), &text).unwrap_err();
    assert!(
        err.message.contains("`traefik.enable` is generated"),
        "{}",
        err.message
    );
    let template = "containerDefinitions:\n  - name: api\n    image: r\n    environment:\n      - name: \"{{ vars.v }}\"\n        value: x\n";
    let text = render(
        Path::new("t.yaml"),
        template,
        &vars("DYNROUTE_VERSION"),
        Arc::new(|_| None),
    )
    .unwrap();
    assert!(parse(Path::new("t.yaml"), &text).is_err());
}

#[test]
fn enumerated_fields_check_the_filled_in_value() {
    let template =
        "networkMode: {{ vars.v }}\ncontainerDefinitions:\n  - name: api\n    image: r\n";
    let text = render(
        Path::new("t.yaml"),
        template,
        &vars("awsvpc"),
        Arc::new(|_| None),
    )
    .unwrap();
    let td = parse(Path::new("t.yaml"), &text).unwrap();
    assert_eq!(td.network_mode.unwrap().as_str(), "awsvpc");
    let text = render(
        Path::new("t.yaml"),
        template,
        &vars("awsvpc\nprivileged: true"),
        Arc::new(|_| None),
    )
    .unwrap();
    let err = parse(Path::new("t.yaml"), &text).unwrap_err();
    assert!(err.message.contains("is not one of"), "{}", err.message);
}

#[test]
fn type_errors_quote_the_value_not_the_token() {
    let template =
        "containerDefinitions:\n  - name: api\n    image: r\n    essential: {{ vars.v }}\n";
    let text = render(
        Path::new("t.yaml"),
        template,
        &vars("maybe"),
        Arc::new(|_| None),
    )
    .unwrap();
    let err = parse(Path::new("t.yaml"), &text).unwrap_err();
    assert!(err.message.starts_with("t.yaml:4:"), "{}", err.message);
    assert!(err.message.contains("\"maybe\""), "{}", err.message);
    assert!(!err.message.contains("e000"), "{}", err.message);
}

#[test]
fn duplicate_keys_made_by_values_name_the_value() {
    let template = "containerDefinitions:\n  - name: api\n    image: r\n    dockerLabels:\n      \"{{ vars.v }}\": a\n      \"{{ owner }}\": b\n";
    let text = render(
        Path::new("t.yaml"),
        template,
        &vars("same"),
        Arc::new(|_| None),
    )
    .unwrap();
    let err = parse(Path::new("t.yaml"), &text).unwrap_err();
    assert!(
        err.message.contains("duplicate entry with key \"same\""),
        "{}",
        err.message
    );
}
