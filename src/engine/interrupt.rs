//! What Ctrl-C should report. One handler (in `lib.rs`) catches the signal for
//! the whole command; long waits leave a note here saying what goes on without
//! dynroute, so the message is specific wherever the signal lands.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::error::{ExitKind, UserError};

static NOTE: Mutex<Option<(String, &'static str)>> = Mutex::new(None);
/// A request that changes something was sent (the AWS adapter says so).
static WROTE: AtomicBool = AtomicBool::new(false);

/// One-off tasks being waited for: their waits stop them on Ctrl-C themselves.
static STOPPING_ON_INTERRUPT: AtomicUsize = AtomicUsize::new(0);

/// While alive, a wait that stops its one-off task on Ctrl-C is running: the
/// handler gives it time to send StopTask before the command ends.
pub struct StopsItsTask(());

impl StopsItsTask {
    pub fn new() -> StopsItsTask {
        STOPPING_ON_INTERRUPT.fetch_add(1, Ordering::SeqCst);
        StopsItsTask(())
    }
}

impl Default for StopsItsTask {
    fn default() -> Self {
        StopsItsTask::new()
    }
}

impl Drop for StopsItsTask {
    fn drop(&mut self) {
        STOPPING_ON_INTERRUPT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Whether a wait is stopping its one-off task on this Ctrl-C.
pub fn task_is_being_stopped() -> bool {
    STOPPING_ON_INTERRUPT.load(Ordering::SeqCst) > 0
}

/// Called before each request that changes something in AWS: from then on an
/// interruption says that sent requests take effect.
pub fn sending_a_write() {
    WROTE.store(true, Ordering::Relaxed);
}

/// Sets the message and hint for an interruption from now on.
pub fn note(message: String, hint: &'static str) {
    *NOTE.lock().unwrap_or_else(|e| e.into_inner()) = Some((message, hint));
}

/// Back to the generic message.
pub fn clear() {
    *NOTE.lock().unwrap_or_else(|e| e.into_inner()) = None;
}

/// The error for an interruption now (exit 130).
pub fn error() -> UserError {
    match NOTE.lock().unwrap_or_else(|e| e.into_inner()).take() {
        Some((message, hint)) => UserError::new(ExitKind::Interrupted, message).hint(hint),
        None if WROTE.load(Ordering::Relaxed) => {
            UserError::new(ExitKind::Interrupted, "interrupted")
                .hint("requests already sent to AWS take effect; run the command again to converge")
        }
        // Nothing was changed (a read-only command, or before the first write).
        None => UserError::new(ExitKind::Interrupted, "interrupted"),
    }
}
