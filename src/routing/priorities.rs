//! Router priorities for the precedence of the ways in, derived from
//! `traefik.priority` (the baggage member) and `traefik.main_priority`.
//!
//! Highest first: the link and clear paths (a request to them also carries the
//! cookie), version host, pin, baggage member, cookie, fallback tiers in order, main.
//! Traefik picks the highest priority among the routers that match, so the tiers
//! need distinct numbers strictly between main's and the baggage member's.

use super::TraefikSettings;

/// The priority of every kind of router.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priorities {
    pub link: u32,
    pub version_host: u32,
    pub pin: u32,
    pub baggage: u32,
    pub cookie: u32,
    /// The first fallback tier; the n-th is `fallback_first - n`.
    pub fallback_first: u32,
    pub main: u32,
}

/// Traefik stores priorities as a signed integer; stay well inside it.
const MAX_PRIORITY: u32 = i32::MAX as u32;

impl Priorities {
    /// The priorities for `fallback_tiers` fallback versions, or why the settings
    /// leave no room for them.
    pub fn derive(traefik: &TraefikSettings, fallback_tiers: usize) -> Result<Priorities, String> {
        let p = traefik.priority;
        let main = traefik.main_priority;
        let tiers = u32::try_from(fallback_tiers).unwrap_or(u32::MAX);
        // cookie = p-1, tiers below it, all strictly above main.
        let needed = main.saturating_add(2).saturating_add(tiers);
        if p < needed {
            return Err(format!(
                "traefik.priority ({p}) leaves no room between it and traefik.main_priority ({main}) for the cookie router and {tiers} fallback tier(s): it must be at least {needed}"
            ));
        }
        if p > MAX_PRIORITY - 3 {
            return Err(format!(
                "traefik.priority ({p}) is too high: the version host, pin and link routers sit 3 above it, and Traefik priorities stop at {MAX_PRIORITY}"
            ));
        }
        Ok(Priorities {
            link: p + 3,
            version_host: p + 2,
            pin: p + 1,
            baggage: p,
            cookie: p - 1,
            fallback_first: p - 2,
            main,
        })
    }

    /// The priority of fallback tier `index` (0 is the first in `fallback`).
    pub fn fallback(&self, index: usize) -> u32 {
        self.fallback_first - u32::try_from(index).expect("checked in derive")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(priority: u32, main_priority: u32) -> TraefikSettings {
        TraefikSettings {
            priority,
            main_priority,
            ..TraefikSettings::default()
        }
    }

    #[test]
    fn precedence_is_strictly_ordered_and_above_main() {
        let p = Priorities::derive(&settings(1000, 1), 2).unwrap();
        let order = [
            p.link,
            p.version_host,
            p.pin,
            p.baggage,
            p.cookie,
            p.fallback(0),
            p.fallback(1),
            p.main,
        ];
        assert!(order.windows(2).all(|w| w[0] > w[1]), "{order:?}");
        assert_eq!(p.baggage, 1000);
        assert_eq!(p.main, 1);
    }

    #[test]
    fn the_tightest_settings_that_fit_are_accepted() {
        let p = Priorities::derive(&settings(4, 1), 1).unwrap();
        assert_eq!((p.cookie, p.fallback(0), p.main), (3, 2, 1));
        assert!(Priorities::derive(&settings(3, 1), 0).is_ok());
    }

    #[test]
    fn settings_that_would_collide_or_reach_main_are_rejected() {
        let err = Priorities::derive(&settings(3, 1), 1).unwrap_err();
        assert!(err.contains("must be at least 4"), "{err}");
        assert!(Priorities::derive(&settings(2, 1), 0).is_err());
        assert!(Priorities::derive(&settings(10, 9), 0).is_err());
        assert!(Priorities::derive(&settings(i32::MAX as u32, 1), 0).is_err());
    }
}
