//! The mock cloud's configuration: where it listens, who may log in, which
//! compute microversions it speaks, and the Nova seed data.
//!
//! Every struct has a `Default` that reproduces the seed described in
//! `docs/ARCHITECTURE.md`, and every field is optional in a YAML/JSON file.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::nova::ApiVersion;

/// Everything the mock cloud can be told at start.
///
/// ```
/// let config: mock_cloud::MockConfig =
///     serde_saphyr::from_str("versions:\n  compute_max: '2.60'\n").unwrap();
/// assert_eq!(config.versions.compute_max, mock_cloud::nova::ApiVersion(2, 60));
/// assert_eq!(config.keystone.region, "RegionOne");
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MockConfig {
    /// Address to bind (default `127.0.0.1`).
    pub bind: IpAddr,
    /// Port to bind (default `0`: any free port).
    pub port: u16,
    /// Identity: domains, users, projects, roles, application credentials, tokens.
    pub keystone: KeystoneConfig,
    /// Supported compute microversion range.
    pub versions: VersionsConfig,
    /// Nova resources: flavors, images, quotas (owned by `nova::resources`).
    pub nova: crate::nova::resources::NovaConfig,
    /// Serve HTTPS with this certificate instead of plain HTTP.
    pub tls: Option<TlsConfig>,
    /// Timeouts and the connection limit of the HTTP server.
    pub connections: ConnectionConfig,
    /// The OpenID Connect provider and Keystone's federation set-up.
    pub oidc: crate::oidc::OidcConfig,
}

/// How long the server waits for a client, and how many sockets it holds, so slow or
/// idle clients cannot starve it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionConfig {
    /// Milliseconds a connection may take, from when it is ready for a request (just
    /// opened, or after answering one), to send that request's complete headers; past
    /// it the connection is closed. Bounds header drip-feeding (slowloris) and idle
    /// keep-alive connections alike. Default 30,000 (30 s); 0 turns it off.
    pub header_read_timeout_ms: u64,
    /// Milliseconds a connection may go without a byte read or written while no
    /// request is being handled (a client that stops reading its answer); past it the
    /// connection is closed. Default 120,000 (2 min); 0 turns it off.
    pub idle_timeout_ms: u64,
    /// Connections held at once; a connection accepted past it is answered
    /// `503 Service Unavailable` (plain HTTP) and closed at once, so the process never
    /// holds more sockets than that. Default 1,000 (at least 1).
    pub max_connections: usize,
}

impl Default for ConnectionConfig {
    fn default() -> Self {
        Self {
            header_read_timeout_ms: 30_000,
            idle_timeout_ms: 120_000,
            max_connections: 1_000,
        }
    }
}

/// The certificate of an HTTPS mock cloud (PEM files).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// The certificate chain, leaf first (PEM).
    pub cert_file: PathBuf,
    /// The private key of the leaf certificate (PEM: PKCS#8, PKCS#1 or SEC1).
    pub key_file: PathBuf,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            keystone: KeystoneConfig::default(),
            versions: VersionsConfig::default(),
            nova: crate::nova::resources::NovaConfig::default(),
            tls: None,
            connections: ConnectionConfig::default(),
            oidc: crate::oidc::OidcConfig::default(),
        }
    }
}

impl MockConfig {
    /// Reads a configuration file: JSON when the name ends in `.json`, else YAML
    /// (YAML is a superset of JSON, so either content works there).
    ///
    /// The file must be a regular file of at most 16 MiB nesting at most 32 levels
    /// ([`Error::ConfigTooLarge`], [`Error::ConfigTooDeep`]).
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        crate::config_file::read(path)
    }

    /// Serves HTTPS with the certificate chain and key in these PEM files
    /// (the URLs and the catalog then say `https://`).
    pub fn tls(mut self, cert_file: impl Into<PathBuf>, key_file: impl Into<PathBuf>) -> Self {
        self.tls = Some(TlsConfig {
            cert_file: cert_file.into(),
            key_file: key_file.into(),
        });
        self
    }

    /// Sets the highest compute microversion served.
    pub fn max_microversion(mut self, max: ApiVersion) -> Self {
        self.versions.compute_max = max;
        self
    }
}

/// The compute microversion range the mock serves.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VersionsConfig {
    /// Lowest microversion (`min_version`; default 2.1).
    pub compute_min: ApiVersion,
    /// Highest microversion (`version`; default 2.104).
    pub compute_max: ApiVersion,
}

