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
        Command::Header(args) => assert_eq!(args.version_name.as_deref(), Some("feature-1")),
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
    assert_eq!(args.release.set, ["a=1", "b=2"]);
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
