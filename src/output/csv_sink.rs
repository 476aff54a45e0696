//! Writes the three tables as CSV, atomically: rows stream into temporary
//! files in the output folder, which are renamed over the final names only
//! when the run completes. An interrupted run leaves the previous tables
//! untouched (and at most a stray `.tmp` file, removed by the next run).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::{DocumentRow, EntityRow, EventRow};
use crate::error::{Error, Result};

/// How cells are written.
#[derive(Debug, Clone, Copy, Default)]
pub struct SinkOptions {
    /// Leave formula-like cells as they are (`--raw-cells`).
    pub raw_cells: bool,
    /// Start each file with a UTF-8 byte-order mark (`--bom`), which older
    /// Excel versions need to read UTF-8.
    pub bom: bool,
}

struct Table {
    tmp: PathBuf,
    dest: PathBuf,
    writer: csv::Writer<BufWriter<File>>,
}

impl Table {
    fn create(dir: &Path, name: &str, header: &[&str], opts: SinkOptions) -> Result<Table> {
        let dest = dir.join(name);
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(|e| Error::io(tmp.display(), e))?;
        let mut buf = BufWriter::with_capacity(1 << 16, file);
        if opts.bom {
            use std::io::Write;
            buf.write_all(b"\xEF\xBB\xBF").map_err(|e| Error::io(tmp.display(), e))?;
        }
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(buf);
        writer.write_record(header)?;
        Ok(Table { tmp, dest, writer })
    }

    fn finish(self) -> Result<()> {
        let Table { tmp, dest, writer } = self;
        let buf = writer.into_inner().map_err(|e| Error::io(tmp.display(), e.into_error()))?;
        let file = buf.into_inner().map_err(|e| Error::io(tmp.display(), e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(tmp.display(), e))?;
        std::fs::rename(&tmp, &dest).map_err(|e| Error::io(dest.display(), e))
    }
}

/// The three CSV tables of one run.
pub struct CsvSink {
    entities: Table,
    events: Table,
    documents: Table,
    opts: SinkOptions,
}

pub const ENTITY_HEADER: &[&str] =
    &["doc", "sentence", "start", "end", "type", "text", "canonical", "code", "country", "source"];
pub const EVENT_HEADER: &[&str] = &[
    "doc",
    "sentence",
    "date",
    "date_text",
    "source",
    "source_code",
    "code",
    "label",
    "target",
    "target_code",
    "quad_class",
    "goldstein",
    "mentions",
    "trigger",
    "rule",
    "evidence",
];
pub const DOCUMENT_HEADER: &[&str] =
    &["doc", "bytes", "sentences", "dct", "dct_source", "entities", "events", "status", "message"];

impl CsvSink {
    /// Creates the output folder and the temporary tables in it.
    pub fn create(dir: &Path, opts: SinkOptions) -> Result<CsvSink> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
        remove_stale_tmp(dir);
        Ok(CsvSink {
            entities: Table::create(dir, "entities.csv", ENTITY_HEADER, opts)?,
            events: Table::create(dir, "events.csv", EVENT_HEADER, opts)?,
            documents: Table::create(dir, "documents.csv", DOCUMENT_HEADER, opts)?,
            opts,
        })
    }

    pub fn entity(&mut self, mut row: EntityRow) -> Result<()> {
        if !self.opts.raw_cells {
            row.neutralise();
        }
        Ok(self.entities.writer.serialize(row)?)
    }

    pub fn event(&mut self, mut row: EventRow) -> Result<()> {
        if !self.opts.raw_cells {
            row.neutralise();
        }
        Ok(self.events.writer.serialize(row)?)
    }

    pub fn document(&mut self, mut row: DocumentRow) -> Result<()> {
        if !self.opts.raw_cells {
            row.neutralise();
        }
        Ok(self.documents.writer.serialize(row)?)
    }

    /// Flushes, syncs and renames the tables into place.
    pub fn finish(self) -> Result<()> {
        self.entities.finish()?;
        self.events.finish()?;
        self.documents.finish()
    }
}

/// Removes `.NAME.PID.tmp` files left by an interrupted run.
fn remove_stale_tmp(dir: &Path) {
    let Ok(read) = std::fs::read_dir(dir) else { return };
    for e in read.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = ["entities.csv", "events.csv", "documents.csv"]
            .iter()
            .any(|t| name.starts_with(&format!(".{t}.")) && name.ends_with(".tmp"));
        if ours {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
