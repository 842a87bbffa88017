//! The usage manager.

use std::collections::HashSet;

use async_trait::async_trait;
use nova_core::compute::UsageApi;
use nova_core::types::{Link, TenantUsage, UsagePage, UsageQuery};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;

use crate::gate::check_fields;
use crate::path::{encode, with_query};

/// At most this many pages are followed by `list_all` / `get_all`.
const MAX_PAGES: usize = 10_000;

#[derive(Deserialize)]
struct ListBody {
    #[serde(default)]
    tenant_usages: Vec<TenantUsage>,
    #[serde(default)]
    tenant_usages_links: Vec<Link>,
}

#[derive(Deserialize)]
struct GetBody {
    #[serde(default)]
    tenant_usage: Option<TenantUsage>,
    #[serde(default)]
    tenant_usage_links: Vec<Link>,
}

/// Simple tenant usage (`/os-simple-tenant-usage`).
#[derive(Debug, Clone)]
pub struct UsageManager {
    conn: Connection,
}

impl UsageManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    fn check_window(query: &UsageQuery) -> Result<()> {
        if let (Some(start), Some(end)) = (query.start, query.end)
            && start > end
        {
            return Err(Error::InvalidInput {
                field: "start".to_owned(),
                reason: format!("the start {start} is after the end {end}"),
            });
        }
        if query.limit == Some(0) {
            return Err(Error::InvalidInput {
                field: "limit".to_owned(),
                reason: "must be at least 1".to_owned(),
            });
        }
        Ok(())
    }

    fn paged(&self) -> bool {
        self.conn.microversion() >= nova_core::MicroVersion::new(2, 40)
    }
}

/// The `marker` of a `rel=next` link (percent-decoded), if any.
fn link_marker(links: &[Link]) -> Option<String> {
    let href = nova_core::types::next_link(links)?;
    crate::path::query_value(href, "marker").filter(|m| !m.is_empty())
}

/// The marker of the page after a list page: its `next` link's, else (a cloud without
/// links) the last server of the last project, as novaclient does.
fn list_marker(page: &UsagePage<Vec<TenantUsage>>) -> Option<String> {
    link_marker(&page.links).or_else(|| {
        page.usage
            .last()
            .and_then(TenantUsage::last_instance_id)
            .map(str::to_owned)
    })
}

/// Like [`list_marker`] for one project's page.
fn get_marker(page: &UsagePage<TenantUsage>) -> Option<String> {
    link_marker(&page.links).or_else(|| page.usage.last_instance_id().map(str::to_owned))
}

#[async_trait]
impl UsageApi for UsageManager {
    async fn list(&self, query: &UsageQuery) -> Result<ApiResponse<UsagePage<Vec<TenantUsage>>>> {
        check_fields(&self.conn, &query.field_gates())?;
        Self::check_window(query)?;
        let path = with_query("os-simple-tenant-usage", &query.to_pairs(true));
        let resp = self.conn.get::<ListBody>(&path).await?;
        Ok(resp.map(|b| UsagePage {
            usage: b.tenant_usages,
            links: b.tenant_usages_links,
        }))
    }

