//! The plan of `scaffold update`: per file, base (what scaffold last wrote),
//! ours (the disk) and theirs (the new render) → what to do. Pure: the caller
//! reads the disk and the base, and writes the plan's result. `--plan` prints
//! exactly what the real update then does.

use crate::compare::{DiskFile, Pristine};
use crate::manifest::Ownership;
use crate::record::Lock;
use crate::tree::{LINK_MODE, Tree, blob_id};
use std::collections::{BTreeMap, BTreeSet};

/// What update does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The template adds it.
    New,
    /// Nothing to do.
    Unchanged,
    /// The project never changed it: the new render replaces it.
    CleanUpdate,
    /// Both changed it, in different places: merged.
    CleanMerge,
    /// Both changed it in the same place: written with conflict markers (or,
    /// for a file the project deleted, left deleted and reported).
    Conflict,
    /// The template dropped it and the project never changed it: removed.
    Deleted,
}

impl Action {
    /// The name used in plans and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Action::New => "new",
            Action::Unchanged => "unchanged",
            Action::CleanUpdate => "clean update",
            Action::CleanMerge => "clean merge",
            Action::Conflict => "conflict",
            Action::Deleted => "deleted",
        }
    }
}

/// One file of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The file's path in the project.
    pub path: String,
    /// What happens to it.
    pub action: Action,
    /// Why, where the action alone does not say.
    pub note: Option<&'static str>,
    /// The content and mode to write, if any.
    pub write: Option<(Vec<u8>, u32)>,
    /// Whether to remove the file.
    pub remove: bool,
}

/// The paths the plan needs from disk: all the new render's and the lock's.
pub fn paths_to_read(theirs: &Tree, lock: &Lock, ignore: &globset::GlobSet) -> BTreeSet<String> {
    let mut paths = crate::compare::paths_to_read(theirs, lock, ignore);
    // Seed files too: a new one is added only where the project has none.
    let seeds = theirs
        .iter()
        .filter(|(p, e)| e.ownership == Ownership::Seed && !ignore.is_match(p.as_str()));
    paths.extend(seeds.map(|(p, _)| p.to_string()));
    paths
}

