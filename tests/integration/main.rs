//! The one integration test binary: the CLI as users run it.

mod harness;
mod http;
mod stack;

mod bad_input;
mod completions;
mod header;
mod hostile;
mod init;
mod lifecycle;
mod render;
mod routing;
