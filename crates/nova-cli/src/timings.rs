//! `--timings`: a table of every HTTP request the session sent, printed at exit.

use keystone_auth::RequestTiming;

use crate::output::table;

/// The table novaclient's `--timings` prints (plus method and status), with a total.
pub fn render(timings: &[RequestTiming]) -> String {
    let mut rows: Vec<Vec<String>> = timings
        .iter()
        .map(|t| {
            vec![
                t.method.to_string(),
                t.url.to_string(),
                t.status.map_or("-".to_owned(), |s| s.as_u16().to_string()),
                format!("{:.3}", t.elapsed.as_secs_f64()),
            ]
        })
        .collect();
    let total: f64 = timings.iter().map(|t| t.elapsed.as_secs_f64()).sum();
    rows.push(vec![
        "Total".to_owned(),
        String::new(),
        String::new(),
        format!("{total:.3}"),
    ]);
    let headers: Vec<String> = ["Method", "URL", "Status", "Seconds"]
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    table(&headers, &rows)
}
