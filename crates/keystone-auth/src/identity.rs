//! Who authenticates and what the token is scoped to: [`UserRef`],
//! [`DomainRef`] and [`Scope`], rendered as Keystone v3 request JSON.

use serde_json::{Value, json};

/// A domain, by id or by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainRef {
    /// By id (e.g. `default`).
    Id(String),
    /// By name (e.g. `Default`).
    Name(String),
}

impl DomainRef {
    /// A domain by id.
    pub fn id(id: impl Into<String>) -> Self {
        Self::Id(id.into())
    }

    /// A domain by name.
    pub fn name(name: impl Into<String>) -> Self {
        Self::Name(name.into())
    }

    pub(crate) fn to_json(&self) -> Value {
        match self {
            Self::Id(id) => json!({ "id": id }),
            Self::Name(name) => json!({ "name": name }),
        }
    }
}

/// A user, by id or by name within a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    /// By id (unique across domains).
    Id(String),
    /// By name; names are unique only within a domain.
    Name {
        /// The user name.
        name: String,
        /// The domain that owns the user.
        domain: DomainRef,
    },
}

impl UserRef {
    /// A user by id.
    pub fn id(id: impl Into<String>) -> Self {
        Self::Id(id.into())
    }

    /// A user by name in `domain`.
    pub fn name_in_domain(name: impl Into<String>, domain: DomainRef) -> Self {
        Self::Name {
            name: name.into(),
            domain,
        }
    }

    /// The user object without credentials (`{"id": ..}` or `{"name": .., "domain": ..}`).
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Self::Id(id) => json!({ "id": id }),
            Self::Name { name, domain } => json!({ "name": name, "domain": domain.to_json() }),
        }
    }
}

/// What a token is scoped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Explicitly unscoped (`"scope": "unscoped"`), even if the user has a default project.
    Unscoped,
    /// A project by id.
    ProjectId(String),
    /// A project by name within a domain.
    ProjectName {
        /// The project name.
        name: String,
        /// The domain that owns the project.
        domain: DomainRef,
    },
    /// A domain.
    Domain(DomainRef),
    /// The whole deployment (`"system": {"all": true}`).
    System,
}

impl Scope {
    /// A project by id.
    pub fn project_id(id: impl Into<String>) -> Self {
        Self::ProjectId(id.into())
    }

    /// A project by name in `domain`.
    pub fn project_name(name: impl Into<String>, domain: DomainRef) -> Self {
        Self::ProjectName {
            name: name.into(),
            domain,
        }
    }

    /// A domain by id.
    pub fn domain_id(id: impl Into<String>) -> Self {
        Self::Domain(DomainRef::id(id))
    }

    /// A domain by name.
    pub fn domain_name(name: impl Into<String>) -> Self {
        Self::Domain(DomainRef::name(name))
    }

    /// The value of `auth.scope` in a token request.
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Self::Unscoped => json!("unscoped"),
            Self::ProjectId(id) => json!({ "project": { "id": id } }),
            Self::ProjectName { name, domain } => {
                json!({ "project": { "name": name, "domain": domain.to_json() } })
            }
            Self::Domain(domain) => json!({ "domain": domain.to_json() }),
            Self::System => json!({ "system": { "all": true } }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_render_like_keystone_samples() {
        assert_eq!(
            Scope::project_name("demo", DomainRef::name("Default")).to_json(),
            json!({"project": {"name": "demo", "domain": {"name": "Default"}}})
        );
        assert_eq!(
            Scope::project_id("p1").to_json(),
            json!({"project": {"id": "p1"}})
        );
        assert_eq!(
            Scope::domain_id("default").to_json(),
            json!({"domain": {"id": "default"}})
        );
        assert_eq!(Scope::System.to_json(), json!({"system": {"all": true}}));
        assert_eq!(Scope::Unscoped.to_json(), json!("unscoped"));
    }

    #[test]
    fn users_render_by_id_or_name() {
        assert_eq!(UserRef::id("u1").to_json(), json!({"id": "u1"}));
        assert_eq!(
            UserRef::name_in_domain("demo", DomainRef::id("default")).to_json(),
            json!({"name": "demo", "domain": {"id": "default"}})
        );
    }
}
