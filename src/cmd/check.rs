//! `scaffold check` and `scaffold diff`: re-render the project's template
//! with its recorded answers in memory and compare with the disk. The
//! template is the newest one can have: the binary's built-in set, the
//! folder as it is now, or for git the newest commit of the recorded branch
//! (the highest version tag, for a tag); the lock says what the recorded
//! version rendered, so one comparison tells drift from a newer template.

use super::project;
use crate::cli::{CheckArgs, CheckFormat, DiffArgs};
use crate::report::{self, Subject};
use crate::ui::Ui;
use std::io::Write;

/// Runs `scaffold check`; returns the exit code of DESIGN.md's table.
pub fn check(args: &CheckArgs, ui: &Ui) -> anyhow::Result<i32> {
    let project = opened(&args.dir, &args.template, ui)?;
    // Each file is read and compared in turn: memory holds one file, not the project.
    let done = ui.stage("compare");
    let drifts = project.drifts()?;
    done();
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
pub fn diff(args: &DiffArgs, ui: &Ui) -> anyhow::Result<i32> {
    let project = opened(&args.dir, &args.template, ui)?;
    // The diffs show the project's side, so the files are read first.
    let done = ui.stage("compare");
    let mut disk = project.disk_files()?;
    let drifts = project.compare(&mut disk)?;
    done();
    let text = report::diff(&drifts, &disk, &project.rendered, ui.color_out);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(crate::compare::exit_code(&drifts))
}

/// The project at `dir`, rendered with the newest template it can have.
fn opened(
    dir: &std::path::Path,
    template: &crate::cli::TemplateArgs,
    ui: &Ui,
) -> anyhow::Result<project::Project> {
    let done = ui.stage("render");
    let project = project::open(dir, template, true, project::Edits::default(), ui)?;
    done();
    Ok(project)
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
        // A git source's newest commit comes in with --latest; the others always.
        update: match project.record.source {
            crate::record::SourceRecord::Git { .. } => "scaffold update --latest",
            _ => "scaffold update",
        },
    }
}
