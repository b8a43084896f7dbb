//! `scaffold add LAYER [DIR]`: add a layer (and what it requires) to an
//! existing project. Only the new layers' files are written, and none that
//! exists is overwritten; what the other layers render differently because
//! of the new one (a CI job, say) comes in through `scaffold update`.

use super::project::{self, Edits};
use crate::answers::prompt::Prompter;
use crate::cli::AddArgs;
use crate::disk::write::Change;
use crate::exit;
use crate::record;
use crate::tree::Tree;
use crate::ui::Ui;

/// Runs `scaffold add`.
pub fn run(args: &AddArgs, ui: &Ui) -> anyhow::Result<i32> {
    let dir = &args.dir;
    let mut terminal = super::terminal(args.defaults);
    let edits = Edits {
        set: super::set_values(&args.set),
        add_layers: vec![args.layer.clone()],
        prompter: terminal.as_mut().map(|t| t as &mut dyn Prompter),
    };
    let project = project::open(dir, &args.template, false, edits, ui)?;
    let added: Vec<&String> = project
        .answers
        .layers
        .iter()
        .filter(|l| !project.record.layers.contains(l))
        .collect();
    if added.is_empty() {
        return Err(super::refuse(
            format!("`{}` already has the layer `{}`", dir.display(), args.layer),
            "`scaffold update` brings in template changes",
        ));
    }

    let mut new_files = Tree::default();
    for (path, entry) in project
        .rendered
        .iter()
        .filter(|(_, e)| added.contains(&&e.layer))
    {
        // Distinct paths from one render: they cannot clash.
        let _ = new_files.insert(path.clone(), entry.clone());
    }
    let existing: Vec<String> = new_files
        .iter()
        .map(|(p, _)| p.to_string())
        .filter(|p| dir.join(p).symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        return Err(super::refuse(
            format!(
                "adding `{}` would overwrite {} existing file(s): {}",
                args.layer,
                existing.len(),
                existing.join(", ")
            ),
            "move them away first, then run this again",
        ));
    }
    // The other files keep their lock entries: if the new layer changes how they
    // render, `check` reports it and `update` merges it.
    let mut lock = project.lock.clone();
    lock.files.extend(record::lock(&new_files).files);
    let records = project.records(&lock)?;
    let changes: Vec<Change<'_>> = new_files
        .iter()
        .chain(records.iter().map(|(p, e)| (p, e)))
        .map(|(path, entry)| Change::Write {
            path: path.as_str(),
            bytes: &entry.bytes,
            mode: entry.mode,
        })
        .collect();
    crate::disk::write::apply(dir, &changes)?;

    let names: Vec<&str> = added.iter().map(|s| s.as_str()).collect();
    ui.status(format!(
        "Added {} to {}: {} files.",
        names.join(", "),
        dir.display(),
        new_files.len()
    ));
    let changed_elsewhere = project
        .drifts(&[])?
        .iter()
        .any(|d| d.by_template && new_files.get(&d.path).is_none());
    if changed_elsewhere {
        ui.status("Other files render differently with the new layer: `scaffold check` lists them, `scaffold update` brings them in.");
    }
    // Hooks run only where a failure can leave nothing behind (new's staging
    // folder); here the files are already in the project, so they are listed.
    let hooks: Vec<_> = crate::render::hooks(&project.set, &project.answers)?
        .into_iter()
        .filter(|h| added.contains(&&h.layer))
        .collect();
    if !hooks.is_empty() {
        let listed: Vec<String> = hooks
            .iter()
            .map(|h| format!("  (cd {}/{} && {})", dir.display(), h.dir, h.command))
            .collect();
        ui.status(format!(
            "Not run: the post_generate hooks of {}; run them yourself if you trust them:\n{}",
            names.join(", "),
            listed.join("\n")
        ));
    }
    Ok(exit::OK)
}
