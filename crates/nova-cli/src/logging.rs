//! `--debug`: a tracing subscriber on stderr. keystone-auth logs each request as a curl
//! command line and each response (headers and body at trace level), with tokens as
//! `{SHA256}<digest>` and passwords and secrets masked; nothing else is installed without
//! `--debug`, so a normal run pays nothing for logging.

use std::io::Write;

use tracing_subscriber::EnvFilter;

/// The filter `--debug` uses: requests, responses and bodies from keystone-auth, decisions
/// (version negotiation, waits) from nova-core and nova-v2.
pub const DEBUG_FILTER: &str = "keystone_auth=trace,nova_core=debug,nova_v2=debug,nova_cli=debug";

/// Installs the stderr subscriber.
pub fn init_debug() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(DEBUG_FILTER))
        .with_writer(|| SanitizedStderr)
        .with_target(true)
        .with_ansi(false)
        .without_time()
        .try_init();
}

/// stderr through [`crate::sanitize::for_stderr`]: secrets masked by value and control
/// characters escaped in every log line (tracing writes one event per `write`).
struct SanitizedStderr;

impl Write for SanitizedStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = crate::sanitize::for_stderr(&String::from_utf8_lossy(buf));
        std::io::stderr().lock().write_all(text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}
