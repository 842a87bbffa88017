//! `clouds.yaml` + `secure.yaml`: where they are looked for, how they merge,
//! and how one cloud entry becomes a [`CloudConfig`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde_json::{Map, Value};

type Mapping = Map<String, Value>;

use crate::config::{AuthSettings, CloudConfig, parse_bool};
use crate::error::{Error, Result};

const CLOUDS_NAMES: [&str; 3] = ["clouds.yaml", "clouds.yml", "clouds.json"];
const SECURE_NAMES: [&str; 3] = ["secure.yaml", "secure.yml", "secure.json"];

/// Where clouds.yaml and secure.yaml are looked for. The first file found
/// is used (as openstacksdk does).
#[derive(Debug, Clone, Default)]
pub struct ConfigSearch {
    /// Directories searched in order.
    pub dirs: Vec<PathBuf>,
    /// A clouds file tried before the directories (`OS_CLIENT_CONFIG_FILE`).
    pub clouds_file: Option<PathBuf>,
    /// A secure file tried before the directories (`OS_CLIENT_SECURE_FILE`).
    pub secure_file: Option<PathBuf>,
}

impl ConfigSearch {
    /// Searches only `dirs`.
    pub fn in_dirs(dirs: impl IntoIterator<Item = PathBuf>) -> Self {
        Self {
            dirs: dirs.into_iter().collect(),
            ..Self::default()
        }
    }

    /// The standard places: the current directory, the user's config
    /// directory (`~/.config/openstack` on Linux), `/etc/openstack`; plus
    /// `OS_CLIENT_CONFIG_FILE` and `OS_CLIENT_SECURE_FILE` from `env`.
    pub fn standard(env: &HashMap<String, String>) -> Self {
        let mut dirs = Vec::new();
        if let Ok(cwd) = std::env::current_dir() {
            dirs.push(cwd);
        }
        if let Some(config) = dirs::config_dir() {
            dirs.push(config.join("openstack"));
        }
        dirs.push(PathBuf::from("/etc/openstack"));
        let file = |name: &str| env.get(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        Self {
            dirs,
            clouds_file: file("OS_CLIENT_CONFIG_FILE"),
            secure_file: file("OS_CLIENT_SECURE_FILE"),
        }
    }

    fn find(&self, explicit: &Option<PathBuf>, names: &[&str]) -> Option<PathBuf> {
        explicit
            .iter()
            .cloned()
            .chain(
                self.dirs
                    .iter()
                    .flat_map(|d| names.iter().map(move |n| d.join(n))),
            )
            .find(|p| p.is_file())
    }

    /// The clouds file that would be used.
    pub fn clouds_file(&self) -> Option<PathBuf> {
        self.find(&self.clouds_file, &CLOUDS_NAMES)
    }

    /// The secure file that would be used.
    pub fn secure_file(&self) -> Option<PathBuf> {
        self.find(&self.secure_file, &SECURE_NAMES)
    }

    /// Reads cloud `name`: its clouds.yaml entry with its secure.yaml entry
    /// merged on top.
    pub fn load_cloud(&self, name: &str) -> Result<CloudConfig> {
        let Some(clouds_path) = self.clouds_file() else {
            let places: Vec<String> = self
                .clouds_file
                .iter()
                .chain(self.dirs.iter())
                .map(|p| p.display().to_string())
                .collect();
            return Err(Error::Config(format!(
                "cloud {name:?} was requested but no clouds.yaml was found in: {}",
                places.join(", ")
            )));
        };
        let clouds = read_yaml(&clouds_path)?;
        let mut entry = cloud_entry(&clouds, name).cloned().ok_or_else(|| {
            Error::Config(format!(
                "cloud {name:?} is not in {}; it defines: {}",
                clouds_path.display(),
                cloud_names(&clouds).join(", ")
            ))
        })?;
        if let Some(secure_path) = self.secure_file() {
            let secure = read_yaml(&secure_path)?;
            if let Some(secret_entry) = cloud_entry(&secure, name) {
                merge(&mut entry, secret_entry);
            }
        }
        from_entry(name, &entry)
    }
}

/// The deepest nesting a clouds.yaml or secure.yaml may have. Real files
/// are 4-5 levels deep; the limit makes hostile input a quick typed error.
pub(crate) const MAX_YAML_DEPTH: usize = 32;

/// The largest clouds.yaml or secure.yaml read.
const MAX_YAML_BYTES: u64 = 4 * 1024 * 1024;

/// Parses YAML text (JSON is YAML) into a JSON value, with the nesting, size
/// and alias budgets of [`MAX_YAML_DEPTH`].
pub(crate) fn parse_yaml(text: &str, path: &Path) -> Result<Value> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_YAML_DEPTH,
            max_nodes: 100_000,
            max_aliases: 1_000,
            max_documents: 1,
        },
        // no snippet of the file in errors: it may hold a password
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options::<Value>(text, options).map_err(|source| {
        if is_too_deep(&source) {
            return Error::ConfigTooDeep {
                path: path.to_owned(),
                limit: MAX_YAML_DEPTH,
            };
        }
        Error::ParseConfigFile {
            path: path.to_owned(),
            source: Box::new(source),
        }
    })
}

