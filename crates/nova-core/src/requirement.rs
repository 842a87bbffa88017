//! [`VersionReq`]: which microversions an operation or a request field needs.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::microversion::{MicroVersion, VersionRange};

/// One end of a requirement's interval: the version, and whether it is itself included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Bound {
    version: MicroVersion,
    inclusive: bool,
}

impl Bound {
    const fn inclusive(version: MicroVersion) -> Self {
        Self {
            version,
            inclusive: true,
        }
    }

    const fn exclusive(version: MicroVersion) -> Self {
        Self {
            version,
            inclusive: false,
        }
    }

    /// The lowest version a lower bound admits (`None`: none at all).
    const fn lowest(self) -> Option<MicroVersion> {
        if self.inclusive {
            Some(self.version)
        } else {
            self.version.successor()
        }
    }

    /// The highest version an upper bound admits (`None`: none at all).
    const fn highest(self) -> Option<MicroVersion> {
        if self.inclusive {
            Some(self.version)
        } else {
            self.version.predecessor()
        }
    }
}

/// `a < b` in the `(major, minor)` order, usable in `const`.
const fn less(a: MicroVersion, b: MicroVersion) -> bool {
    a.major() < b.major() || (a.major() == b.major() && a.minor() < b.minor())
}

/// The tighter of two optional lower bounds (`>=2.6` and `>2.5` admit the same versions).
const fn tighter_lower(a: Option<Bound>, b: Option<Bound>) -> Option<Bound> {
    match (a, b) {
        (None, other) | (other, None) => other,
        (Some(x), Some(y)) => {
            let x_wins = less(y.version, x.version)
                || (x.version.major() == y.version.major()
                    && x.version.minor() == y.version.minor()
                    && !x.inclusive);
            if x_wins { Some(x) } else { Some(y) }
        }
    }
}

/// The tighter of two optional upper bounds.
const fn tighter_upper(a: Option<Bound>, b: Option<Bound>) -> Option<Bound> {
    match (a, b) {
        (None, other) | (other, None) => other,
        (Some(x), Some(y)) => {
            let x_wins = less(x.version, y.version)
                || (x.version.major() == y.version.major()
                    && x.version.minor() == y.version.minor()
                    && !x.inclusive);
            if x_wins { Some(x) } else { Some(y) }
        }
    }
}

/// A requirement on the microversion, such as `>=2.26` or `>=2.19, <2.57`: one interval of the
/// `(major, minor)` order, with an optional lower and an optional upper end.
///
/// Gates are `const` values built from [`MicroVersion`]s, so a malformed gate cannot compile and
/// nothing is parsed when a request is checked:
///
/// ```
/// use nova_core::{MicroVersion, VersionReq};
/// const TAGS: VersionReq = VersionReq::at_least(MicroVersion::new(2, 26));
/// const PERSONALITY: VersionReq = VersionReq::below(MicroVersion::new(2, 57));
/// const FORCE: VersionReq = VersionReq::between(MicroVersion::new(2, 29), MicroVersion::new(2, 68));
/// assert!(TAGS.matches(MicroVersion::new(2, 26)) && !TAGS.matches(MicroVersion::new(2, 25)));
/// assert!(!PERSONALITY.matches(MicroVersion::new(2, 57)));
/// assert_eq!(FORCE.to_string(), ">=2.29, <2.68");
/// ```
///
/// A requirement can also be parsed from text (for requirements a person writes): comma-separated
/// comparators, each an operator (`=`, `>`, `>=`, `<`, `<=`) followed by a microversion in Nova's
/// `X.Y` grammar; all must hold. `*` alone matches every version. An operator is mandatory (a bare
/// `2.19` would mean `^2.19` to semver, which is never what a microversion gate wants). Several
/// lower (or upper) comparators keep the tightest, so [`Display`](fmt::Display) shows at most two.
///
/// ```
/// use nova_core::{MicroVersion, VersionReq};
/// let req = VersionReq::parse(">=2.19, <2.57")?;
/// assert!(req.matches(MicroVersion::new(2, 19)));
/// assert!(!req.matches(MicroVersion::new(2, 57)));
/// assert_eq!(req.to_string(), ">=2.19, <2.57");
/// assert_eq!(req, VersionReq::between(MicroVersion::new(2, 19), MicroVersion::new(2, 57)));
/// # Ok::<(), nova_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionReq {
    lower: Option<Bound>,
    upper: Option<Bound>,
}

impl VersionReq {
    /// The requirement every version satisfies (`*`).
    pub const ANY: VersionReq = VersionReq {
        lower: None,
        upper: None,
    };

    /// Parses a requirement; a typed [`Error::InvalidVersion`] quoting the input otherwise.
    pub fn parse(input: &str) -> Result<Self, Error> {
        input.parse()
    }

    /// The requirement every version satisfies (`*`).
    pub const fn any() -> Self {
        Self::ANY
    }

    /// `>=v`: the usual gate of an operation added in microversion `v`.
    pub const fn at_least(v: MicroVersion) -> Self {
        Self {
            lower: Some(Bound::inclusive(v)),
            upper: None,
        }
    }

