//! The gazetteer automaton alone: overlapping search, word-boundary
//! filter, leftmost-longest (`Matcher::find`), on generated articles.
//! Every name the generator wrote must be found, so a bench that quietly
//! matches nothing fails.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

mod common;

fn bench(c: &mut Criterion) {
    let res = common::resources();
    let (docs, planted) = common::corpus(&res);
    let matcher = &res.tagger.matcher;
    let found: usize = docs.iter().map(|d| matcher.find(d).len()).sum();
    assert!(found >= planted, "found {found} of the {planted} names written");

    let mut g = c.benchmark_group("matching");
    g.throughput(Throughput::Bytes(common::bytes(&docs)));
    g.sample_size(10);
    g.bench_function("Matcher::find", |b| {
        b.iter(|| docs.iter().map(|d| black_box(matcher.find(black_box(d))).len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
