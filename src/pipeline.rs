//! The pipeline: one pure function per document ([`process`]) over shared,
//! read-only [`Resources`], and [`run`], the only place with parallelism.
//! `run` takes documents in batches, processes each batch in parallel
//! (rayon keeps input order), then hands the rows to the sink in order, so
//! output is identical for any thread count and memory stays bounded by
//! the batch, not the corpus.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::dates::{self, DateOptions, DateTagger, TimexKind};
use crate::error::{Diagnostic, Error, Result};
use crate::events::{self, DateRef, EventCoder};
use crate::gazetteer::{self, SourceFile};
use crate::input::{self, Article, Failure, Source, Unreadable};
use crate::output::{DocumentRow, EntityRow, EventRow, Sink};
use crate::tag::{EntityType, Mention, Tagger};
use crate::text;

/// Everything compiled once and shared by all documents.
#[derive(Debug, Clone)]
pub struct Resources {
    pub tagger: Tagger,
    pub dates: DateTagger,
    pub coder: EventCoder,
}

impl Resources {
    /// Loads the bundled gazetteers plus the user's folders. Returns the
    /// resources and every diagnostic; fails when any is an error.
    pub fn load(
        user_dirs: &[PathBuf],
        date_options: DateOptions,
    ) -> Result<(Resources, Vec<Diagnostic>)> {
        let mut sources = gazetteer::bundled_sources();
        for (i, dir) in user_dirs.iter().enumerate() {
            sources.extend(gazetteer::folder_sources(dir, i + 1)?);
        }
        Resources::from_sources(&sources, date_options)
    }

    /// Builds resources from already-read files.
    pub fn from_sources(
        sources: &[SourceFile],
        date_options: DateOptions,
    ) -> Result<(Resources, Vec<Diagnostic>)> {
        let (res, diags) = Resources::check(sources, date_options);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Error::Gazetteer(diags));
        }
        Ok((res, diags))
    }

    /// Builds resources whatever the diagnostics (for `check`).
    pub fn check(
        sources: &[SourceFile],
        date_options: DateOptions,
    ) -> (Resources, Vec<Diagnostic>) {
        let loaded = gazetteer::load_sources(sources);
        let (lexicon, lex_diags) = events::lexicon::load(sources);
        let mut diags = loaded.diagnostics;
        diags.extend(lex_diags);
        diags.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        let res = Resources {
            tagger: Tagger::new(loaded.gazetteer),
            dates: DateTagger::new(date_options),
            coder: EventCoder::new(lexicon),
        };
        (res, diags)
    }
}

/// Where a document's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DctSource {
    Header,
    DocDates,
    Flag,
    /// A saved page's metadata (`article:published_time`, JSON-LD, `<time>`).
    HtmlMeta,
    /// A JSON line's `date`.
    Jsonl,
    None,
}

impl DctSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DctSource::Header => "header",
            DctSource::DocDates => "doc-dates",
            DctSource::Flag => "flag",
            DctSource::HtmlMeta => "html-meta",
            DctSource::Jsonl => "jsonl",
            DctSource::None => "none",
        }
    }
}

/// Per-run settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--doc-dates`: publication dates by `doc`.
    pub doc_dates: HashMap<String, NaiveDate>,
    /// `--dct`: one date for every document without a better one.
    pub dct: Option<NaiveDate>,
    /// Files larger than this are skipped.
    pub max_file_size: u64,
    /// Also write the temporal expressions that are not calendar dates:
    /// times of day, durations ("three years", P3Y), sets ("weekly") and
    /// vague references ("now": PRESENT_REF) and centuries. By default
    /// entities.csv holds calendar dates only.
    pub all_timex: bool,
}

/// Everything one document produced.
#[derive(Debug, Clone, Default)]
pub struct DocResult {
    pub entities: Vec<EntityRow>,
    pub events: Vec<EventRow>,
    pub document: Option<DocumentRow>,
}

/// The tags and events of one text, before they become rows.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub sentences: Vec<text::Span>,
    pub mentions: Vec<Mention>,
    pub events: Vec<events::Event>,
    pub dct: Option<NaiveDate>,
    pub dct_source: DctSource,
}

/// Picks the document date: `--doc-dates` entry, else the date given
/// with the article (page metadata, the JSON line's `date`), else the
/// article's own date line, else `--dct`.
pub fn document_date(article: &Article, opts: &Options) -> (Option<NaiveDate>, DctSource) {
    if let Some(d) = opts.doc_dates.get(&article.doc) {
        return (Some(*d), DctSource::DocDates);
    }
    if let Some((d, source)) = article.published {
        return (Some(d), source);
    }
    if let Some(d) = dates::detect_document_date(&article.text) {
        return (Some(d.date), DctSource::Header);
    }
    match opts.dct {
        Some(d) => (Some(d), DctSource::Flag),
        None => (None, DctSource::None),
    }
}

