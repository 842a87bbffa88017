//! [`VersionReq`]: which microversions an operation or a request field needs.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::microversion::{MicroVersion, VersionRange};

/// One comparison operator of a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Exact,
    Greater,
    GreaterEq,
    Less,
    LessEq,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Exact => "=",
            Op::Greater => ">",
            Op::GreaterEq => ">=",
            Op::Less => "<",
            Op::LessEq => "<=",
        }
    }
}

/// A requirement on the microversion, such as `>=2.26` or `>=2.19, <2.57`.
///
/// Syntax: comma-separated comparators, each an operator (`=`, `>`, `>=`, `<`, `<=`) followed
/// by a microversion in Nova's `X.Y` grammar; all must hold. `*` alone matches every version.
/// An operator is mandatory (a bare `2.19` would mean `^2.19` to semver, which is never what a
/// microversion gate wants). Internally each `X.Y` becomes the semver version `X.Y.0` and the
/// requirement is evaluated by [`semver`]; that crate is not part of this type's API.
///
/// ```
/// use nova_core::{MicroVersion, VersionReq};
/// let req = VersionReq::parse(">=2.19, <2.57")?;
/// assert!(req.matches(MicroVersion::new(2, 19)));
/// assert!(!req.matches(MicroVersion::new(2, 57)));
/// assert_eq!(req.to_string(), ">=2.19, <2.57");
/// # Ok::<(), nova_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionReq {
    comparators: Vec<(Op, MicroVersion)>,
    semver: semver::VersionReq,
}

impl VersionReq {
    /// Parses a requirement; a typed [`Error::InvalidVersion`] quoting the input otherwise.
    pub fn parse(input: &str) -> Result<Self, Error> {
        input.parse()
    }

    /// The requirement every version satisfies (`*`).
    pub fn any() -> Self {
        Self {
            comparators: Vec::new(),
            semver: semver::VersionReq::STAR,
        }
    }

    /// `>=v`: the usual gate of an operation added in microversion `v`.
    pub fn at_least(v: MicroVersion) -> Self {
        Self::from_comparators(vec![(Op::GreaterEq, v)])
    }

    /// `<v`: the gate of something removed in microversion `v`.
    pub fn below(v: MicroVersion) -> Self {
        Self::from_comparators(vec![(Op::Less, v)])
    }

    /// `>=min, <=max`: the versions of `range`.
    pub fn within(range: VersionRange) -> Self {
        Self::from_comparators(vec![(Op::GreaterEq, range.min), (Op::LessEq, range.max)])
    }

    fn from_comparators(comparators: Vec<(Op, MicroVersion)>) -> Self {
        let semver = semver::VersionReq {
            comparators: comparators
                .iter()
                .map(|&(op, v)| semver::Comparator {
                    op: match op {
                        Op::Exact => semver::Op::Exact,
                        Op::Greater => semver::Op::Greater,
                        Op::GreaterEq => semver::Op::GreaterEq,
                        Op::Less => semver::Op::Less,
                        Op::LessEq => semver::Op::LessEq,
                    },
                    major: u64::from(v.major()),
                    minor: Some(u64::from(v.minor())),
                    patch: Some(0),
                    pre: semver::Prerelease::EMPTY,
                })
                .collect(),
        };
        Self {
            comparators,
            semver,
        }
    }

    /// Whether microversion `v` satisfies the requirement.
    pub fn matches(&self, v: MicroVersion) -> bool {
        self.semver.matches(&semver::Version::new(
            u64::from(v.major()),
            u64::from(v.minor()),
            0,
        ))
    }

    /// The versions inside `range` that satisfy the requirement, as a range, or `None`.
    ///
    /// Every requirement of this syntax describes one interval of the `(major, minor)` order,
    /// so the answer is a single range (used by negotiation to pick the highest version).
    pub fn restrict(&self, range: VersionRange) -> Option<VersionRange> {
        let mut min = range.min;
        let mut max = range.max;
        for &(op, v) in &self.comparators {
            match op {
                Op::Exact => {
                    min = min.max(v);
                    max = max.min(v);
                }
                Op::GreaterEq => min = min.max(v),
                Op::Greater => min = min.max(v.successor()?),
                Op::LessEq => max = max.min(v),
                Op::Less => max = max.min(v.predecessor()?),
            }
        }
        (min <= max).then_some(VersionRange { min, max })
    }
}

impl Default for VersionReq {
    fn default() -> Self {
        Self::any()
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
            return Ok(Self::any());
        }
        let mut comparators = Vec::new();
        for part in input.split(',') {
            let part = part.trim();
            if part.is_empty() {
                return Err(invalid("an empty comparator in the requirement".into()));
            }
            let (op, rest) = if let Some(rest) = part.strip_prefix(">=") {
                (Op::GreaterEq, rest)
            } else if let Some(rest) = part.strip_prefix("<=") {
                (Op::LessEq, rest)
            } else if let Some(rest) = part.strip_prefix('>') {
                (Op::Greater, rest)
            } else if let Some(rest) = part.strip_prefix('<') {
                (Op::Less, rest)
            } else if let Some(rest) = part.strip_prefix('=') {
                (Op::Exact, rest)
            } else {
                return Err(invalid(format!(
                    "{part:?} has no operator; use one of =, >, >=, <, <= before X.Y"
                )));
            };
            let version = rest.trim().parse::<MicroVersion>().map_err(|e| match e {
                Error::InvalidVersion { reason, .. } => invalid(format!("in {part:?}: {reason}")),
                other => other,
            })?;
            comparators.push((op, version));
        }
        Ok(Self::from_comparators(comparators))
    }
}

impl fmt::Display for VersionReq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.comparators.is_empty() {
            return f.write_str("*");
        }
        for (i, (op, v)) in self.comparators.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}{v}", op.as_str())?;
        }
        Ok(())
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
    fn display_normalizes() {
        assert_eq!(req(">=2.19,<2.57").to_string(), ">=2.19, <2.57");
        assert_eq!(req(" >= 2.19 ").to_string(), ">=2.19");
        assert_eq!(req("*").to_string(), "*");
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

    proptest! {
        #[test]
        fn restrict_agrees_with_semver_matches(
            parts in prop::collection::vec((op(), mv()), 1..4),
            lo in mv(), hi in mv(), probe in mv(),
        ) {
            let text = parts.iter().map(|(o, v)| format!("{o}{v}")).collect::<Vec<_>>().join(", ");
            let r = req(&text);
            prop_assert_eq!(r.to_string().parse::<VersionReq>().ok(), Some(r.clone()));
            let range = VersionRange { min: lo.min(hi), max: lo.max(hi) };
            let in_restricted = r.restrict(range).is_some_and(|x| x.contains(probe));
            prop_assert_eq!(in_restricted, range.contains(probe) && r.matches(probe), "{}", text);
        }
    }
}
