//! `hooks:` in `dynroute.yaml`: one-off tasks `up` runs before services change
//! (`on_create`, `before_up`) and `down`/`prune` run after they are gone
//! (`after_down`). Validated once, on the way in; the commands' per-version
//! names (`{{ version }}`, `{{ version_id }}`, `{{ project }}`, `{{ service }}`)
//! are filled in per argument, so a value never becomes another argument.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use crate::naming::{ProjectName, ServiceName, Version};

/// At most this many hooks in one phase (each keeps its last run in a tag of
/// its service, and ECS allows 50 tags on a resource).
pub const MAX_PER_PHASE: usize = 5;
/// At most this many arguments in one hook's command.
pub const MAX_ARGS: usize = 64;
/// At most this many bytes in one argument (ECS takes 8 KiB of overrides in all).
pub const MAX_ARG_BYTES: usize = 1024;
/// How long a hook may run when it says nothing else.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// The longest `timeout:` a hook may set.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(6 * 3600);

/// `hooks:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HooksFile {
    #[serde(default)]
    pub on_create: Vec<HookFile>,
    #[serde(default)]
    pub before_up: Vec<HookFile>,
    #[serde(default)]
    pub after_down: Vec<HookFile>,
}

/// One hook as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookFile {
    pub service: ServiceName,
    pub command: Vec<String>,
    pub container: Option<String>,
    pub timeout: Option<String>,
}

/// When a hook runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The first `up` of a version for the hook's service (again while it fails).
    OnCreate,
    /// Every `up`, before any service changes.
    BeforeUp,
    /// `down` and `prune`, after the version's services are deleted.
    AfterDown,
}

impl Phase {
    pub const ALL: [Phase; 3] = [Phase::OnCreate, Phase::BeforeUp, Phase::AfterDown];

    /// The key in `hooks:` and in tags.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::OnCreate => "on_create",
            Phase::BeforeUp => "before_up",
            Phase::AfterDown => "after_down",
        }
    }

    pub fn parse(text: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One validated hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    pub phase: Phase,
    /// 1-based position in its phase's list.
    pub index: usize,
    pub service: ServiceName,
    /// `None`: the service's own container.
    pub container: Option<String>,
    /// The command as written, names not yet filled in.
    pub command: Vec<String>,
    pub timeout: Duration,
}

/// The names a hook's command may use.
#[derive(Debug, Clone, Copy)]
pub struct HookNames<'a> {
    pub version: &'a Version,
    pub project: &'a ProjectName,
}

impl Hook {
    /// `on_create #1 (api)`: how messages name the hook.
    pub fn label(&self) -> String {
        format!("{} #{} ({})", self.phase, self.index, self.service)
    }

    /// The command with the per-version names filled in.
    pub fn command_for(&self, names: HookNames<'_>) -> Vec<String> {
        let id = names.version.id();
        self.command
            .iter()
            .map(|arg| {
                expand(arg, |name| match name {
                    "version" => Some(names.version.as_str()),
                    "version_id" => Some(id.as_str()),
                    "project" => Some(names.project.as_str()),
                    "service" => Some(self.service.as_str()),
                    _ => None,
                })
                .expect("validated when the config was loaded")
            })
            .collect()
    }
}

/// Every hook of the project, by phase, in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hooks {
    pub hooks: Vec<Hook>,
}

impl Hooks {
    /// The hooks of `phase` for the service `service`, in order.
    pub fn of<'a>(
        &'a self,
        phase: Phase,
        service: &'a ServiceName,
    ) -> impl Iterator<Item = &'a Hook> + 'a {
        self.hooks
            .iter()
            .filter(move |h| h.phase == phase && &h.service == service)
    }

    /// The hooks of `phase`, in order.
    pub fn in_phase(&self, phase: Phase) -> impl Iterator<Item = &Hook> + '_ {
        self.hooks.iter().filter(move |h| h.phase == phase)
    }

    pub fn is_empty(&self) -> bool {
        self.hooks.is_empty()
    }
}

