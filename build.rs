//! Embeds every file under `gazetteers/` into the binary, so `gazette`
//! runs anywhere with no set-up. Writes `$OUT_DIR/bundled.rs`, a sorted
//! table of `(file name, contents)`.

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
    for name in &names {
        let abs = fs::canonicalize(dir.join(name)).expect("canonical path");
        println!("cargo:rerun-if-changed={}", abs.display());
        out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", abs.display().to_string()));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("bundled.rs");
    fs::write(dest, out).expect("write bundled.rs");
}
