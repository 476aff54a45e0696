//! The progress bar (indicatif lives only here): documents and MB done,
//! hidden when stderr is not a terminal or with `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    total_bytes: u64,
}

impl Progress {
    pub fn new(documents: usize, total_bytes: u64, quiet: bool) -> Progress {
        let bar = ProgressBar::new(documents as u64);
        if quiet {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        } else {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {pos}/{len} documents · {msg} · {elapsed_precise} (eta {eta})",
            )
            .expect("progress template"),
        );
        Progress { bar, total_bytes }
    }

    pub fn update(&self, documents: usize, bytes: u64) {
        self.bar.set_position(documents as u64);
        self.bar.set_message(format!(
            "{:.1}/{:.1} MB",
            bytes as f64 / 1e6,
            self.total_bytes as f64 / 1e6
        ));
    }

    /// Leaves the terminal clean for a message.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
