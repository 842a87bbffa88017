//! The flavor manager.

use async_trait::async_trait;
use nova_core::compute::FlavorApi;
use nova_core::types::{
    Flavor, FlavorQuery, FlavorSummary, FlavorVisibility, Link, Page, next_link,
};
use nova_core::{ApiResponse, Connection, Error, Result};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::find::{is_not_found, unique_by_name};
use crate::pagination::{Paging, all_pages};
use crate::path::{encode, query_of, with_query};
use futures::TryStreamExt;
use futures::stream::{self, BoxStream};

/// Flavors over one negotiated connection.
#[derive(Debug, Clone)]
pub struct FlavorManager {
    conn: Connection,
}

#[derive(Deserialize)]
struct FlavorBody {
    flavor: Flavor,
}

#[derive(Deserialize)]
struct FlavorsBody<T> {
    #[serde(default = "Vec::new")]
    flavors: Vec<T>,
    #[serde(default)]
    flavors_links: Vec<Link>,
}

impl FlavorManager {
    /// A manager sending through `conn`.
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    /// One page of `base` (`flavors` or `flavors/detail`) for `query`.
    async fn page<T: DeserializeOwned + Send + 'static>(
        &self,
        base: &str,
        query: &FlavorQuery,
    ) -> Result<ApiResponse<Page<T>>> {
        check_query(query)?;
        fetch_page(&self.conn, &with_query(base, &query.to_pairs())).await
    }
}

/// What Nova would refuse in a flavor query, caught before sending.
fn check_query(query: &FlavorQuery) -> Result<()> {
    if query
        .sort_key
        .as_deref()
        .is_some_and(|k| k.trim().is_empty())
    {
        return Err(Error::InvalidInput {
            field: "sort_key".to_owned(),
            reason: "an empty sort key".to_owned(),
        });
    }
    if query.marker.as_deref().is_some_and(str::is_empty) {
        return Err(Error::InvalidInput {
            field: "marker".to_owned(),
            reason: "an empty marker".to_owned(),
        });
    }
    Ok(())
}

/// Every flavor from `first` on, following `flavors_links` (only their query, on our
/// endpoint), else `fallback` from a page's last flavor.
fn all_flavors(
    conn: Connection,
    first: String,
    fallback: impl Fn(&Flavor) -> Option<String> + Send + 'static,
) -> BoxStream<'static, Result<Flavor>> {
    all_pages(Paging {
        first,
        collection: "flavors/detail",
        fetch: move |path: String| {
            let conn = conn.clone();
            async move { fetch_page::<Flavor>(&conn, &path).await }
        },
        key: |f: &Flavor| f.id.clone(),
        fallback,
        bounded: false,
    })
}

/// One page of flavors at `path`.
async fn fetch_page<T: DeserializeOwned + Send + 'static>(
    conn: &Connection,
    path: &str,
) -> Result<ApiResponse<Page<T>>> {
    let resp = conn.get::<FlavorsBody<T>>(path).await?;
    Ok(resp.map(|b| Page {
        next: next_link(&b.flavors_links).map(str::to_owned),
        items: b.flavors,
    }))
}

#[async_trait]
impl FlavorApi for FlavorManager {
    async fn list(&self, query: &FlavorQuery) -> Result<ApiResponse<Page<FlavorSummary>>> {
        self.page("flavors", query).await
    }

    async fn list_detail(&self, query: &FlavorQuery) -> Result<ApiResponse<Page<Flavor>>> {
        self.page("flavors/detail", query).await
    }

