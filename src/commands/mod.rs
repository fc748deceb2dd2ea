//! One thin file per command: arguments and settings in, engine calls, a report
//! out. No command reads raw global flags, prints results or branches on the
//! output format (docs/ARCHITECTURE.md, "How to add a verb").

pub mod check;
pub mod completions;
pub mod down;
pub mod header;
pub mod init;
pub mod ls;
pub mod prune;
pub mod render;
pub mod status;
pub mod traefik_config;
pub mod up;

mod inputs;
mod picker;
mod pins;
