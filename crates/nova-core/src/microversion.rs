//! Compute API microversions: [`MicroVersion`], [`Requested`] and [`VersionRange`].
//!
//! Parsing follows Nova's grammar exactly (`APIVersionRequest.__init__` in
//! `nova/api/openstack/api_version_request.py`): a version is `X.Y` matching
//! `^([1-9]\d*)\.([1-9]\d*|0)$`, and a request may also be the lowercase word `latest`.
//! Like python-novaclient we additionally accept `X.latest` as a request ("the newest
//! microversion of major X"). Unlike Nova's server we do not strip whitespace: a client
//! that sends `" 2.1"` has a bug worth reporting.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A compute API microversion such as `2.60`: a major and a minor number.
///
/// Parsing follows Nova's grammar exactly (`APIVersionRequest.__init__`): `X.Y` matching
/// `^([1-9]\d*)\.([1-9]\d*|0)$` with both numbers fitting in `u16`. `2.0` parses; `2`,
/// `v2.1`, `02.1`, `2.01`, `2.1.0`, `2.latest`, floats like `2.5e1` and surrounding
/// whitespace are [`Error::InvalidVersion`] quoting the input. (Nova's server strips
/// whitespace; a client that sends `" 2.1"` has a bug worth reporting.)
///
/// Ordered by `(major, minor)`, so `2.9 < 2.10 < 2.104 < 3.0`. The minor `0` has a special
/// meaning for the compute API: `2.0` is "the API without microversions" (legacy v2); a
/// [`Connection`](crate::Connection) at an `X.0` version sends no microversion headers, as
/// python-novaclient does.
///
/// ```
/// use nova_core::MicroVersion;
/// let v: MicroVersion = "2.60".parse()?;
/// assert_eq!(v, MicroVersion::new(2, 60));
/// assert!(v > MicroVersion::new(2, 9));
/// assert_eq!(v.to_string(), "2.60");
/// assert!("2.01".parse::<MicroVersion>().is_err());
/// # Ok::<(), nova_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MicroVersion {
    major: u16,
    minor: u16,
}

impl MicroVersion {
    /// The lowest microversion of compute API v2.1 (what Nova uses when no header is sent).
    pub const V2_1: MicroVersion = MicroVersion::new(2, 1);
    /// Compute v2 without microversions (legacy v2.0).
    pub const V2_0: MicroVersion = MicroVersion::new(2, 0);

    /// A microversion from its parts. `const`, so it can be used in registrations.
    pub const fn new(major: u16, minor: u16) -> Self {
        Self { major, minor }
    }

    /// The major number (`2` in `2.60`).
    pub const fn major(self) -> u16 {
        self.major
    }

    /// The minor number (`60` in `2.60`).
    pub const fn minor(self) -> u16 {
        self.minor
    }

    /// Whether this is an `X.0` version, i.e. "no microversion" for that major.
    pub const fn is_major_only(self) -> bool {
        self.minor == 0
    }

    /// Parses Nova's `X.Y` grammar (see the [type documentation](MicroVersion)).
    pub fn parse(input: &str) -> Result<Self, Error> {
        input.parse()
    }

    /// The next version in `(major, minor)` order, or `None` at `u16::MAX.u16::MAX`.
    pub(crate) const fn successor(self) -> Option<Self> {
        if self.minor < u16::MAX {
            Some(Self::new(self.major, self.minor + 1))
        } else if self.major < u16::MAX {
            Some(Self::new(self.major + 1, 0))
        } else {
            None
        }
    }

    /// The previous version in `(major, minor)` order, or `None` at `0.0`.
    pub(crate) const fn predecessor(self) -> Option<Self> {
        if self.minor > 0 {
            Some(Self::new(self.major, self.minor - 1))
        } else if self.major > 0 {
            Some(Self::new(self.major - 1, u16::MAX))
        } else {
            None
        }
    }
}

impl fmt::Display for MicroVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

fn invalid(input: &str, reason: impl Into<String>) -> Error {
    Error::InvalidVersion {
        input: input.to_owned(),
        reason: reason.into(),
    }
}

