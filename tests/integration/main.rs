//! The one integration test binary: the CLI as users run it.

mod harness;
mod http;
mod stack;

mod bad_input;
mod check;
mod completions;
mod header;
mod init;
mod lifecycle;
mod render;
mod routing;
mod ways_in;
mod ways_in_cli;
