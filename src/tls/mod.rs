//! The roots every TLS connection of dynroute verifies servers against, so
//! that the binary works where the host has no CA bundle (a `scratch` or
//! distroless image, a bare CI runner) and behind a private CA.
//!
//! Three sources, in this order: Mozilla's roots bundled in the binary
//! (`webpki-root-certs`), the host's roots when it has any (`SSL_CERT_FILE`,
//! `SSL_CERT_DIR`, else the system's bundle), and the PEM file named by
//! [`CA_BUNDLE_VAR`] — the variable the AWS SDKs and the AWS CLI read for a
//! private CA or a TLS-inspecting proxy. The same roots serve the AWS calls
//! (`aws` builds its HTTPS client from them) and every other HTTPS request
//! (the Traefik API, `check` and `up`'s probes through the ingress).
//!
//! A host root that cannot be a trust anchor is skipped; a certificate of
//! [`CA_BUNDLE_VAR`]'s file that cannot is an error, as is a file that is
//! unreadable or holds no certificate: a CA the person named is never
//! silently left out.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::UserError;
use crate::files;

/// The variable that names a PEM file of CA certificates to trust as well.
pub const CA_BUNDLE_VAR: &str = "AWS_CA_BUNDLE";

/// The largest CA file read: a system bundle of every public CA is ~250 KiB.
pub const MAX_BUNDLE_BYTES: u64 = 4 * 1024 * 1024;

/// Where the host's roots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostRoots {
    /// `SSL_CERT_FILE` / `SSL_CERT_DIR` when set, else the system's bundle.
    Environment,
    /// These paths only (a missing one adds nothing).
    Paths {
        file: Option<PathBuf>,
        dir: Option<PathBuf>,
    },
}

/// The trust roots of one process and where they came from.
#[derive(Debug, Clone)]
pub struct Roots {
    certs: Vec<CertificateDer<'static>>,
    /// How many are Mozilla's, the host's and the CA file's.
    pub bundled: usize,
    pub host: usize,
    pub extra: usize,
}

impl Roots {
    /// The roots from the bundled set, `host` and the PEM file `ca_bundle`.
    pub fn load(host: &HostRoots, ca_bundle: Option<&Path>) -> Result<Roots, UserError> {
        let mut certs: Vec<CertificateDer<'static>> =
            webpki_root_certs::TLS_SERVER_ROOT_CERTS.to_vec();
        let bundled = certs.len();
        let loaded = match host {
            HostRoots::Environment => rustls_native_certs::load_native_certs(),
            HostRoots::Paths { file, dir } => {
                rustls_native_certs::load_certs_from_paths(file.as_deref(), dir.as_deref())
            }
        };
        // The host's bundle may hold certificates webpki cannot use as anchors
        // (and its errors are a missing or unreadable path): skipped.
        let host_certs: Vec<_> = (loaded.certs.into_iter())
            .filter(|cert| webpki::anchor_from_trusted_cert(cert).is_ok())
            .collect();
        let host = host_certs.len();
        certs.extend(host_certs);
        let extra = match ca_bundle {
            Some(path) => {
                let more = read_ca_bundle(path)?;
                let n = more.len();
                certs.extend(more);
                n
            }
            None => 0,
        };
        Ok(Roots {
            certs,
            bundled,
            host,
            extra,
        })
    }

    /// The roots of this process: the host's from the environment, and the
    /// file [`CA_BUNDLE_VAR`] names; read once, on the first TLS client.
    pub fn from_env() -> Result<&'static Roots, UserError> {
        static ROOTS: OnceLock<Roots> = OnceLock::new();
        if let Some(roots) = ROOTS.get() {
            return Ok(roots);
        }
        let ca_bundle = std::env::var_os(CA_BUNDLE_VAR)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let roots = Roots::load(&HostRoots::Environment, ca_bundle.as_deref())?;
        Ok(ROOTS.get_or_init(|| roots))
    }

    /// Every root, DER-encoded; each one a valid trust anchor.
    pub fn certs(&self) -> &[CertificateDer<'static>] {
        &self.certs
    }

    /// Every root as one PEM document (what the AWS SDK's trust store takes).
    pub fn pem(&self) -> String {
        use base64::Engine as _;
        let mut out = String::new();
        for cert in &self.certs {
            let text = base64::engine::general_purpose::STANDARD.encode(cert.as_ref());
            out.push_str("-----BEGIN CERTIFICATE-----\n");
            for line in text.as_bytes().chunks(64) {
                out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
                out.push('\n');
            }
            out.push_str("-----END CERTIFICATE-----\n");
        }
        out
    }

    /// `N bundled, N from the host, N from AWS_CA_BUNDLE`, for `-v`.
    pub fn describe(&self) -> String {
        format!(
            "{} bundled (Mozilla's), {} from the host, {} from {CA_BUNDLE_VAR}",
            self.bundled, self.host, self.extra
        )
    }
}

