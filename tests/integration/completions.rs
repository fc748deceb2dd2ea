//! The committed completion scripts and man page must match the CLI.
//! Regenerate them with `DYNROUTE_BLESS=1 cargo test --test integration completions`.

use crate::harness::{Project, repo_root};

fn check(args: &[&str], committed: &str) {
    let generated = Project::empty().ok(args);
    let path = repo_root().join(committed);
    if std::env::var_os("DYNROUTE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{committed} is stale: run `DYNROUTE_BLESS=1 cargo test --test integration completions`"
    );
}

#[test]
fn completion_scripts_are_current() {
    for (shell, file) in [
        ("bash", "completions/dynroute.bash"),
        ("zsh", "completions/_dynroute"),
        ("fish", "completions/dynroute.fish"),
        ("powershell", "completions/_dynroute.ps1"),
        ("elvish", "completions/dynroute.elv"),
    ] {
        check(&["completions", shell], file);
    }
}

#[test]
fn man_page_is_current() {
    check(&["man"], "doc/dynroute.1");
}

#[test]
fn help_lists_only_working_commands() {
    let help = Project::empty().ok(&["--help"]);
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        [
            "up",
            "down",
            "ls",
            "status",
            "prune",
            "check",
            "extend",
            "run",
            "diff",
            "logs",
            "header",
            "render",
            "traefik-config",
            "init",
            "iam-policy",
            "doctor",
            "serve",
            "activity",
            "labels",
            "completions",
            "man",
            "help"
        ],
        "{help}"
    );
}

#[test]
fn man_page_names_only_shipped_pages_and_documents_environment_and_exit_status() {
    let page = Project::empty().ok(&["man"]);
    assert!(
        !page.contains("dynroute\\-up(1)"),
        "references a page that is not shipped"
    );
    assert!(!page.contains("(1)\n"), "references a section-1 page");
    for needle in [
        ".SH ENVIRONMENT",
        "DYNROUTE_CONFIG",
        ".SH EXIT STATUS",
        "\\fB130\\fR",
        "\\fBdynroute up\\fR",
    ] {
        assert!(page.contains(needle), "man page lacks {needle}");
    }
}

#[test]
fn render_help_shows_its_default_format() {
    let help = Project::empty().ok(&["render", "--help"]);
    assert!(
        help.contains("JSON unless `--format yaml`") && help.contains("[default: json]"),
        "{help}"
    );
}
