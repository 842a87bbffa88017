//! The flavor management API (admin): create, delete, description, extra specs, access.

use async_trait::async_trait;

use crate::types::{CreateFlavor, ExtraSpecs, Flavor, FlavorAccess};
use crate::{ApiResponse, Result};

/// Flavor management (`/flavors`, `/flavors/{id}/os-extra_specs`, `os-flavor-access`).
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait FlavorAdminApi: Send + Sync + std::fmt::Debug {
    /// `POST /flavors`.
    async fn create(&self, request: &CreateFlavor) -> Result<ApiResponse<Flavor>> {
        crate::compute::not_supported("flavor_admin.create")
    }
    /// `DELETE /flavors/{id}`.
    async fn delete(&self, id: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("flavor_admin.delete")
    }
    /// `PUT /flavors/{id}` (2.55+): the only updatable field is the description.
    async fn update_description<'a>(
        &self,
        id: &str,
        description: Option<&'a str>,
    ) -> Result<ApiResponse<Flavor>> {
        crate::compute::not_supported("flavor_admin.update_description")
    }
    /// `GET /flavors/{id}/os-extra_specs`.
    async fn extra_specs(&self, id: &str) -> Result<ApiResponse<ExtraSpecs>> {
        crate::compute::not_supported("flavor_admin.extra_specs")
    }
    /// `GET /flavors/{id}/os-extra_specs/{key}`: the value of one key.
    async fn extra_spec(&self, id: &str, key: &str) -> Result<ApiResponse<String>> {
        crate::compute::not_supported("flavor_admin.extra_spec")
    }
    /// `POST /flavors/{id}/os-extra_specs`: adds or replaces these keys; returns them.
    async fn set_extra_specs(
        &self,
        id: &str,
        specs: &ExtraSpecs,
    ) -> Result<ApiResponse<ExtraSpecs>> {
        crate::compute::not_supported("flavor_admin.set_extra_specs")
    }
    /// `DELETE /flavors/{id}/os-extra_specs/{key}`.
    async fn unset_extra_spec(&self, id: &str, key: &str) -> Result<ApiResponse<()>> {
        crate::compute::not_supported("flavor_admin.unset_extra_spec")
    }
    /// `GET /flavors/{id}/os-flavor-access`: projects that may use a private flavor.
    async fn access_list(&self, id: &str) -> Result<ApiResponse<Vec<FlavorAccess>>> {
        crate::compute::not_supported("flavor_admin.access_list")
    }
    /// `POST /flavors/{id}/action` `addTenantAccess`.
    async fn add_access(
        &self,
        id: &str,
        project_id: &str,
    ) -> Result<ApiResponse<Vec<FlavorAccess>>> {
        crate::compute::not_supported("flavor_admin.add_access")
    }
    /// `POST /flavors/{id}/action` `removeTenantAccess`.
    async fn remove_access(
        &self,
        id: &str,
        project_id: &str,
    ) -> Result<ApiResponse<Vec<FlavorAccess>>> {
        crate::compute::not_supported("flavor_admin.remove_access")
    }
}
