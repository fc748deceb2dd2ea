//! `down` without VERSION on a terminal: a picker of this project's live versions.

use crate::config::Project;
use crate::ecs::Ecs;
use crate::engine::inventory;
use crate::engine::scope::Scope;
use crate::naming::Version;
use crate::settings::Settings;
use crate::settings::inputs;
use crate::ui::prompt;

/// On a terminal without VERSION: choose among the live versions of this
/// project's services. Protected versions only with `--force`.
pub async fn pick(
    settings: &Settings,
    ecs: &dyn Ecs,
    project: &Project,
    force: bool,
    scope: &Scope,
) -> anyhow::Result<Option<Version>> {
    let views: Vec<_> = inventory::list(ecs, project, scope, jiff::Timestamp::now())
        .await?
        .into_iter()
        .filter(|v| force || !v.protected)
        .filter(|v| {
            v.services
                .iter()
                .any(|s| project.services.contains_key(&s.service))
        })
        .collect();
    if views.is_empty() {
        return Ok(None);
    }
    let items: Vec<String> = views
        .iter()
        .map(|v| {
            format!(
                "{}  ({}, {}, by {})",
                v.version,
                crate::ui::terminal_text::count(v.services.len(), "service", "services"),
                v.status,
                v.owner.as_deref().unwrap_or("unknown")
            )
        })
        .collect();
    let branch = inputs::version_or_branch(None).ok();
    let default = branch
        .and_then(|b| views.iter().position(|v| v.version == b))
        .unwrap_or(0);
    let chosen = prompt::select(
        &settings.ui,
        "Version to remove",
        &items,
        default,
        "VERSION",
    )?;
    Ok(Some(views[chosen].version.clone()))
}
