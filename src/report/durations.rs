//! Durations as `ls` shows them: how old a version is (rounded down: it is at
//! least that old) and how long until it expires (rounded up: it never
//! understates the time left).

use jiff::Timestamp;

/// A compact age like `3d`, `5h`, `12m`, `40s`.
pub fn age(from: Timestamp, now: Timestamp) -> String {
    let secs = now.as_second().saturating_sub(from.as_second()).max(0);
    match secs {
        s if s >= 86_400 => format!("{}d", s / 86_400),
        s if s >= 3_600 => format!("{}h", s / 3_600),
        s if s >= 60 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// The time left from `now` until `at`, rounded up in its smallest unit so it
/// never understates (a 72h TTL just deployed is `3d`, not `2d`): `3d`,
/// `2d 3h`, `5h 3m`, `4m`, `40s`.
pub fn until(now: Timestamp, at: Timestamp) -> String {
    let secs = at.as_second().saturating_sub(now.as_second()).max(0);
    let up = |unit: i64| (secs + unit - 1) / unit;
    let two = |total: i64, per: i64, big: &str, small: &str| match total % per {
        0 => format!("{}{big}", total / per),
        rest => format!("{}{big} {rest}{small}", total / per),
    };
    // Rounded up first, then the unit chosen, so 23h59m30s reads `1d`, not `24h`.
    match secs {
        s if s < 60 => format!("{s}s"),
        _ if up(60) < 60 => format!("{}m", up(60)),
        _ if up(60) < 24 * 60 => two(up(60), 60, "h", "m"),
        _ => two(up(3_600), 24, "d", "h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_compact() {
        let now: Timestamp = "2026-11-22T00:00:00Z".parse().unwrap();
        assert_eq!(age("2026-11-19T00:00:00Z".parse().unwrap(), now), "3d");
        assert_eq!(age("2026-11-21T19:00:00Z".parse().unwrap(), now), "5h");
        assert_eq!(age("2026-11-21T23:59:20Z".parse().unwrap(), now), "40s");
        let at = |t: &str| t.parse::<Timestamp>().unwrap();
        // A 72h TTL a moment after `up`: 3 days, never "in 2d".
        assert_eq!(until(now, at("2026-11-24T23:59:58Z")), "3d");
        assert_eq!(until(now, at("2026-11-24T00:00:00Z")), "2d");
        assert_eq!(until(now, at("2026-11-24T02:20:00Z")), "2d 3h");
        assert_eq!(until(now, at("2026-11-22T05:02:10Z")), "5h 3m");
        assert_eq!(until(now, at("2026-11-22T00:03:01Z")), "4m");
        assert_eq!(until(now, at("2026-11-22T00:00:40Z")), "40s");
        assert_eq!(until(now, at("2026-11-21T00:00:00Z")), "0s");
        // Unit boundaries round up into the larger unit.
        assert_eq!(until(now, at("2026-11-22T23:59:30Z")), "1d");
        assert_eq!(until(now, at("2026-11-22T00:59:30Z")), "1h");
        assert_eq!(until(now, at("2026-11-22T00:00:59Z")), "59s");
    }
}
