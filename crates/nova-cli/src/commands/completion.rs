//! `nova completion <shell>` and `nova bash-completion`: shell completion scripts generated
//! from the command line definition (no cloud is contacted).

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, Command};

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "nova", &mut out);
    out
}

/// Prints the script when `command` asks for one (before any authentication); `None` for
/// every other command.
pub fn intercept(command: &Command) -> Option<ExitCode> {
    let shell = match command {
        Command::Completion { shell } => *shell,
        Command::BashCompletion => Shell::Bash,
        _ => return None,
    };
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(&script(shell))
        .and_then(|()| stdout.flush());
    Some(match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_the_commands() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let text = String::from_utf8_lossy(&script(shell)).into_owned();
            assert!(text.contains("host-evacuate-live"), "{shell}");
            assert!(text.contains("nova"), "{shell}");
        }
    }
}
