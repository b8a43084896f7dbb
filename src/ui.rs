//! How scaffold talks to people, on stderr: status lines (not with
//! `--quiet`), details (only with `--verbose`), colour only where it helps
//! (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`, a terminal), progress bars only
//! for long work on a terminal. Data goes to stdout, uncoloured unless asked.

use crate::cli::ColorChoice;
use std::io::IsTerminal;
use std::time::Instant;

/// The output settings of one run.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// No status lines.
    pub quiet: bool,
    /// Per-file details and stage timings.
    pub verbose: bool,
    /// Colour on stderr.
    pub color_err: bool,
    /// Colour on stdout (diffs).
    pub color_out: bool,
    /// Whether stderr is a terminal (progress bars).
    pub err_is_terminal: bool,
}

/// Whether colour is settled without looking at the stream: by the flag,
/// then `NO_COLOR`, then `CLICOLOR_FORCE`; `None` leaves it to whether the
/// stream is a terminal.
pub fn colour_decided(choice: ColorChoice) -> Option<bool> {
    let set = |key| std::env::var_os(key).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => Some(true),
        ColorChoice::Never => Some(false),
        ColorChoice::Auto if set("NO_COLOR") => Some(false),
        ColorChoice::Auto
            if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") =>
        {
            Some(true)
        }
        ColorChoice::Auto => None,
    }
}

fn colour(choice: ColorChoice, terminal: bool) -> bool {
    colour_decided(choice).unwrap_or(terminal)
}

impl Ui {
    /// Settles the output for this run, and tells the terminal libraries.
    pub fn new(choice: ColorChoice, quiet: bool, verbose: bool) -> Ui {
        let err_is_terminal = std::io::stderr().is_terminal();
        let ui = Ui {
            quiet,
            verbose: verbose && !quiet,
            color_err: colour(choice, err_is_terminal),
            color_out: colour(choice, std::io::stdout().is_terminal()),
            err_is_terminal,
        };
        console::set_colors_enabled_stderr(ui.color_err);
        console::set_colors_enabled(ui.color_out);
        ui
    }

    /// A status line, unless `--quiet`.
    pub fn status(&self, text: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", text.as_ref());
        }
    }

    /// A detail line, with `--verbose` only.
    pub fn detail(&self, text: impl AsRef<str>) {
        if self.verbose {
            eprintln!("{}", console::style(text.as_ref()).dim());
        }
    }

    /// `text` in the colour of a heading (bold), when stderr is coloured.
    pub fn strong(&self, text: &str) -> String {
        console::style(text).bold().for_stderr().to_string()
    }

    /// Times a stage for `--verbose`: `let done = ui.stage("render"); ...; done();`
    pub fn stage(&self, name: &'static str) -> impl FnOnce() + '_ {
        let start = Instant::now();
        move || {
            self.detail(format!(
                "{name}: {:.1} ms",
                start.elapsed().as_secs_f64() * 1000.0
            ))
        }
    }

    /// A progress bar for work of unknown length (a clone), on a terminal only.
    pub fn spinner(&self, what: &str) -> Option<indicatif::ProgressBar> {
        if self.quiet || !self.err_is_terminal {
            return None;
        }
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(clone_style());
        bar.set_message(what.to_owned());
        Some(bar)
    }

    /// A progress bar for `total` steps, only for long work on a terminal.
    pub fn progress(&self, total: usize, what: &str) -> Option<indicatif::ProgressBar> {
        if self.quiet || !self.err_is_terminal || total < 1000 {
            return None;
        }
        let bar = indicatif::ProgressBar::new(total as u64);
        let style = indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(what.to_owned());
        Some(bar)
    }
}

/// The clone's bar: the message first (the default style has no `{msg}`, so
/// "fetching templates" never showed), then the objects received.
fn clone_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} objects")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_the_terminal_decides() {
        assert!(colour(ColorChoice::Always, false));
        assert!(!colour(ColorChoice::Never, true));
    }

    /// A terminal that keeps what is drawn on it.
    #[derive(Debug, Default, Clone)]
    struct Screen(std::sync::Arc<std::sync::Mutex<String>>);

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.0.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_clone_bar_shows_its_message() {
        let screen = Screen::default();
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(10),
            indicatif::ProgressDrawTarget::term_like(Box::new(screen.clone())),
        );
        bar.set_style(clone_style());
        bar.set_message("fetching templates");
        bar.set_position(4);
        bar.tick();
        let drawn = screen.0.lock().unwrap().clone();
        assert!(drawn.contains("fetching templates "), "{drawn:?}");
        assert!(drawn.contains(" 4/10 objects"), "{drawn:?}");
    }
}
