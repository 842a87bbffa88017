//! novaclient's `find_resource`: exact id first, then a unique exact name.

use nova_core::{Error, Result};

/// True when `error` is Nova's 404.
pub(crate) fn is_not_found(error: &Error) -> bool {
    matches!(error, Error::NotFound(_))
}

/// Picks the one candidate whose name equals `name` exactly.
///
/// `candidates` are (id, name, item). No match gives `NotFoundByName`; several give
/// `Ambiguous` listing the matching ids.
pub(crate) fn unique_by_name<T>(
    kind: &'static str,
    name: &str,
    candidates: Vec<(String, String, T)>,
) -> Result<T> {
    let mut matches: Vec<(String, T)> = candidates
        .into_iter()
        .filter(|(_, n, _)| n == name)
        .map(|(id, _, item)| (id, item))
        .collect();
    match matches.len() {
        0 => Err(Error::NotFoundByName {
            kind,
            name: name.to_owned(),
        }),
        1 => match matches.pop() {
            Some((_, item)) => Ok(item),
            None => Err(Error::NotFoundByName {
                kind,
                name: name.to_owned(),
            }),
        },
        _ => Err(Error::Ambiguous {
            kind,
            name: name.to_owned(),
            candidates: matches.into_iter().map(|(id, _)| id).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(names: &[(&str, &str)]) -> Vec<(String, String, u32)> {
        names
            .iter()
            .enumerate()
            .map(|(i, (id, n))| (id.to_string(), n.to_string(), i as u32))
            .collect()
    }

    #[test]
    fn picks_unique_exact_name() {
        let c = cands(&[("1", "web"), ("2", "web-2"), ("3", "db")]);
        assert_eq!(unique_by_name("server", "web", c).expect("found"), 0);
    }

    #[test]
    fn no_match_and_ambiguity_are_typed_errors() {
        let none = unique_by_name("server", "x", cands(&[("1", "web")]));
        assert!(matches!(none, Err(Error::NotFoundByName { .. })));
        let two = unique_by_name("server", "web", cands(&[("1", "web"), ("2", "web")]));
        match two {
            Err(Error::Ambiguous { candidates, .. }) => assert_eq!(candidates, ["1", "2"]),
            other => panic!("expected Ambiguous, got {other:?}"),
        }
    }
}
