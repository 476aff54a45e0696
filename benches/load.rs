//! Start-up: loading and compiling the bundled gazetteers, date grammar
//! and rules (`Resources::load`), the gazetteer automaton alone, and the
//! same with a 100,000-person list layered on top.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use gazette::corpus;
use gazette::dates::DateOptions;
use gazette::gazetteer::{bundled_sources, FileKind, SourceFile};
use gazette::tag::Matcher;
use gazette::Resources;

// The allocator, shared with the other benches.
mod common;

const PEOPLE: usize = 100_000;

fn bench(c: &mut Criterion) {
    let (res, _) = Resources::load(&[], DateOptions::default()).unwrap();
    let forms = res.tagger.matcher.pattern_count();
    assert!(forms > 20_000, "only {forms} surface forms compiled");

    let gaz = &res.tagger.gazetteer;
    let countries: Vec<String> = gaz.countries.iter().map(|c| c.id.clone()).collect();
    let mut sources = bundled_sources();
    sources.push(SourceFile {
        path: "people-synthetic.tsv".into(),
        kind: FileKind::People,
        text: corpus::synthetic_people(PEOPLE, &countries, 7),
        layer: 1,
    });
    let (big, diags) = Resources::from_sources(&sources, DateOptions::default()).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(big.tagger.gazetteer.people.len(), gaz.people.len() + PEOPLE);
    assert!(big.tagger.matcher.pattern_count() >= forms + PEOPLE);

    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("Resources::load (bundled)", |b| {
        b.iter(|| black_box(Resources::load(&[], DateOptions::default()).unwrap()))
    });
    g.bench_function("Matcher::new (bundled)", |b| b.iter(|| black_box(Matcher::new(gaz))));
    g.bench_function("Resources::from_sources (bundled + 100,000 people)", |b| {
        b.iter(|| black_box(Resources::from_sources(&sources, DateOptions::default()).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
