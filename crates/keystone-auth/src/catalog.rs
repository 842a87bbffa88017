//! The service catalog of a token and how an endpoint is picked from it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};
use url::Url;

use crate::error::{Error, Result};

/// An endpoint interface. Accepts `public`, `publicURL`, `PUBLIC`, ...
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Interface {
    /// `public`.
    Public,
    /// `internal`.
    Internal,
    /// `admin`.
    Admin,
    /// Any other value, kept as given (lowercased, `URL` suffix removed).
    Unknown(String),
}

impl Interface {
    /// The canonical name (`public`, `internal`, `admin`).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Public => "public",
            Self::Internal => "internal",
            Self::Admin => "admin",
            Self::Unknown(s) => s,
        }
    }
}

impl FromStr for Interface {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let base = lower.strip_suffix("url").unwrap_or(&lower);
        Ok(match base {
            "public" => Self::Public,
            "internal" => Self::Internal,
            "admin" => Self::Admin,
            other => Self::Unknown(other.to_owned()),
        })
    }
}

impl From<&str> for Interface {
    fn from(s: &str) -> Self {
        match s.parse() {
            Ok(i) => i,
            Err(never) => match never {},
        }
    }
}

impl fmt::Display for Interface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Interface {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Interface::from(s.as_str()))
    }
}

/// Which endpoint a client wants: service type, interface preference,
/// region and service name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointFilter {
    /// The service type (`compute`, `identity`, ...).
    pub service_type: String,
    /// Interfaces in order of preference; the first with a match wins.
    pub interfaces: Vec<Interface>,
    /// Only endpoints in this region.
    pub region: Option<String>,
    /// Only the service with this name.
    pub service_name: Option<String>,
}

impl EndpointFilter {
    /// The public endpoint of `service_type`, in any region.
    pub fn new(service_type: impl Into<String>) -> Self {
        Self {
            service_type: service_type.into(),
            interfaces: vec![Interface::Public],
            region: None,
            service_name: None,
        }
    }

    /// Wants only this interface.
    pub fn interface(mut self, interface: impl Into<Interface>) -> Self {
        self.interfaces = vec![interface.into()];
        self
    }

    /// Wants these interfaces, in order of preference.
    pub fn interfaces(mut self, interfaces: impl IntoIterator<Item = Interface>) -> Self {
        self.interfaces = interfaces.into_iter().collect();
        self
    }

    /// Wants an endpoint in `region`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Wants the service named `name`.
    pub fn service_name(mut self, name: impl Into<String>) -> Self {
        self.service_name = Some(name.into());
        self
    }
}

impl fmt::Display for EndpointFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let interfaces: Vec<&str> = self.interfaces.iter().map(Interface::as_str).collect();
        write!(
            f,
            "service type '{}', interface {}",
            self.service_type,
            interfaces.join(" or ")
        )?;
        if let Some(region) = &self.region {
            write!(f, ", region '{region}'")?;
        }
        if let Some(name) = &self.service_name {
            write!(f, ", service name '{name}'")?;
        }
        Ok(())
    }
}

/// One endpoint of a catalog service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CatalogEndpoint {
    /// The endpoint id.
    #[serde(default)]
    pub id: Option<String>,
    /// Its interface.
    pub interface: Interface,
    /// Its region (`region_id`, falling back to `region`).
    #[serde(default)]
    pub region_id: Option<String>,
    /// The legacy region name.
    #[serde(default)]
    pub region: Option<String>,
    /// The URL.
    pub url: String,
}

impl CatalogEndpoint {
    /// The region, as keystoneauth reads it: `region_id`, else `region`.
    pub fn region_name(&self) -> Option<&str> {
        self.region_id.as_deref().or(self.region.as_deref())
    }
}

/// One service in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CatalogService {
    /// The service id.
    #[serde(default)]
    pub id: Option<String>,
    /// The service name (`nova`, `keystone`, ...).
    #[serde(default)]
    pub name: Option<String>,
    /// The service type.
    #[serde(rename = "type")]
    pub service_type: String,
    /// Its endpoints.
    #[serde(default)]
    pub endpoints: Vec<CatalogEndpoint>,
}

/// A token's service catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct ServiceCatalog {
    services: Vec<CatalogService>,
}

impl ServiceCatalog {
    /// A catalog with these services.
    pub fn new(services: Vec<CatalogService>) -> Self {
        Self { services }
    }

    /// The services.
    pub fn services(&self) -> &[CatalogService] {
        &self.services
    }