impl Default for VersionsConfig {
    fn default() -> Self {
        Self {
            compute_min: ApiVersion(2, 1),
            compute_max: ApiVersion(2, 104),
        }
    }
}

/// A string that never shows in `Debug` output (passwords, secrets).
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; only for comparing credentials and printing the
    /// environment block the operator asked for.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Identity seed data and token settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeystoneConfig {
    /// Region of every catalog endpoint (default `RegionOne`).
    pub region: String,
    /// Token lifetime in seconds (Keystone's default `[token] expiration` is 3600).
    pub token_ttl_secs: u64,
    /// Auth receipt lifetime in seconds (Keystone's default `[receipt] expiration` is 300).
    pub receipt_ttl_secs: u64,
    /// Domains.
    pub domains: Vec<DomainConfig>,
    /// Projects.
    pub projects: Vec<ProjectConfig>,
    /// Roles.
    pub roles: Vec<RoleConfig>,
    /// Users with their passwords.
    pub users: Vec<UserConfig>,
    /// Who has which role where.
    pub role_assignments: Vec<RoleAssignment>,
    /// Application credentials.
    pub application_credentials: Vec<AppCredentialConfig>,
}

/// Fixed ids of the default seed, so tests can name them.
pub mod seed {
    /// Id of the `Default` domain (as in every Keystone).
    pub const DEFAULT_DOMAIN_ID: &str = "default";
    /// Id of project `demo`.
    pub const DEMO_PROJECT_ID: &str = "6e0fd2a3c1b84b5f9d7e3a1c2b4d5e6f";
    /// Id of project `admin`.
    pub const ADMIN_PROJECT_ID: &str = "a1d2e3f4a5b64c7d8e9f0a1b2c3d4e5f";
    /// Id of user `demo`.
    pub const DEMO_USER_ID: &str = "d3e4f5a6b7c84d9e8f7a6b5c4d3e2f1a";
    /// Id of user `admin`.
    pub const ADMIN_USER_ID: &str = "ad0e1f2a3b4c4d5e9f8a7b6c5d4e3f2a";
    /// Password of user `demo`.
    pub const DEMO_PASSWORD: &str = "demo-password";
    /// Password of user `admin`.
    pub const ADMIN_PASSWORD: &str = "admin-password";
    /// Id of application credential `demo-appcred` (user `demo`, project `demo`).
    pub const DEMO_APPCRED_ID: &str = "ac1b2c3d4e5f4a6b8c7d6e5f4a3b2c1d";
    /// Name of the demo application credential.
    pub const DEMO_APPCRED_NAME: &str = "demo-appcred";
    /// Secret of the demo application credential.
    pub const DEMO_APPCRED_SECRET: &str = "demo-appcred-secret";
    /// Id of user `mfa` (not in the default seed: add [`mfa_user`] to it).
    pub const MFA_USER_ID: &str = "3f1a2b3c4d5e4f6a8b9c0d1e2f3a4b5c";
    /// Password of user `mfa`.
    pub const MFA_PASSWORD: &str = "mfa-password";
    /// The base32 TOTP secret of user `mfa` (a Keystone `totp` credential blob).
    pub const MFA_TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    /// User `mfa` in domain Default: a password, a totp credential and the
    /// multi-factor rule `[["password", "totp"]]`, like a Keystone user
    /// with `options: {multi_factor_auth_rules: [[password, totp]],
    /// multi_factor_auth_enabled: true}`.
    pub fn mfa_user() -> super::UserConfig {
        super::UserConfig {
            id: MFA_USER_ID.into(),
            name: "mfa".into(),
            domain_id: DEFAULT_DOMAIN_ID.into(),
            password: MFA_PASSWORD.into(),
            default_project_id: None,
            totp_secret: Some(MFA_TOTP_SECRET.into()),
            options: super::UserOptions {
                multi_factor_auth_rules: vec![vec!["password".into(), "totp".into()]],
                multi_factor_auth_enabled: Some(true),
            },
        }
    }

    /// [`mfa_user`] with role `member` on project `demo`, added to a configuration.
    pub fn add_mfa_user(config: &mut super::KeystoneConfig) {
        config.users.push(mfa_user());
        config.role_assignments.push(super::RoleAssignment {
            user: "mfa".into(),
            target: super::AssignmentTarget::Project("demo".into()),
            role: "member".into(),
        });
    }
}

