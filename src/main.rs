use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match dynroute::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return dynroute::ui::report_parse_error(err),
    };
    dynroute::ui::color_enabled(cli.global.no_color);
    match dynroute::run(cli) {
        Ok(code) => code,
        Err(err) => dynroute::ui::report_error(&err),
    }
}
