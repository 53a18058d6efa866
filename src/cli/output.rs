//! The one renderer: rows that serialize become a table, CSV or JSON on stdout. Status goes to stderr, silenced
//! by `--quiet`; progress bars and prompts appear only on a terminal.

use std::io::{IsTerminal, Write};

use clap::ValueEnum;
use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table, Width};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    /// Printable documents (`direction show`); lists print as tables.
    Text,
}

pub struct Output {
    pub format: Format,
    pub quiet: bool,
    pub yes: bool,
}

impl Output {
    /// A list of rows. `T::default()` names the columns when there are no rows, so an empty CSV still has its
    /// header row.
    pub fn list<T: Serialize + Default>(&self, rows: &[T]) -> Result<()> {
        let values: Vec<Value> = rows.iter().map(to_value).collect();
        match self.format {
            Format::Json => self.write(&pretty(&Value::Array(values))),
            Format::Csv => {
                let columns = headers(&[to_value(&T::default())]);
                self.write(&csv_text(&values, &columns)?)
            }
            Format::Table | Format::Text => {
                if values.is_empty() {
                    self.status(&tr!("ui-none"));
                    return Ok(());
                }
                self.write(&table_text(&values, None, true, self.quiet))
            }
        }
    }

    /// A list written as its rows come (R-L4), a table's columns in the order `table_first` gives first: `produce`
    /// hands each row to the function it is given, which
    /// returns whether to go on (false once stdout is closed: `| head` ends the command at once). JSON and CSV
    /// are written row by row, the same bytes `list` writes; a table takes its column widths from its first
    /// rows and writes the rest in those widths, so memory does not grow with the list.
    pub fn stream<T: Serialize + Default>(
        &self,
        table_first: &[&str],
        produce: impl FnOnce(&mut dyn FnMut(&T) -> Result<bool>) -> Result<()>,
    ) -> Result<()> {
        let mut columns = headers(&[to_value(&T::default())]);
        if matches!(self.format, Format::Table | Format::Text) {
            // A table shows first the columns an officer reads first (R-L3): those a narrow terminal keeps.
            columns.sort_by_key(|c| {
                table_first
                    .iter()
                    .position(|f| f == c)
                    .unwrap_or(table_first.len())
            });
        }
        let mut out = Lister::new(self.format, columns, self.quiet);
        let mut failed = None;
        let result = produce(&mut |row: &T| match out.row(row) {
            Ok(()) => Ok(true),
            Err(e) => {
                failed = Some(e);
                Ok(false)
            }
        });
        match failed {
            Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Some(e) => return Err(Error::io("stdout", e)),
            None => result?,
        }
        match out.finish() {
            Ok(false) => {
                self.status(&tr!("ui-none"));
                Ok(())
            }
            Ok(true) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(Error::io("stdout", e)),
        }
    }

    /// One record: a JSON object, a one-row CSV, or a two-column table of fields and values.
    pub fn object<T: Serialize>(&self, value: &T) -> Result<()> {
        let value = to_value(value);
        match self.format {
            Format::Json => self.write(&pretty(&value)),
            Format::Csv => {
                let rows = std::slice::from_ref(&value);
                self.write(&csv_text(rows, &headers(rows))?)
            }
            Format::Table | Format::Text => {
                let Value::Object(map) = &value else {
                    return self.write(&format!("{}\n", cell(&value)));
                };
                let rows: Vec<Value> = map
                    .iter()
                    .map(|(k, v)| serde_json::json!({ "field": header(k), "value": shown(k, v) }))
                    .collect();
                self.write(&table_text(&rows, None, false, self.quiet))
            }
        }
    }

    /// Plain text on stdout (documents, completions).
    pub fn text(&self, text: &str) -> Result<()> {
        self.write(text)
    }

