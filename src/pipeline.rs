//! The pipeline: one pure function per document ([`process`]) over shared,
//! read-only [`Resources`], and [`run`], the only place with parallelism.
//! `run` hands documents to the pool as they are read and writes their
//! rows in input order as they finish, so output is identical for any
//! thread count and memory stays bounded by a window of unwritten work,
//! not the corpus. A text file larger than [`Options::part_size`] is read
//! and processed in parts ([`crate::input::parts`]), each part a unit of
//! work of its own, so memory is bounded by the part size, not the file.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;

use crate::dates::{self, DateOptions, DateTagger, DocumentDate, TimexKind};
use crate::error::{Diagnostic, Error, Result};
use crate::events::{self, DateRef, EventCoder};
use crate::gazetteer::{self, SourceFile};
use crate::input::parts::Part;
use crate::input::{self, Article, Failure, Format, Source, Unreadable};
use crate::output::{DocumentRow, Encoding, EntityRow, EventRow, Rows, Sink};
use crate::tag::{rule_source, EntityType, Matcher, Mention, Tagger};
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
/// prints how long it took to standard error, with the process's
/// resident memory then and at its peak (for profiling start-up).
pub fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("GAZETTE_TIMINGS").is_some()) {
        return f();
    }
    let started = Instant::now();
    let out = f();
    let ms = started.elapsed().as_secs_f64() * 1e3;
    let mb = |field| memory_kb(field) / 1024;
    eprintln!("timing: {what}: {ms:.1} ms (RSS {} MB, peak {} MB)", mb("VmRSS"), mb("VmHWM"));
    out
}

/// A memory figure of this process from /proc/self/status (`VmRSS`,
/// `VmHWM` for the peak), in kB; 0 where unknown.
pub fn memory_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
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
/// The default [`Options::part_size`]: 256 KiB. Smaller parts run faster
/// than the 2 MiB (and before that 8 MiB) used before: a part's text and
/// tables stay in the caches, the last part of a long file, which may run
/// alone, is short, and peak memory with a 50 MB file is a third lower.
/// A surname still finds its full name within 256 KiB of text, some forty
/// news articles. See docs/performance.md.
pub const DEFAULT_PART_SIZE: usize = 256 << 10;

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
pub struct Analysis<'a> {
    pub sentences: Vec<text::Span>,
    pub mentions: Vec<Mention<'a>>,
    pub events: Vec<events::Event<'a>>,
    pub dct: Option<NaiveDate>,
    pub dct_source: DctSource,
}

/// Picks the document date: `--doc-dates` entry, else the date given
/// with the article (page metadata, the JSON line's `date`), else the
/// article's own date line, else `--dct`.
pub fn document_date(article: &Article, opts: &Options) -> (Option<NaiveDate>, DctSource) {
    let (dct, source, _) = dated(article, opts);
    (dct, source)
}

/// [`document_date`], with the article's date line when the date is read
/// from it (the analysis marks that line's date, and need not look again).
fn dated(
    article: &Article,
    opts: &Options,
) -> (Option<NaiveDate>, DctSource, Option<DocumentDate>) {
    if let Some(d) = opts.doc_dates.get(&article.doc) {
        return (Some(*d), DctSource::DocDates, None);
    }
    if let Some((d, source)) = article.published {
        return (Some(d), source, None);
    }
    if let Some(line) = dates::detect_document_date(&article.text) {
        return (Some(line.date), DctSource::Header, Some(line));
    }
    match opts.dct {
        Some(d) => (Some(d), DctSource::Flag, None),
        None => (None, DctSource::None, None),
    }
}

/// Tags and codes one text at a known document date.
pub fn analyse<'a>(
    text: &'a str,
    res: &'a Resources,
    dct: Option<NaiveDate>,
    dct_source: DctSource,
    explain: Option<&mut Vec<events::Explanation>>,
) -> Analysis<'a> {
    let line =
        (dct_source == DctSource::Header).then(|| dates::detect_document_date(text)).flatten();
    analyse_sentences(text, text::sentences(text), res, dct, dct_source, line, explain)
}

