//! `cargo xtask demo`: boot a server through the whole stack against an
//! embedded mock cloud, printing each layer as the request passes it.
//!
//! The steps are the ones the dashboard's Launch Instance takes through
//! python-novaclient and keystoneauth, done with this workspace's public crates.

use std::sync::Arc;
use std::time::Duration;

use keystone_auth::{
    Adapter, DomainRef, EndpointFilter, Interface, Password, Scope, Session, UserRef,
};
use mock_cloud::{MockCloud, MockConfig};
use nova_core::{Client, Registry, Requested, Transport};
use nova_v2::{CreateServer, Networks, ServerStatus, ServerWaitExt, WaitOptions};
use secrecy::ExposeSecret;

/// Entry point: no arguments.
pub fn run(args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err("usage: cargo xtask demo".to_string());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    runtime.block_on(boot_one_server())
}

fn layer(number: u32, title: &str) {
    println!();
    println!("[{number}] {title}");
}

async fn boot_one_server() -> Result<(), String> {
    layer(0, "mock-cloud: Keystone v3 + Nova v2.1 on a loopback port");
    let cloud = MockCloud::start(MockConfig::default())
        .await
        .map_err(|error| format!("mock-cloud did not start: {error}"))?;
    println!("    identity  {}", cloud.auth_url());
    println!("    compute   {}", cloud.compute_url());

    layer(1, "keystone-auth: the Password plugin obtains a token");
    let plugin = Password::new(
        cloud.auth_url(),
        UserRef::name_in_domain("demo", DomainRef::name("Default")),
        mock_cloud::seed::DEMO_PASSWORD,
    )
    .scope(Scope::project_name("demo", DomainRef::name("Default")));
    println!("    user demo in domain Default, password ***, scope project demo in domain Default");
    let session = Session::builder(plugin)
        .app_name("xtask-demo")
        .build()
        .map_err(|error| format!("session: {error}"))?;
    let access = session
        .access_info()
        .await
        .map_err(|error| format!("authentication failed: {error}"))?;
    println!(
        "    POST {}/auth/tokens -> 201, X-Subject-Token (never printed)",
        cloud.auth_url()
    );
    let token_hash = keystone_auth::redact::hash_token(access.token().expose_secret());
    println!("    token {token_hash} (logged only as its digest)");
    println!(
        "    user {} / project {} / roles {} / expires {}",
        access
            .user
            .as_ref()
            .and_then(|user| user.name.as_deref())
            .unwrap_or("-"),
        access
            .project
            .as_ref()
            .and_then(|project| project.name.as_deref())
            .unwrap_or("-"),
        access.role_names().join(","),
        access
            .expires_at
            .map(|time| time.to_rfc3339())
            .unwrap_or_else(|| "-".into())
    );

    layer(
        2,
        "service catalog: EndpointFilter selects the compute endpoint",
    );
    let filter = EndpointFilter::new("compute")
        .interfaces(vec![Interface::Public, Interface::Internal])
        .region("RegionOne");
    for service in access.catalog.services() {
        println!(
            "    catalog offers {:<10} ({} endpoints)",
            service.service_type,
            service.endpoints.len()
        );
    }
    let endpoint = session
        .endpoint_for(&filter)
        .await
        .map_err(|error| format!("catalog lookup failed: {error}"))?;
    println!(
        "    EndpointFilter {{ service_type: compute, interfaces: [public, internal], region: RegionOne }}"
    );
    println!("    -> {endpoint}");
    let adapter = Adapter::new(session.clone(), filter);

    layer(
        3,
        "nova-core: the version document and the negotiated microversion",
    );
    let versions = nova_core::discover(&adapter)
        .await
        .map_err(|error| format!("version discovery failed: {error}"))?;
    let server_range = versions
        .range
        .ok_or_else(|| "the compute service reports no microversions".to_string())?;
    println!(
        "    GET {} -> {} {:?}, microversions {} to {}",
        versions.document_url,
        versions.document.id,
        versions.document.status,
        server_range.min,
        server_range.max
    );

    layer(4, "nova-core registry: the major-version client is chosen");
    let registry = Registry::global();
    for registration in registry.registrations() {
        println!(
            "    registered: major {} -> {} ({} to {})",
            registration.major, registration.name, registration.min, registration.max
        );
    }
    let (registration, version) = Client::resolve(Requested::Latest, registry, &versions)
        .map_err(|error| format!("negotiation failed: {error}"))?;
    println!(
        "    requested latest: client [{}, {}] with server [{}, {}] -> {} via {}",
        registration.min,
        registration.max,
        server_range.min,
        server_range.max,
        version,
        registration.name
    );
    let transport: Arc<dyn Transport> = Arc::new(adapter);
    let compute = Client::from_discovered(Requested::Latest, transport, registry, &versions)
        .map_err(|error| format!("client: {error}"))?;
    println!(
        "    every request now carries OpenStack-API-Version: compute {v} and X-OpenStack-Nova-API-Version: {v}",
        v = compute.microversion()
    );

    layer(5, "nova-v2: Launch Instance builds the POST /servers body");
    let flavor = compute
        .flavors()
        .find("m1.small")
        .await
        .map_err(|error| format!("flavor lookup failed: {error}"))?
        .value;
    println!("    flavor m1.small -> id {}", flavor.id);
    let (image_id, image_name) = cloud
        .control()
        .state()
        .nova
        .images()
        .into_iter()
        .next()
        .ok_or_else(|| "the mock has no image".to_string())?;
    println!("    image {image_name} -> id {image_id} (Glance answers this in a real cloud)");
    let request = CreateServer::new("demo-server-1", flavor.id.clone())
        .image(image_id)
        .networks(Networks::Auto)
        .description("booted by cargo xtask demo")
        .metadata("launched-by", "nova-rs")
        .tag("demo")
        .admin_pass("s3cret-admin-pass")
        .hostname("demo-server-1");
    let mut body = nova_v2::body::create_server(&request);
    keystone_auth::redact::mask_json(&mut body);
    let pretty = serde_json::to_string_pretty(&body).unwrap_or_else(|_| body.to_string());
    println!("    POST {endpoint}/servers");
    for line in pretty.lines() {
        println!("      {line}");
    }
    let servers = compute.servers();
    let created = servers
        .create(&request)
        .await
        .map_err(|error| format!("create failed: {error}"))?;
    let server_id = created.value.id.clone();
    println!(
        "    -> {} Accepted, server {server_id}, request {}, microversion {}",
        created.status.as_u16(),
        created.request_id.as_deref().unwrap_or("-"),
        created.microversion
    );

    layer(
        6,
        "waiting for ACTIVE (the waiter polls GET /servers/{id} with backoff)",
    );
    let options = WaitOptions::new()
        .timeout(Duration::from_secs(60))
        .intervals(Duration::from_millis(200), Duration::from_secs(1))
        .on_progress(|progress| {
            println!(
                "    status {:<8} task_state {:<10} progress {}",
                progress.status.to_string(),
                progress
                    .task_state
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| "-".into()),
                progress
                    .progress
                    .map(|p| format!("{p}%"))
                    .unwrap_or_else(|| "-".into())
            );
        });
    let server = servers
        .wait_for_status(&server_id, ServerStatus::Active, &options)
        .await
        .map_err(|error| format!("the server did not become ACTIVE: {error}"))?;

    layer(7, "the ACTIVE server");
    println!("    id          {}", server.id);
    println!("    name        {}", server.name);
    println!("    status      {}", server.status);
    println!(
        "    flavor      {}",
        describe_flavor(server.flavor.as_ref())
    );
    println!(
        "    addresses   {}",
        serde_json::to_string(&server.addresses).unwrap_or_default()
    );
    println!(
        "    description {}",
        server.description.as_deref().unwrap_or("-")
    );
    if server.status != ServerStatus::Active {
        return Err(format!("the server ended {}", server.status));
    }
    println!();
    println!("demo: server {} is ACTIVE", server.id);
    cloud.shutdown();
    Ok(())
}

/// `m1.small (1 vCPU, 2048 MiB RAM, 20 GiB disk)` for an embedded flavor (2.47+),
/// the id otherwise.
fn describe_flavor(flavor: Option<&nova_v2::ServerFlavor>) -> String {
    match flavor {
        Some(nova_v2::ServerFlavor::Embedded(flavor)) => format!(
            "{} ({} vCPU, {} MiB RAM, {} GiB disk)",
            flavor.original_name.as_deref().unwrap_or("?"),
            flavor.vcpus.unwrap_or(0),
            flavor.ram.unwrap_or(0),
            flavor.disk.unwrap_or(0)
        ),
        Some(nova_v2::ServerFlavor::Reference { id, .. }) => format!("id {id}"),
        None => "-".to_string(),
    }
}
