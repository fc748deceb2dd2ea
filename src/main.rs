use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dynroute::cli::Cli::parse();
    dynroute::ui::color_enabled(cli.global.no_color);
    match dynroute::run(cli) {
        Ok(code) => code,
        Err(err) => dynroute::ui::report_error(&err),
    }
}
