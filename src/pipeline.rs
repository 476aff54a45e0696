//! The pipeline: one pure function per document ([`process`]) over shared,
//! read-only [`Resources`], and [`run`], the only place with parallelism.
//! `run` takes documents in batches, processes each batch in parallel
//! (rayon keeps input order), then hands the rows to the sink in order, so
//! output is identical for any thread count and memory stays bounded by
//! the batch, not the corpus. A text file larger than
//! [`Options::part_size`] is read and processed in parts
//! ([`crate::input::parts`]), its rows written part by part, so memory is
//! bounded by the part size, not the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::dates::{self, DateOptions, DateTagger, TimexKind};
use crate::error::{Diagnostic, Error, Result};
use crate::events::{self, DateRef, EventCoder};
use crate::gazetteer::{self, SourceFile};
use crate::input::{self, Article, Failure, Format, InputFile, Source, Unreadable};
use crate::output::{DocumentRow, EntityRow, EventRow, Sink};
use crate::tag::{EntityType, Matcher, Mention, Tagger};
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
        timed("start-up (Resources::load)", || {
            let mut sources = gazetteer::bundled_sources();
            for (i, dir) in user_dirs.iter().enumerate() {
                sources.extend(timed("read gazetteer folder", || {
                    gazetteer::folder_sources(dir, i + 1)
                })?);
            }
            Resources::from_sources(&sources, date_options)
        })
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
        // The gazetteers and the date grammar do not depend on each other,
        // nor the checks across gazetteer entries (which only report) and
        // the matcher: each pair is built side by side.
        let ((tagger, mut diags), (dates, (lexicon, lex_diags))) = rayon::join(
            || {
                let loaded = timed("gazetteers", || gazetteer::layer_sources(sources));
                let gaz = loaded.gazetteer;
                let (cross, matcher) = rayon::join(
                    || timed("cross-entry checks", || gazetteer::cross_check(&gaz)),
                    || timed("matcher", || Matcher::new(&gaz)),
                );
                let mut diags = loaded.diagnostics;
                diags.extend(cross);
                (timed("tag rules", || Tagger::with_matcher(gaz, matcher)), diags)
            },
            || {
                let dates = timed("date grammar", || DateTagger::new(date_options));
                (dates, timed("event lexicon", || events::lexicon::load(sources)))
            },
        );
        diags.extend(lex_diags);
        diags.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        let res = Resources { tagger, dates, coder: EventCoder::new(lexicon) };
        (res, diags)
    }
}

/// Runs `f`; with the environment variable `GAZETTE_TIMINGS` set, also
/// prints how long it took to standard error (for profiling start-up).
pub fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("GAZETTE_TIMINGS").is_some()) {
        return f();
    }
    let started = Instant::now();
    let out = f();
    eprintln!("timing: {what}: {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    out
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

/// The default `--max-file-size`: 4 GiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 << 30;
/// The default [`Options::part_size`]: 8 MiB.
pub const DEFAULT_PART_SIZE: usize = 8 << 20;

/// Per-run settings.
#[derive(Debug, Clone)]
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
    /// Text files larger than this (in bytes) are processed in parts of
    /// about this size, cut at line breaks. Each part is tagged on its own:
    /// a surname-only mention refers back to a full name in the same part
    /// only, and an event repeated in two parts gives two rows.
    pub part_size: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            doc_dates: HashMap::new(),
            dct: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            all_timex: false,
            part_size: DEFAULT_PART_SIZE,
        }
    }
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
            agent: String::new(),
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

/// The entity and event rows of one analysed text.
fn rows(doc: &str, text: &str, a: Analysis, opts: &Options) -> (Vec<EntityRow>, Vec<EventRow>) {
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
            source_agent: e.source_agent,
            code: e.code,
            label: e.label,
            target: e.target,
            target_code: e.target_code,
            target_agent: e.target_agent,
            quad_class: e.quad_class,
            goldstein: e.goldstein,
            mentions: e.mentions,
            trigger: e.trigger,
            rule: e.rule,
            evidence: e.evidence,
        })
        .collect();
    (entities, events)
}

