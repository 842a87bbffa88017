//! Compute version documents and discovery of a server's microversion range.
//!
//! Nova publishes two shapes: the root list at `/` (`{"versions": [...]}`) and one document
//! at `/v2.1/` (`{"version": {...}}`). `version` is the maximum microversion and
//! `min_version` the minimum; empty strings mean "no microversions" (legacy v2.0). Keystone's
//! `{"versions": {"values": [...]}}` shape is read too.

use std::collections::HashMap;
use std::sync::Mutex;

use http::header::ACCEPT;
use http::{HeaderValue, Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Fault, Result};
use crate::fault::body_snippet;
use crate::microversion::{MicroVersion, VersionRange};
use crate::transport::{HttpRequest, Transport};

/// The `status` of a version document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum VersionStatus {
    /// `CURRENT` (keystone's `stable` is read as this, like keystoneauth does).
    Current,
    /// `SUPPORTED`.
    Supported,
    /// `DEPRECATED`.
    Deprecated,
    /// `EXPERIMENTAL`.
    Experimental,
    /// Any other value, as given.
    Unknown(String),
}

impl VersionStatus {
    fn parse(s: &str) -> Self {
        match s.to_ascii_uppercase().as_str() {
            "CURRENT" | "STABLE" => VersionStatus::Current,
            "SUPPORTED" => VersionStatus::Supported,
            "DEPRECATED" => VersionStatus::Deprecated,
            "EXPERIMENTAL" => VersionStatus::Experimental,
            _ => VersionStatus::Unknown(s.to_owned()),
        }
    }
}

/// One API version entry of a version document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VersionDocument {
    /// `v2.1`, `v2.0`, ...
    pub id: String,
    /// The status.
    pub status: VersionStatus,
    /// The maximum microversion (`version`), `None` when empty (no microversions).
    pub max_version: Option<MicroVersion>,
    /// The minimum microversion (`min_version`), `None` when empty.
    pub min_version: Option<MicroVersion>,
    /// `updated`, as given.
    pub updated: Option<String>,
    /// The `self` link, as given (Nova's are sometimes wrong; treat as opaque).
    pub self_link: Option<String>,
}

impl VersionDocument {
    /// The microversion range, when the document has one.
    pub fn range(&self) -> Option<VersionRange> {
        match (self.min_version, self.max_version) {
            (Some(min), Some(max)) if min <= max => Some(VersionRange { min, max }),
            (None, Some(max)) => Some(VersionRange {
                min: MicroVersion::new(max.major(), 1),
                max,
            }),
            _ => None,
        }
    }

    /// The major version named by the id (`v2.1` -> 2).
    pub fn major(&self) -> Option<u16> {
        let digits = self.id.strip_prefix('v').unwrap_or(&self.id);
        digits.split('.').next()?.parse().ok()
    }
}

#[derive(Deserialize)]
struct RawLink {
    #[serde(default)]
    href: Option<String>,
    #[serde(default)]
    rel: Option<String>,
}

#[derive(Deserialize)]
struct RawDocument {
    id: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    min_version: Option<String>,
    #[serde(default)]
    updated: Option<String>,
    #[serde(default)]
    links: Vec<RawLink>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawVersions {
    List(Vec<RawDocument>),
    Values { values: Vec<RawDocument> },
}

#[derive(Deserialize)]
struct RawRoot {
    #[serde(default)]
    versions: Option<RawVersions>,
    #[serde(default)]
    version: Option<RawDocument>,
}

fn optional_version(text: Option<String>) -> Result<Option<MicroVersion>> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t.parse().map(Some),
    }
}

impl TryFrom<RawDocument> for VersionDocument {
    type Error = Error;

    fn try_from(raw: RawDocument) -> Result<Self> {
        Ok(VersionDocument {
            status: VersionStatus::parse(raw.status.as_deref().unwrap_or("")),
            max_version: optional_version(raw.version)?,
            min_version: optional_version(raw.min_version)?,
            updated: raw.updated,
            self_link: raw
                .links
                .into_iter()
                .find(|l| l.rel.as_deref() == Some("self"))
                .and_then(|l| l.href),
            id: raw.id,
        })
    }
}

