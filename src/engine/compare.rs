//! `diff` against what runs: each rendered task definition next to the revision
//! its ECS service runs (this version's, or main's), read with DescribeTaskDefinition.
//! Read-only: two calls per service at most, nothing written.

use serde_json::Value;

use crate::ecs::{Ecs, short_arn};
use crate::taskdef::diff::Comparison;

/// One service to compare: its rendered definition and the ECS service whose
/// running revision it is compared with.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub service: String,
    pub rendered: Value,
    /// `api--feature-1` (this version) or `api--main` (`--against main`).
    pub against_service: String,
}

/// Compares every candidate with the revision its ECS service runs; a service
/// that is not there (or is being deleted) is [`Comparison::NotDeployed`].
/// `identity: false` leaves out what names the version (for another version's service).
pub async fn against_running(
    ecs: &dyn Ecs,
    candidates: &[Candidate],
    new_label: &str,
    identity: bool,
) -> anyhow::Result<Vec<(String, Comparison)>> {
    let names: Vec<String> = candidates
        .iter()
        .map(|c| c.against_service.clone())
        .collect();
    let states = ecs.describe_services(&names).await?;
    let mut out = Vec::with_capacity(candidates.len());
    for c in candidates {
        let running = states
            .iter()
            .find(|s| s.name == c.against_service && s.is_live())
            .map(|s| s.task_definition.clone());
        let document = match &running {
            Some(arn) => ecs.task_definition_document(arn).await?,
            None => None,
        };
        let comparison = match (running, document) {
            (Some(arn), Some(doc)) => {
                Comparison::of(&doc, &c.rendered, short_arn(&arn), new_label, identity)
            }
            _ => Comparison::NotDeployed {
                ecs_service: c.against_service.clone(),
            },
        };
        out.push((c.service.clone(), comparison));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::fake::FakeEcs;
    use crate::ecs::{NewService, ServiceStatus};

    fn rendered(image: &str) -> Value {
        serde_json::json!({
            "family": "api--feature-1",
            "containerDefinitions": [{"name": "api", "image": image, "portMappings": [{"containerPort": 8080}]}],
            "tags": [{"key": "dynroute:updated-at", "value": "2026-12-01T00:00:00Z"}]
        })
    }

    async fn deployed(ecs: &FakeEcs, image: &str) {
        let mut doc = rendered(image);
        let obj = doc.as_object_mut().unwrap();
        obj.remove("family");
        obj.remove("tags");
        let mut td: crate::taskdef::TaskDefinition =
            serde_json::from_value(doc).expect("a task definition");
        td.family = Some(crate::taskdef::model::Family("api--feature-1".into()));
        let arn = ecs.register_task_definition(&td).await.unwrap();
        let placement =
            crate::config::Placement::LaunchType(crate::config::schema::LaunchType::Fargate);
        ecs.create_service(&NewService {
            name: "api--feature-1",
            task_definition: &arn,
            desired_count: 1,
            placement: &placement,
            network: None,
            tags: &[],
        })
        .await
        .unwrap();
    }

    fn candidate(image: &str) -> Candidate {
        let mut rendered = rendered(image);
        rendered["tags"][0]["value"] = "2026-12-02T09:00:00Z".into();
        Candidate {
            service: "api".into(),
            rendered,
            against_service: "api--feature-1".into(),
        }
    }

    #[tokio::test]
    async fn the_running_revision_is_read_and_an_unchanged_render_is_the_same() {
        let ecs = FakeEcs::new();
        deployed(&ecs, "repo/api:1").await;
        let out = against_running(&ecs, &[candidate("repo/api:1")], "up", true)
            .await
            .unwrap();
        assert_eq!(
            out,
            [(
                "api".to_owned(),
                Comparison::Same {
                    against: "api--feature-1:1".into()
                }
            )]
        );
        // Two reads, nothing written (the first two calls deployed it).
        assert_eq!(
            ecs.calls()[2..],
            [
                "DescribeServices api--feature-1",
                "DescribeTaskDefinition arn:aws:ecs:us-east-1:123456789012:task-definition/api--feature-1:1"
            ]
        );
    }

    #[tokio::test]
    async fn a_new_image_is_a_change_and_a_deleted_service_is_not_deployed() {
        let ecs = FakeEcs::new();
        deployed(&ecs, "repo/api:1").await;
        let out = against_running(&ecs, &[candidate("repo/api:2")], "up", true)
            .await
            .unwrap();
        let Comparison::Changed {
            changed_paths,
            unified,
            ..
        } = &out[0].1
        else {
            panic!("{out:?}")
        };
        assert_eq!(changed_paths, &["containerDefinitions[api].image"]);
        assert!(
            unified.contains("+      \"image\": \"repo/api:2\""),
            "{unified}"
        );

        let gone = FakeEcs::new();
        gone.add_service("api--feature-1", ServiceStatus::Draining, &[]);
        let out = against_running(&gone, &[candidate("repo/api:1")], "up", true)
            .await
            .unwrap();
        assert_eq!(
            out[0].1,
            Comparison::NotDeployed {
                ecs_service: "api--feature-1".into()
            }
        );
        assert_eq!(
            gone.calls_of("DescribeTaskDefinition"),
            Vec::<String>::new()
        );
    }
}
