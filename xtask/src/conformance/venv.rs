//! The Python virtual environment under `target/conformance/venv`, rebuilt
//! only when `conformance/requirements.txt` (or the interpreter) changes: a
//! stamp file holds the SHA-256 of both.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::process;

/// Name of the stamp file inside the venv.
const STAMP: &str = ".conformance-requirements.sha256";

/// A ready virtual environment.
pub struct Venv {
    root: PathBuf,
}

impl Venv {
    /// A program from the venv's `bin/`.
    pub fn bin(&self, program: &str) -> PathBuf {
        self.root.join("bin").join(program)
    }

    /// The venv's `python`.
    pub fn python(&self) -> PathBuf {
        self.bin("python")
    }

    /// The venv's root directory (configs refer to `etc/` inside it).
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// The interpreter that creates the venv: `$CONFORMANCE_PYTHON`, else `python3`.
fn base_python() -> String {
    std::env::var("CONFORMANCE_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// `Python 3.11.7` for the base interpreter, or an error saying what is missing.
fn python_version(python: &str) -> Result<String, String> {
    let output = Command::new(python)
        .arg("--version")
        .output()
        .map_err(|error| {
            format!("conformance needs Python 3.10+ (`{python}` cannot be run: {error})")
        })?;
    let text = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let minor = text
        .strip_prefix("Python 3.")
        .and_then(|rest| rest.split('.').next())
        .and_then(|minor| minor.parse::<u32>().ok());
    match minor {
        Some(minor) if minor >= 10 => Ok(text),
        _ => Err(format!(
            "conformance needs Python 3.10+; `{python} --version` says {text:?}"
        )),
    }
}

/// The venv for `requirements`, created or reused.
pub fn ensure(dir: &Path, requirements: &Path) -> Result<Venv, String> {
    let python = base_python();
    let version = python_version(&python)?;
    let pins = std::fs::read(requirements)
        .map_err(|error| format!("cannot read {}: {error}", requirements.display()))?;
    let mut hasher = Sha256::new();
    hasher.update(version.as_bytes());
    hasher.update(b"\n");
    hasher.update(&pins);
    let wanted = hex::encode(hasher.finalize());

    let venv = Venv {
        root: dir.to_path_buf(),
    };
    let stamp = dir.join(STAMP);
    let current = std::fs::read_to_string(&stamp).unwrap_or_default();
    if current.trim() == wanted && venv.python().exists() {
        println!(
            "venv: reusing {} ({version}, requirements unchanged)",
            dir.display()
        );
        return Ok(venv);
    }
    if dir.exists() {
        println!("venv: requirements changed; rebuilding {}", dir.display());
        std::fs::remove_dir_all(dir)
            .map_err(|error| format!("cannot remove {}: {error}", dir.display()))?;
    }
    let mut create = Command::new(&python);
    create.args(["-m", "venv"]).arg(dir);
    process::run(create)?;
    let mut install = Command::new(venv.bin("pip"));
    install
        .args([
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
            "-r",
        ])
        .arg(requirements);
    process::run(install).map_err(|error| format!("pip install failed: {error}"))?;
    std::fs::write(&stamp, format!("{wanted}\n"))
        .map_err(|error| format!("cannot write {}: {error}", stamp.display()))?;
    Ok(venv)
}