/// Tags and codes one text at a known document date.
pub fn analyse(
    text: &str,
    res: &Resources,
    dct: Option<NaiveDate>,
    dct_source: DctSource,
    explain: Option<&mut Vec<events::Explanation>>,
) -> Analysis {
    let sentences = text::sentences(text);
    let mut mentions = res.tagger.tag(text, &sentences, dct);
    let timexes = res.dates.tag(text, dct);
    let date_refs: Vec<DateRef> = timexes
        .iter()
        .filter(|t| matches!(t.kind, TimexKind::Date | TimexKind::Time))
        .map(|t| DateRef { start: t.start, end: t.end, value: t.value.clone() })
        .collect();
    let events = res.coder.code(text, &sentences, &mentions, &date_refs, dct, explain);
    // Dates join the entity list where no name already stands.
    let mut taken: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
    taken.sort_unstable();
    for t in timexes {
        let i = taken.partition_point(|&(s, _)| s < t.end);
        let overlaps = i > 0 && taken[i - 1].1 > t.start;
        if overlaps {
            continue;
        }
        mentions.push(Mention {
            start: t.start,
            end: t.end,
            kind: EntityType::Date,
            canonical: t.value,
            code: timex_kind(t.kind).to_string(),
            country: String::new(),
            actor: String::new(),
            role: String::new(),
            form: crate::tag::Form::Other,
            source: format!("rule:date ({})", t.rule),
        });
    }
    // The article's own date line is its date, not a time of day.
    if dct_source == DctSource::Header {
        if let (Some(h), Some(d)) = (dates::detect_document_date(text), dct) {
            let line_start = text[..h.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[h.end..].find('\n').map_or(text.len(), |i| h.end + i);
            let on_line = |m: &Mention| {
                m.kind == EntityType::Date && m.start < line_end && line_start < m.end
            };
            // Its clock time ("at 13:23 IST") is not a date an analyst wants.
            mentions.retain(|m| {
                !(on_line(m) && m.code == "TIME" && !(m.start < h.end && h.start < m.end))
            });
            for m in
                mentions.iter_mut().filter(|m| on_line(m) && m.start < h.end && h.start < m.end)
            {
                m.canonical = d.format("%Y-%m-%d").to_string();
                m.code = "DATE".into();
            }
        }
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    Analysis { sentences, mentions, events, dct, dct_source }
}

fn timex_kind(k: TimexKind) -> &'static str {
    match k {
        TimexKind::Date => "DATE",
        TimexKind::Time => "TIME",
        TimexKind::Duration => "DURATION",
        TimexKind::Set => "SET",
    }
}

/// Whether a date mention goes to entities.csv under `opts`.
fn date_wanted(m: &Mention, opts: &Options) -> bool {
    // Centuries ("20") are as vague as "the past" for dating an event.
    let century = m.canonical.len() == 2 && m.canonical.bytes().all(|b| b.is_ascii_digit());
    opts.all_timex || (m.code == "DATE" && !m.canonical.ends_with("_REF") && !century)
}

/// Turns one article into rows.
pub fn process_text(article: &Article, res: &Resources, opts: &Options) -> DocResult {
    let (dct, dct_source) = document_date(article, opts);
    let (doc, text) = (article.doc.as_str(), article.text.as_str());
    let a = analyse(text, res, dct, dct_source, None);
    let entities: Vec<EntityRow> = a
        .mentions
        .iter()
        .filter(|m| m.kind != EntityType::Date || date_wanted(m, opts))
        .map(|m| EntityRow {
            doc: doc.to_string(),
            sentence: text::sentence_of(&a.sentences, m.start),
            start: m.start,
            end: m.end,
            kind: m.kind.as_str(),
            text: text[m.start..m.end].to_string(),
            canonical: m.canonical.clone(),
            code: m.code.clone(),
            country: m.country.clone(),
            source: m.source.clone(),
        })
        .collect();
    let events: Vec<EventRow> = a
        .events
        .into_iter()
        .map(|e| EventRow {
            doc: doc.to_string(),
            sentence: e.sentence,
            date: e.date,
            date_text: e.date_text,
            source: e.source,
            source_code: e.source_code,
            code: e.code,
            label: e.label,
            target: e.target,
            target_code: e.target_code,
            quad_class: e.quad_class,
            goldstein: e.goldstein,
            mentions: e.mentions,
            trigger: e.trigger,
            rule: e.rule,
            evidence: e.evidence,
        })
        .collect();
    let document = DocumentRow {
        doc: doc.to_string(),
        bytes: article.bytes,
        sentences: a.sentences.len(),
        dct: dct.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        dct_source: dct_source.as_str(),
        entities: entities.len(),
        events: events.len(),
        status: "ok",
        message: article.note.clone(),
        title: article.title.clone(),
        url: article.url.clone(),
    };
    DocResult { entities, events, document: Some(document) }
}

/// Reads and processes one source (a file, a JSON line). Never fails: a
/// source that cannot be read gives a `documents.csv` row saying why.
pub fn process(source: &Source, res: &Resources, opts: &Options) -> DocResult {
    match input::load(source, opts.max_file_size) {
        Ok(article) => process_text(&article, res, opts),
        Err(Failure { doc, bytes, why }) => {
            let (status, message) = match why {
                Unreadable::Skipped(m) => ("skipped", m),
                Unreadable::Error(m) => ("error", m),
            };
            DocResult {
                document: Some(DocumentRow {
                    doc,
                    bytes,
                    sentences: 0,
                    dct: String::new(),
                    dct_source: DctSource::None.as_str(),
                    entities: 0,
                    events: 0,
                    status,
                    message,
                    title: String::new(),
                    url: String::new(),
                }),
                ..Default::default()
            }
        }
    }
}

/// Counts for the closing summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub documents: usize,
    pub ok: usize,
    pub skipped: usize,
    pub errors: usize,
    pub entities: usize,
    pub events: usize,
    pub bytes: u64,
    pub seconds: f64,
}

