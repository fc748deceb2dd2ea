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

/// The man page in roff.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    Ok(buf)
}

pub fn run(args: CompletionsArgs) -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(&script(args.shell))?;
    Ok(())
}

pub fn man() -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(&man_page()?)?;
    Ok(())
}