/// [`analyse`], with the text's sentences already found and, when the
/// document date is read from the text, its date line (`line`).
fn analyse_sentences<'a>(
    text: &'a str,
    sentences: Vec<text::Span>,
    res: &'a Resources,
    dct: Option<NaiveDate>,
    dct_source: DctSource,
    line: Option<DocumentDate>,
    explain: Option<&mut Vec<events::Explanation>>,
) -> Analysis<'a> {
    let mentions = res.tagger.tag(text, &sentences, dct);
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
    let mut date_mentions = Vec::with_capacity(timexes.len());
    for t in timexes {
        let i = taken.partition_point(|&(s, _)| s < t.end);
        let overlaps = i > 0 && taken[i - 1].1 > t.start;
        if overlaps {
            continue;
        }
        date_mentions.push(Mention {
            start: t.start,
            end: t.end,
            kind: EntityType::Date,
            canonical: t.value.into(),
            code: timex_kind(t.kind).into(),
            country: "".into(),
            actor: "".into(),
            role: "".into(),
            agent: "".into(),
            form: crate::tag::Form::Other,
            source: rule_source("rule:date", t.rule).into(),
        });
    }
    // The article's own date line is its date, not a time of day.
    if dct_source == DctSource::Header {
        if let (Some(h), Some(d)) = (line, dct) {
            let line_start = text[..h.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[h.end..].find('\n').map_or(text.len(), |i| h.end + i);
            let on_line = |m: &Mention| {
                m.kind == EntityType::Date && m.start < line_end && line_start < m.end
            };
            // Its clock time ("at 13:23 IST") is not a date an analyst wants.
            date_mentions.retain(|m| {
                !(on_line(m) && m.code == "TIME" && !(m.start < h.end && h.start < m.end))
            });
            for m in date_mentions
                .iter_mut()
                .filter(|m| on_line(m) && m.start < h.end && h.start < m.end)
            {
                m.canonical = d.format("%Y-%m-%d").to_string().into();
                m.code = "DATE".into();
            }
        }
    }
    let mentions = merge_by_span(mentions, date_mentions);
    Analysis { sentences, mentions, events, dct, dct_source }
}

/// Two lists of mentions, each sorted by (start, end), as one, `a`'s first
/// where both hold the same span: what a stable sort of the two gives, in
/// one pass and with each mention moved once (the names are sorted by the
/// rules, the dates by the date tagger).
fn merge_by_span<'a>(a: Vec<Mention<'a>>, b: Vec<Mention<'a>>) -> Vec<Mention<'a>> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for m in a {
        while let Some(d) = b.next_if(|d| (d.start, d.end) < (m.start, m.end)) {
            out.push(d);
        }
        out.push(m);
    }
    out.extend(b);
    debug_assert!(out.windows(2).all(|w| (w[0].start, w[0].end) <= (w[1].start, w[1].end)));
    out
}

fn timex_kind(k: TimexKind) -> &'static str {
    match k {
        TimexKind::Date => "DATE",
        TimexKind::Time => "TIME",
        TimexKind::Duration => "DURATION",
        TimexKind::Set => "SET",
    }
}

/// Whether a mention goes to entities.csv under `opts`.
fn entity_wanted(m: &Mention, opts: &Options) -> bool {
    m.kind != EntityType::Date || date_wanted(m, opts)
}

/// Whether a date mention goes to entities.csv under `opts`.
fn date_wanted(m: &Mention, opts: &Options) -> bool {
    // Centuries ("20") are as vague as "the past" for dating an event.
    let century = m.canonical.len() == 2 && m.canonical.bytes().all(|b| b.is_ascii_digit());
    opts.all_timex || (m.code == "DATE" && !m.canonical.ends_with("_REF") && !century)
}

