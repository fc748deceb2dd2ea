//! The volume kinds and task fields of the model that [`super::convert`] does
//! not map inline: FSx for Windows and S3 Files volumes.

use aws_sdk_ecs::types as sdk;

use crate::taskdef::model as m;

type Result<T> = std::result::Result<T, aws_sdk_ecs::error::BuildError>;

pub fn fsx_windows(
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

pub fn s3files(v: &m::S3FilesVolumeConfiguration) -> Result<sdk::S3FilesVolumeConfiguration> {
    sdk::S3FilesVolumeConfiguration::builder()
        .file_system_arn(&v.file_system_arn)
        .set_root_directory(v.root_directory.clone())
        .set_transit_encryption_port(v.transit_encryption_port)
        .set_access_point_arn(v.access_point_arn.clone())
        .build()
}
