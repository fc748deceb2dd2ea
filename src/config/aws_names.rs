//! Names AWS would reject, checked while loading the config so a typo fails
//! before any call: the ECS cluster (a name or a cluster ARN) and the region.

/// `cluster`: 1–255 letters, digits, `-` and `_`, or an ECS cluster ARN.
pub fn check_cluster(cluster: &str) -> Result<(), String> {
    let name = match cluster.strip_prefix("arn:") {
        Some(rest) => {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            let [partition, "ecs", region, account, resource] = parts[..] else {
                return Err(format!(
                    "cluster {cluster:?} is not an ECS cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)"
                ));
            };
            let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
            if !partition.starts_with("aws") || check_region(region).is_err() || !account_ok {
                return Err(format!(
                    "cluster {cluster:?} is not an ECS cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)"
                ));
            }
            resource.strip_prefix("cluster/").ok_or_else(|| {
                format!("cluster ARN {cluster:?} does not name a cluster (…:cluster/NAME)")
            })?
        }
        None => cluster,
    };
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if name.is_empty() || name.len() > 255 || !valid_chars {
        return Err(format!(
            "cluster {cluster:?} is not a valid ECS cluster name: 1 to 255 letters, digits, `-` and `_`"
        ));
    }
    Ok(())
}

/// `region`: an AWS region code such as `us-east-1` or `us-gov-west-1`.
pub fn check_region(region: &str) -> Result<(), String> {
    let parts: Vec<&str> = region.split('-').collect();
    let valid = parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty();
    if valid {
        Ok(())
    } else {
        Err(format!(
            "region {region:?} is not an AWS region code such as `us-east-1` or `eu-west-2`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_names_and_arns() {
        for ok in [
            "dev",
            "a",
            "Dev_cluster-2",
            &"x".repeat(255),
            "arn:aws:ecs:us-east-1:123456789012:cluster/dev",
            "arn:aws-cn:ecs:cn-north-1:123456789012:cluster/dev",
        ] {
            check_cluster(ok).unwrap();
        }
        for bad in [
            "",
            "dev cluster",
            "dev/1",
            "dév",
            &"x".repeat(256),
            "arn:aws:ecs:us-east-1:123456789012:service/dev",
            "arn:aws:ecs:us-east-1:1234:cluster/dev",
            "arn:aws:s3:us-east-1:123456789012:cluster/dev",
            "dev\u{1b}[2J",
        ] {
            assert!(check_cluster(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn region_codes() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "ap-southeast-4",
        ] {
            check_region(ok).unwrap();
        }
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "useast1",
            "us-east-1 ",
            "u-east-1",
            "us--1",
        ] {
            assert!(check_region(bad).is_err(), "{bad:?}");
        }
    }
}
