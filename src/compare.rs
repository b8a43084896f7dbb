//! Drift: a fresh render against the files on disk, with the lock telling who
//! changed what. Pure: the caller reads the disk and supplies the candidates
//! for the base content (the pristine file the lock names) as [`Pristine`].

use crate::exit;
use crate::manifest::Ownership;
use crate::record::Lock;
use crate::tree::{Tree, blob_id};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// What scaffold last wrote, where it can still be had: the base of a 3-way
/// merge. The caller gathers the candidates; a file is taken from the first
/// that has exactly the content the lock records.
#[derive(Clone, Copy)]
pub struct Pristine<'a> {
    /// Renders of the recorded template version with the recorded answers.
    /// A file of one counts only when its blob id is the lock's, so a render
    /// from a template (or answers) that has since changed is never taken
    /// for the base.
    pub renders: &'a [&'a Tree],
    /// Content by blob id, from the project's git history.
    pub history: &'a dyn Fn(&str) -> Option<Vec<u8>>,
}

impl Pristine<'_> {
    /// No candidates: every base is unknown.
    #[cfg(test)]
    pub fn none() -> Pristine<'static> {
        fn nothing(_: &str) -> Option<Vec<u8>> {
            None
        }
        Pristine {
            renders: &[],
            history: &nothing,
        }
    }

    /// The content scaffold last wrote at `path`, whose blob id the lock
    /// records as `blob`, if any candidate has it.
    pub fn get(&self, path: &str, blob: &str) -> Option<Cow<'_, [u8]>> {
        self.renders
            .iter()
            .filter_map(|render| render.get(path))
            .find(|entry| blob_id(&entry.bytes) == blob)
            .map(|entry| Cow::Borrowed(&entry.bytes[..]))
            .or_else(|| (self.history)(blob).map(Cow::Owned))
    }
}

/// A file as it is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskFile {
    /// Its content.
    pub bytes: Vec<u8>,
    /// Its permission bits.
    pub mode: u32,
}

/// What the comparison needs to know of a file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// Its permission bits.
    pub mode: u32,
    /// `None` when its content is the render's; else its git blob id.
    pub blob: Option<String>,
}

impl Seen {
    /// `file` seen against `rendered`, the content the template gives it.
    pub fn of(file: &DiskFile, rendered: Option<&[u8]>) -> Seen {
        Seen {
            mode: file.mode,
            blob: (rendered != Some(&file.bytes[..])).then(|| blob_id(&file.bytes)),
        }
    }
}

/// The project's files as the comparison asks for them, one at a time, so
/// a reader need hold no more than one file (and read an unchanged one once).
pub trait Disk {
    /// Why a file could not be read.
    type Error;
    /// The file at `path` (`None` when there is none), seen against `rendered`.
    fn seen(&mut self, path: &str, rendered: Option<&[u8]>) -> Result<Option<Seen>, Self::Error>;
    /// The whole content of the file at `path`: only for a file both sides
    /// changed, to try a 3-way merge.
    fn bytes(&mut self, path: &str) -> Result<Option<Vec<u8>>, Self::Error>;
}

/// Files already read, e.g. for `diff`, which shows them.
impl Disk for BTreeMap<String, DiskFile> {
    type Error = std::convert::Infallible;

    fn seen(&mut self, path: &str, rendered: Option<&[u8]>) -> Result<Option<Seen>, Self::Error> {
        Ok(self.get(path).map(|f| Seen::of(f, rendered)))
    }

    fn bytes(&mut self, path: &str) -> Result<Option<Vec<u8>>, Self::Error> {
        Ok(self.get(path).map(|f| f.bytes.clone()))
    }
}

/// How a file differs from the render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The content differs.
    Modified,
    /// The project deleted a file the template renders.
    Missing,
    /// The template renders a file the project lacks and never had.
    AddedByTemplate,
    /// The project has a file the template no longer renders.
    RemovedByTemplate,
    /// Only the permissions differ.
    Mode,
}

impl Status {
    /// The name used in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Status::Modified => "modified",
            Status::Missing => "missing",
            Status::AddedByTemplate => "added-by-template",
            Status::RemovedByTemplate => "removed-by-template",
            Status::Mode => "mode",
        }
    }
}

