//! One command's result as the differential check compares it: the exit
//! status, stdout parsed into prettytable tables and plain lines (ids, times
//! and request ids normalised), the error's class from stderr, and the state
//! read afterwards.

use std::fmt;

use serde::Deserialize;

/// Properties and columns whose values belong to one pass whatever the
/// command: generated passwords, instance names, reservation ids.
const ALWAYS_NORMALISED: &[&str] = &[
    "adminPass",
    "OS-EXT-SRV-ATTR:instance_name",
    "OS-EXT-SRV-ATTR:reservation_id",
];

/// What kind of difference was found; `cli-differences.toml` names these.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// One tool succeeded, the other failed.
    ExitStatus,
    /// Both failed with different non-zero statuses.
    ExitCode,
    /// Both failed with a different error class (`ERROR (NotFound)` vs a usage error).
    ErrorClass,
    /// A table has other columns.
    Columns,
    /// A property table lacks or adds a row (`field` = the property), or a list has
    /// another number of rows.
    Row,
    /// A cell differs (`field` = the column or property).
    Cell,
    /// A non-table line of stdout differs, or the tables' count does.
    Text,
    /// The state read afterwards differs.
    State,
}

/// One difference between the two results of a line.
pub struct Found {
    /// Its kind.
    pub kind: Kind,
    /// The column or property, where it has one.
    pub field: Option<String>,
    /// Both sides, for the report.
    pub detail: String,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = format!("{:?}", self.kind);
        match &self.field {
            Some(field) => write!(f, "{kind} [{field}]: {}", self.detail),
            None => write!(f, "{kind}: {}", self.detail),
        }
    }
}

