//! `cargo xtask public-api [--bless]`: the public surface of each library
//! crate as sorted text lines, checked in as `crates/<crate>/public-api.txt`
//! so that a change to it is visible in review.
//!
//! The surface comes from rustdoc's JSON output. That output is unstable, so
//! it is asked for with `RUSTC_BOOTSTRAP=1` on the machine's stable toolchain
//! (no nightly can be installed here). `cargo-public-api` does this job but
//! needs a nightly toolchain and a `rustdoc-types` matching that nightly; this
//! walker reads the JSON as plain `serde_json::Value`, so it keeps working
//! across format versions as long as the few fields it reads stay.
//!
//! One line per public path: modules, structs (with public fields), enums
//! (with variants), traits (with their methods, `provided` when they have a
//! default), functions and methods with their signatures, constants, type
//! aliases, macros and external re-exports. An item reachable at two paths
//! shows twice. Trait impls appear as `impl Trait for Type` lines; auto and
//! blanket impls are left out.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::process;

/// The crates whose surface is snapshotted.
pub const LIBRARY_CRATES: [&str; 4] = ["keystone-auth", "nova-core", "nova-v2", "mock-cloud"];

const USAGE: &str = "usage: cargo xtask public-api [--bless]";

/// Entry point: compares (or with `--bless` rewrites) every snapshot.
pub fn run(args: &[String]) -> Result<(), String> {
    let bless = match args {
        [] => false,
        [flag] if flag == "--bless" => true,
        _ => return Err(USAGE.to_string()),
    };
    let mut changed = Vec::new();
    for name in LIBRARY_CRATES {
        let current = surface(name)?;
        let file = snapshot_path(name);
        let recorded = std::fs::read_to_string(&file).unwrap_or_default();
        if recorded == current {
            println!(
                "public-api: {name}: unchanged ({} lines)",
                current.lines().count()
            );
            continue;
        }
        if bless {
            std::fs::write(&file, &current)
                .map_err(|error| format!("cannot write {}: {error}", file.display()))?;
            println!("public-api: {name}: written to {}", file.display());
        } else {
            print_diff(name, &recorded, &current);
            changed.push(name);
        }
    }
    if changed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the public API of {} differs from its snapshot; review the lines above and run \
             `cargo xtask public-api --bless` if the change is meant",
            changed.join(", ")
        ))
    }
}

fn snapshot_path(name: &str) -> PathBuf {
    process::workspace_root()
        .join("crates")
        .join(name)
        .join("public-api.txt")
}

fn print_diff(name: &str, recorded: &str, current: &str) {
    let old: BTreeSet<&str> = recorded.lines().collect();
    let new: BTreeSet<&str> = current.lines().collect();
    println!(
        "public-api: {name}: differs from {}",
        snapshot_path(name).display()
    );
    for line in old.difference(&new) {
        println!("  - {line}");
    }
    for line in new.difference(&old) {
        println!("  + {line}");
    }
}

/// The surface of `name` as sorted lines, from a fresh rustdoc JSON build.
pub fn surface(name: &str) -> Result<String, String> {
    let target = process::workspace_root().join("target").join("public-api");
    let mut command =
        process::cargo(&["doc", "--no-deps", "--locked", "--all-features", "-p", name]);
    command
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json")
        .env("CARGO_TARGET_DIR", &target);
    process::run(command)?;
    let json = target
        .join("doc")
        .join(format!("{}.json", name.replace('-', "_")));
    render(&json)
}

