//! Version negotiation, microversion headers and registry dispatch against mock-cloud over
//! real HTTP (keystone-auth session and adapter as the transport).

use std::sync::Arc;

use http::StatusCode;
use keystone_auth::{
    Adapter, DomainRef, EndpointFilter, Password, RetryPolicy, Scope, Session, UserRef,
};
use mock_cloud::{ApiVersion, MockCloud, MockConfig};
use nova_core::compute::ComputeClient;
use nova_core::{
    BodyKind, Client, ClientRegistration, Connection, Error, HttpRequest, HttpResponse,
    MicroVersion, MismatchPolicy, Requested, Transport, TransportError, discover, register_client,
};

/// A client implementation that exists only in this test binary.
#[derive(Debug)]
struct FakeClient {
    name: &'static str,
    conn: Connection,
}

impl ComputeClient for FakeClient {
    fn microversion(&self) -> MicroVersion {
        self.conn.microversion()
    }
    fn servers(&self) -> Arc<dyn nova_core::compute::ServerApi> {
        panic!("{} has no servers API", self.name)
    }
    fn flavors(&self) -> Arc<dyn nova_core::compute::FlavorApi> {
        panic!("{} has no flavors API", self.name)
    }
    fn keypairs(&self) -> Arc<dyn nova_core::compute::KeypairApi> {
        panic!("{} has no keypairs API", self.name)
    }
    fn limits(&self) -> Arc<dyn nova_core::compute::LimitsApi> {
        panic!("{} has no limits API", self.name)
    }
    fn availability_zones(&self) -> Arc<dyn nova_core::compute::AvailabilityZoneApi> {
        panic!("{} has no availability zones API", self.name)
    }
    fn server_groups(&self) -> Arc<dyn nova_core::compute::ServerGroupApi> {
        panic!("{} has no server groups API", self.name)
    }
    fn quotas(&self) -> Arc<dyn nova_core::compute::QuotaApi> {
        panic!("{} has no quotas API", self.name)
    }
    fn quota_classes(&self) -> Arc<dyn nova_core::compute::QuotaClassApi> {
        panic!("{} has no quota classes API", self.name)
    }
    fn flavor_admin(&self) -> Arc<dyn nova_core::compute::FlavorAdminApi> {
        panic!("{} has no flavor admin API", self.name)
    }
    fn user_keypairs(&self) -> Arc<dyn nova_core::compute::UserKeypairApi> {
        panic!("{} has no user keypairs API", self.name)
    }
    fn server_migrations(&self) -> Arc<dyn nova_core::compute::ServerMigrationApi> {
        panic!("{} has no server migrations API", self.name)
    }
    fn migrations(&self) -> Arc<dyn nova_core::compute::MigrationApi> {
        panic!("{} has no migrations API", self.name)
    }
    fn server_interfaces(&self) -> Arc<dyn nova_core::compute::ServerInterfaceApi> {
        panic!("{} has no server interfaces API", self.name)
    }
    fn server_volumes(&self) -> Arc<dyn nova_core::compute::ServerVolumeApi> {
        panic!("{} has no server volumes API", self.name)
    }
    fn consoles(&self) -> Arc<dyn nova_core::compute::ConsoleApi> {
        panic!("{} has no consoles API", self.name)
    }
    fn instance_actions(&self) -> Arc<dyn nova_core::compute::InstanceActionApi> {
        panic!("{} has no instance actions API", self.name)
    }
    fn server_diagnostics(&self) -> Arc<dyn nova_core::compute::ServerDiagnosticsApi> {
        panic!("{} has no server diagnostics API", self.name)
    }
    fn hypervisors(&self) -> Arc<dyn nova_core::compute::HypervisorApi> {
        panic!("{} has no hypervisors API", self.name)
    }
    fn services(&self) -> Arc<dyn nova_core::compute::ServiceApi> {
        panic!("{} has no services API", self.name)
    }
    fn aggregates(&self) -> Arc<dyn nova_core::compute::AggregateApi> {
        panic!("{} has no aggregates API", self.name)
    }
    fn usage(&self) -> Arc<dyn nova_core::compute::UsageApi> {
        panic!("{} has no usage API", self.name)
    }
    fn usage_audit_logs(&self) -> Arc<dyn nova_core::compute::InstanceUsageAuditLogApi> {
        panic!("{} has no usage audit log API", self.name)
    }
}

fn fake_v2(conn: Connection) -> Box<dyn ComputeClient> {
    Box::new(FakeClient {
        name: "fake-v2",
        conn,
    })
}

fn fake_v3(conn: Connection) -> Box<dyn ComputeClient> {
    Box::new(FakeClient {
        name: "fake-v3",
        conn,
    })
}