    /// Whether the catalog lists no service.
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
    }

    /// The endpoints matching `filter`, using the first preferred interface
    /// that has any match.
    pub fn endpoints_for(&self, filter: &EndpointFilter) -> Vec<&CatalogEndpoint> {
        let candidates: Vec<&CatalogEndpoint> = self
            .services
            .iter()
            .filter(|s| s.service_type == filter.service_type)
            .filter(|s| {
                filter
                    .service_name
                    .as_ref()
                    .is_none_or(|n| s.name.as_deref() == Some(n.as_str()))
            })
            .flat_map(|s| s.endpoints.iter())
            .filter(|e| {
                filter
                    .region
                    .as_ref()
                    .is_none_or(|r| e.region_name() == Some(r.as_str()))
            })
            .collect();
        for interface in &filter.interfaces {
            let found: Vec<&CatalogEndpoint> = candidates
                .iter()
                .copied()
                .filter(|e| &e.interface == interface)
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// The URL of the endpoint matching `filter`, or
    /// [`Error::EndpointNotFound`] naming the filter and listing what the
    /// catalog offers.
    pub fn endpoint_for(&self, filter: &EndpointFilter) -> Result<Url> {
        let endpoint = self
            .endpoints_for(filter)
            .into_iter()
            .next()
            .ok_or_else(|| Error::EndpointNotFound {
                filter: filter.to_string(),
                available: self.describe(),
            })?;
        Url::parse(&endpoint.url).map_err(|e| Error::invalid_url(&endpoint.url, e))
    }

    /// Every endpoint URL of every service, as the catalog gives it (not parsed).
    pub fn endpoint_texts(&self) -> impl Iterator<Item = &str> + '_ {
        self.services
            .iter()
            .flat_map(|s| s.endpoints.iter())
            .map(|e| e.url.as_str())
    }

    /// Every endpoint URL that parses, for deciding which origins may
    /// receive the token.
    pub fn endpoint_urls(&self) -> impl Iterator<Item = Url> + '_ {
        self.services
            .iter()
            .flat_map(|s| s.endpoints.iter())
            .filter_map(|e| Url::parse(&e.url).ok())
    }

    /// A one-line description: `compute (nova): public@RegionOne, ...; identity ...`.
    pub fn describe(&self) -> String {
        if self.services.is_empty() {
            return "nothing (the catalog is empty)".into();
        }
        self.services
            .iter()
            .map(|s| {
                let endpoints: Vec<String> = s
                    .endpoints
                    .iter()
                    .map(|e| match e.region_name() {
                        Some(r) => format!("{}@{r}", e.interface),
                        None => e.interface.to_string(),
                    })
                    .collect();
                match &s.name {
                    Some(name) => format!("{} ({name}): {}", s.service_type, endpoints.join(", ")),
                    None => format!("{}: {}", s.service_type, endpoints.join(", ")),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_catalog() -> ServiceCatalog {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/openstack-reference/keystone/admin/auth-password-project-scoped-response.json"
        );
        let body: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        serde_json::from_value(body["token"]["catalog"].clone()).unwrap()
    }

    #[test]
    fn interface_accepts_legacy_forms() {
        assert_eq!(Interface::from("publicURL"), Interface::Public);
        assert_eq!(Interface::from("internalURL"), Interface::Internal);
        assert_eq!(Interface::from("ADMIN"), Interface::Admin);
        assert_eq!(Interface::from("weird"), Interface::Unknown("weird".into()));
    }

    #[test]
    fn picks_public_compute_from_the_sample() {
        let catalog = sample_catalog();
        assert_eq!(catalog.services().len(), 13);
        let url = catalog
            .endpoint_for(&EndpointFilter::new("compute"))
            .unwrap();
        let compute = catalog
            .services()
            .iter()
            .find(|s| s.service_type == "compute")
            .unwrap();
        let public = compute
            .endpoints
            .iter()
            .find(|e| e.interface == Interface::Public)
            .unwrap();
        assert_eq!(
            url.as_str().trim_end_matches('/'),
            public.url.trim_end_matches('/')
        );
    }

    #[test]
    fn interface_preference_and_region() {
        let catalog = sample_catalog();
        let admin = catalog
            .endpoint_for(
                &EndpointFilter::new("identity")
                    .interfaces([Interface::Admin, Interface::Public])
                    .region("RegionOne"),
            )
            .unwrap();
        assert_eq!(admin.as_str(), "http://example.com/identity_v2_admin/v2.0");
        let legacy = catalog
            .endpoint_for(&EndpointFilter::new("compute_legacy").interface("internalURL"))
            .unwrap();
        assert!(
            legacy
                .as_str()
                .starts_with("http://23.253.248.171:8774/v2/")
        );
    }

    #[test]
    fn service_name_filter() {
        let catalog = sample_catalog();
        assert!(
            catalog
                .endpoint_for(&EndpointFilter::new("identity").service_name("keystone"))
                .is_ok()
        );
        assert!(
            catalog
                .endpoint_for(&EndpointFilter::new("identity").service_name("other"))
                .is_err()
        );
    }

    #[test]
    fn no_match_names_filter_and_lists_catalog() {
        let catalog = sample_catalog();
        let err = catalog
            .endpoint_for(&EndpointFilter::new("compute").region("RegionTwo"))
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("service type 'compute'"), "{text}");
        assert!(text.contains("region 'RegionTwo'"), "{text}");
        assert!(text.contains("compute (nova): "), "{text}");
        assert!(text.contains("public@RegionOne"), "{text}");
        assert!(!err.may_have_reached_server());
    }

    #[test]
    fn empty_catalog_says_so() {
        let err = ServiceCatalog::default()
            .endpoint_for(&EndpointFilter::new("compute"))
            .unwrap_err();
        assert!(err.to_string().contains("the catalog is empty"));
    }
}
