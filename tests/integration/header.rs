use serde_json::Value;

use crate::harness::Project;

#[test]
fn header_formats() {
    let p = Project::empty();
    assert_eq!(
        p.ok(&["header", "feature-1"]),
        "baggage: dynamic_route=feature-1\n"
    );
    assert_eq!(
        p.ok(&["header", "feature-1", "--format", "value"]),
        "dynamic_route=feature-1\n"
    );
    assert_eq!(
        p.ok(&["header", "feature-1", "--format", "curl"]),
        "curl -H 'baggage: dynamic_route=feature-1' \"$URL\"\n"
    );
    let json: Value = serde_json::from_str(&p.ok(&["header", "feature-1", "--json"])).unwrap();
    assert_eq!(json["name"], "baggage");
    assert_eq!(json["value"], "dynamic_route=feature-1");
    assert_eq!(json["key"], "dynamic_route");
    assert_eq!(json["version"], "feature-1");
    assert_eq!(json["header"], "baggage: dynamic_route=feature-1");
    let same: Value =
        serde_json::from_str(&p.ok(&["header", "feature-1", "--format", "json"])).unwrap();
    assert_eq!(json, same);
}

#[test]
fn header_merge_keeps_other_members() {
    let p = Project::empty();
    assert_eq!(
        p.ok(&[
            "header",
            "v2",
            "--format",
            "value",
            "--merge",
            "userId=alice, dynamic_route=v1;ttl=1 ,tenant=7"
        ]),
        "userId=alice,dynamic_route=v2,tenant=7\n"
    );
    assert_eq!(
        p.ok(&["header", "v2", "--merge", "a=%20b"]),
        "baggage: a=%20b,dynamic_route=v2\n"
    );
}

#[test]
fn header_uses_the_configs_baggage_key_and_ingress() {
    let p = Project::example();
    let text = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let p = p.file(
        "dynroute.yaml",
        &text.replace("baggage_key: dynamic_route", "baggage_key: route"),
    );
    assert_eq!(p.ok(&["header", "x"]), "baggage: route=x\n");
    assert_eq!(
        p.ok(&["header", "main", "--format", "curl"]),
        "curl -H 'Host: api.dev.example.com' -H 'baggage: route=main' 'http://traefik.dev.internal/health'\n\
         curl -H 'Host: web.dev.example.com' -H 'baggage: route=main' 'http://traefik.dev.internal/'\n"
    );
}
