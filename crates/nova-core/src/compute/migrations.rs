//! Migrations of every server (`/os-migrations`, admin).

use async_trait::async_trait;
use futures::stream::BoxStream;

use crate::types::{Migration, MigrationQuery, Page};
use crate::{ApiResponse, Result};

/// Migrations of every server (`/os-migrations`, admin).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait MigrationApi: Send + Sync + std::fmt::Debug {
    /// `GET /os-migrations` for one page (every version; `limit`, `marker` and
    /// `changes-since` from 2.59, `changes-before` from 2.66, `user_id`/`project_id` from
    /// 2.80). From 2.59 the newest come first and a full page has a `next` link.
    async fn list(&self, query: &MigrationQuery) -> Result<ApiResponse<Page<Migration>>>;
    /// Every migration matching `query`, following `migrations_links` (2.59+) across pages.
    fn list_all(&self, query: MigrationQuery) -> BoxStream<'static, Result<Migration>>;
}
