//! Deploying versions: what ECS reports, what to change, and waiting for it.

pub mod assess;
pub mod inventory;
pub mod model;
pub mod plan;
pub mod verify;
pub mod wait;
