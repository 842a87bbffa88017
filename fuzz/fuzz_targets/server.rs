//! `Server` deserialization (and the `{"server": ...}` / `{"servers": [...]}`
//! envelopes): any JSON gives a server or an error, and a server serializes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nova_core::types::Server;

fuzz_target!(|data: &[u8]| {
    if let Ok(server) = serde_json::from_slice::<Server>(data) {
        let _ = serde_json::to_vec(&server).expect("a parsed server serializes");
        let _ = format!("{server:?}");
    }
    let _ = serde_json::from_slice::<std::collections::BTreeMap<String, Server>>(data);
    let _ = serde_json::from_slice::<std::collections::BTreeMap<String, Vec<Server>>>(data);
});