impl Default for KeystoneConfig {
    fn default() -> Self {
        use seed::*;
        let assign = |user: &str, target: AssignmentTarget, role: &str| RoleAssignment {
            user: user.into(),
            target,
            role: role.into(),
        };
        Self {
            region: "RegionOne".into(),
            token_ttl_secs: 3600,
            receipt_ttl_secs: 300,
            domains: vec![DomainConfig {
                id: DEFAULT_DOMAIN_ID.into(),
                name: "Default".into(),
                description: "The default domain".into(),
            }],
            projects: vec![
                ProjectConfig {
                    id: DEMO_PROJECT_ID.into(),
                    name: "demo".into(),
                    domain_id: DEFAULT_DOMAIN_ID.into(),
                    description: String::new(),
                },
                ProjectConfig {
                    id: ADMIN_PROJECT_ID.into(),
                    name: "admin".into(),
                    domain_id: DEFAULT_DOMAIN_ID.into(),
                    description: "Bootstrap project for initializing the cloud.".into(),
                },
            ],
            roles: vec![
                RoleConfig {
                    id: "7c1e3a5b9d2f4e6a8b0c1d2e3f4a5b6c".into(),
                    name: "admin".into(),
                },
                RoleConfig {
                    id: "9fe2ff9ee4384b1894a90878d3e92bab".into(),
                    name: "member".into(),
                },
                RoleConfig {
                    id: "3b5f7d9e1a2c4e6f8a0b2c4d6e8f0a1b".into(),
                    name: "reader".into(),
                },
            ],
            users: vec![
                UserConfig {
                    id: DEMO_USER_ID.into(),
                    name: "demo".into(),
                    domain_id: DEFAULT_DOMAIN_ID.into(),
                    password: DEMO_PASSWORD.into(),
                    default_project_id: None,
                    totp_secret: None,
                    options: UserOptions::default(),
                },
                UserConfig {
                    id: ADMIN_USER_ID.into(),
                    name: "admin".into(),
                    domain_id: DEFAULT_DOMAIN_ID.into(),
                    password: ADMIN_PASSWORD.into(),
                    default_project_id: None,
                    totp_secret: None,
                    options: UserOptions::default(),
                },
            ],
            role_assignments: vec![
                assign("demo", AssignmentTarget::Project("demo".into()), "member"),
                assign("demo", AssignmentTarget::Project("demo".into()), "reader"),
                assign("admin", AssignmentTarget::Project("admin".into()), "admin"),
                assign("admin", AssignmentTarget::Project("admin".into()), "member"),
                assign("admin", AssignmentTarget::Project("admin".into()), "reader"),
                assign("admin", AssignmentTarget::Project("demo".into()), "admin"),
                assign("admin", AssignmentTarget::Domain("default".into()), "admin"),
                assign("admin", AssignmentTarget::System, "admin"),
            ],
            application_credentials: vec![AppCredentialConfig {
                id: DEMO_APPCRED_ID.into(),
                name: DEMO_APPCRED_NAME.into(),
                secret: DEMO_APPCRED_SECRET.into(),
                user: "demo".into(),
                project: "demo".into(),
                roles: vec!["member".into(), "reader".into()],
                unrestricted: false,
            }],
        }
    }
}

/// A Keystone domain.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainConfig {
    /// Domain id.
    pub id: String,
    /// Domain name.
    pub name: String,
    /// Description shown by the identity API (default empty).
    #[serde(default)]
    pub description: String,
}

/// A Keystone project.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    /// Project id.
    pub id: String,
    /// Project name (unique within its domain).
    pub name: String,
    /// Owning domain id (default `default`).
    #[serde(default = "default_domain_id")]
    pub domain_id: String,
    /// Description shown by the identity API (default empty).
    #[serde(default)]
    pub description: String,
}

/// A Keystone role.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleConfig {
    /// Role id.
    pub id: String,
    /// Role name.
    pub name: String,
}

/// A Keystone user and its password.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// User id.
    pub id: String,
    /// User name (unique within its domain).
    pub name: String,
    /// Owning domain id (default `default`).
    #[serde(default = "default_domain_id")]
    pub domain_id: String,
    /// Password (masked in `Debug`).
    pub password: Secret,
    /// Project a request without any scope is scoped to, as in Keystone.
    #[serde(default)]
    pub default_project_id: Option<String>,
    /// The base32 secret of the user's `totp` credential (masked in `Debug`).
    #[serde(default)]
    pub totp_secret: Option<Secret>,
    /// The user's `options` (multi-factor rules).
    #[serde(default)]
    pub options: UserOptions,
}