/// A part of stdout.
#[derive(PartialEq, Eq, Debug, Clone)]
enum Block {
    /// A prettytable: the header and the rows.
    Table {
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A line outside any table (blank lines dropped).
    Line(String),
}

/// One normalised result.
pub struct Outcome {
    status: Option<i32>,
    blocks: Vec<Block>,
    error_class: Option<String>,
    state: Option<(Option<i32>, Vec<Block>)>,
    raw: String,
}

impl Outcome {
    /// Normalises a command's result; `extra` names more id columns of the scenario.
    pub fn new(
        status: &Option<i32>,
        stdout: &str,
        stderr: &str,
        state: Option<(Option<i32>, &str)>,
        extra: &[String],
    ) -> Outcome {
        let failed = *status != Some(0);
        Outcome {
            status: *status,
            blocks: parse(stdout, extra),
            error_class: failed.then(|| error_class(stderr)),
            state: state.map(|(status, stdout)| (status, parse(stdout, extra))),
            raw: format!(
                "exit {status:?}\nstdout:\n{stdout}stderr:\n{}",
                stderr
                    .lines()
                    .filter(|line| !line.contains("nova CLI is deprecated"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }

    /// The raw result, indented for the report.
    pub fn indented(&self) -> String {
        self.raw
            .lines()
            .map(|line| format!("              {line}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Every difference between python-novaclient's result and ours.
pub fn compare(python: &Outcome, ours: &Outcome) -> Vec<Found> {
    let mut found = Vec::new();
    let (py_ok, rs_ok) = (python.status == Some(0), ours.status == Some(0));
    if py_ok != rs_ok {
        found.push(Found {
            kind: Kind::ExitStatus,
            field: None,
            detail: format!("python {:?}, ours {:?}", python.status, ours.status),
        });
    } else if python.status != ours.status {
        found.push(Found {
            kind: Kind::ExitCode,
            field: None,
            detail: format!("python {:?}, ours {:?}", python.status, ours.status),
        });
    }
    if let (Some(py), Some(rs)) = (&python.error_class, &ours.error_class)
        && py != rs
    {
        found.push(Found {
            kind: Kind::ErrorClass,
            field: None,
            detail: format!("python {py}, ours {rs}"),
        });
    }
    compare_blocks(&python.blocks, &ours.blocks, &mut found);
    if let (Some(py), Some(rs)) = (&python.state, &ours.state) {
        let mut state = Vec::new();
        if py.0 != rs.0 {
            state.push(Found {
                kind: Kind::ExitStatus,
                field: None,
                detail: format!("python {:?}, ours {:?}", py.0, rs.0),
            });
        }
        compare_blocks(&py.1, &rs.1, &mut state);
        for inner in state {
            found.push(Found {
                kind: Kind::State,
                field: inner.field.clone(),
                detail: inner.to_string(),
            });
        }
    }
    found
}

fn compare_blocks(python: &[Block], ours: &[Block], found: &mut Vec<Found>) {
    let tables = |blocks: &[Block]| {
        blocks
            .iter()
            .filter(|b| matches!(b, Block::Table { .. }))
            .count()
    };
    let lines = |blocks: &[Block]| -> Vec<String> {
        blocks
            .iter()
            .filter_map(|block| match block {
                Block::Line(line) => Some(line.clone()),
                Block::Table { .. } => None,
            })
            .collect()
    };
    if tables(python) != tables(ours) {
        found.push(Found {
            kind: Kind::Text,
            field: None,
            detail: format!(
                "python prints {} tables, ours {}",
                tables(python),
                tables(ours)
            ),
        });
    }
    let (py_lines, rs_lines) = (lines(python), lines(ours));
    if py_lines != rs_lines {
        found.push(Found {
            kind: Kind::Text,
            field: None,
            detail: format!("python {py_lines:?}, ours {rs_lines:?}"),
        });
    }
    let table_pairs = python
        .iter()
        .filter(|b| matches!(b, Block::Table { .. }))
        .zip(ours.iter().filter(|b| matches!(b, Block::Table { .. })));
    for pair in table_pairs {
        if let (
            Block::Table {
                columns: py_cols,
                rows: py_rows,
            },
            Block::Table {
                columns: rs_cols,
                rows: rs_rows,
            },
        ) = pair
        {
            compare_table(py_cols, py_rows, rs_cols, rs_rows, found);
        }
    }
}

fn is_property_table(columns: &[String]) -> bool {
    columns.len() == 2 && columns[1] == "Value"
}

fn compare_table(
    py_cols: &[String],
    py_rows: &[Vec<String>],
    rs_cols: &[String],
    rs_rows: &[Vec<String>],
    found: &mut Vec<Found>,
) {
    if is_property_table(py_cols) && py_cols == rs_cols {
        let get = |rows: &[Vec<String>], key: &str| {
            rows.iter()
                .find(|row| row[0] == key)
                .map(|row| row[1].clone())
        };
        for row in py_rows {
            match get(rs_rows, &row[0]) {
                None => found.push(Found {
                    kind: Kind::Row,
                    field: Some(row[0].clone()),
                    detail: format!("ours lacks the row {} = {}", row[0], row[1]),
                }),
                Some(value) if value != row[1] => found.push(Found {
                    kind: Kind::Cell,
                    field: Some(row[0].clone()),
                    detail: format!("python {:?}, ours {value:?}", row[1]),
                }),
                Some(_) => {}
            }
        }
        for row in rs_rows {
            if get(py_rows, &row[0]).is_none() {
                found.push(Found {
                    kind: Kind::Row,
                    field: Some(row[0].clone()),
                    detail: format!("ours adds the row {} = {}", row[0], row[1]),
                });
            }
        }
        return;
    }
    if py_cols != rs_cols {
        let missing: Vec<&String> = py_cols.iter().filter(|c| !rs_cols.contains(c)).collect();
        let added: Vec<&String> = rs_cols.iter().filter(|c| !py_cols.contains(c)).collect();
        found.push(Found {
            kind: Kind::Columns,
            field: missing.first().or(added.first()).map(|c| (*c).clone()),
            detail: format!(
                "python {py_cols:?}, ours {rs_cols:?} (ours lacks {missing:?}, adds {added:?})"
            ),
        });
    }
    if py_rows.len() != rs_rows.len() {
        found.push(Found {
            kind: Kind::Row,
            field: None,
            detail: format!("python {} rows, ours {}", py_rows.len(), rs_rows.len()),
        });
    }
    for (py_row, rs_row) in py_rows.iter().zip(rs_rows) {
        for (index, column) in py_cols.iter().enumerate() {
            let Some(rs_index) = rs_cols.iter().position(|c| c == column) else {
                continue;
            };
            let (py, rs) = (py_row.get(index), rs_row.get(rs_index));
            if py != rs {
                found.push(Found {
                    kind: Kind::Cell,
                    field: Some(column.clone()),
                    detail: format!("python {py:?}, ours {rs:?}"),
                });
            }
        }
    }
}

/// The first table's cell of `column`: in a property table the value of the
/// property `column`; in a list the first row's, or the row whose `Name` is `name`.
pub fn lookup(stdout: &str, column: &str, name: Option<&str>) -> Option<String> {
    let blocks = parse_raw(stdout);
    blocks.into_iter().find_map(|block| match block {
        Block::Table { columns, rows } if is_property_table(&columns) => rows
            .into_iter()
            .find(|row| row[0] == column)
            .map(|row| row[1].clone()),
        Block::Table { columns, rows } => {
            let at = columns.iter().position(|c| c == column)?;
            let name_at = columns.iter().position(|c| c == "Name");
            rows.into_iter()
                .find(|row| match (name, name_at) {
                    (Some(name), Some(name_at)) => {
                        row.get(name_at).map(String::as_str) == Some(name)
                    }
                    _ => true,
                })
                .and_then(|row| row.get(at).cloned())
        }
        Block::Line(_) => None,
    })
}

/// The cells of `column` in stdout's first table (none without one).
pub fn column(stdout: &str, column: &str) -> Vec<String> {
    parse_raw(stdout)
        .into_iter()
        .find_map(|block| match block {
            Block::Table { columns, rows } => {
                let at = columns.iter().position(|c| c == column)?;
                Some(
                    rows.into_iter()
                        .filter_map(|row| row.get(at).cloned())
                        .collect(),
                )
            }
            Block::Line(_) => None,
        })
        .unwrap_or_default()
}

/// The class of the error stderr reports: `X` of `ERROR (X): ...`, `usage`
/// for a command-line error (argparse's and clap's `error: ...`), else `other`.
fn error_class(stderr: &str) -> String {
    for line in stderr.lines() {
        if let Some(rest) = line.trim_start().strip_prefix("ERROR (")
            && let Some(end) = rest.find(')')
        {
            return rest[..end].to_owned();
        }
    }
    if stderr
        .lines()
        .any(|line| line.starts_with("error:") || line.contains(": error:"))
    {
        return "usage".to_owned();
    }
    "other".to_owned()
}

/// stdout as blocks, normalised.
fn parse(stdout: &str, extra: &[String]) -> Vec<Block> {
    let normalised = normalise_text(stdout);
    let mut blocks = parse_raw(&normalised);
    for block in &mut blocks {
        if let Block::Table { columns, rows } = block {
            let id_column =
                |name: &str| ALWAYS_NORMALISED.contains(&name) || extra.iter().any(|e| e == name);
            if is_property_table(columns) {
                for row in rows.iter_mut() {
                    if id_column(&row[0]) && row[1] != "-" {
                        row[1] = "<id>".to_owned();
                    }
                }
            } else {
                for (index, column) in columns.iter().enumerate() {
                    if id_column(column) {
                        for row in rows.iter_mut() {
                            if let Some(cell) = row.get_mut(index) {
                                *cell = "<id>".to_owned();
                            }
                        }
                    }
                }
            }
        }
    }
    blocks
}

/// stdout as blocks, as printed.
fn parse_raw(stdout: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut table: Option<(Vec<String>, Vec<Vec<String>>)> = None;
    let mut borders = 0;
    for line in stdout.lines() {
        let trimmed = line.trim_end();
        if trimmed.starts_with('+') && trimmed.ends_with('+') && trimmed.len() > 1 {
            borders += 1;
            if table.is_none() {
                table = Some((Vec::new(), Vec::new()));
                borders = 1;
            } else if borders == 3 {
                // The closing border of this table.
                if let Some((columns, rows)) = table.take() {
                    blocks.push(Block::Table { columns, rows });
                }
                borders = 0;
            }
            continue;
        }
        if let Some((columns, rows)) = table.as_mut()
            && trimmed.starts_with('|')
        {
            let cells: Vec<String> = trimmed
                .trim_start_matches('|')
                .trim_end_matches('|')
                .split('|')
                .map(|cell| cell.trim().to_owned())
                .collect();
            if columns.is_empty() {
                *columns = cells;
            } else if cells.len() == columns.len()
                && cells.first().is_some_and(String::is_empty)
                && let Some(previous) = rows.last_mut()
            {
                // A continuation line of a multi-line cell.
                for (cell, more) in previous.iter_mut().zip(cells) {
                    if !more.is_empty() {
                        cell.push('\n');
                        cell.push_str(&more);
                    }
                }
            } else {
                rows.push(cells);
            }
            continue;
        }
        if let Some((columns, rows)) = table.take() {
            blocks.push(Block::Table { columns, rows });
            borders = 0;
        }
        if !trimmed.trim().is_empty() {
            blocks.push(Block::Line(trimmed.trim().to_owned()));
        }
    }
    if let Some((columns, rows)) = table.take() {
        blocks.push(Block::Table { columns, rows });
    }
    blocks
}

/// Replaces UUIDs (`<uuid>`), timestamps (`<time>`) and long hex strings
/// (`<hex>`: host ids, project and user ids) by placeholders.
fn normalise_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        // UUIDs anywhere (console URLs carry `%3D<uuid>`), the rest at word starts.
        if let Some(len) = uuid_at(&chars[i..]) {
            out.push_str("<uuid>");
            i += len;
            continue;
        }
        let boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if boundary {
            if let Some(len) = time_at(&chars[i..]) {
                out.push_str("<time>");
                i += len;
                continue;
            }
            let hex = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_hexdigit())
                .count();
            let after = chars
                .get(i + hex)
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            if hex >= 32 && after {
                out.push_str("<hex>");
                i += hex;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The length of the UUID (8-4-4-4-12 hex, or 32 hex with dashes) at the start of `chars`.
fn uuid_at(chars: &[char]) -> Option<usize> {
    let groups = [8, 4, 4, 4, 12];
    let mut at = 0;
    for (index, len) in groups.iter().enumerate() {
        if chars.len() < at + len || !chars[at..at + len].iter().all(char::is_ascii_hexdigit) {
            return None;
        }
        at += len;
        if index < 4 {
            if chars.get(at) != Some(&'-') {
                return None;
            }
            at += 1;
        }
    }
    chars
        .get(at)
        .is_none_or(|c| !c.is_ascii_alphanumeric())
        .then_some(at)
}

/// The length of the ISO timestamp at the start of `chars`: `YYYY-MM-DD[T ]HH:MM:SS`
/// with optional fraction and zone.
fn time_at(chars: &[char]) -> Option<usize> {
    let pattern = "dddd-dd-ddXdd:dd:dd";
    if chars.len() < pattern.len() {
        return None;
    }
    for (c, p) in chars.iter().zip(pattern.chars()) {
        let ok = match p {
            'd' => c.is_ascii_digit(),
            'X' => *c == 'T' || *c == ' ',
            literal => *c == literal,
        };
        if !ok {
            return None;
        }
    }
    let mut at = pattern.len();
    if chars.get(at) == Some(&'.') {
        at += 1;
        at += chars[at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    }
    match chars.get(at) {
        Some('Z') => at += 1,
        Some('+') | Some('-')
            if chars.len() >= at + 6
                && chars[at + 1..at + 3].iter().all(char::is_ascii_digit)
                && chars[at + 3] == ':' =>
        {
            at += 6
        }
        _ => {}
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOW: &str = "\
+----------+--------------------------------------+
| Property | Value                                |
+----------+--------------------------------------+
| id       | 5e7887d5-7b94-4990-8481-ded985ed6dc9 |
| created  | 2026-12-07T15:26:29Z                 |
| hostId   | 0123456789abcdef0123456789abcdef0123 |
| adminPass| secret                               |
| tags     | [\"a\",                                |
|          |  \"b\"]                                |
+----------+--------------------------------------+
done
";

    #[test]
    fn tables_parse_with_normalised_ids_and_times() {
        let blocks = parse(SHOW, &[]);
        assert_eq!(
            blocks[0],
            Block::Table {
                columns: vec!["Property".into(), "Value".into()],
                rows: vec![
                    vec!["id".into(), "<uuid>".into()],
                    vec!["created".into(), "<time>".into()],
                    vec!["hostId".into(), "<hex>".into()],
                    vec!["adminPass".into(), "<id>".into()],
                    vec!["tags".into(), "[\"a\",\n\"b\"]".into()],
                ],
            }
        );
        assert_eq!(blocks[1], Block::Line("done".into()));
        assert_eq!(
            lookup(SHOW, "id", None).as_deref(),
            Some("5e7887d5-7b94-4990-8481-ded985ed6dc9")
        );
    }

    #[test]
    fn differences_are_found_by_kind_and_field() {
        let python = Outcome::new(&Some(0), SHOW, "", None, &[]);
        let ours = Outcome::new(
            &Some(0),
            &SHOW.replace("| created  |", "| made     |"),
            "",
            None,
            &[],
        );
        let found = compare(&python, &ours);
        assert!(
            found
                .iter()
                .any(|f| f.kind == Kind::Row && f.field.as_deref() == Some("created"))
        );
        assert!(
            found
                .iter()
                .any(|f| f.kind == Kind::Row && f.field.as_deref() == Some("made"))
        );
        let same = Outcome::new(&Some(0), SHOW, "", None, &[]);
        assert!(compare(&python, &same).is_empty());
    }

    #[test]
    fn error_classes() {
        assert_eq!(
            error_class("x\nERROR (NotFound): No server (HTTP 404)"),
            "NotFound"
        );
        assert_eq!(
            error_class("usage: nova show\nerror: too few arguments"),
            "usage"
        );
        assert_eq!(error_class("nova: error: argument"), "usage");
        assert_eq!(error_class("boom"), "other");
        let py = Outcome::new(&Some(1), "", "ERROR (NotFound): x", None, &[]);
        let rs = Outcome::new(&Some(4), "", "ERROR (NotFound): x", None, &[]);
        let found = compare(&py, &rs);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, Kind::ExitCode);
    }
}
