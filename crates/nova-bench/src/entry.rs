//! The shared `main` of the benchmark programs: argument parsing, settings,
//! a current-thread runtime, and one outcome line or an error.

use std::future::Future;
use std::process::ExitCode;

use crate::{Outcome, Scenario, Settings};

/// Runs `program SCENARIO` (or `program --version`): parses the scenario, reads
/// [`Settings`] from the environment, runs `run` on a current-thread runtime and
/// prints its [`Outcome`] as one JSON line. Errors go to stderr with exit code 1.
pub fn run_main<F, Fut>(program: &str, run: F) -> ExitCode
where
    F: FnOnce(Scenario, Settings) -> Fut,
    Fut: Future<Output = Result<Outcome, String>>,
{
    let fail = |message: &str| {
        eprintln!("{program}: {message}");
        ExitCode::FAILURE
    };
    let argument = std::env::args().nth(1);
    if argument.as_deref() == Some("--version") {
        println!("{program} {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let scenario = match argument.map(|arg| arg.parse::<Scenario>()) {
        Some(Ok(scenario)) => scenario,
        Some(Err(message)) => return fail(&message),
        None => return fail(&format!("usage: {program} SCENARIO")),
    };
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => return fail(&error.to_string()),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&format!("cannot start the async runtime: {error}")),
    };
    match runtime.block_on(run(scenario, settings)) {
        Ok(outcome) => {
            println!("{}", outcome.to_json_line());
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message),
    }
}
