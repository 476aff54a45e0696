//! `gazette bench`: a reproducible throughput measurement. Generates a
//! news-like corpus (deterministic, see `gazette::corpus`), then times, in
//! the same run and on the same threads, the bare matcher (aho-corasick
//! leftmost-longest over every gazetteer form, whole words only: the
//! floor any gazetteer tagger pays) and the whole `extract` pipeline
//! writing the three CSV tables, and prints both and their ratio. With
//! `--scaling` it also runs `gazette extract` on the corpus as child
//! processes, on one thread and on all, each pinned to as many cores as it
//! has threads, and prints the speed-up.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use anyhow::Context as _;
use gazette::corpus::{self, Generator, Names};
use gazette::dates::DateOptions;
use gazette::output::{self, SinkOptions};
use gazette::pipeline::{self, Options, Resources};
use gazette::text::is_word_char;
use rayon::prelude::*;

/// Measure throughput on a generated corpus (MB/s, documents/s, memory),
/// against the bare Aho-Corasick matcher.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Corpus size in megabytes.
    #[arg(long, default_value_t = 10)]
    mb: usize,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Add a people gazetteer of this many made-up people.
    #[arg(long, default_value_t = 0)]
    people: usize,
    /// Add one article of this many megabytes (skewed document sizes).
    #[arg(long, default_value_t = 0)]
    big_mb: usize,
    /// Timed runs of each (the median is reported).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Write the corpus here and keep it (default: a temporary folder).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Only time the bare matcher, or only the pipeline.
    #[arg(long, value_enum)]
    only: Option<Only>,
    /// Also time `gazette extract` as a whole process on 1 thread and on
    /// `--threads` (default: all cores), alternately, and print the speed-up.
    #[arg(long)]
    scaling: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Only {
    Matcher,
    Pipeline,
}

/// Average article size, as in the customer's corpus (10 MB, 1,797 articles).
const ARTICLE_BYTES: usize = 5_600;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("thread pool")?;
    }
    let scratch = tempfile::tempdir().context("temporary folder")?;
    let corpus_dir = args.dir.clone().unwrap_or_else(|| scratch.path().join("corpus"));
    let mut gazetteer_dirs = vec![];
    if args.people > 0 {
        let dir = scratch.path().join("gazetteers");
        std::fs::create_dir_all(&dir)?;
        let bundled = Resources::load(&[], DateOptions::default())?.0;
        let countries: Vec<String> =
            bundled.tagger.gazetteer.countries.iter().map(|c| c.id.clone()).collect();
        let tsv = corpus::synthetic_people(args.people, &countries, 7);
        std::fs::write(dir.join("people-synthetic.tsv"), tsv)?;
        gazetteer_dirs.push(dir);
    }

    let started = Instant::now();
    let (res, _) = Resources::load(&gazetteer_dirs, DateOptions::default())?;
    let load_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (patterns, _) = gazette::tag::matcher::surface_forms(&res.tagger.gazetteer);
    let bare = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(patterns.iter().map(|p| p.as_bytes()))
        .context("bare automaton")?;
    let bare_build_secs = started.elapsed().as_secs_f64();

    let (files, bytes) = write_corpus(&corpus_dir, &res, args.mb, args.big_mb)?;
    println!(
        "corpus: {} documents, {:.1} MB in {}; {} patterns; {} threads",
        files.len(),
        bytes as f64 / 1e6,
        corpus_dir.display(),
        patterns.len(),
        rayon::current_num_threads()
    );
    println!(
        "load: gazetteers + grammar + rules {:.0} ms; bare automaton {:.0} ms",
        load_secs * 1e3,
        bare_build_secs * 1e3
    );

    let mut bare_secs = vec![];
    let mut pipe_secs = vec![];
    let (mut bare_cpu, mut pipe_cpu) = (0.0, 0.0);
    let mut counts = (0, 0);
    for _ in 0..args.repeat.max(1) {
        if args.only != Some(Only::Pipeline) {
            let (t, cpu) = (Instant::now(), cpu_seconds());
            counts.0 = bare_count(&bare, &files);
            bare_secs.push(t.elapsed().as_secs_f64());
            bare_cpu += cpu_seconds() - cpu;
        }
        if args.only != Some(Only::Matcher) {
            let out = scratch.path().join("out");
            let (t, cpu) = (Instant::now(), cpu_seconds());
            counts.1 = extract(&corpus_dir, &out, &res)?;
            pipe_secs.push(t.elapsed().as_secs_f64());
            pipe_cpu += cpu_seconds() - cpu;
        }
    }
    let mb = bytes as f64 / 1e6;
    let docs = files.len() as f64;
    // Wall time is what users see; CPU time (all threads) is steadier on
    // a shared machine and gives the cost per megabyte.
    let line = |name: &str, secs: &mut Vec<f64>, cpu: f64, found: usize, what: &str| {
        let s = median(secs);
        let cpu = cpu / secs.len() as f64;
        println!(
            "{name:<9} {:>7.1} MB/s {:>9.0} documents/s {:>7.1} MB per CPU-second  ({:.3} s median of {}; {found} {what})",
            mb / s,
            docs / s,
            mb / cpu,
            s,
            secs.len()
        );
        (s, cpu)
    };
    let b = (!bare_secs.is_empty())
        .then(|| line("matcher", &mut bare_secs, bare_cpu, counts.0, "matches"));
    let p = (!pipe_secs.is_empty())
        .then(|| line("extract", &mut pipe_secs, pipe_cpu, counts.1, "entities"));
    if let (Some(b), Some(p)) = (b, p) {
        println!("ratio     extract / matcher = {:.3} (wall), {:.3} (CPU)", b.0 / p.0, b.1 / p.1);
    }
    println!("peak RSS  {:.0} MB", gazette::pipeline::memory_kb("VmHWM") as f64 / 1024.0);
    if args.scaling {
        let threads = rayon::current_num_threads();
        scaling(&corpus_dir, &gazetteer_dirs, threads, args.repeat.max(1), scratch.path())?;
    }
    if args.dir.is_none() {
        // The corpus goes with the scratch folder.
        drop(scratch);
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `mb` megabytes of articles (plus one of `big_mb`) into 100
/// folders; returns the files and their total size.
fn write_corpus(
    dir: &Path,
    res: &Resources,
    mb: usize,
    big_mb: usize,
) -> anyhow::Result<(Vec<PathBuf>, u64)> {
    let mut gen = Generator::new(Names::from_gazetteer(&res.tagger.gazetteer), 1);
    let mut rng = corpus::Rng::new(2);
    let (mut files, mut bytes) = (vec![], 0u64);
    let mut write = |name: String, text: String| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(&path, &text).with_context(|| path.display().to_string())?;
        bytes += text.len() as u64;
        files.push(path);
        Ok(())
    };
    if big_mb > 0 {
        write("big/huge.txt".into(), gen.article(big_mb * 1_000_000))?;
    }
    let mut small = 0;
    for i in 0.. {
        if small >= mb * 1_000_000 {
            break;
        }
        // Sizes from a fifth to twice the average, as news articles vary.
        let text = gen.article(ARTICLE_BYTES / 5 + rng.below(ARTICLE_BYTES * 2));
        small += text.len();
        write(format!("{:02}/a{i:07}.txt", i % 100), text)?;
    }
    files.sort();
    Ok((files, bytes))
}

