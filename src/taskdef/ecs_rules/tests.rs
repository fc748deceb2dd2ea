//! Unit tests of ECS's rules.

use std::collections::BTreeSet;

use super::fargate::fargate_size;
use super::service::check_strategy;
use super::tags::tag_ok;
use super::*;

#[test]
fn the_table_has_a_source_for_every_rule() {
    println!("ecs rules: {} rules checked before any call", RULES.len());
    assert!(RULES.len() >= 12);
    let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), RULES.len(), "ids are unique");
    assert!(
        RULES
            .iter()
            .all(|r| r.source.starts_with("https://docs.aws.amazon.com/"))
    );
}

#[test]
fn the_safety_chapter_lists_every_rule_with_its_source() {
    let chapter = include_str!("../../../docs/safety.md");
    for r in RULES {
        let row = format!(
            "| `{}` | {} | {} | [docs]({}) |",
            r.id, r.request, r.rule, r.source
        );
        assert!(chapter.contains(&row), "docs/safety.md lacks the row {row}");
    }
}

#[test]
fn fargate_sizes_are_the_offered_pairs() {
    assert!(fargate_size("256", "512").is_ok());
    assert!(fargate_size("1 vCPU", "2 GB").is_ok());
    assert!(fargate_size("4096", "30720").is_ok());
    let err = fargate_size("256", "4096").unwrap_err();
    assert!(
        err.contains("memory is one of 512, 1024, 2048 (MiB)"),
        "{err}"
    );
    assert!(
        fargate_size("300", "512")
            .unwrap_err()
            .contains("does not offer cpu")
    );
    assert!(fargate_size("8192", "20480").is_ok());
    assert!(fargate_size("8192", "18432").is_err());
}

#[test]
fn tags_follow_ecs_rules() {
    assert!(tag_ok("team", "payments").is_ok());
    assert!(
        tag_ok("owner", "राम.शर्मा@example.com").is_err(),
        "U+093E is a mark, not a letter"
    );
    assert!(
        tag_ok("Cost Center", "R&D (EU)")
            .unwrap_err()
            .contains("characters ECS refuses")
    );
    assert!(tag_ok("", "x").is_err());
    assert!(tag_ok("aws:x", "y").is_err());
    assert!(tag_ok(&"k".repeat(129), "").is_err());
    assert!(tag_ok("k", &"v".repeat(257)).is_err());
}

#[test]
fn strategies_need_a_weight_and_one_base_at_most() {
    let item = |p: &str, weight, base| crate::config::CapacityProviderItem {
        capacity_provider: p.into(),
        weight,
        base,
    };
    assert!(check_strategy(&[item("FARGATE", 1, 0)]).is_ok());
    assert!(
        check_strategy(&[item("FARGATE", 0, 0)])
            .unwrap_err()
            .contains("at least one")
    );
    assert!(check_strategy(&[item("FARGATE", -1, 0)]).is_err());
    assert!(check_strategy(&[item("", 1, 0)]).is_err());
    assert!(check_strategy(&[item("A", 1, 1), item("B", 1, 2)]).is_err());
}
