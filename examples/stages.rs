//! Time each stage of the document pipeline on one folder of articles,
//! single-threaded: `cargo run --release --example stages -- DIR`.
//! Prints milliseconds and MB/s per stage, to see where the time goes
//! before optimising (the whole-run figure is `gazette bench`).

use std::time::{Duration, Instant};

use gazette::dates::DateOptions;
use gazette::pipeline::{self, Resources};

fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).expect("usage: stages DIR");
    let files = gazette::input::list(&[dir.into()]);
    let texts: Vec<String> =
        files.iter().filter_map(|f| std::fs::read_to_string(&f.path).ok()).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let (res, _) = Resources::load(&[], DateOptions::default())?;
    let mut t = [Duration::ZERO; 6];
    let names = ["sentences", "matcher", "tag rules", "dates", "events", "analyse (all)"];
    let mut n = 0usize;
    for text in &texts {
        let clock = Instant::now();
        let sentences = gazette::text::sentences(text);
        t[0] += clock.elapsed();
        let clock = Instant::now();
        let candidates = res.tagger.matcher.find(text);
        t[1] += clock.elapsed();
        n += candidates.len();
        let clock = Instant::now();
        let mentions = res.tagger.tag(text, &sentences, None);
        t[2] += clock.elapsed();
        let clock = Instant::now();
        let timexes = res.dates.tag(text, None);
        t[3] += clock.elapsed();
        let refs: Vec<gazette::events::DateRef> = timexes
            .iter()
            .map(|x| gazette::events::DateRef {
                start: x.start,
                end: x.end,
                value: x.value.clone(),
            })
            .collect();
        let clock = Instant::now();
        let events = res.coder.code(text, &sentences, &mentions, &refs, None, None);
        t[4] += clock.elapsed();
        n += events.len();
        let clock = Instant::now();
        let a = pipeline::analyse(text, &res, None, pipeline::DctSource::Flag, None);
        t[5] += clock.elapsed();
        n += a.mentions.len();
    }
    // The rules are timed with the matcher inside; report them apart.
    t[2] = t[2].saturating_sub(t[1]);
    let mb = bytes as f64 / 1e6;
    println!("{} documents, {mb:.1} MB ({n} items)", texts.len());
    for (name, d) in names.iter().zip(t) {
        println!("{name:<14} {:>8.1} ms {:>8.1} MB/s", d.as_secs_f64() * 1e3, mb / d.as_secs_f64());
    }
    Ok(())
}
