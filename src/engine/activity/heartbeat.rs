//! The recorder's heartbeat: since when it has recorded without a pause
//! longer than `activity.max_gap`, when it last succeeded, which Traefik
//! replicas that success read, and the last gap. It is one tag
//! (`dynroute:activity`) on a protected service of the project, so every
//! client that lists the services reads it with no extra call; `prune --idle`
//! trusts a window only when the heartbeat covers it.

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use crate::naming::tags::rfc3339;

/// One heartbeat, as the tag holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heartbeat {
    /// The start of the current unbroken run of recordings.
    #[serde(serialize_with = "crate::naming::tags::serialize_timestamp")]
    pub since: Timestamp,
    /// The last recording that read every replica.
    #[serde(serialize_with = "crate::naming::tags::serialize_timestamp")]
    pub last: Timestamp,
    /// The replicas that recording read (their keys).
    pub replicas: Vec<String>,
    /// The pause that ended the previous run, if one did.
    pub gap: Option<Gap>,
}

/// A time the recorder did not record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Gap {
    #[serde(serialize_with = "crate::naming::tags::serialize_timestamp")]
    pub from: Timestamp,
    #[serde(serialize_with = "crate::naming::tags::serialize_timestamp")]
    pub to: Timestamp,
}

impl Heartbeat {
    /// The tag value: `since=… last=… replicas=k1+k2 [gap=from/to]` (ECS
    /// takes letters, digits, spaces and `_ . : / = + - @` in a tag value).
    pub fn tag(&self) -> String {
        let mut out = format!(
            "since={} last={} replicas={}",
            rfc3339(self.since),
            rfc3339(self.last),
            self.replicas.join("+")
        );
        if let Some(gap) = self.gap {
            out.push_str(&format!(" gap={}/{}", rfc3339(gap.from), rfc3339(gap.to)));
        }
        out
    }

    /// Reads a tag value; `None` when it is not one (then there is no heartbeat).
    pub fn parse(value: &str) -> Option<Heartbeat> {
        let mut since = None;
        let mut last = None;
        let mut replicas = None;
        let mut gap = None;
        for part in value.split_whitespace() {
            let (key, v) = part.split_once('=')?;
            match key {
                "since" => since = Some(v.parse().ok()?),
                "last" => last = Some(v.parse().ok()?),
                "replicas" => {
                    replicas = Some(
                        v.split('+')
                            .filter(|k| !k.is_empty())
                            .map(str::to_owned)
                            .collect(),
                    );
                }
                "gap" => {
                    let (from, to) = v.split_once('/')?;
                    gap = Some(Gap {
                        from: from.parse().ok()?,
                        to: to.parse().ok()?,
                    });
                }
                _ => {}
            }
        }
        let (since, last) = (since?, last?);
        (since <= last).then_some(Heartbeat {
            since,
            last,
            replicas: replicas.unwrap_or_default(),
            gap,
        })
    }

    /// The heartbeat after a recording at `now` that read `replicas`: the
    /// run goes on when the previous success is at most `max_gap` old, else
    /// a new run starts at `now` and the pause is the gap. A previous
    /// heartbeat from the future (a clock that was wrong) starts a new run.
    pub fn after(
        previous: Option<&Heartbeat>,
        now: Timestamp,
        replicas: Vec<String>,
        max_gap: Duration,
    ) -> Heartbeat {
        match previous {
            Some(p) if p.last <= now && elapsed(p.last, now) <= max_gap => Heartbeat {
                since: p.since,
                last: now,
                replicas,
                gap: p.gap,
            },
            Some(p) if p.last <= now => Heartbeat {
                since: now,
                last: now,
                replicas,
                gap: Some(Gap {
                    from: p.last,
                    to: now,
                }),
            },
            _ => Heartbeat {
                since: now,
                last: now,
                replicas,
                gap: None,
            },
        }
    }

    /// Whether the recorder watched the whole of `[now - window, now]`,
    /// reading every replica of `expected` (keys; empty: whatever it found).
    pub fn covers(
        &self,
        now: Timestamp,
        window: Duration,
        max_gap: Duration,
        expected: &[String],
    ) -> Result<(), Uncovered> {
        // A minute of clock skew is tolerated; a later heartbeat is a wrong clock.
        if now
            .checked_add(Duration::from_secs(60))
            .is_ok_and(|limit| self.last > limit)
        {
            return Err(Uncovered::Future { last: self.last });
        }
        if self.last <= now && elapsed(self.last, now) > max_gap {
            return Err(Uncovered::Stopped { last: self.last });
        }
        if let Some(missing) = expected.iter().find(|k| !self.replicas.contains(k)) {
            return Err(Uncovered::Replica {
                key: missing.clone(),
            });
        }
        // A window reaching before the start of time is not covered by anything.
        let start = now.checked_sub(window).unwrap_or(Timestamp::MIN);
        if self.since > start {
            return Err(match self.gap {
                Some(gap) => Uncovered::Gap(gap),
                None => Uncovered::Started { since: self.since },
            });
        }
        Ok(())
    }
}

/// Why a heartbeat does not cover a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uncovered {
    /// No heartbeat at all.
    Never,
    /// The recorder has not succeeded for longer than `max_gap`.
    Stopped { last: Timestamp },
    /// It paused within the window.
    Gap(Gap),
    /// It first ran within the window.
    Started { since: Timestamp },
    /// Its last success did not read this replica.
    Replica { key: String },
    /// Its last success is later than now.
    Future { last: Timestamp },
}

