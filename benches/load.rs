//! Start-up: loading and compiling the bundled gazetteers, date grammar
//! and rules (`Resources::load`), and the gazetteer automaton alone.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use gazette::dates::DateOptions;
use gazette::tag::Matcher;
use gazette::Resources;

fn bench(c: &mut Criterion) {
    let (res, _) = Resources::load(&[], DateOptions::default()).unwrap();
    let forms = res.tagger.matcher.pattern_count();
    assert!(forms > 20_000, "only {forms} surface forms compiled");

    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("Resources::load (bundled)", |b| {
        b.iter(|| black_box(Resources::load(&[], DateOptions::default()).unwrap()))
    });
    g.bench_function("Matcher::new (bundled)", |b| {
        b.iter(|| black_box(Matcher::new(&res.tagger.gazetteer)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
