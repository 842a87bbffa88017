//! `bench-measure PROGRAM [ARGS...]`: runs one program and prints, on standard error, one
//! line `bench-measure: {"wall_ms":..,"user_ms":..,"sys_ms":..,"max_rss_kib":..,"exit_code":..}`
//! from `getrusage(RUSAGE_CHILDREN)` — exact for the one child this process ever waits for.
//! Exits with the program's exit code.

use std::process::{Command, ExitCode};
use std::time::Instant;

use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeValLike;
use nova_bench::Measurement;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(program) = args.next() else {
        eprintln!("usage: bench-measure PROGRAM [ARGS...]");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let status = match Command::new(&program).args(args).status() {
        Ok(status) => status,
        Err(error) => {
            eprintln!("bench-measure: cannot run {program:?}: {error}");
            return ExitCode::from(127);
        }
    };
    let wall = started.elapsed();
    let usage = match getrusage(UsageWho::RUSAGE_CHILDREN) {
        Ok(usage) => usage,
        Err(error) => {
            eprintln!("bench-measure: getrusage failed: {error}");
            return ExitCode::from(126);
        }
    };
    let measurement = Measurement {
        wall_ms: wall.as_secs_f64() * 1000.0,
        user_ms: usage.user_time().num_microseconds() as f64 / 1000.0,
        sys_ms: usage.system_time().num_microseconds() as f64 / 1000.0,
        max_rss_kib: u64::try_from(usage.max_rss()).unwrap_or(0),
        exit_code: status.code().unwrap_or(-1),
    };
    eprintln!("{}", measurement.to_line());
    match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    }
}
