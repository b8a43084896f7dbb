//! `scaffold check` and `scaffold diff`: re-render the project's template
//! with its recorded answers in memory and compare with the disk. The
//! comparison is with the recorded version (for git, the recorded commit; a
//! folder or the built-in set has only the one it is now); for git, the
//! newest commit of the recorded branch (the highest version tag, for a tag)
//! is then planned as `update --latest` would, to tell exit 3 from 4. With
//! `--latest`, the comparison itself is with that newest version.

use super::project;
use crate::cli::{CheckArgs, CheckFormat, DiffArgs, TemplateArgs};
use crate::compare::{DiskFile, Drift};
use crate::merge::{self, Action};
use crate::report::{self, Newer, Subject};
use crate::ui::Ui;
use std::collections::BTreeMap;
use std::io::Write;

/// Runs `scaffold check`; returns the exit code of DESIGN.md's table.
pub fn check(args: &CheckArgs, ui: &Ui) -> anyhow::Result<i32> {
    let compared = compared(&args.dir, &args.template, args.latest, false, ui)?;
    let dir = shown(&args.dir);
    let subject = subject(&compared, &dir);
    let project = &compared.project;
    let drifts = &compared.drifts;
    let checked =
        crate::compare::paths_to_read(&project.rendered, &project.lock, &project.ignore).len();
    let text = match args.format {
        CheckFormat::Text => report::text(&subject, drifts, checked),
        CheckFormat::Json => report::json(&subject, drifts, checked),
        CheckFormat::Github => report::github(&subject, drifts),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(subject.exit_code(drifts))
}

/// Runs `scaffold diff`: the same comparison as unified diffs, project →
/// template; same exit code as `check`.
pub fn diff(args: &DiffArgs, ui: &Ui) -> anyhow::Result<i32> {
    let compared = compared(&args.dir, &args.template, args.latest, true, ui)?;
    let dir = shown(&args.dir);
    let subject = subject(&compared, &dir);
    let text = report::diff(
        &compared.drifts,
        &compared.disk,
        &compared.project.rendered,
        ui.color_out,
    );
    std::io::stdout().lock().write_all(text.as_bytes())?;
    if let Some(line) = report::newer_line(&subject) {
        ui.status(format!(
            "{line}; `scaffold diff --latest` shows its changes"
        ));
    }
    Ok(subject.exit_code(&compared.drifts))
}

/// A project compared with its template.
struct Compared {
    project: project::Project,
    /// The files compared, for `diff`, which shows them (none for `check`).
    disk: BTreeMap<String, DiskFile>,
    drifts: Vec<Drift>,
    /// A newer version that `update --latest` would change files for.
    newer: Option<(project::Newest, Vec<merge::Step>)>,
}

/// The project at `dir`, rendered with its recorded template version (the
/// newest with `latest`), how its files differ, and for a git source
/// compared at its recorded commit, what a newer commit would change. With
/// `keep_files` (for `diff`) the files compared are kept; otherwise each is
/// read and compared in turn, so memory holds one file, not the project.
fn compared(
    dir: &std::path::Path,
    template: &TemplateArgs,
    latest: bool,
    keep_files: bool,
    ui: &Ui,
) -> anyhow::Result<Compared> {
    let done = ui.stage("render");
    let project = project::open(dir, template, latest, project::Edits::default(), ui)?;
    // Without them a file both sides changed counts as a conflict: no error.
    let pristine = project.pristine(ui).unwrap_or_default();
    let newest = if latest { None } else { project.newest(ui)? };
    done();
    let done = ui.stage("compare");
    let (disk, drifts) = if keep_files {
        let mut disk = project.disk_files()?;
        let drifts = project.compare(&mut disk, &pristine)?;
        (disk, drifts)
    } else {
        (BTreeMap::new(), project.drifts(&pristine)?)
    };
    let newer = newest
        .map(|newest| newer(&project, newest, &pristine))
        .transpose()?
        .flatten();
    done();
    Ok(Compared {
        project,
        disk,
        drifts,
        newer,
    })
}

/// What `newest` would change in the project, as `update --latest` plans
/// it; `None` when nothing. A version that asks new questions is an update,
/// but not a clean one: it comes with no steps.
fn newer(
    project: &project::Project,
    newest: project::Newest,
    pristine: &[crate::tree::Tree],
) -> anyhow::Result<Option<(project::Newest, Vec<merge::Step>)>> {
    let Some(rendered) = &newest.rendered else {
        return Ok(Some((newest, Vec::new())));
    };
    let paths = merge::paths_to_read(rendered, &project.lock, &project.ignore);
    let on_disk = crate::disk::read::files(&project.dir, &paths)?;
    let steps = project.with_base(pristine, |base| {
        merge::plan(rendered, &on_disk, &project.lock, &project.ignore, base)
    });
    let changes = steps.iter().any(|s| s.action != Action::Unchanged);
    Ok(changes.then_some((newest, steps)))
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

fn subject<'a>(compared: &'a Compared, dir: &'a str) -> Subject<'a> {
    let project = &compared.project;
    Subject {
        dir,
        template: &project.set.name,
        recorded_version: &project.record.template.version,
        version: &project.set.version,
        // A git source's newest commit comes in with --latest; the others
        // always (and changed answers at the recorded commit).
        update: match project.record.source {
            crate::record::SourceRecord::Git { .. } if project.source != project.record.source => {
                "scaffold update --latest"
            }
            _ => "scaffold update",
        },
        newer: compared.newer.as_ref().map(|(newest, steps)| Newer {
            version: &newest.set.version,
            commit: &newest.commit,
            asks: newest.rendered.is_none(),
            changes: steps
                .iter()
                .filter(|s| s.action != Action::Unchanged)
                .count(),
            conflicts: steps
                .iter()
                .filter(|s| s.action == Action::Conflict)
                .count(),
        }),
    }
}
