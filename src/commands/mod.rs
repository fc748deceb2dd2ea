//! One thin file per command: arguments and settings in, engine calls, a report
//! out. No command reads raw global flags, prints results or branches on the
//! output format (docs/ARCHITECTURE.md, "How to add a verb").

pub mod check;
pub mod completions;
pub mod diff;
pub mod down;
pub mod extend;
pub mod header;
pub mod iam_policy;
pub mod init;
mod init_adopt;
mod init_answers;
mod init_choices;
mod init_source;
pub mod logs;
pub mod ls;
pub mod prune;
pub mod render;
pub mod status;
pub mod traefik_config;
pub mod up;

mod picker;
mod pins;
