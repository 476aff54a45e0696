//! Writes the three tables as JSON Lines (`entities.jsonl`, `events.jsonl`,
//! `documents.jsonl`): one JSON object per row, with the CSV's columns as
//! keys in the same order, numbers as JSON numbers. Values are exact (no
//! spreadsheet neutralising: JSON is read by programs). Atomic like the CSV.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use super::atomic::{AtomicPath, Staging};
use super::Sink;
use crate::error::{Error, Result};
use crate::pipeline::DocResult;

struct Table {
    path: AtomicPath,
    writer: BufWriter<File>,
}

impl Table {
    fn create(staging: &Staging, name: &str) -> Result<Table> {
        let path = staging.file(name);
        let writer = BufWriter::with_capacity(1 << 16, path.create()?);
        Ok(Table { path, writer })
    }

    fn row(&mut self, row: &impl Serialize) -> Result<()> {
        let io = |e: std::io::Error| Error::io(self.path.tmp.display(), e);
        serde_json::to_writer(&mut self.writer, row).map_err(|e| io(e.into()))?;
        self.writer.write_all(b"\n").map_err(io)
    }

    /// Another handle on the file, for [`Staging::flush_while_writing`].
    fn handle(&self) -> Result<File> {
        let file = self.writer.get_ref();
        file.try_clone().map_err(|e| Error::io(self.path.tmp.display(), e))
    }

    /// Flushes and closes the temporary file.
    fn close(self) -> Result<AtomicPath> {
        let Table { path, writer } = self;
        writer.into_inner().map_err(|e| Error::io(path.tmp.display(), e.into_error()))?;
        Ok(path)
    }
}

/// The three JSON Lines tables of one run.
pub struct JsonlSink {
    staging: Staging,
    entities: Table,
    events: Table,
    documents: Table,
}

impl JsonlSink {
    pub fn create(dir: &Path) -> Result<JsonlSink> {
        let mut staging = Staging::new(dir)?;
        let entities = Table::create(&staging, "entities.jsonl")?;
        let events = Table::create(&staging, "events.jsonl")?;
        let documents = Table::create(&staging, "documents.jsonl")?;
        staging.flush_while_writing(vec![
            entities.handle()?,
            events.handle()?,
            documents.handle()?,
        ]);
        Ok(JsonlSink { staging, entities, events, documents })
    }
}

impl Sink for JsonlSink {
    fn write(&mut self, r: DocResult) -> Result<()> {
        for e in &r.entities {
            self.entities.row(e)?;
        }
        for e in &r.events {
            self.events.row(e)?;
        }
        if let Some(d) = &r.document {
            self.documents.row(d)?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let JsonlSink { staging, entities, events, documents } = *self;
        staging.publish(vec![entities.close()?, events.close()?, documents.close()?])
    }
}
