//! Auth methods beyond the password, against the target: TOTP, multi-factor
//! rules with auth receipts, OAuth2 client credentials, and application
//! credentials with access rules.
//!
//! On mock-cloud the seed's user `mfa` and application credential
//! `demo-appcred` serve. On another cloud (the real Keystone of
//! `cargo xtask conformance`) the admin creates the user as an operator would
//! (a password, a `totp` credential, `options.multi_factor_auth_rules`) and
//! the member creates its own application credentials; both are deleted at
//! the end. Each test prints `EXERCISED auth method: ...` lines, which
//! `cargo xtask conformance` collects into its summary.

use integration_tests::{Role, TestCloud, skip_notice};
use keystone_auth::{
    Adapter, ApplicationCredential, DomainRef, EndpointFilter, Error, Factor, MultiFactor,
    OAuth2ClientCredential, Password, Request, Scope, Session, Totp, UserRef,
};
use keystone_auth::{HeaderMap, Method, StatusCode};
use mock_cloud::keystone::totp;
use mock_cloud::{MockConfig, seed};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

/// Held by each test of this file for its whole run: they create users, credentials and
/// application credentials for the same member, and the real Keystone (on SQLite) has been
/// seen to refuse an application credential created while another one was being created.
static IDENTITY_WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The marker `cargo xtask conformance` looks for.
fn exercised(cloud: &TestCloud, method: &str) {
    println!("EXERCISED auth method: {method} ({})", cloud.name());
}

/// A mock seed that also has user `mfa`.
fn mfa_config() -> MockConfig {
    let mut config = MockConfig::default();
    seed::add_mfa_user(&mut config.keystone);
    config
}

/// `.../v3` of an auth URL.
fn identity_base(auth_url: &str) -> String {
    let trimmed = auth_url.trim_end_matches('/');
    if trimmed.ends_with("/v3") {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/v3")
    }
}

/// Identity API calls through a session.
struct Identity {
    session: Session,
    base: String,
}

