//! The hypervisors manager.

use async_trait::async_trait;
use nova_core::compute::HypervisorApi;
use nova_core::types::{
    Hypervisor, HypervisorQuery, HypervisorStatistics, Link, OperationGate, Page, next_link,
};
use nova_core::{ApiResponse, Connection, Error, MicroVersion, Result, VersionReq};
use serde::Deserialize;

use crate::gate::{check_fields, check_operation};
use crate::path::{encode, with_query};

/// Hypervisor statistics are gone from 2.88 on.
const STATISTICS: OperationGate = OperationGate::new(
    "hypervisor statistics",
    VersionReq::below(MicroVersion::new(2, 88)),
);
/// From 2.53 on, hypervisors are searched with `hypervisor_hostname_pattern` on the list.
const PATTERN_QUERY: VersionReq = VersionReq::at_least(MicroVersion::new(2, 53));
/// From 2.88 on, uptime is a field of the hypervisor itself (no `/uptime` route).
const UPTIME_IN_SHOW: VersionReq = VersionReq::at_least(MicroVersion::new(2, 88));

/// Hypervisors (`/os-hypervisors`, admin).
#[derive(Debug, Clone)]
pub struct HypervisorManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct HypervisorBody {
    hypervisor: Hypervisor,
}

#[derive(Deserialize)]
struct HypervisorsBody {
    #[serde(default)]
    hypervisors: Vec<Hypervisor>,
    #[serde(default)]
    hypervisors_links: Vec<Link>,
}

#[derive(Deserialize)]
struct StatisticsBody {
    hypervisor_statistics: HypervisorStatistics,
}

impl HypervisorManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    fn at(&self, req: VersionReq) -> bool {
        req.matches(self.conn.microversion())
    }

    async fn page(
        &self,
        base: &str,
        query: &HypervisorQuery,
    ) -> Result<ApiResponse<Page<Hypervisor>>> {
        check_fields(&self.conn, &query.field_gates())?;
        let resp = self
            .conn
            .get::<HypervisorsBody>(&with_query(base, &query.to_pairs()))
            .await?;
        Ok(resp.map(|b| Page {
            next: next_link(&b.hypervisors_links).map(str::to_owned),
            items: b.hypervisors,
        }))
    }
}

fn check_id(id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::InvalidInput {
            field: "hypervisor".to_owned(),
            reason: "a hypervisor id is required".to_owned(),
        });
    }
    Ok(())
}

#[async_trait]
impl HypervisorApi for HypervisorManager {
    async fn list(&self, query: &HypervisorQuery) -> Result<ApiResponse<Page<Hypervisor>>> {
        self.page("os-hypervisors", query).await
    }

    async fn detail(&self, query: &HypervisorQuery) -> Result<ApiResponse<Page<Hypervisor>>> {
        self.page("os-hypervisors/detail", query).await
    }

    async fn get(&self, id: &str, with_servers: bool) -> Result<ApiResponse<Hypervisor>> {
        check_id(id)?;
        let query = HypervisorQuery::new().with_servers(with_servers);
        check_fields(&self.conn, &query.field_gates())?;
        let path = with_query(&format!("os-hypervisors/{}", encode(id)), &query.to_pairs());
        let resp = self.conn.get::<HypervisorBody>(&path).await?;
        Ok(resp.map(|b| b.hypervisor))
    }

    async fn uptime(&self, id: &str) -> Result<ApiResponse<Hypervisor>> {
        check_id(id)?;
        let path = if self.at(UPTIME_IN_SHOW) {
            format!("os-hypervisors/{}", encode(id))
        } else {
            format!("os-hypervisors/{}/uptime", encode(id))
        };
        let resp = self.conn.get::<HypervisorBody>(&path).await?;
        Ok(resp.map(|b| b.hypervisor))
    }

