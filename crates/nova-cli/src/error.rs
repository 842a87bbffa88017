//! The CLI's one error type, its exit codes and the one-line message users see.

use std::error::Error as StdError;
use std::fmt::Write as _;

/// The exit codes scripts can rely on (also printed by `nova --help`).
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success
  1    the cloud refused or failed the request (an HTTP error other than 404,
       an unexpected response)
  2    usage: bad command line or option value (including a malformed
       --os-compute-api-version, or a field the chosen microversion lacks)
  3    configuration or authentication: missing or invalid cloud settings,
       authentication refused, auth URL or endpoint unreachable, a
       --os-compute-api-version the server does not support
  4    not found, or a name that matches several resources
  5    gave up waiting (--poll / --wait timeout), or the server went to ERROR
  130  interrupted (Ctrl-C); a wait stops, the server is left as it is";

/// Why the command failed; each kind has one exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The cloud refused or failed the request (exit 1).
    Api,
    /// Bad command line or option value (exit 2).
    Usage,
    /// Bad configuration, failed authentication, unreachable cloud (exit 3).
    Config,
    /// Not found or ambiguous (exit 4).
    NotFound,
    /// A wait gave up or the server went to ERROR (exit 5).
    Wait,
    /// Ctrl-C (exit 130).
    Interrupted,
}

impl ErrorKind {
    /// The process exit code.
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Api => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Config => 3,
            ErrorKind::NotFound => 4,
            ErrorKind::Wait => 5,
            ErrorKind::Interrupted => 130,
        }
    }
}

/// A failed command: what kind of failure, a label and one line of text.
///
/// Every variant of the layers below is turned into this by the `From`
/// conversions; secrets never reach it because the lower layers' messages
/// never carry them.
#[derive(Debug, thiserror::Error)]
#[error("ERROR ({label}): {message}")]
pub struct CliError {
    /// The kind, which decides the exit code.
    pub kind: ErrorKind,
    /// A short class name, like novaclient's `ERROR (NotFound)`.
    pub label: &'static str,
    /// The message (with the request id when there was a response).
    pub message: String,
}

/// `Result` with [`CliError`].
pub type CliResult<T> = Result<T, CliError>;

impl CliError {
    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, "CommandError", message)
    }

    /// A configuration error (exit 3).
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, "ConfigError", message)
    }

    /// A not-found or ambiguity error (exit 4).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, "NotFound", message)
    }

    /// An API error (exit 1).
    pub fn api(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Api, "ClientException", message)
    }

    /// Ctrl-C (exit 130).
    pub fn interrupted(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Interrupted, "Interrupted", message)
    }

    /// Any kind with a label.
    pub fn new(kind: ErrorKind, label: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            label,
            message: message.into(),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        self.kind.exit_code()
    }
}

/// `error` and its sources on one line, `a: b: c`, skipping repeats.
pub fn chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            let _ = write!(text, ": {part}");
        }
        source = s.source();
    }
    text
}

/// Exit kind and label for a failure of the identity side, by its HTTP status.
fn auth_status_kind(status: Option<u16>) -> (ErrorKind, &'static str) {
    match status {
        Some(401) => (ErrorKind::Config, "Unauthorized"),
        Some(404) => (ErrorKind::NotFound, "NotFound"),
        _ => (ErrorKind::Api, "ClientException"),
    }
}

fn keystone_kind(error: &keystone_auth::Error) -> (ErrorKind, &'static str) {
    use keystone_auth::ErrorKind as K;
    match error.kind() {
        K::Http | K::Authentication | K::MoreFactorsRequired => {
            auth_status_kind(error.status().map(|s| s.as_u16()))
        }
        K::Connect => (ErrorKind::Config, "ConnectionRefused"),
        K::Tls => (ErrorKind::Config, "SSLError"),
        K::Timeout => (ErrorKind::Api, "Timeout"),
        K::EndpointNotFound => (ErrorKind::Config, "EndpointNotFound"),
        K::Config => (ErrorKind::Config, "ConfigError"),
        _ => (ErrorKind::Api, "ClientException"),
    }
}

