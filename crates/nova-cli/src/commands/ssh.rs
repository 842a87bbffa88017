//! `nova ssh`: picks one of the server's addresses like novaclient and runs the `ssh` program
//! found on PATH.

use std::collections::BTreeMap;

use clap::{Args, ValueEnum};

use super::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Which kind of address to connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum AddressType {
    /// A floating (public) address.
    #[default]
    #[value(alias = "public")]
    Floating,
    /// A fixed (private) address.
    #[value(alias = "private")]
    Fixed,
}

impl AddressType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Floating => "floating",
            Self::Fixed => "fixed",
        }
    }
}

/// `nova ssh`.
#[derive(Debug, Args)]
pub struct SshArgs {
    /// Name or ID of server (`login@server` sets the login).
    pub server: String,
    /// Optional flag to indicate which port to use for ssh.
    #[arg(long, default_value_t = 22)]
    pub port: u16,
    /// Use the fixed address (same as --address-type fixed).
    #[arg(long, hide = true)]
    pub private: bool,
    /// Optional flag to indicate which IP type to use: floating (the default) or fixed.
    #[arg(long = "address-type", value_enum, default_value_t = AddressType::Floating)]
    pub address_type: AddressType,
    /// Network to use for the ssh.
    #[arg(long, value_name = "network")]
    pub network: Option<String>,
    /// Use an IPv6 address attached to the server (default: IPv4).
    #[arg(long)]
    pub ipv6: bool,
    /// Login to use.
    #[arg(long, value_name = "login", default_value = "root")]
    pub login: String,
    /// Private key file, same as the -i option to the ssh command.
    #[arg(short = 'i', long = "identity", value_name = "IDENTITY")]
    pub identity: Option<String>,
    /// Extra options to pass to ssh (split on whitespace). See: man ssh.
    #[arg(long = "extra-opts", value_name = "EXTRA", allow_hyphen_values = true)]
    pub extra: Option<String>,
}

/// One address of a server: `(addr, IP version, OS-EXT-IPS:type)`.
pub type Addr = (String, Option<u8>, Option<String>);

/// Chooses the address novaclient would: the named network (or the only one), then the one
/// address of the wanted IP version and type (an address without a type counts as floating).
pub fn pick_address(
    server: &str,
    addresses: &BTreeMap<String, Vec<Addr>>,
    network: Option<&str>,
    address_type: AddressType,
    version: u8,
) -> CliResult<String> {
    let on_network = match network {
        Some(net) => addresses
            .get(net)
            .filter(|list| !list.is_empty())
            .ok_or_else(|| {
                CliError::not_found(format!(
                    "Server '{server}' is not attached to network '{net}'"
                ))
            })?,
        None => {
            let mut all = addresses.values();
            match (all.next(), all.next()) {
                (Some(only), None) => only,
                (None, _) => {
                    return Err(CliError::usage(format!(
                        "Server '{server}' is not attached to any network."
                    )));
                }
                (Some(_), Some(_)) => {
                    return Err(CliError::usage(format!(
                        "Server '{server}' is attached to more than one network. Please pick \
                         the network to use."
                    )));
                }
            }
        }
    };
    let wanted = address_type.as_str();
    let matching: Vec<&str> = on_network
        .iter()
        .filter(|(_, v, kind)| {
            *v == Some(version) && kind.as_deref().unwrap_or("floating") == wanted
        })
        .map(|(addr, _, _)| addr.as_str())
        .collect();
    match matching.as_slice() {
        [one] => Ok((*one).to_owned()),
        [] => Err(CliError::not_found(format!(
            "No address that would match network '{}' and type '{wanted}' of version IPv{version} \
             has been found for server '{server}'.",
            network.unwrap_or("None")
        ))),
        _ => Err(CliError::usage(format!(
            "More than one IPv{version} {wanted} address found."
        ))),
    }
}