/// Parses one number of Nova's grammar: ASCII digits, no sign, no leading zero unless the
/// number is exactly `0` and `zero_allowed`.
fn parse_number(input: &str, part: &str, what: &str, zero_allowed: bool) -> Result<u16, Error> {
    if part.is_empty() {
        return Err(invalid(input, format!("the {what} number is missing")));
    }
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            input,
            format!("the {what} number {part:?} is not a decimal number"),
        ));
    }
    if part == "0" {
        if zero_allowed {
            return Ok(0);
        }
        return Err(invalid(input, format!("the {what} number must not be 0")));
    }
    if part.starts_with('0') {
        return Err(invalid(
            input,
            format!("the {what} number {part:?} has a leading zero"),
        ));
    }
    part.parse::<u16>().map_err(|_| {
        invalid(
            input,
            format!("the {what} number {part} is larger than {}", u16::MAX),
        )
    })
}

const GRAMMAR_HINT: &str = "expected MajorNum.MinorNum such as 2.60";

impl FromStr for MicroVersion {
    type Err = Error;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        if input.is_empty() {
            return Err(invalid(input, "the version is empty"));
        }
        if input.trim() != input {
            return Err(invalid(input, "surrounding whitespace is not allowed"));
        }
        let Some((major, minor)) = input.split_once('.') else {
            return Err(invalid(input, format!("no minor version; {GRAMMAR_HINT}")));
        };
        if minor.contains('.') {
            return Err(invalid(
                input,
                format!("more than two numbers; {GRAMMAR_HINT}"),
            ));
        }
        let major = parse_number(input, major, "major", false)?;
        let minor = parse_number(input, minor, "minor", true)?;
        Ok(Self::new(major, minor))
    }
}

/// Serialized as its text form (`"2.60"`), so it can sit in configuration files.
impl serde::Serialize for MicroVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Deserialized from Nova's `X.Y` text form, with the same errors as [`MicroVersion::parse`].
impl<'de> serde::Deserialize<'de> for MicroVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What a caller asks for: an exact microversion, the newest the server and client share,
/// or the newest of one major version.
///
/// Text forms: `2.60`, `latest`, `2.latest`. `Display` writes the same forms back.
///
/// ```
/// use nova_core::{MicroVersion, Requested};
/// assert_eq!("latest".parse::<Requested>()?, Requested::Latest);
/// assert_eq!("2.latest".parse::<Requested>()?, Requested::MajorLatest(2));
/// assert_eq!("2.60".parse::<Requested>()?, Requested::Exact(MicroVersion::new(2, 60)));
/// assert!("Latest".parse::<Requested>().is_err());
/// # Ok::<(), nova_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Requested {
    /// Exactly this microversion.
    Exact(MicroVersion),
    /// The newest microversion both the client and the server support (`latest`).
    Latest,
    /// The newest microversion of this major version (`X.latest`).
    MajorLatest(u16),
}

impl Requested {
    /// Parses `X.Y`, `latest` or `X.latest`.
    pub fn parse(input: &str) -> Result<Self, Error> {
        input.parse()
    }

    /// The major version this request is restricted to, if any.
    pub const fn major(self) -> Option<u16> {
        match self {
            Requested::Exact(v) => Some(v.major()),
            Requested::MajorLatest(m) => Some(m),
            Requested::Latest => None,
        }
    }

    /// The exact version, if this request names one.
    pub const fn exact(self) -> Option<MicroVersion> {
        match self {
            Requested::Exact(v) => Some(v),
            _ => None,
        }
    }
}

impl From<MicroVersion> for Requested {
    fn from(v: MicroVersion) -> Self {
        Requested::Exact(v)
    }
}

impl FromStr for Requested {
    type Err = Error;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        if input == "latest" {
            return Ok(Requested::Latest);
        }
        if let Some(major) = input.strip_suffix(".latest") {
            if major.contains('.') {
                return Err(invalid(
                    input,
                    "expected X.latest with a single major number",
                ));
            }
            return parse_number(input, major, "major", false).map(Requested::MajorLatest);
        }
        if input.eq_ignore_ascii_case("latest") {
            return Err(invalid(input, "`latest` must be lowercase"));
        }
        input.parse().map(Requested::Exact)
    }
}

impl fmt::Display for Requested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Requested::Exact(v) => v.fmt(f),
            Requested::Latest => f.write_str("latest"),
            Requested::MajorLatest(m) => write!(f, "{m}.latest"),
        }
    }
}

