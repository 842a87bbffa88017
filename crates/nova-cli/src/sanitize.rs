//! What reaches the terminal: every text the CLI prints passes through here once, on its
//! way out. Registered secrets (passwords, tokens, application-credential secrets,
//! `adminPass`, URL userinfo) are masked by value, and control characters a server put in
//! its text (C0 and DEL, C1, ESC sequences, bidi overrides) are shown escaped (`\x1b`,
//! `\u{202e}`), so a server name cannot set the window title, clear the screen or, with
//! `-f value`, add a line that looks like another row.
//!
//! Tables keep newlines (multi-line cells) but escape the rest; `-f value` escapes newlines
//! too; `-f json` keeps every character encoded as JSON does (`\u001b`, `\u202e`); `-f yaml`
//! quotes and escapes them as YAML does. Plain text (`console-log`) is escaped when stdout
//! is a terminal, kept as it is otherwise and with `console-log --raw`.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

use crate::cli::Format;
use crate::output::Output;

/// Whether `c` must not reach a terminal as it is (newline and tab aside).
fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // bidi embeddings, overrides, isolates and marks; line and paragraph separators
        | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with unsafe characters escaped; newlines and tabs kept when `keep_lines`, else
/// escaped as `\n` and `\t`.
pub fn escape(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) || (!keep_lines && matches!(c, '\n' | '\t' | '\r'));
    let keep_cr = |c: char| keep_lines && c == '\r';
    if !text.chars().any(|c| needs(c) && !keep_cr(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' if keep_lines => {}
            '\n' if !keep_lines => out.push_str("\\n"),
            '\t' if !keep_lines => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` with registered secrets masked and unsafe characters escaped.
pub fn clean(text: &str, keep_lines: bool) -> String {
    escape(&keystone_auth::redact::redact(text), keep_lines).into_owned()
}

/// An error or diagnostic line for stderr.
pub fn for_stderr(text: &str) -> String {
    clean(text, true)
}

/// JSON text with the characters serde_json leaves raw (DEL, C1, bidi) as `\uXXXX`
/// escapes; they can only occur inside strings, where the escape means the same.
fn escape_json_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// `output` rendered in `format`, ready for stdout (a terminal if `terminal`).
pub fn render(output: &Output, format: Format, terminal: bool) -> String {
    match (output, format) {
        (Output::Raw(_), _) => output.render(format),
        (Output::Text(_), _) if terminal => cleaned(output, true).render(format),
        (Output::Text(_), _) => masked(output).render(format),
        (_, Format::Json) => {
            escape_json_text(&keystone_auth::redact::redact(&output.render(format)))
        }
        (_, Format::Yaml) => {
            let masked = masked(output);
            let text = masked.render(format);
            // the YAML writer quotes and escapes C0, C1 and DEL; bidi and separators it keeps.
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                if is_unsafe(c) {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                } else {
                    out.push(c);
                }
            }
            out
        }
        (_, Format::Table | Format::Value) => {
            let keep_lines = format == Format::Table;
            cleaned(output, keep_lines).render(format)
        }
    }
}

/// The output with secrets masked (YAML escapes control characters itself).
fn masked(output: &Output) -> Output {
    map_strings(output, &|s| keystone_auth::redact::redact(s).into_owned())
}

/// The output with every string cleaned.
fn cleaned(output: &Output, keep_lines: bool) -> Output {
    map_strings(output, &|s| clean(s, keep_lines))
}

fn map_strings(output: &Output, f: &dyn Fn(&str) -> String) -> Output {
    let value = |v: &Value| map_value(v, f);
    match output {
        Output::List { columns, rows } => Output::List {
            columns: columns.iter().map(|c| f(c)).collect(),
            rows: rows.iter().map(|r| r.iter().map(value).collect()).collect(),
        },
        Output::Object { pairs, wrap } => Output::Object {
            pairs: pairs.iter().map(|(k, v)| (f(k), value(v))).collect(),
            wrap: *wrap,
        },
        Output::Text(t) => Output::Text(f(t)),
        other => other.clone(),
    }
}

fn map_value(value: &Value, f: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::String(s) => Value::String(f(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| map_value(v, f)).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (f(k), map_value(v, f))).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_c0_c1_esc_and_bidi() {
        assert_eq!(escape("a\u{1b}]0;pwn\u{7}b", true), "a\\x1b]0;pwn\\x07b");
        assert_eq!(escape("x\u{9b}2J\u{202e}y", true), "x\\x9b2J\\u{202e}y");
        assert_eq!(escape("two\nlines\tok", true), "two\nlines\tok");
        assert_eq!(escape("two\nlines", false), "two\\nlines");
        assert!(matches!(escape("plain", false), Cow::Borrowed(_)));
    }

    #[test]
    fn every_format_keeps_control_bytes_off_the_terminal() {
        let out = Output::list(
            &["ID", "Name"],
            vec![vec![
                json!("1"),
                json!("evil\u{1b}[2J\nfake-id row\u{9b}\u{202e}"),
            ]],
        );
        for format in [Format::Table, Format::Value, Format::Json, Format::Yaml] {
            let text = render(&out, format, true);
            assert!(!text.chars().any(is_unsafe), "{format:?}: {text:?}");
        }
        let value = render(&out, Format::Value, true);
        assert_eq!(value.lines().count(), 1, "{value}");
        let json: Value = serde_json::from_str(&render(&out, Format::Json, true)).unwrap();
        assert_eq!(json[0]["Name"], "evil\u{1b}[2J\nfake-id row\u{9b}\u{202e}");
        let yaml: Value = serde_saphyr::from_str(&render(&out, Format::Yaml, true)).unwrap();
        assert_eq!(yaml[0]["Name"], json[0]["Name"]);
    }

    #[test]
    fn text_is_escaped_on_a_terminal_only_and_raw_never() {
        let out = Output::Text("boot \u{1b}[31mred\u{1b}[0m".into());
        assert_eq!(
            render(&out, Format::Table, true),
            "boot \\x1b[31mred\\x1b[0m\n"
        );
        assert!(render(&out, Format::Table, false).contains('\u{1b}'));
        let raw = Output::Raw("\u{1b}[0m".into());
        assert!(render(&raw, Format::Table, true).contains('\u{1b}'));
    }
}
