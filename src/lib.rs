//! dynroute: named versions of microservices on a shared ECS cluster, routed per
//! request with the W3C `baggage` header through Traefik.

pub mod aws;
pub mod baggage;
mod checked;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod deploy;
pub mod error;
mod interrupt;
pub mod naming;
pub mod placeholders;
pub mod provenance;
pub mod release;
pub mod reserved;
pub mod routing;
pub mod source_file;
pub mod tags;
pub mod taskdef;
pub mod template;
pub mod terminal_text;
pub mod ui;

use std::process::ExitCode;

use cli::{Cli, Command};
use context::Context;

/// Runs one command; `main` maps the error to an exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(cli.global)?;
    match cli.command {
        Command::Up(args) => block_on(commands::up::run(&ctx, args)),
        Command::Down(args) => block_on(commands::down::run(&ctx, args)),
        Command::Ls(args) => block_on(commands::ls::run(&ctx, args)),
        Command::Status(args) => block_on(commands::status::run(&ctx, args)),
        Command::Prune(args) => block_on(commands::prune::run(&ctx, args)),
        Command::Header(args) => commands::header::run(&ctx, args),
        Command::Render(args) => commands::render::run(&ctx, args),
        Command::Init(args) => commands::init::run(&ctx, args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man => commands::completions::man(),
    }?;
    Ok(ExitCode::SUCCESS)
}

/// Runs an AWS command on a tokio runtime (offline commands never start one).
/// Ctrl-C ends it with exit 130 at any point; the waits inside say more about
/// what goes on without dynroute.
fn block_on<F: std::future::Future<Output = anyhow::Result<()>>>(future: F) -> anyhow::Result<()> {
    block_on_value(async {
        tokio::select! {
            biased;
            result = future => result,
            _ = tokio::signal::ctrl_c() => Err(interrupt::error().into()),
        }
    })
}

/// Runs async work that returns a value on a fresh tokio runtime.
pub(crate) fn block_on_value<T, F: std::future::Future<Output = anyhow::Result<T>>>(
    future: F,
) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(future)
}
