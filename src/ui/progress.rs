//! One status line per service while waiting: indicatif spinners on a
//! terminal, plain lines (printed when they change) otherwise.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Ui;

pub struct ServiceProgress {
    bars: Option<(MultiProgress, BTreeMap<String, ProgressBar>)>,
    last: BTreeMap<String, String>,
    quiet: bool,
}

impl ServiceProgress {
    /// Lines for `names`, in that order.
    pub fn new(ui: &Ui, names: &[String]) -> ServiceProgress {
        let animated = !ui.quiet && std::io::stderr().is_terminal();
        let bars = animated.then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{spinner:.cyan} {prefix:.bold} {wide_msg}")
                .expect("valid template");
            let width = names.iter().map(String::len).max().unwrap_or(0);
            let bars = names
                .iter()
                .map(|name| {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(style.clone());
                    bar.set_prefix(format!("{name:width$}"));
                    bar.enable_steady_tick(Duration::from_millis(120));
                    (name.clone(), bar)
                })
                .collect();
            (multi, bars)
        });
        ServiceProgress {
            bars,
            last: BTreeMap::new(),
            quiet: ui.quiet,
        }
    }

    /// Shows the current state of one service.
    pub fn update(&mut self, name: &str, line: &str) {
        if self.last.get(name).is_some_and(|l| l == line) {
            return;
        }
        self.last.insert(name.to_owned(), line.to_owned());
        match &self.bars {
            Some((_, bars)) => {
                if let Some(bar) = bars.get(name) {
                    bar.set_message(line.to_owned());
                }
            }
            None if !self.quiet => eprintln!("{name}: {line}"),
            None => {}
        }
    }

    /// Marks one service as done with a final line.
    pub fn finish(&mut self, name: &str, line: &str) {
        self.update(name, line);
        if let Some(bar) = self.bars.as_ref().and_then(|(_, bars)| bars.get(name)) {
            bar.finish();
        }
    }

    /// Stops every spinner, leaving the last lines on screen.
    pub fn stop(&mut self) {
        if let Some((_, bars)) = &self.bars {
            for bar in bars.values() {
                if !bar.is_finished() {
                    bar.abandon();
                }
            }
        }
    }
}

impl Drop for ServiceProgress {
    fn drop(&mut self) {
        self.stop();
    }
}