// Registered without editing nova-core and without depending on `inventory`.
register_client!(ClientRegistration {
    major: 2,
    min: MicroVersion::new(2, 1),
    max: MicroVersion::new(2, 104),
    name: "fake-v2",
    factory: fake_v2,
});
register_client!(ClientRegistration {
    major: 3,
    min: MicroVersion::new(3, 0),
    max: MicroVersion::new(3, 5),
    name: "fake-v3",
    factory: fake_v3,
});

async fn start(config: MockConfig) -> MockCloud {
    MockCloud::start(config)
        .await
        .unwrap_or_else(|e| panic!("mock-cloud: {e}"))
}

fn adapter(cloud: &MockCloud) -> Adapter {
    let plugin = Password::new(
        cloud.auth_url(),
        UserRef::name_in_domain("demo", DomainRef::name("Default")),
        "demo-password",
    )
    .scope(Scope::project_name("demo", DomainRef::name("Default")));
    // No retries: every request in these tests is seen exactly once by the mock.
    let session = Session::builder(plugin)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("session: {e}"));
    Adapter::new(session, EndpointFilter::new("compute"))
}

fn transport(cloud: &MockCloud) -> Arc<dyn Transport> {
    Arc::new(adapter(cloud))
}

#[tokio::test]
async fn latest_negotiates_to_2_104_by_default() {
    let cloud = start(MockConfig::default()).await;
    let t = transport(&cloud);
    let found = discover(t.as_ref()).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.endpoint, cloud.compute_url());
    let range = found.range.unwrap_or_else(|| panic!("no microversions"));
    assert_eq!(
        (range.min, range.max),
        (MicroVersion::new(2, 1), MicroVersion::new(2, 104))
    );

    let client = Client::negotiate(Requested::Latest, t.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(client.microversion(), MicroVersion::new(2, 104));
    assert!(format!("{client:?}").contains("fake-v2"));

    // The negotiated version is what the server answers with.
    let conn = Connection::new(t, client.microversion());
    let r = conn
        .get::<serde_json::Value>("servers")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.microversion, MicroVersion::new(2, 104));
    assert!(
        r.request_id
            .as_deref()
            .is_some_and(|id| id.starts_with("req-"))
    );
    assert_eq!(r.header("openstack-api-version"), Some("compute 2.104"));
    assert_eq!(r.header("x-openstack-nova-api-version"), Some("2.104"));
}

#[tokio::test]
async fn latest_negotiates_to_2_60_when_the_mock_stops_there() {
    let cloud = start(MockConfig::default().max_microversion(ApiVersion(2, 60))).await;
    let t = transport(&cloud);
    for requested in [Requested::Latest, Requested::MajorLatest(2)] {
        let client = Client::negotiate(requested, t.clone())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            client.microversion(),
            MicroVersion::new(2, 60),
            "{requested}"
        );
    }
    let client = Client::negotiate(Requested::Exact(MicroVersion::new(2, 53)), t.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(client.microversion(), MicroVersion::new(2, 53));
}

#[tokio::test]
async fn an_explicit_version_beyond_the_server_fails_before_any_compute_call() {
    let cloud = start(MockConfig::default().max_microversion(ApiVersion(2, 60))).await;
    let t = transport(&cloud);
    match Client::negotiate(Requested::Exact(MicroVersion::new(2, 61)), t).await {
        Err(e @ Error::VersionNotAvailable { .. }) => {
            assert!(!e.may_have_reached_server());
            assert_eq!(
                e.to_string(),
                "compute API version 2.61 is not available: the client supports 2.1 to 2.104, the server supports 2.1 to 2.60"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(cloud.count("GET /compute/v2.1/servers"), 0);
    assert_eq!(cloud.count("GET /compute/v2.1/servers/detail"), 0);
}

#[tokio::test]
async fn an_unsupported_version_sent_anyway_gets_novas_406() {
    let cloud = start(MockConfig::default()).await;
    let conn = Connection::new(transport(&cloud), MicroVersion::new(2, 200));
    match conn.get::<serde_json::Value>("servers").await {
        Err(e @ Error::NotAcceptable(_)) => {
            let fault = e.fault().unwrap_or_else(|| panic!("no fault"));
            assert_eq!(
                fault.message,
                "Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.104."
            );
            assert_eq!(fault.fault_name.as_deref(), Some("computeFault"));
            assert_eq!(e.status(), Some(StatusCode::NOT_ACCEPTABLE));
            assert!(e.request_id().is_some_and(|id| id.starts_with("req-")));
        }
        other => panic!("{other:?}"),
    }
}

/// Passes requests to mock-cloud and rewrites the echoed version, like a misbehaving proxy.
#[derive(Debug)]
struct RewriteEcho {
    inner: Adapter,
    echo: &'static str,
}

#[async_trait::async_trait]
impl Transport for RewriteEcho {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut response = Transport::send(&self.inner, request).await?;
        let std = http::HeaderValue::from_str(&format!("compute {}", self.echo));
        let legacy = http::HeaderValue::from_str(self.echo);
        if let (Ok(std), Ok(legacy)) = (std, legacy) {
            response.headers.insert("openstack-api-version", std);
            response
                .headers
                .insert("x-openstack-nova-api-version", legacy);
        }
        Ok(response)
    }

    async fn endpoint(&self) -> Result<String, TransportError> {
        Transport::endpoint(&self.inner).await
    }
}

#[tokio::test]
async fn the_echoed_version_is_checked() {
    let cloud = start(MockConfig::default()).await;
    let honest = Connection::new(transport(&cloud), MicroVersion::new(2, 60));
    let r = honest
        .get::<serde_json::Value>("servers")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.microversion, MicroVersion::new(2, 60));

    let lying: Arc<dyn Transport> = Arc::new(RewriteEcho {
        inner: adapter(&cloud),
        echo: "2.1",
    });
    let conn = Connection::new(lying, MicroVersion::new(2, 60));
    match conn.get::<serde_json::Value>("servers").await {
        Err(Error::MicroversionMismatch { sent, received }) => {
            assert_eq!((sent, received.as_str()), (MicroVersion::new(2, 60), "2.1"));
        }
        other => panic!("{other:?}"),
    }
    let r = conn
        .with_mismatch_policy(MismatchPolicy::Warn)
        .get::<serde_json::Value>("servers")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.microversion, MicroVersion::new(2, 1));
}

