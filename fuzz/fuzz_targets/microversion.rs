//! Microversion, requested-version and requirement parsing: any text gives a
//! value or an error, and a parsed version prints back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nova_core::{MicroVersion, Requested, VersionReq};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(version) = text.parse::<MicroVersion>() {
        let again: MicroVersion = version
            .to_string()
            .parse()
            .expect("a parsed version prints as a parsable version");
        assert_eq!(again, version);
    }
    let _ = text.parse::<Requested>();
    if let Ok(req) = VersionReq::parse(text) {
        let _ = req.matches(MicroVersion::new(2, 60));
        let _ = req.to_string();
    }
});
