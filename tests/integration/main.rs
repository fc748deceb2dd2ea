//! The one integration test binary: the CLI as users run it.

mod harness;
mod http;
mod stack;

mod action;
mod bad_input;
mod completions;
mod header;
mod init;
mod lifecycle;
mod render;
mod routing;
