//! Streams over every page of a listing that links its pages (`<collection>_links`):
//! servers and migrations.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::stream::{self, BoxStream, StreamExt};
use nova_core::types::{Page, Server, ServerQuery};
use nova_core::{ApiResponse, Connection, Result};

use crate::path::query_of;
use crate::servers::fetch_page;

/// How one collection is paged.
pub(crate) struct Paging<T, K, F, M> {
    /// The first page's request path.
    pub first: String,
    /// Where a next link's query is sent (`servers/detail`): the link's own host and path
    /// are never followed, only its query, on our endpoint.
    pub collection: &'static str,
    /// Fetches the page at a path.
    pub fetch: F,
    /// The identity of an item, to yield each item once.
    pub key: fn(&T) -> K,
    /// The next page's path when a next link has no usable query, from the page's last
    /// item (e.g. `marker=<its id>`); `None` ends the stream there.
    pub fallback: M,
    /// Remember only the previous page's keys (memory bounded by one page; marker paging
    /// never repeats further back) instead of every key.
    pub bounded: bool,
}

/// The default page bound of every link-following listing: far more than any real cloud
/// needs (10,000 pages of 1,000 servers), but a server inventing pages cannot keep a
/// listing going forever.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// The default item bound of every link-following listing: 10,000,000 items (what
/// [`DEFAULT_MAX_PAGES`] full pages of 1,000 hold), so a server inventing items on long
/// pages cannot keep a listing going forever either.
pub const DEFAULT_MAX_ITEMS: usize = 10_000_000;

/// How far a link-following listing (servers, migrations, flavors) may go: past
/// `pages` page requests it ends with [`nova_core::Error::TooManyPages`], past `items`
/// items with [`nova_core::Error::TooManyItems`], whichever comes first.
///
/// ```
/// let bound = nova_v2::ListingBound::default().pages(100).items(5_000);
/// assert_eq!((bound.max_pages(), bound.max_items()), (100, 5_000));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListingBound {
    pages: usize,
    items: usize,
}

impl Default for ListingBound {
    /// [`DEFAULT_MAX_PAGES`] pages, [`DEFAULT_MAX_ITEMS`] items.
    fn default() -> Self {
        Self {
            pages: DEFAULT_MAX_PAGES,
            items: DEFAULT_MAX_ITEMS,
        }
    }
}

impl ListingBound {
    /// At most `pages` page requests (at least 1).
    pub fn pages(mut self, pages: usize) -> Self {
        self.pages = pages.max(1);
        self
    }

    /// At most `items` items yielded (at least 1).
    pub fn items(mut self, items: usize) -> Self {
        self.items = items.max(1);
        self
    }

    /// The page bound.
    pub fn max_pages(&self) -> usize {
        self.pages
    }

    /// The item bound.
    pub fn max_items(&self) -> usize {
        self.items
    }
}

static MAX_PAGES: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_PAGES);
static MAX_ITEMS: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_ITEMS);

/// Sets the bound of the link-following listings started from now on (servers,
/// migrations, flavors); past it the stream ends with [`nova_core::Error::TooManyPages`]
/// or [`nova_core::Error::TooManyItems`].
pub fn set_listing_bound(bound: ListingBound) {
    MAX_PAGES.store(bound.pages, Ordering::Relaxed);
    MAX_ITEMS.store(bound.items, Ordering::Relaxed);
}

/// The current process-wide bound (see [`set_listing_bound`]).
pub fn listing_bound() -> ListingBound {
    ListingBound::default()
        .pages(MAX_PAGES.load(Ordering::Relaxed))
        .items(MAX_ITEMS.load(Ordering::Relaxed))
}

struct State<T, K, F, M> {
    paging: Paging<T, K, F, M>,
    pages: usize,
    items: usize,
    bound: ListingBound,
    next: Option<String>,
    buffer: VecDeque<T>,
    seen_keys: HashSet<K>,
    seen_pages: HashSet<String>,
    failed: bool,
}

/// Every item of every page, each yielded once.
///
/// Follows the `rel=next` link (its query, on our endpoint, else `fallback`). Stops when
/// there is no next link, when a page repeats a request already made, or when a page holds
/// no item not seen before, so the stream always ends.
pub(crate) fn all_pages<T, K, F, Fut, M>(
    paging: Paging<T, K, F, M>,
) -> BoxStream<'static, Result<T>>
where
    T: Send + 'static,
    K: Eq + Hash + Send + 'static,
    F: Fn(String) -> Fut + Send + 'static,
    Fut: Future<Output = Result<ApiResponse<Page<T>>>> + Send,
    M: Fn(&T) -> Option<String> + Send + 'static,
{
    all_pages_within(paging, listing_bound())
}