/// One file that is not as the template renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The file's path in the project.
    pub path: String,
    /// How it differs.
    pub status: Status,
    /// Its ownership (from the render, else the lock).
    pub ownership: Ownership,
    /// The project changed it since scaffold last wrote it.
    pub by_project: bool,
    /// The template renders it differently from what scaffold last wrote.
    pub by_template: bool,
    /// Both changed it and a 3-way merge would conflict.
    pub conflict: bool,
}

impl Drift {
    /// Who changed the file: `project`, `template` or `both`.
    pub fn changed_by(&self) -> &'static str {
        match (self.by_project, self.by_template) {
            (true, true) => "both",
            (false, true) => "template",
            _ => "project",
        }
    }

    /// The exit code this finding alone would give (DESIGN.md, "Drift in CI"):
    /// a project edit to a managed file is drift; a merged file's is only
    /// reported; a template change means a newer version, with or without conflicts.
    pub fn exit_code(&self) -> i32 {
        let project = if self.by_project && self.ownership == Ownership::Managed {
            exit::DRIFT
        } else {
            exit::OK
        };
        let template = match (self.by_template, self.conflict) {
            (true, true) => exit::NEWER_CONFLICTS,
            (true, false) => exit::NEWER,
            (false, _) => exit::OK,
        };
        exit::worst(project, template)
    }
}

/// The paths `compare` needs from disk: everything rendered (but seed files)
/// and everything the lock recorded, less the project's `ignore` globs.
pub fn paths_to_read(rendered: &Tree, lock: &Lock, ignore: &globset::GlobSet) -> BTreeSet<String> {
    rendered
        .iter()
        .filter(|(_, e)| e.ownership != Ownership::Seed)
        .map(|(p, _)| p.to_string())
        .chain(lock.files.keys().cloned())
        .filter(|p| !ignore.is_match(p))
        .collect()
}

/// Compares `rendered` with `disk` (asked for the files of
/// [`paths_to_read`], one at a time). `base` gives what scaffold last wrote,
/// if it can still be had; without it, a file both sides changed counts as a
/// conflict.
pub fn compare<D: Disk>(
    rendered: &Tree,
    disk: &mut D,
    lock: &Lock,
    ignore: &globset::GlobSet,
    base: &Pristine<'_>,
) -> Result<Vec<Drift>, D::Error> {
    let mut drifts = Vec::new();
    for path in paths_to_read(rendered, lock, ignore) {
        let render = rendered.get(&path);
        let locked = lock.files.get(&path);
        let Some(ownership) = render.map(|e| e.ownership).or(locked.map(|l| l.ownership)) else {
            continue;
        };
        if ownership == Ownership::Seed {
            continue;
        }
        let on_disk = disk.seen(&path, render.map(|e| &e.bytes[..]))?;
        let differs_from_lock = |bytes: &[u8]| locked.is_none_or(|l| blob_id(bytes) != l.blob);
        let blob_differs = |blob: &str| locked.is_none_or(|l| blob != l.blob);
        let drift = |status, by_project, by_template, conflict| Drift {
            path: path.clone(),
            status,
            ownership,
            by_project,
            by_template,
            conflict,
        };
        let found = match (render, on_disk) {
            (Some(r), Some(d)) if d.blob.is_none() => {
                if is_executable(r.mode) == is_executable(d.mode) {
                    continue;
                }
                let locked = locked.and_then(|l| l.mode_bits()).map(is_executable);
                drift(
                    Status::Mode,
                    locked != Some(is_executable(d.mode)),
                    locked != Some(is_executable(r.mode)),
                    false,
                )
            }
            (Some(r), Some(d)) => {
                // Without a lock entry both count: the project has a file where
                // the template now renders one.
                let by_project = d.blob.as_deref().is_none_or(blob_differs);
                let by_template = differs_from_lock(&r.bytes);
                let conflict = by_project && by_template && {
                    match (
                        locked.and_then(|l| base.get(&path, &l.blob)),
                        disk.bytes(&path)?,
                    ) {
                        (Some(b), Some(d)) => diffy::merge_bytes(&b, &d, &r.bytes).is_err(),
                        _ => true,
                    }
                };
                drift(Status::Modified, by_project, by_template, conflict)
            }
            // Deleted in the project: if the template changed it too, update
            // reports it without restoring it, which needs a person: a conflict.
            (Some(r), None) if locked.is_some() => {
                let by_template = differs_from_lock(&r.bytes);
                drift(Status::Missing, true, by_template, by_template)
            }
            (Some(_), None) => drift(Status::AddedByTemplate, false, true, false),
            (None, Some(d)) if locked.is_some() => drift(
                Status::RemovedByTemplate,
                d.blob.as_deref().is_none_or(blob_differs),
                true,
                false,
            ),
            // A file the user made (never recorded), or gone from both sides.
            (None, _) => continue,
        };
        drifts.push(found);
    }
    Ok(drifts)
}

