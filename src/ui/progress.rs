//! The terminal's progress sink: one status line per service while waiting,
//! indicatif spinners on a terminal, plain lines (printed when they change)
//! otherwise; messages through [`Ui`].

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Ui;
use crate::engine::progress::Progress;

pub struct ServiceProgress {
    bars: Option<(MultiProgress, BTreeMap<String, ProgressBar>)>,
    last: BTreeMap<String, String>,
    ui: Ui,
}

impl ServiceProgress {
    /// Lines for `names`, in that order.
    pub fn new(ui: &Ui, names: &[String]) -> ServiceProgress {
        let animated = !ui.quiet && !names.is_empty() && std::io::stderr().is_terminal();
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
            ui: ui.clone(),
        }
    }

    /// Prints a message above the bars (or as a plain line).
    fn println(&self, line: String) {
        match &self.bars {
            Some((multi, _)) => {
                let _ = multi.println(line);
            }
            None => eprintln!("{line}"),
        }
    }
}

impl Progress for ServiceProgress {
    fn update(&mut self, name: &str, line: &str) {
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
            None if !self.ui.quiet => eprintln!("{name}: {line}"),
            None => {}
        }
    }

    fn finish(&mut self, name: &str, line: &str) {
        self.update(name, line);
        if let Some(bar) = self.bars.as_ref().and_then(|(_, bars)| bars.get(name)) {
            bar.finish();
        }
    }

    fn stop(&mut self) {
        if let Some((_, bars)) = &self.bars {
            for bar in bars.values() {
                if !bar.is_finished() {
                    bar.abandon();
                }
            }
        }
    }

    fn info(&mut self, message: &str) {
        if !self.ui.quiet {
            self.println(message.to_owned());
        }
    }

    fn detail(&mut self, message: &str) {
        if self.ui.verbose > 0 && !self.ui.quiet {
            self.println(format!("{} {message}", console::style("·").dim()));
        }
    }

    fn warn(&mut self, message: &str) {
        self.println(format!(
            "{} {message}",
            console::style("warning:").yellow().bold()
        ));
    }
}

impl Drop for ServiceProgress {
    fn drop(&mut self) {
        self.stop();
    }
}