/// Whether the YAML error is a nesting limit: our depth budget, or the
/// parser's own flow/block nesting ceiling (which can trip first).
fn is_too_deep(error: &serde_saphyr::Error) -> bool {
    use serde_saphyr::ExternalMessageSource;
    use serde_saphyr::granit_parser::ErrorKind;
    match error {
        serde_saphyr::Error::Budget {
            breach: serde_saphyr::budget::BudgetBreach::Depth { .. },
            ..
        } => true,
        serde_saphyr::Error::WithSnippet { error, .. } => is_too_deep(error),
        serde_saphyr::Error::ExternalMessage { source, .. } => matches!(
            source.as_ref(),
            ExternalMessageSource::Parser(scan) if matches!(scan.kind(), ErrorKind::RecursionLimitExceeded)
        ),
        _ => false,
    }
}

fn read_yaml(path: &Path) -> Result<Value> {
    let read_error = |source| Error::ReadFile {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_YAML_BYTES {
        return Err(Error::Config(format!(
            "{} is {size} bytes, more than the {MAX_YAML_BYTES} a clouds file may have",
            path.display()
        )));
    }
    let text = std::fs::read_to_string(path).map_err(read_error)?;
    match parse_yaml(&text, path)? {
        // an empty file is an empty mapping, as openstacksdk reads it
        Value::Null => Ok(Value::Object(Mapping::new())),
        value => Ok(value),
    }
}

fn cloud_entry<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    doc.get("clouds")?.get(name)
}

