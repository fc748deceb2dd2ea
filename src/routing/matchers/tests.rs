use super::*;
use crate::naming::{ServiceName, Version};

fn v(s: &str) -> Version {
    s.parse().unwrap()
}

/// Go RE2 and the `regex` crate agree on this syntax: `\s`, `(?:)`, `^`/`$`
/// without multi-line mode, unanchored search.
fn matches(version: &str, header_line: &str) -> bool {
    let re = regex::Regex::new(&baggage_regex(&BaggageKey::default(), &v(version))).unwrap();
    re.is_match(header_line)
}

#[test]
fn baggage_regex_text_is_stable() {
    assert_eq!(
        baggage_regex(&BaggageKey::default(), &v("feature-1")),
        r"(?:^|,)\s*dynamic_route\s*=\s*feature-1\s*(?:;[^,]*)?(?:,\s*(?:(?:[^,\sd][^,]*|d(?:(?:[^,y][^,]*|y(?:(?:[^,n][^,]*|n(?:(?:[^,a][^,]*|a(?:(?:[^,m][^,]*|m(?:(?:[^,i][^,]*|i(?:(?:[^,c][^,]*|c(?:(?:[^,_][^,]*|_(?:(?:[^,r][^,]*|r(?:(?:[^,o][^,]*|o(?:(?:[^,u][^,]*|u(?:(?:[^,t][^,]*|t(?:(?:[^,e][^,]*|e(?:[^,\s=;][^,]*)?))?))?))?))?))?))?))?))?))?))?))?))?))?)*$"
    );
    assert_eq!(
        baggage_regex(&"a.b".parse().unwrap(), &v("x")),
        r"(?:^|,)\s*a\.b\s*=\s*x\s*(?:;[^,]*)?(?:,\s*(?:(?:[^,\sa][^,]*|a(?:(?:[^,\.][^,]*|\.(?:(?:[^,b][^,]*|b(?:[^,\s=;][^,]*)?))?))?))?)*$"
    );
}

#[test]
fn baggage_matcher_follows_the_w3c_grammar() {
    let positives = [
        "dynamic_route=feature-1",
        "dynamic_route=feature-1,userId=alice",
        "userId=alice,dynamic_route=feature-1",
        "a=1,dynamic_route=feature-1,b=2",
        "dynamic_route = feature-1",
        "dynamic_route\t=\tfeature-1",
        " dynamic_route=feature-1 ",
        "a=1 , dynamic_route=feature-1 , b=2",
        "a=1,\tdynamic_route=feature-1\t,b=2",
        "dynamic_route=feature-1;prop",
        "dynamic_route=feature-1;prop=1",
        "dynamic_route=feature-1 ; prop = 1 ; other",
        "dynamic_route=feature-1;p=x,b=2",
        "a=1;p=2,dynamic_route=feature-1",
        "dynamic_route=feature-1,",
        "a=1,dynamic_route=feature-1,",
        ",dynamic_route=feature-1",
        "a=x=y,dynamic_route=feature-1",
        "dynamic_route=feature-10,dynamic_route=feature-1",
        "a=%2C,dynamic_route=feature-1",
        // Duplicates: the last member with our key wins.
        "dynamic_route=other,dynamic_route=feature-1",
        "dynamic_route=other,a=1,dynamic_route=feature-1;p,b=2",
        "dynamic_route=feature-1,dynamic_routex=other,xdynamic_route=y",
        "dynamic_route=feature-1,dynamic_rout=x,d=1,dynamic_route_2=z, ,",
        "dynamic_route=feature-1, e=1,\td=2",
        // A later member without a value is malformed, dropped by receivers.
        "dynamic_route=feature-1,dynamic_route",
        // A per-service pin is another key.
        "dynamic_route=feature-1,dynamic_route.api=other",
    ];
    let negatives = [
        "",
        "dynamic_route=feature-10",
        "dynamic_route=feature-",
        "dynamic_route=feature",
        "dynamic_route=xfeature-1",
        "dynamic_route=feature-1x",
        "dynamic_route=feature-1.2",
        "xdynamic_route=feature-1",
        "dynamic_routex=feature-1",
        "my.dynamic_route=feature-1",
        "dynamic-route=feature-1",
        "Dynamic_Route=feature-1",
        "DYNAMIC_ROUTE=feature-1",
        "dynamic_route=Feature-1",
        "other=dynamic_route=feature-1",
        "other=dynamic_route%3Dfeature-1",
        "other=x;dynamic_route=feature-1",
        "other=x;p=1;dynamic_route=feature-1",
        "userId=feature-1",
        "dynamic_route=main",
        "dynamic_route",
        "dynamic_route=",
        "feature-1",
        "dynamic_route=feature-1 x",
        // Duplicates: a later member with our key wins.
        "dynamic_route=feature-1,dynamic_route=other",
        "dynamic_route=feature-1,dynamic_route=feature-1x",
        "dynamic_route=feature-1, dynamic_route = other",
        "dynamic_route=feature-1,a=1,\tdynamic_route=other;p,b=2",
    ];
    for h in positives {
        assert!(matches("feature-1", h), "should match: {h:?}");
    }
    for h in negatives {
        assert!(!matches("feature-1", h), "should not match: {h:?}");
    }
    assert!(positives.len() + negatives.len() >= 40);
}