/// Only the executable bit counts, as in git: a checkout's other bits follow
/// the umask, which is no drift.
fn is_executable(mode: u32) -> bool {
    mode & 0o111 != 0
}

/// The exit code for a whole comparison: the most serious finding decides.
pub fn exit_code(drifts: &[Drift]) -> i32 {
    drifts
        .iter()
        .map(Drift::exit_code)
        .fold(exit::OK, exit::worst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Lock, LockEntry};
    use crate::testing::disk;
    use crate::tree::{Entry, RelPath};

    fn tree(files: &[(&str, &str, Ownership)]) -> Tree {
        let mut tree = Tree::default();
        for (path, text, ownership) in files {
            let entry = Entry {
                bytes: text.as_bytes().to_vec().into(),
                mode: 0o644,
                ownership: *ownership,
                origin: String::new(),
                layer: String::new(),
            };
            tree.insert(RelPath::new(path).unwrap(), entry).unwrap();
        }
        tree
    }

    fn lock_of(tree: &Tree) -> Lock {
        crate::record::lock(tree)
    }

    fn none() -> globset::GlobSet {
        globset::GlobSet::empty()
    }

    const M: Ownership = Ownership::Managed;

    #[test]
    fn who_changed_what_comes_from_the_lock() {
        let old = tree(&[("a", "1\n", M), ("b", "1\n", M), ("c", "1\n", M)]);
        let lock = lock_of(&old);
        let new = tree(&[("a", "1\n", M), ("b", "2\n", M), ("c", "2\n", M)]);
        let on_disk = disk(&[("a", "x\n"), ("b", "1\n"), ("c", "y\n")]);
        let drifts = compare(
            &new,
            &mut on_disk.clone(),
            &lock,
            &none(),
            &Pristine {
                renders: &[],
                history: &|_| Some(b"1\n".to_vec()),
            },
        )
        .unwrap();
        let found: Vec<_> = drifts
            .iter()
            .map(|d| (d.path.as_str(), d.changed_by(), d.conflict, d.exit_code()))
            .collect();
        assert_eq!(
            found,
            [
                ("a", "project", false, 1),
                ("b", "template", false, 3),
                ("c", "both", true, 4)
            ]
        );
        assert_eq!(exit_code(&drifts), 4);
    }

    #[test]
    fn seed_files_user_files_and_ignored_paths_are_not_reported() {
        let rendered = tree(&[("seed", "1\n", Ownership::Seed), ("kept", "1\n", M)]);
        let lock = lock_of(&rendered);
        let on_disk = disk(&[("seed", "mine\n"), ("kept", "edited\n"), ("mine", "x\n")]);
        let ignore = globset::GlobSet::builder()
            .add(globset::Glob::new("kept").unwrap())
            .build()
            .unwrap();
        let drifts = compare(
            &rendered,
            &mut on_disk.clone(),
            &lock,
            &ignore,
            &Pristine::none(),
        );
        assert_eq!(drifts.unwrap(), []);
    }

    #[test]
    fn a_recorded_file_gone_from_both_sides_is_in_sync() {
        let old = tree(&[("gone", "1\n", M)]);
        assert_eq!(
            compare(
                &Tree::default(),
                &mut disk(&[]),
                &lock_of(&old),
                &none(),
                &Pristine::none()
            )
            .unwrap(),
            []
        );
    }

    #[test]
    fn a_corrupt_lock_entry_is_refused() {
        let mut lock = Lock {
            files: BTreeMap::new(),
        };
        lock.files.insert(
            "a".into(),
            LockEntry {
                blob: "0".repeat(40),
                mode: "0644".into(),
                ownership: M,
            },
        );
        assert_eq!(lock.validate(), Ok(()));
        lock.files.insert(
            "b".into(),
            LockEntry {
                blob: "0".repeat(40),
                mode: "rw".into(),
                ownership: M,
            },
        );
        assert!(
            lock.validate()
                .unwrap_err()
                .contains("`b` has the mode `rw`")
        );
    }
}
