//! Runs the date tagger over a folder of plain texts written by
//! `eval_timex.py totext` (one `<doc>.txt` per document plus `doc-dates.csv`
//! giving each document's creation date) and writes the CSV that
//! `eval_timex.py score` reads: `doc,start,end,value,type,text`.
//!
//! Usage: cargo run --release --example timex -- TEXT_DIR [OUT.csv]

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use gazette::dates::{DateOptions, DateTagger, TimexKind};

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = Path::new(args.first().map_or("/tmp/te3txt", String::as_str));
    let mut dcts: BTreeMap<String, Option<NaiveDate>> = BTreeMap::new();
    let list = fs::read_to_string(dir.join("doc-dates.csv"))?;
    for line in list.lines().skip(1) {
        let mut cols = line.splitn(2, ',');
        let (Some(doc), Some(date)) = (cols.next(), cols.next()) else {
            continue;
        };
        dcts.insert(
            doc.trim().to_string(),
            NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok(),
        );
    }
    let tagger = DateTagger::new(DateOptions::default());
    let mut out: Box<dyn Write> = match args.get(1) {
        Some(p) => Box::new(io::BufWriter::new(fs::File::create(p)?)),
        None => Box::new(io::BufWriter::new(io::stdout())),
    };
    writeln!(out, "doc,start,end,value,type,rule,text")?;
    let (mut bytes, mut n) = (0usize, 0usize);
    let t0 = Instant::now();
    for (doc, dct) in &dcts {
        let text = fs::read_to_string(dir.join(doc))?;
        bytes += text.len();
        for t in tagger.tag(&text, *dct) {
            n += 1;
            let kind = match t.kind {
                TimexKind::Date => "DATE",
                TimexKind::Time => "TIME",
                TimexKind::Duration => "DURATION",
                TimexKind::Set => "SET",
            };
            writeln!(
                out,
                "{},{},{},{},{},{},{}",
                csv_field(doc),
                t.start,
                t.end,
                csv_field(&t.value),
                kind,
                csv_field(t.rule),
                csv_field(&text[t.start..t.end]),
            )?;
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "{} documents, {bytes} bytes, {n} expressions in {secs:.3}s ({:.2} MB/s)",
        dcts.len(),
        bytes as f64 / secs / 1e6
    );
    Ok(())
}
