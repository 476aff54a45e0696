//! Importers: turn dictionaries curated for other event coders into our
//! gazetteer files, so users keep the lists they already maintain and layer
//! them with `--gazetteers DIR`. Each importer is pure (text in, rows and
//! diagnostics out); `gazette import` does the file work.

pub mod agents;
pub mod cameo;