/// Where a text starts in its document: a part of a file read in parts
/// starts at a byte offset, after the sentences of the parts before it.
#[derive(Debug, Clone, Copy, Default)]
struct Origin {
    byte: usize,
    sentence: usize,
}

/// A mention's sentence number and byte range in the whole document.
fn entity_place(m: &Mention, sentences: &[text::Span], at: Origin) -> (usize, usize, usize) {
    (at.sentence + text::sentence_of(sentences, m.start), at.byte + m.start, at.byte + m.end)
}

/// Entity and event rows whose cells borrow from an analysis.
type BorrowedRows<'a> = (Vec<EntityRow<&'a str>>, Vec<EventRow<&'a str>>);

/// The entity and event rows of one analysed text, with positions and
/// sentence numbers in the whole document, their cells borrowed from the
/// analysis: encoded as they are, no cell is copied but into the table's
/// bytes.
fn rows<'a>(
    doc: &'a str,
    text: &'a str,
    a: &'a Analysis<'_>,
    at: Origin,
    opts: &Options,
) -> BorrowedRows<'a> {
    // Room for every mention: most are wanted, and a vector grown as a
    // filter fills it copies its rows again and again.
    let mut entities = Vec::with_capacity(a.mentions.len());
    entities.extend(a.mentions.iter().filter(|m| entity_wanted(m, opts)).map(|m| {
        let (sentence, start, end) = entity_place(m, &a.sentences, at);
        EntityRow {
            doc,
            sentence,
            start,
            end,
            kind: m.kind.as_str(),
            text: &text[m.start..m.end],
            canonical: &m.canonical,
            code: &m.code,
            country: &m.country,
            source: &m.source,
        }
    }));
    let events = a
        .events
        .iter()
        .map(|e| EventRow {
            doc,
            sentence: at.sentence + e.sentence,
            date: &e.date,
            date_text: &e.date_text,
            source: &e.source,
            source_code: &e.source_code,
            source_agent: &e.source_agent,
            code: &e.code,
            label: &e.label,
            target: &e.target,
            target_code: &e.target_code,
            target_agent: &e.target_agent,
            quad_class: e.quad_class,
            goldstein: e.goldstein,
            mentions: e.mentions,
            trigger: &e.trigger,
            rule: &e.rule,
            evidence: &e.evidence,
        })
        .collect();
    (entities, events)
}

/// [`rows`], owned, for the sinks that keep rows as values: the cells are
/// moved out of the analysis, not copied. A test checks that both give
/// the same rows.
fn owned_rows(
    doc: &str,
    text: &str,
    a: Analysis<'_>,
    at: Origin,
    opts: &Options,
) -> (Vec<EntityRow>, Vec<EventRow>) {
    let mut entities = Vec::with_capacity(a.mentions.len());
    entities.extend(a.mentions.into_iter().filter(|m| entity_wanted(m, opts)).map(|m| {
        let (sentence, start, end) = entity_place(&m, &a.sentences, at);
        EntityRow {
            doc: doc.to_string(),
            sentence,
            start,
            end,
            kind: m.kind.as_str(),
            text: text[m.start..m.end].to_string(),
            canonical: m.canonical.into_owned(),
            code: m.code.into_owned(),
            country: m.country.into_owned(),
            source: m.source.into_owned(),
        }
    }));
    let events = a
        .events
        .into_iter()
        .map(|e| EventRow {
            doc: doc.to_string(),
            sentence: at.sentence + e.sentence,
            date: e.date.into_owned(),
            date_text: e.date_text.into_owned(),
            source: e.source.into_owned(),
            source_code: e.source_code.into_owned(),
            source_agent: e.source_agent.into_owned(),
            code: e.code.into_owned(),
            label: e.label.into_owned(),
            target: e.target.into_owned(),
            target_code: e.target_code.into_owned(),
            target_agent: e.target_agent.into_owned(),
            quad_class: e.quad_class,
            goldstein: e.goldstein,
            mentions: e.mentions,
            trigger: e.trigger.into_owned(),
            rule: e.rule.into_owned(),
            evidence: e.evidence.into_owned(),
        })
        .collect();
    (entities, events)
}

