//! The two input files of the differential check: `conformance/cli-scenarios.toml`
//! (the command lines) and `conformance/cli-differences.toml` (the differences
//! kept on purpose, each with its reason).

use std::path::Path;

use serde::Deserialize;

use super::compare::{Found, Kind};

/// Who runs a line.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug, Default)]
#[serde(rename_all = "lowercase")]
pub enum User {
    /// The `demo` member of project `demo`.
    #[default]
    Member,
    /// The bootstrap `admin` of project `admin`.
    Admin,
}

/// Which scenarios a run takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Selection {
    /// Every scenario not marked `full = true`: every command at least once (CI).
    Quick,
    /// Every scenario.
    Full,
}

impl Selection {
    /// `quick` or `full`.
    pub fn name(self) -> &'static str {
        match self {
            Selection::Quick => "quick",
            Selection::Full => "full",
        }
    }

    /// Whether `scenario` runs in this selection.
    pub fn includes(self, scenario: &Scenario) -> bool {
        self == Selection::Full || !scenario.full
    }
}

/// `cli-scenarios.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The compared lines, in the order they run.
    pub scenario: Vec<Scenario>,
    /// Lines run with python-novaclient before and after each pass, failures ignored.
    #[serde(default)]
    pub cleanup: Vec<Cleanup>,
}

/// One compared command line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short unique name, used by `cli-differences.toml`.
    pub name: String,
    /// Who runs it.
    #[serde(rename = "as", default)]
    pub user: User,
    /// The arguments after `nova`, split like a shell does; `{server:NAME}`,
    /// `{flavor:NAME}`, `{aggregate:NAME}`, `{group:NAME}`, `{hypervisor}` and
    /// `{hypervisor-name}` are ids read with python-novaclient in the same pass.
    pub line: String,
    /// Only in `--full`.
    #[serde(default)]
    pub full: bool,
    /// `SERVER STATUS` (or `SERVER DELETED`) to wait for after the line, read
    /// with python-novaclient.
    #[serde(default)]
    pub wait: Option<String>,
    /// A command line read with python-novaclient after the line (and its wait);
    /// its output is compared between the passes: the state the line left.
    #[serde(default)]
    pub state: Option<String>,
    /// Columns or properties whose cells are ids of their pass (integer ids,
    /// instance names): replaced by `<id>` before comparing.
    #[serde(default)]
    pub normalise: Vec<String>,
}

/// One cleanup line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cleanup {
    /// The arguments after `nova`.
    pub line: String,
    /// Who runs it.
    #[serde(rename = "as", default)]
    pub user: User,
}

impl ScenarioFile {
    /// Reads and checks `path`: names unique, lines non-empty.
    pub fn load(path: &Path) -> Result<ScenarioFile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let file: ScenarioFile =
            toml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
        let mut names = std::collections::BTreeSet::new();
        for scenario in &file.scenario {
            if !names.insert(scenario.name.as_str()) {
                return Err(format!(
                    "{}: scenario `{}` twice",
                    path.display(),
                    scenario.name
                ));
            }
            if split_words(&scenario.line)?.is_empty() {
                return Err(format!(
                    "{}: scenario `{}` has no line",
                    path.display(),
                    scenario.name
                ));
            }
        }
        Ok(file)
    }
}

/// `cli-differences.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Differences {
    /// Every kept difference.
    pub difference: Vec<Difference>,
}

/// One kept difference.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Difference {
    /// The commands it concerns, for the reader.
    pub command: String,
    /// What differs.
    pub differs: String,
    /// Why it is kept.
    pub reason: String,
    /// The kind of difference the runner accepts with this entry; without it
    /// the entry documents a difference no scenario shows.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// The scenarios it is accepted in: names, `prefix*`, or `*` for all.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// The column or property it is accepted for; every one when absent.
    #[serde(default)]
    pub field: Option<String>,
}

impl Differences {
    /// Reads `path`; every entry with a `kind` names its scenarios and has a reason.
    pub fn load(path: &Path) -> Result<Differences, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let file: Differences =
            toml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
        for entry in &file.difference {
            if entry.reason.trim().is_empty() || entry.command.trim().is_empty() {
                return Err(format!(
                    "{}: `{}` needs a command and a reason",
                    path.display(),
                    entry.differs
                ));
            }
            if entry.kind.is_some() && entry.scenarios.is_empty() {
                return Err(format!(
                    "{}: `{}` has a kind but no scenarios",
                    path.display(),
                    entry.differs
                ));
            }
        }
        Ok(file)
    }

    /// The entry accepting `found` in scenario `name`, if any.
    pub fn accepting(&self, name: &str, found: &Found) -> Option<&Difference> {
        self.difference.iter().find(|entry| {
            entry.kind == Some(found.kind)
                && entry.scenarios.iter().any(|pattern| matches(pattern, name))
                && entry
                    .field
                    .as_ref()
                    .is_none_or(|field| found.field.as_deref() == Some(field.as_str()))
        })
    }
}

/// `*`, an exact name, or `prefix*`.
fn matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

/// Splits `line` into words as a POSIX shell would for plain words, `'...'`
/// and `"..."` (no expansions, no escapes inside single quotes).
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' | '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some(end) if end == c => break,
                        Some('\\') if c == '"' => match chars.next() {
                            Some(escaped) => word.push(escaped),
                            None => return Err(format!("unclosed quote in `{line}`")),
                        },
                        Some(other) => word.push(other),
                        None => return Err(format!("unclosed quote in `{line}`")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(escaped) = chars.next() {
                    word.push(escaped);
                }
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words(r#"boot --meta 'a=b c' --file "x\"y" '' z"#).unwrap(),
            vec!["boot", "--meta", "a=b c", "--file", "x\"y", "", "z"]
        );
        assert!(split_words("show 'open").is_err());
    }

    #[test]
    fn patterns_match_names() {
        assert!(matches("*", "boot"));
        assert!(matches("boot-*", "boot-full"));
        assert!(!matches("boot-*", "show"));
        assert!(matches("show", "show"));
    }
}
