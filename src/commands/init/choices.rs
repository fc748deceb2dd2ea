//! The answers `init --from-task-definition` / `--from-service` needs besides
//! the task definition: which container and port requests reach, the service
//! name, the domain. Detected where the task definition says; asked on a
//! terminal when it is ambiguous; flags otherwise.

use crate::cli::InitArgs;
use crate::error::UserError;
use crate::naming::ServiceName;
use crate::routing::Hostname;
use crate::settings::Settings;
use crate::taskdef::adopt;
use crate::ui::prompt;

/// The container and port Traefik routes to.
pub fn routed(
    settings: &Settings,
    args: &InitArgs,
    td: &crate::taskdef::TaskDefinition,
) -> anyhow::Result<(String, u16)> {
    let names: Vec<&str> = td
        .container_definitions
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    if let Some(c) = &args.container
        && !names.contains(&c.as_str())
    {
        return Err(UserError::usage(format!(
            "--container {c}: the task definition has no such container"
        ))
        .hint(format!("containers: {}", names.join(", ")))
        .into());
    }
    let candidates: Vec<(String, u16)> = adopt::routable(td)
        .into_iter()
        .filter(|(c, _)| args.container.as_ref().is_none_or(|want| want == c))
        .filter(|(_, p)| args.port.is_none_or(|want| want == *p))
        .collect();
    let single_container = match (&args.container, names.as_slice()) {
        (Some(c), _) => Some(c.clone()),
        (None, [one]) => Some((*one).to_owned()),
        _ => None,
    };
    match (candidates.as_slice(), args.port, single_container) {
        ([one], _, _) => Ok(one.clone()),
        // A port the task definition does not map yet: dynroute adds the mapping.
        ([], Some(port), Some(container)) => Ok((container, port)),
        _ => {
            let choices: Vec<String> = adopt::routable(td)
                .iter()
                .map(|(c, p)| format!("{c}:{p}"))
                .collect();
            let answer = prompt::text(
                &settings.ui,
                &format!(
                    "Which container:port should requests reach? ({})",
                    if choices.is_empty() {
                        "none is mapped".to_owned()
                    } else {
                        choices.join(", ")
                    }
                ),
                choices.first().cloned(),
                "--container NAME --port PORT",
                |s| parse_choice(s, &names).map(|_| ()),
            )?;
            Ok(parse_choice(&answer, &names).map_err(UserError::usage)?)
        }
    }
}

fn parse_choice(s: &str, names: &[&str]) -> Result<(String, u16), String> {
    let (c, p) = s
        .rsplit_once(':')
        .ok_or_else(|| "expected CONTAINER:PORT".to_owned())?;
    if !names.contains(&c) {
        return Err(format!(
            "no container `{c}`; containers: {}",
            names.join(", ")
        ));
    }
    let port = crate::cli::values::port_number(p)?;
    Ok((c.to_owned(), port))
}

pub fn service_name(
    settings: &Settings,
    args: &InitArgs,
    family: Option<&str>,
) -> anyhow::Result<ServiceName> {
    if let Some(service) = &args.service {
        return Ok(service.clone());
    }
    match family.and_then(ServiceName::suggested) {
        Some(from_family) => Ok(from_family),
        None => prompt::value(&settings.ui, "Service name", None, "--service NAME"),
    }
}

pub fn domain(settings: &Settings, args: &InitArgs) -> anyhow::Result<Hostname> {
    match &args.domain {
        Some(d) => Ok(d.clone()),
        None => prompt::value(
            &settings.ui,
            "Domain for service hosts",
            None,
            "--domain DOMAIN",
        ),
    }
}
