//! The README's demo as a newcomer keeps it running: `KEEP=1 scripts/demo`, then
//! the lines it prints, verbatim, in a fresh shell, and its version host and link
//! opened in the test Chromium.

use std::process::{Command, Output, Stdio};

use crate::harness::repo_root;
use crate::webdriver::Browser;

/// The lines of the block that starts after the line beginning with `after`: the
/// indented ones, up to the first line that is not.
fn block<'a>(text: &'a str, after: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| !l.starts_with(after))
        .skip(1)
        .skip_while(|l| !l.starts_with("  "))
        .take_while(|l| l.starts_with("  "))
        .map(str::trim_start)
        .collect()
}

/// Runs `lines` in a fresh shell: nothing but PATH, HOME and TMPDIR inherited.
fn fresh_shell(home: &std::path::Path, lines: &[&str]) -> Output {
    Command::new("bash")
        .arg("-euc")
        .arg(lines.join("\n"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Stops the demo's stack even when an assertion fails first.
struct StopOnDrop(Option<String>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if let Some(state) = &self.0 {
            let _ = Command::new(repo_root().join("scripts/stack"))
                .args(["stop", "--state-dir", state, "--remove"])
                .stdin(Stdio::null())
                .output();
        }
    }
}

#[test]
fn the_kept_demo_prints_lines_that_work_in_a_fresh_shell_and_a_browser() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(repo_root().join("scripts/demo"))
        .current_dir(repo_root())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("KEEP", "1")
        .env("DYNROUTE_BIN", assert_cmd::cargo::cargo_bin("dynroute"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let setup = block(&stdout, "In another shell");
    let state = setup
        .iter()
        .find_map(|l| l.split("DYNROUTE_CONFIG=").nth(1))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|c| c.strip_suffix("/dynroute.yaml"))
        .map(str::to_owned);
    let _stop = StopOnDrop(state.clone());
    assert!(
        out.status.success(),
        "scripts/demo failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let state = state.expect("the setup lines name the config");

    // The setup lines, verbatim, in a fresh shell: `dynroute ls` lists both versions.
    let ls = fresh_shell(home.path(), &setup);
    let listed = String::from_utf8_lossy(&ls.stdout);
    assert!(
        ls.status.success(),
        "{listed}{}",
        String::from_utf8_lossy(&ls.stderr)
    );
    let versions: Vec<&str> = listed
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(versions, ["main", "feature-2981"], "{listed}");

    // curl with the printed --resolve reaches the version through its version host.
    let ways = block(&stdout, "The version host, and the link");
    let curl = fresh_shell(home.path(), &[&format!("{} -s -i", ways[0])]);
    let answer = String::from_utf8_lossy(&curl.stdout);
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("x-dynroute-version: feature-2981"),
        "{}: {answer}",
        ways[0]
    );

    // Chromium with the printed resolver rule: the version host, then the link.
    let chromium: Vec<(&str, &str)> = ways[1..]
        .iter()
        .map(|l| {
            let rule = l.split('\'').nth(1).unwrap();
            let url = l.rsplit(' ').next().unwrap();
            (rule, url)
        })
        .collect();
    // The printed rule must send only the dev hosts to loopback.
    assert!(
        chromium
            .iter()
            .all(|(rule, _)| *rule == "MAP *.dev.example.com 127.0.0.1"),
        "{chromium:?}"
    );
    let browser = Browser::start_with_rules(chromium[0].0);
    browser.open(chromium[0].1);
    assert_eq!(
        browser.page_json()["env"]["DYNROUTE_VERSION"],
        "feature-2981",
        "{}",
        chromium[0].1
    );
    let link = Browser::start_with_rules(chromium[1].0);
    link.open(chromium[1].1);
    // It redirected to `/` of the same host.
    let landed = link.current_url();
    assert!(
        landed.ends_with('/') && !landed.contains("_dynroute"),
        "{landed}"
    );
    assert_eq!(
        link.page_json()["env"]["DYNROUTE_VERSION"],
        "feature-2981",
        "the link set the cookie: {}",
        link.current_url()
    );

    // The closing lines remove the version and the stack, state folder included.
    let done = block(&stdout, "When done");
    let mut lines = setup.clone();
    lines.extend(&done);
    let down = fresh_shell(home.path(), &lines);
    assert!(
        down.status.success(),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
    assert!(
        !std::path::Path::new(&state).exists(),
        "{state} is left behind"
    );
}
