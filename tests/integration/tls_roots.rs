//! TLS on a host without a CA bundle, as in the container image: dynroute runs
//! with an empty environment but for what it needs, `SSL_CERT_FILE` and
//! `SSL_CERT_DIR` pointing nowhere, against a loopback HTTPS server whose
//! certificate a test CA signed. Without `AWS_CA_BUNDLE` the server's issuer is
//! unknown (the bundled roots are there, so the handshake fails on the issuer,
//! not on an empty store); with `AWS_CA_BUNDLE` naming the test CA the same
//! command succeeds — for an AWS call (`ls` through a TLS front of the local
//! stack) and for reqwest (`check --traefik-api https://…`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use tokio_rustls::rustls;

/// The hint for an untrusted certificate, as dynroute prints it.
const UNTRUSTED_HINT: &str = "dynroute trusts Mozilla's roots bundled in it, the host's, and the PEM file AWS_CA_BUNDLE names: behind a private CA or a TLS-inspecting proxy, export AWS_CA_BUNDLE=/path/to/ca.pem";

use crate::harness::Project;
use crate::stack::Stack;

/// A test CA (its PEM) and a server certificate for 127.0.0.1 it signed.
pub(crate) struct TestCa {
    pub(crate) pem: String,
    server: Arc<rustls::ServerConfig>,
}

impl TestCa {
    pub(crate) fn new() -> TestCa {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
        };
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.distinguished_name
            .push(DnType::CommonName, "dynroute test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);
        let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
        let leaf_key = KeyPair::generate().unwrap();
        let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let server = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf_cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
            .unwrap();
        TestCa {
            pem: ca_cert.pem(),
            server: Arc::new(server),
        }
    }

    /// A TLS front on 127.0.0.1 that hands each connection's plain bytes to
    /// `backend` (also loopback); it runs until the test process ends.
    pub(crate) fn front(&self, backend: SocketAddr) -> String {
        assert!(
            backend.ip().is_loopback(),
            "backend {backend} is not loopback"
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(self.server.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((socket, _)) = listener.accept().await else {
                        return;
                    };
                    let acceptor = acceptor.clone();
                    tokio::spawn(async move {
                        // A client that refuses the certificate ends the handshake.
                        let Ok(mut tls) = acceptor.accept(socket).await else {
                            return;
                        };
                        let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else {
                            return;
                        };
                        let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                    });
                }
            });
        });
        format!("https://{addr}")
    }
}

/// A plain HTTP server on 127.0.0.1 that answers every request with `[]`:
/// Traefik's API with no routers and no services.
fn empty_traefik_api() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]",
            );
        }
    });
    addr
}

/// `http://127.0.0.1:PORT` → its socket address.
fn socket_of(url: &str) -> SocketAddr {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    assert!(addr.starts_with("127."), "{url} is not loopback");
    addr.parse().unwrap()
}

