//! dynroute: named versions of microservices on a shared ECS cluster, routed per
//! request with the W3C `baggage` header through Traefik.
//!
//! Layers (docs/ARCHITECTURE.md): `cli` → `settings` → `commands` (thin) →
//! `engine` (plan, execute, wait) → `ecs` (the domain and its trait) ← `aws`
//! (the SDK); results come back as `report`s, printed once by [`report::emit`].

pub mod aws;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod doctor;
pub mod ecs;
pub mod engine;
pub mod error;
pub mod files;
pub mod naming;
pub mod report;
pub mod routing;
pub mod settings;
pub mod taskdef;
pub mod template;
pub mod tls;
pub mod ui;

use std::process::ExitCode;

use cli::{Cli, Command};
use commands::block_on;
use report::emit;
use settings::Settings;

/// Runs one command and prints its report; `main` maps an error to an exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_args(cli.global)?;
    let s = &settings;
    let verb = cli.command.verb();
    report::format::check_output(s.output, verb)?;
    match cli.command {
        Command::Up(args) => emit(&s.sink(verb), &block_on(commands::up::run(s, args))?),
        Command::Down(args) => emit(&s.sink(verb), &block_on(commands::down::run(s, args))?),
        Command::Ls(args) => emit(&s.sink(verb), &block_on(commands::ls::run(s, args))?),
        Command::Status(args) => emit(&s.sink(verb), &block_on(commands::status::run(s, args))?),
        Command::Prune(args) => emit(&s.sink(verb), &block_on(commands::prune::run(s, args))?),
        Command::Check(args) => emit(&s.sink(verb), &block_on(commands::check::run(s, args))?),
        Command::Extend(args) => emit(&s.sink(verb), &block_on(commands::extend::run(s, args))?),
        // `run` handles Ctrl-C itself: it stops the task before exiting 130.
        Command::Run(args) => emit(
            &s.sink(verb),
            &commands::block_on_value(commands::run::run(s, args))?,
        ),
        Command::Diff(args) => match args.against_file.clone() {
            Some(file) => emit(
                &s.sink(verb),
                &commands::diff::against_file(s, args, &file)?,
            ),
            None => emit(&s.sink(verb), &block_on(commands::diff::run(s, args))?),
        },
        Command::Logs(args) => emit(&s.sink(verb), &block_on(commands::logs::run(s, args))?),
        Command::Header(args) => emit(&s.sink(verb), &commands::header::run(s, args)?),
        Command::Render(args) => emit(&s.sink(verb), &commands::render::run(s, args)?),
        Command::TraefikConfig(args) => {
            emit(&s.sink(verb), &commands::traefik_config::run(s, args)?)
        }
        Command::Init(args) => emit(&s.sink(verb), &commands::init::run(s, args)?),
        Command::IamPolicy(args) => emit(&s.sink(verb), &commands::iam_policy::run(s, args)?),
        Command::Doctor(args) => emit(&s.sink(verb), &block_on(commands::doctor::run(s, args))?),
        // `serve` ends on Ctrl-C by itself, gracefully (exit 0).
        Command::Serve(args) => emit(
            &s.sink(verb),
            &commands::block_on_value(commands::serve::run(s, args))?,
        ),
        Command::Activity(args) => {
            emit(&s.sink(verb), &block_on(commands::activity::run(s, args))?)
        }
        Command::Labels(args) => emit(&s.sink(verb), &commands::labels::run(s, args)?),
        Command::Completions(args) => commands::completions::run(args).map(|()| ExitCode::SUCCESS),
        Command::Man => commands::completions::man().map(|()| ExitCode::SUCCESS),
    }
}
