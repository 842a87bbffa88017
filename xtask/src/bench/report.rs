//! Statistics over the samples and the report (markdown table and JSON).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::runner::Sample;

/// The measured pairs of one scenario.
#[derive(Debug, Clone)]
pub struct Row {
    /// Scenario name, e.g. `list10k`.
    pub name: String,
    /// What it does, in a few words.
    pub what: String,
    /// What was compared with what (`bench-ours` vs `bench-baseline`, or the CLI).
    pub sides: (String, String),
    /// Servers handled per run (for the per-server figures of the scaling rows).
    pub servers: Option<u64>,
    /// Whether this row is checked against the 1.05 target.
    pub targeted: bool,
    /// Our samples, in run order.
    pub ours: Vec<Sample>,
    /// The baseline's samples, in run order (pair `i` is `ours[i]`, `base[i]`).
    pub base: Vec<Sample>,
}

/// The median of `values` (0 for none).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return 0.0;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn min_max(values: &[f64]) -> (f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if values.is_empty() {
        (0.0, 0.0)
    } else {
        (min, max)
    }
}

/// The median of the pair-by-pair ratios ours/baseline of `field`.
pub fn pair_ratio(ours: &[Sample], base: &[Sample], field: fn(&Sample) -> f64) -> f64 {
    let ratios: Vec<f64> = ours
        .iter()
        .zip(base)
        .filter(|(_, b)| field(b) > 0.0)
        .map(|(o, b)| field(o) / field(b))
        .collect();
    median(&ratios)
}

fn wall(s: &Sample) -> f64 {
    s.wall_ms
}
fn cpu(s: &Sample) -> f64 {
    s.cpu_ms
}
fn rss_mib(s: &Sample) -> f64 {
    s.rss_kib as f64 / 1024.0
}

/// Figures of one side of a row.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    /// Median wall, ms.
    pub wall: f64,
    /// Fastest and slowest wall, ms.
    pub wall_range: (f64, f64),
    /// Median CPU (user + system), ms.
    pub cpu: f64,
    /// Median peak RSS, MiB.
    pub rss: f64,
    /// Median requests the mock counted.
    pub requests: Option<f64>,
    /// Median share of the mock's CPU in (mock + client) CPU.
    pub mock_share: Option<f64>,
    /// Median mock CPU, ms.
    pub mock_cpu: Option<f64>,
}

/// Summarises one side's samples.
pub fn summarize(samples: &[Sample]) -> Summary {
    let walls: Vec<f64> = samples.iter().map(wall).collect();
    let requests: Vec<f64> = samples
        .iter()
        .filter_map(|s| s.requests.map(|r| r as f64))
        .collect();
    let mock: Vec<f64> = samples.iter().filter_map(|s| s.mock_cpu_ms).collect();
    let shares: Vec<f64> = samples
        .iter()
        .filter_map(|s| {
            s.mock_cpu_ms
                .filter(|m| m + s.cpu_ms > 0.0)
                .map(|m| m / (m + s.cpu_ms))
        })
        .collect();
    Summary {
        wall: median(&walls),
        wall_range: min_max(&walls),
        cpu: median(&samples.iter().map(cpu).collect::<Vec<_>>()),
        rss: median(&samples.iter().map(rss_mib).collect::<Vec<_>>()),
        requests: (!requests.is_empty()).then(|| median(&requests)),
        mock_share: (!shares.is_empty()).then(|| median(&shares)),
        mock_cpu: (!mock.is_empty()).then(|| median(&mock)),
    }
}

fn opt(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.digits$}"))
}

fn verdict(ratio: f64) -> String {
    if ratio <= 1.05 {
        "met".to_string()
    } else {
        format!("missed by {:.0}%", (ratio - 1.05) * 100.0)
    }
}

