//! The event rule stage alone (`EventCoder::code`) on generated articles
//! already split, tagged and dated; the event count is checked first.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazette::dates::TimexKind;
use gazette::events::DateRef;
use gazette::text;

mod common;

fn bench(c: &mut Criterion) {
    let res = common::resources();
    let (docs, _) = common::corpus(&res);
    let dct = NaiveDate::from_ymd_opt(2021, 11, 24);
    let inputs: Vec<_> = docs
        .iter()
        .map(|d| {
            let sentences = text::sentences(d);
            let mentions = res.tagger.tag(d, &sentences, dct);
            let dates: Vec<DateRef> = res
                .dates
                .tag(d, dct)
                .into_iter()
                .filter(|t| matches!(t.kind, TimexKind::Date | TimexKind::Time))
                .map(|t| DateRef { start: t.start, end: t.end, value: t.value })
                .collect();
            (d, sentences, mentions, dates)
        })
        .collect();
    let code = || -> usize {
        inputs
            .iter()
            .map(|(d, s, m, t)| black_box(res.coder.code(d, s, m, t, dct, None)).len())
            .sum()
    };
    // The generator writes about one event sentence in five.
    let events = code();
    assert!(events >= common::DOCS, "only {events} events in {} documents", common::DOCS);

    let mut g = c.benchmark_group("events");
    g.throughput(Throughput::Bytes(common::bytes(&docs)));
    g.sample_size(10);
    g.bench_function("EventCoder::code", |b| b.iter(|| assert_eq!(code(), events)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
