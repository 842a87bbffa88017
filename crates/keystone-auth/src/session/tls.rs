//! The rustls client configuration a session hands to reqwest: built with an explicit
//! crypto provider (ring), so the library never installs a process-wide default.
//!
//! Verification: the platform's roots plus any `--os-cacert` certificates; a certificate in
//! the CA file that the server presents as its own (the usual `openssl req -x509`
//! self-signed setup, CA:TRUE) is accepted as pinned when it is byte-for-byte that
//! certificate and valid for the host name; `insecure` accepts any certificate.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

/// The crypto provider every session uses (never installed as the process default).
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// What a session's TLS is built from; the files are already read.
#[derive(Default)]
pub(crate) struct TlsInputs {
    /// PEM certificates from the CA file.
    pub(crate) ca_pem: Option<Vec<u8>>,
    /// Accept any server certificate.
    pub(crate) insecure: bool,
    /// PEM client certificate chain and PEM private key.
    pub(crate) client: Option<(Vec<u8>, Vec<u8>)>,
}

/// Why the TLS configuration could not be built (the caller names the file).
#[derive(Debug)]
pub(crate) enum TlsSetupError {
    /// The CA file holds no PEM certificate.
    NoCaCertificate,
    /// The client certificate or key is not usable PEM.
    BadClientIdentity(rustls::Error),
    /// The client certificate file holds no certificate or the key file no key.
    MissingClientIdentity,
    /// rustls refused the configuration.
    Rustls(rustls::Error),
}

/// Builds the client configuration (ALPN h2 and http/1.1, as reqwest would).
pub(crate) fn client_config(inputs: &TlsInputs) -> Result<ClientConfig, TlsSetupError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(TlsSetupError::Rustls)?;
    let algorithms = provider.signature_verification_algorithms;
    let verifier: Arc<dyn ServerCertVerifier> = if inputs.insecure {
        Arc::new(Verifier {
            trust: Trust::Any,
            algorithms,
        })
    } else {
        let pinned = match &inputs.ca_pem {
            Some(pem) => {
                let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
                    .filter_map(std::result::Result::ok)
                    .collect();
                if certs.is_empty() {
                    return Err(TlsSetupError::NoCaCertificate);
                }
                certs
            }
            None => Vec::new(),
        };
        let inner = platform_or_webpki(&pinned, &provider)?;
        if pinned.is_empty() {
            inner
        } else {
            Arc::new(Verifier {
                trust: Trust::Pinned { inner, pinned },
                algorithms,
            })
        }
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match &inputs.client {
        Some((cert_pem, key_pem)) => {
            let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
                .filter_map(std::result::Result::ok)
                .collect();
            let key = PrivateKeyDer::from_pem_slice(key_pem)
                .map_err(|_| TlsSetupError::MissingClientIdentity)?;
            if chain.is_empty() {
                return Err(TlsSetupError::MissingClientIdentity);
            }
            builder
                .with_client_auth_cert(chain, key)
                .map_err(TlsSetupError::BadClientIdentity)?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The platform verifier with the CA file's certificates as extra roots; where the
/// platform has no usable store, webpki with just the CA file's certificates.
fn platform_or_webpki(
    extra: &[CertificateDer<'static>],
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<dyn ServerCertVerifier>, TlsSetupError> {
    match rustls_platform_verifier::Verifier::new_with_extra_roots(
        extra.iter().cloned(),
        Arc::clone(provider),
    ) {
        Ok(verifier) => Ok(Arc::new(verifier)),
        Err(platform) => {
            let mut roots = rustls::RootCertStore::empty();
            let (added, _ignored) = roots.add_parsable_certificates(extra.iter().cloned());
            if added == 0 {
                return Err(TlsSetupError::Rustls(platform));
            }
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(provider))
                .build()
                .map(|v| v as Arc<dyn ServerCertVerifier>)
                .map_err(|e| TlsSetupError::Rustls(rustls::Error::General(e.to_string())))
        }
    }
}

/// What a server certificate is checked against; the handshake signatures are checked
/// the same way in every case.
#[derive(Debug)]
enum Trust {
    /// A certificate that is exactly one of the CA file's certificates (and valid for the
    /// host name) is accepted; everything else goes to the normal verifier.
    Pinned {
        inner: Arc<dyn ServerCertVerifier>,
        pinned: Vec<CertificateDer<'static>>,
    },
    /// `insecure`: any certificate is accepted.
    Any,
}

/// The verifier for `Trust`.
#[derive(Debug)]
struct Verifier {
    trust: Trust,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match &self.trust {
            Trust::Any => Ok(ServerCertVerified::assertion()),
            Trust::Pinned { pinned, .. }
                if pinned.iter().any(|p| p.as_ref() == end_entity.as_ref()) =>
            {
                let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
                rustls::client::verify_server_name(&parsed, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            Trust::Pinned { inner, .. } => {
                inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
