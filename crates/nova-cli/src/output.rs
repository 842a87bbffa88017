//! Printing results: novaclient's prettytable-style tables (`+----+` borders), or JSON,
//! YAML or bare values for scripts.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::cli::Format;

/// What a command prints.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Rows under column headers (`nova list`).
    List {
        /// The column headers.
        columns: Vec<String>,
        /// One value per column in each row.
        rows: Vec<Vec<Value>>,
    },
    /// One object as `Property | Value` rows (`nova show`).
    Object {
        /// The properties, sorted by name.
        pairs: Vec<(String, Value)>,
        /// Table values wrapped at this many characters (`hypervisor-show --wrap`; 0: not).
        wrap: usize,
    },
    /// Plain text (`nova console-log`).
    Text(String),
    /// Text printed byte for byte, control characters included (`console-log --raw`).
    Raw(String),
    /// Nothing.
    Nothing,
}

impl Output {
    /// A list with string headers.
    pub fn list(columns: &[&str], rows: Vec<Vec<Value>>) -> Self {
        Output::List {
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows,
        }
    }

    /// An object from a JSON map, keys sorted (as novaclient's `print_dict`).
    pub fn object(map: Map<String, Value>) -> Self {
        let mut pairs: Vec<(String, Value)> = map.into_iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        Output::Object { pairs, wrap: 0 }
    }

    /// The same output with an object's table values wrapped at `width` characters, as
    /// novaclient's `print_dict(..., wrap=width)` does (0 leaves them as they are; other
    /// formats are never wrapped).
    pub fn wrapped(self, width: usize) -> Self {
        match self {
            Output::Object { pairs, .. } => Output::Object { pairs, wrap: width },
            other => other,
        }
    }

    /// Renders in `format`.
    pub fn render(&self, format: Format) -> String {
        match (self, format) {
            (Output::Nothing, _) => String::new(),
            (Output::Text(t) | Output::Raw(t), _) => ensure_newline(t.clone()),
            (Output::List { columns, rows }, Format::Table) => {
                let cells: Vec<Vec<String>> =
                    rows.iter().map(|r| r.iter().map(cell).collect()).collect();
                table(columns, &cells)
            }
            (Output::Object { pairs, wrap }, Format::Table) => {
                let cells: Vec<Vec<String>> = pairs
                    .iter()
                    .map(|(k, v)| match *wrap {
                        0 => vec![k.clone(), property_cell(v)],
                        width => vec![k.clone(), fill(&property_cell(v), width)],
                    })
                    .collect();
                table(&["Property".to_owned(), "Value".to_owned()], &cells)
            }
            (Output::List { columns, rows }, Format::Json | Format::Yaml) => {
                let items: Vec<Value> = rows
                    .iter()
                    .map(|row| {
                        Value::Object(
                            columns
                                .iter()
                                .cloned()
                                .zip(row.iter().cloned())
                                .collect::<Map<String, Value>>(),
                        )
                    })
                    .collect();
                structured(&Value::Array(items), format)
            }
            (Output::Object { pairs, .. }, Format::Json | Format::Yaml) => {
                let map: Map<String, Value> = pairs.iter().cloned().collect();
                structured(&Value::Object(map), format)
            }
            (Output::List { rows, .. }, Format::Value) => {
                let mut out = String::new();
                for row in rows {
                    let line: Vec<String> = row.iter().map(cell).collect();
                    let _ = writeln!(out, "{}", line.join(" "));
                }
                out
            }
            (Output::Object { pairs, .. }, Format::Value) => {
                let mut out = String::new();
                for (_, v) in pairs {
                    let _ = writeln!(out, "{}", property_cell(v));
                }
                out
            }
        }
    }
}

