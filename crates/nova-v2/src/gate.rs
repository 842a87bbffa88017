//! Checks version-gated request fields against the negotiated microversion, before any I/O.

use nova_core::types::FieldGate;
use nova_core::{Connection, Result, VersionReq};

/// Fails with `FieldNotSupported` for the first field the connection's microversion rejects.
pub(crate) fn check_fields(conn: &Connection, gates: &[FieldGate]) -> Result<()> {
    let current = conn.microversion();
    for gate in gates {
        let mut last = None;
        let mut admitted = false;
        for text in gate.any_of {
            let req = VersionReq::parse(text)?;
            admitted |= req.matches(current);
            last = Some(req);
        }
        if admitted {
            continue;
        }
        if let Some(req) = last {
            conn.require_field(gate.field, &req)?;
        }
    }
    Ok(())
}

/// Fails with `VersionNotSupported` when `operation` needs `requirement`.
pub(crate) fn check_operation(
    conn: &Connection,
    operation: &'static str,
    requirement: &str,
) -> Result<()> {
    conn.require(operation, &VersionReq::parse(requirement)?)
}