    /// A status line on stderr, unless `--quiet`.
    pub fn status(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    fn write(&self, text: &str) -> Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| Error::io("stdout", e))
    }

    /// A progress bar over `len` bytes, on stderr; hidden off a terminal and under `--quiet`.
    pub fn progress(&self, len: u64, what: &str) -> ProgressBar {
        self.bar(len, what, "{msg} [{bar:40}] {percent}% {eta}")
    }

    /// A bar whose counted part is done turns into a spinner with `what` and the time it has taken, so that
    /// the work after the last row (indexes, the journal, the commit) does not sit at 100%.
    pub fn finishing(&self, bar: &ProgressBar, what: &str) {
        if bar.is_hidden() {
            return;
        }
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a valid template"),
        );
        bar.set_message(what.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    }

    /// A progress bar over `len` steps, on stderr; hidden off a terminal and under `--quiet`.
    pub fn steps(&self, len: u64, what: &str) -> ProgressBar {
        self.bar(len, what, "{msg} [{bar:40}] {pos}/{len}")
    }

    fn bar(&self, len: u64, what: &str, template: &str) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        bar
    }

    /// Asks before a destructive action (SPEC §8): `--yes` skips the question; without a terminal and without
    /// `--yes` the command is refused instead of waiting for an answer.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.yes {
            return Ok(());
        }
        if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
            return Err(Error::usage(tr!(
                "ui-no-terminal",
                question = question.to_string()
            )));
        }
        let answer: String = dialoguer::Input::new()
            .with_prompt(format!("{question} {}", tr!("ui-confirm-hint")))
            .allow_empty(true)
            .validate_with(|a: &String| match yes_or_no(a) {
                Some(_) => Ok(()),
                None => Err(tr!("ui-confirm-again")),
            })
            .interact_text()
            .map_err(|e| Error::Internal(tr!("cli-output-prompt-failed", error = e.to_string())))?;
        if yes_or_no(&answer) == Some(true) {
            Ok(())
        } else {
            Err(Error::usage(tr!("ui-not-confirmed")))
        }
    }
}

/// An answer to a confirmation, in any of the three languages (R-L1): y/yes, д/да, и/иә; n/no, н/нет, ж/жоқ.
/// An empty answer is no.
pub fn yes_or_no(answer: &str) -> Option<bool> {
    match answer.trim().to_lowercase().as_str() {
        "y" | "yes" | "д" | "да" | "и" | "иә" => Some(true),
        "" | "n" | "no" | "н" | "нет" | "ж" | "жоқ" => Some(false),
        _ => None,
    }
}

/// A column's header in the interface's language (R-L1); its JSON key when the catalog has none.
fn header(key: &str) -> String {
    crate::lang::word(crate::lang::current(), &format!("col-{key}"))
        .map_or_else(|| key.to_string(), str::to_string)
}

/// The columns whose values are codes, shown in words in tables (JSON and CSV keep the codes).
const CODED: [&str; 13] = [
    "status",
    "queue_type",
    "priority_class",
    "removed_reason",
    "place_type",
    "org_kind",
    "language",
    "consent",
    "channel",
    "close_reason",
    "kind",
    "reason",
    "reaches",
];

/// A cell as a table shows it: a code of a coded column, and yes or no, in words of the interface's language.
fn shown(column: &str, v: &Value) -> String {
    let code = match v {
        Value::Bool(b) => Some(b.to_string()),
        Value::String(s) if CODED.contains(&column) => Some(s.clone()),
        _ => None,
    };
    code.and_then(|c| crate::lang::word(crate::lang::current(), &format!("val-{c}")))
        .map_or_else(|| cell(v), str::to_string)
}

/// Rows of a streamed list on their way to stdout.
struct Lister {
    format: Format,
    columns: Vec<String>,
    out: std::io::BufWriter<std::io::Stdout>,
    /// CSV's own writer (with its own buffer), for `--format csv`.
    csv: Option<csv::Writer<std::io::Stdout>>,
    rows: usize,
    /// A table's first rows, held until their widths are known.
    pending: Vec<Value>,
    /// `--quiet`: nothing on stderr.
    quiet: bool,
    widths: Option<Vec<usize>>,
}

fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// How many rows of a streamed table set its column widths.
const TABLE_SAMPLE: usize = 256;

impl Lister {
    fn new(format: Format, columns: Vec<String>, quiet: bool) -> Lister {
        Lister {
            format,
            columns,
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
            csv: (format == Format::Csv).then(|| {
                csv::WriterBuilder::new()
                    .has_headers(false)
                    .buffer_capacity(1 << 16)
                    .from_writer(std::io::stdout())
            }),
            rows: 0,
            pending: Vec::new(),
            quiet,
            widths: None,
        }
    }

