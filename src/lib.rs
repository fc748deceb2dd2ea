//! dynroute: named versions of microservices on a shared ECS cluster, routed per
//! request with the W3C `baggage` header through Traefik.
//!
//! Layers (docs/ARCHITECTURE.md): `cli` → `settings` → `commands` (thin) →
//! `engine` (plan, execute, wait) → `ecs` (the domain and its trait) ← `aws`
//! (the SDK); results come back as `report`s, printed once by [`report::emit`].

pub mod adopt;
pub mod aws;
pub mod baggage;
pub mod check;
mod checked;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diff;
pub mod ecs;
pub mod engine;
pub mod error;
mod git_remote;
pub mod iam;
pub mod inputs;
mod interrupt;
pub mod limits;
pub mod logs;
pub mod naming;
pub mod placeholders;
pub mod provenance;
pub mod release;
pub mod report;
pub mod reserved;
pub mod routing;
pub mod scaffold;
pub mod settings;
pub mod source_file;
pub mod tags;
pub mod taskdef;
pub mod template;
pub mod terminal_text;
pub mod traefik_static;
pub mod ui;

use std::process::ExitCode;

use cli::{Cli, Command};
use report::emit;
use settings::Settings;

/// Runs one command and prints its report; `main` maps an error to an exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_args(cli.global)?;
    let s = &settings;
    report::check_output(s, &cli.command)?;
    match cli.command {
        Command::Up(args) => emit(s, &block_on(commands::up::run(s, args))?),
        Command::Down(args) => emit(s, &block_on(commands::down::run(s, args))?),
        Command::Ls(args) => emit(s, &block_on(commands::ls::run(s, args))?),
        Command::Status(args) => emit(s, &block_on(commands::status::run(s, args))?),
        Command::Prune(args) => emit(s, &block_on(commands::prune::run(s, args))?),
        Command::Check(args) => emit(s, &block_on(commands::check::run(s, args))?),
        Command::Extend(args) => emit(s, &block_on(commands::extend::run(s, args))?),
        Command::Diff(args) => match args.against_file.clone() {
            Some(file) => emit(s, &commands::diff::against_file(s, args, &file)?),
            None => emit(s, &block_on(commands::diff::run(s, args))?),
        },
        Command::Logs(args) => emit(s, &block_on(commands::logs::run(s, args))?),
        Command::Header(args) => emit(s, &commands::header::run(s, args)?),
        Command::Render(args) => emit(s, &commands::render::run(s, args)?),
        Command::TraefikConfig(args) => emit(s, &commands::traefik_config::run(s, args)?),
        Command::Init(args) => emit(s, &commands::init::run(s, args)?),
        Command::IamPolicy(args) => emit(s, &commands::iam_policy::run(s, args)?),
        Command::Completions(args) => commands::completions::run(args).map(|()| ExitCode::SUCCESS),
        Command::Man => commands::completions::man().map(|()| ExitCode::SUCCESS),
    }
}

/// Runs an AWS command on a tokio runtime (offline commands never start one).
/// Ctrl-C ends it with exit 130 at any point; the waits inside say more about
/// what goes on without dynroute.
pub(crate) fn block_on<T, F: std::future::Future<Output = anyhow::Result<T>>>(
    future: F,
) -> anyhow::Result<T> {
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
