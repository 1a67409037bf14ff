//! A progress bar with rows/s for long imports, shown only when stderr is a terminal (so logs,
//! pipes and CI output stay clean).
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::{io::IsTerminal, time::Instant};

/// Rows between two redraws: cheap enough for millions of rows.
const EVERY: u64 = 4096;

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    /// A bar over `total_bytes` of input, or nothing when stderr is not a terminal.
    pub fn new(total_bytes: u64, what: &str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{prefix} [{elapsed_precise}] {wide_bar} {percent:>3}% {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_prefix(what.to_string());
            bar
        });
        Self {
            bar,
            started: Instant::now(),
        }
    }

    /// A bar that never draws (benchmarks, tests).
    pub fn hidden() -> Self {
        Self {
            bar: None,
            started: Instant::now(),
        }
    }

    /// `rows` read so far, `byte` the position in the file.
    pub fn update(&self, rows: u64, byte: u64) {
        let Some(bar) = &self.bar else { return };
        if !rows.is_multiple_of(EVERY) {
            return;
        }
        bar.set_position(byte);
        bar.set_message(format!("{rows} rows, {:.0} rows/s", self.rate(rows)));
    }

    /// Print a line above the bar without garbling it.
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| println!("{line}")),
            None => println!("{line}"),
        }
    }

    pub fn rate(&self, rows: u64) -> f64 {
        rows as f64 / self.started.elapsed().as_secs_f64().max(1e-9)
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