fn render(json: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(json)
        .map_err(|error| format!("cannot read {}: {error}", json.display()))?;
    let doc: Value = serde_json::from_str(&text)
        .map_err(|error| format!("{} is not rustdoc JSON: {error}", json.display()))?;
    let root = doc["root"].to_string();
    let crate_name = doc["index"][&root]["name"]
        .as_str()
        .ok_or("rustdoc JSON has no root module name")?
        .to_string();
    let mut walker = Walker {
        doc: &doc,
        lines: BTreeSet::new(),
        visited: HashSet::new(),
    };
    walker.module(&root, &crate_name);
    let mut out = String::new();
    for line in walker.lines {
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

struct Walker<'a> {
    doc: &'a Value,
    lines: BTreeSet<String>,
    /// (item id, path) pairs already walked, so glob cycles end.
    visited: HashSet<(String, String)>,
}

impl Walker<'_> {
    fn item(&self, id: &str) -> Option<&Value> {
        self.doc["index"].get(id)
    }

    fn module(&mut self, id: &str, path: &str) {
        if !self.visited.insert((id.to_string(), path.to_string())) {
            return;
        }
        let Some(items) = self
            .item(id)
            .and_then(|module| module["inner"]["module"]["items"].as_array())
            .cloned()
        else {
            return;
        };
        for child in items {
            let child = child.to_string();
            let Some(item) = self.item(&child).cloned() else {
                continue;
            };
            if item["visibility"] != "public" {
                continue;
            }
            let name = item["name"].as_str().unwrap_or("_").to_string();
            if let Some(import) = item["inner"].get("use") {
                self.reexport(import, path);
            } else {
                self.named(&child, &item, &format!("{path}::{name}"));
            }
        }
    }

    fn reexport(&mut self, import: &Value, path: &str) {
        let name = import["name"].as_str().unwrap_or("_");
        let target = import["id"].to_string();
        let glob = import["is_glob"].as_bool().unwrap_or(false);
        match self.item(&target).cloned() {
            Some(item) if glob => {
                if item["inner"].get("module").is_some() {
                    self.module(&target, path);
                } else if let Some(variants) = item["inner"]["enum"]["variants"].as_array() {
                    for variant in variants {
                        let variant = variant.to_string();
                        if let Some(v) = self.item(&variant) {
                            let vname = v["name"].as_str().unwrap_or("_");
                            self.lines.insert(format!("pub use {path}::{vname}"));
                        }
                    }
                }
            }
            Some(item) => self.named(&target, &item, &format!("{path}::{name}")),
            None => {
                let source = import["source"].as_str().unwrap_or(name);
                let star = if glob { "::*" } else { "" };
                self.lines
                    .insert(format!("pub use {path}::{name} = {source}{star}"));
            }
        }
    }

    fn named(&mut self, id: &str, item: &Value, path: &str) {
        let inner = &item["inner"];
        let Some((kind, body)) = inner.as_object().and_then(|o| o.iter().next()) else {
            return;
        };
        match kind.as_str() {
            "module" => {
                self.lines.insert(format!("pub mod {path}"));
                self.module(id, path);
            }
            "struct" => {
                let generics = generics(&body["generics"]);
                self.lines.insert(format!("pub struct {path}{generics}"));
                self.fields(&body["kind"], path);
                self.impls(&body["impls"], path);
            }
            "union" => {
                self.lines.insert(format!("pub union {path}"));
            }
            "enum" => {
                let generics = generics(&body["generics"]);
                self.lines.insert(format!("pub enum {path}{generics}"));
                for variant in body["variants"].as_array().into_iter().flatten() {
                    if let Some(v) = self.item(&variant.to_string()).cloned() {
                        let vname = v["name"].as_str().unwrap_or("_");
                        let shape = variant_shape(self, &v["inner"]["variant"]["kind"]);
                        self.lines
                            .insert(format!("pub variant {path}::{vname}{shape}"));
                    }
                }
                self.impls(&body["impls"], path);
            }
            "trait" => {
                let generics = generics(&body["generics"]);
                let bounds = bounds(&body["bounds"]);
                let bounds = if bounds.is_empty() {
                    String::new()
                } else {
                    format!(": {bounds}")
                };
                self.lines
                    .insert(format!("pub trait {path}{generics}{bounds}"));
                for member in body["items"].as_array().into_iter().flatten() {
                    if let Some(m) = self.item(&member.to_string()).cloned() {
                        let mname = m["name"].as_str().unwrap_or("_");
                        if let Some(f) = m["inner"].get("function") {
                            let provided = if f["has_body"].as_bool().unwrap_or(false) {
                                " (provided)"
                            } else {
                                ""
                            };
                            self.lines.insert(format!(
                                "trait fn {path}::{}{provided}",
                                signature(mname, f)
                            ));
                        } else {
                            self.lines.insert(format!("trait item {path}::{mname}"));
                        }
                    }
                }
            }
            "function" => {
                let name = path.rsplit("::").next().unwrap_or(path);
                let prefix = path.strip_suffix(name).unwrap_or("");
                self.lines
                    .insert(format!("pub fn {prefix}{}", signature(name, body)));
            }
            "constant" => {
                self.lines
                    .insert(format!("pub const {path}: {}", ty(&body["type"])));
            }
            "static" => {
                self.lines
                    .insert(format!("pub static {path}: {}", ty(&body["type"])));
            }
            "type_alias" => {
                self.lines
                    .insert(format!("pub type {path} = {}", ty(&body["type"])));
            }
            "macro" | "proc_macro" => {
                self.lines.insert(format!("pub macro {path}!"));
            }
            other => {
                self.lines.insert(format!("pub {other} {path}"));
            }
        }
    }

    fn fields(&mut self, kind: &Value, path: &str) {
        let ids: Vec<String> = if let Some(plain) = kind.get("plain") {
            plain["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .map(Value::to_string)
                .collect()
        } else if let Some(tuple) = kind.get("tuple") {
            tuple
                .as_array()
                .into_iter()
                .flatten()
                .filter(|id| !id.is_null())
                .map(Value::to_string)
                .collect()
        } else {
            Vec::new()
        };
        for id in ids {
            if let Some(field) = self.item(&id).cloned()
                && field["visibility"] == "public"
            {
                let fname = field["name"].as_str().unwrap_or("_");
                self.lines.insert(format!(
                    "pub field {path}::{fname}: {}",
                    ty(&field["inner"]["struct_field"])
                ));
            }
        }
        if kind["plain"]["has_stripped_fields"].as_bool() == Some(false)
            && kind.get("plain").is_some()
        {
            // every field is public: building it with a literal is part of the API
            self.lines.insert(format!("exhaustive {path}"));
        }
    }

    fn impls(&mut self, impls: &Value, path: &str) {
        for id in impls.as_array().into_iter().flatten() {
            let Some(item) = self.item(&id.to_string()).cloned() else {
                continue;
            };
            let imp = &item["inner"]["impl"];
            if imp["is_synthetic"].as_bool() == Some(true) || !imp["blanket_impl"].is_null() {
                continue;
            }
            if !imp["trait"].is_null() {
                let negative = if imp["is_negative"].as_bool() == Some(true) {
                    "!"
                } else {
                    ""
                };
                self.lines.insert(format!(
                    "impl {negative}{} for {path}",
                    resolved_path(&imp["trait"])
                ));
                continue;
            }
            for member in imp["items"].as_array().into_iter().flatten() {
                let Some(m) = self.item(&member.to_string()).cloned() else {
                    continue;
                };
                if m["visibility"] != "public" {
                    continue;
                }
                let mname = m["name"].as_str().unwrap_or("_");
                if let Some(f) = m["inner"].get("function") {
                    self.lines
                        .insert(format!("pub fn {path}::{}", signature(mname, f)));
                } else if let Some(c) = m["inner"].get("assoc_const") {
                    self.lines
                        .insert(format!("pub const {path}::{mname}: {}", ty(&c["type"])));
                }
            }
        }
    }
}

fn variant_shape(walker: &Walker<'_>, kind: &Value) -> String {
    let field_type = |id: &Value| {
        walker
            .item(&id.to_string())
            .map(|field| ty(&field["inner"]["struct_field"]))
            .unwrap_or_else(|| "_".to_string())
    };
    if let Some(tuple) = kind.get("tuple").and_then(Value::as_array) {
        let parts: Vec<String> = tuple.iter().map(field_type).collect();
        format!("({})", parts.join(", "))
    } else if let Some(fields) = kind["struct"]["fields"].as_array() {
        let parts: Vec<String> = fields
            .iter()
            .map(|id| {
                let name = walker
                    .item(&id.to_string())
                    .and_then(|f| f["name"].as_str())
                    .unwrap_or("_");
                format!("{name}: {}", field_type(id))
            })
            .collect();
        format!(" {{ {} }}", parts.join(", "))
    } else {
        String::new()
    }
}

fn signature(name: &str, function: &Value) -> String {
    let header = &function["header"];
    let mut out = String::new();
    if header["is_const"].as_bool() == Some(true) {
        out.push_str("const ");
    }
    if header["is_async"].as_bool() == Some(true) {
        out.push_str("async ");
    }
    if header["is_unsafe"].as_bool() == Some(true) {
        out.push_str("unsafe ");
    }
    out.push_str(name);
    out.push_str(&generics(&function["generics"]));
    let inputs: Vec<String> = function["sig"]["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            let arg = pair[0].as_str().unwrap_or("_");
            let t = ty(&pair[1]);
            if arg == "self" {
                match t.as_str() {
                    "Self" => "self".to_string(),
                    "&Self" => "&self".to_string(),
                    "&mut Self" => "&mut self".to_string(),
                    _ => format!("self: {t}"),
                }
            } else {
                format!("{arg}: {t}")
            }
        })
        .collect();
    out.push_str(&format!("({})", inputs.join(", ")));
    let output = &function["sig"]["output"];
    if !output.is_null() {
        out.push_str(&format!(" -> {}", ty(output)));
    }
    out
}

