use super::*;
use std::time::Duration;

fn view(version: &str, owner: &str, protected: bool) -> VersionView {
    VersionView {
        owner: Some(owner.into()),
        ..VersionView::fixture(version, protected)
    }
}

fn candidate(version: &str, owner: &'static str) -> Candidate<'static> {
    Candidate {
        version: Box::leak(Box::new(Version::from(version))),
        owner,
        protected: false,
        desired_counts: vec![("api", 1)],
        ttl: Ttl::After(Duration::from_secs(3600)),
    }
}

fn live() -> Vec<VersionView> {
    vec![
        view("main", "ci", true),
        view("f-1", "ann", false),
        view("f-2", "ann", false),
        view("f-3", "bob", false),
    ]
}

#[test]
fn a_new_version_past_max_versions_is_refused_with_what_counts() {
    let limits = Limits {
        max_versions: Some(3),
        ..Limits::default()
    };
    let err = check(&limits, &live(), &candidate("f-4", "cy")).unwrap_err();
    assert_eq!(err.kind, ExitKind::Failure);
    assert!(
        err.message.contains("max_versions is 3 and 3 versions"),
        "{}",
        err.message
    );
    assert!(err.message.contains("f-1 (api) by ann"), "{}", err.message);
    assert!(
        !err.message.contains("main"),
        "protected never counts: {}",
        err.message
    );
    let hint = err.hint.unwrap();
    assert!(hint.contains("dynroute down") && hint.contains("prune") && hint.contains("extend"));
    let roomy = Limits {
        max_versions: Some(4),
        ..Limits::default()
    };
    assert!(check(&roomy, &live(), &candidate("f-4", "cy")).is_ok());
}

#[test]
fn updates_are_held_to_the_ttl_only_and_protected_versions_to_nothing() {
    let limits = Limits {
        max_versions: Some(1),
        max_versions_per_owner: Some(1),
        max_desired_count: Some(1),
        max_ttl: Some(Duration::from_secs(60)),
    };
    let mut update = candidate("f-1", "ann");
    update.desired_counts = vec![("api", 5)];
    update.ttl = Ttl::After(Duration::from_secs(60));
    assert!(check(&limits, &live(), &update).is_ok());
    // `up EXISTING --ttl never` would write an expiry past the limit.
    update.ttl = Ttl::Never;
    let err = check(&limits, &live(), &update).unwrap_err();
    assert!(
        err.message.starts_with("limits.max_ttl is 1m"),
        "{}",
        err.message
    );
    let mut shadow = candidate("shadow", "ci");
    shadow.protected = true;
    shadow.ttl = Ttl::Never;
    assert!(check(&limits, &live(), &shadow).is_ok());
}

#[test]
fn per_owner_counts_only_that_owner() {
    let limits = Limits {
        max_versions_per_owner: Some(2),
        ..Limits::default()
    };
    let err = check(&limits, &live(), &candidate("f-9", "ann")).unwrap_err();
    assert!(
        err.message.contains("ann has 2 live versions"),
        "{}",
        err.message
    );
    assert!(!err.message.contains("f-3"), "{}", err.message);
    assert!(check(&limits, &live(), &candidate("f-9", "bob")).is_ok());
}

#[test]
fn desired_count_and_ttl_limits() {
    let limits = Limits {
        max_desired_count: Some(2),
        max_ttl: Some(Duration::from_secs(3 * 86400)),
        ..Limits::default()
    };
    let mut big = candidate("f-9", "ann");
    big.desired_counts = vec![("api", 1), ("web", 3)];
    let err = check(&limits, &live(), &big).unwrap_err();
    assert!(err.message.contains("`web` asks for 3"), "{}", err.message);
    let mut forever = candidate("f-9", "ann");
    forever.ttl = Ttl::Never;
    assert!(
        check(&limits, &live(), &forever)
            .unwrap_err()
            .message
            .contains("max_ttl")
    );
    assert!(check(&limits, &live(), &candidate("f-9", "ann")).is_ok());
    assert!(check_extension(&limits, Ttl::Never).is_err());
    assert!(check_extension(&limits, Ttl::After(Duration::from_secs(4 * 86400))).is_err());
    assert!(check_extension(&limits, Ttl::After(Duration::from_secs(86400))).is_ok());
}
