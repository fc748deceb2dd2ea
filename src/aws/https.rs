//! The HTTPS client of every AWS call (services and credential providers):
//! the SDK's own rustls client with its defaults (aws-lc, the proxy from
//! `HTTPS_PROXY` / `NO_PROXY`), but trusting [`Roots`] — the bundled roots,
//! the host's and `AWS_CA_BUNDLE`'s — instead of the host's bundle alone.

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::rustls_provider::CryptoMode;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use crate::tls::Roots;

/// An HTTPS client for the SDK that trusts `roots` only.
pub fn client(roots: &Roots) -> SharedHttpClient {
    let trust = TrustStore::empty()
        .with_native_roots(false)
        .with_pem_certificate(roots.pem());
    let context = TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .expect("a TLS context without extra server names always builds");
    Builder::new().build_with_connector_fn(move |settings, components| {
        let mut connector = ConnectorBuilder::default()
            .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
            .tls_context(context.clone());
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}
