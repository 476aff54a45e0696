//! The subcommands through the binary: check, the user overlay, explain,
//! exit codes and the documents table for unreadable input.

use std::fs;

use crate::util::{gazette, read_csv};

#[test]
fn check_passes_on_the_bundled_gazetteers() {
    let out = gazette().arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains(" 0 error(s)"), "{stdout}");
}

#[test]
fn check_reports_file_and_line_for_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("people.tsv"),
        "id\tname\tcountry\trole\tstart\tend\n\
         # a comment\n\
         ann-bee\tAnn Bee\tXXQ\tforeign_minister\t2020-01-01\t2019-01-01\n\
         cal-dee\tCal Dee\tFRA\tminister\t2020-02-30\t\n",
    )
    .unwrap();
    fs::write(dir.path().join("countries.tsv"), "id\tname\tcolour\nFRX\tFrancia\tblue\n").unwrap();
    let out = gazette().arg("check").arg("--gazetteers").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let p = dir.path().join("people.tsv").display().to_string();
    let c = dir.path().join("countries.tsv").display().to_string();
    for want in [
        format!("{c}:1: error: unknown column \"colour\""),
        format!("{p}:3: error: end 2019-01-01 is before start 2020-01-01"),
        format!("{p}:3: error: ann-bee: country \"XXQ\" is not in any countries file"),
        format!("{p}:4: error: start \"2020-02-30\" is not a date (YYYY-MM-DD)"),
    ] {
        assert!(stdout.contains(&want), "missing {want:?} in\n{stdout}");
    }
    // extract refuses to start, with the same messages.
    let art = tempfile::tempdir().unwrap();
    fs::write(art.path().join("a.txt"), "France met Japan.").unwrap();
    let out = gazette()
        .args(["extract", "--quiet", "--gazetteers"])
        .arg(dir.path())
        .arg("--out")
        .arg(art.path().join("out"))
        .arg(art.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{p}:3: error: end 2019-01-01")), "{stderr}");
    assert!(!art.path().join("out/entities.csv").exists());
}

#[test]
fn a_user_person_is_tagged_with_their_country() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("people-mine.tsv"),
        "id\tname\taliases\tcountry\trole\tstart\tend\n\
         zora-quill\tZora Quill\tQuill Zora\tNZL\tforeign_minister\t2020-01-01\t\n",
    )
    .unwrap();
    let art = tempfile::tempdir().unwrap();
    fs::write(art.path().join("a.txt"), "Zora Quill met reporters. Later Quill spoke again.")
        .unwrap();
    let out = art.path().join("out");
    let status = gazette()
        .args(["extract", "--quiet", "--dct", "2021-05-01", "--gazetteers"])
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .arg(art.path().join("a.txt"))
        .status()
        .unwrap();
    assert!(status.success());
    let rows = read_csv(&out.join("entities.csv"));
    let people: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r["type"] == "PERSON")
        .map(|r| (r["text"].as_str(), r["canonical"].as_str(), r["country"].as_str()))
        .collect();
    assert_eq!(people, vec![("Zora Quill", "Zora Quill", "NZL"), ("Quill", "Zora Quill", "NZL")]);
}

#[test]
fn explain_shows_tags_events_and_unmade_triggers() {
    let out = gazette()
        .args([
            "explain",
            "Japan and Vietnam signed a defence pact. France did not sign the pact with Germany.",
            "--dct",
            "2021-11-23",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("COUNTRY \"Vietnam\" → Vietnam [VNM]"), "{stdout}");
    assert!(stdout.contains("JPN 057 VNM"), "{stdout}");
    assert!(stdout.contains("VNM 057 JPN"), "{stdout}");
    assert!(stdout.contains(": negated"), "{stdout}");
}

#[test]
fn unreadable_files_get_rows_and_exit_code_one() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.txt"), "Japan criticised China on Monday.").unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    fs::write(dir.path().join("binary.txt"), b"\x00\x01\x02garbage").unwrap();
    fs::write(dir.path().join("photo.jpg"), b"\xff\xd8\xff").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("missing.txt"), dir.path().join("broken.txt"))
        .unwrap();
    let out = dir.path().join("out");
    let run = gazette()
        .args(["extract", "--dct", "2021-01-04", "--out"])
        .arg(&out)
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    let docs = read_csv(&out.join("documents.csv"));
    let got: Vec<(&str, &str, &str)> = docs
        .iter()
        .map(|r| (r["doc"].as_str(), r["status"].as_str(), r["message"].as_str()))
        .collect();
    let mut want = vec![
        ("binary.txt", "skipped", "binary file (NUL bytes)"),
        ("empty.txt", "skipped", "empty file"),
        ("good.txt", "ok", ""),
        ("photo.jpg", "skipped", "not an article format (.jpg)"),
    ];
    #[cfg(unix)]
    want.insert(1, ("broken.txt", "error", "broken symbolic link or vanished file"));
    assert_eq!(got, want, "{stderr}");
    #[cfg(unix)]
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr.contains("gazette: empty.txt: skipped: empty file"), "{stderr}");
    let events = read_csv(&out.join("events.csv"));
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0]["source_code"].as_str(), events[0]["target_code"].as_str()),
        ("JPN", "CHN")
    );
}

#[test]
fn usage_errors_exit_two() {
    let out = gazette().args(["extract", "x", "--dct", "yesterday"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a date"));
}

#[test]
fn bench_times_the_pipeline_and_its_scaling_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let args = ["bench", "--mb", "1", "--big-mb", "9", "--threads", "2", "--repeat", "1"];
    let out = gazette().args(args).arg("--scaling").arg("--dir").arg(&corpus).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    // The number before `suffix` on the line that starts with `line`.
    let figure = |line: &str, suffix: &str| -> f64 {
        let mut lines = stdout.lines();
        let l = lines.find(|l| l.starts_with(line) && l.contains(suffix)).expect(line);
        let before = l.split(suffix).next().unwrap();
        before.rsplit([' ', '(']).next().unwrap().parse().unwrap_or_else(|_| panic!("{l}"))
    };
    assert!(figure("extract", " entities)") > 1000.0, "{stdout}");
    assert!(figure("ratio", " (wall)") > 0.0, "{stdout}");
    // Two child runs of `extract`, each into its own fresh folder.
    let speedup = figure("scaling   ", "x (medians");
    assert!(speedup > 0.2 && speedup < 5.0, "{stdout}");
    assert!(stdout.contains("; 2 threads: ") && stdout.contains("cores busy "), "{stdout}");
    // The corpus was kept, with its large article read in parts.
    assert!(fs::metadata(corpus.join("big/huge.txt")).unwrap().len() > 8_000_000);
}
