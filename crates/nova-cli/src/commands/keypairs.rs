//! `keypair-add`, `keypair-list`, `keypair-show` and `keypair-delete`.

use nova_v2::{CreateKeypair, Keypair, KeypairQuery, KeypairType};
use secrecy::ExposeSecret;
use serde_json::{Map, Value, json};

use super::{Ctx, read_file};
use crate::error::CliResult;
use crate::output::Output;

fn keypair_type(k: &Keypair) -> Value {
    k.key_type
        .as_ref()
        .map_or(Value::Null, |t| json!(t.to_string()))
}

/// `nova keypair-add <name> [--pub-key FILE] [--key-type] [--user]`.
pub async fn add(
    ctx: &Ctx,
    name: &str,
    pub_key: Option<&std::path::Path>,
    key_type: Option<String>,
    user: Option<String>,
) -> CliResult<Output> {
    let mut req = CreateKeypair::new(name);
    if let Some(path) = pub_key {
        let key = read_file(path, "public key file")?;
        req = req.public_key(String::from_utf8_lossy(&key).trim().to_owned());
    }
    if let Some(t) = key_type {
        req = req.key_type(t.parse::<KeypairType>().unwrap_or(KeypairType::Ssh));
    }
    if let Some(u) = user {
        req = req.user_id(u);
    }
    let created = ctx.cloud.compute.keypairs().create(&req).await?.value;
    match &created.private_key {
        // novaclient prints a generated private key: it is the only chance to get it.
        Some(key) if pub_key.is_none() => Ok(Output::Text(key.expose_secret().to_owned())),
        _ => Ok(Output::Nothing),
    }
}

/// `nova keypair-list [--user <user-id>] [--marker <marker>] [--limit <limit>]` (`--user`:
/// admin, 2.10+; `--marker` and `--limit`: 2.35+, refused before sending below).
pub async fn list(
    ctx: &Ctx,
    user: Option<&str>,
    marker: Option<String>,
    limit: Option<u32>,
) -> CliResult<Output> {
    let compute = &ctx.cloud.compute;
    let keypairs = match (user, marker.is_some() || limit.is_some()) {
        (user, true) => {
            let mut query = KeypairQuery::new();
            if let Some(u) = user {
                query = query.user_id(u);
            }
            if let Some(m) = marker {
                query = query.marker(m);
            }
            if let Some(l) = limit {
                query = query.limit(l);
            }
            compute.keypairs().list(&query).await?.value.items
        }
        (Some(u), false) => compute.user_keypairs().list(u).await?.value,
        (None, false) => {
            compute
                .keypairs()
                .list(&KeypairQuery::new())
                .await?
                .value
                .items
        }
    };
    let rows = keypairs
        .iter()
        .map(|k| {
            vec![
                json!(k.name),
                keypair_type(k),
                k.fingerprint.as_ref().map_or(Value::Null, |f| json!(f)),
            ]
        })
        .collect();
    Ok(Output::list(&["Name", "Type", "Fingerprint"], rows))
}

/// `nova keypair-show [--user <user-id>]`.
pub async fn show(ctx: &Ctx, name: &str, user: Option<&str>) -> CliResult<Output> {
    let compute = &ctx.cloud.compute;
    let keypair = match user {
        Some(u) => compute.user_keypairs().get(name, u).await?.value,
        None => compute.keypairs().get(name).await?.value,
    };
    let map = match serde_json::to_value(&keypair) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    Ok(Output::object(map))
}

/// `nova keypair-delete [--user <user-id>]`.
pub async fn delete(ctx: &Ctx, name: &str, user: Option<&str>) -> CliResult<Output> {
    let compute = &ctx.cloud.compute;
    match user {
        Some(u) => compute.user_keypairs().delete(name, u).await?,
        None => compute.keypairs().delete(name).await?,
    };
    Ok(Output::Nothing)
}
