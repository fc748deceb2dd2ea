//! One module per command; each validates its input, then acts.

pub mod completions;
pub mod down;
pub mod extend;
pub mod header;
pub mod iam_policy;
pub mod init;
mod init_adopt;
pub mod ls;
pub mod prune;
pub mod render;
pub mod status;
pub mod up;

mod guardrails;
mod ingress;
mod removal;

mod inputs;
