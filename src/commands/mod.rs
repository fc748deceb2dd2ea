//! One thin file per command: arguments and settings in, engine calls, a report
//! out. No command reads raw global flags, prints results or branches on the
//! output format (docs/ARCHITECTURE.md, "How to add a verb").

// Commands hand results to `report` and progress to the sink; they never print.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod activity;
pub mod check;
pub mod completions;
pub mod diff;
pub mod doctor;
pub mod down;
pub mod extend;
pub mod header;
pub mod iam_policy;
pub mod init;
pub mod labels;
pub mod logs;
pub mod ls;
pub mod prune;
pub mod render;
pub mod run;
pub mod serve;
pub mod status;
pub mod traefik_config;
pub mod up;

mod picker;
mod pins;

/// Runs an AWS command on a tokio runtime (offline commands never start one).
/// Ctrl-C ends it with exit 130 at any point; the waits inside say more about
/// what goes on without dynroute.
pub fn block_on<T, F: std::future::Future<Output = anyhow::Result<T>>>(
    future: F,
) -> anyhow::Result<T> {
    block_on_value(async {
        let mut future = std::pin::pin!(future);
        tokio::select! {
            biased;
            result = &mut future => result,
            _ = tokio::signal::ctrl_c() => {
                // A one-off task's wait (`run`, a hook) stops its task on the
                // same Ctrl-C: let it, for a bounded time, then end.
                if crate::engine::interrupt::task_is_being_stopped() {
                    let grace = std::time::Duration::from_secs(10);
                    if let Ok(result) = tokio::time::timeout(grace, &mut future).await {
                        return result;
                    }
                }
                Err(crate::engine::interrupt::error().into())
            }
        }
    })
}

/// Runs async work that returns a value on a fresh tokio runtime.
pub fn block_on_value<T, F: std::future::Future<Output = anyhow::Result<T>>>(
    future: F,
) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(future)
}
