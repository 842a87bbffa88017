//! The compute hosts of the target, for tests that move servers between hosts or name one:
//! mock-cloud seeds `compute-0` and `compute-1`; a real cloud has what it has (the
//! conformance cloud one, `conformance`).

use nova_core::compute::ComputeClient;
use nova_core::types::ServiceQuery;

use crate::{TestCloud, skip_notice};

impl TestCloud {
    /// The hosts of the target's `nova-compute` services as `admin` lists them, sorted.
    pub async fn compute_hosts(&self, admin: &dyn ComputeClient) -> Vec<String> {
        let query = ServiceQuery::new().binary("nova-compute");
        let mut hosts: Vec<String> = admin
            .services()
            .list(&query)
            .await
            .expect("an admin lists the compute services")
            .value
            .into_iter()
            .map(|service| service.host)
            .collect();
        hosts.sort();
        hosts.dedup();
        hosts
    }

    /// The compute hosts ([`TestCloud::compute_hosts`]) when there are at least `wanted`;
    /// else `None` and a `SKIPPED` line saying how many the target has.
    pub async fn require_compute_hosts(
        &self,
        admin: &dyn ComputeClient,
        wanted: usize,
    ) -> Option<Vec<String>> {
        let hosts = self.compute_hosts(admin).await;
        if hosts.len() < wanted {
            skip_notice(&format!(
                "needs {wanted} compute hosts; the target has {}",
                hosts.len()
            ));
            return None;
        }
        Some(hosts)
    }
}
