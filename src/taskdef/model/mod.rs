//! A typed `RegisterTaskDefinition` request, in the AWS field names.
//!
//! Deserializing is strict (unknown fields are errors with their line), and the
//! fields dynroute injects cannot be written by hand: their types reject it at
//! parse time, so the error points at the offending line.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_with::skip_serializing_none;

use crate::naming::checked::{self, validated_string};

/// A string field the API accepts only from a fixed set; a typo is an error
/// with its line instead of a failed AWS call.
macro_rules! one_of {
    ($(#[$doc:meta])* $name:ident, [$($value:literal),+ $(,)?]) => {
        validated_string!(
            $(#[$doc])*
            $name,
            String,
            |s| {
                const ALLOWED: &[&str] = &[$($value),+];
                // A template value is checked once it is filled in.
                if ALLOWED.contains(&s) || crate::template::placeholders::contains_token(s) {
                    Ok(())
                } else {
                    Err(format!("{s:?} is not one of {}", ALLOWED.join(", ")))
                }
            }
        );
    };
}

one_of!(
    /// `networkMode`.
    NetworkMode,
    ["awsvpc", "bridge", "host", "none"]
);
one_of!(
    /// An entry of `requiresCompatibilities`.
    Compatibility,
    ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]
);
one_of!(
    /// `portMappings[].protocol`.
    TransportProtocol,
    ["tcp", "udp"]
);
one_of!(
    /// `portMappings[].appProtocol`.
    AppProtocol,
    ["http", "http2", "grpc"]
);
one_of!(
    /// `dependsOn[].condition`.
    ContainerCondition,
    ["START", "COMPLETE", "SUCCESS", "HEALTHY"]
);
one_of!(
    /// `logConfiguration.logDriver`.
    LogDriver,
    ["json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"]
);
one_of!(
    /// `pidMode` / `ipcMode`.
    NamespaceMode,
    ["host", "task", "none"]
);

/// The request body of `ecs:RegisterTaskDefinition`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskDefinition {
    #[serde(default, deserialize_with = "family_is_injected")]
    pub family: Option<Family>,
    pub task_role_arn: Option<String>,
    pub execution_role_arn: Option<String>,
    pub network_mode: Option<NetworkMode>,
    pub container_definitions: Vec<ContainerDefinition>,
    pub volumes: Option<Vec<Volume>>,
    pub placement_constraints: Option<Vec<PlacementConstraint>>,
    pub requires_compatibilities: Option<Vec<Compatibility>>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub cpu: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub memory: Option<String>,
    pub tags: Option<Tags>,
    pub pid_mode: Option<NamespaceMode>,
    pub ipc_mode: Option<NamespaceMode>,
    pub proxy_configuration: Option<ProxyConfiguration>,
    pub ephemeral_storage: Option<EphemeralStorage>,
    pub runtime_platform: Option<RuntimePlatform>,
    pub enable_fault_injection: Option<bool>,
    pub inference_accelerators: Option<InferenceAccelerators>,
}

impl TaskDefinition {
    /// Whether `requiresCompatibilities` names `name` (`FARGATE`, `EC2`, …).
    pub fn requires_compatibility(&self, name: &str) -> bool {
        self.requires_compatibilities
            .as_ref()
            .is_some_and(|c| c.iter().any(|c| c.as_str() == name))
    }

    /// `networkMode: awsvpc` (the only mode that takes a networkConfiguration).
    pub fn is_awsvpc(&self) -> bool {
        self.network_mode
            .as_ref()
            .is_some_and(|m| m.as_str() == "awsvpc")
    }
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerDefinition {
    pub name: String,
    pub image: String,
    pub repository_credentials: Option<RepositoryCredentials>,
    pub cpu: Option<i32>,
    pub memory: Option<i32>,
    pub memory_reservation: Option<i32>,
    pub links: Option<Vec<String>>,
    pub port_mappings: Option<Vec<PortMapping>>,
    pub essential: Option<bool>,
    pub restart_policy: Option<RestartPolicy>,
    pub entry_point: Option<Vec<String>>,
    pub command: Option<Vec<String>>,
    pub environment: Option<Environment>,
    pub environment_files: Option<Vec<EnvironmentFile>>,
    pub mount_points: Option<Vec<MountPoint>>,
    pub volumes_from: Option<Vec<VolumeFrom>>,
    pub linux_parameters: Option<LinuxParameters>,
    pub secrets: Option<Vec<Secret>>,
    pub depends_on: Option<Vec<ContainerDependency>>,
    pub start_timeout: Option<i32>,
    pub stop_timeout: Option<i32>,
    pub version_consistency: Option<String>,
    pub hostname: Option<String>,
    pub user: Option<String>,
    pub working_directory: Option<String>,
    pub disable_networking: Option<bool>,
    pub privileged: Option<bool>,
    pub readonly_root_filesystem: Option<bool>,
    pub dns_servers: Option<Vec<String>>,
    pub dns_search_domains: Option<Vec<String>>,
    pub extra_hosts: Option<Vec<HostEntry>>,
    pub docker_security_options: Option<Vec<String>>,
    pub interactive: Option<bool>,
    pub pseudo_terminal: Option<bool>,
    pub docker_labels: Option<DockerLabels>,
    pub ulimits: Option<Vec<Ulimit>>,
    pub log_configuration: Option<LogConfiguration>,
    pub health_check: Option<HealthCheck>,
    pub system_controls: Option<Vec<SystemControl>>,
    pub resource_requirements: Option<Vec<ResourceRequirement>>,
    pub firelens_configuration: Option<FirelensConfiguration>,
    pub credential_specs: Option<Vec<String>>,
}

/// Accepts `cpu: 256` as well as `cpu: "256"`: the API wants a string.
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        S(String),
        N(u64),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|raw| match raw {
        Raw::S(s) => s,
        Raw::N(n) => n.to_string(),
    }))
}

