//! The one way dynroute waits: poll at an interval until a deadline.
//!
//! Every wait (rollouts, draining services, create conflicts, `up --verify`,
//! `down --wait`) asks the same [`Poller`] for its next turn, so intervals and
//! deadlines are set once, in the settings, and tests shorten them in one place.

use std::time::Duration;

use tokio::time::{Instant, sleep};

/// The shortest pause between two polls, even right before the deadline.
const MIN_PAUSE: Duration = Duration::from_millis(50);

/// The first pause of [`Poller::tick_ramping`].
const FIRST_QUICK_POLL: Duration = Duration::from_millis(250);

/// Polls at `interval` until `deadline`.
#[derive(Debug, Clone, Copy)]
pub struct Poller {
    pub interval: Duration,
    pub deadline: Instant,
}

/// The deadline passed: the caller says what it was waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineReached;

impl Poller {
    /// Polls every `interval` for at most `budget` from now.
    pub fn new(interval: Duration, budget: Duration) -> Poller {
        Poller {
            interval,
            deadline: Instant::now() + budget,
        }
    }

    /// The same interval with another deadline.
    pub fn until(self, deadline: Instant) -> Poller {
        Poller { deadline, ..self }
    }

    /// Polls every `interval` with no deadline of its own (`logs --follow`:
    /// Ctrl-C ends it).
    pub fn unbounded(interval: Duration) -> Poller {
        // About thirty years: far beyond any run, well inside `Instant`'s range.
        Poller::new(interval, Duration::from_secs(30 * 365 * 24 * 3600))
    }

    /// Waits like [`Poller::tick`], the interval doubled for every one of
    /// `idle` quiet rounds before, up to `longest`.
    pub async fn tick_backing_off(
        &self,
        idle: u32,
        longest: Duration,
    ) -> Result<(), DeadlineReached> {
        let factor = 1u32.checked_shl(idle.min(16)).unwrap_or(u32::MAX);
        let interval = self
            .interval
            .saturating_mul(factor)
            .min(longest.max(self.interval));
        Poller { interval, ..*self }.tick().await
    }

    /// Waits like [`Poller::tick`], but the first rounds sooner: 250 ms
    /// doubled for every round before, up to the interval (a one-off task
    /// that ends within a second is seen within a second, not at the first
    /// full interval).
    pub async fn tick_ramping(&self, round: u32) -> Result<(), DeadlineReached> {
        let factor = 1u32.checked_shl(round.min(16)).unwrap_or(u32::MAX);
        let interval = FIRST_QUICK_POLL.saturating_mul(factor).min(self.interval);
        Poller { interval, ..*self }.tick().await
    }

    /// Whether the deadline has passed.
    pub fn expired(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Waits for the next poll; `Err` once the deadline has passed (no wait then).
    pub async fn tick(&self) -> Result<(), DeadlineReached> {
        if self.expired() {
            return Err(DeadlineReached);
        }
        let left = self.deadline.saturating_duration_since(Instant::now());
        sleep(self.interval.min(left).max(MIN_PAUSE)).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn ticks_until_the_deadline_then_says_so() {
        let poller = Poller::new(Duration::from_secs(3), Duration::from_secs(10));
        let start = Instant::now();
        let mut ticks = 0;
        while poller.tick().await.is_ok() {
            ticks += 1;
        }
        // 3 + 3 + 3 + 1 (the rest) seconds.
        assert_eq!(ticks, 4);
        assert_eq!(Instant::now() - start, Duration::from_secs(10));
        assert_eq!(poller.tick().await, Err(DeadlineReached));
    }

    #[tokio::test(start_paused = true)]
    async fn quiet_rounds_double_the_pause_up_to_the_longest() {
        let poller = Poller::unbounded(Duration::from_secs(2));
        let longest = Duration::from_secs(15);
        let mut pauses = Vec::new();
        for idle in [0, 1, 2, 3, 40] {
            let start = Instant::now();
            poller.tick_backing_off(idle, longest).await.unwrap();
            pauses.push((Instant::now() - start).as_secs());
        }
        assert_eq!(pauses, [2, 4, 8, 15, 15]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_rounds_ramp_up_to_the_interval() {
        let poller = Poller::unbounded(Duration::from_secs(3));
        let mut pauses = Vec::new();
        for round in [0, 1, 2, 3, 4, 40] {
            let start = Instant::now();
            poller.tick_ramping(round).await.unwrap();
            pauses.push((Instant::now() - start).as_millis());
        }
        assert_eq!(pauses, [250, 500, 1000, 2000, 3000, 3000]);
        // An interval shorter than the ramp is kept as it is.
        let quick = Poller::unbounded(Duration::from_millis(100));
        let start = Instant::now();
        quick.tick_ramping(0).await.unwrap();
        assert_eq!((Instant::now() - start).as_millis(), 100);
    }
}
