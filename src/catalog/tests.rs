//! The catalog's pages and API with hostile tag values: every string from a
//! tag (owner, PR, repository) or ECS comes out as text in HTML, as a string
//! in JSON, and never reaches the QR code.

use std::collections::BTreeMap;

use super::snapshot::{self, Snapshot};
use super::*;
use crate::engine::inventory::VersionView;

const HOSTILE: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "a\u{1b}[31m&amp;\u{202e}b",
];

fn catalog() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dynroute.yaml");
    std::fs::write(
        &path,
        "project: shop\ncluster: dev\ndomain: dev.test\ningress:\n  url: http://127.0.0.1:9\nservices:\n  api:\n    template: t.yaml\n    port: 8080\n",
    )
    .unwrap();
    let project = crate::config::load(&path, &Default::default()).unwrap();
    let options = Options {
        refresh: std::time::Duration::from_secs(15),
        proof_every: std::time::Duration::from_secs(300),
        cors_origins: vec![],
        pr_url: "https://github.com/{repo}/pull/{pr}".into(),
        page_size: 50,
    };
    let catalog = Catalog::new(project, Scope::Project("shop".into()), options, None);
    (dir, catalog)
}

fn hostile_view(i: usize) -> VersionView {
    VersionView {
        owner: Some(HOSTILE[i % HOSTILE.len()].to_owned()),
        repo: Some(format!("acme/shop{}", HOSTILE[i % HOSTILE.len()])),
        pr: Some(7),
        ..VersionView::fixture(&format!("feature-{i}"), false)
    }
}

#[test]
fn hostile_tag_values_are_text_in_html_strings_in_json_and_absent_from_urls() {
    let (_dir, catalog) = catalog();
    let views: Vec<VersionView> = (0..4).map(hostile_view).collect();
    let rows = snapshot::rows(&catalog.project, views, &catalog.options.pr_url);
    // A repository that is not a plain path makes no link.
    assert!(rows.iter().all(|r| r.pr_url.is_none()));
    catalog.set_snapshot(Snapshot {
        taken_at: Some(jiff::Timestamp::now()),
        rows: rows.into(),
        error: Some(snapshot::RefreshError {
            at: jiff::Timestamp::now(),
            message: HOSTILE[1].into(),
        }),
        generation: 1,
    });
    let now = jiff::Timestamp::now();
    let page = pages::index(&catalog, &BTreeMap::new(), now);
    for bad in ["<script>", "<img src=x", "onerror=alert(1)>", "\u{1b}[31m"] {
        assert!(!page.contains(bad), "{bad} in the page");
    }
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{page}"
    );
    assert!(!page.contains("href=\"javascript"), "{page}");
    let one = pages::version(&catalog, "feature-0", now).unwrap();
    assert!(!one.contains("<script>") && one.contains("&lt;script&gt;"));
    // Filter values typed by a person come back escaped too.
    let query = BTreeMap::from([("owner".to_owned(), HOSTILE[1].to_owned())]);
    let filtered = pages::index(&catalog, &query, now);
    assert!(!filtered.contains("<img src=x"), "{filtered}");
    // JSON: the values as strings, whatever they hold.
    let body = api::versions(&catalog, &snapshot::Filter::default(), 1, 100, now);
    let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(parsed["versions"][0]["owner"], HOSTILE[0]);
    assert_eq!(parsed["error"]["message"], HOSTILE[1]);
    // The QR code encodes the link only: no tag value is in it.
    let row = &catalog.snapshot().rows[0];
    assert!(row.has_qr());
    let svg = row.qr_svg().unwrap();
    assert!(!svg.contains("script") && !svg.contains("alert"));
    // An unknown version: no page.
    assert!(pages::version(&catalog, "<script>", now).is_none());
}

#[test]
fn pages_are_bounded_and_filters_ignore_unknown_parameters() {
    let (_dir, catalog) = catalog();
    let views: Vec<VersionView> = (0..120)
        .map(|i| VersionView {
            owner: Some(if i % 2 == 0 { "alice" } else { "bob" }.into()),
            ..VersionView::fixture(&format!("v{i}"), false)
        })
        .collect();
    let rows = snapshot::rows(&catalog.project, views, &catalog.options.pr_url);
    let page = snapshot::page(&rows, &snapshot::Filter::default(), 3, 50);
    assert_eq!((page.number, page.pages, page.rows.len()), (3, 3, 20));
    let past = snapshot::page(&rows, &snapshot::Filter::default(), 99, 50);
    assert_eq!(past.number, 3);
    let query = BTreeMap::from([
        ("owner".to_owned(), "ALICE".to_owned()),
        ("fbclid".to_owned(), "x".to_owned()),
    ]);
    let alice = snapshot::page(&rows, &snapshot::Filter::from_query(&query), 1, 50);
    assert_eq!(alice.matching, 60);
    // The API pages too: at most MAX_PER_PAGE versions per answer.
    catalog.set_snapshot(Snapshot {
        taken_at: Some(jiff::Timestamp::now()),
        rows: rows.into(),
        error: None,
        generation: 1,
    });
    let body = api::versions(
        &catalog,
        &snapshot::Filter::default(),
        2,
        50,
        jiff::Timestamp::now(),
    );
    let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (
            parsed["total"].as_u64(),
            parsed["page"].as_u64(),
            parsed["pages"].as_u64()
        ),
        (Some(120), Some(2), Some(3))
    );
    assert_eq!(parsed["versions"].as_array().unwrap().len(), 50);
    assert_eq!(parsed["versions"][0]["version"], "v50");
    let huge = api::versions(
        &catalog,
        &snapshot::Filter::default(),
        1,
        1_000_000,
        jiff::Timestamp::now(),
    );
    let parsed: serde_json::Value = serde_json::from_slice(&huge).unwrap();
    assert_eq!(parsed["per_page"], 1000);
}