/// The rows of an analysis as the sink takes them: encoded with
/// `encoding`, else owned.
fn rows_for(
    doc: &str,
    text: &str,
    a: Analysis<'_>,
    at: Origin,
    opts: &Options,
    encoding: Option<Encoding>,
) -> Rows {
    match encoding {
        Some(e) => {
            let (entities, events) = rows(doc, text, &a, at, opts);
            Rows::Encoded(e.encode(&entities, &events))
        }
        None => {
            let (entities, events) = owned_rows(doc, text, a, at, opts);
            Rows::Values { entities, events }
        }
    }
}

/// Turns one article into rows.
pub fn process_text(article: &Article, res: &Resources, opts: &Options) -> DocResult {
    let (rows, document) = process_article(article, res, opts, None);
    let Rows::Values { entities, events } = rows else {
        unreachable!("rows without an encoding are values")
    };
    DocResult { entities, events, document: Some(document) }
}

/// Turns one article into rows as [`rows_for`] gives them, and its
/// `documents.csv` row.
fn process_article(
    article: &Article,
    res: &Resources,
    opts: &Options,
    encoding: Option<Encoding>,
) -> (Rows, DocumentRow) {
    let (dct, dct_source, line) = dated(article, opts);
    let (doc, text) = (article.doc.as_str(), article.text.as_str());
    let a = analyse_sentences(text, text::sentences(text), res, dct, dct_source, line, None);
    let sentences = a.sentences.len();
    let rows = rows_for(doc, text, a, Origin::default(), opts, encoding);
    let (entities, events) = rows.counts();
    let document = DocumentRow {
        doc: doc.to_string(),
        bytes: article.bytes,
        sentences,
        dct: dct.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        dct_source: dct_source.as_str(),
        entities,
        events,
        status: "ok",
        message: article.note.clone(),
        title: article.title.clone(),
        url: article.url.clone(),
    };
    (rows, document)
}

/// About how many bytes of text a source brings (a file's size on disk,
/// a JSON line's length: for the run's memory budget), and whether it is
/// a text file to be read in parts (larger than the part size, within
/// `--max-file-size`). One `stat` per file.
fn size_of(source: &Source, opts: &Options) -> (u64, bool) {
    match source {
        Source::File(f) => {
            let Ok(meta) = std::fs::metadata(&f.path) else { return (0, false) };
            let len = meta.len();
            let parted = meta.is_file()
                && f.problem.is_none()
                && !f.is_stdin()
                && input::format_of(&f.path) == Some(Format::Text)
                && len > opts.part_size as u64
                && len <= opts.max_file_size;
            (len, parted)
        }
        Source::Line(l) => (l.raw.len() as u64, false),
        Source::Failed(_) => (0, false),
    }
}

/// One piece of work for the pool. Units are numbered in input order and
/// their results written in that order, whatever order they finish in.
enum Unit {
    /// A source read and processed whole by the worker.
    Whole(Source),
    /// One part of a large text file (see [`Options::part_size`]), already
    /// read, decoded and split into sentences, with the file's date.
    Part {
        doc: Arc<str>,
        part: Part,
        sentences: Vec<text::Span>,
        /// How many sentences the parts before this one have.
        first_sentence: usize,
        dct: Option<NaiveDate>,
        dct_source: DctSource,
        /// The file's date line, in the first part when the date is read there.
        line: Option<DocumentDate>,
    },
}

/// The rows of a unit (encoded for the sink when it has an [`Encoding`]),
/// or a row that needs no processing.
enum Done {
    Doc {
        rows: Rows,
        document: Option<DocumentRow>,
    },
    /// A part's rows, with positions and sentence numbers in the whole file.
    Part(Rows),
    /// The `documents.csv` row of a file read in parts, after its last
    /// part; its row counts are filled in from the parts when written.
    PartsEnd(DocumentRow),
}

