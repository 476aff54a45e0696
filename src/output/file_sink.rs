//! Writes the three tables as files of bytes, atomically (see
//! [`super::atomic`]): CSV (`entities.csv`, `events.csv`,
//! `documents.csv`) or JSON Lines (`entities.jsonl`, …). The rows come
//! encoded by the workers ([`Encoding`]); this sink only appends them.
//!
//! CSV is RFC 4180, UTF-8, `\n` line ends, with a header row. Spreadsheet
//! safety: unless `--raw-cells`, a text cell starting with `=`, `+`, `-`,
//! `@`, TAB or CR gets a leading `'` ([`super::neutralise`]).
//!
//! Byte-order mark: none by default, because most tools (pandas, R, Python's
//! `csv`, `cut`) read UTF-8 without one and some show it as part of the
//! first column name. `--bom` starts each file with the three bytes
//! `EF BB BF`, which makes Excel (before 2016's "CSV UTF-8" support)
//! open the file as UTF-8 instead of the local code page; pandas and
//! LibreOffice skip it.
//!
//! JSON Lines has one JSON object per row, with the CSV's columns as keys
//! in the same order and numbers as JSON numbers. Values are exact (no
//! neutralising: JSON is read by programs).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::atomic::{AtomicPath, Staging};
use super::{DocumentRow, Encoding, Record, Rows, Sink, SinkOptions};
use super::{DOCUMENT_HEADER, ENTITY_HEADER, EVENT_HEADER};
use crate::error::{Error, Result};

struct Table {
    path: AtomicPath,
    file: BufWriter<File>,
}

impl Table {
    /// Creates the file, starting with `head`.
    fn create(staging: &Staging, name: &str, head: &[u8]) -> Result<Table> {
        let path = staging.file(name);
        let file = BufWriter::with_capacity(1 << 16, path.create()?);
        let mut t = Table { path, file };
        t.write(head)?;
        Ok(t)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.file.write_all(bytes).map_err(|e| Error::io(self.path.tmp.display(), e))
    }

    /// Another handle on the file, for [`Staging::flush_while_writing`].
    fn handle(&self) -> Result<File> {
        self.file.get_ref().try_clone().map_err(|e| Error::io(self.path.tmp.display(), e))
    }

    /// Flushes and closes the temporary file.
    fn close(self) -> Result<AtomicPath> {
        let Table { path, file } = self;
        file.into_inner().map_err(|e| Error::io(path.tmp.display(), e.into_error()))?;
        Ok(path)
    }
}

/// The three tables of one run, as CSV or JSON Lines files.
pub struct FileSink {
    staging: Staging,
    encoding: Encoding,
    /// Entities, events, documents.
    tables: [Table; 3],
}

impl FileSink {
    /// Creates the output folder and the CSV tables, unpublished.
    pub fn csv(dir: &Path, opts: SinkOptions) -> Result<FileSink> {
        let head = |header: &[&str]| {
            let bom: &[u8] = if opts.bom { b"\xEF\xBB\xBF" } else { b"" };
            let mut out = bom.to_vec();
            let mut record = Record::new(&mut out, false);
            for h in header {
                record.text(h);
            }
            drop(record);
            out
        };
        FileSink::create(
            dir,
            Encoding::Csv { neutralise: !opts.raw_cells },
            [
                ("entities.csv", head(ENTITY_HEADER)),
                ("events.csv", head(EVENT_HEADER)),
                ("documents.csv", head(DOCUMENT_HEADER)),
            ],
        )
    }

    /// Creates the output folder and the JSON Lines tables, unpublished.
    pub fn jsonl(dir: &Path) -> Result<FileSink> {
        let tables = ["entities.jsonl", "events.jsonl", "documents.jsonl"].map(|n| (n, vec![]));
        FileSink::create(dir, Encoding::Jsonl, tables)
    }

    fn create(dir: &Path, encoding: Encoding, tables: [(&str, Vec<u8>); 3]) -> Result<FileSink> {
        let mut staging = Staging::new(dir)?;
        let [entities, events, documents] = tables;
        let tables = [
            Table::create(&staging, entities.0, &entities.1)?,
            Table::create(&staging, events.0, &events.1)?,
            Table::create(&staging, documents.0, &documents.1)?,
        ];
        staging.flush_while_writing(tables.iter().map(Table::handle).collect::<Result<_>>()?);
        Ok(FileSink { staging, encoding, tables })
    }
}

impl Sink for FileSink {
    fn encoding(&self) -> Option<Encoding> {
        Some(self.encoding)
    }

    fn write(&mut self, rows: Rows, document: Option<DocumentRow>) -> Result<()> {
        let rows = rows.encoded(self.encoding);
        let [entities, events, documents] = &mut self.tables;
        entities.write(&rows.entities)?;
        events.write(&rows.events)?;
        if let Some(d) = document {
            documents.write(&self.encoding.rows(&[d]))?;
        }
        Ok(())
    }

    /// Flushes the tables and publishes them together.
    fn finish(self: Box<Self>) -> Result<()> {
        let FileSink { staging, tables, .. } = *self;
        let files = tables.into_iter().map(Table::close).collect::<Result<_>>()?;
        staging.publish(files)
    }
}
