//! What Ctrl-C should report. One handler (in `lib.rs`) catches the signal for
//! the whole command; long waits leave a note here saying what goes on without
//! dynroute, so the message is specific wherever the signal lands.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{ExitKind, UserError};

static NOTE: Mutex<Option<(String, &'static str)>> = Mutex::new(None);
/// A request that changes something was sent (the AWS adapter says so).
static WROTE: AtomicBool = AtomicBool::new(false);

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
