//! Encoding and writing the three CSV tables (`FileSink`) from rows made
//! beforehand; the number of lines written is checked.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use gazette::input::Article;
use gazette::output::{self, Rows, SinkOptions};
use gazette::pipeline::{self, DocResult, Options};

mod common;

fn bench(c: &mut Criterion) {
    let res = common::resources();
    let (docs, _) = common::corpus(&res);
    let opts = Options::default();
    let results: Vec<DocResult> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            pipeline::process_text(&Article::from_text(format!("d{i}"), d.as_str()), &res, &opts)
        })
        .collect();
    let rows: usize = results.iter().map(|r| r.entities.len() + r.events.len() + 1).sum();
    let out = tempfile::tempdir().unwrap();
    let write = |results: Vec<DocResult>| {
        let mut sink = output::create(out.path(), SinkOptions::default()).unwrap();
        for r in results {
            sink.write(Rows::Values { entities: r.entities, events: r.events }, r.document)
                .unwrap();
        }
        sink.finish().unwrap();
    };
    write(results.clone());
    let lines: usize = ["entities.csv", "events.csv", "documents.csv"]
        .iter()
        .map(|t| std::fs::read_to_string(out.path().join(t)).unwrap().lines().count() - 1)
        .sum();
    assert!(rows > 10 * common::DOCS, "only {rows} rows");
    assert!(lines >= rows, "{lines} lines for {rows} rows"); // cells may hold line breaks

    let mut g = c.benchmark_group("csv");
    g.throughput(Throughput::Elements(rows as u64));
    g.sample_size(10);
    g.bench_function("FileSink (csv rows)", |b| {
        b.iter_batched(|| results.clone(), write, BatchSize::LargeInput)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
