//! `extract --stream`: one JSON object per article on a writer (standard
//! output), `{"document": {..}, "entities": [..], "events": [..]}`, in
//! input order, with the fields of the CSV tables. Flushed after every
//! batch, so a consumer (a Spark `RDD.pipe`, a shell pipeline) gets
//! results while input is still arriving. Values are exact, as in JSON
//! Lines output.

use std::io::Write;

use serde::Serialize;

use super::{DocumentRow, EntityRow, EventRow, Rows, Sink};
use crate::error::{Error, Result};

#[derive(Serialize)]
struct Line<'a> {
    document: Option<&'a DocumentRow>,
    entities: &'a [EntityRow],
    events: &'a [EventRow],
}

/// Writes each document's rows as one JSON line.
pub struct StreamSink<W: Write> {
    out: W,
}

impl<W: Write> StreamSink<W> {
    pub fn new(out: W) -> Self {
        StreamSink { out }
    }
}

fn io(e: std::io::Error) -> Error {
    Error::io("standard output", e)
}

impl<W: Write> Sink for StreamSink<W> {
    fn write(&mut self, rows: Rows, document: Option<DocumentRow>) -> Result<()> {
        let Rows::Values { entities, events } = rows else {
            unreachable!("a sink without an encoding gets rows as values")
        };
        let line = Line { document: document.as_ref(), entities: &entities, events: &events };
        serde_json::to_writer(&mut self.out, &line).map_err(|e| io(e.into()))?;
        self.out.write_all(b"\n").map_err(io)
    }

    fn batch_done(&mut self) -> Result<()> {
        self.out.flush().map_err(io)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.out.flush().map_err(io)
    }
}
