//! The executor of `up`'s plan, in two halves with the hooks between them:
//! [`register`] registers (or keeps) every service's task definition, then
//! [`point`] creates or updates each service as planned, concurrently. When
//! CreateService finds the name taken after all, the plan decides again
//! ([`after_conflict`]); nothing here decides on its own.

use std::sync::Mutex;

use anyhow::Context as _;
use futures::future::join_all;
use serde::Serialize;

use super::plan::{Action, Change, after_conflict};
use super::poller::Poller;
use super::progress::Progress;
use super::rollout::wait_until_gone;
use super::timings::Mark;
use crate::config::Project;
use crate::ecs::{CreateOutcome, Ecs, NewService, Refused, ServiceUpdate, short_arn};
use crate::error::{ExitKind, UserError, chain_text, classify};
use crate::naming::ServiceName;
use crate::naming::tags;
use crate::taskdef;
use crate::taskdef::release::{Release, RenderedService};

/// What `up` did to a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    Create,
    Update,
    /// The service already runs what `up` would send; only its tags were refreshed.
    Unchanged,
}

impl Verb {
    /// The verb an action ends in.
    pub fn of(action: &Action) -> Verb {
        match action {
            Action::Create | Action::CreateAfterDrain => Verb::Create,
            a if a.is_unchanged() => Verb::Unchanged,
            Action::Update { .. } => Verb::Update,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Unchanged => "unchanged",
        }
    }
}

/// One service deployed: the service is created or updated; its rollout runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployed {
    pub ecs_name: String,
    pub verb: Verb,
    pub task_definition: String,
}

/// The progress sink shared by the concurrent services (never held across an await).
struct Shared<'p>(Mutex<&'p mut dyn Progress>);

impl Shared<'_> {
    fn info(&self, message: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .info(message);
    }
    fn detail(&self, message: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .detail(message);
    }
    fn phase_ended(&self, mark: Mark) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .phase_ended(mark);
    }
}

/// A service's revision for this `up`: registered by it, or the one it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub task_definition: String,
    /// Registered by this run (deregistered again if the run stops before
    /// any service points at it).
    pub fresh: bool,
}

/// The first half of carrying out `actions` (one per service, in order):
/// registers each service's task definition (or keeps the one it runs,
/// bringing its tags up to date), concurrently. Nothing points at a fresh
/// revision yet: hooks run from them before [`point`] moves any service.
pub async fn register(
    ecs: &dyn Ecs,
    release: &Release,
    services: &[RenderedService],
    actions: &[Action],
    progress: &mut dyn Progress,
) -> Vec<anyhow::Result<Registered>> {
    let shared = Shared(Mutex::new(progress));
    let shared = &shared;
    join_all(services.iter().zip(actions).map(|(s, action)| async move {
        let tags = release.tags(&s.settings.name, action.created_at());
        let td = taskdef::with_tags(s.task_definition.clone(), &tags);
        let registered = match action {
            Action::Update {
                change:
                    Change::Keep {
                        task_definition,
                        retag_definition,
                        ..
                    },
                ..
            } => {
                if *retag_definition {
                    retag_definition_tags(ecs, task_definition, &taskdef::tag_pairs(&td)).await?;
                }
                shared.detail(&format!(
                    "{} is unchanged: keeping it",
                    short_arn(task_definition)
                ));
                Registered {
                    task_definition: task_definition.clone(),
                    fresh: false,
                }
            }
            _ => {
                let arn = ecs.register_task_definition(&td).await.with_context(|| {
                    format!("registering the task definition of {}", s.ecs_name)
                })?;
                shared.detail(&format!("registered {}", short_arn(&arn)));
                Registered {
                    task_definition: arn,
                    fresh: true,
                }
            }
        };
        shared.phase_ended(Mark::Registered);
        anyhow::Ok(registered)
    }))
    .await
}

/// Deregisters the revisions this run registered and nothing points at (the
/// run stopped before moving any service): a stopped `up` leaves nothing behind.
pub async fn deregister_fresh(
    ecs: &dyn Ecs,
    registered: &[Registered],
    progress: &mut dyn Progress,
) {
    for r in registered.iter().filter(|r| r.fresh) {
        match ecs.deregister_task_definition(&r.task_definition).await {
            Ok(()) => progress.detail(&format!(
                "deregistered {} again",
                short_arn(&r.task_definition)
            )),
            Err(err) => progress.warn(&format!(
                "deregistering {} failed ({}); `dynroute down` removes it",
                short_arn(&r.task_definition),
                chain_text(&err)
            )),
        }
    }
}

