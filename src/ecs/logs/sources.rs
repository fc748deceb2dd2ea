//! Where a task's containers log: the `awslogs` options of its task definition
//! (as DescribeTaskDefinition answers it) and the stream name ECS gives each
//! container of each task, `{awslogs-stream-prefix}/{container}/{task-id}`.

use serde_json::Value;

/// One container's logs, per task definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSource {
    pub container: String,
    pub group: String,
    /// `awslogs-region`, else the cluster's.
    pub region: String,
    pub stream_prefix: String,
}

impl LogSource {
    /// The stream of this container in task `task_id`.
    pub fn stream(&self, task_id: &str) -> String {
        format!("{}/{}/{task_id}", self.stream_prefix, self.container)
    }
}

/// A container whose logs dynroute cannot read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotLogged {
    pub container: String,
    pub why: String,
}

/// The log sources of a task definition document, and the containers without one.
pub fn sources_of(document: &Value, default_region: &str) -> (Vec<LogSource>, Vec<NotLogged>) {
    let td = document.get("taskDefinition").unwrap_or(document);
    let containers = td
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut sources = Vec::new();
    let mut missing = Vec::new();
    for c in containers {
        let name = c
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned();
        let config = c.get("logConfiguration");
        let driver = config
            .and_then(|l| l.get("logDriver"))
            .and_then(Value::as_str);
        let option = |key: &str| {
            config
                .and_then(|l| l.get("options"))
                .and_then(|o| o.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        match driver {
            Some("awslogs") => match (option("awslogs-group"), option("awslogs-stream-prefix")) {
                (Some(group), Some(stream_prefix)) => sources.push(LogSource {
                    container: name,
                    group,
                    region: option("awslogs-region").unwrap_or_else(|| default_region.to_owned()),
                    stream_prefix,
                }),
                (None, _) => missing.push(NotLogged {
                    container: name,
                    why: "its awslogs configuration names no awslogs-group".to_owned(),
                }),
                (Some(_), None) => missing.push(NotLogged {
                    container: name,
                    why: "its awslogs configuration has no awslogs-stream-prefix, so ECS names its streams after Docker container IDs; set awslogs-stream-prefix in the template".to_owned(),
                }),
            },
            Some(other) => missing.push(NotLogged {
                container: name,
                why: format!("it logs with the `{other}` log driver, not awslogs"),
            }),
            None => missing.push(NotLogged {
                container: name,
                why: "it has no logConfiguration (its output goes nowhere dynroute can read)"
                    .to_owned(),
            }),
        }
    }
    (sources, missing)
}