macro_rules! api_struct {
    ($(#[$doc:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[skip_serializing_none]
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name { $(pub $field: $ty),* }
    };
}

api_struct!(Tag {
    key: String,
    value: String
});
api_struct!(KeyValuePair { name: Option<String>, value: Option<String> });
api_struct!(RepositoryCredentials {
    credentials_parameter: String
});
api_struct!(PortMapping {
    container_port: Option<i32>,
    host_port: Option<i32>,
    protocol: Option<TransportProtocol>,
    name: Option<String>,
    app_protocol: Option<AppProtocol>,
    container_port_range: Option<String>,
});
api_struct!(RestartPolicy {
    enabled: bool,
    ignored_exit_codes: Option<Vec<i32>>,
    restart_attempt_period: Option<i32>,
});
api_struct!(EnvironmentFile {
    value: String,
    r#type: String
});
api_struct!(MountPoint {
    source_volume: Option<String>,
    container_path: Option<String>,
    read_only: Option<bool>,
});
api_struct!(VolumeFrom { source_container: Option<String>, read_only: Option<bool> });
api_struct!(LinuxParameters {
    capabilities: Option<KernelCapabilities>,
    devices: Option<Vec<Device>>,
    init_process_enabled: Option<bool>,
    shared_memory_size: Option<i32>,
    tmpfs: Option<Vec<Tmpfs>>,
    max_swap: Option<i32>,
    swappiness: Option<i32>,
});
api_struct!(KernelCapabilities { add: Option<Vec<String>>, drop: Option<Vec<String>> });
api_struct!(Device {
    host_path: String,
    container_path: Option<String>,
    permissions: Option<Vec<String>>,
});
api_struct!(Tmpfs { container_path: String, size: i32, mount_options: Option<Vec<String>> });
api_struct!(Secret {
    name: String,
    value_from: String
});
api_struct!(ContainerDependency {
    container_name: String,
    condition: String
});
api_struct!(HostEntry {
    hostname: String,
    ip_address: String
});
api_struct!(Ulimit {
    name: String,
    soft_limit: i32,
    hard_limit: i32
});
api_struct!(LogConfiguration {
    log_driver: LogDriver,
    options: Option<BTreeMap<String, String>>,
    secret_options: Option<Vec<Secret>>,
});
api_struct!(HealthCheck {
    command: Vec<String>,
    interval: Option<i32>,
    timeout: Option<i32>,
    retries: Option<i32>,
    start_period: Option<i32>,
});
api_struct!(SystemControl { namespace: Option<String>, value: Option<String> });
api_struct!(ResourceRequirement {
    value: String,
    r#type: String
});
api_struct!(FirelensConfiguration {
    r#type: String,
    options: Option<BTreeMap<String, String>>,
});
api_struct!(PlacementConstraint { r#type: Option<String>, expression: Option<String> });
api_struct!(ProxyConfiguration {
    r#type: Option<String>,
    container_name: String,
    properties: Option<Vec<KeyValuePair>>,
});
api_struct!(EphemeralStorage { size_in_gi_b: i32 });
api_struct!(RuntimePlatform {
    cpu_architecture: Option<String>,
    operating_system_family: Option<String>,
});

/// `inferenceAccelerators`: Elastic Inference is gone, but console exports
/// still carry the key as `null` or `[]`, which are accepted (and not sent).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct InferenceAccelerators(pub Vec<InferenceAccelerator>);

impl<'de> Deserialize<'de> for InferenceAccelerators {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked::seq(d, |items: Vec<InferenceAccelerator>| {
            if items.is_empty() {
                Ok(InferenceAccelerators(items))
            } else {
                Err("Amazon Elastic Inference is no longer available: ECS rejects `inferenceAccelerators` entries; remove them".to_owned())
            }
        })
    }
}

api_struct!(InferenceAccelerator {
    device_name: String,
    device_type: String
});

mod injected;
mod volumes;
pub use injected::*;
pub use volumes::*;