/// The bare matcher over the files: read, leftmost-longest, whole words.
fn bare_count(ac: &AhoCorasick, files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            ac.find_iter(&text)
                .filter(|m| {
                    let before = text[..m.start()].chars().next_back();
                    let after = text[m.end()..].chars().next();
                    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
                })
                .count()
        })
        .sum()
}

/// `gazette extract DIR --out OUT`, in process; returns the entity count.
fn extract(dir: &Path, out: &Path, res: &Resources) -> anyhow::Result<usize> {
    let opts = Options { max_file_size: 1 << 30, ..Default::default() };
    let files = gazette::input::list(&[dir.to_path_buf()]);
    let sink = output::create(out, SinkOptions::default())?;
    let sources = gazette::input::sources(files, opts.max_file_size);
    let summary = pipeline::run(sources, res, &opts, sink, &|_, _| {}, &mut |_| {})?;
    Ok(summary.entities)
}

/// Times `gazette extract` over `corpus` as child processes, on one
/// thread and on `threads`, alternately `repeat` times each, every run
/// into an empty output folder (removing a previous run's tables is not
/// part of the work), and prints the medians, the speed-up and how busy
/// the cores were. Each run is pinned (`taskset`) to as many of the cores
/// this process may use as it has threads: unpinned, a one-thread run
/// also reads and writes on a second core, and the speed-up looks smaller
/// than it is. Without `taskset`, or with fewer cores than threads, the
/// runs are not pinned and the output says so.
fn scaling(
    corpus: &Path,
    gazetteers: &[PathBuf],
    threads: usize,
    repeat: usize,
    scratch: &Path,
) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("this program's path")?;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let cpus = status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .and_then(|l| cpu_list(l.trim()))
        .filter(|c| c.len() >= threads);
    let taskset = std::process::Command::new("taskset")
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let pin = cpus.filter(|_| taskset);
    let on = |n: usize| {
        pin.as_ref().map(|c| c[..n].iter().map(usize::to_string).collect::<Vec<_>>().join(","))
    };
    match (on(1), on(threads)) {
        (Some(one), Some(many)) => {
            println!("scaling   pinned: 1 thread on CPU {one}, {threads} threads on CPUs {many}")
        }
        _ => println!(
            "scaling   not pinned (no taskset, or fewer usable cores than threads): the \
             one-thread run may also use a second core for reading and writing"
        ),
    }
    let run = |n: usize| -> anyhow::Result<(f64, f64)> {
        let out = scratch.join(format!("scaling-{n}"));
        if out.exists() {
            std::fs::remove_dir_all(&out)?;
        }
        let mut cmd = match on(n) {
            Some(list) => {
                let mut c = std::process::Command::new("taskset");
                c.arg("-c").arg(list).arg(&exe);
                c
            }
            None => std::process::Command::new(&exe),
        };
        cmd.arg("extract").arg(corpus).arg("--quiet").arg("--out").arg(&out);
        cmd.arg("--threads").arg(n.to_string());
        for g in gazetteers {
            cmd.arg("--gazetteers").arg(g);
        }
        let (t, cpu) = (Instant::now(), children_cpu_seconds());
        let status = cmd.status().context("gazette extract")?;
        let secs = t.elapsed().as_secs_f64();
        anyhow::ensure!(status.success(), "gazette extract failed: {status}");
        Ok((secs, children_cpu_seconds() - cpu))
    };
    let (mut one, mut many, mut cpu) = (vec![], vec![], (0.0, 0.0));
    for _ in 0..repeat {
        let (secs, c) = run(1)?;
        one.push(secs);
        cpu.0 += c;
        let (secs, c) = run(threads)?;
        many.push(secs);
        cpu.1 += c;
    }
    let list = |xs: &[f64]| xs.iter().map(|x| format!("{x:.2}")).collect::<Vec<_>>().join(", ");
    println!("scaling   1 thread: {} s; {threads} threads: {} s", list(&one), list(&many));
    // CPU time grows with a busier machine as much as wall time does, so
    // how busy the cores were is the steadier measure of what the program
    // leaves idle.
    let busy = cpu.1 / many.iter().sum::<f64>() / threads as f64;
    let (one, many) = (median(&mut one), median(&mut many));
    println!(
        "scaling   {:.2}x (medians {one:.2} s / {many:.2} s); CPU {:.2} s on 1 thread, {:.2} s \
         on {threads}; cores busy {:.0}% on {threads} threads",
        one / many,
        cpu.0 / repeat as f64,
        cpu.1 / repeat as f64,
        busy * 100.0
    );
    Ok(())
}

