//! argv → [`Cli`] → a command; every error is printed here, once, with its
//! cause chain and a hint, and turned into the exit code.

use crate::answers::AnswerError;
use crate::cli::{Cli, Command};
use crate::disk::write::WriteError;
use crate::exit;
use crate::interrupt::{self, Interrupted};
use clap::Parser;
use std::ffi::OsString;

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
    let result = match &cli.command {
        Command::New(args) => crate::cmd::new::run(args).map(|()| exit::OK),
        Command::List(args) => crate::cmd::list::run(args).map(|()| exit::OK),
        Command::Check(args) => crate::cmd::check::check(args),
        Command::Diff(args) => crate::cmd::check::diff(args),
        Command::Update(args) => crate::cmd::update::run(args),
        Command::Add(args) => crate::cmd::add::run(args),
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
        e.is::<Interrupted>() || matches!(e.downcast_ref(), Some(AnswerError::Interrupted))
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
    eprintln!("error: {error:#}");
    if let Some(hint) = hint(error) {
        eprintln!("hint: {hint}");
    }
}

fn hint(error: &anyhow::Error) -> Option<String> {
    error.chain().find_map(|e| {
        if let Some(e) = e.downcast_ref::<AnswerError>() {
            e.hint()
        } else if let Some(e) = e.downcast_ref::<WriteError>() {
            e.hint()
        } else if let Some(e) = e.downcast_ref::<crate::config::ConfigError>() {
            e.hint()
        } else {
            None
        }
    })
}
