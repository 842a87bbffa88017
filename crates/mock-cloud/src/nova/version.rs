//! Compute microversions: the `X.Y` type and how Nova reads the request headers
//! (`nova/api/openstack/wsgi.py` `set_api_version_request`, microversion_parse).

use std::fmt;
use std::str::FromStr;

use http::HeaderMap;
use serde::de::{self, Deserializer, Visitor};

use crate::error::Error;

/// The standard microversion header.
pub const STANDARD_HEADER: &str = "openstack-api-version";
/// The legacy Nova microversion header.
pub const LEGACY_HEADER: &str = "x-openstack-nova-api-version";

/// A compute microversion `major.minor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion(pub u16, pub u16);

impl ApiVersion {
    /// True when this version is `major.minor` or later.
    pub fn at_least(&self, major: u16, minor: u16) -> bool {
        *self >= ApiVersion(major, minor)
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// Grammar check of Nova's `^([1-9]\d*)\.([1-9]\d*|0)$`, returning the digit strings.
fn split_grammar(text: &str) -> Option<(&str, &str)> {
    let (major, minor) = text.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(major) || !digits(minor) || major.starts_with('0') {
        return None;
    }
    if minor.len() > 1 && minor.starts_with('0') {
        return None;
    }
    Some((major, minor))
}

impl FromStr for ApiVersion {
    type Err = Error;

    /// Parses `X.Y` exactly as Nova's grammar (no `latest`, no leading zeros).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || Error::InvalidVersion {
            input: text.to_owned(),
        };
        let (major, minor) = split_grammar(text).ok_or_else(invalid)?;
        Ok(ApiVersion(
            major.parse().map_err(|_| invalid())?,
            minor.parse().map_err(|_| invalid())?,
        ))
    }
}

impl<'de> serde::Deserialize<'de> for ApiVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VersionVisitor;
        impl Visitor<'_> for VersionVisitor {
            type Value = ApiVersion;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quoted microversion string such as \"2.60\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ApiVersion, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ApiVersion, E> {
                Err(E::custom(format!(
                    "microversion {v} must be quoted (\"2.60\" and 2.60 differ)"
                )))
            }
        }
        deserializer.deserialize_any(VersionVisitor)
    }
}

/// Why a request's microversion headers were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionRejection {
    /// 400: the value does not follow the grammar (the stripped value is kept).
    Malformed(String),
    /// 406: well formed but outside the served range (the value, echoed back).
    NotAcceptable(String),
}

/// The compute version requested by the headers, or `None` when none was given.
fn requested_text(headers: &HeaderMap) -> Option<String> {
    let mut standard: Option<String> = None;
    for value in headers.get_all(STANDARD_HEADER) {
        let text = String::from_utf8_lossy(value.as_bytes());
        for entry in text.split(',') {
            let mut parts = entry.trim().splitn(2, char::is_whitespace);
            let service = parts.next().unwrap_or_default();
            let version = parts.next().map(str::trim).unwrap_or_default();
            if service.eq_ignore_ascii_case("compute") && !version.is_empty() {
                standard = Some(version.to_owned());
            }
        }
    }
    if standard.is_some() {
        return standard;
    }
    let mut legacy: Option<String> = None;
    for value in headers.get_all(LEGACY_HEADER) {
        let text = String::from_utf8_lossy(value.as_bytes());
        if let Some(last) = text.rsplit(',').next() {
            legacy = Some(last.trim().to_owned());
        }
    }
    legacy
}

