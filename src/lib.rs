//! dynroute: named versions of microservices on a shared ECS cluster, routed per
//! request with the W3C `baggage` header through Traefik.

pub mod baggage;
mod checked;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod error;
pub mod naming;
pub mod provenance;
pub mod release;
pub mod routing;
pub mod tags;
pub mod taskdef;
pub mod template;
pub mod ui;

use std::process::ExitCode;

use cli::{Cli, Command};
use context::Context;

/// Runs one command; `main` maps the error to an exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(cli.global)?;
    match cli.command {
        Command::Header(args) => commands::header::run(&ctx, args),
        Command::Render(args) => commands::render::run(&ctx, args),
        Command::Init(args) => commands::init::run(&ctx, args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man => commands::completions::man(),
    }?;
    Ok(ExitCode::SUCCESS)
}