/// The second half: creates or updates each service as planned, pointing it
/// at its [`Registered`] revision, with `extra_tags` (the hooks' last runs)
/// besides the release's. Returns each result in the same order. `poller`
/// bounds the waits for draining namesakes.
#[allow(clippy::too_many_arguments)]
pub async fn point(
    ecs: &dyn Ecs,
    project: &Project,
    release: &Release,
    services: &[RenderedService],
    actions: Vec<Action>,
    registered: &[Registered],
    extra_tags: &[(ServiceName, (String, String))],
    poller: Poller,
    progress: &mut dyn Progress,
) -> Vec<anyhow::Result<Deployed>> {
    let shared = Shared(Mutex::new(progress));
    join_all(
        services
            .iter()
            .zip(actions)
            .zip(registered)
            .map(|((s, action), r)| {
                let extra: Vec<(String, String)> = (extra_tags.iter())
                    .filter(|(name, _)| *name == s.settings.name)
                    .map(|(_, tag)| tag.clone())
                    .collect();
                point_one(ecs, project, release, s, action, r, extra, poller, &shared)
            }),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn point_one(
    ecs: &dyn Ecs,
    project: &Project,
    release: &Release,
    s: &RenderedService,
    action: Action,
    registered: &Registered,
    extra_tags: Vec<(String, String)>,
    poller: Poller,
    progress: &Shared<'_>,
) -> anyhow::Result<Deployed> {
    let tags = release.tags(&s.settings.name, action.created_at());
    let unchanged = action.is_unchanged();
    let restart = matches!(
        &action,
        Action::Update {
            change: Change::Keep { restart: true, .. },
            ..
        }
    );
    let td_arn = registered.task_definition.clone();
    let mut pairs = tags.to_pairs();
    pairs.push((tags::TASK_DEFINITION.to_owned(), td_arn.clone()));
    let rendered = super::plan::rendered_request(release, s)?;
    pairs.push((
        tags::RENDER_DIGEST.to_owned(),
        taskdef::diff::digest(&rendered),
    ));
    pairs.extend(extra_tags);
    if (project.hooks)
        .of(crate::config::Phase::AfterDown, &s.settings.name)
        .next()
        .is_some()
    {
        pairs.push((super::hooks::HAS_AFTER_DOWN.to_owned(), "true".to_owned()));
    }
    // A hook that did not run this time keeps its last run's tag.
    let stale: Vec<String> = (action.stale_tags(&pairs).into_iter())
        .filter(|k| !super::hooks::is_declared_tag(project, &s.settings.name, k))
        // The activity recorder's tags are its own, not the release's.
        .filter(|k| !tags::is_activity_tag(k))
        .collect();
    let desired = i32::try_from(s.settings.desired_count).unwrap_or(i32::MAX);
    let deployed = |verb| Deployed {
        ecs_name: s.ecs_name.clone(),
        verb,
        task_definition: td_arn.clone(),
    };

    // networkConfiguration is for awsvpc task definitions only (ECS refuses it
    // for bridge, host and none).
    let network = project
        .network
        .as_ref()
        .filter(|_| s.task_definition.is_awsvpc());
    // Set once the service runs `td_arn`: a refusal after that (of a tag) must
    // not deregister the revision the service now runs.
    let in_use = std::sync::atomic::AtomicBool::new(!registered.fresh);
    let pointed: anyhow::Result<Deployed> = async {
        let mut said_invisible = false;
        let mut action = action;
        loop {
            match action {
                Action::Update { arn, .. } => {
                    if !unchanged {
                        ecs.update_service(&ServiceUpdate {
                            name: &s.ecs_name,
                            task_definition: &td_arn,
                            desired_count: desired,
                            network,
                            force_new_deployment: restart,
                        })
                        .await?;
                    }
                    in_use.store(true, std::sync::atomic::Ordering::Relaxed);
                    ecs.tag_resource(&arn, &pairs).await?;
                    if !stale.is_empty() {
                        ecs.untag_resource(&arn, &stale).await?;
                    }
                    if unchanged {
                        progress.detail(&format!("refreshed the tags of service {}", s.ecs_name));
                        return Ok(deployed(Verb::Unchanged));
                    }
                    progress.detail(&format!("updated service {} and its tags", s.ecs_name));
                    return Ok(deployed(Verb::Update));
                }
                Action::CreateAfterDrain => {
                    progress.info(&format!(
                        "{}: waiting for the previous service of that name to finish draining",
                        s.ecs_name
                    ));
                    let names = [s.ecs_name.clone()];
                    wait_until_gone(ecs, &names, poller, &mut super::progress::Silent).await?;
                    action = Action::Create;
                }
                Action::Create => {
                    let spec = NewService {
                        name: &s.ecs_name,
                        task_definition: &td_arn,
                        desired_count: desired,
                        placement: project.placement_for(&release.version),
                        network,
                        tags: &pairs,
                    };
                    match ecs.create_service(&spec).await? {
                        CreateOutcome::Created => {
                            in_use.store(true, std::sync::atomic::Ordering::Relaxed);
                            progress.detail(&format!("created service {}", s.ecs_name));
                            return Ok(deployed(Verb::Create));
                        }
                        // Created concurrently (another `up`), or draining: the plan decides again.
                        // ECS is eventually consistent: DescribeServices may lag behind
                        // CreateService for a while, so wait for it (up to the deadline).
                        CreateOutcome::AlreadyExists => {
                            if poller.tick().await.is_err() {
                                return Err(UserError::new(
                                    ExitKind::TimedOut,
                                    format!(
                                        "{}: CreateService keeps answering that the service exists, but DescribeServices does not show it live",
                                        s.ecs_name
                                    ),
                                )
                                .into());
                            }
                            let now = ecs
                                .describe_services(std::slice::from_ref(&s.ecs_name))
                                .await?;
                            if now.is_empty() && !said_invisible {
                                progress.info(&format!(
                                    "{}: ECS says the service exists but does not show it yet; waiting",
                                    s.ecs_name
                                ));
                                said_invisible = true;
                            }
                            // Not visible at all: nothing drains, so ask CreateService again.
                            action = if now.is_empty() {
                                Action::Create
                            } else {
                                after_conflict(&s.ecs_name, &now, &release.project)?
                            };
                        }
                    }
                }
            }
        }
    }
    .await;
    // ECS refused the service as sent: the revision this run registered is
    // deregistered again, so a failed `up` leaves nothing for `down` to find.
    match pointed {
        Err(err)
            if !in_use.load(std::sync::atomic::Ordering::Relaxed) && Refused::is_cause_of(&err) =>
        {
            match ecs.deregister_task_definition(&td_arn).await {
                Ok(()) => progress.info(&format!(
                    "{}: ECS refused the service; deregistered {} again, so this run left nothing behind",
                    s.ecs_name,
                    short_arn(&td_arn)
                )),
                Err(again) => progress.info(&format!(
                    "{}: ECS refused the service, and deregistering {} failed too ({}); `dynroute down` removes it",
                    s.ecs_name,
                    short_arn(&td_arn),
                    chain_text(&again)
                )),
            }
            Err(err)
        }
        other => other,
    }
}

/// Brings a kept revision's tags up to date with the rendered ones (`pairs`:
/// the template's and dynroute's), except the ones that change with every
/// deployment (its `updated-at` stays the time it was registered).
async fn retag_definition_tags(
    ecs: &dyn Ecs,
    arn: &str,
    pairs: &[(String, String)],
) -> anyhow::Result<()> {
    let current = ecs.task_definition_tags(arn).await?;
    let wanted: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !taskdef::diff::is_per_deployment_tag(k))
        .cloned()
        .collect();
    let stale: Vec<String> = current
        .keys()
        .filter(|k| !k.starts_with("aws:") && !taskdef::diff::is_per_deployment_tag(k))
        .filter(|k| !wanted.iter().any(|(w, _)| w == *k))
        .cloned()
        .collect();
    ecs.tag_resource(arn, &wanted).await?;
    if !stale.is_empty() {
        ecs.untag_resource(arn, &stale).await?;
    }
    Ok(())
}

/// Says exactly which services were deployed and which were not; exits with the
/// most severe code of the failures.
pub fn partial_failure(done: &[String], failures: &[(String, anyhow::Error)]) -> anyhow::Error {
    let kind = ExitKind::most_severe(failures.iter().map(|(_, e)| classify(e).0));
    let mut message = String::from("deployment incomplete");
    if !done.is_empty() {
        message.push_str(&format!("\n  deployed: {}", done.join(", ")));
    }
    for (name, err) in failures {
        message.push_str(&format!("\n  not deployed: {name}: {}", chain_text(err)));
    }
    // Each failure's own hint (what to change for a refusal, wait and re-run
    // for throttling); re-running converges when none says otherwise.
    let mut hints: Vec<&str> = Vec::new();
    for (_, err) in failures {
        if let Some(h) = classify(err).1.filter(|h| !hints.contains(h)) {
            hints.push(h);
        }
    }
    let hint = match hints.is_empty() {
        true => "re-run the same `dynroute up`: it converges".to_owned(),
        false => hints.join("; "),
    };
    UserError::new(kind, message).hint(hint).into()
}
