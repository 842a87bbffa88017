//! Keystone 30's default policy for the read side of the identity API
//! (`keystone/common/policies/{project,user,domain,role,role_assignment}.py`),
//! evaluated for the caller's token.

use std::sync::Arc;

use super::super::directory::Directory;
use super::super::tokens::{TokenRecord, TokenScope};

/// Who is asking: the validated token of the request.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The token's record.
    pub token: Arc<TokenRecord>,
}

impl Caller {
    fn has_role(&self, dir: &Directory, name: &str) -> bool {
        self.token
            .role_ids
            .iter()
            .filter_map(|id| dir.role(id))
            .any(|r| r.name == name)
    }

    /// `rule:admin_required`: `role:admin or is_admin:1`, whatever the scope.
    pub fn admin(&self, dir: &Directory) -> bool {
        self.token.is_admin || self.has_role(dir, "admin")
    }

    /// `role:reader and system_scope:all`.
    fn system_reader(&self, dir: &Directory) -> bool {
        self.token.scope == TokenScope::System && self.has_role(dir, "reader")
    }

    /// `role:reader and domain_id:<domain>`: a reader on a domain-scoped token.
    fn domain_reader(&self, dir: &Directory, domain_id: &str) -> bool {
        matches!(&self.token.scope, TokenScope::Domain(d) if d == domain_id)
            && self.has_role(dir, "reader")
    }

    /// The domain of the token's scope: the domain itself, or the project's domain.
    fn token_domain<'a>(&'a self, dir: &'a Directory) -> Option<&'a str> {
        match &self.token.scope {
            TokenScope::Domain(d) => Some(d.as_str()),
            TokenScope::Project(p) => dir.project(p).map(|p| p.domain_id.as_str()),
            _ => None,
        }
    }

    /// The domain of a domain-scoped token (what `oslo_context.domain_id` holds).
    pub fn scoped_domain(&self) -> Option<&str> {
        match &self.token.scope {
            TokenScope::Domain(d) => Some(d.as_str()),
            _ => None,
        }
    }

    /// Admin, a system reader or a reader of `domain_id` (the common rule of the lists).
    fn admin_or_reader_of(&self, dir: &Directory, domain_id: Option<&str>) -> bool {
        self.admin(dir)
            || self.system_reader(dir)
            || domain_id.is_some_and(|d| self.domain_reader(dir, d))
    }

    /// `identity:list_projects`, `identity:list_users`, `identity:list_role_assignments`
    /// (the target domain is the token's own domain scope).
    pub fn may_list_in_domain(&self, dir: &Directory) -> bool {
        self.admin_or_reader_of(dir, self.scoped_domain())
    }

    /// `identity:get_project`: also any user of the project itself.
    pub fn may_get_project(&self, dir: &Directory, project_id: &str, domain_id: &str) -> bool {
        self.admin_or_reader_of(dir, Some(domain_id))
            || self.token.scope == TokenScope::Project(project_id.to_owned())
    }

    /// `identity:get_user` and `identity:list_user_projects`: also the user themself.
    pub fn may_get_user(&self, dir: &Directory, user_id: &str, domain_id: &str) -> bool {
        self.admin_or_reader_of(dir, Some(domain_id)) || self.token.user_id == user_id
    }

    /// `identity:get_domain`: also any user scoped to the domain or to one of its projects.
    pub fn may_get_domain(&self, dir: &Directory, domain_id: &str) -> bool {
        self.admin_or_reader_of(dir, Some(domain_id)) || self.token_domain(dir) == Some(domain_id)
    }

    /// `identity:list_domains`.
    pub fn may_list_domains(&self, dir: &Directory) -> bool {
        self.admin_or_reader_of(dir, self.scoped_domain())
    }

    /// `identity:get_role` and `identity:list_roles` (admin or a system reader;
    /// the mock has no domain managers).
    pub fn may_read_roles(&self, dir: &Directory) -> bool {
        self.admin(dir) || self.system_reader(dir)
    }
}