impl Done {
    /// The `documents.csv` row of a source that could not be read.
    fn failed(failure: Failure) -> Done {
        Done::Doc { rows: Rows::none(), document: failed(failure).document }
    }
}

impl Unit {
    /// Processes the unit on a worker, which also encodes its rows.
    fn process(self, res: &Resources, opts: &Options, encoding: Option<Encoding>) -> Done {
        match self {
            Unit::Whole(source) => match input::load(&source, opts.max_file_size) {
                Ok(article) => {
                    let (rows, document) = process_article(&article, res, opts, encoding);
                    Done::Doc { rows, document: Some(document) }
                }
                Err(failure) => Done::failed(failure),
            },
            Unit::Part { doc, part, sentences, first_sentence, dct, dct_source, line } => {
                let a = analyse_sentences(&part.text, sentences, res, dct, dct_source, line, None);
                let at = Origin { byte: part.base, sentence: first_sentence };
                Done::Part(rows_for(&doc, &part.text, a, at, opts, encoding))
            }
        }
    }
}

/// A large text file being cut into parts.
struct Parted {
    doc: Arc<str>,
    parts: input::parts::Parts,
    date: Option<(Option<NaiveDate>, DctSource, Option<DocumentDate>)>,
    count: usize,
    /// Sentences in the parts so far: the parts are split into sentences
    /// as they are read, so that each knows its first sentence number.
    sentences: usize,
    error: Option<String>,
}

/// What the run does next with the sources: hand a unit (and its weight in
/// bytes) to the pool, or write a row that needs no processing.
enum Next {
    Spawn(Unit, u64),
    Ready(Done),
}

/// The sources as units of work: small sources whole, large text files
/// part by part (read here, in order, one part at a time).
struct Work<'o, I> {
    sources: I,
    opts: &'o Options,
    parted: Option<Parted>,
}

impl<I: Iterator<Item = Source>> Iterator for Work<'_, I> {
    type Item = Next;

    fn next(&mut self) -> Option<Next> {
        if let Some(f) = &mut self.parted {
            if f.error.is_none() {
                match f.parts.next() {
                    Some(Ok(mut part)) => {
                        let first = f.count == 0;
                        f.count += 1;
                        let opts = self.opts;
                        let doc = Arc::clone(&f.doc);
                        let (dct, dct_source, line) = *f.date.get_or_insert_with(|| {
                            let article = Article::from_text(&*doc, std::mem::take(&mut part.text));
                            let date = dated(&article, opts);
                            part.text = article.text;
                            date
                        });
                        // The date line is at the top of the first part only.
                        let (dct_source, line) = match dct_source {
                            DctSource::Header if !first => (DctSource::Flag, None),
                            s => (s, line),
                        };
                        let bytes = part.text.len() as u64;
                        let sentences = text::sentences(&part.text);
                        let first_sentence = f.sentences;
                        f.sentences += sentences.len();
                        let unit = Unit::Part {
                            doc,
                            part,
                            sentences,
                            first_sentence,
                            dct,
                            dct_source,
                            line,
                        };
                        return Some(Next::Spawn(unit, bytes));
                    }
                    Some(Err(e)) => f.error = Some(e),
                    None => {}
                }
            }
            let f = self.parted.take()?;
            return Some(Next::Ready(Done::PartsEnd(parted_row(f, self.opts))));
        }
        let source = self.sources.next()?;
        let (bytes, parted) = size_of(&source, self.opts);
        if !parted {
            return Some(Next::Spawn(Unit::Whole(source), bytes));
        }
        let Source::File(file) = source else { unreachable!("only files are read in parts") };
        match input::parts::parts(&file.path, self.opts.part_size) {
            Ok(parts) => {
                let doc = Arc::from(file.doc.as_str());
                let f = Parted { doc, parts, date: None, count: 0, sentences: 0, error: None };
                self.parted = Some(f);
                self.next()
            }
            Err(why) => {
                let size = std::fs::metadata(&file.path).map_or(0, |m| m.len());
                let bytes = if matches!(why, Unreadable::Skipped(_)) { size } else { 0 };
                let r = Failure { doc: file.doc.clone(), bytes, why };
                Some(Next::Ready(Done::failed(r)))
            }
        }
    }
}

