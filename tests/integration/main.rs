//! The one integration test binary: the CLI as users run it.

mod harness;
mod http;
mod stack;
mod webdriver;

mod bad_input;
mod browser;
mod completions;
mod entry_middleware;
mod header;
mod init;
mod lifecycle;
mod otel_chain;
mod projects;
mod render;
mod routing;
mod traefik_config;
mod ways_in;
mod ways_in_cli;