    async fn search(
        &self,
        pattern: &str,
        with_servers: bool,
    ) -> Result<ApiResponse<Vec<Hypervisor>>> {
        if pattern.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "hypervisor_hostname_pattern".to_owned(),
                reason: "a hostname pattern is required".to_owned(),
            });
        }
        let path = if self.at(PATTERN_QUERY) {
            let query = HypervisorQuery::new()
                .hostname_pattern(pattern)
                .with_servers(with_servers);
            with_query("os-hypervisors", &query.to_pairs())
        } else if with_servers {
            format!("os-hypervisors/{}/servers", encode(pattern))
        } else {
            format!("os-hypervisors/{}/search", encode(pattern))
        };
        let resp = self.conn.get::<HypervisorsBody>(&path).await?;
        Ok(resp.map(|b| b.hypervisors))
    }

    async fn statistics(&self) -> Result<ApiResponse<HypervisorStatistics>> {
        check_operation(&self.conn, &STATISTICS)?;
        let resp = self
            .conn
            .get::<StatisticsBody>("os-hypervisors/statistics")
            .await?;
        Ok(resp.map(|b| b.hypervisor_statistics))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use serde_json::json;

    fn one() -> serde_json::Value {
        json!({"hypervisors": [{"id": 1, "hypervisor_hostname": "c0.example.com",
            "servers": [{"uuid": "s1", "name": "a"}]}]})
    }

    #[tokio::test]
    async fn search_uses_the_old_routes_below_2_53_and_the_query_from_2_53() {
        let fake = FakeTransport::new();
        fake.on(Method::GET, "os-hypervisors", Reply::json(200, one()));
        let old = HypervisorManager::new(fake.connection(2, 52));
        let found = old.search("c0", true).await.expect("servers").value;
        assert_eq!(found[0].id, "1");
        assert_eq!(found[0].servers.as_ref().map(Vec::len), Some(1));
        fake.on(Method::GET, "os-hypervisors", Reply::json(200, one()));
        old.search("c0", false).await.expect("search");
        fake.on(Method::GET, "os-hypervisors", Reply::json(200, one()));
        let new = HypervisorManager::new(fake.connection(2, 53));
        new.search("c 0", true).await.expect("pattern");
        let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(
            paths,
            [
                "os-hypervisors/c0/servers",
                "os-hypervisors/c0/search",
                "os-hypervisors?hypervisor_hostname_pattern=c%200&with_servers=true",
            ]
        );
    }

    #[tokio::test]
    async fn gates_send_nothing_and_uptime_moves_into_show_at_2_88() {
        let fake = FakeTransport::new();
        let old = HypervisorManager::new(fake.connection(2, 32));
        let error = old
            .list(&HypervisorQuery::new().limit(1))
            .await
            .expect_err("limit needs 2.33");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let error = old.get("1", true).await.expect_err("with_servers 2.53");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let new = HypervisorManager::new(fake.connection(2, 88));
        let error = new.statistics().await.expect_err("removed in 2.88");
        assert!(
            matches!(error, Error::VersionNotSupported { .. }),
            "{error:?}"
        );
        assert!(fake.requests().is_empty());
        let shown = json!({"hypervisor": {"id": "u1", "hypervisor_hostname": "h",
            "uptime": "up 1 day"}});
        fake.on(
            Method::GET,
            "os-hypervisors",
            Reply::json(200, shown.clone()),
        );
        let h = new.uptime("u1").await.expect("uptime").value;
        assert_eq!(h.uptime.as_deref(), Some("up 1 day"));
        fake.on(Method::GET, "os-hypervisors", Reply::json(200, shown));
        HypervisorManager::new(fake.connection(2, 87))
            .uptime("u1")
            .await
            .expect("old uptime");
        let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["os-hypervisors/u1", "os-hypervisors/u1/uptime"]);
    }

    #[tokio::test]
    async fn list_reads_the_next_link() {
        let fake = FakeTransport::new();
        let body = json!({"hypervisors": [{"id": "u1", "hypervisor_hostname": "h"}],
            "hypervisors_links": [{"rel": "next", "href": "http://x/os-hypervisors?marker=u1"}]});
        fake.on(Method::GET, "os-hypervisors", Reply::json(200, body));
        let page = HypervisorManager::new(fake.connection(2, 53))
            .detail(&HypervisorQuery::new().limit(1).marker("u0"))
            .await
            .expect("page")
            .value;
        assert_eq!(page.items.len(), 1);
        assert!(page.next.is_some());
        let path = fake.requests().pop().expect("sent").path;
        assert_eq!(path, "os-hypervisors/detail?limit=1&marker=u0");
    }
}
