//! What a benchmark program is asked to do, and what it reports back.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One benchmark scenario (the programs' only argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// Authenticate and print the microversion used (ours: negotiated; baseline: configured).
    Version,
    /// Authenticate, boot one server, poll it until ACTIVE.
    Boot,
    /// Authenticate, find one server, GET it `BENCH_SHOWS` times in sequence.
    Show,
    /// Authenticate, list every server with details, page by page, and count them.
    List,
    /// Like [`Scenario::List`], through the bounded-memory streaming API (ours) or
    /// page-at-a-time processing (baseline).
    Stream,
    /// `BENCH_CREATES` creates with `BENCH_IN_FLIGHT` in flight; checks the ids are distinct.
    Create,
    /// Authenticate and GET one page of `/servers/detail` with no `limit` (what `nova list`
    /// sends); count the servers in it.
    Page,
}

impl Scenario {
    /// Every scenario, in the order of their names.
    pub const ALL: [Scenario; 7] = [
        Scenario::Version,
        Scenario::Boot,
        Scenario::Show,
        Scenario::List,
        Scenario::Stream,
        Scenario::Create,
        Scenario::Page,
    ];

    /// The argument that selects this scenario.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Version => "version",
            Scenario::Boot => "boot",
            Scenario::Show => "show",
            Scenario::List => "list",
            Scenario::Stream => "stream",
            Scenario::Create => "create",
            Scenario::Page => "page",
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scenario {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Scenario::ALL
            .into_iter()
            .find(|s| s.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Scenario::ALL.iter().map(|s| s.name()).collect();
                format!(
                    "unknown scenario `{text}` (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// What a program did: printed as one JSON line on standard output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The scenario run.
    pub scenario: Scenario,
    /// How many items it handled (servers listed, GETs made, servers created...).
    pub items: u64,
    /// Free text, e.g. the microversion for [`Scenario::Version`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Heap allocations made by the measured part (the show loop), when counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocations: Option<u64>,
}

impl Outcome {
    /// An outcome with no note.
    pub fn new(scenario: Scenario, items: u64) -> Self {
        Self {
            scenario,
            items,
            note: String::new(),
            allocations: None,
        }
    }

    /// Sets the allocation count.
    pub fn allocations(mut self, allocations: u64) -> Self {
        self.allocations = Some(allocations);
        self
    }

    /// Sets the note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// The line a program prints.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the line back (the last line of a program's output that is an outcome).
    pub fn from_json_line(line: &str) -> Option<Self> {
        serde_json::from_str(line.trim()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_parses_from_its_name() {
        for scenario in Scenario::ALL {
            assert_eq!(scenario.name().parse::<Scenario>(), Ok(scenario));
        }
        let error = "lists".parse::<Scenario>().unwrap_err();
        assert!(
            error.contains("lists") && error.contains("stream"),
            "{error}"
        );
    }

    #[test]
    fn outcome_round_trips_with_its_note() {
        let outcome = Outcome::new(Scenario::Version, 0).note("2.104");
        let line = outcome.to_json_line();
        assert!(line.contains("\"note\":\"2.104\""), "{line}");
        assert_eq!(Outcome::from_json_line(&line), Some(outcome));
        assert_eq!(Outcome::from_json_line("not json"), None);
    }
}
