//! The identity directory: domains, projects, roles, users, grants and
//! application credentials, resolved once from [`KeystoneConfig`].

use crate::config::{AssignmentTarget, KeystoneConfig, Secret};

/// A domain.
#[derive(Clone, Debug)]
pub struct Domain {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// A project.
#[derive(Clone, Debug)]
pub struct Project {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Owning domain id.
    pub domain_id: String,
    /// Description.
    pub description: String,
}

/// A role.
#[derive(Clone, Debug)]
pub struct Role {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A user.
#[derive(Clone, Debug)]
pub struct User {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Owning domain id.
    pub domain_id: String,
    /// Password (masked in `Debug`).
    pub password: Secret,
    /// Project used when a request names no scope.
    pub default_project_id: Option<String>,
    /// Base32 secret of the user's `totp` credential (masked in `Debug`).
    pub totp_secret: Option<Secret>,
    /// Multi-factor rules in force (empty when none are set or they are disabled).
    pub mfa_rules: Vec<Vec<String>>,
}

/// What a role is granted on, by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A project id.
    Project(String),
    /// A domain id.
    Domain(String),
    /// The system.
    System,
}

/// One resolved role grant.
#[derive(Clone, Debug)]
pub struct Grant {
    /// User id.
    pub user_id: String,
    /// Where.
    pub target: Target,
    /// Role id.
    pub role_id: String,
}

/// A resolved application credential.
#[derive(Clone, Debug)]
pub struct AppCredential {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Secret (masked in `Debug`).
    pub secret: Secret,
    /// Owning user id.
    pub user_id: String,
    /// Project id its tokens are scoped to.
    pub project_id: String,
    /// Role ids its tokens carry.
    pub role_ids: Vec<String>,
    /// `restricted` in token bodies.
    pub restricted: bool,
}

/// Everything Keystone knows, resolved to ids.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    /// Domains.
    pub domains: Vec<Domain>,
    /// Projects.
    pub projects: Vec<Project>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Users.
    pub users: Vec<User>,
    /// Role grants.
    pub grants: Vec<Grant>,
    /// Application credentials.
    pub app_credentials: Vec<AppCredential>,
}

impl Directory {
    /// Resolves names in the configuration to ids; entries naming something
    /// unknown are skipped with a warning.
    pub fn from_config(config: &KeystoneConfig) -> Self {
        let mut dir = Directory {
            domains: config
                .domains
                .iter()
                .map(|d| Domain {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    description: d.description.clone(),
                })
                .collect(),
            projects: config
                .projects
                .iter()
                .map(|p| Project {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    domain_id: p.domain_id.clone(),
                    description: p.description.clone(),
                })
                .collect(),
            roles: config
                .roles
                .iter()
                .map(|r| Role {
                    id: r.id.clone(),
                    name: r.name.clone(),
                })
                .collect(),
            users: config
                .users
                .iter()
                .map(|u| User {
                    id: u.id.clone(),
                    name: u.name.clone(),
                    domain_id: u.domain_id.clone(),
                    password: u.password.clone(),
                    default_project_id: u.default_project_id.clone(),
                    totp_secret: u.totp_secret.clone(),
                    mfa_rules: if u.options.multi_factor_auth_enabled.unwrap_or(true) {
                        u.options.multi_factor_auth_rules.clone()
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
            grants: Vec::new(),
            app_credentials: Vec::new(),
        };
        for a in &config.role_assignments {
            let user = dir.user_by_ref(&a.user).map(|u| u.id.clone());
            let role = dir.role_by_ref(&a.role).map(|r| r.id.clone());
            let target = match &a.target {
                AssignmentTarget::Project(p) => {
                    dir.project_by_ref(p).map(|p| Target::Project(p.id.clone()))
                }
                AssignmentTarget::Domain(d) => {
                    dir.domain_by_ref(d).map(|d| Target::Domain(d.id.clone()))
                }
                AssignmentTarget::System => Some(Target::System),
            };
            match (user, role, target) {
                (Some(user_id), Some(role_id), Some(target)) => dir.grants.push(Grant {
                    user_id,
                    target,
                    role_id,
                }),
                _ => {
                    tracing::warn!(user = %a.user, role = %a.role, "skipping role assignment naming an unknown user, role or target")
                }
            }
        }
        for c in &config.application_credentials {
            let user = dir.user_by_ref(&c.user).map(|u| u.id.clone());
            let project = dir.project_by_ref(&c.project).map(|p| p.id.clone());
            let (Some(user_id), Some(project_id)) = (user, project) else {
                tracing::warn!(name = %c.name, "skipping application credential naming an unknown user or project");
                continue;
            };
            let role_ids = c
                .roles
                .iter()
                .filter_map(|r| dir.role_by_ref(r).map(|r| r.id.clone()))
                .collect();
            dir.app_credentials.push(AppCredential {
                id: c.id.clone(),
                name: c.name.clone(),
                secret: c.secret.clone(),
                user_id,
                project_id,
                role_ids,
                restricted: !c.unrestricted,
            });
        }
        dir
    }

    /// A domain by id or name.
    pub fn domain_by_ref(&self, key: &str) -> Option<&Domain> {
        self.domains
            .iter()
            .find(|d| d.id == key)
            .or_else(|| self.domains.iter().find(|d| d.name == key))
    }

    /// A domain by id.
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    /// A domain by name.
    pub fn domain_named(&self, name: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.name == name)
    }

    /// A project by id or name.
    pub fn project_by_ref(&self, key: &str) -> Option<&Project> {
        self.projects
            .iter()
            .find(|p| p.id == key)
            .or_else(|| self.projects.iter().find(|p| p.name == key))
    }

    /// A project by id.
    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    /// A project by name within a domain.
    pub fn project_named(&self, name: &str, domain_id: &str) -> Option<&Project> {
        self.projects
            .iter()
            .find(|p| p.name == name && p.domain_id == domain_id)
    }

    /// A role by id or name.
    pub fn role_by_ref(&self, key: &str) -> Option<&Role> {
        self.roles
            .iter()
            .find(|r| r.id == key)
            .or_else(|| self.roles.iter().find(|r| r.name == key))
    }

    /// A role by id.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// A user by id or name.
    pub fn user_by_ref(&self, key: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.id == key)
            .or_else(|| self.users.iter().find(|u| u.name == key))
    }

    /// A user by id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// A user by name within a domain.
    pub fn user_named(&self, name: &str, domain_id: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.name == name && u.domain_id == domain_id)
    }

    /// Role ids a user holds on a target, in grant order, without duplicates.
    pub fn roles_on(&self, user_id: &str, target: &Target) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for g in &self.grants {
            if g.user_id == user_id && &g.target == target && !ids.contains(&g.role_id) {
                ids.push(g.role_id.clone());
            }
        }
        ids
    }
}