fn decode_root(body: &[u8]) -> Result<RawRoot> {
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        what: "compute version document".to_owned(),
        request_id: None,
        snippet: body_snippet(body),
        source: Box::new(e),
    })
}

/// Reads either version-document shape into its entries: the list (`{"versions": [...]}`
/// or keystone's `{"versions": {"values": [...]}}`) or a single `{"version": {...}}`.
pub fn parse_versions(body: &[u8]) -> Result<Vec<VersionDocument>> {
    let root = decode_root(body)?;
    let raws = match (root.versions, root.version) {
        (Some(RawVersions::List(list)), _) | (Some(RawVersions::Values { values: list }), _) => {
            list
        }
        (None, Some(one)) => vec![one],
        (None, None) => {
            return Err(Error::Decode {
                what: "compute version document".to_owned(),
                request_id: None,
                snippet: body_snippet(body),
                source: "neither \"versions\" nor \"version\" is present".into(),
            });
        }
    };
    raws.into_iter().map(VersionDocument::try_from).collect()
}

/// Reads a single `{"version": {...}}` document (GET `/v2.1/`).
pub fn parse_version_document(body: &[u8]) -> Result<VersionDocument> {
    match decode_root(body)?.version {
        Some(raw) => raw.try_into(),
        None => Err(Error::Decode {
            what: "compute version document".to_owned(),
            request_id: None,
            snippet: body_snippet(body),
            source: "\"version\" is missing".into(),
        }),
    }
}

/// What discovery found for one endpoint.
///
/// Serializable, so a caller can keep it between processes (the `nova` CLI caches it next
/// to its token); check [`is_consistent`](Self::is_consistent) after reading one back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServerVersions {
    /// The catalog endpoint that was discovered.
    pub endpoint: String,
    /// The URL whose document was used.
    pub document_url: String,
    /// The chosen document.
    pub document: VersionDocument,
    /// Its microversion range; `None` = the server has no microversions.
    pub range: Option<VersionRange>,
}

impl ServerVersions {
    /// The major version of the document (`v2.1` -> 2).
    pub fn major(&self) -> Option<u16> {
        self.document.major()
    }

    /// Whether `range` is the one the document gives (what [`discover`] produces); a
    /// deserialized value that is not was edited or corrupted.
    pub fn is_consistent(&self) -> bool {
        self.range == self.document.range()
    }
}

/// Where the path segment naming the API version (`v2.1`, `v2`) is, if any.
fn version_segment(path: &str) -> Option<(usize, &str)> {
    let mut found = None;
    let mut offset = 0;
    for segment in path.split('/') {
        let digits = segment.strip_prefix('v').unwrap_or("");
        let is_version = !digits.is_empty()
            && digits.split('.').count() <= 2
            && digits
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if is_version {
            found = Some((offset, segment));
        }
        offset += segment.len() + 1;
    }
    found
}

/// The URLs discovery tries for a catalog endpoint, in order:
///
/// 1. the endpoint itself (novaclient's first try);
/// 2. the version root, i.e. the endpoint cut after its version segment, with a trailing `/`
///    (`http://h/compute/v2.1/<project_id>` -> `http://h/compute/v2.1/`): novaclient's
///    retry after a 404;
/// 3. the service root before the version segment (`http://h/compute/`), which serves the
///    version list.
pub fn version_root_candidates(endpoint: &str) -> Vec<String> {
    let base = endpoint.split(['?', '#']).next().unwrap_or(endpoint);
    let (origin, path) = match base.find("://") {
        Some(i) => {
            let after = i + 3;
            match base[after..].find('/') {
                Some(p) => base.split_at(after + p),
                None => (base, ""),
            }
        }
        None => ("", base),
    };
    let mut out = vec![endpoint.to_owned()];
    match version_segment(path) {
        Some((start, segment)) => {
            out.push(format!("{origin}{}/", &path[..start + segment.len()]));
            out.push(format!("{origin}{}", &path[..start]));
        }
        None => {
            let trimmed = path.trim_end_matches('/');
            out.push(format!("{origin}{trimmed}/"));
        }
    }
    let mut seen: Vec<String> = Vec::new();
    out.retain(|u| {
        if seen.contains(u) || u.is_empty() {
            false
        } else {
            seen.push(u.clone());
            true
        }
    });
    out
}

