//! Migrations of every server (`/os-migrations`, admin).

use async_trait::async_trait;
use futures::stream::BoxStream;

use crate::types::{Migration, MigrationQuery, Page};
use crate::{ApiResponse, Result};

/// Migrations of every server (`/os-migrations`, admin).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait MigrationApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-migrations` for one page (every version; `limit`, `marker` and
    /// `changes-since` from 2.59, `changes-before` from 2.66, `user_id`/`project_id` from
    /// 2.80). From 2.59 the newest come first and a full page has a `next` link.
    async fn list(&self, query: &MigrationQuery) -> Result<ApiResponse<Page<Migration>>> {
        crate::compute::not_supported("migrations.list")
    }
    /// Every migration matching `query`, following `migrations_links` (2.59+) across pages.
    fn list_all(&self, query: MigrationQuery) -> BoxStream<'static, Result<Migration>> {
        crate::compute::not_supported_stream("migrations.list_all")
    }
}
