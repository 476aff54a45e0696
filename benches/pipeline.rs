//! The whole per-document pipeline (`pipeline::process_text`: sentences,
//! names, dates, events, rows) on generated articles, one thread. Every
//! name written must come back as an entity.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazette::input::Article;
use gazette::pipeline::{self, Options};

mod common;

fn bench(c: &mut Criterion) {
    let res = common::resources();
    let (docs, planted) = common::corpus(&res);
    let articles: Vec<Article> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| Article::from_text(format!("d{i}"), d.as_str()))
        .collect();
    let opts = Options::default();
    let run = || -> usize {
        articles
            .iter()
            .map(|a| black_box(pipeline::process_text(a, &res, &opts)).entities.len())
            .sum()
    };
    let entities = run();
    assert!(entities >= planted, "{entities} entities for {planted} names written");

    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(common::bytes(&docs)));
    g.sample_size(10);
    g.bench_function("process_text", |b| b.iter(|| assert_eq!(run(), entities)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