/// Turns one article into rows.
pub fn process_text(article: &Article, res: &Resources, opts: &Options) -> DocResult {
    let (dct, dct_source) = document_date(article, opts);
    let (doc, text) = (article.doc.as_str(), article.text.as_str());
    let a = analyse(text, res, dct, dct_source, None);
    let sentences = a.sentences.len();
    let (entities, events) = rows(doc, text, a, opts);
    let document = DocumentRow {
        doc: doc.to_string(),
        bytes: article.bytes,
        sentences,
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

/// Whether `source` is a text file to be read in parts (larger than the
/// part size, within `--max-file-size`).
fn in_parts(source: &Source, opts: &Options) -> bool {
    let Source::File(f) = source else { return false };
    if f.problem.is_some() || f.is_stdin() || input::format_of(&f.path) != Some(Format::Text) {
        return false;
    }
    std::fs::metadata(&f.path).is_ok_and(|m| {
        m.is_file() && m.len() > opts.part_size as u64 && m.len() <= opts.max_file_size
    })
}

/// Processes a large text file part by part (see [`Options::part_size`]),
/// handing each part's rows to `emit` as soon as they are made, then the
/// document's row. The parts of one round are processed in parallel, one
/// per thread. Offsets are into the whole decoded file, sentences are
/// numbered across parts, and the document date is found in the first part.
pub fn process_in_parts(
    file: &InputFile,
    res: &Resources,
    opts: &Options,
    emit: &mut dyn FnMut(DocResult) -> Result<()>,
) -> Result<()> {
    let mut parts = match input::parts::parts(&file.path, opts.part_size) {
        Ok(p) => p,
        Err(why) => {
            let size = std::fs::metadata(&file.path).map_or(0, |m| m.len());
            let bytes = if matches!(why, Unreadable::Skipped(_)) { size } else { 0 };
            return emit(failed(Failure { doc: file.doc.clone(), bytes, why }));
        }
    };
    let doc = file.doc.as_str();
    let mut date = None;
    let (mut sentences, mut entities, mut events, mut count) = (0, 0, 0, 0);
    let mut error = None;
    let round = rayon::current_num_threads().max(1);
    loop {
        let mut group = vec![];
        while group.len() < round && error.is_none() {
            match parts.next() {
                Some(Ok(p)) => group.push(p),
                Some(Err(e)) => error = Some(e),
                None => break,
            }
        }
        if group.is_empty() {
            break;
        }
        let (dct, dct_source) = *date.get_or_insert_with(|| {
            let first = Article::from_text(doc, std::mem::take(&mut group[0].text));
            let date = document_date(&first, opts);
            group[0].text = first.text;
            date
        });
        let first = count == 0;
        let results: Vec<(usize, Vec<EntityRow>, Vec<EventRow>)> = group
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                // The date line is at the top of the first part only.
                let source = match dct_source {
                    DctSource::Header if !(first && i == 0) => DctSource::Flag,
                    s => s,
                };
                let a = analyse(&p.text, res, dct, source, None);
                let n = a.sentences.len();
                let (e, v) = rows(doc, &p.text, a, opts);
                (n, e, v)
            })
            .collect();
        for (p, (n, mut e, mut v)) in group.iter().zip(results) {
            for row in &mut e {
                row.start += p.base;
                row.end += p.base;
                row.sentence += sentences;
            }
            for row in &mut v {
                row.sentence += sentences;
            }
            sentences += n;
            entities += e.len();
            events += v.len();
            count += 1;
            emit(DocResult { entities: e, events: v, document: None })?;
        }
    }
    let (dct, dct_source) = date.unwrap_or((None, DctSource::None));
    let mut message = parts.note();
    let read = format!("read in {count} parts of about {} bytes", opts.part_size);
    message = if message.is_empty() { read } else { format!("{message}; {read}") };
    let status = match error {
        Some(e) => {
            message = format!("{e} ({message})");
            "error"
        }
        None => "ok",
    };
    emit(DocResult {
        document: Some(DocumentRow {
            doc: doc.to_string(),
            bytes: parts.bytes,
            sentences,
            dct: dct.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            dct_source: dct_source.as_str(),
            entities,
            events,
            status,
            message,
            title: String::new(),
            url: String::new(),
        }),
        ..Default::default()
    })
}

/// The result of a source that gave no article.
fn failed(Failure { doc, bytes, why }: Failure) -> DocResult {
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

/// Reads and processes one source (a file, a JSON line). Never fails: a
/// source that cannot be read gives a `documents.csv` row saying why.
pub fn process(source: &Source, res: &Resources, opts: &Options) -> DocResult {
    match input::load(source, opts.max_file_size) {
        Ok(article) => process_text(&article, res, opts),
        Err(failure) => failed(failure),
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
/// bounded by two batches, not the corpus. A large text file is a batch
/// of its own, processed in parts ([`process_in_parts`]).
pub fn run(
    sources: impl Iterator<Item = Source> + Send,
    res: &Resources,
    opts: &Options,
    sink: Box<dyn Sink + '_>,
    progress: Progress,
    report: Report,
) -> Result<Summary> {
    let started = Instant::now();
    let mut out = Out { sink, summary: Summary::default(), report };
    // Batches bound memory: at most this many documents' rows are held.
    let size = (rayon::current_num_threads() * 16).max(16);
    let mut sources = sources.peekable();
    let mut batch = next_batch(&mut sources, size, opts);
    loop {
        let next = match batch {
            Batch::Whole(v) if v.is_empty() => break,
            Batch::Whole(v) => {
                let (results, next) = rayon::join(
                    || v.par_iter().map(|s| process(s, res, opts)).collect::<Vec<DocResult>>(),
                    || next_batch(&mut sources, size, opts),
                );
                for r in results {
                    out.write(r)?;
                }
                next
            }
            Batch::InParts(Source::File(file)) => {
                process_in_parts(&file, res, opts, &mut |r| out.write(r))?;
                next_batch(&mut sources, size, opts)
            }
            Batch::InParts(other) => {
                out.write(process(&other, res, opts))?;
                next_batch(&mut sources, size, opts)
            }
        };
        out.sink.batch_done()?;
        progress(out.summary.documents, out.summary.bytes);
        batch = next;
    }
    let Out { sink, mut summary, .. } = out;
    sink.finish()?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// What [`run`] takes from the sources at a time.
enum Batch {
    /// Sources processed whole, in parallel (empty at the end).
    Whole(Vec<Source>),
    /// A large text file.
    InParts(Source),
}

fn next_batch<I: Iterator<Item = Source>>(
    sources: &mut std::iter::Peekable<I>,
    size: usize,
    opts: &Options,
) -> Batch {
    if let Some(large) = sources.next_if(|s| in_parts(s, opts)) {
        return Batch::InParts(large);
    }
    let mut v = vec![];
    while v.len() < size {
        match sources.next_if(|s| !in_parts(s, opts)) {
            Some(s) => v.push(s),
            None => break,
        }
    }
    Batch::Whole(v)
}

/// The sink, with the counts and the report of what went to it.
struct Out<'s, 'r> {
    sink: Box<dyn Sink + 's>,
    summary: Summary,
    report: Report<'r>,
}

impl Out<'_, '_> {
    fn write(&mut self, r: DocResult) -> Result<()> {
        let summary = &mut self.summary;
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
                (self.report)(d);
            }
        }
        self.sink.write(r)
    }
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
