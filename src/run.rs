//! argv → [`Cli`] → a command; every error is printed here, once, with its
//! cause chain and a hint, and turned into the exit code.

use crate::answers::AnswerError;
use crate::cli::{Cli, Command};
use crate::disk::write::WriteError;
use crate::exit;
use crate::interrupt::{self, Interrupted};
use crate::ui::Ui;
use clap::{CommandFactory, Parser};
use std::ffi::OsString;
use std::io::Write;

/// Runs scaffold with `args` (program name first) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version land here too, with exit code 0.
            let _ = e.print();
            return e.exit_code();
        }
    };
    interrupt::install();
    let ui = Ui::new(cli.color, cli.quiet, cli.verbose);
    let result = match &cli.command {
        Command::New(args) => crate::cmd::new::run(args, &ui).map(|()| exit::OK),
        Command::List(args) => crate::cmd::list::run(args, &ui).map(|()| exit::OK),
        Command::Check(args) => crate::cmd::check::check(args, &ui),
        Command::Diff(args) => crate::cmd::check::diff(args, &ui),
        Command::Update(args) => crate::cmd::update::run(args, &ui),
        Command::Add(args) => crate::cmd::add::run(args, &ui),
        Command::Lint(args) => crate::cmd::lint::run(args, &ui),
        Command::Config => crate::cmd::config::run(),
        Command::Completions(args) => completions(args.shell),
        Command::Man => man(),
    };
    match result {
        Ok(code) => code,
        // A reader that went away (`scaffold list | head`) is not a failure.
        Err(error) if is_broken_pipe(&error) => exit::OK,
        Err(error) => {
            report(&error);
            if is_interrupted(&error) {
                interrupt::EXIT_CODE
            } else {
                exit::ERROR
            }
        }
    }
}

fn is_interrupted(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.is::<Interrupted>()
            || matches!(e.downcast_ref(), Some(AnswerError::Interrupted))
            || matches!(e.downcast_ref(), Some(WriteError::Stopped { .. }))
    })
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints `error: message: cause: cause`, then any hint.
fn report(error: &anyhow::Error) {
    let style = |text: &'static str, color| console::style(text).fg(color).bold().for_stderr();
    eprintln!("{} {error:#}", style("error:", console::Color::Red));
    if let Some(hint) = hint(error) {
        eprintln!("{} {hint}", style("hint:", console::Color::Cyan));
    }
}

/// `scaffold completions SHELL`: the script, from the same definitions as the parser.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "scaffold", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(exit::OK)
}

/// `scaffold man`: the manual page, in roff.
fn man() -> anyhow::Result<i32> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(exit::OK)
}

fn hint(error: &anyhow::Error) -> Option<String> {
    error.chain().find_map(|e| {
        if let Some(e) = e.downcast_ref::<AnswerError>() {
            e.hint()
        } else if let Some(e) = e.downcast_ref::<WriteError>() {
            e.hint()
        } else if let Some(e) = e.downcast_ref::<crate::config::ConfigError>() {
            e.hint()
        } else if let Some(e) = e.downcast_ref::<crate::hooks::HookError>() {
            e.hint()
        } else if let Some(e) = e.downcast_ref::<crate::source::SourceError>() {
            e.hint()
        } else {
            None
        }
    })
}
