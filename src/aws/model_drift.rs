//! The task definition model cannot drift from the RegisterTaskDefinition API:
//! the field names of each model struct are compared with the fields of the
//! SDK's own input types (read from their `Debug` output, which names every
//! field), so a field AWS adds shows up here as a failing test.

use aws_sdk_ecs::operation::register_task_definition::RegisterTaskDefinitionInput;
use aws_sdk_ecs::types as sdk;
use serde::de::DeserializeOwned;

use crate::taskdef::model as m;

/// The fields a model struct accepts, from serde's "expected one of" list.
fn model_fields<T: DeserializeOwned>() -> Vec<String> {
    let err = serde_json::from_str::<T>("{\"~unknown\": 0}")
        .err()
        .expect("an unknown field is an error")
        .to_string();
    let list = err
        .split("expected one of ")
        .nth(1)
        .or_else(|| err.split("expected ").nth(1))
        .unwrap_or_else(|| panic!("no field list in {err}"));
    let mut fields: Vec<String> = list.split('`').skip(1).step_by(2).map(snake_case).collect();
    fields.sort();
    fields
}

/// The fields of an SDK type, from its derived `Debug` output.
fn sdk_fields(debug: &str) -> Vec<String> {
    let body = &debug[debug.find('{').expect("a struct") + 1..];
    let mut fields: Vec<String> = body
        .split(", ")
        .filter_map(|part| part.trim().split_once(": ").map(|(k, _)| k.to_owned()))
        .filter(|k| {
            k.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        })
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out.trim_start_matches("r#").to_owned()
}

macro_rules! same_fields {
    ($drift:ident, $model:ty, $sdk:expr) => {{
        // `sizeInGiB` is `size_in_gib` in the SDK: compare without `_` and case.
        let squash = |f: &String| f.replace('_', "").to_lowercase();
        let model: Vec<String> = model_fields::<$model>().iter().map(squash).collect();
        let sdk: Vec<String> = sdk_fields(&format!("{:?}", $sdk))
            .iter()
            .map(squash)
            .collect();
        let missing: Vec<&String> = sdk.iter().filter(|f| !model.contains(f)).collect();
        let extra: Vec<&String> = model.iter().filter(|f| !sdk.contains(f)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            $drift.push(format!(
                "{}: missing {missing:?}, not in the API {extra:?}",
                stringify!($model)
            ));
        }
    }};
}

#[test]
fn the_model_has_every_field_of_the_api() {
    let mut drift: Vec<String> = Vec::new();
    same_fields!(
        drift,
        m::TaskDefinition,
        RegisterTaskDefinitionInput::builder().build().unwrap()
    );
    same_fields!(
        drift,
        m::ContainerDefinition,
        sdk::ContainerDefinition::builder().build()
    );
    same_fields!(drift, m::Volume, sdk::Volume::builder().build());
    same_fields!(drift, m::PortMapping, sdk::PortMapping::builder().build());
    same_fields!(
        drift,
        m::LinuxParameters,
        sdk::LinuxParameters::builder().build()
    );
    same_fields!(
        drift,
        m::HealthCheck,
        sdk::HealthCheck::builder().command("x").build().unwrap()
    );
    same_fields!(
        drift,
        m::LogConfiguration,
        sdk::LogConfiguration::builder()
            .log_driver(sdk::LogDriver::Awslogs)
            .build()
            .unwrap()
    );
    same_fields!(
        drift,
        m::RestartPolicy,
        sdk::ContainerRestartPolicy::builder()
            .enabled(true)
            .build()
            .unwrap()
    );
    same_fields!(drift, m::MountPoint, sdk::MountPoint::builder().build());
    same_fields!(
        drift,
        m::EfsVolumeConfiguration,
        sdk::EfsVolumeConfiguration::builder()
            .file_system_id("x")
            .build()
            .unwrap()
    );
    same_fields!(
        drift,
        m::DockerVolumeConfiguration,
        sdk::DockerVolumeConfiguration::builder().build()
    );
    same_fields!(
        drift,
        m::ProxyConfiguration,
        sdk::ProxyConfiguration::builder()
            .container_name("x")
            .build()
            .unwrap()
    );
    same_fields!(
        drift,
        m::RuntimePlatform,
        sdk::RuntimePlatform::builder().build()
    );
    same_fields!(
        drift,
        m::Device,
        sdk::Device::builder().host_path("x").build().unwrap()
    );
    same_fields!(
        drift,
        m::Tmpfs,
        sdk::Tmpfs::builder()
            .container_path("x")
            .size(1)
            .build()
            .unwrap()
    );
    same_fields!(
        drift,
        m::FirelensConfiguration,
        sdk::FirelensConfiguration::builder()
            .r#type(sdk::FirelensConfigurationType::Fluentbit)
            .build()
            .unwrap()
    );
    same_fields!(
        drift,
        m::S3FilesVolumeConfiguration,
        sdk::S3FilesVolumeConfiguration::builder()
            .file_system_arn("x")
            .build()
            .unwrap()
    );
    same_fields!(
        drift,
        m::FsxWindowsFileServerVolumeConfiguration,
        sdk::FSxWindowsFileServerVolumeConfiguration::builder()
            .file_system_id("x")
            .root_directory("x")
            .build()
            .unwrap()
    );
    same_fields!(
        drift,
        m::KernelCapabilities,
        sdk::KernelCapabilities::builder().build()
    );
    same_fields!(drift, m::VolumeFrom, sdk::VolumeFrom::builder().build());
    same_fields!(drift, m::KeyValuePair, sdk::KeyValuePair::builder().build());
    same_fields!(
        drift,
        m::HostVolumeProperties,
        sdk::HostVolumeProperties::builder().build()
    );
    same_fields!(
        drift,
        m::EfsAuthorizationConfig,
        sdk::EfsAuthorizationConfig::builder().build()
    );
    same_fields!(
        drift,
        m::SystemControl,
        sdk::SystemControl::builder().build()
    );
    same_fields!(
        drift,
        m::EphemeralStorage,
        sdk::EphemeralStorage::builder().size_in_gib(21).build()
    );
    assert!(drift.is_empty(), "{}", drift.join("\n"));
}
