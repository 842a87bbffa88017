//! Turning what the user typed into ids: flavors (Nova) and images (Glance v2) by id or
//! exact name. A name that matches nothing or several things says so and lists candidates.

use http::{HeaderMap, Method, StatusCode};
use keystone_auth::{Adapter, CloudConfig, Session};
use nova_core::compute::ComputeClient;
use nova_v2::{Flavor, FlavorQuery, FlavorVisibility, Server};
use serde_json::Value;

use crate::error::{CliError, CliResult};

/// How many candidates an error lists at most.
const MAX_CANDIDATES: usize = 20;

fn candidates(items: &[String]) -> String {
    let mut text = items
        .iter()
        .take(MAX_CANDIDATES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > MAX_CANDIDATES {
        text.push_str(&format!(", ... ({} in all)", items.len()));
    }
    if text.is_empty() {
        text.push_str("none");
    }
    text
}

/// A flavor by id, else by unique exact name among every flavor the caller may use, private
/// ones included (novaclient's `find_resource(cs.flavors, name, is_public=None)`).
pub async fn flavor(compute: &dyn ComputeClient, name_or_id: &str) -> CliResult<Flavor> {
    let flavors = compute.flavors();
    match flavors.find(name_or_id).await {
        Ok(found) => Ok(found.value),
        Err(nova_core::Error::NotFoundByName { .. }) => {
            let every = FlavorQuery::new().is_public(FlavorVisibility::All);
            let names: Vec<String> = flavors
                .list_detail(&every)
                .await?
                .value
                .items
                .iter()
                .map(|f| format!("{} ({})", f.name, f.id))
                .collect();
            Err(CliError::not_found(format!(
                "No flavor with a name or ID of '{name_or_id}' exists. Available flavors: {}",
                candidates(&names)
            )))
        }
        Err(nova_core::Error::Ambiguous {
            candidates: ids, ..
        }) => Err(CliError::new(
            crate::error::ErrorKind::NotFound,
            "NoUniqueMatch",
            format!(
                "Multiple flavor matches found for '{name_or_id}', use an ID to be more specific: {}",
                candidates(&ids)
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

/// A server by id, else by unique exact name.
pub async fn server(compute: &dyn ComputeClient, name_or_id: &str) -> CliResult<Server> {
    Ok(compute.servers().find(name_or_id).await?.value)
}

/// Whether `text` is a UUID (32 hex digits, hyphens anywhere), as Nova's `uuid` format takes it.
pub(crate) fn looks_like_uuid(text: &str) -> bool {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// Percent-encodes a query value.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn glance_get(glance: &Adapter, path: &str) -> CliResult<Option<Value>> {
    let response = glance
        .send(Method::GET, path, HeaderMap::new(), None)
        .await?;
    if response.status == StatusCode::NOT_FOUND {
        return Ok(None);
    }
    let response = response.error_for_status()?;
    serde_json::from_slice(&response.body)
        .map(Some)
        .map_err(|e| CliError::api(format!("the image service answered with invalid JSON: {e}")))
}

fn ids_and_names(list: &Value) -> Vec<(String, String)> {
    list["images"]
        .as_array()
        .map(|images| {
            images
                .iter()
                .map(|i| {
                    (
                        i["id"].as_str().unwrap_or_default().to_owned(),
                        i["name"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The image service's view of image `id` (Glance v2 `GET /v2/images/{id}`): `None` when
/// there is no image service or no such image.
pub async fn image_details(
    session: &Session,
    config: &CloudConfig,
    id: &str,
) -> CliResult<Option<Value>> {
    let glance = Adapter::new(session.clone(), config.endpoint_filter("image"));
    match glance.endpoint().await {
        Ok(_) => {}
        Err(keystone_auth::Error::EndpointNotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    glance_get(&glance, &format!("v2/images/{}", encode(id))).await
}

/// An image id from an id or exact name, through the catalog's `image` service (Glance v2).
/// Without an image service the text is passed on as an id.
pub async fn image(session: &Session, config: &CloudConfig, name_or_id: &str) -> CliResult<String> {
    let glance = Adapter::new(session.clone(), config.endpoint_filter("image"));
    match glance.endpoint().await {
        Ok(_) => {}
        Err(keystone_auth::Error::EndpointNotFound { .. }) => return Ok(name_or_id.to_owned()),
        Err(e) => return Err(e.into()),
    }
    if looks_like_uuid(name_or_id)
        && let Some(image) = glance_get(&glance, &format!("v2/images/{name_or_id}")).await?
        && let Some(id) = image["id"].as_str()
    {
        return Ok(id.to_owned());
    }
    let by_name = glance_get(&glance, &format!("v2/images?name={}", encode(name_or_id)))
        .await?
        .map(|v| ids_and_names(&v))
        .unwrap_or_default();
    match by_name.len() {
        1 => Ok(by_name[0].0.clone()),
        0 => {
            let all = glance_get(&glance, "v2/images?limit=50")
                .await?
                .map(|v| ids_and_names(&v))
                .unwrap_or_default();
            let names: Vec<String> = all
                .iter()
                .map(|(id, name)| format!("{name} ({id})"))
                .collect();
            Err(CliError::not_found(format!(
                "No image with a name or ID of '{name_or_id}' exists. Available images: {}",
                candidates(&names)
            )))
        }
        _ => {
            let ids: Vec<String> = by_name.into_iter().map(|(id, _)| id).collect();
            Err(CliError::new(
                crate::error::ErrorKind::NotFound,
                "NoUniqueMatch",
                format!(
                    "Multiple image matches found for '{name_or_id}', use an ID to be more specific: {}",
                    candidates(&ids)
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_detection_and_encoding() {
        assert!(looks_like_uuid("70a599e0-31e7-49b7-b260-868f441e862b"));
        assert!(!looks_like_uuid("cirros-0.6.2"));
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
        assert_eq!(candidates(&[]), "none");
    }
}