/// The arguments of the `ssh` program: `-4|-6 -p PORT [-i IDENTITY] LOGIN@ADDRESS [EXTRA...]`.
pub fn ssh_argv(a: &SshArgs, login: &str, version: u8, address: &str) -> Vec<String> {
    let mut argv = vec![format!("-{version}"), format!("-p{}", a.port)];
    if let Some(identity) = a.identity.as_deref().filter(|i| !i.is_empty()) {
        argv.push("-i".into());
        argv.push(identity.to_owned());
    }
    argv.push(format!("{login}@{address}"));
    argv.extend(
        a.extra
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned),
    );
    argv
}

/// `nova ssh`: runs `ssh` with the terminal attached and fails with its exit status.
pub async fn ssh(ctx: &Ctx, a: SshArgs) -> CliResult<Output> {
    let (login, name) = match a.server.split_once('@') {
        Some((user, server)) => (user.to_owned(), server.to_owned()),
        None => (a.login.clone(), a.server.clone()),
    };
    let server = crate::resolve::server(ctx.cloud.compute.as_ref(), &name).await?;
    let address_type = if a.private {
        AddressType::Fixed
    } else {
        a.address_type
    };
    let version = if a.ipv6 { 6 } else { 4 };
    let addresses: BTreeMap<String, Vec<Addr>> = server
        .addresses
        .iter()
        .map(|(net, list)| {
            let list = list
                .iter()
                .map(|a| (a.addr.clone(), a.version, a.ip_type.clone()))
                .collect();
            (net.clone(), list)
        })
        .collect();
    let address = pick_address(
        &name,
        &addresses,
        a.network.as_deref(),
        address_type,
        version,
    )?;
    let argv = ssh_argv(&a, &login, version, &address);
    let status =
        tokio::task::spawn_blocking(move || std::process::Command::new("ssh").args(&argv).status())
            .await
            .map_err(|e| CliError::api(format!("the ssh program could not be waited for: {e}")))?
            .map_err(|e| CliError::usage(format!("could not run ssh: {e}")))?;
    if status.success() {
        Ok(Output::Nothing)
    } else {
        Err(CliError::api(format!(
            "ssh exited with {}",
            status
                .code()
                .map_or_else(|| "a signal".to_owned(), |c| format!("status {c}"))
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(ip: &str, version: u8, kind: Option<&str>) -> Addr {
        (ip.into(), Some(version), kind.map(str::to_owned))
    }

    #[test]
    fn addresses_are_picked_like_novaclient() {
        let mut addresses = BTreeMap::new();
        addresses.insert(
            "private".to_owned(),
            vec![
                addr("10.0.0.5", 4, Some("fixed")),
                addr("172.24.4.9", 4, Some("floating")),
                addr("fd00::5", 6, Some("fixed")),
            ],
        );
        let pick = |net, kind, v| pick_address("vm", &addresses, net, kind, v);
        let pick_two = |addresses: &BTreeMap<String, Vec<Addr>>, net, kind| {
            pick_address("vm", addresses, net, kind, 4)
        };
        assert_eq!(
            pick(None, AddressType::Floating, 4).ok().as_deref(),
            Some("172.24.4.9")
        );
        assert_eq!(
            pick(Some("private"), AddressType::Fixed, 4).ok().as_deref(),
            Some("10.0.0.5")
        );
        assert_eq!(
            pick(None, AddressType::Fixed, 6).ok().as_deref(),
            Some("fd00::5")
        );
        let none = pick(None, AddressType::Floating, 6)
            .err()
            .map(|e| e.message);
        assert!(
            none.as_deref()
                .is_some_and(|m| m.contains("type 'floating' of version IPv6")),
            "{none:?}"
        );
        assert!(pick(Some("public"), AddressType::Fixed, 4).is_err());
        let mut addresses = addresses.clone();
        addresses.insert("public".to_owned(), vec![addr("203.0.113.1", 4, None)]);
        let two = pick_two(&addresses, None, AddressType::Floating)
            .err()
            .map(|e| e.message);
        assert!(
            two.as_deref()
                .is_some_and(|m| m.contains("more than one network")),
            "{two:?}"
        );
        // An address without OS-EXT-IPS:type counts as floating.
        assert_eq!(
            pick_two(&addresses, Some("public"), AddressType::Floating)
                .ok()
                .as_deref(),
            Some("203.0.113.1")
        );
    }
}
