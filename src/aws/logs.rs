//! [`crate::ecs::logs::LogReader`] on CloudWatch Logs: FilterLogEvents over named
//! streams, every page, in the region the task definition logs to.

use aws_config::Region;
use aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata;

use super::Aws;
use super::errors::sdk_error;
use crate::ecs::logs::{LogEvent, LogReader};

/// FilterLogEvents accepts at most 100 stream names per call.
const STREAMS_PER_CALL: usize = 100;
/// At most this many pages per group and read (a page holds up to 1 MB).
const MAX_PAGES_PER_READ: usize = 20;

impl Aws {
    /// A CloudWatch Logs client for `region` (the configured one when it matches).
    fn logs_in(&self, region: &str) -> aws_sdk_cloudwatchlogs::Client {
        if self.config.region().is_some_and(|r| r.as_ref() == region) {
            return self.logs.clone();
        }
        let config = aws_sdk_cloudwatchlogs::config::Builder::from(&self.config)
            .region(Region::new(region.to_owned()))
            .build();
        aws_sdk_cloudwatchlogs::Client::from_conf(config)
    }
}

#[async_trait::async_trait]
impl LogReader for Aws {
    async fn events(
        &self,
        region: &str,
        group: &str,
        streams: &[String],
        start_ms: i64,
    ) -> anyhow::Result<Vec<LogEvent>> {
        let client = self.logs_in(region);
        let mut events = Vec::new();
        for batch in streams.chunks(STREAMS_PER_CALL) {
            let mut token: Option<String> = None;
            // Each page holds up to 1 MB of events; the next poll reads on.
            for _ in 0..MAX_PAGES_PER_READ {
                let answer = client
                    .filter_log_events()
                    .log_group_name(group)
                    .set_log_stream_names(Some(batch.to_vec()))
                    .start_time(start_ms)
                    .set_next_token(token.clone())
                    .send()
                    .await;
                let out = match answer {
                    Ok(out) => out,
                    // No group (or none of the streams) yet: nothing logged so far.
                    Err(err) if err.code() == Some("ResourceNotFoundException") => break,
                    Err(err) => return Err(sdk_error("FilterLogEvents", &self.cluster, err)),
                };
                events.extend(out.events().iter().map(|e| LogEvent {
                    event_id: e.event_id().unwrap_or_default().to_owned(),
                    stream: e.log_stream_name().unwrap_or_default().to_owned(),
                    timestamp: e.timestamp().unwrap_or_default(),
                    message: e.message().unwrap_or_default().trim_end().to_owned(),
                }));
                let next = out.next_token().map(str::to_owned);
                if next.is_none() || next == token {
                    break;
                }
                token = next;
            }
        }
        Ok(events)
    }
}