fn cloud_names(doc: &Value) -> Vec<String> {
    doc.get("clouds")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Deep-merges `over` into `base` (mappings merge key by key; anything else replaces).
fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// A scalar as text; keys are matched with `-` and `_` treated alike.
fn scalar(map: &Mapping, key: &str) -> Option<String> {
    map.iter().find_map(|(k, v)| {
        if k.replace('-', "_") != key {
            return None;
        }
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    })
}

/// A list of strings: a YAML sequence, or one comma-separated string.
fn list(map: &Mapping, key: &str) -> Vec<String> {
    let found = map
        .iter()
        .find(|(k, _)| k.replace('-', "_") == key)
        .map(|(_, v)| v);
    match found {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

fn from_entry(name: &str, entry: &Value) -> Result<CloudConfig> {
    let empty = Mapping::new();
    let top = entry
        .as_object()
        .ok_or_else(|| Error::Config(format!("cloud {name:?} is not a mapping of settings")))?;
    let auth = top.get("auth").and_then(Value::as_object).unwrap_or(&empty);
    let a = |k: &str| scalar(auth, k);
    let t = |k: &str| scalar(top, k);
    let region_name = t("region_name").or_else(|| {
        top.get("regions")
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .and_then(|r| match r {
                Value::String(s) => Some(s.clone()),
                Value::Object(m) => scalar(m, "name"),
                _ => None,
            })
    });
    let insecure = match t("verify") {
        Some(v) => parse_bool(&v).map(|verify| !verify),
        None => t("insecure").and_then(|v| parse_bool(&v)),
    };
    let endpoint_overrides = top
        .iter()
        .filter_map(|(k, v)| {
            let k = k.replace('-', "_");
            let service = k.strip_suffix("_endpoint_override")?;
            let url = v.as_str()?.trim();
            (!url.is_empty()).then(|| (service.to_owned(), url.to_owned()))
        })
        .collect();
    let cache_auth = top
        .get("cache")
        .and_then(Value::as_object)
        .and_then(|c| scalar(c, "auth"))
        .and_then(|v| parse_bool(&v));
    Ok(CloudConfig {
        name: Some(name.to_owned()),
        auth_type: t("auth_type"),
        auth: AuthSettings {
            auth_url: a("auth_url"),
            username: a("username").or_else(|| a("user_name")),
            user_id: a("user_id"),
            password: a("password").map(SecretString::from),
            user_domain_name: a("user_domain_name"),
            user_domain_id: a("user_domain_id"),
            project_name: a("project_name").or_else(|| a("tenant_name")),
            project_id: a("project_id").or_else(|| a("tenant_id")),
            project_domain_name: a("project_domain_name"),
            project_domain_id: a("project_domain_id"),
            domain_name: a("domain_name"),
            domain_id: a("domain_id"),
            default_domain_id: a("default_domain_id").or_else(|| a("default_domain")),
            default_domain_name: a("default_domain_name"),
            system_scope: a("system_scope"),
            token: a("token").map(SecretString::from),
            application_credential_id: a("application_credential_id"),
            application_credential_name: a("application_credential_name"),
            application_credential_secret: a("application_credential_secret")
                .map(SecretString::from),
            endpoint: a("endpoint"),
            passcode: a("passcode").map(SecretString::from),
            auth_methods: list(auth, "auth_methods"),
            oauth2_endpoint: a("oauth2_endpoint"),
            oauth2_client_id: a("oauth2_client_id"),
            oauth2_client_secret: a("oauth2_client_secret").map(SecretString::from),
            oidc: crate::config::OidcSettings::read(a),
        },
        region_name,
        interface: t("interface").or_else(|| t("endpoint_type")),
        cacert: t("cacert").map(PathBuf::from),
        cert: t("cert").map(PathBuf::from),
        key: t("key").map(PathBuf::from),
        insecure,
        compute_api_version: t("compute_api_version"),
        endpoint_overrides,
        cache_auth,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{DomainRef, Scope};
    use secrecy::ExposeSecret;

    const CLOUDS: &str = r#"
clouds:
  devstack:
    auth:
      auth_url: http://192.0.2.10/identity
      username: demo
      project_name: demo
      user_domain_name: Default
      project_domain_id: default
    region_name: RegionOne
    interface: public
    identity_api_version: 3
  other:
    auth:
      auth_url: http://other/v3
      application_credential_id: ac-1
    auth_type: v3applicationcredential
    regions: [RegionTwo, RegionThree]
    verify: false
"#;

    const SECURE: &str = r#"
clouds:
  devstack:
    auth:
      password: from-secure-yaml
  other:
    auth:
      application_credential_secret: ac-secret
"#;

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn merges_secure_yaml_into_clouds_yaml() {
        let dir = dir_with(&[("clouds.yaml", CLOUDS), ("secure.yaml", SECURE)]);
        let search = ConfigSearch::in_dirs([dir.path().to_owned()]);
        let cfg = search.load_cloud("devstack").unwrap();
        assert_eq!(cfg.name.as_deref(), Some("devstack"));
        assert_eq!(
            cfg.auth.password.as_ref().unwrap().expose_secret(),
            "from-secure-yaml"
        );
        assert_eq!(cfg.region_name.as_deref(), Some("RegionOne"));
        assert_eq!(
            cfg.scope(),
            Some(Scope::project_name("demo", DomainRef::id("default")))
        );
        assert!(!format!("{cfg:?}").contains("from-secure-yaml"));
        let other = search.load_cloud("other").unwrap();
        assert_eq!(other.region_name.as_deref(), Some("RegionTwo"));
        assert_eq!(other.insecure, Some(true));
        assert!(other.auth_plugin().is_ok());
    }

    #[test]
    fn os_cloud_selects_and_env_overrides() {
        let dir = dir_with(&[("clouds.yml", CLOUDS), ("secure.yaml", SECURE)]);
        let search = ConfigSearch::in_dirs([PathBuf::from("/nonexistent"), dir.path().to_owned()]);
        let env: HashMap<String, String> =
            [("OS_CLOUD", "devstack"), ("OS_REGION_NAME", "RegionX")]
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect();
        let cfg = CloudConfig::load(&env, &search, None).unwrap();
        assert_eq!(cfg.name.as_deref(), Some("devstack"));
        assert_eq!(cfg.region_name.as_deref(), Some("RegionX"));
        assert_eq!(
            cfg.auth.auth_url.as_deref(),
            Some("http://192.0.2.10/identity")
        );
        let explicit = CloudConfig::load(&env, &search, Some("other")).unwrap();
        assert_eq!(explicit.name.as_deref(), Some("other"));
    }

    #[test]
    fn explicit_config_file_comes_first() {
        let first = dir_with(&[(
            "clouds.yaml",
            "clouds:\n  devstack:\n    auth:\n      auth_url: http://first/v3\n",
        )]);
        let second = dir_with(&[("clouds.yaml", CLOUDS)]);
        let search = ConfigSearch {
            dirs: vec![second.path().to_owned()],
            clouds_file: Some(first.path().join("clouds.yaml")),
            secure_file: None,
        };
        let cfg = search.load_cloud("devstack").unwrap();
        assert_eq!(cfg.auth.auth_url.as_deref(), Some("http://first/v3"));
    }

    #[test]
    fn standard_search_honours_os_client_config_file() {
        let env: HashMap<String, String> = [
            (
                "OS_CLIENT_CONFIG_FILE".to_owned(),
                "/x/my-clouds.yaml".to_owned(),
            ),
            (
                "OS_CLIENT_SECURE_FILE".to_owned(),
                "/x/my-secure.yaml".to_owned(),
            ),
        ]
        .into();
        let search = ConfigSearch::standard(&env);
        assert_eq!(search.clouds_file, Some(PathBuf::from("/x/my-clouds.yaml")));
        assert_eq!(search.secure_file, Some(PathBuf::from("/x/my-secure.yaml")));
        assert_eq!(search.dirs.last(), Some(&PathBuf::from("/etc/openstack")));
        assert!(search.dirs.iter().any(|d| d.ends_with("openstack")));
        assert_eq!(search.dirs.first(), std::env::current_dir().ok().as_ref());
    }

    #[test]
    fn unknown_cloud_lists_known_ones() {
        let dir = dir_with(&[("clouds.yaml", CLOUDS)]);
        let search = ConfigSearch::in_dirs([dir.path().to_owned()]);
        let err = search.load_cloud("nope").unwrap_err().to_string();
        assert!(err.contains("devstack") && err.contains("other"), "{err}");
        let empty = ConfigSearch::in_dirs([PathBuf::from("/nonexistent")]);
        assert!(
            empty
                .load_cloud("x")
                .unwrap_err()
                .to_string()
                .contains("no clouds.yaml")
        );
    }

    #[test]
    fn deep_nesting_is_a_quick_typed_error() {
        for text in [
            format!("clouds: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
            format!(
                "clouds:\n{}",
                (1..2_000)
                    .map(|d| format!("{}k{d}:\n", " ".repeat(d)))
                    .collect::<String>()
            ),
            format!("clouds: {}", "{a: ".repeat(50_000)),
        ] {
            let dir = dir_with(&[("clouds.yaml", &text)]);
            let search = ConfigSearch::in_dirs([dir.path().to_owned()]);
            match search.load_cloud("x").unwrap_err() {
                Error::ConfigTooDeep { limit, .. } => assert_eq!(limit, MAX_YAML_DEPTH),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn twenty_thousand_levels_are_refused_as_too_deep() {
        for text in [
            format!("clouds: {}{}", "[".repeat(20_000), "]".repeat(20_000)),
            format!("clouds: {}1{}", "{a: ".repeat(20_000), "}".repeat(20_000)),
            format!("clouds:\n{}", "- ".repeat(20_000)),
        ] {
            let dir = dir_with(&[("clouds.yaml", &text)]);
            let search = ConfigSearch::in_dirs([dir.path().to_owned()]);
            let err = search.load_cloud("x").unwrap_err();
            assert!(
                matches!(err, Error::ConfigTooDeep { limit, .. } if limit == MAX_YAML_DEPTH),
                "{err:?}"
            );
            assert!(err.to_string().contains("nests deeper than"), "{err}");
        }
    }

    #[test]
    fn new_settings_are_read() {
        let text = r#"
clouds:
  mfa:
    auth_type: v3multifactor
    auth:
      auth_url: http://h/v3
      username: demo
      auth_methods: [v3password, v3totp]
      oauth2_client_id: c1
    compute_api_version: "2.79"
    compute_endpoint_override: http://nova.example:8774/v2.1
    block-storage_endpoint_override: http://cinder.example/v3
    cache:
      auth: true
  listed:
    auth:
      auth_methods: "v3password,v3totp"
"#;
        let dir = dir_with(&[("clouds.yaml", text)]);
        let search = ConfigSearch::in_dirs([dir.path().to_owned()]);
        let cfg = search.load_cloud("mfa").unwrap();
        assert_eq!(cfg.auth.auth_methods, ["v3password", "v3totp"]);
        assert_eq!(cfg.compute_api_version.as_deref(), Some("2.79"));
        assert_eq!(
            cfg.endpoint_override("compute"),
            Some("http://nova.example:8774/v2.1")
        );
        assert_eq!(
            cfg.endpoint_override("block-storage"),
            Some("http://cinder.example/v3")
        );
        assert_eq!(cfg.cache_auth, Some(true));
        let listed = search.load_cloud("listed").unwrap();
        assert_eq!(listed.auth.auth_methods, ["v3password", "v3totp"]);
    }

    #[test]
    fn parse_errors_do_not_quote_the_file() {
        let text = "clouds:\n  c:\n    auth:\n      password: hunter2-secret\n    bad: [x\n";
        let dir = dir_with(&[("clouds.yaml", text)]);
        let search = ConfigSearch::in_dirs([dir.path().to_owned()]);
        let err = search.load_cloud("c").unwrap_err();
        let shown = format!(
            "{err} {err:?} {}",
            std::error::Error::source(&err)
                .map(ToString::to_string)
                .unwrap_or_default()
        );
        assert!(matches!(err, Error::ParseConfigFile { .. }), "{err:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn invalid_yaml_is_a_typed_error() {
        let dir = dir_with(&[("clouds.yaml", "clouds: [unclosed")]);
        let search = ConfigSearch::in_dirs([dir.path().to_owned()]);
        assert!(matches!(
            search.load_cloud("x").unwrap_err(),
            Error::ParseConfigFile { .. }
        ));
    }
}