    /// `<v`: the gate of something removed in microversion `v`.
    pub const fn below(v: MicroVersion) -> Self {
        Self {
            lower: None,
            upper: Some(Bound::exclusive(v)),
        }
    }

    /// `=v`: exactly one microversion.
    pub const fn exactly(v: MicroVersion) -> Self {
        Self {
            lower: Some(Bound::inclusive(v)),
            upper: Some(Bound::inclusive(v)),
        }
    }

    /// `>=min, <end`: added in `min`, removed in `end`. `end` must be above `min`; in a `const`
    /// this is checked when the crate compiles.
    pub const fn between(min: MicroVersion, end: MicroVersion) -> Self {
        assert!(
            less(min, end),
            "VersionReq::between: the end must be above the start"
        );
        Self {
            lower: Some(Bound::inclusive(min)),
            upper: Some(Bound::exclusive(end)),
        }
    }

    /// `>=min, <=max`: the versions of `range`.
    pub const fn within(range: VersionRange) -> Self {
        Self {
            lower: Some(Bound::inclusive(range.min)),
            upper: Some(Bound::inclusive(range.max)),
        }
    }

    /// Both requirements: the intersection of the two intervals.
    pub const fn and(self, other: VersionReq) -> Self {
        Self {
            lower: tighter_lower(self.lower, other.lower),
            upper: tighter_upper(self.upper, other.upper),
        }
    }

    /// Whether microversion `v` satisfies the requirement.
    pub const fn matches(&self, v: MicroVersion) -> bool {
        let above = match self.lower {
            None => true,
            Some(b) if b.inclusive => !less(v, b.version),
            Some(b) => less(b.version, v),
        };
        let below = match self.upper {
            None => true,
            Some(b) if b.inclusive => !less(b.version, v),
            Some(b) => less(v, b.version),
        };
        above && below
    }

    /// The versions inside `range` that satisfy the requirement, as a range, or `None`.
    ///
    /// Every requirement describes one interval of the `(major, minor)` order, so the answer is
    /// a single range (used by negotiation to pick the highest version).
    pub fn restrict(&self, range: VersionRange) -> Option<VersionRange> {
        let mut min = range.min;
        let mut max = range.max;
        if let Some(lower) = self.lower {
            min = min.max(lower.lowest()?);
        }
        if let Some(upper) = self.upper {
            max = max.min(upper.highest()?);
        }
        (min <= max).then_some(VersionRange { min, max })
    }
}

impl Default for VersionReq {
    fn default() -> Self {
        Self::ANY
    }
}

impl FromStr for VersionReq {
    type Err = Error;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let invalid = |reason: String| Error::InvalidVersion {
            input: input.to_owned(),
            reason,
        };
        if input.trim() == "*" {
            return Ok(Self::ANY);
        }
        let mut req = Self::ANY;
        for part in input.split(',') {
            let part = part.trim();
            if part.is_empty() {
                return Err(invalid("an empty comparator in the requirement".into()));
            }
            let (make, rest): (fn(MicroVersion) -> VersionReq, &str) =
                if let Some(rest) = part.strip_prefix(">=") {
                    (Self::at_least, rest)
                } else if let Some(rest) = part.strip_prefix("<=") {
                    (at_most, rest)
                } else if let Some(rest) = part.strip_prefix('>') {
                    (above, rest)
                } else if let Some(rest) = part.strip_prefix('<') {
                    (Self::below, rest)
                } else if let Some(rest) = part.strip_prefix('=') {
                    (Self::exactly, rest)
                } else {
                    return Err(invalid(format!(
                        "{part:?} has no operator; use one of =, >, >=, <, <= before X.Y"
                    )));
                };
            let version = rest.trim().parse::<MicroVersion>().map_err(|e| match e {
                Error::InvalidVersion { reason, .. } => invalid(format!("in {part:?}: {reason}")),
                other => other,
            })?;
            req = req.and(make(version));
        }
        Ok(req)
    }
}

/// `<=v`.
fn at_most(v: MicroVersion) -> VersionReq {
    VersionReq {
        lower: None,
        upper: Some(Bound::inclusive(v)),
    }
}

/// `>v`.
fn above(v: MicroVersion) -> VersionReq {
    VersionReq {
        lower: Some(Bound::exclusive(v)),
        upper: None,
    }
}