impl Identity {
    fn new(session: Session, auth_url: &str) -> Self {
        Self {
            session,
            base: identity_base(auth_url),
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = Request::new(method.clone(), format!("{}{path}", self.base));
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = self
            .session
            .send(request)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        (response.status, value)
    }

    async fn expect(&self, method: Method, path: &str, body: Option<Value>, want: u16) -> Value {
        let (status, value) = self.call(method.clone(), path, body).await;
        assert_eq!(status.as_u16(), want, "{method} {path}: {value}");
        value
    }
}

fn auth_url(cloud: &TestCloud) -> String {
    cloud
        .config()
        .auth
        .auth_url
        .clone()
        .expect("the target has an auth URL")
}

fn project_name(cloud: &TestCloud) -> String {
    cloud
        .config()
        .auth
        .project_name
        .clone()
        .unwrap_or_else(|| "demo".into())
}

/// A user whose rule is `[password, totp]`, with its totp secret.
struct MfaUser {
    auth_url: String,
    name: String,
    password: String,
    secret: String,
    project: String,
    /// The admin's identity API and the user's id, on a cloud where the test created it.
    created: Option<(Identity, String)>,
}

impl MfaUser {
    async fn on(cloud: &TestCloud) -> Option<MfaUser> {
        let auth_url = auth_url(cloud);
        if cloud.mock().is_some() {
            return Some(MfaUser {
                auth_url,
                name: "mfa".into(),
                password: seed::MFA_PASSWORD.into(),
                secret: seed::MFA_TOTP_SECRET.into(),
                project: "demo".into(),
                created: None,
            });
        }
        let admin = cloud.credentials(Role::Admin).await?;
        let admin = Identity::new(
            admin
                .session_builder()
                .expect("admin plugin")
                .build()
                .expect("admin session"),
            &auth_url,
        );
        let project = project_name(cloud);
        let projects = admin
            .expect(Method::GET, &format!("/projects?name={project}"), None, 200)
            .await;
        let project_id = projects["projects"][0]["id"]
            .as_str()
            .expect("the member's project")
            .to_owned();
        let roles = admin
            .expect(Method::GET, "/roles?name=member", None, 200)
            .await;
        let role_id = roles["roles"][0]["id"]
            .as_str()
            .expect("role member")
            .to_owned();
        let name = format!("mfa-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let password = uuid::Uuid::new_v4().simple().to_string();
        let user = admin
            .expect(
                Method::POST,
                "/users",
                Some(json!({"user": {
                    "name": name, "domain_id": "default", "password": password,
                    "options": {
                        "multi_factor_auth_rules": [["password", "totp"]],
                        "multi_factor_auth_enabled": true,
                    },
                }})),
                201,
            )
            .await;
        let user_id = user["user"]["id"].as_str().expect("user id").to_owned();
        admin
            .expect(
                Method::PUT,
                &format!("/projects/{project_id}/users/{user_id}/roles/{role_id}"),
                None,
                204,
            )
            .await;
        admin
            .expect(
                Method::POST,
                "/credentials",
                Some(json!({"credential": {
                    "type": "totp", "user_id": user_id, "blob": seed::MFA_TOTP_SECRET,
                }})),
                201,
            )
            .await;
        Some(MfaUser {
            auth_url,
            name,
            password,
            secret: seed::MFA_TOTP_SECRET.into(),
            project,
            created: Some((admin, user_id)),
        })
    }

    fn user(&self) -> UserRef {
        UserRef::name_in_domain(&self.name, DomainRef::name("Default"))
    }

    fn scope(&self) -> Scope {
        Scope::project_name(&self.project, DomainRef::name("Default"))
    }

    /// The passcode the user's authenticator shows now (the mock's clock is
    /// real time unless a test moves it; none here does).
    fn passcode(&self) -> String {
        totp::passcode(&self.secret, chrono::Utc::now()).expect("base32 secret")
    }

    fn wrong_passcode(&self) -> String {
        let now = chrono::Utc::now();
        ["000000", "111111", "222222"]
            .into_iter()
            .find(|c| !totp::verify(&self.secret, c, now))
            .expect("three codes cannot all be valid")
            .to_owned()
    }

    async fn delete(self) {
        if let Some((admin, id)) = self.created {
            admin
                .expect(Method::DELETE, &format!("/users/{id}"), None, 204)
                .await;
        }
    }
}

fn session(plugin: impl keystone_auth::AuthPlugin + 'static) -> Session {
    Session::builder(plugin)
        .app_name("integration-tests")
        .build()
        .expect("session builds")
}

/// GET `path` on the compute endpoint of `session`'s catalog: the status.
async fn compute_get(session: Session, path: &str) -> StatusCode {
    let compute = Adapter::new(session, EndpointFilter::new("compute"));
    compute
        .send(Method::GET, path, HeaderMap::new(), None)
        .await
        .expect("compute answers")
        .status
}

#[tokio::test]
async fn multi_factor_rules_answer_with_a_receipt_that_totp_completes() {
    let _serial = IDENTITY_WRITES.lock().await;
    let cloud = TestCloud::start_or_mock(mfa_config()).await;
    let Some(user) = MfaUser::on(&cloud).await else {
        return;
    };

    // the password alone: Keystone's 401 with a receipt naming the missing totp
    let first = Password::new(&user.auth_url, user.user(), &user.password).scope(user.scope());
    let err = session(first).access_info().await.unwrap_err();
    let Error::AuthReceiptRequired(receipt) = err else {
        panic!("expected an auth receipt, got {err:?}");
    };
    assert_eq!(receipt.methods, ["password"]);
    assert_eq!(receipt.missing_methods(), ["totp"]);
    assert!(
        receipt
            .required_auth_methods
            .iter()
            .any(|rule| rule.contains(&"totp".to_string()) && rule.contains(&"password".into())),
        "{:?}",
        receipt.required_auth_methods
    );
    exercised(&cloud, "password under multi-factor rules -> auth receipt");

    // the receipt plus the totp factor: a token carrying both methods, and Nova accepts it
    let second = MultiFactor::new(&user.auth_url)
        .factor(Factor::totp(user.user(), user.passcode()))
        .scope(user.scope())
        .receipt(*receipt);
    let s = session(second);
    let access = s.access_info().await.expect("receipt + totp give a token");
    let mut methods = access.methods.clone();
    methods.sort();
    assert_eq!(methods, ["password", "totp"]);
    assert_eq!(compute_get(s, "flavors").await, StatusCode::OK);
    exercised(&cloud, "v3multifactor: auth receipt + totp");

    // both factors in one request
    let both = MultiFactor::new(&user.auth_url)
        .factor(Factor::password(user.user(), &user.password))
        .factor(Factor::totp(user.user(), user.passcode()))
        .scope(user.scope());
    let access = session(both).access_info().await.expect("password + totp");
    assert_eq!(access.methods.len(), 2, "{:?}", access.methods);
    exercised(&cloud, "v3multifactor: password + totp");

    // totp alone: a receipt naming the password
    let alone = Totp::new(&user.auth_url, user.user(), user.passcode()).scope(user.scope());
    let err = session(alone).access_info().await.unwrap_err();
    let Error::AuthReceiptRequired(receipt) = err else {
        panic!("expected an auth receipt, got {err:?}");
    };
    assert_eq!(receipt.missing_methods(), ["password"]);
    exercised(&cloud, "v3totp (receipt naming the password)");

    // a wrong passcode: a plain 401, no receipt, the passcode nowhere in the error
    let wrong = user.wrong_passcode();
    let bad = MultiFactor::new(&user.auth_url)
        .factor(Factor::password(user.user(), &user.password))
        .factor(Factor::totp(user.user(), &wrong))
        .scope(user.scope());
    let err = session(bad).access_info().await.unwrap_err();
    assert!(!matches!(err, Error::AuthReceiptRequired(_)), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED), "{err}");
    assert!(!format!("{err} {err:?}").contains(&wrong));