/// The CPUs of a Linux CPU list ("0-3,8,10-11"), in order; `None` when
/// it does not read as one.
fn cpu_list(list: &str) -> Option<Vec<usize>> {
    let mut cpus = vec![];
    for item in list.split(',') {
        let (lo, hi) = item.split_once('-').unwrap_or((item, item));
        let (lo, hi): (usize, usize) = (lo.parse().ok()?, hi.parse().ok()?);
        if lo > hi {
            return None;
        }
        cpus.extend(lo..=hi);
    }
    Some(cpus)
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// User plus system CPU time of this process so far (all threads).
fn cpu_seconds() -> f64 {
    // Fields 14 and 15 of /proc/self/stat.
    proc_stat_seconds(11)
}

/// User plus system CPU time of the child processes waited for so far.
fn children_cpu_seconds() -> f64 {
    // Fields 16 and 17 of /proc/self/stat.
    proc_stat_seconds(13)
}

/// The sum of two clock-tick fields of /proc/self/stat, the first at
/// `i` counted after the command name, in seconds.
fn proc_stat_seconds(i: usize) -> f64 {
    // In clock ticks (100 a second on Linux); the command name in field 2
    // may hold spaces, so count from the closing bracket.
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(i) + ticks(i + 1)) / 100.0
}

#[cfg(test)]
mod tests {
    use super::cpu_list;

    #[test]
    fn cpu_lists_read_as_the_kernel_writes_them() {
        assert_eq!(cpu_list("0-1"), Some(vec![0, 1]));
        assert_eq!(cpu_list("0"), Some(vec![0]));
        assert_eq!(cpu_list("0-2,5,8-9"), Some(vec![0, 1, 2, 5, 8, 9]));
        assert_eq!(cpu_list(""), None);
        assert_eq!(cpu_list("3-1"), None);
        assert_eq!(cpu_list("0,x"), None);
    }
}
