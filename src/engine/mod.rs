//! The deploy engine: pure planning, and an executor that carries a plan out
//! against any [`crate::ecs::Ecs`] with one [`poller::Poller`] and a
//! [`progress::Progress`] sink. Commands call it; it never prints or prompts.
//! See docs/ARCHITECTURE.md for the layers and the data flow of `up` and `ls`.

pub mod activity;
pub mod after_down;
pub mod assess;
pub mod baseline;
pub mod compare;
pub mod deploy;
pub mod deployed;
pub mod extend;
pub mod guardrails;
pub mod hooks;
pub mod ingress;
pub mod interrupt;
pub mod inventory;
pub mod logs;
pub mod plan;
pub mod poller;
pub mod progress;
pub mod removal;
pub mod rollout;
pub mod run;
pub mod scope;
pub mod timings;
pub mod up;
pub mod verify;
pub mod visibility;
pub mod ways_in;

#[cfg(test)]
mod tests;