    async fn get(
        &self,
        project_id: &str,
        query: &UsageQuery,
    ) -> Result<ApiResponse<UsagePage<TenantUsage>>> {
        if project_id.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "project_id".to_owned(),
                reason: "a project id is needed".to_owned(),
            });
        }
        check_fields(&self.conn, &query.field_gates())?;
        Self::check_window(query)?;
        let path = with_query(
            &format!("os-simple-tenant-usage/{}", encode(project_id)),
            &query.to_pairs(false),
        );
        let resp = self.conn.get::<GetBody>(&path).await?;
        let project = project_id.to_owned();
        Ok(resp.map(|b| {
            // Nova answers `{"tenant_usage": {}}` for a project without servers.
            let mut usage = b.tenant_usage.unwrap_or_default();
            if usage.tenant_id.is_empty() {
                usage.tenant_id = project;
            }
            UsagePage {
                usage,
                links: b.tenant_usage_links,
            }
        }))
    }

    async fn list_all(&self, query: &UsageQuery) -> Result<Vec<TenantUsage>> {
        let first = self.list(query).await?.value;
        if !self.paged() {
            return Ok(first.usage);
        }
        let mut marker = list_marker(&first);
        let mut merged: Vec<TenantUsage> = Vec::new();
        let merge = |merged: &mut Vec<TenantUsage>, page: Vec<TenantUsage>| {
            for usage in page {
                match merged.iter_mut().find(|u| u.tenant_id == usage.tenant_id) {
                    Some(known) => known.merge(usage),
                    None => merged.push(usage),
                }
            }
        };
        merge(&mut merged, first.usage);
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let Some(m) = marker.take() else { break };
            if !seen.insert(m.clone()) {
                tracing::warn!(marker = m, "usage listing repeated a marker; stopping");
                break;
            }
            let page = self.list(&query.clone().marker(m)).await?.value;
            marker = list_marker(&page);
            merge(&mut merged, page.usage);
        }
        Ok(merged)
    }

    async fn get_all(&self, project_id: &str, query: &UsageQuery) -> Result<TenantUsage> {
        let first = self.get(project_id, query).await?.value;
        let mut marker = get_marker(&first);
        let mut usage = first.usage;
        if !self.paged() {
            return Ok(usage);
        }
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let Some(m) = marker.take() else { break };
            if !seen.insert(m.clone()) {
                tracing::warn!(marker = m, "usage listing repeated a marker; stopping");
                break;
            }
            let page = self.get(project_id, &query.clone().marker(m)).await?.value;
            marker = get_marker(&page);
            usage.merge(page.usage);
        }
        Ok(usage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use nova_core::types::UsageTime;
    use serde_json::json;

    fn window() -> UsageQuery {
        let start = UsageTime::from_ymd(2024, 5, 1).expect("date");
        UsageQuery::new(start, start.add_days(30))
    }

    #[tokio::test]
    async fn list_sends_the_window_and_detailed_and_paging_is_gated_below_2_40() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "os-simple-tenant-usage",
            Reply::json(
                200,
                json!({"tenant_usages": [{"tenant_id": "p", "total_hours": 1.0}]}),
            ),
        );
        let manager = UsageManager::new(fake.connection(2, 39));
        let page = manager
            .list(&window().detailed(true))
            .await
            .expect("listed")
            .value;
        assert_eq!(page.usage[0].tenant_id, "p");
        assert!(page.links.is_empty());
        let path = fake.requests().pop().expect("sent").path;
        assert_eq!(
            path,
            "os-simple-tenant-usage?start=2024-05-01T00%3A00%3A00.000000\
             &end=2024-05-31T00%3A00%3A00.000000&detailed=1"
        );
        let error = manager.list(&window().limit(1)).await.expect_err("2.39");
        assert!(
            matches!(error, Error::FieldNotSupported { .. }),
            "{error:?}"
        );
        let backwards = UsageQuery::new(
            UsageTime::from_ymd(2024, 2, 1).expect("date"),
            UsageTime::from_ymd(2024, 1, 1).expect("date"),
        );
        let error = manager.get("p", &backwards).await.expect_err("backwards");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 1, "only the first list was sent");
    }

    #[test]
    fn the_next_links_marker_is_decoded() {
        let links = vec![Link {
            href: "http://h/v2.1/os-simple-tenant-usage?end=2016-10-12+18%3A22%3A04&limit=1\
                   &marker=1f1d%2Dx&start=x"
                .to_owned(),
            rel: "next".to_owned(),
            media_type: None,
        }];
        assert_eq!(link_marker(&links).as_deref(), Some("1f1d-x"));
        assert_eq!(link_marker(&[]), None);
    }

    #[tokio::test]
    async fn get_all_follows_markers_and_merges_pages() {
        let fake = FakeTransport::new();
        let server = |id: &str| json!({"instance_id": id, "hours": 1.0, "memory_mb": 512});
        fake.on(
            Method::GET,
            "os-simple-tenant-usage/p1?start=2024-05-01T00%3A00%3A00.000000\
             &end=2024-05-31T00%3A00%3A00.000000",
            Reply::json(
                200,
                json!({"tenant_usage": {"tenant_id": "p1", "total_hours": 1.0,
                    "server_usages": [server("a")]},
                    "tenant_usage_links": [{"rel": "next", "href": "x?marker=a"}]}),
            ),
        );
        fake.on(
            Method::GET,
            "os-simple-tenant-usage/p1?start=2024-05-01T00%3A00%3A00.000000\
             &end=2024-05-31T00%3A00%3A00.000000&marker=a",
            Reply::json(
                200,
                json!({"tenant_usage": {"tenant_id": "p1", "total_hours": 2.0,
                    "server_usages": [server("b")]}}),
            ),
        );
        fake.on(
            Method::GET,
            "os-simple-tenant-usage/p1?start=2024-05-01T00%3A00%3A00.000000\
             &end=2024-05-31T00%3A00%3A00.000000&marker=b",
            Reply::json(200, json!({"tenant_usage": {}})),
        );
        let manager = UsageManager::new(fake.connection(2, 40));
        let usage = manager.get_all("p1", &window()).await.expect("all pages");
        assert_eq!(usage.total_hours, 3.0);
        let ids: Vec<&str> = usage
            .server_usages
            .iter()
            .flatten()
            .map(|s| s.instance_id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(fake.requests().len(), 3);
    }
}
