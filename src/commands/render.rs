//! `dynroute render`: the exact RegisterTaskDefinition input(s) `up` sends. No AWS call.

use std::io::Write;

use super::inputs;
use crate::cli::{OutputFormat, RenderArgs, RenderFormat};
use crate::context::Context;
use crate::taskdef::{self, TaskDefinition};

pub fn run(ctx: &Context, args: RenderArgs) -> anyhow::Result<()> {
    let rendered = inputs::render_release(ctx, args.version_name.as_deref(), &args.release)?;
    let release = &rendered.release;
    let definitions: Vec<TaskDefinition> = rendered
        .services
        .into_iter()
        .map(|s| taskdef::with_tags(s.task_definition, &release.tags(&s.settings.name, None)))
        .collect();

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