/// Serialized as its text form (`"latest"`, `"2.latest"`, `"2.60"`).
impl serde::Serialize for Requested {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Deserialized from its text form, with the same errors as [`Requested::parse`].
impl<'de> serde::Deserialize<'de> for Requested {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An inclusive range of microversions, `min..=max`.
///
/// Used for what a server supports (from its version document), what a client
/// implementation supports (from its registration) and their intersection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct VersionRange {
    /// The lowest supported microversion.
    pub min: MicroVersion,
    /// The highest supported microversion.
    pub max: MicroVersion,
}

impl VersionRange {
    /// The range `min..=max`; an error naming both when `min > max`.
    pub fn new(min: MicroVersion, max: MicroVersion) -> Result<Self, Error> {
        if min > max {
            return Err(invalid(
                &format!("{min}-{max}"),
                "the minimum is above the maximum",
            ));
        }
        Ok(Self { min, max })
    }

    /// Whether `v` lies within the range (both ends included).
    pub fn contains(&self, v: MicroVersion) -> bool {
        self.min <= v && v <= self.max
    }

    /// Whether the range holds no version (only possible with hand-built `min > max`).
    pub fn is_empty(&self) -> bool {
        self.min > self.max
    }

    /// The versions in both ranges, or `None` when they do not overlap.
    pub fn intersect(&self, other: &VersionRange) -> Option<VersionRange> {
        let min = self.min.max(other.min);
        let max = self.max.min(other.max);
        (min <= max).then_some(VersionRange { min, max })
    }
}

impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.min, self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// README 4(b): values Nova's grammar accepts.
    #[test]
    fn nova_valid_versions_parse() {
        for (text, major, minor) in [
            ("2.1", 2, 1),
            ("2.10", 2, 10),
            ("2.104", 2, 104),
            ("2.0", 2, 0),
            ("3.0", 3, 0),
            ("2.105", 2, 105),
            ("65535.65535", 65535, 65535),
        ] {
            let v: MicroVersion = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((v.major(), v.minor()), (major, minor), "{text}");
            assert_eq!(v.to_string(), text);
        }
    }