/// [`all_pages`] with its own bound: past its pages the stream ends with
/// [`nova_core::Error::TooManyPages`], past its items with
/// [`nova_core::Error::TooManyItems`].
pub(crate) fn all_pages_within<T, K, F, Fut, M>(
    paging: Paging<T, K, F, M>,
    bound: ListingBound,
) -> BoxStream<'static, Result<T>>
where
    T: Send + 'static,
    K: Eq + Hash + Send + 'static,
    F: Fn(String) -> Fut + Send + 'static,
    Fut: Future<Output = Result<ApiResponse<Page<T>>>> + Send,
    M: Fn(&T) -> Option<String> + Send + 'static,
{
    let state = State {
        next: Some(paging.first.clone()),
        paging,
        pages: 0,
        items: 0,
        bound,
        buffer: VecDeque::new(),
        seen_keys: HashSet::new(),
        seen_pages: HashSet::new(),
        failed: false,
    };
    stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.buffer.pop_front() {
                if st.items >= st.bound.items {
                    st.failed = true;
                    st.buffer.clear();
                    return Some((
                        Err(nova_core::Error::TooManyItems {
                            limit: st.bound.items,
                        }),
                        st,
                    ));
                }
                st.items += 1;
                return Some((Ok(item), st));
            }
            if st.failed {
                return None;
            }
            let path = st.next.take()?;
            if st.pages >= st.bound.pages {
                st.failed = true;
                return Some((
                    Err(nova_core::Error::TooManyPages {
                        limit: st.bound.pages,
                    }),
                    st,
                ));
            }
            st.pages += 1;
            if !st.seen_pages.insert(path.clone()) {
                tracing::warn!(path, "listing repeated a page request; stopping");
                return None;
            }
            let page: Page<T> = match (st.paging.fetch)(path).await {
                Ok(resp) => resp.value,
                Err(e) => {
                    st.failed = true;
                    return Some((Err(e), st));
                }
            };
            let fallback = page
                .items
                .last()
                .and_then(|last| (st.paging.fallback)(last));
            let previous = if st.paging.bounded {
                std::mem::take(&mut st.seen_keys)
            } else {
                HashSet::new()
            };
            // The buffer is empty here: the page's items become the buffer in place (no
            // second copy of the page), less those already yielded.
            let key = st.paging.key;
            let mut items: VecDeque<T> = page.items.into();
            let seen = &mut st.seen_keys;
            items.retain(|item| {
                let k = key(item);
                !previous.contains(&k) && seen.insert(k)
            });
            st.buffer = items;
            if st.buffer.is_empty() {
                // Empty page, or a page of items already yielded: nothing more to gain.
                return None;
            }
            st.next = page.next.and_then(|href| match query_of(&href) {
                Some(q) if !q.is_empty() => Some(format!("{}?{q}", st.paging.collection)),
                _ => fallback,
            });
        }
    })
    .boxed()
}

/// Every server matching `query`, each yielded once; a next link without a query falls
/// back to `marker=<last id>`.
pub(crate) fn all_servers(
    conn: Connection,
    query: ServerQuery,
) -> nova_core::compute::ServerStream {
    servers_stream(conn, query, false, listing_bound())
}

/// Like [`all_servers`], in memory bounded by one page: a server is checked for repeats
/// against the previous page only, and only the page requests made are remembered (one
/// short string per page).
pub(crate) fn bounded_servers(
    conn: Connection,
    query: ServerQuery,
) -> nova_core::compute::ServerStream {
    servers_stream(conn, query, true, listing_bound())
}

/// [`bounded_servers`] with its own bound.
pub(crate) fn bounded_servers_within(
    conn: Connection,
    query: ServerQuery,
    bound: ListingBound,
) -> nova_core::compute::ServerStream {
    servers_stream(conn, query, true, bound)
}

fn servers_stream(
    conn: Connection,
    query: ServerQuery,
    bounded: bool,
    bound: ListingBound,
) -> nova_core::compute::ServerStream {
    all_pages_within(
        Paging {
            first: crate::servers::list_path(&query),
            collection: "servers/detail",
            fetch: move |path: String| {
                let conn = conn.clone();
                async move { fetch_page(&conn, &path).await }
            },
            key: |server: &Server| server.id.clone(),
            fallback: move |last: &Server| {
                Some(crate::servers::list_path(
                    &query.clone().marker(last.id.clone()),
                ))
            },
            bounded,
        },
        bound,
    )
}