/// The certificates of the PEM file at `path`, each a valid trust anchor.
fn read_ca_bundle(path: &Path) -> Result<Vec<CertificateDer<'static>>, UserError> {
    let what = format!("{CA_BUNDLE_VAR} file");
    let hint = format!(
        "{CA_BUNDLE_VAR} names a PEM file of CA certificates to trust besides the bundled ones; unset it to trust only those"
    );
    let bytes =
        files::read_bytes(path, &what, MAX_BUNDLE_BYTES).map_err(|err| err.hint(hint.clone()))?;
    let shown = path.display();
    let mut certs = Vec::new();
    for (index, cert) in CertificateDer::pem_slice_iter(&bytes).enumerate() {
        let cert = cert.map_err(|err| {
            UserError::usage(format!(
                "{what} {shown} is not a valid PEM file (certificate {}): {err}",
                index + 1
            ))
            .hint(hint.clone())
        })?;
        if let Err(err) = webpki::anchor_from_trusted_cert(&cert) {
            return Err(UserError::usage(format!(
                "{what} {shown}: certificate {} cannot be a trust anchor: {err}",
                index + 1
            ))
            .hint(hint));
        }
        certs.push(cert);
    }
    if certs.is_empty() {
        return Err(UserError::usage(format!(
            "{what} {shown} holds no certificate (no -----BEGIN CERTIFICATE----- block)"
        ))
        .hint(hint));
    }
    Ok(certs)
}

/// The hint for a server whose certificate none of the roots vouches for.
pub const UNTRUSTED_HINT: &str = "dynroute trusts Mozilla's roots bundled in it, the host's, and the PEM file AWS_CA_BUNDLE names: behind a private CA or a TLS-inspecting proxy, export AWS_CA_BUNDLE=/path/to/ca.pem";