    /// One row: JSON and CSV straight from the row (no map of values on the way), a table through its cells.
    fn row<T: Serialize>(&mut self, row: &T) -> std::io::Result<()> {
        self.rows += 1;
        match self.format {
            Format::Json => {
                let text = serde_json::to_string_pretty(row).expect("JSON serializes");
                self.out
                    .write_all(if self.rows == 1 { b"[\n" } else { b",\n" })?;
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    self.out.write_all(b"  ")?;
                    self.out.write_all(line.as_bytes())?;
                }
            }
            Format::Csv => {
                if self.rows == 1 {
                    self.csv(&self.columns.clone())?;
                }
                let w = self.csv.as_mut().expect("a CSV writer for --format csv");
                w.serialize(row).map_err(io_error)?;
            }
            Format::Table | Format::Text => {
                let row = to_value(row);
                match &self.widths {
                    None => {
                        self.pending.push(row);
                        if self.pending.len() == TABLE_SAMPLE {
                            self.flush_sample(true)?;
                        }
                    }
                    Some(widths) => {
                        let line = fixed_row(&self.columns, &row, widths);
                        self.out.write_all(line.as_bytes())?;
                    }
                }
            }
        }
        if self.rows.is_multiple_of(1024) {
            self.flush()?;
        }
        Ok(())
    }

    fn csv(&mut self, cells: &[String]) -> std::io::Result<()> {
        let w = self.csv.as_mut().expect("a CSV writer for --format csv");
        w.write_record(cells).map_err(io_error)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if let Some(w) = self.csv.as_mut() {
            w.flush()?;
        }
        self.out.flush()
    }

    /// Writes the held rows as a table; with `more` to come, in widths the rest will keep.
    fn flush_sample(&mut self, more: bool) -> std::io::Result<()> {
        let rows = std::mem::take(&mut self.pending);
        if !more {
            return self
                .out
                .write_all(table_text(&rows, Some(&self.columns), true, self.quiet).as_bytes());
        }
        let mut widths = sample_widths(&self.columns, &rows);
        if let Some(room) = terminal_width() {
            // On a terminal, the leading columns that fit whole (R-L3).
            let keep = fitting(&widths, room).0.max(1);
            if keep < self.columns.len() {
                say_left_out(self.columns.len() - keep, self.quiet);
                self.columns.truncate(keep);
                widths.truncate(keep);
            }
        }
        let mut text = fixed_header(&self.columns, &widths);
        for row in &rows {
            text.push_str(&fixed_row(&self.columns, row, &widths));
        }
        self.widths = Some(widths);
        self.out.write_all(text.as_bytes())
    }

    /// Ends the list; whether it had rows.
    fn finish(mut self) -> std::io::Result<bool> {
        match self.format {
            Format::Json => self
                .out
                .write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })?,
            Format::Csv if self.rows == 0 => {
                let columns = self.columns.clone();
                self.csv(&columns)?;
            }
            Format::Table | Format::Text if self.widths.is_none() && self.rows > 0 => {
                self.flush_sample(false)?;
            }
            _ => {}
        }
        self.flush()?;
        Ok(self.rows > 0)
    }
}

