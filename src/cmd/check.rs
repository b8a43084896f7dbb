//! `scaffold check` and `scaffold diff`: re-render the project's recorded
//! template and answers in memory and compare with the disk.

use super::project;
use crate::cli::{CheckArgs, CheckFormat, DiffArgs};
use crate::report::{self, Subject};
use std::io::{IsTerminal, Write};

/// Runs `scaffold check`; returns the exit code of DESIGN.md's table.
pub fn check(args: &CheckArgs) -> anyhow::Result<i32> {
    let project = project::open(
        &args.dir,
        args.template.template.as_deref(),
        project::Edits::default(),
    )?;
    let disk = project.disk_files()?;
    let drifts = project.compare(&disk);
    let dir = shown(&args.dir);
    let subject = subject(&project, &dir);
    let checked =
        crate::compare::paths_to_read(&project.rendered, &project.lock, &project.ignore).len();
    let text = match args.format {
        CheckFormat::Text => report::text(&subject, &drifts, checked),
        CheckFormat::Json => report::json(&subject, &drifts, checked),
        CheckFormat::Github => report::github(&subject, &drifts),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(crate::compare::exit_code(&drifts))
}

/// Runs `scaffold diff`: the same comparison as unified diffs, project →
/// template; same exit code as `check`.
pub fn diff(args: &DiffArgs) -> anyhow::Result<i32> {
    let project = project::open(
        &args.dir,
        args.template.template.as_deref(),
        project::Edits::default(),
    )?;
    let disk = project.disk_files()?;
    let drifts = project.compare(&disk);
    let stdout = std::io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = report::diff(&drifts, &disk, &project.rendered, color);
    stdout.lock().write_all(text.as_bytes())?;
    Ok(crate::compare::exit_code(&drifts))
}

/// The project as the report names it: the folder given, or for `.` its name.
fn shown(dir: &std::path::Path) -> String {
    match dir
        .canonicalize()
        .ok()
        .filter(|_| dir == std::path::Path::new("."))
    {
        Some(full) => full
            .file_name()
            .map_or_else(|| ".".to_owned(), |n| n.to_string_lossy().into_owned()),
        None => dir.display().to_string(),
    }
}

fn subject<'a>(project: &'a project::Project, dir: &'a str) -> Subject<'a> {
    Subject {
        dir,
        template: &project.set.name,
        recorded_version: &project.record.template.version,
        version: &project.set.version,
    }
}
