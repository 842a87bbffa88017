//! Boot a server and wait until it is ACTIVE.
//!
//! Credentials come from `OS_CLOUD` (clouds.yaml) or the `OS_*` variables, as with the
//! `openstack` CLI. Arguments: `[name] [flavor] [image]` (defaults: `demo-1`, `m1.tiny`,
//! `cirros-0.6.2`'s id on mock-cloud).
//!
//! ```text
//! cargo run -p mock-cloud &          # or point OS_* at a real cloud
//! OS_AUTH_URL=http://127.0.0.1:PORT/identity/v3 OS_USERNAME=demo OS_PASSWORD=demo-password \
//! OS_PROJECT_NAME=demo OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default \
//!     cargo run -p nova-v2 --example boot -- web-1 m1.small
//! ```

use std::sync::Arc;
use std::time::Duration;

use keystone_auth::CloudConfig;
use nova_core::{Client, Requested};
use nova_v2::{CreateServer, Networks, ServerStatus, ServerWaitExt, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "demo-1".to_owned());
    let flavor = args.next().unwrap_or_else(|| "m1.tiny".to_owned());
    let image = args
        .next()
        .unwrap_or_else(|| "70a599e0-31e7-49b7-b260-868f441e862b".to_owned());

    let cloud = CloudConfig::from_env()?;
    let session = cloud.session_builder()?.app_name("nova-v2-boot").build()?;
    let compute = cloud.adapter_with(&session, "compute");
    let client = Client::negotiate(Requested::Latest, Arc::new(compute)).await?;
    println!("compute API {}", client.microversion());

    let flavor = client.flavors().find(&flavor).await?.value;
    let request = CreateServer::new(name, flavor.id)
        .image(image)
        .networks(Networks::Auto);
    let created = client.servers().create(&request).await?;
    let server = &created.value;
    println!(
        "created {} (request {})",
        server.id,
        created.request_id.as_deref().unwrap_or("-")
    );

    let options = WaitOptions::new()
        .timeout(Duration::from_secs(600))
        .on_progress(|p| {
            println!(
                "  {} task={} progress={}",
                p.status,
                p.task_state.as_ref().map_or("-", |t| t.as_str()),
                p.progress.map_or("-".to_owned(), |n| format!("{n}%"))
            );
        });
    let active = client
        .servers()
        .wait_for_status(&server.id, ServerStatus::Active, &options)
        .await?;
    println!("{} is {}", active.name, active.status);
    Ok(())
}
