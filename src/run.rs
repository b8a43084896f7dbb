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

/// Prints the error to stderr, coloured on a terminal (see [`error_text`]).
fn report(error: &anyhow::Error) {
    let style = |label: &'static str, color| {
        console::style(label)
            .fg(color)
            .bold()
            .for_stderr()
            .to_string()
    };
    eprint!("{}", error_text(error, &style));
}

/// The text a user sees for `error`: `error: <message>` on the first line,
/// then each cause on its own `  caused by: <cause>` line (a cause already
/// contained in the text above it is skipped, so nothing is said twice), then
/// `hint: <hint>` lines. `style` paints the `error:` and `hint:` labels.
fn error_text(
    error: &anyhow::Error,
    style: &dyn Fn(&'static str, console::Color) -> String,
) -> String {
    let mut chain = error.chain();
    let mut above = chain.next().map(plain_text).unwrap_or_default();
    let mut text = format!("{} {above}\n", style("error:", console::Color::Red));
    for cause in chain {
        let cause = plain_text(cause);
        if cause.is_empty() || above.contains(&cause) {
            continue;
        }
        // A cause of several lines keeps them together, indented under it.
        text.push_str(&format!("  caused by: {}\n", cause.replace('\n', "\n    ")));
        above = cause;
    }
    for hint in hints(error) {
        text.push_str(&format!(
            "{} {hint}\n",
            style("hint:", console::Color::Cyan)
        ));
    }
    text
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

/// One error's own text. libgit2's errors end in `; class=Os (2); code=…`,
/// Rust debug notation: they are shown by their message alone.
fn plain_text(error: &(dyn std::error::Error + 'static)) -> String {
    match error.downcast_ref::<git2::Error>() {
        Some(git) => git.message().to_owned(),
        None => error.to_string(),
    }
}

/// What the user can do: the hints of the outermost error in the chain that has any.
fn hints(error: &anyhow::Error) -> Vec<String> {
    error
        .chain()
        .map(|e| {
            if let Some(e) = e.downcast_ref::<AnswerError>() {
                e.hint().into_iter().collect()
            } else if let Some(e) = e.downcast_ref::<WriteError>() {
                e.hint().into_iter().collect()
            } else if let Some(e) = e.downcast_ref::<crate::config::ConfigError>() {
                e.hint().into_iter().collect()
            } else if let Some(e) = e.downcast_ref::<crate::hooks::HookError>() {
                e.hint().into_iter().collect()
            } else if let Some(e) = e.downcast_ref::<crate::source::SourceError>() {
                e.hint().into_iter().collect()
            } else if let Some(e) = e.downcast_ref::<crate::record::RecordError>() {
                e.hint().into_iter().collect()
            } else if let Some(e) = e.downcast_ref::<crate::cmd::Refusal>() {
                vec![e.hint.clone()]
            } else if let Some(e) = e.downcast_ref::<crate::cmd::RecordedSourceError>() {
                vec![e.hint()]
            } else if let Some(e) = e.downcast_ref::<crate::disk::read::ReadError>() {
                e.hint().into_iter().collect()
            } else if let Some(e) = e.downcast_ref::<crate::git::GitError>() {
                e.hint().into_iter().collect()
            } else if let Some(e) = e.downcast_ref::<crate::render::RenderErrors>() {
                e.hints()
            } else {
                Vec::new()
            }
        })
        .find(|hints: &Vec<String>| !hints.is_empty())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(error: &anyhow::Error) -> String {
        error_text(error, &|label, _| label.to_owned())
    }

    #[test]
    fn the_message_comes_first_then_each_cause_on_its_own_line() {
        let io = std::io::Error::from_raw_os_error(30);
        let error = anyhow::Error::new(io)
            .context("cannot create `demo/a.txt`")
            .context("cannot create the project `demo`");
        assert_eq!(
            plain(&error),
            "error: cannot create the project `demo`\n  \
             caused by: cannot create `demo/a.txt`\n  \
             caused by: Read-only file system (os error 30)\n"
        );
    }

    #[test]
    fn a_cause_already_said_above_is_not_repeated() {
        let error = anyhow::anyhow!("no space left")
            .context("cannot write `a`: no space left")
            .context("cannot write `a`: no space left, so nothing was written");
        assert_eq!(
            plain(&error),
            "error: cannot write `a`: no space left, so nothing was written\n"
        );
    }

    #[test]
    fn hints_follow_the_causes_and_causes_of_several_lines_stay_together() {
        let error: Result<(), WriteError> = Err(WriteError::NoParent("out".into()));
        let error = error
            .context("first\nsecond")
            .context("cannot create the project")
            .unwrap_err();
        assert_eq!(
            plain(&error),
            "error: cannot create the project\n  \
             caused by: first\n    second\n  \
             caused by: the output folder `out` does not exist\n\
             hint: create it first: mkdir -p out\n"
        );
    }

    #[test]
    fn libgit2_errors_are_shown_without_their_class_and_code() {
        let git = git2::Error::new(
            git2::ErrorCode::NotFound,
            git2::ErrorClass::Os,
            "failed to resolve path '/x.git': No such file or directory",
        );
        assert!(git.to_string().contains("class=Os"), "{git}");
        let error = anyhow::Error::new(git).context("cannot fetch `file:///x.git`");
        assert_eq!(
            plain(&error),
            "error: cannot fetch `file:///x.git`\n  \
             caused by: failed to resolve path '/x.git': No such file or directory\n"
        );
    }

    #[test]
    fn labels_are_painted_by_the_caller() {
        let error = anyhow::anyhow!("boom");
        let text = error_text(&error, &|label, _| format!("<{label}>"));
        assert_eq!(text, "<error:> boom\n");
    }
}
