//! Shared set-up for the benches: the bundled resources and a generated,
//! deterministic news-like corpus (see `gazette::corpus`).

// Each bench uses part of this module.
#![allow(dead_code)]

use gazette::corpus::{Generator, Names};
use gazette::dates::DateOptions;
use gazette::Resources;

// The allocator the `gazette` binary uses, so the stages are timed as it
// runs them (every bench includes this module).
#[global_allocator]
static ALLOC: gazette::allocator::Mimalloc = gazette::allocator::Mimalloc;

/// Documents in each bench corpus and their average size (bytes).
pub const DOCS: usize = 200;
pub const DOC_BYTES: usize = 5_600;

pub fn resources() -> Resources {
    Resources::load(&[], DateOptions::default()).expect("bundled gazetteers").0
}

/// The corpus and how many gazetteer names were written into it.
pub fn corpus(res: &Resources) -> (Vec<String>, usize) {
    let mut gen = Generator::new(Names::from_gazetteer(&res.tagger.gazetteer), 1);
    let docs = (0..DOCS).map(|_| gen.article(DOC_BYTES)).collect();
    (docs, gen.planted)
}

pub fn bytes(docs: &[String]) -> u64 {
    docs.iter().map(|d| d.len() as u64).sum()
}
