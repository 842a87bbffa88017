//! Nothing secret reaches a log: the suite's main flows (password,
//! application-credential and token authentication, re-authentication after
//! the token expires, flavors, keypairs, server create with and without an
//! admin password, get, list, delete, failures) run with every log at trace
//! level, the mock's own logs included; the captured output, plus the Display
//! and Debug of every value and error the flows produced, contains none of
//! the passwords, tokens, application credential secrets or `adminPass`
//! values used.

use std::fmt::Debug;

use keystone_auth::{ApplicationCredential, Session, Token};
use nova_core::types::{CreateKeypair, ServerQuery};
use secrecy::ExposeSecret;

use crate::reliability_support::{Rig, create_request};
use crate::reliability_trust::capture_trace;

/// Secrets to look for, and the Debug/Display of what the flows produced.
#[derive(Default)]
struct Evidence {
    secrets: Vec<(String, String)>,
    shown: Vec<String>,
}

impl Evidence {
    fn secret(&mut self, what: &str, value: impl Into<String>) {
        let value = value.into();
        assert!(value.len() >= 8, "{what} is long enough to search for");
        self.secrets.push((what.to_string(), value));
    }

    async fn tokens_of(&mut self, session: &Session, what: &str) {
        let access = session.access_info().await.expect("authenticated");
        self.secret(what, access.token().expose_secret());
        self.show(&access);
        self.show(session);
    }

    fn show(&mut self, value: &dyn Debug) {
        self.shown.push(format!("{value:?}"));
    }

    fn show_error(&mut self, error: &(dyn std::error::Error + 'static)) {
        self.shown.push(format!(
            "{error} | {error:?} | {}",
            crate::fault_matrix::error_chain(error)
        ));
    }
}

#[tokio::test]
async fn no_secret_appears_in_trace_logs_debug_output_or_errors() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let (captured, guard) = capture_trace();
    let mut evidence = Evidence::default();
    evidence.secret("the demo password", mock_cloud::seed::DEMO_PASSWORD);
    evidence.secret(
        "the application credential secret",
        mock_cloud::seed::DEMO_APPCRED_SECRET,
    );
    let auth_url = rig.cloud.config().auth.auth_url.clone().expect("auth url");

    // Password: flavors, keypairs, servers.
    let session = rig.session();
    evidence.tokens_of(&session, "the password token").await;
    let compute = rig.compute_over(session.clone());
    evidence.show(
        &compute
            .flavors()
            .list_detail(&Default::default())
            .await
            .expect("flavors"),
    );
    let keypair = compute
        .keypairs()
        .create(&CreateKeypair::new("leak-test-key"))
        .await
        .expect("keypair");
    evidence.show(&keypair);
    let admin_pass = "Adm1nPass-leak-check-4c7e";
    evidence.secret("the adminPass we chose", admin_pass);
    let request = create_request("leak-chosen").admin_pass(admin_pass);
    evidence.show(&request);
    let created = compute
        .servers()
        .create(&request)
        .await
        .expect("create with adminPass");
    evidence.show(&created);
    let created_generated = compute
        .servers()
        .create(&create_request("leak-generated"))
        .await
        .expect("create");
    evidence.show(&created_generated);
    let mut ids = Vec::new();
    for result in [&created.value, &created_generated.value] {
        if let Some(pass) = &result.admin_pass {
            evidence.secret("an adminPass the server returned", pass.expose_secret());
        }
        ids.push(result.id.clone());
    }
    for id in &ids {
        evidence.show(&compute.servers().get(id).await.expect("get"));
    }
    evidence.show(
        &compute
            .servers()
            .list(&ServerQuery::default())
            .await
            .expect("list"),
    );

    // The token expires early: re-authentication, and the new token.
    rig.powers.expire_tokens().await;
    evidence.show(
        &compute
            .servers()
            .list(&ServerQuery::default())
            .await
            .expect("list after re-authentication"),
    );
    evidence.tokens_of(&session, "the renewed token").await;
    let old_token = evidence.secrets[2].1.clone();

    // Application credential.
    let appcred = Session::builder(ApplicationCredential::by_id(
        &auth_url,
        mock_cloud::seed::DEMO_APPCRED_ID,
        mock_cloud::seed::DEMO_APPCRED_SECRET,
    ))
    .build()
    .expect("appcred session");
    evidence
        .tokens_of(&appcred, "the application credential token")
        .await;
    evidence.show(
        &rig.compute_over(appcred)
            .servers()
            .list(&ServerQuery::default())
            .await
            .expect("list with an application credential"),
    );

    // Token authentication from an existing token (rescoping).
    let current = session
        .access_info()
        .await
        .expect("auth")
        .token()
        .expose_secret()
        .to_string();
    let rescoped = Session::builder(Token::new(&auth_url, current).scope(
        keystone_auth::Scope::project_name("demo", keystone_auth::DomainRef::name("Default")),
    ))
    .build()
    .expect("token session");
    evidence.tokens_of(&rescoped, "the rescoped token").await;