/// Called after each batch with (documents done, bytes done).
pub type Progress<'a> = &'a (dyn Fn(usize, u64) + Sync);
/// Called for each document that was skipped or failed.
pub type Report<'a> = &'a mut dyn FnMut(&DocumentRow);

/// Processes `sources` in parallel and hands the rows to `sink` in input
/// order. Sources are taken in batches: while one batch is processed on
/// the pool, the next is read (from disk or standard input), so memory is
/// bounded by two batches, not the corpus.
pub fn run(
    sources: impl Iterator<Item = Source> + Send,
    res: &Resources,
    opts: &Options,
    mut sink: Box<dyn Sink + '_>,
    progress: Progress,
    report: Report,
) -> Result<Summary> {
    let started = Instant::now();
    let mut summary = Summary::default();
    // Batches bound memory: at most this many documents' rows are held.
    let batch = (rayon::current_num_threads() * 16).max(16);
    let mut sources = sources;
    let mut chunk: Vec<Source> = sources.by_ref().take(batch).collect();
    while !chunk.is_empty() {
        let (results, next) = rayon::join(
            || chunk.par_iter().map(|s| process(s, res, opts)).collect::<Vec<DocResult>>(),
            || sources.by_ref().take(batch).collect::<Vec<Source>>(),
        );
        for r in results {
            summary.entities += r.entities.len();
            summary.events += r.events.len();
            if let Some(d) = &r.document {
                summary.documents += 1;
                summary.bytes += d.bytes;
                match d.status {
                    "ok" => summary.ok += 1,
                    "skipped" => summary.skipped += 1,
                    _ => summary.errors += 1,
                }
                if d.status != "ok" {
                    report(d);
                }
            }
            sink.write(r)?;
        }
        sink.batch_done()?;
        progress(summary.documents, summary.bytes);
        chunk = next;
    }
    sink.finish()?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Reads a `--doc-dates` CSV (`doc,date`); problems name the line.
pub fn read_doc_dates(path: &Path) -> Result<HashMap<String, NaiveDate>> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| Error::Input {
        path: path.display().to_string(),
        line: 0,
        message: e.to_string(),
    })?;
    let headers = rdr.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(dc), Some(dd)) = (col("doc"), col("date")) else {
        return Err(Error::Input {
            path: path.display().to_string(),
            line: 1,
            message: "the header must have columns doc and date".into(),
        });
    };
    let mut out = HashMap::new();
    for rec in rdr.records() {
        let rec = rec?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let doc = rec.get(dc).unwrap_or("").trim();
        let date = rec.get(dd).unwrap_or("").trim();
        let date = date.get(..10).unwrap_or(date);
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| Error::Input {
            path: path.display().to_string(),
            line,
            message: format!("\"{date}\" is not a date (YYYY-MM-DD)"),
        })?;
        out.insert(doc.to_string(), d);
    }
    Ok(out)
}
