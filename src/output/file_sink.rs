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
use std::io::{IoSlice, Write};
use std::path::Path;

use super::atomic::{AtomicPath, Staging};
use super::{DocumentRow, Encoding, Record, Rows, Sink, SinkOptions};
use super::{DOCUMENT_HEADER, ENTITY_HEADER, EVENT_HEADER};
use crate::error::{Error, Result};

/// One table's file, and the encoded rows not yet written to it. The
/// buffers the workers encoded are kept as they are and written together
/// with one vectored write once they add up to [`BATCH`] bytes: copying
/// them into a write buffer first cost a pass over every byte of output,
/// on the writing thread's core, away from the cache that wrote them.
struct Table {
    path: AtomicPath,
    file: File,
    pending: Vec<Vec<u8>>,
    pending_bytes: usize,
}

/// How many bytes of rows a table gathers before writing them.
const BATCH: usize = 1 << 18;

impl Table {
    /// Creates the file, starting with `head`.
    fn create(staging: &Staging, name: &str, head: Vec<u8>) -> Result<Table> {
        let path = staging.file(name);
        let file = path.create()?;
        let mut t = Table { path, file, pending: vec![], pending_bytes: 0 };
        t.append(head)?;
        Ok(t)
    }

    /// Adds `bytes` to the table, writing what has gathered when it is
    /// [`BATCH`] bytes or more.
    fn append(&mut self, bytes: Vec<u8>) -> Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.pending_bytes += bytes.len();
        self.pending.push(bytes);
        if self.pending_bytes >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes every pending buffer, in order.
    fn flush(&mut self) -> Result<()> {
        let mut slices: Vec<IoSlice> = self.pending.iter().map(|b| IoSlice::new(b)).collect();
        let mut rest = &mut slices[..];
        while !rest.is_empty() {
            match self.file.write_vectored(rest) {
                Ok(0) => {
                    let e = std::io::Error::from(std::io::ErrorKind::WriteZero);
                    return Err(Error::io(self.path.tmp.display(), e));
                }
                Ok(n) => IoSlice::advance_slices(&mut rest, n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(self.path.tmp.display(), e)),
            }
        }
        self.pending.clear();
        self.pending_bytes = 0;
        Ok(())
    }

    /// Another handle on the file, for [`Staging::flush_while_writing`].
    fn handle(&self) -> Result<File> {
        self.file.try_clone().map_err(|e| Error::io(self.path.tmp.display(), e))
    }

    /// Writes what is pending and closes the temporary file.
    fn close(mut self) -> Result<AtomicPath> {
        self.flush()?;
        Ok(self.path)
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
            Table::create(&staging, entities.0, entities.1)?,
            Table::create(&staging, events.0, events.1)?,
            Table::create(&staging, documents.0, documents.1)?,
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
        entities.append(rows.entities)?;
        events.append(rows.events)?;
        if let Some(d) = document {
            documents.append(self.encoding.rows(&[d]))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows gathered past several batches, a batch ending exactly at the
    /// limit, and empty buffers come out whole and in order.
    #[test]
    fn appended_buffers_are_written_whole_and_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::new(&dir.path().join("out")).unwrap();
        let mut table = Table::create(&staging, "t.csv", b"head\n".to_vec()).unwrap();
        let mut expected = b"head\n".to_vec();
        let sizes = [0, 1, 7, BATCH - 8, 5000, BATCH, 0, 3 * BATCH + 17, 1, 64 << 10, 9];
        for (i, n) in sizes.into_iter().enumerate() {
            let bytes: Vec<u8> = (0..n).map(|k| b'a' + ((i * 7 + k) % 26) as u8).collect();
            expected.extend_from_slice(&bytes);
            table.append(bytes).unwrap();
        }
        let path = table.close().unwrap();
        assert_eq!(std::fs::read(&path.tmp).unwrap(), expected);
    }
}