/// Exit kind and label for a compute request the transport could not complete.
fn transport_kind(error: &nova_core::TransportError) -> (ErrorKind, &'static str) {
    use nova_core::TransportErrorKind as T;
    match error.kind() {
        T::Auth => auth_status_kind(error.status().map(|s| s.as_u16())),
        T::Connect => (ErrorKind::Config, "ConnectionRefused"),
        T::Tls => (ErrorKind::Config, "SSLError"),
        T::Timeout => (ErrorKind::Api, "Timeout"),
        T::EndpointNotFound => (ErrorKind::Config, "EndpointNotFound"),
        T::Config => (ErrorKind::Config, "ConfigError"),
        T::LostAfterSend => (ErrorKind::Api, "ClientException"),
        _ => (ErrorKind::Api, "ConnectionError"),
    }
}

impl From<keystone_auth::Error> for CliError {
    fn from(error: keystone_auth::Error) -> Self {
        let (kind, label) = keystone_kind(&error);
        let mut message = chain(&error);
        if let Some(id) = error.request_id()
            && !message.contains(id)
        {
            let _ = write!(message, " (Request-ID: {id})");
        }
        CliError::new(kind, label, message)
    }
}

impl From<nova_core::Error> for CliError {
    fn from(error: nova_core::Error) -> Self {
        use nova_core::Error as N;
        let (kind, label) = match &error {
            N::NotFound(_) => (ErrorKind::NotFound, "NotFound"),
            N::NotFoundByName { .. } => (ErrorKind::NotFound, "NotFound"),
            N::Ambiguous { .. } => (ErrorKind::NotFound, "NoUniqueMatch"),
            N::Unauthorized(_) => (ErrorKind::Config, "Unauthorized"),
            N::WaitTimeout { .. } => (ErrorKind::Wait, "Timeout"),
            N::ServerFault { .. } => (ErrorKind::Wait, "ServerError"),
            N::InvalidVersion { .. } => (ErrorKind::Usage, "UnsupportedVersion"),
            N::VersionNotAvailable { .. }
            | N::LatestNotResolved { .. }
            | N::UnknownMajor { .. }
            | N::NotAcceptable(_) => (ErrorKind::Config, "UnsupportedVersion"),
            N::VersionNotSupported { .. }
            | N::FieldNotSupported { .. }
            | N::NotSupported { .. } => (ErrorKind::Usage, "UnsupportedAttribute"),
            N::InvalidInput { .. } => (ErrorKind::Usage, "CommandError"),
            N::BadRequest(_) => (ErrorKind::Api, "BadRequest"),
            N::Forbidden(_) => (ErrorKind::Api, "Forbidden"),
            N::Conflict(_) => (ErrorKind::Api, "Conflict"),
            N::OverLimit(_) | N::RateLimited(_) => (ErrorKind::Api, "OverLimit"),
            N::Transport(transport) => transport_kind(transport),
            _ => (ErrorKind::Api, "ClientException"),
        };
        let mut message = match &error {
            N::NotFoundByName { kind, name } => {
                format!("No {kind} with a name or ID of '{name}' exists.")
            }
            N::Ambiguous {
                kind,
                name,
                candidates,
            } => format!(
                "Multiple {kind} matches found for '{name}', use an ID to be more specific: {}",
                candidates.join(", ")
            ),
            // novaclient's form: "<message> (HTTP <code>) (Request-ID: <id>)"
            _ => match error.fault() {
                Some(fault) => fault.to_string(),
                None => chain(&error),
            },
        };
        if let Some(id) = error.request_id()
            && !message.contains(id)
        {
            let _ = write!(message, " (Request-ID: {id})");
        }
        CliError::new(kind, label, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nova_errors_map_to_documented_codes() {
        let not_found = nova_core::Error::NotFoundByName {
            kind: "flavor",
            name: "x".into(),
        };
        assert_eq!(CliError::from(not_found).exit_code(), 4);
        let bad: nova_core::Error = match "abc".parse::<nova_core::MicroVersion>() {
            Err(e) => e,
            Ok(v) => panic!("parsed {v}"),
        };
        assert_eq!(CliError::from(bad).exit_code(), 2);
        let timeout = nova_core::Error::WaitTimeout {
            id: "s".into(),
            last_status: "BUILD".into(),
            waited: std::time::Duration::from_secs(1),
        };
        assert_eq!(CliError::from(timeout).exit_code(), 5);
    }

    #[test]
    fn display_is_one_line_with_a_label() {
        let e = CliError::not_found("No flavor named 'x'.");
        assert_eq!(e.to_string(), "ERROR (NotFound): No flavor named 'x'.");
        assert!(EXIT_CODES_HELP.contains("130"));
    }
}
