//! The account-side checks of `doctor`: the network the project names (its
//! subnets, security groups and their one VPC) and the baselines main runs as.

use std::collections::BTreeSet;

use super::{Finding, failed, ok, skipped};
use crate::aws::Aws;
use crate::config::{Baseline, Project};
use crate::ecs::ServiceState;

pub(super) async fn network_checks(out: &mut Vec<Finding>, aws: Option<&Aws>, project: &Project) {
    let (Some(aws), Some(network)) = (aws, &project.network) else {
        let why = match aws {
            None => "no AWS access",
            Some(_) => "no `network:` in dynroute.yaml (the templates name it)",
        };
        for id in ["network.subnets", "network.security_groups", "network.vpc"] {
            out.push(skipped(id, why));
        }
        return;
    };
    let mut vpcs: BTreeSet<String> = BTreeSet::new();
    let mut complete = true;
    for (id, what, ids, found) in [
        (
            "network.subnets",
            "subnet",
            &network.subnets,
            aws.subnets(&network.subnets).await,
        ),
        (
            "network.security_groups",
            "security group",
            &network.security_groups,
            aws.security_groups(&network.security_groups).await,
        ),
    ] {
        let found = match found {
            Ok(found) => found,
            Err(e) => {
                complete = false;
                out.push(failed(
                    id,
                    crate::error::chain_text(&e),
                    "allow ec2:DescribeSubnets and ec2:DescribeSecurityGroups, or check the region",
                ));
                continue;
            }
        };
        let missing: Vec<&String> = ids
            .iter()
            .filter(|i| !found.iter().any(|f| &f.id == *i))
            .collect();
        if missing.is_empty() {
            vpcs.extend(found.iter().map(|f| f.vpc.clone()));
            out.push(ok(
                id,
                match ids.is_empty() {
                    true => format!("no {what} named"),
                    false => found
                        .iter()
                        .map(|f| format!("{} ({})", f.id, f.vpc))
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            ));
        } else {
            complete = false;
            out.push(failed(
                id,
                format!(
                    "no {what} {} in {}",
                    missing
                        .iter()
                        .map(|m| m.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    aws.region()
                ),
                format!(
                    "name existing {what}s in `network:` (`aws ec2 describe-{}s`)",
                    what.replace(' ', "-")
                ),
            ));
        }
    }
    out.push(match (complete, vpcs.len()) {
        (false, _) => skipped(
            "network.vpc",
            "not every subnet and security group was found",
        ),
        (true, 0 | 1) => ok(
            "network.vpc",
            vpcs.iter()
                .next()
                .cloned()
                .unwrap_or_else(|| "no VPC named".to_owned()),
        ),
        (true, _) => failed(
            "network.vpc",
            format!(
                "the subnets and security groups are in {} VPCs: {}",
                vpcs.len(),
                vpcs.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            "name subnets and security groups of one VPC (the cluster's tasks get one network)",
        ),
    });
}

pub(super) async fn baseline_check(
    project: &Project,
    client: &reqwest::Client,
    services: Option<&[ServiceState]>,
) -> Finding {
    let baselines: Vec<(&str, &Baseline)> = project
        .services
        .values()
        .filter_map(|s| s.baseline.as_ref().map(|b| (s.name.as_str(), b)))
        .collect();
    if baselines.is_empty() {
        return skipped("baseline", "no service names a baseline");
    }
    let mut missing = Vec::new();
    let mut found = Vec::new();
    for (service, baseline) in baselines {
        match baseline {
            Baseline::EcsService(name) => match services {
                None => return skipped("baseline", "no cluster to look in"),
                Some(all) if all.iter().any(|s| &s.name == name && s.is_live()) => {
                    found.push(format!("{service}: ECS service {name}"));
                }
                Some(_) => missing.push(format!("{service}: no ECS service {name}")),
            },
            Baseline::Url(url) => {
                let answered = client.get(url).send().await.is_ok();
                match answered {
                    true => found.push(format!("{service}: {url} answers")),
                    false => missing.push(format!("{service}: {url} does not answer")),
                }
            }
        }
    }
    match missing.is_empty() {
        true => ok("baseline", found.join("; ")),
        false => failed(
            "baseline",
            missing.join("; "),
            "name the baseline main already runs as (`baseline:` of the service), or deploy main with `dynroute up main`",
        ),
    }
}