fn ensure_newline(mut text: String) -> String {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn structured(value: &Value, format: Format) -> String {
    let text = if format == Format::Yaml {
        serde_saphyr::to_string(value).unwrap_or_default()
    } else {
        serde_json::to_string_pretty(value).unwrap_or_default()
    };
    ensure_newline(text)
}

/// A list table's cell as novaclient prints it (see [`crate::cells`]).
pub fn cell(value: &Value) -> String {
    crate::cells::list_cell(value)
}

/// A property table's value as novaclient prints it (see [`crate::cells`]).
pub fn property_cell(value: &Value) -> String {
    crate::cells::property_cell(value)
}

/// Python's `textwrap.fill(text, width)`: words (split at whitespace) packed greedily into
/// lines of at most `width` characters, a longer word broken across lines.
fn fill(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut rest: Vec<char> = word.chars().collect();
        while !rest.is_empty() {
            let used = line.chars().count();
            let needed = if used == 0 {
                rest.len()
            } else {
                used + 1 + rest.len()
            };
            if needed <= width {
                if used > 0 {
                    line.push(' ');
                }
                line.extend(rest.drain(..));
            } else if used > 0 {
                lines.push(std::mem::take(&mut line));
            } else {
                lines.push(rest.drain(..width).collect());
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}

/// A prettytable: left-aligned, one space of padding, multi-line cells, `+---+` borders.
pub fn table(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, text) in row.iter().enumerate() {
            let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(longest);
            }
        }
    }
    let border = {
        let mut b = String::from("+");
        for w in &widths {
            b.push_str(&"-".repeat(w + 2));
            b.push('+');
        }
        b
    };
    let mut out = String::new();
    let line = |out: &mut String, cells: &[&str]| {
        out.push('|');
        for (i, w) in widths.iter().enumerate() {
            let text = cells.get(i).copied().unwrap_or("");
            let pad = w.saturating_sub(text.chars().count());
            let _ = write!(out, " {text}{} |", " ".repeat(pad));
        }
        out.push('\n');
    };
    let _ = writeln!(out, "{border}");
    let header_cells: Vec<&str> = headers.iter().map(String::as_str).collect();
    line(&mut out, &header_cells);
    let _ = writeln!(out, "{border}");
    for row in rows {
        let split: Vec<Vec<&str>> = row
            .iter()
            .map(|t| {
                let lines: Vec<&str> = t.lines().collect();
                if lines.is_empty() { vec![""] } else { lines }
            })
            .collect();
        let height = split.iter().map(Vec::len).max().unwrap_or(1);
        for n in 0..height {
            let cells: Vec<&str> = split
                .iter()
                .map(|lines| lines.get(n).copied().unwrap_or(""))
                .collect();
            line(&mut out, &cells);
        }
    }
    let _ = writeln!(out, "{border}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_wraps_like_pythons_textwrap() {
        assert_eq!(fill("a bb ccc dddd", 6), "a bb\nccc\ndddd");
        assert_eq!(fill("abcdefghij", 4), "abcd\nefgh\nij");
        assert_eq!(fill("  spaced   out  ", 40), "spaced out");
        assert_eq!(fill("", 5), "");
    }

    #[test]
    fn wrapped_objects_wrap_table_values_only() {
        let mut map = Map::new();
        map.insert("cpu_info".into(), Value::from("one two three four"));
        let out = Output::object(map).wrapped(9);
        let table = out.render(Format::Table);
        assert!(table.contains("| cpu_info | one two |"), "{table}");
        assert!(table.contains("|          | three   |"), "{table}");
        let json = out.render(Format::Json);
        assert!(json.contains("one two three four"), "{json}");
        let unwrapped = out.clone().wrapped(0).render(Format::Table);
        assert!(unwrapped.contains("one two three four"), "{unwrapped}");
    }
    use serde_json::json;

    #[test]
    fn tables_look_like_prettytable() {
        let out = Output::list(&["ID", "Name"], vec![vec![json!("1"), json!("m1.tiny")]]);
        assert_eq!(
            out.render(Format::Table),
            "+----+---------+\n| ID | Name    |\n+----+---------+\n| 1  | m1.tiny |\n+----+---------+\n"
        );
    }

    #[test]
    fn multi_line_cells_and_other_formats() {
        let mut map = Map::new();
        map.insert("b".into(), json!("x\ny"));
        map.insert("a".into(), json!(null));
        let out = Output::object(map);
        let table = out.render(Format::Table);
        assert!(table.contains("| a        | -     |"), "{table}");
        assert!(table.contains("|          | y     |"), "{table}");
        let parsed: Value =
            serde_json::from_str(&out.render(Format::Json)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed["b"], "x\ny");
        assert_eq!(out.render(Format::Value), "-\nx\ny\n");
        assert!(out.render(Format::Yaml).contains("a: null"));
    }
}