    fn list_all(&self, query: FlavorQuery) -> BoxStream<'static, Result<Flavor>> {
        if let Err(e) = check_query(&query) {
            return Box::pin(stream::once(async move { Err(e) }));
        }
        let fallback_query = query.clone();
        all_flavors(
            self.conn.clone(),
            with_query("flavors/detail", &query.to_pairs()),
            move |last: &Flavor| {
                let next = fallback_query.clone().marker(last.id.clone());
                Some(with_query("flavors/detail", &next.to_pairs()))
            },
        )
    }

    async fn get(&self, id: &str) -> Result<ApiResponse<Flavor>> {
        let resp = self
            .conn
            .get::<FlavorBody>(&format!("flavors/{}", encode(id)))
            .await?;
        Ok(resp.map(|b| b.flavor))
    }

    async fn find(&self, name_or_id: &str) -> Result<ApiResponse<Flavor>> {
        match self.get(name_or_id).await {
            Ok(found) => return Ok(found),
            Err(e) if is_not_found(&e) => {}
            Err(e) => return Err(e),
        }
        // By name among every flavor, private ones included (novaclient's `find` lists with
        // `is_public=None`; Nova gives non-admins their accessible flavors whatever is sent):
        // the first page, then any pages it links to.
        let every = FlavorQuery::new().is_public(FlavorVisibility::All);
        let first = self.list_detail(&every).await?;
        let mut value = Vec::new();
        let next = first.value.next.clone();
        let all = first.map(|page| value = page.items);
        if let Some(query) = next.as_deref().and_then(query_of) {
            let rest: Vec<Flavor> = all_flavors(
                self.conn.clone(),
                format!("flavors/detail?{query}"),
                |last: &Flavor| {
                    Some(with_query(
                        "flavors/detail",
                        &[
                            ("is_public", FlavorVisibility::All.as_str().to_owned()),
                            ("marker", last.id.clone()),
                        ],
                    ))
                },
            )
            .try_collect()
            .await?;
            value.extend(rest);
        }
        let flavor = unique_by_name(
            "flavor",
            name_or_id,
            value
                .into_iter()
                .map(|f| (f.id.clone(), f.name.clone(), f))
                .collect(),
        )?;
        Ok(all.map(|()| flavor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_transport::{FakeTransport, Reply};
    use http::Method;
    use nova_core::types::SortDir;
    use serde_json::json;

    #[tokio::test]
    async fn list_with_sends_novas_parameters_and_reads_the_next_link() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "flavors/detail",
            Reply::json(
                200,
                json!({
                    "flavors": [{"id": "2", "name": "m1.small", "ram": 2048, "vcpus": 1, "disk": 20}],
                    "flavors_links": [{"rel": "next", "href": "http://h/v2.1/flavors/detail?limit=1&marker=2"}]
                }),
            ),
        );
        let query = FlavorQuery::new()
            .is_public(FlavorVisibility::All)
            .min_ram(1024)
            .sort_key("memory_mb")
            .sort_dir(SortDir::Asc)
            .limit(1);
        let page = FlavorManager::new(fake.connection(2, 1))
            .list_detail(&query)
            .await
            .expect("page")
            .value;
        assert_eq!(page.items[0].id, "2");
        assert_eq!(
            page.next.as_deref(),
            Some("http://h/v2.1/flavors/detail?limit=1&marker=2")
        );
        assert_eq!(
            fake.requests().pop().expect("sent").path,
            "flavors/detail?is_public=None&minRam=1024&sort_key=memory_mb&sort_dir=asc&limit=1"
        );
    }

    #[tokio::test]
    async fn list_all_follows_next_links_with_the_query() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "flavors/detail?minRam=512&limit=1",
            Reply::json(
                200,
                json!({"flavors": [{"id": "1", "name": "a"}], "flavors_links": [
                    {"rel": "next", "href": "http://x/v2.1/flavors/detail?minRam=512&limit=1&marker=1"}]}),
            ),
        );
        fake.on(
            Method::GET,
            "flavors/detail?minRam=512&limit=1&marker=1",
            Reply::json(200, json!({"flavors": [{"id": "2", "name": "b"}]})),
        );
        let all: Vec<Flavor> = FlavorManager::new(fake.connection(2, 55))
            .list_all(FlavorQuery::new().min_ram(512).limit(1))
            .try_collect()
            .await
            .expect("all");
        let ids: Vec<&str> = all.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["1", "2"]);
        assert_eq!(fake.requests().len(), 2);
    }

    #[tokio::test]
    async fn plain_list_sends_no_parameters_and_bad_input_sends_nothing() {
        let fake = FakeTransport::new();
        fake.on(
            Method::GET,
            "flavors",
            Reply::json(200, json!({"flavors": [{"id": "1", "name": "m1.tiny"}]})),
        );
        let manager = FlavorManager::new(fake.connection(2, 55));
        let flavors = manager
            .list(&FlavorQuery::default())
            .await
            .expect("list")
            .value;
        assert_eq!(flavors.items.len(), 1);
        assert_eq!(fake.requests().pop().expect("sent").path, "flavors");
        let error = manager
            .list(&FlavorQuery::new().marker(""))
            .await
            .expect_err("empty marker");
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
        assert_eq!(fake.requests().len(), 1, "the bad query was not sent");
    }

    #[tokio::test]
    async fn find_by_name_reads_every_page() {
        let fake = FakeTransport::new();
        let flavor = |id: &str, name: &str| json!({"id": id, "name": name, "ram": 512, "vcpus": 1, "disk": 1});
        fake.on(
            Method::GET,
            "flavors/big",
            Reply::json(404, json!({"itemNotFound": {"code": 404, "message": "no"}})),
        );
        fake.on(
            Method::GET,
            "flavors/detail",
            Reply::json(
                200,
                json!({"flavors": [flavor("1", "tiny")], "flavors_links": [
                    {"rel": "next", "href": "http://h/v2.1/flavors/detail?is_public=None&marker=1"}]}),
            ),
        );
        fake.on(
            Method::GET,
            "flavors/detail",
            Reply::json(200, json!({"flavors": [flavor("2", "big")]})),
        );
        let found = FlavorManager::new(fake.connection(2, 1))
            .find("big")
            .await
            .expect("found on page 2")
            .value;
        assert_eq!(found.id, "2");
        let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(
            paths,
            [
                "flavors/big",
                "flavors/detail?is_public=None",
                "flavors/detail?is_public=None&marker=1"
            ]
        );
    }
}
