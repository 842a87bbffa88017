//! Keystone token responses and service catalogs: any body gives access
//! info or a typed error; endpoint lookups on what parsed never panic.
#![no_main]

use keystone_auth::{AccessInfo, EndpointFilter, ServiceCatalog, Url};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let url = Url::parse("http://127.0.0.1:5000/v3/auth/tokens").expect("url");
    if let Ok(access) = AccessInfo::parse_token_response("fuzz-token".into(), data, &url) {
        lookups(&access.catalog);
        let _ = access.role_names();
    }
    if let Ok(catalog) = serde_json::from_slice::<ServiceCatalog>(data) {
        lookups(&catalog);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = keystone_auth::parse_keystone_time(text);
    }
});

fn lookups(catalog: &ServiceCatalog) {
    for filter in [
        EndpointFilter::new("compute"),
        EndpointFilter::new("identity").region("RegionOne"),
    ] {
        let _ = catalog.endpoint_for(&filter);
    }
    let _ = catalog.endpoint_urls().count();
    let _ = catalog.describe();
}
