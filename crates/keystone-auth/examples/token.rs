//! Authenticates from the `OS_*` environment (or `OS_CLOUD` + clouds.yaml)
//! and prints the catalog's compute endpoint. Never prints the token.
//!
//! ```sh
//! OS_AUTH_URL=http://127.0.0.1:PORT/identity/v3 OS_USERNAME=demo OS_PASSWORD=demo-password \
//! OS_USER_DOMAIN_NAME=Default OS_PROJECT_NAME=demo OS_PROJECT_DOMAIN_NAME=Default \
//! cargo run -p keystone-auth --example token
//! ```

use keystone_auth::{Adapter, CloudConfig};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    // RUST_LOG=keystone_auth=debug shows the requests, with secrets masked.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> keystone_auth::Result<()> {
    let config = CloudConfig::from_env()?;
    let session = config
        .session_builder()?
        .app_name("token-example")
        .build()?;
    let access = session.access_info().await?;
    if let Some(user) = &access.user {
        println!(
            "user:     {} ({})",
            user.name.as_deref().unwrap_or("?"),
            user.id
        );
    }
    if let Some(project) = &access.project {
        println!(
            "project:  {} ({})",
            project.name.as_deref().unwrap_or("?"),
            project.id
        );
    }
    if let Some(expires) = access.expires_at {
        println!("expires:  {expires}");
    }
    let compute = Adapter::new(session, config.endpoint_filter("compute"));
    println!("compute:  {}", compute.endpoint().await?);
    Ok(())
}
