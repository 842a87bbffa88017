//! A stream over every page of `GET /servers/detail`.

use std::collections::{HashSet, VecDeque};

use futures::stream::{self, StreamExt};
use nova_core::Connection;
use nova_core::types::{Page, Server, ServerQuery};

use crate::path::query_of;
use crate::servers::fetch_page;

/// Where the next page comes from.
enum Next {
    /// A following page: `servers/detail?<query>`.
    Path(String),
    /// No more pages.
    Done,
}

struct State {
    conn: Connection,
    query: ServerQuery,
    next: Next,
    buffer: VecDeque<Server>,
    seen_ids: HashSet<String>,
    seen_pages: HashSet<String>,
    failed: bool,
    /// Remember only the previous page's ids (bounded memory) instead of every id.
    bounded: bool,
}

/// Every server matching `query`, each yielded once.
///
/// Follows the `rel=next` link of `servers_links` (its query, on our endpoint); if a link has
/// no usable query, falls back to `marker=<last id>`. Stops when there is no next link, when a
/// page repeats a request already made, or when a page holds no server not seen before (a
/// server that repeats a page), so the stream always ends.
pub(crate) fn all_servers(
    conn: Connection,
    query: ServerQuery,
) -> nova_core::compute::ServerStream {
    servers_stream(conn, query, false)
}

/// Like [`all_servers`], in memory bounded by one page: a server is checked for repeats
/// against the previous page only (marker pagination never repeats further back), and
/// only the page requests made are remembered (one short string per page).
pub(crate) fn bounded_servers(
    conn: Connection,
    query: ServerQuery,
) -> nova_core::compute::ServerStream {
    servers_stream(conn, query, true)
}

fn servers_stream(
    conn: Connection,
    query: ServerQuery,
    bounded: bool,
) -> nova_core::compute::ServerStream {
    let state = State {
        conn,
        query: query.clone(),
        next: Next::Path(crate::servers::list_path(&query)),
        buffer: VecDeque::new(),
        seen_ids: HashSet::new(),
        seen_pages: HashSet::new(),
        failed: false,
        bounded,
    };
    stream::unfold(state, |mut st| async move {
        loop {
            if let Some(server) = st.buffer.pop_front() {
                return Some((Ok(server), st));
            }
            if st.failed {
                return None;
            }
            let path = match std::mem::replace(&mut st.next, Next::Done) {
                Next::Done => return None,
                Next::Path(p) => p,
            };
            if !st.seen_pages.insert(path.clone()) {
                tracing::warn!(path, "server listing repeated a page request; stopping");
                return None;
            }
            let page: Page<Server> = match fetch_page(&st.conn, &path).await {
                Ok(resp) => resp.value,
                Err(e) => {
                    st.failed = true;
                    return Some((Err(e), st));
                }
            };
            let last_id = page.items.last().map(|s| s.id.clone());
            let previous = if st.bounded {
                std::mem::take(&mut st.seen_ids)
            } else {
                HashSet::new()
            };
            // The buffer is empty here: the page's servers become the buffer in place (no
            // second copy of the page), less those already yielded.
            let mut items: VecDeque<Server> = page.items.into();
            let seen_ids = &mut st.seen_ids;
            items.retain(|server| {
                !previous.contains(&server.id) && seen_ids.insert(server.id.clone())
            });
            let fresh = items.len();
            st.buffer = items;
            if fresh == 0 {
                // Empty page, or a page of servers already yielded: nothing more to gain.
                return st.buffer.pop_front().map(|s| (Ok(s), st));
            }
            st.next = match (page.next, last_id) {
                (Some(href), last) => match query_of(&href) {
                    Some(q) if !q.is_empty() => Next::Path(format!("servers/detail?{q}")),
                    _ => match last {
                        Some(id) => {
                            Next::Path(crate::servers::list_path(&st.query.clone().marker(id)))
                        }
                        None => Next::Done,
                    },
                },
                (None, _) => Next::Done,
            };
        }
    })
    .boxed()
}
