//! `volumes[]` of a task definition: host, Docker, EFS, S3 Files and FSx for
//! Windows File Server volumes, in the AWS field names.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

api_struct!(Volume {
    name: Option<String>,
    host: Option<HostVolumeProperties>,
    docker_volume_configuration: Option<DockerVolumeConfiguration>,
    efs_volume_configuration: Option<EfsVolumeConfiguration>,
    s3files_volume_configuration: Option<S3FilesVolumeConfiguration>,
    fsx_windows_file_server_volume_configuration: Option<FsxWindowsFileServerVolumeConfiguration>,
    configured_at_launch: Option<bool>,
});
api_struct!(S3FilesVolumeConfiguration {
    file_system_arn: String,
    root_directory: Option<String>,
    transit_encryption_port: Option<i32>,
    access_point_arn: Option<String>,
});
api_struct!(FsxWindowsFileServerVolumeConfiguration {
    file_system_id: String,
    root_directory: String,
    authorization_config: Option<FsxWindowsFileServerAuthorizationConfig>,
});
api_struct!(FsxWindowsFileServerAuthorizationConfig {
    credentials_parameter: String,
    domain: String
});
api_struct!(HostVolumeProperties { source_path: Option<String> });
api_struct!(DockerVolumeConfiguration {
    scope: Option<String>,
    autoprovision: Option<bool>,
    driver: Option<String>,
    driver_opts: Option<BTreeMap<String, String>>,
    labels: Option<BTreeMap<String, String>>,
});
api_struct!(EfsVolumeConfiguration {
    file_system_id: String,
    root_directory: Option<String>,
    transit_encryption: Option<String>,
    transit_encryption_port: Option<i32>,
    authorization_config: Option<EfsAuthorizationConfig>,
});
api_struct!(EfsAuthorizationConfig { access_point_id: Option<String>, iam: Option<String> });