#[test]
fn dotted_keys_are_escaped() {
    let key: BaggageKey = "route.v".parse().unwrap();
    let re = regex::Regex::new(&baggage_regex(&key, &v("a"))).unwrap();
    assert!(re.is_match("route.v=a"));
    assert!(!re.is_match("routexv=a"));
}

fn cookie_matches(version: &str, line: &str) -> bool {
    let name: CookieName = "dynamic_route".parse().unwrap();
    regex::Regex::new(&cookie_regex(&name, &v(version)))
        .unwrap()
        .is_match(line)
}

#[test]
fn cookie_matcher_follows_the_cookie_grammar() {
    let positives = [
        "dynamic_route=feature-1",
        "a=1; dynamic_route=feature-1",
        "dynamic_route=feature-1; a=1",
        "a=1; dynamic_route=feature-1; b=2",
        "a=1;dynamic_route=feature-1;b=2",
        "a=1;  dynamic_route=feature-1 ; b=2",
        "dynamic_route=\"feature-1\"",
        "dynamic_route=feature-10; dynamic_route=feature-1",
        "dynamic_route=feature-1;",
    ];
    let negatives = [
        "",
        "xdynamic_route=feature-1",
        "dynamic_routex=feature-1",
        "dynamic_route=feature-10",
        "dynamic_route=feature-",
        "dynamic_route=xfeature-1",
        "other=dynamic_route=feature-1",
        "other=x dynamic_route=feature-1",
        "other=\"dynamic_route=feature-1\"",
        "a=1, dynamic_route=feature-1",
        "dynamic_route = feature-1",
        "Dynamic_Route=feature-1",
        "dynamic_route=Feature-1",
        "dynamic_route=",
        "dynamic_route=\"feature-1",
    ];
    for line in positives {
        assert!(cookie_matches("feature-1", line), "should match: {line:?}");
    }
    for line in negatives {
        assert!(
            !cookie_matches("feature-1", line),
            "should not match: {line:?}"
        );
    }
}

#[test]
fn a_pin_names_one_service_and_is_not_the_global_member() {
    let key = BaggageKey::default();
    let api: ServiceName = "api".parse().unwrap();
    let re = regex::Regex::new(&pin_regex(&key, &api, &v("feature-2"))).unwrap();
    assert!(re.is_match("dynamic_route=feature-1,dynamic_route.api=feature-2"));
    assert!(re.is_match("dynamic_route.api = feature-2;p"));
    assert!(!re.is_match("dynamic_route=feature-2"));
    assert!(!re.is_match("dynamic_route.web=feature-2"));
    assert!(!re.is_match("dynamic_route.apix=feature-2"));
    assert!(!re.is_match("dynamic_routexapi=feature-2"));
    let global = regex::Regex::new(&baggage_regex(&key, &v("feature-2"))).unwrap();
    assert!(!global.is_match("dynamic_route.api=feature-2"));
}

#[test]
fn any_route_matchers_see_any_version_but_not_other_services_pins() {
    let key = BaggageKey::default();
    let api: ServiceName = "api".parse().unwrap();
    let name: CookieName = "dynamic_route".parse().unwrap();
    let member = regex::Regex::new(&any_baggage_regex(&key)).unwrap();
    let pin = regex::Regex::new(&any_pin_regex(&key, &api)).unwrap();
    let cookie = regex::Regex::new(&any_cookie_regex(&name)).unwrap();
    assert!(member.is_match("a=1,dynamic_route=nowhere-7"));
    assert!(!member.is_match("dynamic_route.web=x"));
    assert!(!member.is_match("dynamic_route=Bad"));
    assert!(!member.is_match("other=dynamic_route=x"));
    assert!(pin.is_match("dynamic_route.api=x"));
    assert!(!pin.is_match("dynamic_route.web=x"));
    assert!(cookie.is_match("a=b; dynamic_route=x"));
    assert!(!cookie.is_match("xdynamic_route=x"));
}

#[test]
fn cookie_names_and_keys_are_escaped() {
    assert_eq!(regex_escape("a.b*c+d|e^f$g"), r"a\.b\*c\+d\|e\^f\$g");
    let name: CookieName = "a.b".parse().unwrap();
    let re = regex::Regex::new(&cookie_regex(&name, &v("x"))).unwrap();
    assert!(re.is_match("a.b=x"));
    assert!(!re.is_match("axb=x"));
}
