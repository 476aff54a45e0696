//! Throughput of `DateTagger::tag` on generated news-like text (no
//! downloads, deterministic), plus the one-off cost of compiling the grammar.
//! The generated corpus has a known number of expressions, checked before
//! timing so that a benchmark that quietly matches nothing fails.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazette::dates::{DateOptions, DateTagger};

// The allocator, shared with the other benches.
mod common;

/// Sentence templates with the number of expressions each one holds.
const SENTENCES: &[(&str, usize)] = &[
    ("The ministry said on Tuesday that talks would resume next week in Geneva.", 2),
    ("Troops crossed the border on Nov. 12, 2021, according to officials.", 1),
    ("The company reported a loss of $2.8 billion in the third quarter.", 1),
    ("Some 9,000 US Marines and 1,200 troops were deployed to the region.", 0),
    ("Prices have risen sharply since 2004, and analysts expect more next year.", 2),
    ("The strike, which lasted three weeks, ended yesterday after mediation.", 2),
    ("Protesters gathered in the capital, where police made dozens of arrests.", 0),
    ("The central bank now expects growth to slow in the first half of 2022.", 2),
    ("Two years ago the plant employed 3,000 people; it closed last month.", 2),
    ("The summit, held from February 20 to March 3, drew leaders from 30 nations.", 2),
    ("A Tu-95 bomber and an F-35 fighter were seen near the coast.", 0),
    ("Officials said the vote will be held at 9 a.m. Sunday under tight security.", 1),
    ("The economy grew strongly in the 1990s but has stalled recently.", 2),
    ("The committee may meet again, though no date has been set.", 0),
];

/// Deterministic documents of roughly `doc_bytes` each, and the expected
/// number of expressions over all of them.
/// With `curly`, every sentence is put in typographic quotes.
fn corpus(docs: usize, doc_bytes: usize, curly: bool) -> (Vec<String>, usize) {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = Vec::with_capacity(docs);
    let mut expected = 0;
    for _ in 0..docs {
        let mut doc = String::with_capacity(doc_bytes + 200);
        while doc.len() < doc_bytes {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let (s, n) = SENTENCES[(state >> 33) as usize % SENTENCES.len()];
            if curly {
                doc.push_str(&format!("\u{201c}{s}\u{201d}"));
            } else {
                doc.push_str(s);
            }
            doc.push_str(if (state >> 20).is_multiple_of(5) { "\n\n" } else { " " });
            expected += n;
        }
        out.push(doc);
    }
    (out, expected)
}

fn bench(c: &mut Criterion) {
    let dct = NaiveDate::from_ymd_opt(2021, 11, 24);
    let tagger = DateTagger::new(DateOptions::default());
    let (docs, expected) = corpus(200, 4000, false);
    let bytes: usize = docs.iter().map(String::len).sum();
    let found: usize = docs.iter().map(|d| tagger.tag(d, dct).len()).sum();
    assert_eq!(found, expected, "expressions found in the generated corpus");

    let mut g = c.benchmark_group("dates");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("tag news-like text", |b| {
        b.iter(|| {
            docs.iter().map(|d| black_box(tagger.tag(black_box(d), dct)).len()).sum::<usize>()
        })
    });
    g.finish();

    // The same text with typographic quotes, as most news sites write it:
    // any non-ASCII byte must not slow the tagger down.
    let (curly, expected) = corpus(200, 4000, true);
    let bytes: usize = curly.iter().map(String::len).sum();
    let found: usize = curly.iter().map(|d| tagger.tag(d, dct).len()).sum();
    assert_eq!(found, expected, "expressions found in the curly-quoted corpus");
    let mut g = c.benchmark_group("dates");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("tag news-like text, curly quotes", |b| {
        b.iter(|| {
            curly.iter().map(|d| black_box(tagger.tag(black_box(d), dct)).len()).sum::<usize>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("dates-load");
    g.sample_size(10);
    g.bench_function("compile grammar", |b| {
        b.iter(|| black_box(DateTagger::new(DateOptions::default())))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
