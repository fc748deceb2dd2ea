//! The one integration test binary: the CLI as users run it.

mod harness;

mod bad_input;
mod completions;
mod header;
mod init;
mod render;
