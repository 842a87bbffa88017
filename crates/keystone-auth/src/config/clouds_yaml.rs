//! `clouds.yaml` + `secure.yaml`: where they are looked for, how they merge,
//! and how one cloud entry becomes a [`CloudConfig`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde_yaml::{Mapping, Value};

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

fn read_yaml(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::ReadFile {
        path: path.to_owned(),
        source,
    })?;
    serde_yaml::from_str(&text).map_err(|source| Error::ParseConfigFile {
        path: path.to_owned(),
        source,
    })
}

fn cloud_entry<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    doc.get("clouds")?.get(name)
}

fn cloud_names(doc: &Value) -> Vec<String> {
    doc.get("clouds")
        .and_then(Value::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Deep-merges `over` into `base` (mappings merge key by key; anything else replaces).
fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Mapping(b), Value::Mapping(o)) => {
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
        let k = k.as_str()?.replace('-', "_");
        if k != key {
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

fn from_entry(name: &str, entry: &Value) -> Result<CloudConfig> {
    let empty = Mapping::new();
    let top = entry
        .as_mapping()
        .ok_or_else(|| Error::Config(format!("cloud {name:?} is not a mapping of settings")))?;
    let auth = top
        .get("auth")
        .and_then(Value::as_mapping)
        .unwrap_or(&empty);
    let a = |k: &str| scalar(auth, k);
    let t = |k: &str| scalar(top, k);
    let region_name = t("region_name").or_else(|| {
        top.get("regions")
            .and_then(Value::as_sequence)
            .and_then(|r| r.first())
            .and_then(|r| match r {
                Value::String(s) => Some(s.clone()),
                Value::Mapping(m) => scalar(m, "name"),
                _ => None,
            })
    });
    let insecure = match t("verify") {
        Some(v) => parse_bool(&v).map(|verify| !verify),
        None => t("insecure").and_then(|v| parse_bool(&v)),
    };
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
        },
        region_name,
        interface: t("interface").or_else(|| t("endpoint_type")),
        cacert: t("cacert").map(PathBuf::from),
        cert: t("cert").map(PathBuf::from),
        key: t("key").map(PathBuf::from),
        insecure,
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
    fn invalid_yaml_is_a_typed_error() {
        let dir = dir_with(&[("clouds.yaml", "clouds: [unclosed")]);
        let search = ConfigSearch::in_dirs([dir.path().to_owned()]);
        assert!(matches!(
            search.load_cloud("x").unwrap_err(),
            Error::ParseConfigFile { .. }
        ));
    }
}
