//! Who a test acts as: the configured user, an admin and a member (non-admin), each taken
//! separately so that every test gets the one it means, on every target.
//!
//! | target | admin | member |
//! |---|---|---|
//! | mock-cloud | the seeded `admin` user in project `admin` | the seeded `demo` user |
//! | another cloud | `NOVA_TEST_ADMIN_CLOUD` (a clouds.yaml entry), else the configured user if it has the `admin` role | `NOVA_TEST_MEMBER_CLOUD`, else the configured user if it has no `admin` role |
//!
//! A clouds.yaml entry named by `NOVA_TEST_*_CLOUD` is read as it is, without the `OS_*`
//! variables on top (those describe the configured user, not this one).
//! `cargo xtask conformance` runs the suite as `conformance-demo` with
//! `NOVA_TEST_ADMIN_CLOUD=conformance-admin`.

use std::collections::HashMap;

use keystone_auth::{CloudConfig, ConfigSearch};

use crate::{Target, TestCloud, session_for, skip_notice};

/// The clouds.yaml entry with admin credentials for the target cloud.
pub const ADMIN_CLOUD_VARIABLE: &str = "NOVA_TEST_ADMIN_CLOUD";
/// The clouds.yaml entry with a non-admin user of the target cloud.
pub const MEMBER_CLOUD_VARIABLE: &str = "NOVA_TEST_MEMBER_CLOUD";

/// Which kind of user a test needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A user with the `admin` role.
    Admin,
    /// A user without it (Nova's `member` / `reader`).
    Member,
}

impl Role {
    fn variable(self) -> &'static str {
        match self {
            Role::Admin => ADMIN_CLOUD_VARIABLE,
            Role::Member => MEMBER_CLOUD_VARIABLE,
        }
    }

    fn missing(self) -> String {
        match self {
            Role::Admin => format!(
                "needs admin credentials: the user is not an admin and {ADMIN_CLOUD_VARIABLE} names no clouds.yaml entry"
            ),
            Role::Member => format!(
                "needs a non-admin user: the user is an admin and {MEMBER_CLOUD_VARIABLE} names no clouds.yaml entry"
            ),
        }
    }
}

/// The clouds.yaml entry named by `variable`, read without the `OS_*` overlay, or `None` when
/// the variable is unset. Panics when it names an entry that cannot be read.
fn named_cloud(variable: &str) -> Option<CloudConfig> {
    let name = std::env::var(variable)
        .ok()
        .filter(|name| !name.trim().is_empty())?;
    let env: HashMap<String, String> = std::env::vars().collect();
    let config = ConfigSearch::standard(&env)
        .load_cloud(&name)
        .unwrap_or_else(|e| panic!("{variable}={name}: {e}"));
    Some(config)
}

/// Whether `config`'s user holds the `admin` role in its token.
pub(crate) async fn holds_admin_role(config: &CloudConfig) -> bool {
    let access = session_for(config)
        .access_info()
        .await
        .expect("the configured user authenticates");
    access.role_names().contains(&"admin")
}

/// The mock's seeded admin, with `config`'s endpoint settings.
pub(crate) fn mock_admin(config: &CloudConfig) -> CloudConfig {
    let mut config = config.clone();
    config.auth.username = Some("admin".to_string());
    config.auth.user_id = None;
    config.auth.password = Some(mock_cloud::seed::ADMIN_PASSWORD.into());
    config.auth.project_name = Some("admin".to_string());
    config.auth.project_id = None;
    config
}

impl TestCloud {
    /// The credentials of a `role` user on this target (see the module docs), or `None` (and
    /// a `SKIPPED` line naming what to set) when the target offers none.
    pub async fn credentials(&self, role: Role) -> Option<CloudConfig> {
        let found = match self.target {
            Target::InProcessMock | Target::MockBinary => Some(match role {
                Role::Admin => mock_admin(&self.config),
                Role::Member => self.config.clone(),
            }),
            Target::Cloud => match named_cloud(role.variable()) {
                Some(config) => Some(config),
                None => {
                    let admin = holds_admin_role(&self.config).await;
                    (admin == (role == Role::Admin)).then(|| self.config.clone())
                }
            },
        };
        if found.is_none() {
            skip_notice(&role.missing());
        }
        found
    }

    /// A compute client logged in as an admin of this target (the mock's seeded `admin`,
    /// `NOVA_TEST_ADMIN_CLOUD`, or the configured user when it is an admin); `None` (and a
    /// `SKIPPED` line) when there is none.
    pub async fn admin_compute(
        &self,
        version: &str,
    ) -> Option<Box<dyn nova_core::compute::ComputeClient>> {
        let config = self.credentials(Role::Admin).await?;
        Some(self.compute_as(&config, version).await)
    }

    /// This target again, acting as a non-admin user (the mock's `demo`,
    /// `NOVA_TEST_MEMBER_CLOUD`, or the configured user when it is no admin), for a test
    /// that checks what Nova refuses or hides from users; `None` (and a `SKIPPED` line) when
    /// the target has no such user.
    pub async fn as_member(mut self) -> Option<TestCloud> {
        let config = self.credentials(Role::Member).await?;
        self.config = config;
        Some(self)
    }
}
