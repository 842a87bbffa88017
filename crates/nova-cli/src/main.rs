//! `nova`: the OpenStack Compute command-line client, built on keystone-auth, nova-core and
//! nova-v2. See `nova --help` (exit codes at the end) and the crate README.

// The doc comments of the command-line types are clap's `--help` texts, written in
// novaclient's `<ARG>` notation for the user's terminal, not rustdoc HTML.
#![allow(rustdoc::invalid_html_tags)]

mod cells;
mod cli;
mod commands;
mod config;
mod connect;
mod error;
mod logging;
mod output;
mod password_crypto;
mod private_file;
mod progress;
mod resolve;
mod sanitize;
mod timings;
mod token_cache;
mod version_cache;

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use keystone_auth::Session;

// nova-v2 registers itself for major version 2 at link time; name it so it is linked.
use nova_v2 as _;

use crate::cli::{Cli, Command};
use crate::error::CliResult;
use crate::output::Output;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if let Command::Help { command } = &cli.command {
        return help(command.as_deref());
    }
    if let Some(code) = commands::completion::intercept(&cli.command) {
        return code;
    }
    if cli.global.debug {
        logging::init_debug();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ERROR (RuntimeError): could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let format = cli.global.format;
    let want_timings = cli.global.timings;
    let mut session = None;
    let result = runtime.block_on(execute(cli.global, cli.command, &mut session));
    let code = match result {
        Ok(output) => {
            let terminal = std::io::stdout().is_terminal();
            let text = sanitize::render(&output, format, terminal);
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            0
        }
        Err(e) => {
            eprintln!("{}", sanitize::for_stderr(&e.to_string()));
            e.exit_code()
        }
    };
    if let Some(session) = session.filter(|_| want_timings) {
        eprint!(
            "{}",
            sanitize::for_stderr(&timings::render(&session.timings()))
        );
    }
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn help(command: Option<&str>) -> ExitCode {
    let mut root = Cli::command();
    let printed = match command {
        None => root.print_long_help(),
        Some(name) => match root.find_subcommand_mut(name) {
            Some(sub) => sub.print_long_help(),
            None => {
                eprintln!("ERROR (CommandError): no command named {name:?}; see `nova help`");
                return ExitCode::from(2);
            }
        },
    };
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}

/// Everything that needs the cloud: config, session, connection, the command.
async fn execute(
    global: cli::GlobalArgs,
    command: Command,
    session_slot: &mut Option<Session>,
) -> CliResult<Output> {
    let requested = connect::requested_version(&global.os_compute_api_version)?;
    let wait = progress::WaitSettings::from_args(&global)?;
    let env: HashMap<String, String> = std::env::vars().collect();
    let config = config::resolve(&global, &env)?;
    let cache = token_cache::TokenCache::for_config(&config);
    let versions = version_cache::VersionCache::for_config(&config);
    let session = connect::session(&config, &global, cache.as_ref())?;
    *session_slot = Some(session.clone());
    let result = async {
        let cloud = connect::connect(
            session.clone(),
            config,
            requested,
            cache.as_ref(),
            versions.as_ref(),
        )
        .await?;
        let ctx = commands::Ctx { cloud, wait };
        commands::run(&ctx, command).await
    }
    .await;
    // a version error (406, unsupported version) or an auth/config failure:
    // the next run discovers again
    if let (Some(versions), Err(e)) = (&versions, &result)
        && e.kind == error::ErrorKind::Config
    {
        versions.remove();
    }
    if let Some(cache) = &cache {
        match &result {
            // the cached token or the credentials were refused
            Err(e) if e.kind == error::ErrorKind::Config => cache.remove(),
            // a 401 during the command re-authenticated: keep the new token
            _ => connect::save_fresh_token(&session, Some(cache)).await,
        }
    }
    result
}
