//! The knobs of a benchmark run, read from `BENCH_*` environment variables.

use std::collections::HashMap;
use std::time::Duration;

/// Errors of the benchmark programs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A `BENCH_*` variable holds something unusable (no request was sent).
    #[error("{name}={value:?} is not valid: {reason}")]
    Setting {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A variable the scenario needs is not set (no request was sent).
    #[error("{0} must be set for this scenario")]
    Missing(&'static str),
}

/// What a program reads from its environment besides the `OS_*` cloud variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `BENCH_MICROVERSION`: the compute microversion both sides send (ours pins it and skips
    /// discovery; unset, ours negotiates).
    pub microversion: Option<String>,
    /// `BENCH_PAGE_SIZE` (default 1000): `limit` of each list page.
    pub page_size: u32,
    /// `BENCH_SHOWS` (default 1000): GETs made by the show scenario.
    pub shows: u32,
    /// `BENCH_CREATES` (default 200): servers created by the create scenario.
    pub creates: u32,
    /// `BENCH_IN_FLIGHT` (default 16): creates in flight at once.
    pub in_flight: usize,
    /// `BENCH_IMAGE`: image id for creates.
    pub image: Option<String>,
    /// `BENCH_FLAVOR` (default `1`): flavor id for creates.
    pub flavor: String,
    /// `BENCH_POLL_MS` (default 10): pause between status polls while booting.
    pub poll_interval: Duration,
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_map(&std::env::vars().collect())
    }

    /// Reads `env` (the pure form of [`Settings::from_env`]).
    pub fn from_map(env: &HashMap<String, String>) -> Result<Self, Error> {
        let text = |name: &str| env.get(name).filter(|v| !v.is_empty()).cloned();
        Ok(Self {
            microversion: text("BENCH_MICROVERSION"),
            page_size: number(env, "BENCH_PAGE_SIZE", 1000)?,
            shows: number(env, "BENCH_SHOWS", 1000)?,
            creates: number(env, "BENCH_CREATES", 200)?,
            in_flight: number(env, "BENCH_IN_FLIGHT", 16)? as usize,
            image: text("BENCH_IMAGE"),
            flavor: text("BENCH_FLAVOR").unwrap_or_else(|| "1".to_owned()),
            poll_interval: Duration::from_millis(u64::from(number(env, "BENCH_POLL_MS", 10)?)),
        })
    }

    /// The image id, which create scenarios need.
    pub fn image(&self) -> Result<&str, Error> {
        self.image.as_deref().ok_or(Error::Missing("BENCH_IMAGE"))
    }
}

fn number(env: &HashMap<String, String>, name: &'static str, default: u32) -> Result<u32, Error> {
    match env.get(name).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(value) => match value.parse::<u32>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(Error::Setting {
                name,
                value: value.clone(),
                reason: "expected a whole number above 0",
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let settings = Settings::from_map(&HashMap::new()).unwrap();
        assert_eq!(settings.page_size, 1000);
        assert_eq!(settings.in_flight, 16);
        assert_eq!(settings.flavor, "1");
        assert!(matches!(
            settings.image(),
            Err(Error::Missing("BENCH_IMAGE"))
        ));
    }

    #[test]
    fn a_bad_number_names_the_variable() {
        let env = HashMap::from([("BENCH_SHOWS".to_owned(), "many".to_owned())]);
        let error = Settings::from_map(&env).unwrap_err();
        assert!(
            error.to_string().starts_with("BENCH_SHOWS=\"many\""),
            "{error}"
        );
    }
}
