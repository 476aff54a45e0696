//! Writes the three tables as one Excel workbook, `gazette.xlsx`, with the
//! sheets `entities`, `events` and `documents` (same columns as the CSV).
//!
//! Each sheet has a bold, frozen header row and an autofilter; numbers are
//! numbers; the `date` and `dct` columns are real dates (shown
//! `yyyy-mm-dd`) when they hold a full `YYYY-MM-DD`, text otherwise
//! (`2021-11`, `2021-W47`, empty). Column widths are fitted to the longest
//! value (capped), measured while writing.
//!
//! Spreadsheet safety: every text cell is written with `write_string`, as a
//! string cell, never as a formula, so `=cmd|' /C calc'!A0` is shown as
//! those characters and never evaluated. No `'` is added (unlike the CSV,
//! which has no cell types): the value is exactly what gazette found.
//!
//! Memory: sheets are written in rust_xlsxwriter's "constant memory" mode
//! (rows go to scratch files beside the workbook, strings inline), so
//! memory does not grow with the corpus. Past Excel's 1,048,576 rows a
//! table continues on a sheet `entities (2)`, `entities (3)`, ...
//! The workbook is published like every output ([`super::atomic`]).

use std::path::Path;

use rust_xlsxwriter::{ColNum, ExcelDateTime, Format, RowNum, Workbook, Worksheet};
use serde::Serialize;

use super::atomic::{AtomicPath, Staging};
use super::{DocumentRow, Rows, Sink, DOCUMENT_HEADER, ENTITY_HEADER, EVENT_HEADER};
use crate::error::{Error, Result};

/// Rows per sheet, header included (Excel's limit).
const MAX_ROWS: u32 = 1_048_576;
/// Widest fitted column, in characters.
const MAX_WIDTH: usize = 60;

struct Table {
    name: &'static str,
    header: &'static [&'static str],
    /// Finished sheets (full), then the one being written.
    done: Vec<Worksheet>,
    sheet: Worksheet,
    /// Next row to write in `sheet`.
    row: RowNum,
    /// Widest value per column, in characters, in `sheet`.
    widths: Vec<usize>,
}

/// The workbook of one run.
pub struct XlsxSink {
    staging: Staging,
    workbook: Workbook,
    path: AtomicPath,
    tables: [Table; 3],
    bold: Format,
    date: Format,
}

impl XlsxSink {
    pub fn create(dir: &Path) -> Result<XlsxSink> {
        let staging = Staging::new(dir)?;
        let path = staging.file("gazette.xlsx");
        // Claim the name early, so a folder that cannot be written fails
        // before any work is done.
        path.create()?;
        let mut workbook = Workbook::new();
        workbook.set_tempdir(staging.work_dir())?;
        let bold = Format::new().set_bold();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let mut table = |name, header| -> Result<Table> {
            let mut t = Table {
                name,
                header,
                done: vec![],
                sheet: workbook.new_worksheet_with_constant_memory(),
                row: 0,
                widths: vec![],
            };
            t.start_sheet(&bold)?;
            Ok(t)
        };
        let tables = [
            table("entities", ENTITY_HEADER)?,
            table("events", EVENT_HEADER)?,
            table("documents", DOCUMENT_HEADER)?,
        ];
        Ok(XlsxSink { staging, workbook, path, tables, bold, date })
    }
}

impl Table {
    /// Names the current sheet and writes its header row.
    fn start_sheet(&mut self, bold: &Format) -> Result<()> {
        let n = self.done.len();
        let name =
            if n == 0 { self.name.to_string() } else { format!("{} ({})", self.name, n + 1) };
        self.sheet.set_name(name)?;
        for (c, h) in self.header.iter().enumerate() {
            self.sheet.write_string_with_format(0, c as ColNum, *h, bold)?;
        }
        // The filter button takes about two characters of the header cell.
        self.widths = self.header.iter().map(|h| h.chars().count() + 2).collect();
        self.row = 1;
        Ok(())
    }

    /// Freezes the header, sets the filter and the widths.
    fn close_sheet(&mut self) -> Result<()> {
        let last_col = (self.header.len() - 1) as ColNum;
        self.sheet.set_freeze_panes(1, 0)?;
        self.sheet.autofilter(0, 0, self.row - 1, last_col)?;
        for (c, w) in self.widths.iter().enumerate() {
            self.sheet.set_column_width(c as ColNum, (*w).min(MAX_WIDTH) as f64 + 1.0)?;
        }
        Ok(())
    }

    fn write(
        &mut self,
        row: &impl Serialize,
        formats: (&Format, &Format),
        wb: &mut Workbook,
    ) -> Result<()> {
        let (bold, date) = formats;
        if self.row >= MAX_ROWS {
            self.close_sheet()?;
            let full = std::mem::replace(&mut self.sheet, wb.new_worksheet_with_constant_memory());
            self.done.push(full);
            self.start_sheet(bold)?;
        }
        let serde_json::Value::Object(map) = serde_json::to_value(row).map_err(json_error)? else {
            unreachable!("rows serialize to objects")
        };
        let r = self.row;
        for (c, key) in self.header.iter().enumerate() {
            let col = c as ColNum;
            let width = match map.get(*key) {
                Some(serde_json::Value::Number(n)) => {
                    let v = n.as_f64().unwrap_or(0.0);
                    self.sheet.write_number(r, col, v)?;
                    n.to_string().len()
                }
                Some(serde_json::Value::String(s)) => {
                    match full_date(key, s) {
                        Some(d) => self.sheet.write_date_with_format(r, col, &d, date)?,
                        None if s.is_empty() => &mut self.sheet,
                        None => self.sheet.write_string(r, col, s)?,
                    };
                    s.chars().count()
                }
                _ => 0,
            };
            self.widths[c] = self.widths[c].max(width);
        }
        self.row += 1;
        Ok(())
    }
}

/// A `date`/`dct` cell holding a full `YYYY-MM-DD` that Excel can show.
fn full_date(key: &str, s: &str) -> Option<ExcelDateTime> {
    if !matches!(key, "date" | "dct") || s.len() != 10 {
        return None;
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    ExcelDateTime::from_ymd(u16::try_from(d.year()).ok()?, d.month() as u8, d.day() as u8).ok()
}

fn json_error(e: serde_json::Error) -> Error {
    Error::io("gazette.xlsx", e.into())
}

impl Sink for XlsxSink {
    fn write(&mut self, rows: Rows, document: Option<DocumentRow>) -> Result<()> {
        let Rows::Values { entities: entity_rows, events: event_rows } = rows else {
            unreachable!("a sink without an encoding gets rows as values")
        };
        let formats = (&self.bold, &self.date);
        let [entities, events, documents] = &mut self.tables;
        for e in &entity_rows {
            entities.write(e, formats, &mut self.workbook)?;
        }
        for e in &event_rows {
            events.write(e, formats, &mut self.workbook)?;
        }
        if let Some(d) = &document {
            documents.write(d, formats, &mut self.workbook)?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let XlsxSink { staging, mut workbook, path, tables, .. } = *self;
        for mut t in tables {
            t.close_sheet()?;
            for sheet in t.done.into_iter().chain([t.sheet]) {
                workbook.push_worksheet(sheet);
            }
        }
        workbook.save(&path.tmp)?;
        drop(workbook); // closes its scratch files first
        staging.publish(vec![path])
    }
}
