//! What can go wrong while serving a page. Every message is plain text; pages escape it.

/// An error a handler shows the user.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DashboardError {
    /// Logging in failed (bad credentials, no compute endpoint, unreachable Keystone).
    #[error("could not log in")]
    Login(#[source] keystone_auth::Error),
    /// The compute service refused or failed a request.
    #[error("the compute service")]
    Compute(#[source] nova_core::Error),
    /// Another service (image, network) refused or failed a request.
    #[error("a cloud service")]
    Service(#[source] keystone_auth::Error),
    /// A service answered with a body the dashboard cannot read.
    #[error("could not read {0}")]
    BadAnswer(String),
    /// A form field is missing or invalid.
    #[error("{field}: {reason}")]
    InvalidField {
        /// The field's label as the form shows it.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The cloud settings given at start are unusable.
    #[error("configuration: {0}")]
    Config(String),
}

impl DashboardError {
    /// A form field error.
    pub fn field(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidField {
            field,
            reason: reason.into(),
        }
    }

    /// The message with its causes, one sentence, for the page (escaped when rendered).
    /// Secrets never appear: keystone-auth and nova-core redact them from their errors.
    pub fn user_message(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }

    /// The request id of the failed call, when the cloud gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Compute(e) => e.request_id(),
            Self::Login(e) | Self::Service(e) => e.request_id(),
            _ => None,
        }
    }

    /// Whether the cloud said the token is no longer valid (the session must log in again).
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Self::Compute(e) => e.status() == Some(http::StatusCode::UNAUTHORIZED),
            Self::Service(e) => e.status() == Some(http::StatusCode::UNAUTHORIZED),
            _ => false,
        }
    }
}

impl From<nova_core::Error> for DashboardError {
    fn from(error: nova_core::Error) -> Self {
        Self::Compute(error)
    }
}