fn generics(generics: &Value) -> String {
    let params: Vec<String> = generics["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["kind"]["type"]["is_synthetic"].as_bool() != Some(true))
        .map(|p| {
            let name = p["name"].as_str().unwrap_or("_").to_string();
            let b = bounds(&p["kind"]["type"]["bounds"]);
            if b.is_empty() {
                name
            } else {
                format!("{name}: {b}")
            }
        })
        .collect();
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

fn bounds(bounds: &Value) -> String {
    let parts: Vec<String> = bounds
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            if let Some(t) = b.get("trait_bound") {
                let maybe = if t["modifier"] == "maybe" { "?" } else { "" };
                format!("{maybe}{}", resolved_path(&t["trait"]))
            } else if let Some(l) = b.get("outlives").and_then(Value::as_str) {
                l.to_string()
            } else {
                "_".to_string()
            }
        })
        .collect();
    parts.join(" + ")
}

fn resolved_path(path: &Value) -> String {
    let name = path["path"].as_str().unwrap_or("_").to_string();
    format!("{name}{}", generic_args(&path["args"]))
}

fn generic_args(args: &Value) -> String {
    if let Some(angle) = args.get("angle_bracketed") {
        let mut parts: Vec<String> = angle["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                if let Some(t) = a.get("type") {
                    ty(t)
                } else if let Some(l) = a.get("lifetime").and_then(Value::as_str) {
                    l.to_string()
                } else if let Some(c) = a.get("const") {
                    c["expr"].as_str().unwrap_or("_").to_string()
                } else {
                    "_".to_string()
                }
            })
            .collect();
        for c in angle["constraints"].as_array().into_iter().flatten() {
            let name = c["name"].as_str().unwrap_or("_");
            if let Some(t) = c["binding"].get("equality").and_then(|e| e.get("type")) {
                parts.push(format!("{name} = {}", ty(t)));
            } else if let Some(b) = c["binding"].get("constraint") {
                parts.push(format!("{name}: {}", bounds(b)));
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("<{}>", parts.join(", "))
        }
    } else if let Some(paren) = args.get("parenthesized") {
        let inputs: Vec<String> = paren["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(ty)
            .collect();
        let output = if paren["output"].is_null() {
            String::new()
        } else {
            format!(" -> {}", ty(&paren["output"]))
        };
        format!("({}){output}", inputs.join(", "))
    } else {
        String::new()
    }
}

