//! Compute version documents (`GET /compute/`, `GET /compute/v2.1/`): any
//! body gives documents or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(docs) = nova_core::parse_versions(data) {
        for doc in docs {
            let _ = doc.range();
            let _ = doc.major();
        }
    }
    if let Ok(doc) = nova_core::parse_version_document(data) {
        let _ = doc.range();
    }
});