/// A Keystone user's `options` that change how it logs in.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserOptions {
    /// `multi_factor_auth_rules`: each rule is a list of methods that
    /// together suffice (`[["password", "totp"]]`).
    #[serde(default)]
    pub multi_factor_auth_rules: Vec<Vec<String>>,
    /// `multi_factor_auth_enabled` (Keystone treats a missing value as true).
    #[serde(default)]
    pub multi_factor_auth_enabled: Option<bool>,
}

/// Where a role is granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssignmentTarget {
    /// On a project, named by id or name.
    Project(String),
    /// On a domain, named by id or name.
    Domain(String),
    /// On the whole system (`system: {"all": true}` scope).
    System,
}

/// One role grant: `user` has `role` on `target`.
///
/// In a file: `{user: alice, role: member, project: demo}`, or `domain: Default`,
/// or `system: true` in place of `project` (exactly one of the three).
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "RoleAssignmentFile")]
pub struct RoleAssignment {
    /// User id or name.
    pub user: String,
    /// Where the role applies.
    pub target: AssignmentTarget,
    /// Role id or name.
    pub role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleAssignmentFile {
    user: String,
    role: String,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    system: bool,
}

impl TryFrom<RoleAssignmentFile> for RoleAssignment {
    type Error = String;

    fn try_from(file: RoleAssignmentFile) -> Result<Self, Self::Error> {
        let target = match (file.project, file.domain, file.system) {
            (Some(project), None, false) => AssignmentTarget::Project(project),
            (None, Some(domain), false) => AssignmentTarget::Domain(domain),
            (None, None, true) => AssignmentTarget::System,
            _ => {
                return Err(format!(
                    "role assignment of {:?} to {:?} needs exactly one of project, domain or system: true",
                    file.role, file.user
                ));
            }
        };
        Ok(RoleAssignment {
            user: file.user,
            target,
            role: file.role,
        })
    }
}

/// An application credential (it fixes user, project and roles).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppCredentialConfig {
    /// Credential id.
    pub id: String,
    /// Credential name (unique per user).
    pub name: String,
    /// Secret (masked in `Debug`).
    pub secret: Secret,
    /// Owning user, id or name.
    pub user: String,
    /// Project the tokens are scoped to, id or name.
    pub project: String,
    /// Role names or ids carried by its tokens.
    #[serde(default)]
    pub roles: Vec<String>,
    /// `unrestricted` as in Keystone (tokens report `restricted: !unrestricted`).
    #[serde(default)]
    pub unrestricted: bool,
}

fn default_domain_id() -> String {
    seed::DEFAULT_DOMAIN_ID.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_in_debug() {
        let text = format!("{:?}", MockConfig::default());
        assert!(!text.contains(seed::DEMO_PASSWORD));
        assert!(!text.contains(seed::ADMIN_PASSWORD));
        assert!(!text.contains(seed::DEMO_APPCRED_SECRET));
        assert!(text.contains("demo"));
    }

    #[test]
    fn yaml_with_assignments_parses() {
        let yaml = r#"
keystone:
  token_ttl_secs: 60
  users:
    - {id: u1, name: alice, password: pw}
  projects:
    - {id: p1, name: proj}
  role_assignments:
    - {user: alice, project: proj, role: member}
    - {user: alice, system: true, role: admin}
versions:
  compute_max: "2.60"
"#;
        let config: MockConfig = serde_saphyr::from_str(yaml).unwrap();
        assert_eq!(config.keystone.token_ttl_secs, 60);
        assert_eq!(config.keystone.users[0].domain_id, "default");
        assert_eq!(
            config.keystone.role_assignments[0].target,
            AssignmentTarget::Project("proj".into())
        );
        assert_eq!(
            config.keystone.role_assignments[1].target,
            AssignmentTarget::System
        );
        assert_eq!(config.versions.compute_max, ApiVersion(2, 60));
        assert_eq!(config.versions.compute_min, ApiVersion(2, 1));
    }

    #[test]
    fn an_assignment_needs_exactly_one_target() {
        let yaml =
            "keystone:\n  role_assignments:\n    - {user: a, role: r, project: p, system: true}\n";
        let error = serde_saphyr::from_str::<MockConfig>(yaml)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("exactly one of project, domain or system"),
            "{error}"
        );
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(serde_saphyr::from_str::<MockConfig>("keystone:\n  regoin: x\n").is_err());
    }
}
