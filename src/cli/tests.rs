//! Unit tests of the argument definitions (no command runs).
use super::*;
use clap::CommandFactory;

#[test]
fn cli_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn version_arguments_do_not_clash_with_the_version_flag() {
    let cli = Cli::try_parse_from(["dynroute", "header", "feature-1", "--json"]).unwrap();
    match cli.command {
        Command::Header(args) => assert_eq!(args.version.unwrap(), "feature-1"),
        other => panic!("{other:?}"),
    }
    assert!(cli.global.json);
    // The automatic flag still works, at the top and after a VERSION argument.
    for args in [
        &["dynroute", "--version"][..],
        &["dynroute", "header", "feature-1", "--version"],
    ] {
        let err = Cli::try_parse_from(args).unwrap_err();
        assert_eq!(
            err.kind(),
            clap::error::ErrorKind::DisplayVersion,
            "{args:?}"
        );
    }
}

#[test]
fn release_flags_repeat() {
    let cli = Cli::try_parse_from([
        "dynroute", "render", "v1", "-s", "api", "-s", "web", "--set", "a=1", "--set", "b=2",
    ])
    .unwrap();
    let Command::Render(args) = cli.command else {
        panic!()
    };
    assert_eq!(args.release.services, ["api", "web"]);
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(args.release.set, [pair("a", "1"), pair("b", "2")]);
}

#[test]
fn set_pairs_are_validated_while_parsing() {
    use super::values::var_override;
    assert_eq!(
        var_override("b_2=x=y").unwrap(),
        ("b_2".into(), "x=y".into())
    );
    for bad in ["novalue", "a.b=1", "=1"] {
        assert!(var_override(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_refused_value_is_dynroutes_own_error() {
    let err = Cli::try_parse_from(["dynroute", "up", "Feature_1"]).unwrap_err();
    assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
    let source = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<crate::error::UserError>())
        .expect("the value parser's UserError");
    assert!(
        source
            .message
            .starts_with("invalid version name \"Feature_1\""),
        "{}",
        source.message
    );
    assert!(source.hint.is_some());
    for args in [
        &["dynroute", "up", "v1", "--ttl", "0s"][..],
        &["dynroute", "up", "v1", "--timeout", "0"],
        &["dynroute", "check", "--timeout", "0s"],
        &["dynroute", "ls", "--poll-interval", "0ms"],
    ] {
        let err = Cli::try_parse_from(args).unwrap_err();
        assert_eq!(
            err.kind(),
            clap::error::ErrorKind::ValueValidation,
            "{args:?}"
        );
    }
}

#[test]
fn help_names_the_verbs_each_output_flag_affects() {
    use crate::report::format::{JOB_SUMMARY_VERBS, MARKDOWN_VERBS};
    let cli = Cli::command();
    let help = |id: &str| -> String {
        let arg = cli.get_arguments().find(|a| a.get_id() == id).unwrap();
        let mut text = arg.get_help().map(ToString::to_string).unwrap_or_default();
        for value in arg.get_possible_values() {
            text.push_str(
                &value
                    .get_help()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
        }
        text
    };
    let listed = |verbs: &[&str]| format!("({})", verbs.join(", "));
    assert!(
        help("output").contains(&listed(&MARKDOWN_VERBS)),
        "{}",
        help("output")
    );
    assert!(
        help("no_summary").contains(&listed(&JOB_SUMMARY_VERBS)),
        "{}",
        help("no_summary")
    );
}

#[test]
fn serve_s_origins_and_pr_templates_are_checked() {
    for ok in ["*", "https://qa.example.com", "http://127.0.0.1:3000"] {
        values::origin(ok).unwrap();
    }
    for bad in [
        "qa.example.com",
        "https://",
        "https://a.com/path",
        "https://a.com\r\nX: y",
    ] {
        assert!(values::origin(bad).is_err(), "{bad}");
    }
    values::pr_url_template("https://github.com/{repo}/pull/{pr}").unwrap();
    assert!(values::pr_url_template("javascript:alert({pr})").is_err());
    assert!(values::pr_url_template("https://x/{repo}").is_err());
    assert!(values::pr_url_template("https://x/\"{pr}").is_err());
}