#[test]
fn the_api_s_json_is_a_stable_schema() {
    let (_dir, catalog) = catalog();
    let view = VersionView {
        owner: Some("alice".into()),
        repo: Some("acme/shop".into()),
        pr: Some(12),
        created_at: Some("2026-12-01T10:00:00Z".parse().unwrap()),
        updated_at: Some("2026-12-01T10:00:00Z".parse().unwrap()),
        expires_at: Some("2026-12-04T10:00:00Z".into()),
        ..VersionView::fixture("feature-1", false)
    };
    let rows = snapshot::rows(&catalog.project, vec![view], &catalog.options.pr_url);
    let taken: jiff::Timestamp = "2026-12-06T12:00:00Z".parse().unwrap();
    catalog.set_snapshot(Snapshot {
        taken_at: Some(taken),
        rows: rows.into(),
        error: None,
        generation: 1,
    });
    catalog.set_proof(
        "feature-1".parse().unwrap(),
        proof::Proof {
            at: "2026-12-06T11:59:30Z".parse().unwrap(),
            passed: 1,
            failed: 0,
            cases: vec![proof::ProofCase {
                id: "api/feature-1/header@api.dev.test".into(),
                kind: "header",
                host: "api.dev.test".into(),
                expect_version: "feature-1".into(),
                answered: "HTTP 200 from feature-1".into(),
                passed: true,
            }],
            fingerprint: String::new(),
        },
    );
    let now: jiff::Timestamp = "2026-12-06T12:00:05Z".parse().unwrap();
    let body = api::versions(&catalog, &snapshot::Filter::default(), 1, 100, now);
    let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    insta::assert_json_snapshot!("catalog_api_versions", parsed);
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_last_snapshot_and_says_why() {
    let (_dir, catalog) = catalog();
    let ecs = crate::ecs::fake::FakeEcs::new();
    ecs.add_service(
        "api--feature-1",
        crate::ecs::ServiceStatus::Active,
        &[
            ("dynroute:managed", "true"),
            ("dynroute:project", "shop"),
            ("dynroute:service", "api"),
            ("dynroute:version", "feature-1"),
        ],
    );
    assert!(poll::refresh(&catalog, &ecs).await);
    let first = catalog.snapshot();
    assert_eq!(first.rows.len(), 1);
    assert!(first.error.is_none());
    ecs.fail("ListServices", "ThrottlingException: Rate exceeded");
    assert!(!poll::refresh(&catalog, &ecs).await);
    let second = catalog.snapshot();
    assert_eq!(second.rows.len(), 1, "the last good rows stay");
    assert_eq!(second.taken_at, first.taken_at);
    assert!(
        second
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("Rate exceeded")
    );
    let text = catalog.metrics.render(&second, 0, jiff::Timestamp::now());
    assert!(
        text.contains("dynroute_catalog_refresh_errors_total 1\n"),
        "{text}"
    );
}

fn proof_at(at: &str) -> proof::Proof {
    proof::Proof {
        at: at.parse().unwrap(),
        passed: 1,
        failed: 0,
        cases: vec![],
        fingerprint: String::new(),
    }
}

#[test]
fn a_new_proof_shares_the_others_and_gone_versions_lose_theirs() {
    let (_dir, catalog) = catalog();
    let v = |s: &str| -> Version { s.parse().unwrap() };
    catalog.set_proof(v("feature-1"), proof_at("2026-12-06T12:00:00Z"));
    let before = catalog.proofs();
    catalog.set_proof(v("feature-2"), proof_at("2026-12-06T12:00:01Z"));
    let after = catalog.proofs();
    // feature-1's proof is the same allocation in both maps: not copied.
    assert!(Arc::ptr_eq(
        &before[&v("feature-1")],
        &after[&v("feature-1")]
    ));
    assert_eq!(after.len(), 2);
    let generation = catalog.stamp(jiff::Timestamp::UNIX_EPOCH).1;
    // Every version still live: nothing changes, not even the generation.
    catalog.keep_proofs_of(&[v("feature-1"), v("feature-2"), v("main")]);
    assert_eq!(catalog.stamp(jiff::Timestamp::UNIX_EPOCH).1, generation);
    catalog.keep_proofs_of(&[v("feature-2")]);
    let kept = catalog.proofs();
    assert_eq!(kept.keys().collect::<Vec<_>>(), vec![&v("feature-2")]);
    assert!(Arc::ptr_eq(&after[&v("feature-2")], &kept[&v("feature-2")]));
    assert!(catalog.stamp(jiff::Timestamp::UNIX_EPOCH).1 > generation);
}
