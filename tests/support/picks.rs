//! What to boot with on the target cloud: a flavor, an image and networks that exist there,
//! never the mock's names or ids. Each can be forced through the environment:
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `NOVA_TEST_FLAVOR` | flavor name or id to boot | the smallest flavor listed |
//! | `NOVA_TEST_RESIZE_FLAVOR` | flavor name or id to resize to | the next bigger one |
//! | `NOVA_TEST_IMAGE` | image id to boot | mock: its first image; else the first active Glance image |
//! | `NOVA_TEST_NETWORK` | `auto`, `none` or a network id | mock: `auto`; else `none` |
//! | `NOVA_TEST_SECURITY_GROUP` | security group name (empty: none) | `default` |

use futures::TryStreamExt;
use std::cmp::Ordering;

use keystone_auth::{Adapter, HeaderMap, Method};
use nova_core::MicroVersion;
use nova_v2::{Flavor, NetworkSpec, Networks};
use serde_json::Value;

use crate::TestCloud;

/// The first microversion that accepts `networks: "auto"` / `"none"` (and requires `networks`).
const NETWORKS_REQUIRED: MicroVersion = MicroVersion::new(2, 37);

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

fn size(flavor: &Flavor) -> (u64, u64, u64) {
    (flavor.ram, flavor.disk, flavor.vcpus)
}

fn ascending(a: &Flavor, b: &Flavor) -> Ordering {
    size(a)
        .cmp(&size(b))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.id.cmp(&b.id))
}

fn named<'a>(flavors: &'a [Flavor], wanted: &str, variable: &str) -> &'a Flavor {
    flavors
        .iter()
        .find(|f| f.id == wanted || f.name == wanted)
        .unwrap_or_else(|| {
            let offered: Vec<&str> = flavors.iter().map(|f| f.name.as_str()).collect();
            panic!("{variable}={wanted} names no flavor of this cloud; it offers {offered:?}")
        })
}

impl TestCloud {
    /// The enabled flavors this cloud lists to the test user, smallest first.
    pub async fn flavors(&self) -> Vec<Flavor> {
        self.flavors
            .get_or_init(|| async {
                let client = self.compute("2.1").await;
                let mut flavors: Vec<Flavor> = client
                    .flavors()
                    .list_all(Default::default())
                    .try_collect::<Vec<Flavor>>()
                    .await
                    .expect("the cloud lists its flavors")
                    .into_iter()
                    .filter(|f| f.disabled != Some(true))
                    .collect();
                flavors.sort_by(ascending);
                assert!(!flavors.is_empty(), "{} lists no flavor", self.name());
                flavors
            })
            .await
            .clone()
    }

    /// The flavor to boot: `NOVA_TEST_FLAVOR`, else the smallest flavor listed.
    pub async fn flavor(&self) -> Flavor {
        let flavors = self.flavors().await;
        match env("NOVA_TEST_FLAVOR") {
            Some(wanted) => named(&flavors, &wanted, "NOVA_TEST_FLAVOR").clone(),
            None => flavors[0].clone(),
        }
    }

    /// A flavor to resize [`TestCloud::flavor`] to: `NOVA_TEST_RESIZE_FLAVOR`, else the
    /// smallest one at least as big in RAM, disk and vCPUs and bigger in one of them (Nova
    /// refuses to shrink a disk), else an equal one with another id; `None` when the cloud
    /// has no such flavor.
    pub async fn resize_flavor(&self) -> Option<Flavor> {
        let flavors = self.flavors().await;
        if let Some(wanted) = env("NOVA_TEST_RESIZE_FLAVOR") {
            return Some(named(&flavors, &wanted, "NOVA_TEST_RESIZE_FLAVOR").clone());
        }
        let boot = self.flavor().await;
        let fits = |f: &&Flavor| {
            f.id != boot.id && f.ram >= boot.ram && f.disk >= boot.disk && f.vcpus >= boot.vcpus
        };
        flavors
            .iter()
            .filter(fits)
            .find(|f| size(f) != size(&boot))
            .or_else(|| flavors.iter().find(fits))
            .cloned()
    }

    /// The image to boot: `NOVA_TEST_IMAGE`, else the mock's first image when the target is
    /// mock-cloud, else the first active image of the catalog's `image` service.
    pub async fn image_id(&self) -> String {
        self.image
            .get_or_init(|| async {
                if let Some(image) = env("NOVA_TEST_IMAGE") {
                    return image;
                }
                if let Some(mock) = self.mock() {
                    let images = mock.images().await;
                    let (id, _) = images.first().expect("mock-cloud has an image");
                    return id.clone();
                }
                self.first_active_glance_image().await
            })
            .await
            .clone()
    }

    async fn first_active_glance_image(&self) -> String {
        let image = Adapter::new(self.session(), self.config.endpoint_filter("image"));
        let endpoint = image
            .endpoint()
            .await
            .expect("the catalog has an image service (or set NOVA_TEST_IMAGE)");
        let versioned = endpoint.path().trim_end_matches('/').ends_with("/v2");
        let path = if versioned {
            "images?status=active&limit=100"
        } else {
            "v2/images?status=active&limit=100"
        };
        let body: Value = image
            .send(Method::GET, path, HeaderMap::new(), None)
            .await
            .expect("the image service answers")
            .error_for_status()
            .expect("the image list succeeds")
            .json()
            .expect("the image list is JSON");
        let images = body["images"].as_array().cloned().unwrap_or_default();
        let bootable = |image: &&Value| {
            image["status"] == "active"
                && !matches!(image["container_format"].as_str(), Some("aki" | "ari"))
        };
        images
            .iter()
            .find(bootable)
            .and_then(|image| image["id"].as_str())
            .map(str::to_string)
            .expect("the cloud has an active image (or set NOVA_TEST_IMAGE)")
    }

    /// The `networks` of a create request at `version`, or `None` to leave it out (below
    /// 2.37 `auto` and `none` do not exist; Nova then picks the networks itself).
    pub fn networks(&self, version: MicroVersion) -> Option<Networks> {
        let choice = env("NOVA_TEST_NETWORK")
            .unwrap_or_else(|| if self.mock.is_some() { "auto" } else { "none" }.to_string());
        match choice.as_str() {
            "auto" if version >= NETWORKS_REQUIRED => Some(Networks::Auto),
            "none" if version >= NETWORKS_REQUIRED => Some(Networks::None),
            "auto" | "none" => None,
            network => Some(Networks::List(vec![NetworkSpec::network(network)])),
        }
    }

    /// The security group to name in a create request (`NOVA_TEST_SECURITY_GROUP`, default
    /// `default`; set it empty for none).
    pub fn security_group(&self) -> Option<String> {
        match std::env::var("NOVA_TEST_SECURITY_GROUP") {
            Ok(name) if name.trim().is_empty() => None,
            Ok(name) => Some(name),
            Err(_) => Some("default".to_string()),
        }
    }
}