    /// README 4(b): values Nova answers with 400, plus what the issue lists.
    #[test]
    fn nova_invalid_versions_are_typed_errors_quoting_the_input() {
        for text in [
            "2",
            "2.",
            "v2.1",
            "02.1",
            "2.01",
            "2.1.0",
            "2.latest",
            "Latest",
            "LATEST",
            "",
            " 2.1",
            "2.1 ",
            "2.1\n",
            "1e2.1",
            "2.5e1",
            "+2.1",
            "-2.1",
            "2.-1",
            "0.1",
            ".1",
            "2..1",
            "65536.1",
            "2.65536",
            "99999999999999999999.1",
            "2,1",
            "２.1",
            "latest",
        ] {
            match text.parse::<MicroVersion>() {
                Err(Error::InvalidVersion { input, reason }) => {
                    assert_eq!(input, text);
                    assert!(!reason.is_empty());
                    let shown = Error::InvalidVersion { input, reason }.to_string();
                    assert!(shown.contains(&format!("{text:?}")), "{shown}");
                }
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn requested_forms() {
        assert_eq!(Requested::parse("latest").ok(), Some(Requested::Latest));
        assert_eq!(
            Requested::parse("2.latest").ok(),
            Some(Requested::MajorLatest(2))
        );
        assert_eq!(
            Requested::parse("2.60").ok(),
            Some(Requested::Exact(MicroVersion::new(2, 60)))
        );
        for bad in [
            "Latest",
            "LATEST",
            "02.latest",
            "2.1.latest",
            ".latest",
            "latest.2",
            "v2.latest",
            " latest",
            "2",
        ] {
            assert!(
                matches!(Requested::parse(bad), Err(Error::InvalidVersion { ref input, .. }) if input == bad),
                "{bad}"
            );
        }
        assert_eq!(Requested::Latest.major(), None);
        assert_eq!(Requested::MajorLatest(3).major(), Some(3));
    }

    #[test]
    fn ordering_is_numeric_not_textual() {
        let v = |s: &str| MicroVersion::parse(s).unwrap_or_else(|e| panic!("{e}"));
        assert!(v("2.9") < v("2.10"));
        assert!(v("2.10") < v("2.104"));
        assert!(v("2.104") < v("3.0"));
        assert!(v("2.0") < v("2.1"));
    }

    #[test]
    fn successor_and_predecessor_cross_majors() {
        assert_eq!(
            MicroVersion::new(2, u16::MAX).successor(),
            Some(MicroVersion::new(3, 0))
        );
        assert_eq!(
            MicroVersion::new(3, 0).predecessor(),
            Some(MicroVersion::new(2, u16::MAX))
        );
        assert_eq!(MicroVersion::new(0, 0).predecessor(), None);
        assert_eq!(MicroVersion::new(u16::MAX, u16::MAX).successor(), None);
    }

    #[test]
    fn ranges() {
        let r = VersionRange::new(MicroVersion::new(2, 1), MicroVersion::new(2, 104))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(r.contains(MicroVersion::new(2, 60)));
        assert!(!r.contains(MicroVersion::new(2, 0)));
        assert!(!r.contains(MicroVersion::new(2, 105)));
        let c = VersionRange::new(MicroVersion::new(2, 1), MicroVersion::new(2, 96))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.intersect(&c), Some(c));
        let old = VersionRange::new(MicroVersion::new(2, 105), MicroVersion::new(2, 110))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.intersect(&old), None);
        assert!(VersionRange::new(MicroVersion::new(2, 5), MicroVersion::new(2, 4)).is_err());
        assert_eq!(r.to_string(), "2.1 to 2.104");
    }

    #[test]
    fn serde_uses_the_text_form() {
        let v = MicroVersion::new(2, 60);
        assert_eq!(serde_json::to_string(&v).ok().as_deref(), Some("\"2.60\""));
        assert_eq!(
            serde_json::from_str::<MicroVersion>("\"2.60\"").ok(),
            Some(v)
        );
        let e = serde_json::from_str::<MicroVersion>("\"2.01\"")
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("\"2.01\"")));
        assert_eq!(
            serde_json::from_str::<Requested>("\"2.latest\"").ok(),
            Some(Requested::MajorLatest(2))
        );
        assert_eq!(
            serde_json::to_string(&Requested::Latest).ok().as_deref(),
            Some("\"latest\"")
        );
    }

    fn microversion() -> impl Strategy<Value = MicroVersion> {
        (1u16.., any::<u16>()).prop_map(|(a, b)| MicroVersion::new(a, b))
    }

    proptest! {
        #[test]
        fn display_round_trips(v in microversion()) {
            prop_assert_eq!(v.to_string().parse::<MicroVersion>().ok(), Some(v));
            let r = Requested::Exact(v);
            prop_assert_eq!(r.to_string().parse::<Requested>().ok(), Some(r));
        }

        #[test]
        fn major_latest_round_trips(m in 1u16..) {
            let r = Requested::MajorLatest(m);
            prop_assert_eq!(r.to_string().parse::<Requested>().ok(), Some(r));
        }

        #[test]
        fn order_matches_tuple_order(a in microversion(), b in microversion()) {
            prop_assert_eq!(a.cmp(&b), (a.major(), a.minor()).cmp(&(b.major(), b.minor())));
        }

        #[test]
        fn parse_accepts_exactly_novas_regex(s in "[0-9v. a-z+-]{0,8}") {
            // ^([1-9]\d*)\.([1-9]\d*|0)$ plus the u16 bound
            let by_regex = {
                let ok_num = |p: &str, zero: bool| !p.is_empty()
                    && p.bytes().all(|b| b.is_ascii_digit())
                    && (p == "0" && zero || !p.starts_with('0'))
                    && p.parse::<u16>().is_ok();
                match s.split_once('.') {
                    Some((a, b)) => ok_num(a, false) && ok_num(b, true),
                    None => false,
                }
            };
            prop_assert_eq!(s.parse::<MicroVersion>().is_ok(), by_regex, "{:?}", s);
        }

        #[test]
        fn never_panics_on_arbitrary_text(s in "\\PC{0,20}") {
            let _ = s.parse::<MicroVersion>();
            let _ = s.parse::<Requested>();
        }
    }
}