impl fmt::Display for VersionReq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.lower, self.upper) {
            (None, None) => f.write_str("*"),
            (Some(lower), Some(upper)) if lower.inclusive && upper.inclusive && lower == upper => {
                write!(f, "={}", lower.version)
            }
            (lower, upper) => {
                if let Some(b) = lower {
                    write!(f, "{}{}", if b.inclusive { ">=" } else { ">" }, b.version)?;
                }
                if let Some(b) = upper {
                    if lower.is_some() {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}{}", if b.inclusive { "<=" } else { "<" }, b.version)?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn req(s: &str) -> VersionReq {
        VersionReq::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }
    fn v(major: u16, minor: u16) -> MicroVersion {
        MicroVersion::new(major, minor)
    }

    #[test]
    fn gates() {
        assert!(req(">=2.26").matches(v(2, 26)));
        assert!(!req(">=2.26").matches(v(2, 25)));
        assert!(req(">=2.26").matches(v(3, 0)));
        let r = req(">=2.19, <2.57");
        assert!(r.matches(v(2, 56)) && !r.matches(v(2, 57)) && !r.matches(v(2, 18)));
        assert!(req("=2.32").matches(v(2, 32)));
        assert!(!req("=2.32").matches(v(2, 33)));
        assert!(req("<=2.32").matches(v(2, 32)));
        assert!(!req(">2.32").matches(v(2, 32)));
        assert!(req("*").matches(v(2, 1)));
        assert!(VersionReq::default().matches(v(9, 9)));
    }

    #[test]
    fn const_constructors_equal_their_text() {
        const FORCE: VersionReq =
            VersionReq::between(MicroVersion::new(2, 29), MicroVersion::new(2, 68));
        assert_eq!(FORCE, req(">=2.29, <2.68"));
        assert_eq!(VersionReq::at_least(v(2, 26)), req(">=2.26"));
        assert_eq!(VersionReq::below(v(2, 57)), req("<2.57"));
        assert_eq!(VersionReq::exactly(v(2, 32)), req("=2.32"));
        assert_eq!(VersionReq::ANY, req("*"));
        let range = VersionRange {
            min: v(2, 1),
            max: v(2, 104),
        };
        assert_eq!(VersionReq::within(range), req(">=2.1, <=2.104"));
        assert_eq!(
            VersionReq::at_least(v(2, 32)).and(VersionReq::below(v(2, 37))),
            req(">=2.32, <2.37")
        );
    }

    #[test]
    fn display_normalizes() {
        assert_eq!(req(">=2.19,<2.57").to_string(), ">=2.19, <2.57");
        assert_eq!(req(" >= 2.19 ").to_string(), ">=2.19");
        assert_eq!(req("*").to_string(), "*");
        assert_eq!(req("=2.32").to_string(), "=2.32");
        assert_eq!(req(">2.1, <=2.3").to_string(), ">2.1, <=2.3");
        assert_eq!(req("<2.60, >=2.19, >=2.5").to_string(), ">=2.19, <2.60");
        assert_eq!(VersionReq::at_least(v(2, 26)).to_string(), ">=2.26");
        assert_eq!(VersionReq::below(v(2, 57)).to_string(), "<2.57");
    }

    #[test]
    fn invalid_requirements_quote_the_input() {
        for bad in [
            "2.19",
            ">=2.019",
            ">=2",
            ">=2.19.0",
            "",
            ">=2.19,",
            "^2.19",
            "~2.19",
            ">=v2.1",
            ">=2.latest",
            "latest",
        ] {
            match VersionReq::parse(bad) {
                Err(Error::InvalidVersion { input, .. }) => assert_eq!(input, bad),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn restrict_gives_the_matching_interval() {
        let range = VersionRange {
            min: v(2, 1),
            max: v(2, 104),
        };
        assert_eq!(
            req(">=2.19, <2.57").restrict(range),
            Some(VersionRange {
                min: v(2, 19),
                max: v(2, 56)
            })
        );
        assert_eq!(req(">=2.105").restrict(range), None);
        assert_eq!(
            req(">2.1, <=2.3").restrict(range),
            Some(VersionRange {
                min: v(2, 2),
                max: v(2, 3)
            })
        );
    }

    fn mv() -> impl Strategy<Value = MicroVersion> {
        (1u16..4, 0u16..120).prop_map(|(a, b)| MicroVersion::new(a, b))
    }
    fn op() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["=", ">", ">=", "<", "<="])
    }

    /// Each comparator evaluated on its own, as the text says: the oracle for the interval form.
    fn holds(op: &str, bound: MicroVersion, probe: MicroVersion) -> bool {
        match op {
            "=" => probe == bound,
            ">" => probe > bound,
            ">=" => probe >= bound,
            "<" => probe < bound,
            _ => probe <= bound,
        }
    }

    proptest! {
        #[test]
        fn interval_agrees_with_each_comparator(
            parts in prop::collection::vec((op(), mv()), 1..4),
            lo in mv(), hi in mv(), probe in mv(),
        ) {
            let text = parts.iter().map(|(o, v)| format!("{o}{v}")).collect::<Vec<_>>().join(", ");
            let r = req(&text);
            prop_assert_eq!(r.to_string().parse::<VersionReq>().ok(), Some(r));
            let every = parts.iter().all(|&(o, bound)| holds(o, bound, probe));
            prop_assert_eq!(r.matches(probe), every, "{}", text);
            let range = VersionRange { min: lo.min(hi), max: lo.max(hi) };
            let in_restricted = r.restrict(range).is_some_and(|x| x.contains(probe));
            prop_assert_eq!(in_restricted, range.contains(probe) && r.matches(probe), "{}", text);
        }
    }
}
