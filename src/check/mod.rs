//! `dynroute check`: prove the routing table as it stands by requests, and lint
//! what Traefik really loaded.
//!
//! Everything here but [`send`] and [`traefik::fetch`] is pure: the cases come
//! from one ECS listing and the project config, the lint from two Traefik API
//! reads, and the exports from the results.

pub mod baseline;
pub mod cases;
pub mod lint;
pub mod select;
pub mod send;
pub mod traefik;