    user.delete().await;
}

/// An application credential of the configured user: the mock's seeded one,
/// or one the member creates (with `access_rules` when given); the identity
/// API and the path that deletes it, when created.
async fn app_credential(
    cloud: &TestCloud,
    access_rules: Option<Value>,
) -> (String, String, Option<(Identity, String)>) {
    if cloud.mock().is_some() {
        return (
            seed::DEMO_APPCRED_ID.into(),
            seed::DEMO_APPCRED_SECRET.into(),
            None,
        );
    }
    let member = cloud.session();
    let user_id = member
        .access_info()
        .await
        .expect("member token")
        .user
        .as_ref()
        .expect("token user")
        .id
        .clone();
    let identity = Identity::new(member, &auth_url(cloud));
    // The role named explicitly: without it Keystone copies every role of the token,
    // implied ones included, and refuses one the user holds only by implication.
    let mut body = json!({"application_credential": {
        "name": format!("conformance-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
        "roles": [{"name": "member"}],
    }});
    if let Some(rules) = access_rules {
        body["application_credential"]["access_rules"] = rules;
    }
    let created = identity
        .expect(
            Method::POST,
            &format!("/users/{user_id}/application_credentials"),
            Some(body),
            201,
        )
        .await;
    let id = created["application_credential"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let secret = created["application_credential"]["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let path = format!("/users/{user_id}/application_credentials/{id}");
    (id, secret, Some((identity, path)))
}

#[tokio::test]
async fn oauth2_client_credentials_give_an_access_token_keystone_and_nova_accept() {
    let _serial = IDENTITY_WRITES.lock().await;
    let cloud = TestCloud::start().await;
    let auth_url = auth_url(&cloud);
    let (id, secret, created) = app_credential(&cloud, None).await;

    let s = session(OAuth2ClientCredential::new(&auth_url, &id, &secret));
    let access = s.access_info().await.expect("client credentials grant");
    let bearer = access
        .bearer()
        .expect("an OAuth2 access token")
        .expose_secret()
        .to_owned();
    assert_eq!(compute_get(s, "flavors").await, StatusCode::OK);

    // the access token is a Keystone token: it validates as X-Subject-Token
    let checker = Identity::new(cloud.session(), &auth_url);
    let (status, body) = {
        let request = Request::new(Method::GET, format!("{}/auth/tokens", checker.base))
            .header("X-Subject-Token", bearer.as_str());
        let response = checker.session.send(request).await.expect("validate");
        (
            response.status,
            serde_json::from_slice::<Value>(&response.body).unwrap_or(Value::Null),
        )
    };
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["token"]["methods"]
            .as_array()
            .is_some_and(|m| m.contains(&json!("application_credential"))),
        "{body}"
    );
    exercised(&cloud, "v3oauth2clientcredential");

    // a wrong client secret: 401, the secret nowhere in the error
    let err = session(OAuth2ClientCredential::new(
        &auth_url,
        &id,
        "wrong-client-secret-9f2c",
    ))
    .access_info()
    .await
    .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED), "{err}");
    assert!(!format!("{err} {err:?}").contains("wrong-client-secret-9f2c"));

    if let Some((identity, path)) = created {
        identity.expect(Method::DELETE, &path, None, 204).await;
    }
}

#[tokio::test]
async fn application_credential_access_rules_limit_its_tokens() {
    let _serial = IDENTITY_WRITES.lock().await;
    let cloud = TestCloud::start().await;
    if cloud.mock().is_some() {
        skip_notice(
            "real-cloud only: mock-cloud neither creates application credentials nor enforces access rules",
        );
        return;
    }
    let rules = json!([{"service": "compute", "method": "GET", "path": "/v2.1/flavors"}]);
    let (id, secret, created) = app_credential(&cloud, Some(rules)).await;
    let s = session(ApplicationCredential::by_id(auth_url(&cloud), &id, &secret));
    let access = s.access_info().await.expect("application credential token");
    let info = access
        .application_credential
        .as_ref()
        .expect("the token names its application credential");
    assert_eq!(info.access_rules.len(), 1, "{:?}", info.access_rules);
    assert_eq!(info.access_rules[0].path, "/v2.1/flavors");
    assert_eq!(compute_get(s.clone(), "flavors").await, StatusCode::OK);
    assert_eq!(
        compute_get(s, "os-keypairs").await,
        StatusCode::UNAUTHORIZED,
        "keystonemiddleware refuses a call outside the access rules"
    );
    exercised(&cloud, "v3applicationcredential with access rules");
    if let Some((identity, path)) = created {
        identity.expect(Method::DELETE, &path, None, 204).await;
    }
}
