//! Remote consoles (2.6+), the older console actions and console auth tokens.

use async_trait::async_trait;

use crate::types::{ConsoleConnectInfo, ConsoleProtocol, ConsoleType, RemoteConsole};
use crate::{ApiResponse, Result};

/// Remote consoles (2.6+), the older console actions and console auth tokens.
///
/// Every console call picks the endpoint for the negotiated microversion, like novaclient:
/// the server actions `os-get*Console` below 2.6, `POST /servers/{id}/remote-consoles`
/// from 2.6. The type is checked against the protocol and the microversion before sending.
// The defaults ignore their arguments: they only say the operation is not supported.
#[allow(unused_variables)]
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ConsoleApi: Send + Sync + std::fmt::Debug {
    /// A console of any protocol and type: `POST /servers/{id}/remote-consoles` (2.6+) or
    /// `POST /servers/{id}/action` `os-get*Console` (below 2.6; no `mks`, no `spice-direct`).
    async fn remote_console(
        &self,
        server_id: &str,
        protocol: ConsoleProtocol,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        crate::compute::not_supported("consoles.remote_console")
    }
    /// A VNC console, `novnc` or `xvpvnc` (all versions; `os-getVNCConsole` below 2.6).
    async fn vnc_console(
        &self,
        server_id: &str,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        crate::compute::not_supported("consoles.vnc_console")
    }
    /// A SPICE console: `spice-html5` (all versions; `os-getSPICEConsole` below 2.6) or
    /// `spice-direct` (2.99+).
    async fn spice_console(
        &self,
        server_id: &str,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        crate::compute::not_supported("consoles.spice_console")
    }
    /// An RDP console, `rdp-html5` (all versions; `os-getRDPConsole` below 2.6).
    async fn rdp_console(
        &self,
        server_id: &str,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        crate::compute::not_supported("consoles.rdp_console")
    }
    /// A serial console, `serial` (all versions; `os-getSerialConsole` below 2.6).
    async fn serial_console(
        &self,
        server_id: &str,
        console_type: ConsoleType,
    ) -> Result<ApiResponse<RemoteConsole>> {
        crate::compute::not_supported("consoles.serial_console")
    }
    /// A WebMKS console (2.8+).
    async fn mks_console(&self, server_id: &str) -> Result<ApiResponse<RemoteConsole>> {
        crate::compute::not_supported("consoles.mks_console")
    }
    /// `GET /os-console-auth-tokens/{token}` (admin; all versions, but below 2.31 only
    /// for `rdp-html5` tokens).
    async fn connect_info(&self, token: &str) -> Result<ApiResponse<ConsoleConnectInfo>> {
        crate::compute::not_supported("consoles.connect_info")
    }
}
