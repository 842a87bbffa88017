//! `cargo xtask fuzz [--seconds N] [TARGET...]`: runs every fuzz target of
//! `fuzz/` (or the ones named) with cargo-fuzz and libFuzzer for N seconds
//! each (default 10), and fails when one crashes.
//!
//! Works on the stable toolchain: libFuzzer's instrumentation flags are
//! nightly-only, so the runs set `RUSTC_BOOTSTRAP=1`. cargo-fuzz is installed
//! with `cargo install cargo-fuzz --locked` when it is missing. The sanitizer
//! is off (`-s none`): the crates forbid `unsafe`, so crashes are panics,
//! which libFuzzer catches without it. Each target starts from a corpus
//! seeded with the OpenStack samples in `testdata/openstack-reference`; a
//! crashing input is kept under `fuzz/artifacts/<target>/` and must become a
//! regression test in the crate that owns the parser.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{run as run_command, target_dir, workspace_root};

/// The fuzz targets (`fuzz/fuzz_targets/<name>.rs`).
const TARGETS: [&str; 5] = [
    "microversion",
    "version_document",
    "error_body",
    "token_catalog",
    "server",
];

/// Seconds per target when `--seconds` is not given.
const DEFAULT_SECONDS: u64 = 10;

/// Longest input libFuzzer generates (bytes).
const MAX_LEN: u32 = 64 * 1024;

/// Seeds written for the text-only targets.
const MICROVERSION_SEEDS: [&str; 8] = [
    "2.1",
    "2.60",
    "2.latest",
    "latest",
    ">=2.19, <2.57",
    "2.0",
    "3.100",
    "compute 2.79",
];

/// Entry point.
pub fn run(args: &[String]) -> Result<(), String> {
    let (seconds, chosen) = parse_args(args)?;
    for name in &chosen {
        if !TARGETS.contains(&name.as_str()) {
            return Err(format!(
                "unknown fuzz target `{name}` (targets: {})",
                TARGETS.join(", ")
            ));
        }
    }
    let targets: Vec<&str> = if chosen.is_empty() {
        TARGETS.to_vec()
    } else {
        chosen.iter().map(String::as_str).collect()
    };
    ensure_cargo_fuzz()?;
    let fuzz_dir = workspace_root().join("fuzz");
    let build_dir = target_dir().join("fuzz");
    for target in &targets {
        let corpus = fuzz_dir.join("corpus").join(target);
        seed_corpus(target, &corpus)?;
        let mut command = cargo_fuzz(&fuzz_dir);
        command
            .arg("run")
            .arg("--sanitizer=none")
            .arg("--target-dir")
            .arg(&build_dir)
            .arg(target)
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-max_len={MAX_LEN}"))
            .arg("-rss_limit_mb=2048")
            .arg("-timeout=10")
            .arg("-print_final_stats=1");
        println!("==> fuzz target `{target}` for {seconds} s");
        run_command(command).map_err(|e| {
            format!(
                "fuzz target `{target}` failed ({e}); the crashing input is in {}: \
                 turn it into a regression test in the crate that owns the parser",
                fuzz_dir.join("artifacts").join(target).display()
            )
        })?;
    }
    println!(
        "fuzz: {} targets ran {seconds} s each without a crash",
        targets.len()
    );
    Ok(())
}

fn parse_args(args: &[String]) -> Result<(u64, Vec<String>), String> {
    let mut seconds = DEFAULT_SECONDS;
    let mut targets = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = iter
                    .next()
                    .ok_or("--seconds needs a number of seconds per target")?;
                seconds =
                    value.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                        format!("--seconds wants a positive number, not {value:?}")
                    })?;
            }
            flag if flag.starts_with('-') => {
                return Err(format!(
                    "unknown option `{flag}` (usage: cargo xtask fuzz [--seconds N] [TARGET...])"
                ));
            }
            target => targets.push(target.to_string()),
        }
    }
    Ok((seconds, targets))
}

/// `cargo fuzz ...` from the fuzz crate, allowed to use nightly flags.
fn cargo_fuzz(fuzz_dir: &Path) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command
        .arg("fuzz")
        .current_dir(fuzz_dir)
        .env("RUSTC_BOOTSTRAP", "1")
        // the workspace's target dir and flags are not the fuzz build's
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS");
    command
}

/// Installs cargo-fuzz when `cargo fuzz` is not available.
fn ensure_cargo_fuzz() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let present = Command::new(&cargo)
        .args(["fuzz", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if present {
        return Ok(());
    }
    println!("==> cargo-fuzz is missing: installing it");
    let mut install = Command::new(cargo);
    install.args(["install", "cargo-fuzz", "--locked"]);
    run_command(install).map_err(|e| format!("could not install cargo-fuzz: {e}"))
}

/// Fills an empty corpus with the reference samples (JSON targets) or with
/// version strings (the microversion target).
fn seed_corpus(target: &str, corpus: &Path) -> Result<(), String> {
    let error = |e: std::io::Error| format!("corpus {}: {e}", corpus.display());
    std::fs::create_dir_all(corpus).map_err(error)?;
    let empty = std::fs::read_dir(corpus).map_err(error)?.next().is_none();
    if !empty {
        return Ok(());
    }
    if target == "microversion" {
        for (i, seed) in MICROVERSION_SEEDS.iter().enumerate() {
            std::fs::write(corpus.join(format!("seed-{i}")), seed).map_err(error)?;
        }
        return Ok(());
    }
    let mut samples = Vec::new();
    collect_json(
        &workspace_root().join("testdata/openstack-reference"),
        &mut samples,
    );
    for (i, sample) in samples.iter().enumerate() {
        if let Ok(bytes) = std::fs::read(sample)
            && bytes.len() <= MAX_LEN as usize
        {
            std::fs::write(corpus.join(format!("sample-{i:03}.json")), bytes).map_err(error)?;
        }
    }
    Ok(())
}

/// Every `*.json` file under `dir` (bounded depth), sorted.
fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut stack = vec![(dir.to_path_buf(), 0u32)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && depth < 8 {
                stack.push((path, depth + 1));
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&[]).unwrap(), (DEFAULT_SECONDS, vec![]));
        assert_eq!(
            parse_args(&args(&["--seconds", "3", "server"])).unwrap(),
            (3, vec!["server".to_string()])
        );
        assert!(parse_args(&args(&["--seconds", "0"])).is_err());
        assert!(parse_args(&args(&["--seconds"])).is_err());
        assert!(parse_args(&args(&["--fast"])).is_err());
    }
}