/// The whole report as markdown.
pub fn markdown(rows: &[Row], header: &str, notes: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# nova-rs benchmarks\n\n{header}\n");
    let _ = writeln!(
        out,
        "| scenario | side | wall ms median (min-max) | CPU ms user+sys | peak RSS MiB | requests | mock CPU ms (share) | ours/base wall | ours/base CPU |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
    for row in rows {
        let (o, b) = (summarize(&row.ours), summarize(&row.base));
        let wall_ratio = pair_ratio(&row.ours, &row.base, wall);
        let cpu_ratio = pair_ratio(&row.ours, &row.base, cpu);
        for (label, s, first) in [(&row.sides.0, o, true), (&row.sides.1, b, false)] {
            let _ = writeln!(
                out,
                "| {} | {label} | {:.1} ({:.1}-{:.1}) | {:.1} | {:.1} | {} | {} | {} | {} |",
                if first { row.name.as_str() } else { "" },
                s.wall,
                s.wall_range.0,
                s.wall_range.1,
                s.cpu,
                s.rss,
                opt(s.requests, 0),
                match (s.mock_cpu, s.mock_share) {
                    (Some(m), Some(share)) => format!("{m:.0} ({:.0}%)", share * 100.0),
                    _ => "-".to_string(),
                },
                if first {
                    format!("{wall_ratio:.3}")
                } else {
                    String::new()
                },
                if first {
                    format!("{cpu_ratio:.3}")
                } else {
                    String::new()
                },
            );
        }
    }
    let scaling: Vec<&Row> = rows
        .iter()
        .filter(|r| r.name.starts_with("stream"))
        .collect();
    if !scaling.is_empty() {
        let _ = writeln!(
            out,
            "\n## Streaming list: cost per server and memory\n\n| servers | ours µs/server | baseline µs/server | ours peak RSS MiB | baseline peak RSS MiB |\n|---|---|---|---|---|"
        );
        for row in &scaling {
            let n = row.servers.unwrap_or(1).max(1) as f64;
            let (o, b) = (summarize(&row.ours), summarize(&row.base));
            let _ = writeln!(
                out,
                "| {} | {:.2} | {:.2} | {:.1} | {:.1} |",
                row.servers.unwrap_or(0),
                o.wall * 1000.0 / n,
                b.wall * 1000.0 / n,
                o.rss,
                b.rss
            );
        }
        if let (Some(first), Some(last)) = (scaling.first(), scaling.last()) {
            let growth = summarize(&last.ours).rss / summarize(&first.ours).rss.max(0.001);
            let _ = writeln!(
                out,
                "\nOurs at {} servers uses {:.2}x the peak RSS it uses at {} (target <= 1.5: {}).",
                last.servers.unwrap_or(0),
                growth,
                first.servers.unwrap_or(0),
                if growth <= 1.5 { "met" } else { "missed" }
            );
        }
        if let Some(ten) = scaling.iter().find(|r| r.servers == Some(10_000)) {
            let (o, b) = (summarize(&ten.ours), summarize(&ten.base));
            let _ = writeln!(
                out,
                "At 10k servers ours peaks at {:.1} MiB, the baseline at {:.1} MiB (target: at most the baseline's: {}).",
                o.rss,
                b.rss,
                if o.rss <= b.rss { "met" } else { "missed" }
            );
        }
    }
    let targeted: Vec<&Row> = rows.iter().filter(|r| r.targeted).collect();
    if !targeted.is_empty() {
        let _ = writeln!(
            out,
            "\n## Targets (ours/baseline <= 1.05, median of pair ratios)\n\n| scenario | wall | CPU | extra requests |\n|---|---|---|---|"
        );
        for row in targeted {
            let wall_ratio = pair_ratio(&row.ours, &row.base, wall);
            let cpu_ratio = pair_ratio(&row.ours, &row.base, cpu);
            let (o, b) = (summarize(&row.ours), summarize(&row.base));
            let extra = match (o.requests, b.requests) {
                (Some(o), Some(b)) => {
                    let extra = o - b;
                    format!(
                        "{extra:+.0} ({})",
                        if extra <= 1.0 { "ok" } else { "too many" }
                    )
                }
                _ => "-".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {:.3} {} | {:.3} {} | {extra} |",
                row.name,
                wall_ratio,
                verdict(wall_ratio),
                cpu_ratio,
                verdict(cpu_ratio)
            );
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "\n## Notes\n");
        for note in notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    out
}

fn samples_json(samples: &[Sample]) -> Value {
    Value::Array(
        samples
            .iter()
            .map(|s| {
                json!({
                    "wall_ms": s.wall_ms, "cpu_ms": s.cpu_ms, "max_rss_kib": s.rss_kib,
                    "items": s.items, "mock_cpu_ms": s.mock_cpu_ms, "requests": s.requests,
                })
            })
            .collect(),
    )
}

/// The whole report as JSON (every sample, and the summaries).
pub fn json(rows: &[Row], header: &str, notes: &[String]) -> Value {
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            let summary = |s: Summary| {
                json!({
                    "wall_ms_median": s.wall, "wall_ms_min": s.wall_range.0, "wall_ms_max": s.wall_range.1,
                    "cpu_ms_median": s.cpu, "rss_mib_median": s.rss, "requests_median": s.requests,
                    "mock_cpu_ms_median": s.mock_cpu, "mock_cpu_share_median": s.mock_share,
                })
            };
            json!({
                "scenario": row.name,
                "what": row.what,
                "ours": row.sides.0,
                "baseline": row.sides.1,
                "servers": row.servers,
                "targeted": row.targeted,
                "ratio_wall": pair_ratio(&row.ours, &row.base, wall),
                "ratio_cpu": pair_ratio(&row.ours, &row.base, cpu),
                "ours_summary": summary(summarize(&row.ours)),
                "baseline_summary": summary(summarize(&row.base)),
                "ours_samples": samples_json(&row.ours),
                "baseline_samples": samples_json(&row.base),
            })
        })
        .collect();
    json!({"header": header, "rows": rows, "notes": notes})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(wall_ms: f64, cpu_ms: f64) -> Sample {
        Sample {
            wall_ms,
            cpu_ms,
            rss_kib: 2048,
            ..Sample::default()
        }
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn ratios_are_taken_pair_by_pair() {
        // pair ratios 2.0, 0.5, 1.0: median 1.0, though the medians alone would say 1.5
        let ours = [sample(20.0, 1.0), sample(10.0, 1.0), sample(30.0, 1.0)];
        let base = [sample(10.0, 1.0), sample(20.0, 1.0), sample(30.0, 1.0)];
        assert_eq!(pair_ratio(&ours, &base, wall), 1.0);
    }

    #[test]
    fn the_table_names_missed_targets() {
        let row = Row {
            name: "show1000".into(),
            what: "1000 GETs".into(),
            sides: ("bench-ours".into(), "bench-baseline".into()),
            servers: None,
            targeted: true,
            ours: vec![sample(11.0, 11.0)],
            base: vec![sample(10.0, 10.0)],
        };
        let text = markdown(&[row], "header", &[]);
        assert!(
            text.contains("| show1000 | bench-ours | 11.0 (11.0-11.0)"),
            "{text}"
        );
        assert!(text.contains("missed by 5%"), "{text}");
    }
}