/// `text` with each `{{ name }}` replaced by `value(name)`; `Err(name)` for a
/// name `value` does not know, or an unclosed `{{`.
fn expand<'v>(text: &str, value: impl Fn(&str) -> Option<&'v str>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(rest[start..].chars().take(20).collect());
        };
        let name = after[..end].trim();
        out.push_str(value(name).ok_or_else(|| name.to_owned())?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Validates `hooks:` against the declared services; `Err((keys, message))`
/// names where in the file the problem is.
pub fn resolve(
    file: HooksFile,
    services: &BTreeMap<ServiceName, super::ServiceSettings>,
) -> Result<Hooks, (Vec<String>, String)> {
    let mut hooks = Vec::new();
    for (phase, list) in [
        (Phase::OnCreate, file.on_create),
        (Phase::BeforeUp, file.before_up),
        (Phase::AfterDown, file.after_down),
    ] {
        let keys = || vec!["hooks".to_owned(), phase.as_str().to_owned()];
        if list.len() > MAX_PER_PHASE {
            return Err((
                keys(),
                format!(
                    "hooks.{phase} lists {} hooks; at most {MAX_PER_PHASE} (put several steps in one command)",
                    list.len()
                ),
            ));
        }
        for (i, raw) in list.into_iter().enumerate() {
            let at = format!("hooks.{phase}[{i}]");
            if !services.contains_key(&raw.service) {
                let known: Vec<&str> = services.keys().map(|s| s.as_str()).collect();
                return Err((
                    keys(),
                    format!(
                        "{at}: service `{}` is not declared under `services` (declared: {})",
                        raw.service,
                        known.join(", ")
                    ),
                ));
            }
            if raw.command.is_empty() || raw.command[0].trim().is_empty() {
                return Err((
                    keys(),
                    format!(
                        "{at}: the command is empty: give the program and its arguments, e.g. [\"bin/db\", \"migrate\"]"
                    ),
                ));
            }
            if raw.command.len() > MAX_ARGS {
                return Err((
                    keys(),
                    format!(
                        "{at}: the command has {} arguments; at most {MAX_ARGS}",
                        raw.command.len()
                    ),
                ));
            }
            for arg in &raw.command {
                if arg.len() > MAX_ARG_BYTES {
                    return Err((
                        keys(),
                        format!(
                            "{at}: an argument of {} bytes is longer than {MAX_ARG_BYTES}: put long scripts in the image",
                            arg.len()
                        ),
                    ));
                }
                if arg.contains('\0') {
                    return Err((
                        keys(),
                        format!("{at}: an argument contains a NUL character"),
                    ));
                }
                let known = |n: &str| {
                    matches!(n, "version" | "version_id" | "project" | "service").then_some("")
                };
                if let Err(name) = expand(arg, known) {
                    return Err((
                        keys(),
                        format!(
                            "{at}: `{{{{ {name} }}}}` is not a name hook commands know: {{{{ version }}}}, {{{{ version_id }}}}, {{{{ project }}}} and {{{{ service }}}}"
                        ),
                    ));
                }
            }
            let container = match raw.container {
                Some(c) if c.trim().is_empty() => {
                    return Err((keys(), format!("{at}: `container` is empty")));
                }
                other => other,
            };
            let timeout = match raw.timeout.as_deref() {
                None => DEFAULT_TIMEOUT,
                Some(text) => match humantime::parse_duration(text) {
                    Ok(d) if !d.is_zero() && d <= MAX_TIMEOUT => d,
                    _ => {
                        return Err((
                            keys(),
                            format!(
                                "{at}: timeout {text:?} is not a duration from 1s to 6h (e.g. `10m`)"
                            ),
                        ));
                    }
                },
            };
            hooks.push(Hook {
                phase,
                index: i + 1,
                service: raw.service,
                container,
                command: raw.command,
                timeout,
            });
        }
    }
    Ok(Hooks { hooks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_filled_in_per_argument_and_unknown_ones_refused() {
        let hook = Hook {
            phase: Phase::OnCreate,
            index: 1,
            service: "api".parse().unwrap(),
            container: None,
            command: vec![
                "psql".into(),
                "-c".into(),
                "create schema if not exists v_{{ version_id }}; -- {{version}} {{ project }}/{{ service }}".into(),
            ],
            timeout: DEFAULT_TIMEOUT,
        };
        let version: Version = "feature-2981".parse().unwrap();
        let project: ProjectName = "shop".parse().unwrap();
        let names = HookNames {
            version: &version,
            project: &project,
        };
        assert_eq!(
            hook.command_for(names),
            [
                "psql",
                "-c",
                "create schema if not exists v_feature_2981; -- feature-2981 shop/api"
            ]
        );
        assert_eq!(hook.label(), "on_create #1 (api)");
        assert_eq!(expand("{{ image_tag }}", |_| None), Err("image_tag".into()));
        assert_eq!(
            expand("a {{ version", |_| Some("x")),
            Err("{{ version".into())
        );
        assert_eq!(expand("no names", |_| None), Ok("no names".into()));
    }
}