/// Whether `err` (or a cause of it) is a server certificate the roots refused:
/// an unknown issuer, an expired certificate, another name. Retrying it is
/// pointless; the person must trust a CA or fix the server.
pub fn is_untrusted_certificate(err: &(dyn std::error::Error + 'static)) -> bool {
    let refused = |e: &(dyn std::error::Error + 'static)| {
        matches!(
            e.downcast_ref::<rustls::Error>(),
            Some(rustls::Error::InvalidCertificate(_))
        )
    };
    let mut current = Some(err);
    while let Some(e) = current {
        let inner = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .is_some_and(|inner| refused(inner));
        if refused(e) || inner {
            return true;
        }
        current = e.source();
    }
    // Some HTTP stacks keep only the message of their causes.
    let mut text = err.to_string();
    let mut current = err.source();
    while let Some(e) = current {
        text.push_str(&e.to_string());
        current = e.source();
    }
    text.contains("invalid peer certificate")
}

/// An HTTP client builder that trusts [`Roots::from_env`] and nothing else:
/// every reqwest client of dynroute starts here.
pub fn http_client() -> Result<reqwest::ClientBuilder, UserError> {
    let roots = Roots::from_env()?;
    let certs = roots
        .certs()
        .iter()
        .map(|cert| reqwest::Certificate::from_der(cert.as_ref()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| {
            UserError::new(
                crate::error::ExitKind::Failure,
                "the TLS roots could not be handed to the HTTP client",
            )
            .caused_by(err)
        })?;
    Ok(reqwest::Client::builder().tls_certs_only(certs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nowhere() -> HostRoots {
        let dir = tempfile::tempdir().unwrap();
        HostRoots::Paths {
            file: Some(dir.path().join("no-such-file.pem")),
            dir: Some(dir.path().join("no-such-dir")),
        }
    }

    #[test]
    fn the_bundled_roots_stand_alone_when_the_host_has_none() {
        let roots = Roots::load(&nowhere(), None).unwrap();
        assert_eq!((roots.host, roots.extra), (0, 0));
        assert!(roots.bundled > 100, "{}", roots.describe());
        assert_eq!(roots.certs().len(), roots.bundled);
        for cert in roots.certs() {
            webpki::anchor_from_trusted_cert(cert).unwrap();
        }
    }

    /// One PEM file holding the first `n` bundled roots.
    fn pem_file(n: usize) -> tempfile::NamedTempFile {
        let mut some = Roots::load(&nowhere(), None).unwrap();
        some.certs.truncate(n);
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), some.pem()).unwrap();
        file
    }

    #[test]
    fn the_pem_form_reads_back_as_the_same_certificates() {
        let roots = Roots::load(&nowhere(), None).unwrap();
        let back: Vec<_> = CertificateDer::pem_slice_iter(roots.pem().as_bytes())
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(back, roots.certs());
    }

    #[test]
    fn the_ca_file_and_the_host_roots_are_added_and_counted() {
        let extra = pem_file(2);
        let host = pem_file(3);
        let paths = HostRoots::Paths {
            file: Some(host.path().to_owned()),
            dir: None,
        };
        let roots = Roots::load(&paths, Some(extra.path())).unwrap();
        assert_eq!((roots.host, roots.extra), (3, 2));
        assert_eq!(roots.certs().len(), roots.bundled + 5);
        assert_eq!(
            roots.describe(),
            format!(
                "{} bundled (Mozilla's), 3 from the host, 2 from AWS_CA_BUNDLE",
                roots.bundled
            )
        );
    }

    fn refused(text: &[u8]) -> (String, String) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let err = Roots::load(&nowhere(), Some(file.path())).unwrap_err();
        assert_eq!(err.kind, crate::error::ExitKind::Usage);
        let shown = file.path().display().to_string();
        (err.message.replace(&shown, "FILE"), err.hint.unwrap())
    }

    #[test]
    fn a_ca_file_without_a_usable_certificate_is_refused() {
        let (message, hint) = refused(b"just text\n");
        assert_eq!(
            message,
            "AWS_CA_BUNDLE file FILE holds no certificate (no -----BEGIN CERTIFICATE----- block)"
        );
        assert_eq!(
            hint,
            "AWS_CA_BUNDLE names a PEM file of CA certificates to trust besides the bundled ones; unset it to trust only those"
        );
        let (message, _) =
            refused(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assert!(
            message
                .starts_with("AWS_CA_BUNDLE file FILE: certificate 1 cannot be a trust anchor: "),
            "{message}"
        );
        let (message, _) = refused(b"-----BEGIN CERTIFICATE-----\nAAAA\n");
        assert!(
            message
                .starts_with("AWS_CA_BUNDLE file FILE is not a valid PEM file (certificate 1): "),
            "{message}"
        );
    }

    #[test]
    fn refused_certificates_are_found_in_the_error_chain() {
        #[derive(Debug)]
        struct Wrapper(std::io::Error);
        impl std::fmt::Display for Wrapper {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("client error (Connect)")
            }
        }
        impl std::error::Error for Wrapper {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let unknown = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, unknown);
        assert!(is_untrusted_certificate(&Wrapper(io)));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(!is_untrusted_certificate(&Wrapper(refused)));
        let alert = rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, alert);
        assert!(!is_untrusted_certificate(&Wrapper(io)));
    }

    #[test]
    fn an_unreadable_ca_file_is_refused_naming_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("ca.pem");
        let err = Roots::load(&nowhere(), Some(&missing)).unwrap_err();
        assert_eq!(err.kind, crate::error::ExitKind::Usage);
        assert!(
            err.message.starts_with(&format!(
                "cannot read AWS_CA_BUNDLE file {}: ",
                missing.display()
            )),
            "{}",
            err.message
        );
        let err = Roots::load(&nowhere(), Some(dir.path())).unwrap_err();
        assert_eq!(
            err.message,
            format!(
                "cannot read AWS_CA_BUNDLE file {}: it is a directory",
                dir.path().display()
            )
        );
        assert!(
            err.hint
                .unwrap()
                .starts_with("AWS_CA_BUNDLE names a PEM file")
        );
    }
}
