//! The live progress line of a load run: on stderr, and only where a person watches it.

use std::io::{self, IsTerminal};
use std::time::Duration;

use super::Printer;

impl Printer {
    /// A progress line on stderr, drawn only where a person watches it: on a terminal,
    /// without `-q` or `--json`. Otherwise a hidden bar, so callers never need to check.
    pub fn progress(&self) -> indicatif::ProgressBar {
        if self.quiet || self.json || !io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    }
}
