//! `dynroute render`: the exact RegisterTaskDefinition input(s) `up` sends. No AWS call.

use std::io::Write;

use super::inputs;
use crate::cli::{OutputFormat, RenderArgs, RenderFormat};
use crate::context::Context;
use crate::taskdef::{self, TaskDefinition};
use crate::template::process_env;

pub fn run(ctx: &Context, args: RenderArgs) -> anyhow::Result<()> {
    let version = inputs::version_or_branch(args.version_name.as_deref())?;
    let project = ctx.project()?;
    let services = inputs::services(&project, &args.release.services)?;
    let release = inputs::release(&project, version, &args.release)?;
    let definitions: Vec<TaskDefinition> = services
        .iter()
        .map(|service| {
            let td = taskdef::build(&project, service, &release, process_env())?;
            Ok::<_, crate::error::UserError>(taskdef::with_tags(
                td,
                &release.tags(&service.name, None),
            ))
        })
        .collect::<Result<_, _>>()?;

    let format = if ctx.output == OutputFormat::Json {
        RenderFormat::Json
    } else {
        args.format
    };
    let mut out = std::io::stdout().lock();
    match (format, definitions.as_slice()) {
        // One service: the object itself, ready for `--cli-input-json`.
        (RenderFormat::Json, [one]) => writeln!(out, "{}", serde_json::to_string_pretty(one)?)?,
        (RenderFormat::Json, many) => writeln!(out, "{}", serde_json::to_string_pretty(many)?)?,
        (RenderFormat::Yaml, many) => {
            for (i, td) in many.iter().enumerate() {
                if i > 0 {
                    writeln!(out, "---")?;
                }
                write!(out, "{}", serde_yaml::to_string(td)?)?;
            }
        }
    }
    Ok(())
}
