//! `scaffold update [DIR]`: bring a newer template version, or changed
//! answers, into a project with a 3-way merge per file (base: what scaffold
//! last wrote, from a re-render of the recorded version with the recorded
//! answers, else read back from git by the lock's blob ids; ours: the disk;
//! theirs: the new render). `--plan` prints the same plan and writes nothing.

use super::project::{self, Edits};
use crate::answers::prompt::Prompter;
use crate::cli::{Format, UpdateArgs};
use crate::disk::{self, write::Change};
use crate::exit;
use crate::git::History;
use crate::merge::{self, Action};
use crate::report;
use crate::ui::Ui;
use std::io::Write;

/// Runs `scaffold update`; exits 1 when conflicts were written.
pub fn run(args: &UpdateArgs, ui: &Ui) -> anyhow::Result<i32> {
    let dir = &args.dir;
    let history = History::open(dir);
    if !args.plan && !args.allow_dirty {
        let dirty = history.uncommitted(dir)?;
        if let Some(first) = dirty.first() {
            return Err(super::refuse(
                format!(
                    "`{}` has uncommitted changes ({} file(s), e.g. `{first}`)",
                    dir.display(),
                    dirty.len()
                ),
                "commit or stash them first, so the update can be undone with git, or pass --allow-dirty",
            ));
        }
    }
    let mut terminal = super::terminal(args.defaults);
    let edits = Edits {
        set: super::set_values(&args.set),
        add_layers: Vec::new(),
        prompter: terminal.as_mut().map(|t| t as &mut dyn Prompter),
    };
    let project = project::open(dir, &args.template, args.latest, edits, ui)?;
    let paths = merge::paths_to_read(&project.rendered, &project.lock, &project.ignore);
    let on_disk = disk::read::files(dir, &paths)?;
    let (pristine, unloaded) = match project.pristine(ui) {
        Ok(renders) => (renders, None),
        Err(e) => (Vec::new(), Some(format!("{e:#}"))),
    };
    let (steps, baseless) = project.with_base(&pristine, |base| {
        let steps = merge::plan(
            &project.rendered,
            &on_disk,
            &project.lock,
            &project.ignore,
            base,
        );
        // Files that conflict as a whole, for want of a base.
        let baseless: Vec<String> = steps
            .iter()
            .filter(|s| s.action == Action::Conflict && s.write.is_some())
            .filter(|s| {
                let locked = project.lock.files.get(&s.path);
                locked.is_some_and(|l| base.get(&s.path, &l.blob).is_none())
            })
            .map(|s| s.path.clone())
            .collect();
        (steps, baseless)
    });
    let kept = kept_edits(&project, &steps, &on_disk);

    let from = &project.record.template.version;
    let to = &project.set.version;
    if args.plan {
        let text = match args.format {
            Format::Text => report::plan_text(&steps, true),
            Format::Json => report::plan_json(&steps, from, to),
        };
        std::io::stdout().lock().write_all(text.as_bytes())?;
        tell_baseless(&baseless, unloaded.as_deref(), ui);
        tell_kept(&kept, "would keep", ui);
        return Ok(exit::OK);
    }

    let records = project.records(&crate::record::lock(&project.rendered))?;
    let changes: Vec<Change<'_>> = steps
        .iter()
        .filter_map(|step| match (&step.write, step.remove) {
            (Some((bytes, mode)), _) => Some(Change::Write {
                path: &step.path,
                bytes,
                mode: *mode,
            }),
            (None, true) => Some(Change::Remove { path: &step.path }),
            (None, false) => None,
        })
        .chain(records.iter().map(|(path, entry)| Change::Write {
            path: path.as_str(),
            bytes: &entry.bytes,
            mode: entry.mode,
        }))
        .collect();
    disk::write::apply(dir, &changes)?;
    // Keep the pristine render where the disk holds something else (a merge,
    // conflict markers), so the next update can still merge from it.
    if steps
        .iter()
        .any(|s| matches!(s.action, Action::CleanMerge | Action::Conflict))
    {
        let message = format!("scaffold: the pristine render of {} {to}", project.set.name);
        if let Err(e) = history.keep(&project.rendered, &message) {
            ui.status(format!("warning: cannot keep the pristine render in git ({}); a later update may report conflicts", e.message()));
        }
    }

    let text = match args.format {
        Format::Text => report::plan_text(&steps, false),
        Format::Json => report::plan_json(&steps, from, to),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    let conflicts: Vec<&str> = steps
        .iter()
        .filter(|s| s.action == Action::Conflict)
        .map(|s| s.path.as_str())
        .collect();
    ui.status(format!(
        "Updated {} from {} {from} to {to}: {}.",
        dir.display(),
        project.set.name,
        report::plan_summary(&steps)
    ));
    tell_baseless(&baseless, unloaded.as_deref(), ui);
    tell_kept(&kept, "keep", ui);
    if conflicts.is_empty() {
        Ok(exit::OK)
    } else {
        ui.status(format!(
            "Resolve the conflicts in {}, then commit.",
            conflicts.join(", ")
        ));
        Ok(exit::DRIFT)
    }
}

/// The `managed` files that keep the project's own edits after the update (a
/// clean merge, or changed in the project only): they still differ from the
/// render, so `scaffold check` reports them as drift (DESIGN.md, ownership).
fn kept_edits(
    project: &project::Project,
    steps: &[merge::Step],
    on_disk: &std::collections::BTreeMap<String, crate::compare::DiskFile>,
) -> Vec<String> {
    steps
        .iter()
        .filter(|s| s.action != Action::Conflict && !s.remove)
        .filter_map(|s| {
            let render = project.rendered.get(&s.path)?;
            let after = match &s.write {
                Some((bytes, _)) => bytes,
                None => &on_disk.get(&s.path)?.bytes,
            };
            (render.ownership == crate::manifest::Ownership::Managed
                && after[..] != render.bytes[..])
                .then(|| s.path.clone())
        })
        .collect()
}

fn tell_kept(kept: &[String], verb: &str, ui: &Ui) {
    if !kept.is_empty() {
        ui.status(format!(
            "note: {} managed file(s) {verb} the project's own edits, which `scaffold check` reports as drift (exit 1): {}; move the change into the template, or list the file under `ignore:` in .scaffold/answers.yaml",
            kept.len(),
            kept.join(", ")
        ));
    }
}

/// Files that conflict as a whole because what scaffold last wrote is gone.
fn tell_baseless(paths: &[String], unloaded: Option<&str>, ui: &Ui) {
    if paths.is_empty() {
        return;
    }
    let why = match unloaded {
        Some(e) => format!("the recorded template version cannot be loaded: {e}"),
        None => "neither the recorded template version nor the project's git history has what scaffold last wrote".to_owned(),
    };
    ui.status(format!(
        "note: no base for a 3-way merge of {} ({why}), so each conflicts as a whole: resolve the markers by hand; with the project in git, later updates merge from its history",
        paths.join(", ")
    ));
}
