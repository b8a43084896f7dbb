//! argv → [`Cli`] → a command; every error is printed here, once, with its
//! cause chain and a hint, and turned into the exit code.

use crate::answers::AnswerError;
use crate::cli::{Cli, ColorChoice, Command};
use crate::disk::write::WriteError;
use crate::exit;
use crate::interrupt::{self, Interrupted};
use crate::ui::Ui;
use anyhow::Context;
use clap::{CommandFactory, FromArgMatches, ValueEnum};
use std::ffi::OsString;
use std::io::Write;

/// Runs scaffold with `args` (program name first) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let parsed = Cli::command()
        .color(clap_color(&args))
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
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
        Command::Man(args) => man(args),
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

/// clap prints help and usage errors before `--color` is parsed, so the flag
/// is looked up in argv first (the last one wins, as in the parser), and the
/// same rules as scaffold's own output apply.
fn clap_color(args: &[OsString]) -> clap::ColorChoice {
    let mut choice = ColorChoice::Auto;
    let mut words = args.iter().skip(1).map(|a| a.to_str().unwrap_or(""));
    while let Some(word) = words.next() {
        let value = match word {
            "--" => break,
            "--color" => words.next(),
            _ => word.strip_prefix("--color="),
        };
        if let Some(parsed) = value.and_then(|v| ColorChoice::from_str(v, false).ok()) {
            choice = parsed;
        }
    }
    match crate::ui::colour_decided(choice) {
        Some(true) => clap::ColorChoice::Always,
        Some(false) => clap::ColorChoice::Never,
        None => clap::ColorChoice::Auto,
    }
}

/// `scaffold man [COMMAND] [--dir DIR]`: scaffold(1) or scaffold-COMMAND(1),
/// in roff, from the same definitions as the parser.
fn man(args: &crate::cli::ManArgs) -> anyhow::Result<i32> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build(); // names the subcommands' pages scaffold-COMMAND
    if let Some(dir) = &args.dir {
        clap_mangen::generate_to(command, dir)
            .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
        return Ok(exit::OK);
    }
    let page = match &args.command {
        None => command,
        Some(name) => command.find_subcommand(name).cloned().ok_or_else(|| {
            anyhow::anyhow!("there is no command `{name}`; `scaffold --help` lists them")
        })?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out)?;
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
