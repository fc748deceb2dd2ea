//! One module per command; each validates its input, then acts.

pub mod completions;
pub mod header;
pub mod init;
pub mod render;

mod inputs;
