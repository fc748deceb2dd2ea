//! install.sh and resolve.sh: verified downloads, the cache, runners, hostile versions.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{FileServer, Release, Runner, TARGET, VERSION};

#[test]
fn action_installs_a_verified_release_and_reuses_the_cached_archive() {
    let release = Release::new();
    let server = FileServer::start(release.base.path());
    let runner = Runner::new();

    let resolved = runner.resolve(&format!("v{VERSION}"));
    resolved.expect(0, &[]);
    let dir = runner
        .dir("toolcache")
        .join(format!("dynroute/{VERSION}/{TARGET}"));
    assert_eq!(resolved.outputs["version"], VERSION);
    assert_eq!(resolved.outputs["target"], TARGET);
    assert_eq!(resolved.outputs["dir"], dir.to_str().unwrap());
    assert_eq!(
        resolved.outputs["asset"],
        format!("dynroute-{VERSION}-{TARGET}.tar.gz")
    );
    assert_eq!(
        resolved.outputs["cache-key"],
        format!("dynroute-{VERSION}-{TARGET}")
    );

    let first = runner.install(&resolved, &server.url);
    first.expect(0, &["installed dynroute"]);
    let bin = dir.join("bin/dynroute");
    assert_eq!(first.outputs["bin"], bin.to_str().unwrap());
    assert_eq!(
        first.path_lines,
        vec![dir.join("bin").to_str().unwrap().to_owned()]
    );
    let version = Command::new(&bin).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8(version.stdout).unwrap().trim(),
        format!("dynroute {VERSION}")
    );
    let asset = format!("/v{VERSION}/dynroute-{VERSION}-{TARGET}.tar.gz");
    assert_eq!(
        server.hits(),
        vec![format!("{asset}.sha256"), asset.clone()]
    );

    // The cache step restored the directory: only the checksum is fetched,
    // the cached archive is verified against it and unpacked again.
    std::fs::remove_dir_all(dir.join("bin")).unwrap();
    let second = runner.install(&resolved, &server.url);
    second.expect(0, &["using the cached archive (checksum verified)"]);
    assert!(bin.exists());
    assert_eq!(server.hits().len(), 3, "{:?}", server.hits());
    assert_eq!(server.hits()[2], format!("{asset}.sha256"));

    // A tampered cache is never trusted: the archive is downloaded again.
    let cached = dir.join(format!("dynroute-{VERSION}-{TARGET}.tar.gz"));
    std::fs::write(&cached, b"not the release").unwrap();
    let third = runner.install(&resolved, &server.url);
    third.expect(0, &["does not match the release checksum"]);
    assert_eq!(server.hits().len(), 5, "{:?}", server.hits());
    assert_eq!(
        std::fs::read(&cached).unwrap(),
        std::fs::read(release.asset()).unwrap()
    );
}

#[test]
fn action_installs_from_a_file_url() {
    let release = Release::new();
    let runner = Runner::new();
    let resolved = runner.resolve(VERSION);
    let ran = runner.install(&resolved, &release.file_url());
    ran.expect(0, &[]);
    assert!(Path::new(&ran.outputs["bin"]).exists());
}

#[test]
fn action_refuses_an_archive_whose_checksum_does_not_match() {
    let release = Release::new();
    release.write_checksum(&"0".repeat(64));
    let server = FileServer::start(release.base.path());
    let runner = Runner::new();
    let resolved = runner.resolve(VERSION);

    let ran = runner.install(&resolved, &server.url);
    ran.expect(
        1,
        &[
            "checksum mismatch",
            "nothing was installed",
            &format!("expected sha256 {}", "0".repeat(64)),
        ],
    );
    let dir = PathBuf::from(&resolved.outputs["dir"]);
    assert!(!dir.exists(), "nothing may be installed or cached");
    assert!(ran.outputs.is_empty(), "{:?}", ran.outputs);
    assert!(ran.path_lines.is_empty());
    // the temporary download is gone too
    assert_eq!(
        std::fs::read_dir(runner.dir("temp")).unwrap().count(),
        0,
        "leftovers in RUNNER_TEMP"
    );
}

#[test]
fn action_fails_clearly_for_a_missing_release_or_a_malformed_checksum() {
    let release = Release::new();
    let server = FileServer::start(release.base.path());
    let runner = Runner::new();
    let resolved = runner.resolve("9.9.9");
    runner.install(&resolved, &server.url).expect(
        1,
        &[
            "could not download the checksum of dynroute 9.9.9",
            "hint: check that release v9.9.9 exists",
        ],
    );

    std::fs::write(
        release.asset().with_extension("gz.sha256"),
        "$(touch pwned)\n",
    )
    .unwrap();
    let resolved = runner.resolve(VERSION);
    runner
        .install(&resolved, &server.url)
        .expect(1, &["checksum file", "is malformed"]);
    assert!(!runner.dir("work").join("pwned").exists());
}

#[test]
fn action_supports_three_runners_and_names_the_others() {
    let runner = Runner::new();
    let cache = runner.dir("toolcache");
    let resolve = |os: &str, arch: &str| {
        runner.run(
            "resolve.sh",
            &[
                ("DYNROUTE_VERSION", VERSION),
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
                ("RUNNER_TOOL_CACHE", cache.to_str().unwrap()),
            ],
        )
    };
    for (os, arch, target) in [
        ("Linux", "X64", "x86_64-unknown-linux-musl"),
        ("Linux", "ARM64", "aarch64-unknown-linux-musl"),
        ("macOS", "ARM64", "aarch64-apple-darwin"),
    ] {
        let ran = resolve(os, arch);
        ran.expect(0, &[]);
        assert_eq!(ran.outputs["target"], target);
    }
    for (os, arch) in [("Windows", "X64"), ("macOS", "X64"), ("Linux", "ARM")] {
        let ran = resolve(os, arch);
        ran.expect(
            1,
            &[
                "no prebuilt dynroute for this runner",
                &format!("RUNNER_OS='{os}', RUNNER_ARCH='{arch}'"),
                "Linux X64, Linux ARM64 and macOS ARM64",
                "cargo install --locked dynroute",
            ],
        );
        assert!(ran.outputs.is_empty());
    }
}

#[test]
fn action_rejects_hostile_dynroute_versions_before_doing_anything() {
    let runner = Runner::new();
    for bad in [
        "0.1.0; touch pwned",
        "$(touch pwned)",
        "`touch pwned`",
        "0.1.0\nbin=/tmp/evil",
        "0.1.0\" || touch pwned || \"",
        "latest",
        "../../0.1.0",
    ] {
        let ran = runner.resolve(bad);
        ran.expect(1, &["dynroute-version is not a release version", "0.4.1"]);
        assert!(ran.outputs.is_empty(), "{bad:?} wrote {:?}", ran.outputs);
        assert!(!ran.stderr.contains("\nbin="), "{}", ran.stderr);
    }
    assert!(!runner.dir("work").join("pwned").exists());
    assert_eq!(
        std::fs::read_dir(runner.dir("toolcache")).unwrap().count(),
        0
    );
}
