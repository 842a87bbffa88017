//! `--debug`: a tracing subscriber on stderr. keystone-auth logs each request as a curl
//! command line and each response (headers and body at trace level), with tokens as
//! `{SHA256}<digest>` and passwords and secrets masked; nothing else is installed without
//! `--debug`, so a normal run pays nothing for logging.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The filter `--debug` uses: requests, responses and bodies from keystone-auth, decisions
/// (version negotiation, waits) from nova-core and nova-v2.
pub const DEBUG_FILTER: &str = "keystone_auth=trace,nova_core=debug,nova_v2=debug,nova_cli=debug";

/// Installs the stderr subscriber.
pub fn init_debug() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(DEBUG_FILTER))
        .with_writer(std::io::stderr)
        .with_target(true)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .try_init();
}
