//! Embeds every file under `gazetteers/` into the binary, so `gazette`
//! runs anywhere with no set-up. Writes `$OUT_DIR/bundled.rs`, a sorted
//! table of `(file name, contents)`.
//!
//! It also compiles the bundled names into the matcher's automaton ahead of
//! time, so that start-up deserialises it instead of building it
//! (`$OUT_DIR/bundled_forms.txt`, one name a line, and
//! `$OUT_DIR/bundled_forms.daac`, the automaton over those lines, each
//! reporting its line number). The list only has to be close to the names
//! `tag::matcher::surface_forms` takes from the bundled files: a name it
//! lacks is compiled at start-up, one it has in excess is never reported.
//! A test checks that it lacks none.

use std::collections::BTreeSet;
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("gazetteers");
    println!("cargo:rerun-if-changed=gazetteers");
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("gazetteers/ folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tsv"))
        .collect();
    names.sort();
    let mut out = String::from("/// Bundled gazetteer files: (file name, contents).\n");
    out.push_str("pub static BUNDLED: &[(&str, &str)] = &[\n");
    let mut forms = BTreeSet::new();
    for name in &names {
        let abs = fs::canonicalize(dir.join(name)).expect("canonical path");
        println!("cargo:rerun-if-changed={}", abs.display());
        out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", abs.display().to_string()));
        let text = fs::read_to_string(&abs).expect("gazetteer file");
        add_forms(name, &text, &mut forms);
    }
    out.push_str("];\n");
    let out_dir = env::var("OUT_DIR").unwrap();
    let out_dir = Path::new(&out_dir);
    fs::write(out_dir.join("bundled.rs"), out).expect("write bundled.rs");

    // Sorted, which is also the order daachorse builds fastest in.
    let forms: Vec<String> = forms.into_iter().collect();
    let automaton =
        daachorse::DoubleArrayAhoCorasick::<u32>::new(&forms).expect("bundled forms automaton");
    fs::write(out_dir.join("bundled_forms.txt"), forms.join("\n")).expect("write forms");
    fs::write(out_dir.join("bundled_forms.daac"), automaton.serialize()).expect("write automaton");
}

/// The columns whose `|`-separated items are names to match, per file kind
/// (as in `surface_forms`).
fn name_columns(file: &str) -> &'static [&'static str] {
    if file.starts_with("countries") {
        &["name", "aliases", "demonyms", "capitals", "blocked"]
    } else if file.starts_with("organisations") || file.starts_with("organizations") {
        &["name", "aliases", "shared_aliases"]
    } else if file.starts_with("people") {
        &["name", "aliases"]
    } else {
        &[]
    }
}

/// Adds the names of one gazetteer file: each item of its name columns,
/// the reversed two-word name of Japanese people, and every name with
/// straight and curly apostrophes swapped.
fn add_forms(file: &str, text: &str, forms: &mut BTreeSet<String>) {
    let columns = name_columns(file);
    if columns.is_empty() {
        return;
    }
    let mut lines = text
        .lines()
        .map(|l| l.strip_prefix('\u{feff}').unwrap_or(l))
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some(header) = lines.next() else { return };
    let header: Vec<String> = header.split('\t').map(|h| h.trim().to_lowercase()).collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let country = column("country");
    let name = column("name");
    for line in lines {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).copied().unwrap_or("");
        let mut add = |form: &str| {
            if form.is_empty() {
                return;
            }
            forms.insert(form.to_string());
            forms.insert(form.replace('\'', "\u{2019}"));
            forms.insert(form.replace('\u{2019}', "'"));
        };
        for c in columns {
            cell(column(c)).split('|').map(str::trim).for_each(&mut add);
        }
        if file.starts_with("people") && cell(country) == "JPN" {
            if let [first, last] = cell(name).split_whitespace().collect::<Vec<_>>()[..] {
                add(&format!("{last} {first}"));
            }
        }
    }
}