impl fmt::Display for Uncovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Uncovered::Never => f.write_str("the activity recorder has never run for this project"),
            Uncovered::Stopped { last } => write!(
                f,
                "the recorder was not running from {} to now",
                rfc3339(*last)
            ),
            Uncovered::Gap(gap) => write!(
                f,
                "the recorder was not running from {} to {}",
                rfc3339(gap.from),
                rfc3339(gap.to)
            ),
            Uncovered::Started { since } => {
                write!(f, "the recorder has only run since {}", rfc3339(*since))
            }
            Uncovered::Replica { key } => write!(
                f,
                "the recorder's last recording did not read Traefik replica {key}"
            ),
            Uncovered::Future { last } => write!(
                f,
                "the recorder's last recording is dated {}, later than now: a clock is wrong",
                rfc3339(*last)
            ),
        }
    }
}

/// `now - then`, zero when `then` is later.
pub fn elapsed(then: Timestamp, now: Timestamp) -> Duration {
    Duration::try_from(now.duration_since(then)).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        format!("2026-12-06T{s}:00Z").parse().unwrap()
    }
    const GAP: Duration = Duration::from_secs(30 * 60);
    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn the_tag_reads_back() {
        let h = Heartbeat {
            since: t("10:00"),
            last: t("12:00"),
            replicas: vec!["0a1b2c3d".into(), "ffeeddcc".into()],
            gap: Some(Gap {
                from: t("08:00"),
                to: t("10:00"),
            }),
        };
        assert_eq!(
            h.tag(),
            "since=2026-12-06T10:00:00Z last=2026-12-06T12:00:00Z replicas=0a1b2c3d+ffeeddcc gap=2026-12-06T08:00:00Z/2026-12-06T10:00:00Z"
        );
        // Ten replicas and a gap still make a tag ECS takes.
        let ten = Heartbeat {
            replicas: (0..10).map(|i| format!("{i:08x}")).collect(),
            ..h.clone()
        };
        crate::taskdef::ecs_rules::tag_ok(crate::naming::tags::ACTIVITY, &ten.tag()).unwrap();
        assert_eq!(Heartbeat::parse(&h.tag()), Some(h));
        assert_eq!(Heartbeat::parse("since=x last=y"), None);
        // since after last is not a heartbeat anyone wrote.
        assert_eq!(
            Heartbeat::parse("since=2026-12-06T12:00:00Z last=2026-12-06T10:00:00Z"),
            None
        );
    }

    #[test]
    fn a_run_goes_on_until_a_pause_longer_than_max_gap() {
        let keys = || vec!["a".to_owned()];
        let first = Heartbeat::after(None, t("10:00"), keys(), GAP);
        assert_eq!(
            (first.since, first.last, first.gap),
            (t("10:00"), t("10:00"), None)
        );
        let on = Heartbeat::after(Some(&first), t("10:25"), keys(), GAP);
        assert_eq!((on.since, on.last), (t("10:00"), t("10:25")));
        // Stopped from 10:25 to 11:30: a new run, the pause remembered.
        let after = Heartbeat::after(Some(&on), t("11:30"), keys(), GAP);
        assert_eq!(after.since, t("11:30"));
        assert_eq!(
            after.gap,
            Some(Gap {
                from: t("10:25"),
                to: t("11:30")
            })
        );
        // A heartbeat from the future starts afresh.
        let skewed = Heartbeat::after(Some(&after), t("09:00"), keys(), GAP);
        assert_eq!((skewed.since, skewed.gap), (t("09:00"), None));
    }

    #[test]
    fn coverage_names_what_is_missing() {
        let h = Heartbeat {
            since: t("08:00"),
            last: t("12:00"),
            replicas: vec!["a".into(), "b".into()],
            gap: Some(Gap {
                from: t("06:00"),
                to: t("08:00"),
            }),
        };
        let keys = |k: &[&str]| -> Vec<String> { k.iter().map(|s| (*s).to_owned()).collect() };
        assert_eq!(
            h.covers(t("12:10"), 2 * HOUR, GAP, &keys(&["a", "b"])),
            Ok(())
        );
        assert_eq!(
            h.covers(t("12:10"), 5 * HOUR, GAP, &[]),
            Err(Uncovered::Gap(Gap {
                from: t("06:00"),
                to: t("08:00")
            }))
        );
        assert_eq!(
            h.covers(t("13:00"), 2 * HOUR, GAP, &[]),
            Err(Uncovered::Stopped { last: t("12:00") })
        );
        assert_eq!(
            h.covers(t("12:10"), 2 * HOUR, GAP, &keys(&["a", "c"])),
            Err(Uncovered::Replica { key: "c".into() })
        );
        assert_eq!(
            h.covers(t("10:00"), HOUR, GAP, &[]),
            Err(Uncovered::Future { last: t("12:00") })
        );
        // A window longer than time itself is refused, not a panic.
        assert!(h.covers(t("12:10"), Duration::MAX, GAP, &[]).is_err());
        let fresh = Heartbeat { gap: None, ..h };
        assert_eq!(
            fresh.covers(t("12:10"), 5 * HOUR, GAP, &[]),
            Err(Uncovered::Started { since: t("08:00") })
        );
        assert_eq!(
            Uncovered::Gap(Gap {
                from: t("06:00"),
                to: t("08:00")
            })
            .to_string(),
            "the recorder was not running from 2026-12-06T06:00:00Z to 2026-12-06T08:00:00Z"
        );
    }
}
