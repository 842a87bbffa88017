//! Project automation, run as `cargo xtask <command>`.
//!
//! - `demo`: boot a server through the whole stack against an in-process mock cloud.
//! - `dashboard`: the web dashboard against an in-process mock cloud.
//! - `test`: everything CI runs (formatting, lints, unit, doc and integration tests).
//! - `integration [--cloud NAME]`: the `tests/` suite against the mock-cloud binary,
//!   or against any cloud from `clouds.yaml`.

mod bench;
mod conformance;
mod dashboard;
mod demo;
mod fuzz;
mod integration;
mod mock;
mod process;
mod public_api;
mod seams;
mod service;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  demo                      boot a server through every layer against an embedded mock cloud
  dashboard [--port N] [--servers N]
                            the web dashboard against an embedded mock cloud; prints the URL
  test [--no-lint]          fmt + clippy + all tests + the integration suite against mock-cloud
  integration [--cloud NAME]
                            run the tests/ suite against the mock-cloud binary (default)
                            or against cloud NAME from clouds.yaml
  bench [--cloud NAME] [--runs N] [--quick]
                            benchmarks: our crates against bare reqwest, report in target/bench/
  fuzz [--seconds N]        run every fuzz target for a bounded time
  conformance [--suite-only | --reverse-only | --serve [MINUTES]]
                            the tests/ suite against a real Keystone + Nova installed from PyPI
  public-api [--bless]      compare (or rewrite) each library crate's public-API snapshot
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        "demo" => demo::run(rest),
        "dashboard" => dashboard::run(rest),
        "test" => test::run(rest),
        "integration" => integration::run(rest),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest),
        "conformance" => conformance::run(rest),
        "public-api" => public_api::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
