//! Where `up`'s time goes: a [`Stopwatch`] the command starts before it validates
//! anything, marks the engine sets as `up` moves on, and the [`Timings`] (one
//! duration per phase) the report prints as `timings` and `-v` on stderr.
//!
//! Registering and "first task running" happen inside the per-service work the
//! engine does concurrently, so the engine tells its [`Progress`] sink when a
//! phase ends ([`Progress::phase_ended`]) and [`Timing`] notes the time: the
//! last registration, the first DescribeServices answer that shows a task of
//! every new task definition running. The clock is tokio's, so the engine's
//! tests see exact durations under a paused clock.

use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

pub use super::progress::Mark;
use super::progress::Progress;

/// The moments `up` passed, from the start of the command.
#[derive(Debug, Default, Clone, Copy)]
struct Marks {
    validated: Option<Instant>,
    planned: Option<Instant>,
    registered: Option<Instant>,
    hooked: Option<Instant>,
    applied: Option<Instant>,
    first_running: Option<Instant>,
    steady: Option<Instant>,
    routable: Option<Instant>,
    finished: Option<Instant>,
}

impl Marks {
    fn slot(&mut self, mark: Mark) -> &mut Option<Instant> {
        match mark {
            Mark::Validated => &mut self.validated,
            Mark::Planned => &mut self.planned,
            Mark::Registered => &mut self.registered,
            Mark::Hooked => &mut self.hooked,
            Mark::Applied => &mut self.applied,
            Mark::FirstRunning => &mut self.first_running,
            Mark::Steady => &mut self.steady,
            Mark::Routable => &mut self.routable,
        }
    }
}

/// The phases `up` went through, in milliseconds each (from the end of the
/// phase before); `null` for a phase this run did not reach (a dry run stops
/// after `plan`, `--no-wait` after `create_update`, no ingress before `routable`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Timings {
    /// Rendering every template and checking the flags, before any AWS call.
    pub validate_ms: Option<u64>,
    /// The SDK clients, the guardrails and the one DescribeServices of what exists.
    pub plan_ms: Option<u64>,
    /// Until the last RegisterTaskDefinition answered.
    pub register_ms: Option<u64>,
    /// Until the last `on_create` / `before_up` hook exited (`null`: no hook ran).
    pub hooks_ms: Option<u64>,
    /// Until the last CreateService / UpdateService (and its tagging) answered.
    pub create_update_ms: Option<u64>,
    /// Until a task of every new task definition was running.
    pub first_task_running_ms: Option<u64>,
    /// Until every service ran only its desired tasks of the new task definition.
    pub steady_state_ms: Option<u64>,
    /// Until the ingress answered as the version for every service (`--verify`).
    pub routable_ms: Option<u64>,
    /// The whole command, start to report.
    pub total_ms: Option<u64>,
}

impl Timings {
    /// `(phase, milliseconds)` of every phase that ran, in order, for `-v`.
    pub fn phases(&self) -> Vec<(&'static str, u64)> {
        [
            ("validate", self.validate_ms),
            ("plan", self.plan_ms),
            ("register", self.register_ms),
            ("hooks", self.hooks_ms),
            ("create/update", self.create_update_ms),
            ("first task running", self.first_task_running_ms),
            ("steady state", self.steady_state_ms),
            ("routable", self.routable_ms),
            ("total", self.total_ms),
        ]
        .into_iter()
        .filter_map(|(name, ms)| ms.map(|ms| (name, ms)))
        .collect()
    }
}

/// Started when `up` starts; the engine marks the phases it completes.
#[derive(Debug)]
pub struct Stopwatch {
    start: Instant,
    marks: Mutex<Marks>,
}

impl Default for Stopwatch {
    fn default() -> Self {
        Stopwatch::start()
    }
}

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch {
            start: Instant::now(),
            marks: Mutex::new(Marks::default()),
        }
    }

    /// Notes that `mark` happened now (a later call for the same mark moves it).
    pub fn mark(&self, mark: Mark) {
        let now = Instant::now();
        let mut m = self.marks.lock().unwrap_or_else(|e| e.into_inner());
        *m.slot(mark) = Some(now);
    }

    fn is_marked(&self, mark: Mark) -> bool {
        let mut m = self.marks.lock().unwrap_or_else(|e| e.into_inner());
        m.slot(mark).is_some()
    }

    /// The durations so far; ends the `total` now.
    pub fn timings(&self) -> Timings {
        let mut m = *self.marks.lock().unwrap_or_else(|e| e.into_inner());
        m.finished = Some(Instant::now());
        // A service with no desired task is running as soon as it is steady.
        if m.steady.is_some() && m.first_running.is_none() {
            m.first_running = m.steady;
        }
        let mut previous = Some(self.start);
        let mut phase = |end: Option<Instant>| -> Option<u64> {
            let (from, to) = (previous?, end?);
            previous = Some(to);
            Some(millis(to.saturating_duration_since(from)))
        };
        Timings {
            validate_ms: phase(m.validated),
            plan_ms: phase(m.planned),
            register_ms: phase(m.registered),
            // No hook ran: `null`, and create/update counts from the registration.
            hooks_ms: phase(m.hooked),
            create_update_ms: phase(m.applied),
            first_task_running_ms: phase(m.first_running),
            steady_state_ms: phase(m.steady),
            routable_ms: phase(m.routable),
            total_ms: m
                .finished
                .map(|f| millis(f.saturating_duration_since(self.start))),
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A [`Progress`] sink that passes everything on and notes the phases the
/// engine says have ended.
pub struct Timing<'a> {
    inner: &'a mut dyn Progress,
    watch: &'a Stopwatch,
}

impl<'a> Timing<'a> {
    pub fn new(inner: &'a mut dyn Progress, watch: &'a Stopwatch) -> Timing<'a> {
        Timing { inner, watch }
    }
}

impl Progress for Timing<'_> {
    fn update(&mut self, name: &str, line: &str) {
        self.inner.update(name, line);
    }
    fn finish(&mut self, name: &str, line: &str) {
        self.inner.finish(name, line);
    }
    fn stop(&mut self) {
        self.inner.stop();
    }
    fn info(&mut self, message: &str) {
        self.inner.info(message);
    }
    fn detail(&mut self, message: &str) {
        self.inner.detail(message);
    }
    fn warn(&mut self, message: &str) {
        self.inner.warn(message);
    }
    fn phase_ended(&mut self, mark: Mark) {
        match mark {
            // The first answer that shows it counts; later ones do not move it.
            Mark::FirstRunning if self.watch.is_marked(Mark::FirstRunning) => {}
            // A registration after the services were applied (none today) is not this phase.
            Mark::Registered if self.watch.is_marked(Mark::Applied) => {}
            _ => self.watch.mark(mark),
        }
        self.inner.phase_ended(mark);
    }
}
