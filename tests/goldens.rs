//! Golden files: the bundled sample articles through the binary, all
//! three tables compared whole. Update with `GAZETTE_BLESS=1 cargo test`
//! after reviewing the diff.

use crate::util::{assert_golden, gazette, root};

#[test]
fn sample_articles_match_golden_tables() {
    let out = tempfile::tempdir().unwrap();
    let status = gazette()
        .current_dir(root())
        .args(["extract", "examples/articles", "--quiet", "--out"])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    for table in ["entities.csv", "events.csv", "documents.csv"] {
        assert_golden(&out.path().join(table), &root().join("tests/golden/sample").join(table));
    }
}

#[test]
fn output_is_identical_for_one_and_two_threads() {
    // Many documents of uneven size, so batches and threads interleave.
    let corpus = tempfile::tempdir().unwrap();
    let samples: Vec<String> = std::fs::read_dir(root().join("examples/articles"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for i in 0..120 {
        let dir = corpus.path().join(format!("d{}", i % 7));
        std::fs::create_dir_all(&dir).unwrap();
        let text = samples[i % samples.len()].repeat(1 + i % 5);
        std::fs::write(dir.join(format!("a{i:03}.txt")), text).unwrap();
    }
    let mut outputs = vec![];
    for threads in ["1", "2"] {
        let out = tempfile::tempdir().unwrap();
        let status = gazette()
            .args(["extract", "--quiet", "--threads", threads, "--out"])
            .arg(out.path())
            .arg(corpus.path())
            .status()
            .unwrap();
        assert!(status.success());
        let tables: Vec<Vec<u8>> = ["entities.csv", "events.csv", "documents.csv"]
            .iter()
            .map(|t| std::fs::read(out.path().join(t)).unwrap())
            .collect();
        outputs.push((out, tables));
    }
    assert!(outputs[0].1[0].len() > 1000, "entities.csv should not be trivially small");
    assert_eq!(outputs[0].1, outputs[1].1);
}
