//! `dynroute render`: the exact RegisterTaskDefinition input(s) `up` sends. No AWS call.

use crate::cli::RenderArgs;
use crate::report::RenderReport;
use crate::report::format::RenderFormat;
use crate::settings::Settings;
use crate::settings::inputs;
use crate::taskdef;

pub fn run(settings: &Settings, args: RenderArgs) -> anyhow::Result<RenderReport> {
    let format = settings.format(args.format, RenderFormat::Json, RenderFormat::Json)?;
    let rendered = inputs::render_release(settings, args.version.as_ref(), &args.release)?;
    let release = &rendered.release;
    Ok(RenderReport {
        definitions: rendered
            .services
            .into_iter()
            .map(|s| taskdef::with_tags(s.task_definition, &release.tags(&s.settings.name, None)))
            .collect(),
        format,
    })
}
