//! Choosing the microversion: what the client supports ∩ what the server supports ∩ what the
//! operation requires.

use crate::error::{Error, Result};
use crate::microversion::{MicroVersion, Requested, VersionRange};
use crate::requirement::VersionReq;

/// Picks the microversion to use, before anything is sent.
///
/// - `client`: what the client implementation supports (its registration's `min..=max`).
/// - `server`: what the server supports, from its version document; `None` when the server
///   has no microversions (legacy v2, or a version document with empty `version`).
/// - `required`: the operation's requirement, if negotiating for one operation.
///
/// Rules (python-novaclient's `discover_version`, made complete):
///
/// - `Exact(v)`: `v` must be in `client` (or be the client major's `X.0`), in `server`, and
///   satisfy `required`. `X.0` means "no microversion header" and is accepted when the server
///   has no microversions or starts at `X.1` (Nova then answers as 2.1, which is
///   2.0-compatible).
/// - `Latest` / `MajorLatest(m)`: the highest version in `client ∩ server ∩ required`
///   (restricted to major `m`). With no server microversions, the client major's `X.0`.
///
/// Anything else is [`Error::VersionNotAvailable`] naming every range involved.
pub fn negotiate(
    requested: Requested,
    client: VersionRange,
    server: Option<VersionRange>,
    required: Option<&VersionReq>,
) -> Result<MicroVersion> {
    let unavailable = || Error::VersionNotAvailable {
        requested,
        client,
        server,
        required: required.cloned(),
    };
    let satisfies = |v: MicroVersion| required.is_none_or(|r| r.matches(v));
    if let Some(major) = requested.major()
        && major != client.min.major()
        && major != client.max.major()
    {
        return Err(unavailable());
    }

    match requested {
        Requested::Exact(v) => {
            let major_only_ok = v.is_major_only()
                && (v.major() == client.min.major() || v.major() == client.max.major())
                && match server {
                    None => true,
                    Some(s) => s.min == MicroVersion::new(v.major(), 1) || s.contains(v),
                };
            let in_ranges = client.contains(v) && server.is_some_and(|s| s.contains(v));
            if (major_only_ok || in_ranges) && satisfies(v) {
                Ok(v)
            } else {
                Err(unavailable())
            }
        }
        Requested::Latest | Requested::MajorLatest(_) => {
            let Some(server) = server else {
                // No microversions on the server: the client's major without a microversion.
                let v = MicroVersion::new(requested.major().unwrap_or(client.max.major()), 0);
                return if satisfies(v) {
                    Ok(v)
                } else {
                    Err(unavailable())
                };
            };
            let mut range = client.intersect(&server).ok_or_else(unavailable)?;
            if let Requested::MajorLatest(m) = requested {
                let major_range = VersionRange {
                    min: MicroVersion::new(m, 0),
                    max: MicroVersion::new(m, u16::MAX),
                };
                range = range.intersect(&major_range).ok_or_else(unavailable)?;
            }
            if let Some(req) = required {
                range = req.restrict(range).ok_or_else(unavailable)?;
            }
            Ok(range.max)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> MicroVersion {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }
    fn r(min: &str, max: &str) -> VersionRange {
        VersionRange {
            min: v(min),
            max: v(max),
        }
    }
    fn q(s: &str) -> Requested {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// (requested, client, server, requirement, expected)
    type Case<'a> = (
        &'a str,
        VersionRange,
        Option<VersionRange>,
        Option<&'a VersionReq>,
        Option<&'a str>,
    );

    #[test]
    fn table() {
        let novaclient = r("2.1", "2.96");
        let ours = r("2.1", "2.104");
        let master = Some(r("2.1", "2.104"));
        let queens = Some(r("2.1", "2.60"));
        let future = Some(r("2.110", "2.120"));
        let tags = VersionReq::parse(">=2.26").ok();
        let old_create = VersionReq::parse("<2.57").ok();
        // (requested, client, server, requirement, expected)
        let cases: Vec<Case<'_>> = vec![
            ("latest", ours, master, None, Some("2.104")),
            ("latest", novaclient, master, None, Some("2.96")),
            ("latest", ours, queens, None, Some("2.60")),
            ("2.latest", ours, queens, None, Some("2.60")),
            ("3.latest", ours, master, None, None),
            ("latest", ours, future, None, None),
            ("latest", ours, Some(r("1.1", "1.5")), None, None),
            ("latest", ours, None, None, Some("2.0")),
            ("2.latest", ours, None, None, Some("2.0")),
            ("2.60", ours, master, None, Some("2.60")),
            ("2.60", ours, queens, None, Some("2.60")),
            ("2.61", ours, queens, None, None),
            ("2.104", novaclient, master, None, None),
            ("2.200", ours, master, None, None),
            ("2.0", ours, master, None, Some("2.0")),
            ("2.0", ours, None, None, Some("2.0")),
            ("2.0", ours, Some(r("2.5", "2.10")), None, None),
            ("2.1", ours, None, None, None),
            ("3.0", ours, None, None, None),
            ("latest", ours, master, tags.as_ref(), Some("2.104")),
            ("latest", ours, Some(r("2.1", "2.25")), tags.as_ref(), None),
            ("latest", ours, master, old_create.as_ref(), Some("2.56")),
            ("2.20", ours, master, tags.as_ref(), None),
            ("2.26", ours, master, tags.as_ref(), Some("2.26")),
        ];
        for (requested, client, server, req, expected) in cases {
            let got = negotiate(q(requested), client, server, req);
            match (expected, got) {
                (Some(e), Ok(got)) => assert_eq!(got, v(e), "{requested} {client} {server:?}"),
                (
                    None,
                    Err(Error::VersionNotAvailable {
                        requested: rq,
                        client: c,
                        server: s,
                        required,
                    }),
                ) => {
                    assert_eq!(rq, q(requested));
                    assert_eq!((c, s), (client, server));
                    assert_eq!(required.as_ref(), req);
                }
                (e, got) => panic!("{requested} {client} {server:?}: expected {e:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn error_names_all_ranges() {
        let e = negotiate(q("2.200"), r("2.1", "2.104"), Some(r("2.1", "2.60")), None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            e,
            "compute API version 2.200 is not available: the client supports 2.1 to 2.104, the server supports 2.1 to 2.60"
        );
        assert!(!negotiate(q("2.200"), r("2.1", "2.104"), None, None).is_ok_and(|_| true));
    }
}
