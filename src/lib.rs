//! # gazette
//!
//! Turns a folder of English news articles into spreadsheet-ready tables
//! of *who did what to whom, when*: entity mentions (people, organisations,
//! countries, dates) and CAMEO-coded events, as CSV.
//!
//! The stages, one module each: [`input`] (walk, read, decode) →
//! [`text`] (sentences, offsets) → [`gazetteer`] (load, layer, validate) →
//! [`tag`] (Aho-Corasick over the gazetteers, plus rules) and [`dates`]
//! (TIMEX3-style date values) → [`events`] (the rule stage) → [`output`]
//! (CSV writers). [`pipeline`] ties them together and is the only place
//! that runs documents in parallel. [`import`] turns other coders'
//! dictionaries (CAMEO/PETRARCH actors) into gazetteer files.
//!
//! ```
//! use gazette::pipeline::{analyse, DctSource, Resources};
//! use gazette::dates::DateOptions;
//!
//! let (res, _warnings) = Resources::load(&[], DateOptions::default()).unwrap();
//! let dct = chrono::NaiveDate::from_ymd_opt(2021, 11, 24);
//! let text = "Japan and Vietnam signed a defence pact on Tuesday.";
//! let a = analyse(text, &res, dct, DctSource::Flag, None);
//! assert!(a.mentions.iter().any(|m| m.code == "VNM"));
//! assert!(a.events.iter().any(|e| e.source_code == "JPN" && e.target_code == "VNM"));
//! ```

pub mod allocator;
pub mod corpus;
pub mod dates;
pub mod error;
pub mod events;
pub mod gazetteer;
pub mod import;
pub mod input;
pub mod output;
pub mod pipeline;
pub mod tag;
pub mod text;

pub use error::{Diagnostic, Error, Result};
pub use pipeline::Resources;