/// The `documents.csv` row of a file read in parts, counts still zero.
fn parted_row(f: Parted, opts: &Options) -> DocumentRow {
    let (dct, dct_source, _) = f.date.unwrap_or((None, DctSource::None, None));
    let mut message = f.parts.note();
    let read = format!("read in {} parts of about {} bytes", f.count, opts.part_size);
    message = if message.is_empty() { read } else { format!("{message}; {read}") };
    let status = match f.error {
        Some(e) => {
            message = format!("{e} ({message})");
            "error"
        }
        None => "ok",
    };
    DocumentRow {
        sentences: f.sentences,
        dct: dct.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        dct_source: dct_source.as_str(),
        ..bare_row(f.doc.to_string(), f.parts.bytes, status, message)
    }
}

/// A `documents.csv` row with no counts, date, title or address.
fn bare_row(doc: String, bytes: u64, status: &'static str, message: String) -> DocumentRow {
    DocumentRow {
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
    }
}

/// The result of a source that gave no article.
fn failed(Failure { doc, bytes, why }: Failure) -> DocResult {
    let (status, message) = match why {
        Unreadable::Skipped(m) => ("skipped", m),
        Unreadable::Error(m) => ("error", m),
    };
    DocResult { document: Some(bare_row(doc, bytes, status, message)), ..Default::default() }
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
/// order. The calling thread reads the sources (a large text file part by
/// part, each split into sentences there so that it knows its first
/// sentence number) and hands them to the pool as they come; it writes
/// each result as soon as all earlier ones are written, while the pool
/// goes on. The workers encode the rows for a sink that writes bytes
/// ([`Sink::encoding`]), so writing is copying and the calling thread
/// never holds up the end of a run. Memory is bounded by a window of work
/// not yet written (in bytes of text and in units), not by the corpus;
/// there is no barrier between documents, so a long document holds back
/// only the writing, not the workers.
pub fn run(
    sources: impl Iterator<Item = Source> + Send,
    res: &Resources,
    opts: &Options,
    sink: Box<dyn Sink + '_>,
    progress: Progress,
    report: Report,
) -> Result<Summary> {
    let started = Instant::now();
    let encoding = sink.encoding();
    let mut out = Out { sink, summary: Summary::default(), report, tally: Tally::default() };
    let threads = rayon::current_num_threads().max(1);
    // Two parts per thread, or many small articles: enough that a worker
    // never waits for the writer while another works through a long part.
    let max_bytes = (2 * threads * opts.part_size) as u64;
    let max_units = 1024 * threads;
    let mut work = Work { sources, opts, parted: None }.peekable();
    let (tx, rx) = std::sync::mpsc::channel::<(usize, std::thread::Result<Done>)>();
    // Results that came in before an earlier one, by unit number.
    let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
    let mut weights: VecDeque<u64> = VecDeque::new();
    let (mut issued, mut written, mut in_window) = (0usize, 0usize, 0u64);
    let outcome = rayon::in_place_scope(|scope| -> Result<()> {
        loop {
            // Fill the window.
            while issued - written < max_units && (in_window < max_bytes || issued == written) {
                let Some(next) = work.next() else { break };
                let unit_weight = match next {
                    Next::Spawn(unit, bytes) => {
                        let tx = tx.clone();
                        let n = issued;
                        scope.spawn(move |_| {
                            let done =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    unit.process(res, opts, encoding)
                                }));
                            // The receiver is gone only when writing failed.
                            let _ = tx.send((n, done));
                        });
                        bytes
                    }
                    Next::Ready(done) => {
                        waiting.insert(issued, done);
                        0
                    }
                };
                issued += 1;
                in_window += unit_weight;
                weights.push_back(unit_weight);
            }
            // Write what is next in order; wait for it when it is not done.
            let mut wrote = false;
            while let Some(done) = waiting.remove(&written) {
                out.write(done)?;
                written += 1;
                in_window -= weights.pop_front().unwrap_or(0);
                wrote = true;
            }
            if wrote {
                progress(out.summary.documents, out.summary.bytes);
                out.sink.batch_done()?;
            }
            let room = issued - written < max_units && in_window < max_bytes;
            if (room || written == issued) && work.peek().is_some() {
                continue;
            }
            if written == issued {
                return Ok(());
            }
            let (n, done) = rx.recv().expect("a unit in flight holds a sender");
            waiting.insert(n, done.unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
    });
    outcome?;
    let Out { sink, mut summary, .. } = out;
    sink.finish()?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The sink, with the counts and the report of what went to it.
struct Out<'s, 'r> {
    sink: Box<dyn Sink + 's>,
    summary: Summary,
    report: Report<'r>,
    /// The parts of the file being read in parts, so far.
    tally: Tally,
}

/// Rows over the parts of one file written so far.
#[derive(Default)]
struct Tally {
    entities: usize,
    events: usize,
}

impl Out<'_, '_> {
    fn write(&mut self, done: Done) -> Result<()> {
        match done {
            Done::Doc { rows, document } => self.write_doc(rows, document),
            Done::Part(rows) => {
                let (entities, events) = rows.counts();
                self.tally.entities += entities;
                self.tally.events += events;
                self.write_doc(rows, None)
            }
            Done::PartsEnd(mut row) => {
                let t = std::mem::take(&mut self.tally);
                (row.entities, row.events) = (t.entities, t.events);
                self.write_doc(Rows::none(), Some(row))
            }
        }
    }

    fn write_doc(&mut self, rows: Rows, document: Option<DocumentRow>) -> Result<()> {
        let summary = &mut self.summary;
        let (entities, events) = rows.counts();
        summary.entities += entities;
        summary.events += events;
        if let Some(d) = &document {
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
        self.sink.write(rows, document)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The borrowed rows that are encoded and the owned rows the other
    /// sinks keep hold the same cells: both encodings of each agree byte
    /// for byte, on a text with entities of every kind, dates and events,
    /// with and without every date, at an origin inside a document.
    #[test]
    fn borrowed_and_owned_rows_agree() {
        let (res, _) = Resources::load(&[], DateOptions::default()).expect("bundled resources");
        let text = "Japan's Defence Minister Nobuo Kishi met his Chinese counterpart \
            in Beijing on Monday. The Ministry of Finance of Peru said on 3 March 2021 \
            that the United Nations had condemned Russia, a week after talks.";
        let dct = NaiveDate::from_ymd_opt(2021, 3, 10);
        let at = Origin { byte: 1000, sentence: 7 };
        for all_timex in [false, true] {
            let opts = Options { all_timex, ..Options::default() };
            let a = analyse(text, &res, dct, DctSource::Flag, None);
            let (entities, events) = rows("doc.txt", text, &a, at, &opts);
            assert!(entities.len() >= 8 && !events.is_empty(), "{entities:?} {events:?}");
            assert!(entities.iter().any(|e| e.kind == "DATE"));
            let (owned_entities, owned_events) = owned_rows("doc.txt", text, a.clone(), at, &opts);
            for encoding in [Encoding::Csv { neutralise: true }, Encoding::Jsonl] {
                let borrowed = encoding.encode(&entities, &events);
                let owned = encoding.encode(&owned_entities, &owned_events);
                assert_eq!(borrowed.entities, owned.entities);
                assert_eq!(borrowed.events, owned.events);
                assert_eq!(borrowed.counts, owned.counts);
            }
        }
    }
}