#[tokio::test]
async fn the_registry_dispatches_to_a_major_registered_outside_nova_core() {
    let cloud = start(MockConfig::default()).await;
    let t = transport(&cloud);
    let v3 = Client::new("3.2", t.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v3.microversion(), MicroVersion::new(3, 2));
    assert!(format!("{v3:?}").contains("fake-v3"), "{v3:?}");
    let v2 = Client::new("2.60", t.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert!(format!("{v2:?}").contains("fake-v2"), "{v2:?}");

    match Client::new("4.1", t.clone()) {
        Err(Error::UnknownMajor { major, registered }) => {
            assert_eq!((major, registered), (4, vec![2, 3]))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Client::new("3.latest", t.clone()),
        Err(Error::LatestNotResolved { .. })
    ));
    // The mock serves only 2.x, so negotiating 3.latest fails with all ranges named.
    match Client::negotiate(Requested::MajorLatest(3), t).await {
        Err(Error::VersionNotAvailable { client, server, .. }) => {
            assert_eq!(client.max, MicroVersion::new(3, 5));
            assert_eq!(server.map(|s| s.max), Some(MicroVersion::new(2, 104)));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_html_error_page_is_reported_as_such() {
    let cloud = start(MockConfig::default()).await;
    cloud
        .control()
        .add_fault(mock_cloud::Fault::status("GET /compute/v2.1/servers", 502).html());
    let conn = Connection::new(transport(&cloud), MicroVersion::new(2, 60));
    match conn.get::<serde_json::Value>("servers").await {
        Err(Error::Server(fault)) => {
            assert_eq!(cloud.count("GET /compute/v2.1/servers"), 1);
            assert_eq!(fault.status, StatusCode::BAD_GATEWAY);
            assert_eq!(fault.body_kind, BodyKind::Html);
            assert!(
                fault.message.ends_with("(HTML error page)"),
                "{}",
                fault.message
            );
        }
        other => panic!(
            "{other:?}; faults {:?}; counts {:?}",
            cloud.control().faults(),
            cloud.counts()
        ),
    }
}

#[tokio::test]
async fn a_malformed_header_gets_novas_400_and_major_only_sends_none() {
    let cloud = start(MockConfig::default()).await;
    let t = transport(&cloud);
    // nova-core cannot produce a malformed version, so send one through the transport.
    let mut request = HttpRequest::get("servers");
    request.headers.insert(
        "x-openstack-nova-api-version",
        http::HeaderValue::from_static("2.latest"),
    );
    let response = t.send(request).await.unwrap_or_else(|e| panic!("{e}"));
    let e = nova_core::Fault::from_response(&http::Method::GET, "servers", &response).into_error();
    match &e {
        Error::BadRequest(fault) => assert_eq!(
            fault.message,
            "API Version String 2.latest is of invalid format. Must be of format MajorNum.MinorNum."
        ),
        other => panic!("{other:?}"),
    }

    // 2.0 = no microversion: no header is sent, Nova answers at its default 2.1.
    let r = Connection::new(t, MicroVersion::new(2, 0))
        .get::<serde_json::Value>("servers")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.microversion, MicroVersion::new(2, 1));
}
