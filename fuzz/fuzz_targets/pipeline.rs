//! Arbitrary bytes through the per-document pipeline: decode (as a file
//! would be), then tag and code with the bundled gazetteers, then make the
//! rows. Nothing may panic, and every mention must lie on character
//! boundaries inside the text. Run: see fuzz/README.md.

#![no_main]

use std::sync::OnceLock;

use gazette::dates::DateOptions;
use gazette::input::{decode, Article};
use gazette::pipeline::{analyse, process_text, DctSource, Options, Resources};
use libfuzzer_sys::fuzz_target;

fn resources() -> &'static Resources {
    static RES: OnceLock<Resources> = OnceLock::new();
    RES.get_or_init(|| Resources::load(&[], DateOptions::default()).unwrap().0)
}

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = decode(data.to_vec()) else { return };
    let text = decoded.text.as_str();
    let res = resources();
    let dct = chrono::NaiveDate::from_ymd_opt(2021, 11, 23);
    let a = analyse(text, res, dct, DctSource::Flag, None);
    for m in &a.mentions {
        assert!(m.start < m.end && m.end <= text.len(), "{m:?} outside {} bytes", text.len());
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end), "{m:?}");
    }
    for s in &a.sentences {
        assert!(s.start <= s.end && text.get(s.start..s.end).is_some(), "{s:?}");
    }
    // The rows, with the document date found in the text when there is one.
    let article = Article::from_text("fuzz", decoded.text.clone());
    let r = process_text(&article, res, &Options::default());
    for e in &r.entities {
        assert_eq!(text.get(e.start..e.end), Some(e.text.as_str()));
    }
});