/// The width of each column of a streamed table: its header's and its first rows' widest cell.
fn sample_widths(columns: &[String], rows: &[Value]) -> Vec<usize> {
    columns
        .iter()
        .map(|c| {
            rows.iter()
                .map(|r| width(&r.get(c).map(|v| shown(c, v)).unwrap_or_default()))
                .chain(std::iter::once(width(&header(c))))
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// The columns a text takes on a terminal.
fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

fn pad(text: &str, to: usize) -> String {
    format!("{text}{}", " ".repeat(to.saturating_sub(width(text))))
}

/// A streamed table's header and rule, in the plain style of a piped table.
fn fixed_header(columns: &[String], widths: &[usize]) -> String {
    let head: Vec<String> = columns
        .iter()
        .zip(widths)
        .map(|(c, w)| pad(&header(c), *w))
        .collect();
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    format!("| {} |\n|-{}-|\n", head.join(" | "), rule.join("-|-"))
}

/// One row of a streamed table: a cell wider than its column widens the row, never splits.
fn fixed_row(columns: &[String], row: &Value, widths: &[usize]) -> String {
    let cells: Vec<String> = columns
        .iter()
        .zip(widths)
        .map(|(c, w)| pad(&row.get(c).map(|v| shown(c, v)).unwrap_or_default(), *w))
        .collect();
    format!("| {} |\n", cells.join(" | "))
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("output rows serialize")
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON serializes");
    s.push('\n');
    s
}

/// A value as one cell: strings as they are, null as empty, anything else as JSON.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn headers(rows: &[Value]) -> Vec<String> {
    match rows.first() {
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        _ => vec!["value".into()],
    }
}

fn cells(row: &Value, headers: &[String]) -> Vec<String> {
    match row {
        Value::Object(map) => headers
            .iter()
            .map(|h| map.get(h).map(cell).unwrap_or_default())
            .collect(),
        other => vec![cell(other)],
    }
}

/// The width of the terminal stdout is, when it is one (R-L3); piped output has none and keeps every column.
fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
}

/// Tells on stderr, unless `--quiet`, how many columns a table left out to fit the terminal.
fn say_left_out(count: usize, quiet: bool) {
    if !quiet {
        eprintln!("{}", tr!("ui-more-columns", count = count as i64));
    }
}

/// The least width a last column squeezed into what room is left gets (it then wraps between words).
const LEAST_LAST_COLUMN: usize = 16;

/// Which columns of a table fit `room` (R-L3): the leading columns that fit whole, each 3 wider for its borders,
/// and then the next one, wrapped, if at least `LEAST_LAST_COLUMN` is left for it. The rest are left out (the
/// officer sees them with `show` or `--format`).
fn fitting(widths: &[usize], room: usize) -> (usize, Option<usize>) {
    let mut used = 1;
    for (i, w) in widths.iter().enumerate() {
        if used + w + 3 > room {
            let left = room.saturating_sub(used + 3);
            return (i, (left >= LEAST_LAST_COLUMN).then_some(left));
        }
        used += w + 3;
    }
    (widths.len(), None)
}

/// A table's text. On a terminal, a list keeps to the terminal's width by leaving out its last columns, never
/// by splitting a number or a word inside a kept column (`fit`); one record's table of fields wraps its values
/// between words. Piped, every column is there, plain and stable.
fn table_text(rows: &[Value], columns: Option<&[String]>, fit: bool, quiet: bool) -> String {
    let headers = columns.map_or_else(|| headers(rows), <[String]>::to_vec);
    let grid: Vec<Vec<String>> = rows
        .iter()
        .map(|row| match row {
            Value::Object(map) => headers
                .iter()
                .map(|h| map.get(h).map(|v| shown(h, v)).unwrap_or_default())
                .collect(),
            other => vec![cell(other)],
        })
        .collect();
    let titles: Vec<String> = headers.iter().map(|h| header(h)).collect();
    let mut table = Table::new();
    let mut keep = titles.len();
    match terminal_width() {
        Some(room) => {
            table
                .load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(u16::try_from(room).unwrap_or(u16::MAX));
            if fit {
                let widths: Vec<usize> = (0..titles.len())
                    .map(|i| {
                        grid.iter()
                            .map(|r| width(&r[i]))
                            .chain(std::iter::once(width(&titles[i])))
                            .max()
                            .unwrap_or(0)
                    })
                    .collect();
                let (whole, last) = fitting(&widths, room);
                keep = whole + usize::from(last.is_some());
                let mut constraints: Vec<ColumnConstraint> = widths[..whole]
                    .iter()
                    .map(|w| ColumnConstraint::Absolute(Width::Fixed(*w as u16)))
                    .collect();
                if let Some(left) = last {
                    constraints.push(ColumnConstraint::UpperBoundary(Width::Fixed(left as u16)));
                }
                table.set_constraints(constraints);
                if keep < titles.len() {
                    say_left_out(titles.len() - keep, quiet);
                }
            }
        }
        // Stable output for pipes and files: no terminal width, plain ASCII.
        None => {
            table.load_preset(presets::ASCII_MARKDOWN).force_no_tty();
        }
    }
    table.set_header(titles.into_iter().take(keep).collect::<Vec<_>>());
    for row in grid {
        table.add_row(row.into_iter().take(keep).collect::<Vec<_>>());
    }
    format!("{table}\n")
}

fn csv_text(rows: &[Value], headers: &[String]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers)
        .map_err(|e| Error::Internal(e.to_string()))?;
    for row in rows {
        w.write_record(cells(row, headers))
            .map_err(|e| Error::Internal(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Internal(e.to_string()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_l1_confirmations_take_yes_and_no_in_every_language() {
        for yes in ["y", "Yes", "д", "Да", "и", "иә"] {
            assert_eq!(yes_or_no(yes), Some(true), "{yes}");
        }
        for no in ["", "n", "NO", "н", "нет", "ж", "жоқ"] {
            assert_eq!(yes_or_no(no), Some(false), "{no}");
        }
        assert_eq!(yes_or_no("может быть"), None);
    }
}