fn choose(docs: Vec<VersionDocument>, wanted_id: Option<&str>) -> Option<VersionDocument> {
    if docs.len() <= 1 {
        return docs.into_iter().next();
    }
    if let Some(id) = wanted_id
        && let Some(doc) = docs.iter().find(|d| d.id == id)
    {
        return Some(doc.clone());
    }
    if let Some(doc) = docs.iter().find(|d| d.status == VersionStatus::Current) {
        return Some(doc.clone());
    }
    docs.into_iter().max_by_key(|d| d.range().map(|r| r.max))
}

/// Reads the server's version document through `transport` and returns its range.
///
/// Tries [`version_root_candidates`] of `transport.endpoint()` in order, each with one GET
/// carrying no microversion header. A 401 or 403 stops discovery with that status error; a
/// transport failure stops it with [`Error::Transport`]; other statuses and unreadable
/// bodies move on to the next URL, and [`Error::Discovery`] lists every attempt when none
/// worked.
pub async fn discover(transport: &dyn Transport) -> Result<ServerVersions> {
    let endpoint = transport.endpoint().await?;
    let wanted_id = {
        let path = endpoint.split("://").nth(1).unwrap_or(&endpoint);
        version_segment(path).map(|(_, s)| s.to_owned())
    };
    let mut attempts = Vec::new();
    for url in version_root_candidates(&endpoint) {
        let mut request = HttpRequest::new(Method::GET, url.clone());
        request
            .headers
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        let response = transport.send(request).await?;
        let status = response.status;
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(Fault::from_response(&Method::GET, &url, &response).into_error());
        }
        if !(status.is_success() || status == StatusCode::MULTIPLE_CHOICES) {
            attempts.push(format!("GET {url}: HTTP {}", status.as_u16()));
            continue;
        }
        match parse_versions(&response.body) {
            Ok(docs) => match choose(docs, wanted_id.as_deref()) {
                Some(document) => {
                    tracing::debug!(%endpoint, %url, id = %document.id, "compute versions discovered");
                    return Ok(ServerVersions {
                        endpoint,
                        document_url: url,
                        range: document.range(),
                        document,
                    });
                }
                None => attempts.push(format!("GET {url}: no version in the document")),
            },
            Err(e) => attempts.push(format!("GET {url}: {e}")),
        }
    }
    Err(Error::Discovery {
        endpoint,
        reason: attempts.join("; "),
    })
}

/// Discovery results per endpoint, so repeated negotiations do not repeat the GETs.
///
/// Keyed by `transport.endpoint()`. Keep one per process or per cloud; results never
/// expire (call [`clear`](Self::clear) after an upgrade).
#[derive(Debug, Default)]
pub struct DiscoveryCache {
    entries: Mutex<HashMap<String, ServerVersions>>,
}

impl DiscoveryCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The cached result for the transport's endpoint, else [`discover`] (and cache it).
    pub async fn discover(&self, transport: &dyn Transport) -> Result<ServerVersions> {
        let endpoint = transport.endpoint().await?;
        if let Some(hit) = self.lock().get(&endpoint) {
            return Ok(hit.clone());
        }
        let found = discover(transport).await?;
        self.lock().insert(endpoint, found.clone());
        Ok(found)
    }

    /// The cached result for an endpoint, if any.
    pub fn get(&self, endpoint: &str) -> Option<ServerVersions> {
        self.lock().get(endpoint).cloned()
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ServerVersions>> {
        // A panic while holding the lock cannot leave the map half-updated; keep using it.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests;
