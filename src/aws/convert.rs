//! dynroute's task definition model -> the SDK's RegisterTaskDefinition request.
//!
//! A field-by-field mapping; `render` prints the model, so what `up` sends and
//! what `render` shows cannot drift apart as long as every field is mapped here.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ecs::operation::register_task_definition::builders::RegisterTaskDefinitionFluentBuilder;
use aws_sdk_ecs::types as sdk;

use crate::taskdef::model as m;

type Result<T> = std::result::Result<T, aws_sdk_ecs::error::BuildError>;

fn map(m: &Option<BTreeMap<String, String>>) -> Option<HashMap<String, String>> {
    m.as_ref()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn list<T, U>(items: &Option<Vec<T>>, f: impl Fn(&T) -> Result<U>) -> Result<Option<Vec<U>>> {
    items
        .as_ref()
        .map(|v| v.iter().map(f).collect())
        .transpose()
}

fn key_value(p: &m::KeyValuePair) -> Result<sdk::KeyValuePair> {
    Ok(sdk::KeyValuePair::builder()
        .set_name(p.name.clone())
        .set_value(p.value.clone())
        .build())
}

fn secret(s: &m::Secret) -> Result<sdk::Secret> {
    sdk::Secret::builder()
        .name(&s.name)
        .value_from(&s.value_from)
        .build()
}

/// Applies every field of `td` to the request builder.
pub fn register_request(
    b: RegisterTaskDefinitionFluentBuilder,
    td: &m::TaskDefinition,
) -> Result<RegisterTaskDefinitionFluentBuilder> {
    Ok(b.set_family(td.family.as_ref().map(|f| f.0.clone()))
        .set_task_role_arn(td.task_role_arn.clone())
        .set_execution_role_arn(td.execution_role_arn.clone())
        .set_network_mode(
            td.network_mode
                .as_ref()
                .map(|m| sdk::NetworkMode::from(m.as_str())),
        )
        .set_container_definitions(Some(
            td.container_definitions
                .iter()
                .map(container)
                .collect::<Result<_>>()?,
        ))
        .set_volumes(list(&td.volumes, volume)?)
        .set_placement_constraints(list(&td.placement_constraints, |c| {
            Ok(sdk::TaskDefinitionPlacementConstraint::builder()
                .set_type(
                    c.r#type
                        .as_deref()
                        .map(sdk::TaskDefinitionPlacementConstraintType::from),
                )
                .set_expression(c.expression.clone())
                .build())
        })?)
        .set_requires_compatibilities(td.requires_compatibilities.as_ref().map(|v| {
            v.iter()
                .map(|c| sdk::Compatibility::from(c.as_str()))
                .collect()
        }))
        .set_cpu(td.cpu.clone())
        .set_memory(td.memory.clone())
        .set_tags(td.tags.as_ref().map(|t| {
            t.0.iter()
                .map(|t| sdk::Tag::builder().key(&t.key).value(&t.value).build())
                .collect()
        }))
        .set_pid_mode(td.pid_mode.as_ref().map(|m| sdk::PidMode::from(m.as_str())))
        .set_ipc_mode(td.ipc_mode.as_ref().map(|m| sdk::IpcMode::from(m.as_str())))
        .set_proxy_configuration(
            td.proxy_configuration
                .as_ref()
                .map(|p| {
                    sdk::ProxyConfiguration::builder()
                        .set_type(p.r#type.as_deref().map(sdk::ProxyConfigurationType::from))
                        .container_name(&p.container_name)
                        .set_properties(list(&p.properties, key_value)?)
                        .build()
                })
                .transpose()?,
        )
        .set_ephemeral_storage(td.ephemeral_storage.as_ref().map(|e| {
            sdk::EphemeralStorage::builder()
                .size_in_gib(e.size_in_gi_b)
                .build()
        }))
        .set_runtime_platform(td.runtime_platform.as_ref().map(|r| {
            sdk::RuntimePlatform::builder()
                .set_cpu_architecture(
                    r.cpu_architecture
                        .as_deref()
                        .map(sdk::CpuArchitecture::from),
                )
                .set_operating_system_family(
                    r.operating_system_family
                        .as_deref()
                        .map(sdk::OsFamily::from),
                )
                .build()
        }))
        .set_enable_fault_injection(td.enable_fault_injection))
}

fn container(c: &m::ContainerDefinition) -> Result<sdk::ContainerDefinition> {
    Ok(sdk::ContainerDefinition::builder()
        .name(&c.name)
        .image(&c.image)
        .set_repository_credentials(
            c.repository_credentials
                .as_ref()
                .map(|r| {
                    sdk::RepositoryCredentials::builder()
                        .credentials_parameter(&r.credentials_parameter)
                        .build()
                })
                .transpose()?,
        )
        .set_cpu(c.cpu)
        .set_memory(c.memory)
        .set_memory_reservation(c.memory_reservation)
        .set_links(c.links.clone())
        .set_port_mappings(list(&c.port_mappings, |p| {
            Ok(sdk::PortMapping::builder()
                .set_container_port(p.container_port)
                .set_host_port(p.host_port)
                .set_protocol(
                    p.protocol
                        .as_ref()
                        .map(|v| sdk::TransportProtocol::from(v.as_str())),
                )
                .set_name(p.name.clone())
                .set_app_protocol(
                    p.app_protocol
                        .as_deref()
                        .map(sdk::ApplicationProtocol::from),
                )
                .set_container_port_range(p.container_port_range.clone())
                .build())
        })?)
        .set_essential(c.essential)
        .set_restart_policy(
            c.restart_policy
                .as_ref()
                .map(|r| {
                    sdk::ContainerRestartPolicy::builder()
                        .enabled(r.enabled)
                        .set_ignored_exit_codes(r.ignored_exit_codes.clone())
                        .set_restart_attempt_period(r.restart_attempt_period)
                        .build()
                })
                .transpose()?,
        )
        .set_entry_point(c.entry_point.clone())
        .set_command(c.command.clone())
        .set_environment(
            c.environment
                .as_ref()
                .map(|e| e.0.iter().map(key_value).collect::<Result<_>>())
                .transpose()?,
        )
        .set_environment_files(list(&c.environment_files, |f| {
            sdk::EnvironmentFile::builder()
                .value(&f.value)
                .r#type(sdk::EnvironmentFileType::from(f.r#type.as_str()))
                .build()
        })?)
        .set_mount_points(list(&c.mount_points, |p| {
            Ok(sdk::MountPoint::builder()
                .set_source_volume(p.source_volume.clone())
                .set_container_path(p.container_path.clone())
                .set_read_only(p.read_only)
                .build())
        })?)
        .set_volumes_from(list(&c.volumes_from, |v| {
            Ok(sdk::VolumeFrom::builder()
                .set_source_container(v.source_container.clone())
                .set_read_only(v.read_only)
                .build())
        })?)
        .set_linux_parameters(c.linux_parameters.as_ref().map(linux).transpose()?)
        .set_secrets(list(&c.secrets, secret)?)
        .set_depends_on(list(&c.depends_on, |d| {
            sdk::ContainerDependency::builder()
                .container_name(&d.container_name)
                .condition(sdk::ContainerCondition::from(d.condition.as_str()))
                .build()
        })?)
        .set_start_timeout(c.start_timeout)
        .set_stop_timeout(c.stop_timeout)
        .set_version_consistency(
            c.version_consistency
                .as_deref()
                .map(sdk::VersionConsistency::from),
        )
        .set_hostname(c.hostname.clone())
        .set_user(c.user.clone())
        .set_working_directory(c.working_directory.clone())
        .set_disable_networking(c.disable_networking)
        .set_privileged(c.privileged)
        .set_readonly_root_filesystem(c.readonly_root_filesystem)
        .set_dns_servers(c.dns_servers.clone())
        .set_dns_search_domains(c.dns_search_domains.clone())
        .set_extra_hosts(list(&c.extra_hosts, |h| {
            sdk::HostEntry::builder()
                .hostname(&h.hostname)
                .ip_address(&h.ip_address)
                .build()
        })?)
        .set_docker_security_options(c.docker_security_options.clone())
        .set_interactive(c.interactive)
        .set_pseudo_terminal(c.pseudo_terminal)
        .set_docker_labels(
            c.docker_labels
                .as_ref()
                .and_then(|l| map(&Some(l.0.clone()))),
        )
        .set_ulimits(list(&c.ulimits, |u| {
            sdk::Ulimit::builder()
                .name(sdk::UlimitName::from(u.name.as_str()))
                .soft_limit(u.soft_limit)
                .hard_limit(u.hard_limit)
                .build()
        })?)
        .set_log_configuration(
            c.log_configuration
                .as_ref()
                .map(|l| {
                    sdk::LogConfiguration::builder()
                        .log_driver(sdk::LogDriver::from(l.log_driver.as_str()))
                        .set_options(map(&l.options))
                        .set_secret_options(list(&l.secret_options, secret)?)
                        .build()
                })
                .transpose()?,
        )
        .set_health_check(
            c.health_check
                .as_ref()
                .map(|h| {
                    sdk::HealthCheck::builder()
                        .set_command(Some(h.command.clone()))
                        .set_interval(h.interval)
                        .set_timeout(h.timeout)
                        .set_retries(h.retries)
                        .set_start_period(h.start_period)
                        .build()
                })
                .transpose()?,
        )
        .set_system_controls(list(&c.system_controls, |s| {
            Ok(sdk::SystemControl::builder()
                .set_namespace(s.namespace.clone())
                .set_value(s.value.clone())
                .build())
        })?)
        .set_resource_requirements(list(&c.resource_requirements, |r| {
            sdk::ResourceRequirement::builder()
                .value(&r.value)
                .r#type(sdk::ResourceType::from(r.r#type.as_str()))
                .build()
        })?)
        .set_firelens_configuration(
            c.firelens_configuration
                .as_ref()
                .map(|f| {
                    sdk::FirelensConfiguration::builder()
                        .r#type(sdk::FirelensConfigurationType::from(f.r#type.as_str()))
                        .set_options(map(&f.options))
                        .build()
                })
                .transpose()?,
        )
        .set_credential_specs(c.credential_specs.clone())
        .build())
}

fn linux(l: &m::LinuxParameters) -> Result<sdk::LinuxParameters> {
    Ok(sdk::LinuxParameters::builder()
        .set_capabilities(l.capabilities.as_ref().map(|c| {
            sdk::KernelCapabilities::builder()
                .set_add(c.add.clone())
                .set_drop(c.drop.clone())
                .build()
        }))
        .set_devices(list(&l.devices, |d| {
            sdk::Device::builder()
                .host_path(&d.host_path)
                .set_container_path(d.container_path.clone())
                .set_permissions(d.permissions.as_ref().map(|p| {
                    p.iter()
                        .map(|p| sdk::DeviceCgroupPermission::from(p.as_str()))
                        .collect()
                }))
                .build()
        })?)
        .set_init_process_enabled(l.init_process_enabled)
        .set_shared_memory_size(l.shared_memory_size)
        .set_tmpfs(list(&l.tmpfs, |t| {
            sdk::Tmpfs::builder()
                .container_path(&t.container_path)
                .size(t.size)
                .set_mount_options(t.mount_options.clone())
                .build()
        })?)
        .set_max_swap(l.max_swap)
        .set_swappiness(l.swappiness)
        .build())
}

fn volume(v: &m::Volume) -> Result<sdk::Volume> {
    Ok(sdk::Volume::builder()
        .set_name(v.name.clone())
        .set_host(v.host.as_ref().map(|h| {
            sdk::HostVolumeProperties::builder()
                .set_source_path(h.source_path.clone())
                .build()
        }))
        .set_docker_volume_configuration(v.docker_volume_configuration.as_ref().map(|d| {
            sdk::DockerVolumeConfiguration::builder()
                .set_scope(d.scope.as_deref().map(sdk::Scope::from))
                .set_autoprovision(d.autoprovision)
                .set_driver(d.driver.clone())
                .set_driver_opts(map(&d.driver_opts))
                .set_labels(map(&d.labels))
                .build()
        }))
        .set_efs_volume_configuration(
            v.efs_volume_configuration
                .as_ref()
                .map(|e| {
                    sdk::EfsVolumeConfiguration::builder()
                        .file_system_id(&e.file_system_id)
                        .set_root_directory(e.root_directory.clone())
                        .set_transit_encryption(
                            e.transit_encryption
                                .as_deref()
                                .map(sdk::EfsTransitEncryption::from),
                        )
                        .set_transit_encryption_port(e.transit_encryption_port)
                        .set_authorization_config(e.authorization_config.as_ref().map(|a| {
                            sdk::EfsAuthorizationConfig::builder()
                                .set_access_point_id(a.access_point_id.clone())
                                .set_iam(a.iam.as_deref().map(sdk::EfsAuthorizationConfigIam::from))
                                .build()
                        }))
                        .build()
                })
                .transpose()?,
        )
        .set_s3files_volume_configuration(
            v.s3files_volume_configuration
                .as_ref()
                .map(s3files)
                .transpose()?,
        )
        .set_fsx_windows_file_server_volume_configuration(
            v.fsx_windows_file_server_volume_configuration
                .as_ref()
                .map(fsx_windows)
                .transpose()?,
        )
        .set_configured_at_launch(v.configured_at_launch)
        .build())
}

fn fsx_windows(
    v: &m::FsxWindowsFileServerVolumeConfiguration,
) -> Result<sdk::FSxWindowsFileServerVolumeConfiguration> {
    let authorization = v
        .authorization_config
        .as_ref()
        .map(|a| {
            sdk::FSxWindowsFileServerAuthorizationConfig::builder()
                .credentials_parameter(&a.credentials_parameter)
                .domain(&a.domain)
                .build()
        })
        .transpose()?;
    sdk::FSxWindowsFileServerVolumeConfiguration::builder()
        .file_system_id(&v.file_system_id)
        .root_directory(&v.root_directory)
        .set_authorization_config(authorization)
        .build()
}

fn s3files(v: &m::S3FilesVolumeConfiguration) -> Result<sdk::S3FilesVolumeConfiguration> {
    sdk::S3FilesVolumeConfiguration::builder()
        .file_system_arn(&v.file_system_arn)
        .set_root_directory(v.root_directory.clone())
        .set_transit_encryption_port(v.transit_encryption_port)
        .set_access_point_arn(v.access_point_arn.clone())
        .build()
}