/// Plans the update of the files on `disk` (those of [`paths_to_read`] that
/// exist) to `theirs`. `base` gives what scaffold last wrote, if it can still
/// be had; without it, a file changed on both sides is a conflict.
pub fn plan(
    theirs: &Tree,
    disk: &BTreeMap<String, DiskFile>,
    lock: &Lock,
    ignore: &globset::GlobSet,
    base: &Pristine<'_>,
) -> Vec<Step> {
    let mut steps = renames(theirs, disk, lock, ignore, base);
    let renamed: BTreeSet<String> = steps.iter().map(|s| s.path.clone()).collect();
    for path in paths_to_read(theirs, lock, ignore) {
        if renamed.contains(&path) {
            continue;
        }
        let new = theirs.get(&path);
        let ours = disk.get(&path);
        let locked = lock.files.get(&path);
        let step = |action, note, write, remove| Step {
            path: path.clone(),
            action,
            note,
            write,
            remove,
        };
        let found = match (new, ours, locked) {
            // Seed files are the project's once written; only new ones are added.
            (Some(t), Some(_), _) if t.ownership == Ownership::Seed => continue,
            (Some(t), None, None) => {
                step(Action::New, None, Some((t.bytes.to_vec(), t.mode)), false)
            }
            (Some(t), None, Some(l)) => {
                if blob_id(&t.bytes) == l.blob || t.ownership == Ownership::Seed {
                    step(
                        Action::Unchanged,
                        Some("deleted in the project"),
                        None,
                        false,
                    )
                } else {
                    step(
                        Action::Conflict,
                        Some("deleted in the project, changed in the template: not restored"),
                        None,
                        false,
                    )
                }
            }
            (Some(t), Some(o), locked) => {
                let exec = |mode: u32| mode & 0o111 != 0;
                let locked_exec = locked.and_then(|l| l.mode_bits()).map(exec);
                // The executable bit counts as part of the file on each side.
                let template_mode_changed = locked_exec.is_none_or(|e| e != exec(t.mode));
                let project_mode_changed = locked_exec.is_some_and(|e| e != exec(o.mode));
                let untouched = locked.is_some_and(|l| blob_id(&o.bytes) == l.blob);
                let template_same =
                    locked.is_some_and(|l| blob_id(&t.bytes) == l.blob) && !template_mode_changed;
                // The project's own chmod survives a content update.
                let mode = if project_mode_changed && !template_mode_changed {
                    o.mode
                } else {
                    t.mode
                };
                if t.bytes == o.bytes {
                    if exec(o.mode) != exec(t.mode)
                        && template_mode_changed
                        && !project_mode_changed
                    {
                        step(
                            Action::CleanUpdate,
                            Some("mode"),
                            Some((t.bytes.to_vec(), t.mode)),
                            false,
                        )
                    } else {
                        step(Action::Unchanged, None, None, false)
                    }
                } else if untouched {
                    step(
                        Action::CleanUpdate,
                        None,
                        Some((t.bytes.to_vec(), mode)),
                        false,
                    )
                } else if template_same {
                    step(
                        Action::Unchanged,
                        Some("changed in the project only"),
                        None,
                        false,
                    )
                } else if o.mode == LINK_MODE || t.mode == LINK_MODE {
                    // Link targets do not merge line by line: the project's
                    // link stays until someone picks one.
                    step(
                        Action::Conflict,
                        Some(
                            "a symbolic link changed in the project and the template; set it by hand",
                        ),
                        None,
                        false,
                    )
                } else {
                    // Both changed (or the project has a file where the template
                    // now renders one): a 3-way merge, from an empty base if the
                    // pristine content is gone (the whole file then conflicts).
                    let ancestor = locked
                        .and_then(|l| base.get(&path, &l.blob))
                        .unwrap_or_default();
                    match diffy::merge_bytes(&ancestor, &o.bytes, &t.bytes) {
                        Ok(merged) => step(Action::CleanMerge, None, Some((merged, mode)), false),
                        Err(marked) => step(Action::Conflict, None, Some((marked, mode)), false),
                    }
                }
            }
            (None, Some(o), Some(l)) => {
                if blob_id(&o.bytes) == l.blob {
                    step(Action::Deleted, None, None, true)
                } else {
                    step(
                        Action::Unchanged,
                        Some("dropped by the template; kept, as the project changed it"),
                        None,
                        false,
                    )
                }
            }
            // Gone from both sides, or a file the project made itself.
            (None, _, _) => continue,
        };
        steps.push(found);
    }
    steps.sort_by(|a, b| a.path.cmp(&b.path));
    steps
}

/// Files the template renamed, found by content: a dropped file the project
/// changed, whose pristine content is like that of a file the template adds.
/// The project's changes move to the new path (a 3-way merge); the old path is
/// removed. Two steps per rename, sorted by path with the rest.
fn renames(
    theirs: &Tree,
    disk: &BTreeMap<String, DiskFile>,
    lock: &Lock,
    ignore: &globset::GlobSet,
    base: &Pristine<'_>,
) -> Vec<Step> {
    let added: Vec<(&str, &[u8], u32)> = theirs
        .iter()
        .filter(|(p, e)| {
            let p = p.as_str();
            e.ownership != Ownership::Seed
                && !lock.files.contains_key(p)
                && !disk.contains_key(p)
                && !ignore.is_match(p)
        })
        .map(|(p, e)| (p.as_str(), &e.bytes[..], e.mode))
        .collect();
    let mut taken = BTreeSet::new();
    let mut steps = Vec::new();
    for (old, locked) in &lock.files {
        let Some(ours) = disk.get(old) else { continue };
        if theirs.get(old).is_some() || ignore.is_match(old) || blob_id(&ours.bytes) == locked.blob
        {
            continue;
        }
        let Some(pristine) = base.get(old, &locked.blob) else {
            continue;
        };
        let best = added
            .iter()
            .filter(|(new, ..)| !taken.contains(new))
            .map(|candidate| (similarity(&pristine, candidate.1), candidate))
            .filter(|(score, _)| *score >= 0.6)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let Some((_, &(new, bytes, mode))) = best else {
            continue;
        };
        taken.insert(new);
        let (action, content) = match diffy::merge_bytes(&pristine, &ours.bytes, bytes) {
            Ok(merged) => (Action::CleanMerge, merged),
            Err(marked) => (Action::Conflict, marked),
        };
        steps.push(Step {
            path: old.clone(),
            action: Action::Deleted,
            note: Some("renamed by the template"),
            write: None,
            remove: true,
        });
        steps.push(Step {
            path: new.to_owned(),
            action,
            note: Some("renamed by the template; the project's changes moved here"),
            write: Some((content, mode)),
            remove: false,
        });
    }
    steps
}

