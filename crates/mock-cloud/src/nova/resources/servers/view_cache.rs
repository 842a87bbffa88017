//! Serialized server views, cached per server so that listing the same servers again
//! (pagination, repeated lists) costs a copy instead of building and serializing a view.
//!
//! An entry is valid only for the store generation it was made in ([`Inner::generation`],
//! bumped by every mutable access to the store), and for the same view kind, microversion,
//! role and base URL. So a cached view is always byte-for-byte what
//! [`server_view`] would produce now.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use crate::nova::{ApiVersion, NovaCtx};

use super::super::model::Server;
use super::super::store::Inner;
use super::views::{ViewKind, server_view};

/// The cache (one entry per server: its last rendered view).
#[derive(Default)]
pub struct ViewCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl std::fmt::Debug for ViewCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewCache")
            .field("entries", &self.lock().len())
            .finish()
    }
}

struct Entry {
    generation: u64,
    kind: ViewKind,
    version: ApiVersion,
    admin: bool,
    base_url: String,
    json: Box<[u8]>,
}

impl Entry {
    fn fits(&self, generation: u64, kind: ViewKind, ctx: &NovaCtx) -> bool {
        self.generation == generation
            && self.kind == kind
            && self.version == ctx.version
            && self.admin == ctx.is_admin
            && self.base_url == ctx.base_url
    }
}

impl ViewCache {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends the JSON views of `servers`, comma-separated, to `out`.
    pub fn write_views(
        &self,
        out: &mut Vec<u8>,
        servers: &[&Server],
        inner: &Inner,
        ctx: &NovaCtx,
        kind: ViewKind,
    ) {
        let generation = inner.generation;
        let mut entries = self.lock();
        for (n, s) in servers.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            if let Some(entry) = entries.get(&s.id)
                && entry.fits(generation, kind, ctx)
            {
                out.extend_from_slice(&entry.json);
                continue;
            }
            let json = serde_json::to_vec(&server_view(s, inner, ctx, kind)).unwrap_or_default();
            out.extend_from_slice(&json);
            entries.insert(
                s.id.clone(),
                Entry {
                    generation,
                    kind,
                    version: ctx.version,
                    admin: ctx.is_admin,
                    base_url: ctx.base_url.clone(),
                    json: json.into_boxed_slice(),
                },
            );
        }
    }

    /// Number of cached views.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use crate::nova::resources::store::NovaStore;
    use crate::nova::resources::{NovaConfig, servers::list};
    use crate::nova::{ApiVersion, NovaCtx};

    fn ctx(admin: bool) -> NovaCtx {
        NovaCtx::for_test(
            ApiVersion(2, 96),
            crate::config::seed::DEMO_PROJECT_ID,
            crate::config::seed::DEMO_USER_ID,
            admin,
        )
    }

    fn listed(store: &NovaStore, ctx: &NovaCtx, query: &str) -> (Vec<u8>, serde_json::Value) {
        let inner = store.lock();
        let bytes = list::list_servers_json(&inner, ctx, Some(query), true).unwrap();
        let value = list::list_servers(&inner, ctx, Some(query), true).unwrap();
        (bytes, value)
    }

    #[test]
    fn cached_lists_are_the_uncached_bytes_and_follow_changes() {
        let store = NovaStore::new(&NovaConfig::default());
        let ids = store.seed_servers(3, "cached", "demo");
        let user = ctx(false);
        let (first, value) = listed(&store, &user, "limit=2");
        assert_eq!(first, serde_json::to_vec(&value).unwrap());
        assert_eq!(store.lock().views.len(), 2);
        // served from the cache: the same bytes again
        let (again, _) = listed(&store, &user, "limit=2");
        assert_eq!(again, first);
        // another role sees its own view (admins get more keys), not the cached one
        let (admin, admin_value) = listed(&store, &ctx(true), "limit=2");
        assert_eq!(admin, serde_json::to_vec(&admin_value).unwrap());
        assert_ne!(admin, first);
        // a change through the store is seen at once
        let newest = ids.last().unwrap().clone();
        store.lock().servers.get_mut(&newest).unwrap().name = "renamed".into();
        let (changed, changed_value) = listed(&store, &user, "limit=2");
        assert_eq!(changed, serde_json::to_vec(&changed_value).unwrap());
        assert_eq!(changed_value["servers"][0]["name"], "renamed");
    }
}
