//! Remote consoles (2.6+), the older console actions and console auth tokens.

use async_trait::async_trait;

/// Remote consoles (2.6+), the older console actions and console auth tokens.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ConsoleApi: Send + Sync + std::fmt::Debug {}
