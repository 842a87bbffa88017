//! Table cells as python-novaclient prints them: a list table's cell is Python's `str()` of
//! the value (`utils.print_list`), a property table's value is `json.dumps` of a dict or list
//! and `str()` of the rest (`utils.print_dict`). Either way null is `-` and booleans are
//! `True` / `False`.

use std::fmt::Write as _;

use serde_json::Value;

/// A cell of a list table (`print_list`): Python's `str(value)`, so a dict or list is its
/// Python repr (`{'k': 'v'}`, `['a', 'b']`).
pub fn list_cell(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) => {
            let mut out = String::new();
            python_repr(value, &mut out);
            out
        }
        other => scalar(other),
    }
}

/// A value of a property table (`print_dict`): a dict or list as `json.dumps(v,
/// ensure_ascii=False)` (`", "` and `": "` separators), anything else as `str()`.
pub fn property_cell(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) => {
            let mut out = String::new();
            python_json(value, &mut out);
            out
        }
        other => scalar(other),
    }
}

/// A scalar as `str()`; null as novaclient's `-`.
fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "-".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) | Value::Object(_) => property_cell(value),
    }
}

/// Python's `json.dumps(value, ensure_ascii=False)` with its default separators.
fn python_json(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push_str(": ");
                python_json(item, out);
            }
            out.push('}');
        }
        // serde_json escapes strings exactly as json.dumps with ensure_ascii=False does.
        other => out.push_str(&other.to_string()),
    }
}

/// Python's `repr()` of the value json.loads would give.
fn python_repr(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => python_str_repr(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_str_repr(key, out);
                out.push_str(": ");
                python_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// Python's `repr()` of a string: single quotes unless it holds a `'` and no `"`.
fn python_str_repr(text: &str, out: &mut String) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_print_as_python_str() {
        for cell in [list_cell, property_cell] {
            assert_eq!(cell(&json!(true)), "True");
            assert_eq!(cell(&json!(false)), "False");
            assert_eq!(cell(&json!(null)), "-");
            assert_eq!(cell(&json!(1.0)), "1.0");
            assert_eq!(cell(&json!(42)), "42");
            assert_eq!(cell(&json!("text")), "text");
        }
    }

    #[test]
    fn property_values_are_json_dumps_with_spaces() {
        assert_eq!(property_cell(&json!(["t1", "t2"])), r#"["t1", "t2"]"#);
        assert_eq!(
            property_cell(&json!({"hw:cpu_policy": "dedicated", "n": [1, true, null]})),
            r#"{"hw:cpu_policy": "dedicated", "n": [1, true, null]}"#
        );
        assert_eq!(property_cell(&json!(["é\n"])), "[\"é\\n\"]");
        assert_eq!(property_cell(&json!([])), "[]");
    }

    #[test]
    fn list_cells_are_python_reprs() {
        assert_eq!(list_cell(&json!(["t1", "t2"])), "['t1', 't2']");
        assert_eq!(
            list_cell(&json!({"a": "it's", "b": [true, null, 1.5]})),
            r#"{'a': "it's", 'b': [True, None, 1.5]}"#
        );
        assert_eq!(list_cell(&json!(["a'\"b\\"])), r#"['a\'"b\\']"#);
        assert_eq!(list_cell(&json!({})), "{}");
    }
}
