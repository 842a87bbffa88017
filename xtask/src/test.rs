//! `cargo xtask test`: everything CI runs, with one summary at the end.

use crate::process::{self, TestCounts};
use crate::{integration, seams};

/// One step of the run and how it went.
struct Step {
    name: &'static str,
    result: Result<(), String>,
}

/// Runs formatting and lint checks (unless `--no-lint`: fmt, clippy with all
/// features, the HTTP-free core, docs, `cargo deny`, public-API snapshots), the workspace tests
/// (unit, doc and the in-process integration suite), and the integration suite
/// once more against the mock-cloud binary.
pub fn run(args: &[String]) -> Result<(), String> {
    let lint = match args {
        [] => true,
        [flag] if flag == "--no-lint" => false,
        _ => return Err("usage: cargo xtask test [--no-lint]".to_string()),
    };
    let mut steps = Vec::new();
    let mut counts = TestCounts::default();

    if lint {
        steps.push(Step {
            name: "cargo fmt --check",
            result: process::run(process::cargo(&["fmt", "--all", "--", "--check"])),
        });
        steps.push(Step {
            name: "cargo clippy --all-features -D warnings",
            result: process::run(process::cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--locked",
                "--",
                "-D",
                "warnings",
            ])),
        });
        steps.push(Step {
            name: "nova-core + nova-v2 build without default features, with no HTTP stack",
            result: seams::http_free_core(),
        });
        steps.push(Step {
            name: "cargo doc -D warnings",
            result: seams::docs(),
        });
        steps.push(Step {
            name: "cargo deny check licenses bans",
            result: seams::dependency_policy(),
        });
        steps.push(Step {
            name: "public-API snapshots",
            result: seams::public_api_snapshots(),
        });
    }

    let (result, workspace_counts) =
        process::run_tests(process::cargo(&["test", "--workspace", "--locked"]));
    counts.merge(workspace_counts);
    steps.push(Step {
        name: "cargo test --workspace (unit, doc, integration in-process)",
        result,
    });

    let (result, binary_counts) = integration::against_mock_binary();
    counts.merge(binary_counts);
    steps.push(Step {
        name: "integration suite against the mock-cloud binary",
        result,
    });

    println!();
    println!("== summary");
    for step in &steps {
        match &step.result {
            Ok(()) => println!("  ok    {}", step.name),
            Err(message) => println!("  FAIL  {}: {message}", step.name),
        }
    }
    println!(
        "  tests: {} passed, {} failed, {} ignored",
        counts.passed, counts.failed, counts.ignored
    );
    println!("total: {} passed, {} failed", counts.passed, counts.failed);
    let failed: Vec<&str> = steps
        .iter()
        .filter(|step| step.result.is_err())
        .map(|step| step.name)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failed.join(", ")))
    }
}
