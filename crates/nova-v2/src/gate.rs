//! Checks version-gated operations and request fields against the negotiated microversion,
//! before any I/O. Gates are `const` values; nothing is parsed here.

use nova_core::types::{FieldGate, OperationGate};
use nova_core::{Connection, Result};

/// Fails with `FieldNotSupported` for the first field the connection's microversion rejects.
pub(crate) fn check_fields(conn: &Connection, gates: &[FieldGate]) -> Result<()> {
    let current = conn.microversion();
    for gate in gates {
        if !gate.admits(current) {
            conn.require_field(gate.field, &gate.current())?;
        }
    }
    Ok(())
}

/// Fails with `VersionNotSupported` when the connection's microversion lacks `gate`'s operation.
pub(crate) fn check_operation(conn: &Connection, gate: &OperationGate) -> Result<()> {
    conn.require(gate.operation, &gate.requires)
}