    // Failures: a wrong password, a revoked token, a refused request.
    let mut wrong = rig.cloud.config().clone();
    let wrong_password = "wrong-Passw0rd-leak-5b1d";
    evidence.secret("a wrong password", wrong_password);
    wrong.auth.password = Some(secrecy::SecretString::from(wrong_password));
    let error = wrong
        .session_builder()
        .expect("plugin")
        .build()
        .expect("session")
        .access_info()
        .await
        .expect_err("wrong password");
    evidence.show_error(&error);
    let stale = Session::builder(Token::new(&auth_url, old_token))
        .build()
        .expect("stale token session");
    if let Err(error) = stale.access_info().await {
        evidence.show_error(&error);
    }
    let error = compute
        .servers()
        .create(
            &create_request("bad")
                .admin_pass(admin_pass)
                .key_name("no-such-key"),
        )
        .await
        .expect_err("unknown keypair");
    evidence.show_error(&error);
    for id in &ids {
        compute.servers().delete(id).await.expect("delete");
    }
    drop(guard);
    // Every token the mock issued during the flows (fetched after the
    // capture: the control API's own answer lists them).
    for token in rig.powers.issued_tokens().await {
        evidence.secret("a token the mock issued", token);
    }

    let logs = captured.text();
    assert!(
        logs.contains("REQ:") && logs.contains("RESP BODY"),
        "the capture holds the HTTP debug and trace lines"
    );
    assert!(
        logs.to_lowercase().contains("x-auth-token: {sha256}"),
        "tokens are logged as hashes"
    );
    let everything = format!("{logs}\n{}", evidence.shown.join("\n"));
    for (what, secret) in &evidence.secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "{what} leaked into the logs or Debug output"
        );
    }
    println!(
        "leak check: {} secrets, {} KiB of trace logs and Debug output, none found",
        evidence.secrets.len(),
        everything.len() / 1024
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nova_cli_with_debug_prints_no_secret() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let Some(nova) = nova_binary() else {
        eprintln!(
            "SKIPPED the_nova_cli_with_debug_prints_no_secret: the `nova` binary is not built \
             (cargo test --workspace builds it)"
        );
        return;
    };
    let auth_url = rig.cloud.config().auth.auth_url.clone().expect("auth url");
    let admin_pass = "Cli-Adm1nPass-leak-8d2a";
    let home = tempfile::tempdir().expect("home");
    let runs: Vec<Vec<String>> = [
        vec!["flavor-list"],
        vec!["list"],
        vec![
            "boot",
            "--flavor",
            "m1.tiny",
            "--image",
            "cirros-0.6.2",
            "--nic",
            "auto",
            "--admin-pass",
            admin_pass,
            "leak-cli",
        ],
        vec!["show", "leak-cli"],
        vec!["list", "--name", "leak"],
        vec!["delete", "leak-cli"],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(str::to_string).collect())
    .collect();
    let mut output = String::new();
    let mut list_ok = false;
    for args in runs {
        let nova = nova.clone();
        let env = integration_tests::mock_env(&auth_url);
        let home = home.path().to_path_buf();
        let args2 = args.clone();
        let result = tokio::task::spawn_blocking(move || {
            std::process::Command::new(nova)
                .arg("--debug")
                .args(&args2)
                .env_clear()
                .envs(env)
                .env("HOME", home)
                .env("RUST_LOG", "trace")
                .output()
        })
        .await
        .expect("task")
        .expect("nova runs");
        if args == ["list"] {
            list_ok = result.status.success();
        }
        let stdout = String::from_utf8_lossy(&result.stdout);
        // `nova boot` prints the server's adminPass in its result table, as
        // novaclient does (the only place a generated password is shown);
        // every other line, and all of the debug log on stderr, must not.
        let stdout: Vec<&str> = stdout
            .lines()
            .filter(|line| !(args[0] == "boot" && line.starts_with("| adminPass ")))
            .collect();
        output.push_str(&format!(
            "$ nova --debug {}\n{}\n{}",
            args[0],
            stdout.join("\n"),
            String::from_utf8_lossy(&result.stderr)
        ));
    }
    assert!(list_ok, "`nova list` works against the mock:\n{output}");
    assert!(output.contains("REQ:"), "--debug shows requests:\n{output}");
    let mut secrets = vec![
        ("the password", mock_cloud::seed::DEMO_PASSWORD.to_string()),
        ("the adminPass", admin_pass.to_string()),
    ];
    for token in rig.powers.issued_tokens().await {
        secrets.push(("a token", token));
    }
    assert!(secrets.len() > 2, "the CLI authenticated");
    for (what, secret) in &secrets {
        let lines: Vec<&str> = output
            .lines()
            .filter(|line| line.contains(secret.as_str()))
            .collect();
        assert!(
            lines.is_empty(),
            "{what} appears in `nova --debug` output: {lines:#?}"
        );
    }
}

/// `target/<profile>/nova`, next to this test binary's `deps/` directory.
fn nova_binary() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let nova = profile_dir.join(format!("nova{}", std::env::consts::EXE_SUFFIX));
    nova.is_file().then_some(nova)
}