/// How alike two texts are by their lines: 2 × shared lines / all lines (1 = same lines).
fn similarity(a: &[u8], b: &[u8]) -> f64 {
    // Non-blank lines only; and tiny files (an empty `__init__.py`) are never
    // taken for a rename, however alike.
    let lines = |t: &[u8]| -> BTreeMap<Vec<u8>, usize> {
        let mut counts = BTreeMap::new();
        for line in t
            .split(|&c| c == b'\n')
            .filter(|l| !l.trim_ascii().is_empty())
        {
            *counts.entry(line.to_vec()).or_insert(0) += 1;
        }
        counts
    };
    let (x, y) = (lines(a), lines(b));
    let (nx, ny) = (x.values().sum::<usize>(), y.values().sum::<usize>());
    if nx.min(ny) < 3 {
        return 0.0;
    }
    let shared: usize = x
        .iter()
        .map(|(line, n)| (*n).min(y.get(line).copied().unwrap_or(0)))
        .sum();
    2.0 * shared as f64 / (nx + ny) as f64
}

/// Whether any step conflicts.
pub fn has_conflicts(steps: &[Step]) -> bool {
    steps.iter().any(|s| s.action == Action::Conflict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::disk;
    use crate::tree::{Entry, RelPath};
    use proptest::prelude::*;

    fn tree(files: &[(&str, &str)]) -> Tree {
        let mut tree = Tree::default();
        for (path, text) in files {
            let entry = Entry {
                bytes: text.as_bytes().to_vec().into(),
                mode: 0o644,
                ownership: Ownership::Managed,
                origin: String::new(),
                layer: String::new(),
            };
            tree.insert(RelPath::new(path).unwrap(), entry).unwrap();
        }
        tree
    }

    /// The plan for one file `f`: base → ours (disk) and theirs (render).
    fn one(base: &str, ours: &str, theirs: &str) -> Step {
        let lock = crate::record::lock(&tree(&[("f", base)]));
        let base = base.as_bytes().to_vec();
        let steps = plan(
            &tree(&[("f", theirs)]),
            &disk(&[("f", ours)]),
            &lock,
            &globset::GlobSet::empty(),
            &Pristine {
                renders: &[],
                history: &|_| Some(base.clone()),
            },
        );
        steps.into_iter().next().unwrap()
    }

    fn written(step: &Step) -> Option<String> {
        step.write
            .as_ref()
            .map(|(bytes, _)| String::from_utf8(bytes.clone()).unwrap())
    }

    #[test]
    fn each_action() {
        assert_eq!(one("a\n", "a\n", "b\n").action, Action::CleanUpdate);
        assert_eq!(one("a\n", "b\n", "a\n").action, Action::Unchanged);
        assert_eq!(one("a\n", "b\n", "b\n").action, Action::Unchanged);
        let merged = one("1\n2\n3\n4\n", "1\nours\n3\n4\n", "1\n2\n3\ntheirs\n");
        assert_eq!(
            (merged.action, written(&merged).unwrap().as_str()),
            (Action::CleanMerge, "1\nours\n3\ntheirs\n")
        );
        let conflict = one("1\n2\n", "1\nours\n", "1\ntheirs\n");
        assert_eq!(conflict.action, Action::Conflict);
        let text = written(&conflict).unwrap();
        assert!(
            text.contains("<<<<<<< ours\nours\n") && text.contains(">>>>>>> theirs\n"),
            "{text}"
        );
    }

    #[test]
    fn added_dropped_and_deleted_files() {
        let lock = crate::record::lock(&tree(&[
            ("kept", "1\n"),
            ("dropped", "1\n"),
            ("edited", "1\n"),
            ("gone", "1\n"),
        ]));
        let theirs = tree(&[("kept", "1\n"), ("new", "n\n"), ("gone", "2\n")]);
        let on_disk = disk(&[("kept", "1\n"), ("dropped", "1\n"), ("edited", "mine\n")]);
        let steps = plan(
            &theirs,
            &on_disk,
            &lock,
            &globset::GlobSet::empty(),
            &Pristine::none(),
        );
        let summary: Vec<_> = steps
            .iter()
            .map(|s| (s.path.as_str(), s.action, s.remove))
            .collect();
        assert_eq!(
            summary,
            [
                ("dropped", Action::Deleted, true),
                ("edited", Action::Unchanged, false),
                ("gone", Action::Conflict, false),
                ("kept", Action::Unchanged, false),
                ("new", Action::New, false),
            ]
        );
        assert!(
            steps.iter().all(|s| s.path != "gone" || s.write.is_none()),
            "a deleted file is not resurrected"
        );
    }

    #[test]
    fn a_render_of_the_recorded_version_is_the_base_only_where_it_matches_the_lock() {
        let recorded = tree(&[("f", "1\n2\n3\n4\n"), ("g", "1\n2\n3\n4\n")]);
        let lock = crate::record::lock(&recorded);
        // A re-render from a template that has since changed `g` as well.
        let rerendered = tree(&[("f", "1\n2\n3\n4\n"), ("g", "1\n2\n3\nlater\n")]);
        let theirs = tree(&[("f", "1\n2\n3\ntheirs\n"), ("g", "1\n2\n3\ntheirs\n")]);
        let ours = disk(&[("f", "ours\n2\n3\n4\n"), ("g", "ours\n2\n3\n4\n")]);
        let renders = [&rerendered];
        let base = Pristine {
            renders: &renders,
            history: &|_| None,
        };
        let steps = plan(&theirs, &ours, &lock, &globset::GlobSet::empty(), &base);
        assert_eq!(
            (steps[0].action, written(&steps[0]).unwrap().as_str()),
            (Action::CleanMerge, "ours\n2\n3\ntheirs\n")
        );
        // Without a matching base, `g` conflicts as a whole: nothing is lost.
        assert_eq!(steps[1].action, Action::Conflict);
        let text = written(&steps[1]).unwrap();
        assert!(text.starts_with("<<<<<<< ours\nours\n"), "{text}");
    }

    proptest! {
        /// The merge laws: merge(b, o, o) = o; merge(b, b, t) = t; merge(b, o, b) = o.
        #[test]
        fn merge_laws(base in "[ab\n]{0,12}", other in "[ab\n]{0,12}") {
            let keep = |s: &Step| written(s).unwrap_or_else(|| other.clone());
            let same = one(&base, &other, &other);
            prop_assert_eq!(keep(&same), other.clone());
            let theirs = one(&base, &base, &other);
            prop_assert_eq!(written(&theirs).unwrap_or_else(|| base.clone()), other.clone());
            let ours = one(&base, &other, &base);
            prop_assert_eq!(keep(&ours), other.clone());
        }
    }
}