/// Reads the effective microversion of a request like Nova does: absent means
/// `min`, `latest` means `max`, anything else must match the grammar (else
/// [`VersionRejection::Malformed`]) and lie in `[min, max]` (else
/// [`VersionRejection::NotAcceptable`]).
pub fn negotiate(
    headers: &HeaderMap,
    min: ApiVersion,
    max: ApiVersion,
) -> Result<ApiVersion, VersionRejection> {
    let Some(text) = requested_text(headers) else {
        return Ok(min);
    };
    if text == "latest" {
        return Ok(max);
    }
    let Some((major, minor)) = split_grammar(&text) else {
        return Err(VersionRejection::Malformed(text));
    };
    match (major.parse::<u16>(), minor.parse::<u16>()) {
        (Ok(major), Ok(minor)) if (min..=max).contains(&ApiVersion(major, minor)) => {
            Ok(ApiVersion(major, minor))
        }
        _ => Err(VersionRejection::NotAcceptable(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const MIN: ApiVersion = ApiVersion(2, 1);
    const MAX: ApiVersion = ApiVersion(2, 104);

    fn with(headers: &[(&'static str, &'static str)]) -> Result<ApiVersion, VersionRejection> {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, HeaderValue::from_static(value));
        }
        negotiate(&map, MIN, MAX)
    }

    #[test]
    fn grammar_matches_nova() {
        for good in ["2.1", "2.10", "2.104", "2.0", "10.0"] {
            assert!(good.parse::<ApiVersion>().is_ok(), "{good}");
        }
        for bad in [
            "2", "2.", "v2.1", "02.1", "2.01", "2.1.0", "2.latest", "Latest", "", " 2.1", ".1",
            "2.-1", "2.1a", "99999.1",
        ] {
            assert!(bad.parse::<ApiVersion>().is_err(), "{bad}");
        }
        assert_eq!("2.60".parse::<ApiVersion>().unwrap().to_string(), "2.60");
    }

    #[test]
    fn absent_latest_and_explicit() {
        assert_eq!(with(&[]), Ok(MIN));
        assert_eq!(
            with(&[("openstack-api-version", "compute latest")]),
            Ok(MAX)
        );
        assert_eq!(
            with(&[("openstack-api-version", "compute 2.60")]),
            Ok(ApiVersion(2, 60))
        );
        assert_eq!(
            with(&[("x-openstack-nova-api-version", "2.5")]),
            Ok(ApiVersion(2, 5))
        );
        assert_eq!(
            with(&[("openstack-api-version", "  compute   2.7  ")]),
            Ok(ApiVersion(2, 7))
        );
    }

    #[test]
    fn standard_header_rules() {
        // several services, case-insensitive name, last compute wins
        assert_eq!(
            with(&[(
                "openstack-api-version",
                "identity 3.0, COMPUTE 2.3, compute 2.9"
            )]),
            Ok(ApiVersion(2, 9))
        );
        // standard wins over legacy
        assert_eq!(
            with(&[
                ("openstack-api-version", "compute 2.20"),
                ("x-openstack-nova-api-version", "2.30")
            ]),
            Ok(ApiVersion(2, 20))
        );
        // no compute entry: legacy used (last value)
        assert_eq!(
            with(&[
                ("openstack-api-version", "identity 3.0"),
                ("x-openstack-nova-api-version", "2.3, 2.40")
            ]),
            Ok(ApiVersion(2, 40))
        );
        // "compute" with no version is ignored
        assert_eq!(with(&[("openstack-api-version", "compute")]), Ok(MIN));
    }

    #[test]
    fn malformed_and_out_of_range() {
        for bad in [
            "2", "2.", "v2.1", "02.1", "2.01", "2.1.0", "2.latest", "Latest", "LATEST",
        ] {
            let header = format!("compute {bad}");
            let mut map = HeaderMap::new();
            map.insert(
                "openstack-api-version",
                HeaderValue::from_str(&header).unwrap(),
            );
            assert_eq!(
                negotiate(&map, MIN, MAX),
                Err(VersionRejection::Malformed(bad.into())),
                "{bad}"
            );
        }
        assert_eq!(
            with(&[("x-openstack-nova-api-version", "")]),
            Err(VersionRejection::Malformed(String::new()))
        );
        for out in ["2.0", "2.105", "3.0", "2.200", "2.99999999"] {
            let mut map = HeaderMap::new();
            map.insert(
                "x-openstack-nova-api-version",
                HeaderValue::from_static(out),
            );
            assert_eq!(
                negotiate(&map, MIN, MAX),
                Err(VersionRejection::NotAcceptable(out.into())),
                "{out}"
            );
        }
    }

    #[test]
    fn at_least_orders_numerically() {
        assert!(ApiVersion(2, 10).at_least(2, 9));
        assert!(ApiVersion(2, 10).at_least(2, 10));
        assert!(!ApiVersion(2, 9).at_least(2, 10));
        assert!(ApiVersion(3, 0).at_least(2, 104));
    }
}
