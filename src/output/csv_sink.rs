//! Writes the three tables as CSV (RFC 4180, UTF-8, `\n` line ends, a
//! header row), atomically (see [`super::atomic`]).
//!
//! Spreadsheet safety: unless `--raw-cells`, a text cell starting with
//! `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` ([`super::neutralise`]).
//!
//! Byte-order mark: none by default, because most tools (pandas, R, Python's
//! `csv`, `cut`) read UTF-8 without one and some show it as part of the
//! first column name. `--bom` starts each file with the three bytes
//! `EF BB BF`, which makes Excel (before 2016's "CSV UTF-8" support)
//! open the file as UTF-8 instead of the local code page; pandas and
//! LibreOffice skip it.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::atomic::{AtomicPath, Staging};
use super::{Sink, SinkOptions, DOCUMENT_HEADER, ENTITY_HEADER, EVENT_HEADER};
use crate::error::{Error, Result};
use crate::pipeline::DocResult;

struct Table {
    path: AtomicPath,
    writer: csv::Writer<BufWriter<File>>,
}

impl Table {
    fn create(staging: &Staging, name: &str, header: &[&str], opts: SinkOptions) -> Result<Table> {
        let path = staging.file(name);
        let mut buf = BufWriter::with_capacity(1 << 16, path.create()?);
        if opts.bom {
            buf.write_all(b"\xEF\xBB\xBF").map_err(|e| Error::io(path.tmp.display(), e))?;
        }
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(buf);
        writer.write_record(header)?;
        Ok(Table { path, writer })
    }

    /// Another handle on the file, for [`Staging::flush_while_writing`].
    fn handle(&self) -> Result<File> {
        let file = self.writer.get_ref().get_ref();
        file.try_clone().map_err(|e| Error::io(self.path.tmp.display(), e))
    }

    /// Flushes and closes the temporary file.
    fn close(self) -> Result<AtomicPath> {
        let Table { path, writer } = self;
        let buf = writer.into_inner().map_err(|e| Error::io(path.tmp.display(), e.into_error()))?;
        buf.into_inner().map_err(|e| Error::io(path.tmp.display(), e.into_error()))?;
        Ok(path)
    }
}

/// The three CSV tables of one run.
pub struct CsvSink {
    staging: Staging,
    entities: Table,
    events: Table,
    documents: Table,
    opts: SinkOptions,
}

impl CsvSink {
    /// Creates the output folder and the tables, unpublished.
    pub fn create(dir: &Path, opts: SinkOptions) -> Result<CsvSink> {
        let mut staging = Staging::new(dir)?;
        let entities = Table::create(&staging, "entities.csv", ENTITY_HEADER, opts)?;
        let events = Table::create(&staging, "events.csv", EVENT_HEADER, opts)?;
        let documents = Table::create(&staging, "documents.csv", DOCUMENT_HEADER, opts)?;
        staging.flush_while_writing(vec![
            entities.handle()?,
            events.handle()?,
            documents.handle()?,
        ]);
        Ok(CsvSink { staging, entities, events, documents, opts })
    }
}

impl Sink for CsvSink {
    fn write(&mut self, mut r: DocResult) -> Result<()> {
        if !self.opts.raw_cells {
            r.neutralise();
        }
        for e in &r.entities {
            self.entities.writer.serialize(e)?;
        }
        for e in &r.events {
            self.events.writer.serialize(e)?;
        }
        if let Some(d) = &r.document {
            self.documents.writer.serialize(d)?;
        }
        Ok(())
    }

    /// Flushes the tables and publishes them together.
    fn finish(self: Box<Self>) -> Result<()> {
        let CsvSink { staging, entities, events, documents, .. } = *self;
        staging.publish(vec![entities.close()?, events.close()?, documents.close()?])
    }
}