/// A rustdoc JSON `Type` as Rust source text (close enough to review).
fn ty(t: &Value) -> String {
    let Some((kind, body)) = t.as_object().and_then(|o| o.iter().next()) else {
        return t.as_str().unwrap_or("_").to_string();
    };
    match kind.as_str() {
        "resolved_path" => resolved_path(body),
        "primitive" | "generic" => body.as_str().unwrap_or("_").to_string(),
        "borrowed_ref" => {
            let lifetime = body["lifetime"]
                .as_str()
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            let mutable = if body["is_mutable"].as_bool() == Some(true) {
                "mut "
            } else {
                ""
            };
            format!("&{lifetime}{mutable}{}", ty(&body["type"]))
        }
        "raw_pointer" => {
            let mutable = if body["is_mutable"].as_bool() == Some(true) {
                "mut"
            } else {
                "const"
            };
            format!("*{mutable} {}", ty(&body["type"]))
        }
        "tuple" => {
            let parts: Vec<String> = body.as_array().into_iter().flatten().map(ty).collect();
            format!("({})", parts.join(", "))
        }
        "slice" => format!("[{}]", ty(body)),
        "array" => format!(
            "[{}; {}]",
            ty(&body["type"]),
            body["len"].as_str().unwrap_or("_")
        ),
        "impl_trait" => format!("impl {}", bounds(body)),
        "dyn_trait" => {
            let mut parts: Vec<String> = body["traits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| resolved_path(&t["trait"]))
                .collect();
            if let Some(l) = body["lifetime"].as_str() {
                parts.push(l.to_string());
            }
            format!("dyn {}", parts.join(" + "))
        }
        "qualified_path" => {
            let name = body["name"].as_str().unwrap_or("_");
            let self_type = ty(&body["self_type"]);
            if body["trait"].is_null() {
                format!("{self_type}::{name}")
            } else {
                format!("<{self_type} as {}>::{name}", resolved_path(&body["trait"]))
            }
        }
        "function_pointer" => {
            let inputs: Vec<String> = body["sig"]["inputs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|pair| ty(&pair[1]))
                .collect();
            let output = if body["sig"]["output"].is_null() {
                String::new()
            } else {
                format!(" -> {}", ty(&body["sig"]["output"]))
            };
            format!("fn({}){output}", inputs.join(", "))
        }
        "infer" => "_".to_string(),
        other => other.to_string(),
    }
}