/// What one run printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `dynroute ARGS` in `dir` with only these variables (as `env -i` would):
/// no EC2 metadata, dummy credentials, a region, no host CA bundle, and `env`.
fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let nowhere = dir.join("no-host-ca");
    let out = Command::new(assert_cmd::cargo::cargo_bin("dynroute"))
        .env_clear()
        .current_dir(dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("SSL_CERT_FILE", nowhere.join("ca.pem"))
        .env("SSL_CERT_DIR", &nowhere)
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A project on a new cluster of the shared stack, with an ingress (`check`
/// sends nothing through it: no version is deployed).
fn project(stack: &Stack, test: &str) -> (Project, String) {
    let cluster = stack.cluster(test);
    let config = format!(
        "project: tls\ncluster: {cluster}\nregion: us-east-1\ndomain: dev.test\ningress:\n  url: http://127.0.0.1:9\n{}services:\n  api:\n    template: templates/app.yaml\n    port: 8080\n",
        stack.network_yaml()
    );
    (stack.project_with(&config), cluster)
}

/// The CA's PEM written into the project; its path.
fn write_ca(p: &Project, ca: &TestCa) -> String {
    let path = p.path().join("test-ca.pem");
    std::fs::write(&path, &ca.pem).unwrap();
    path.display().to_string()
}

#[test]
fn aws_calls_trust_the_bundled_roots_and_aws_ca_bundle_only() {
    let stack = Stack::shared();
    let (p, cluster) = project(stack, "tls-aws");
    let ca = TestCa::new();
    let endpoint = ca.front(socket_of(&stack.endpoint()));
    let ca_file = write_ca(&p, &ca);

    // Without the test CA: the handshake fails on the issuer. The bundled
    // roots are counted with -v (none from the host: SSL_CERT_* point nowhere).
    let out = run(
        p.path(),
        &[("AWS_ENDPOINT_URL", &endpoint)],
        &["-v", "ls", "--json"],
    );
    assert_eq!(
        out.code, 1,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert_eq!(out.stdout, "");
    let roots = out
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("· TLS roots: "))
        .unwrap_or_else(|| panic!("no TLS roots line:\n{}", out.stderr));
    let bundled: usize = roots
        .strip_suffix(" bundled (Mozilla's), 0 from the host, 0 from AWS_CA_BUNDLE")
        .unwrap_or_else(|| panic!("{roots}"))
        .parse()
        .unwrap();
    assert!(bundled > 100, "{roots}");
    // Refused once, not retried: the certificate stays untrusted.
    assert_eq!(
        out.stderr
            .replace(p.path().to_str().unwrap(), "{dir}")
            .replace(&endpoint, "{endpoint}"),
        format!(
            "· config: {{dir}}/dynroute.yaml\n\
             · TLS roots: {roots}\n\
             · AWS: cluster {cluster} in us-east-1 via {{endpoint}}\n\
             error: ListServices failed: the AWS endpoint's TLS certificate is not trusted: dispatch failure: io error: client error (Connect): TLS handshake failed: invalid peer certificate: UnknownIssuer\n\
             hint: {UNTRUSTED_HINT}\n"
        )
    );

    // With AWS_CA_BUNDLE naming the test CA, the same call succeeds.
    let out = run(
        p.path(),
        &[("AWS_ENDPOINT_URL", &endpoint), ("AWS_CA_BUNDLE", &ca_file)],
        &["ls", "--json"],
    );
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr),
        (
            0,
            "[]\n",
            format!("no versions deployed in cluster {cluster}\n")
        )
    );
}

#[test]
fn traefik_api_calls_trust_aws_ca_bundle_too() {
    let stack = Stack::shared();
    let (p, _) = project(stack, "tls-api");
    let ca = TestCa::new();
    let api = ca.front(empty_traefik_api());
    let ca_file = write_ca(&p, &ca);
    // AWS over plain HTTP to the stack: only the Traefik API is TLS here.
    let aws = ("AWS_ENDPOINT_URL", stack.endpoint());
    let args = ["check", "--json", "--traefik-api", api.as_str()];

    let out = run(p.path(), &[(aws.0, &aws.1)], &args);
    assert_eq!(
        // Routers and services are read at once: either may fail first.
        (
            out.code,
            out.stdout.as_str(),
            (out.stderr.replace(&api, "{api}"))
                .replace("/api/http/routers?", "/api/http/{listing}?")
                .replace("/api/http/services?", "/api/http/{listing}?")
        ),
        (
            1,
            "",
            format!(
                "error: the Traefik API at {{api}} has a TLS certificate dynroute does not trust: error sending request for url ({{api}}/api/http/{{listing}}?per_page=10000&page=1): client error (Connect): invalid peer certificate: UnknownIssuer\n\
                 hint: {UNTRUSTED_HINT}\n"
            )
        )
    );

    let out = run(
        p.path(),
        &[(aws.0, &aws.1), ("AWS_CA_BUNDLE", &ca_file)],
        &args,
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{}", out.stdout);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["lint"]["traefik_api"], api.as_str(), "{report}");
}

#[test]
fn an_unusable_aws_ca_bundle_is_a_usage_error_naming_it() {
    let stack = Stack::shared();
    let (p, _) = project(stack, "tls-bad-ca");
    let endpoint = ("AWS_ENDPOINT_URL", stack.endpoint());
    let missing = p.path().join("missing.pem");
    let empty = p.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let hint = "hint: AWS_CA_BUNDLE names a PEM file of CA certificates to trust besides the bundled ones; unset it to trust only those\n";
    for (file, message) in [
        (
            &missing,
            format!(
                "error: cannot read AWS_CA_BUNDLE file {}: No such file or directory (os error 2)\n",
                missing.display()
            ),
        ),
        (
            &empty,
            format!(
                "error: AWS_CA_BUNDLE file {} holds no certificate (no -----BEGIN CERTIFICATE----- block)\n",
                empty.display()
            ),
        ),
    ] {
        let file = file.display().to_string();
        let out = run(
            p.path(),
            &[(endpoint.0, &endpoint.1), ("AWS_CA_BUNDLE", &file)],
            &["ls"],
        );
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr),
            (2, "", format!("{message}{hint}"))
        );
    }
}
