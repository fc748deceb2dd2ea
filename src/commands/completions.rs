//! `dynroute completions SHELL` and `dynroute man`.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

/// The completion script for a shell, as committed under `completions/`.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dynroute", &mut buf);
    buf
}

/// The man page in roff: clap's sections, the commands as `dynroute COMMAND`
/// (only one page is shipped, so no `dynroute-up(1)` references), then the
/// environment and the exit status.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    man.render_options_section(&mut buf)?;
    buf.extend_from_slice(
        b".SH COMMANDS\n.PP\nRun \\fBdynroute COMMAND \\-\\-help\\fR for the options of each command.\n",
    );
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        buf.extend_from_slice(
            format!(
                ".TP\n\\fBdynroute {}\\fR\n{}\n",
                sub.get_name(),
                roff_text(&about)
            )
            .as_bytes(),
        );
    }
    buf.extend_from_slice(ENVIRONMENT.as_bytes());
    buf.extend_from_slice(EXIT_STATUS.as_bytes());
    man.render_version_section(&mut buf)?;
    Ok(buf)
}

const ENVIRONMENT: &str = r".SH ENVIRONMENT
.TP
\fBDYNROUTE_CONFIG\fR
The config file, as \fB\-\-config\fR.
.TP
\fBDYNROUTE_CLUSTER\fR
The ECS cluster, as \fB\-\-cluster\fR.
.TP
\fBDYNROUTE_REGION\fR
The AWS region, as \fB\-\-region\fR.
.TP
\fBDYNROUTE_POLL_INTERVAL\fR
How often waits poll, as \fB\-\-poll\-interval\fR.
.TP
\fBAWS_PROFILE\fR, \fBAWS_REGION\fR, \fBAWS_ENDPOINT_URL\fR, \fBAWS_ACCESS_KEY_ID\fR, ...
The AWS SDK's usual configuration chain.
.TP
\fBGITHUB_*\fR, \fBCI_*\fR, \fBBUILDKITE_*\fR, ...
CI variables: the version name, commit, branch, owner and CI URL of a release.
.TP
\fBNO_COLOR\fR
Disables colours, as \fB\-\-no\-color\fR.
";

const EXIT_STATUS: &str = r".SH EXIT STATUS
.TP
\fB0\fR
Success.
.TP
\fB1\fR
Failure (AWS, I/O, ...).
.TP
\fB2\fR
Usage error: invalid flags, config, template or version name, before any AWS call.
.TP
\fB3\fR
Timed out waiting.
.TP
\fB4\fR
Deployment failed (rolled back, tasks stopped).
.TP
\fB130\fR
Interrupted.
";

/// Text for a roff paragraph: backslashes, leading dots and quotes escaped.
fn roff_text(text: &str) -> String {
    let text = text
        .replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\'', "\\(aq");
    match text.strip_prefix('.') {
        Some(rest) => format!("\\&.{rest}"),
        None => text,
    }
}

pub fn run(args: CompletionsArgs) -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(&script(args.shell))?;
    Ok(())
}

pub fn man() -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(&man_page()?)?;
    Ok(())
}
