//! `logs --since`: a duration back from now (`10m`, `2h`, `1d`) or a time (RFC 3339).

use std::time::Duration;

use jiff::Timestamp;

/// Where the logs start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    Ago(Duration),
    At(Timestamp),
}

impl Since {
    /// Parses `10m`, `90s`, `1h30m`, `2d` or `2026-12-01T09:00:00Z`.
    pub fn parse(s: &str) -> Result<Since, String> {
        let s = s.trim();
        if let Ok(at) = s.parse::<Timestamp>() {
            return Ok(Since::At(at));
        }
        match humantime::parse_duration(s) {
            Ok(d) if !d.is_zero() => Ok(Since::Ago(d)),
            Ok(_) => Err("expected a duration above zero, e.g. 10m".to_owned()),
            Err(_) => Err(
                "expected a duration such as 10m, 2h or 1d, or a time such as 2026-12-01T09:00:00Z"
                    .to_owned(),
            ),
        }
    }

    /// The start in milliseconds since the epoch.
    pub fn start_ms(self, now: Timestamp) -> i64 {
        match self {
            Since::At(at) => at.as_millisecond(),
            Since::Ago(d) => now
                .as_millisecond()
                .saturating_sub(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_gets_the_forms_that_work_and_no_parser_internals() {
        assert_eq!(
            Since::parse("yesterday").unwrap_err(),
            "expected a duration such as 10m, 2h or 1d, or a time such as 2026-12-01T09:00:00Z"
        );
        assert_eq!(
            Since::parse("0s").unwrap_err(),
            "expected a duration above zero, e.g. 10m"
        );
        assert!(matches!(Since::parse("1h30m"), Ok(Since::Ago(_))));
    }
}
