//! Reading `application/x-www-form-urlencoded` bodies (repeated fields kept) and the CSRF
//! check every form post passes.

/// A decoded form body.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// Decodes a body.
    pub fn parse(body: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.raw(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// The first value of `name` as sent (not trimmed).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every non-blank value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Whether a checkbox `name` was checked.
    pub fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Whether the form's `csrf` field equals `expected`.
    pub fn csrf_ok(&self, expected: &str) -> bool {
        self.raw("csrf")
            .is_some_and(|sent| crate::session::tokens_match(sent, expected))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_blank_fields() {
        let form = FormData::parse(b"a=1&a=+2+&b=&c=x%26y&csrf=t");
        assert_eq!(form.all("a"), vec!["1", "2"]);
        assert_eq!(form.get("b"), None);
        assert_eq!(form.get("c"), Some("x&y"));
        assert!(form.csrf_ok("t"));
        assert!(!form.csrf_ok("u"));
        assert!(!FormData::default().csrf_ok("t"));
    }
}
