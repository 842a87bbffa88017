//! The checks that keep the crates publishable and their seams honest, run by
//! `cargo xtask test`: the HTTP-free core, warning-free docs, the dependency
//! policy (`cargo deny`) and the public-API snapshots.

use std::process::Command;

use crate::{process, public_api};

/// Crates that `nova-core` and `nova-v2` must not depend on without features.
const HTTP_STACK: [&str; 4] = ["reqwest", "hyper", "tokio", "rustls"];

/// nova-core and nova-v2 with no default features: they build, and their
/// normal dependency tree holds no HTTP stack and no async runtime.
pub fn http_free_core() -> Result<(), String> {
    let mut check = process::cargo(&[
        "check",
        "--locked",
        "-p",
        "nova-core",
        "-p",
        "nova-v2",
        "--no-default-features",
    ]);
    check.env_remove("RUSTFLAGS");
    process::run(check)?;
    let mut tree = process::cargo(&[
        "tree",
        "--locked",
        "-p",
        "nova-core",
        "-p",
        "nova-v2",
        "-e",
        "normal",
        "--no-default-features",
        "--prefix",
        "none",
    ]);
    process::show(&tree);
    let output = tree
        .output()
        .map_err(|error| format!("could not run cargo tree: {error}"))?;
    if !output.status.success() {
        return Err(format!("cargo tree failed ({})", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let crates: std::collections::BTreeSet<&str> = text
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let found: Vec<&str> = HTTP_STACK
        .iter()
        .copied()
        .filter(|name| crates.contains(name))
        .collect();
    println!(
        "nova-core + nova-v2 without default features: {} crates",
        crates.len()
    );
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "nova-core / nova-v2 without default features depend on {}",
            found.join(", ")
        ))
    }
}

/// `cargo doc` of every crate with `-D warnings` (broken links, bad HTML).
pub fn docs() -> Result<(), String> {
    let mut command = process::cargo(&[
        "doc",
        "--locked",
        "--no-deps",
        "--workspace",
        "--all-features",
        "--exclude",
        "xtask",
    ]);
    command.env("RUSTDOCFLAGS", "-D warnings");
    process::run(command)
}

/// `cargo deny check licenses bans` against `deny.toml`. cargo-deny comes
/// from `cargo install cargo-deny` (.ci/run installs it); without it this
/// step is skipped with a note on a developer machine and fails in CI. The
/// advisory database cannot be fetched here, so `advisories` is not checked.
pub fn dependency_policy() -> Result<(), String> {
    let installed = Command::new("cargo")
        .args(["deny", "--version"])
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false);
    if !installed {
        if std::env::var_os("CI").is_some() {
            return Err("cargo-deny is not installed (cargo install --locked cargo-deny)".into());
        }
        println!("SKIPPED cargo deny: not installed (cargo install --locked cargo-deny)");
        return Ok(());
    }
    process::run(process::cargo(&[
        "deny", "--locked", "check", "licenses", "bans",
    ]))
}

/// Every library crate's public surface equals its checked-in snapshot.
pub fn public_api_snapshots() -> Result<(), String> {
    public_api::run(&[])
}
