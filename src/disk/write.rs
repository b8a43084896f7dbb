//! Writing a project atomically: every file goes into a temporary folder beside
//! the target, `finish` (git) runs there, and one rename puts it in place. A
//! failure or Ctrl-C at any point removes the temporary folder, so the target's
//! parent is left as it was.

use crate::interrupt::Deferred;
use crate::tree::{LINK_MODE, Tree};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};

/// Why a project could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target exists and holds files.
    #[error("`{}` already exists and is not empty", .0.display())]
    TargetNotEmpty(PathBuf),
    /// The target exists and is not a folder.
    #[error("`{}` already exists and is not a folder", .0.display())]
    TargetNotAFolder(PathBuf),
    /// The target is a symbolic link, wherever it points.
    #[error("`{}` is a symbolic link (to `{}`); scaffold will not write through it", path.display(), to.display())]
    TargetIsLink {
        /// The target.
        path: PathBuf,
        /// Where the link points.
        to: PathBuf,
    },
    /// The folder to create the project in does not exist.
    #[error("the output folder `{}` does not exist", .0.display())]
    NoParent(PathBuf),
    /// Ctrl-C (or SIGTERM) while changing an existing project.
    #[error("interrupted after {done} of {total} files: the project is partly changed")]
    Stopped {
        /// Files changed.
        done: usize,
        /// Files to change.
        total: usize,
    },
    /// A folder on the way to a file is a symbolic link.
    #[error("`{}` is a symbolic link; scaffold does not write through links", .0.display())]
    Link(PathBuf),
    /// A folder of the project, with files of its own, stands where the
    /// template now has a file or a link.
    #[error("`{}` is a folder with files of the project's own, where the template now makes a file or link", .0.display())]
    FolderInTheWay(PathBuf),
    /// The temporary folder beside the target could not be made.
    #[error("cannot create a temporary folder in `{}` to write the project into", parent.display())]
    Staging {
        /// The folder the project goes into.
        parent: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file rendered from the template could not be written.
    #[error("cannot write `{}`, rendered from `{origin}`", path.display())]
    File {
        /// The file, as it would be in the project.
        path: PathBuf,
        /// The template file it comes from.
        origin: String,
        /// Why.
        source: std::io::Error,
    },
    /// A file system call failed.
    #[error("cannot write `{}`", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl WriteError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            WriteError::TargetNotEmpty(_) | WriteError::TargetNotAFolder(_) => {
                Some("choose another name, or another folder with --output".into())
            }
            WriteError::TargetIsLink { .. } => Some(
                "remove the link, or choose another name, or another folder with --output".into(),
            ),
            WriteError::NoParent(p) => Some(format!("create it first: mkdir -p {}", p.display())),
            WriteError::Link(p) => Some(format!(
                "replace the link `{}` with a real folder, then run this again",
                p.display()
            )),
            WriteError::FolderInTheWay(p) => Some(format!(
                "move what `{}` holds elsewhere (git keeps the old version), then run this again",
                p.display()
            )),
            WriteError::Staging { source, .. } | WriteError::Io { source, .. } => {
                io_hint(source).map(str::to_owned)
            }
            WriteError::File { source, .. } => match io_hint(source) {
                Some(hint) => Some(hint.to_owned()),
                None if source.kind() == std::io::ErrorKind::InvalidFilename => Some(
                    "the name is too long for the file system (255 bytes per name at most); use a shorter answer, or rename the template file".into(),
                ),
                None => None,
            },
            WriteError::Stopped { .. } => {
                Some("`git checkout -- .` (or `git stash`) undoes it".into())
            }
        }
    }
}

/// What to do when the file system refuses a write, by the kind of refusal.
fn io_hint(error: &std::io::Error) -> Option<&'static str> {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            Some("the disk is full: free some space (`df -h .` shows it), then run this again")
        }
        ErrorKind::ReadOnlyFilesystem => Some(
            "that file system is mounted read-only: make it writable, or give `scaffold new` a folder on another with --output DIR",
        ),
        ErrorKind::PermissionDenied => Some(
            "you may not write there: fix the folder's permissions, or give `scaffold new` another folder with --output DIR",
        ),
        _ => None,
    }
}

/// The operating system's error alone, without the path that tempfile
/// appends in Rust's debug notation (`… at path "/tmp/…"`): our message names
/// the path, as the user gave it.
pub fn plain(error: std::io::Error) -> std::io::Error {
    let text = error.to_string();
    match (error.get_ref(), text.find(" at path \"")) {
        (Some(_), Some(at)) => std::io::Error::new(error.kind(), &text[..at]),
        _ => error,
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The name every staging folder starts with.
const STAGING_PREFIX: &str = ".scaffold-new-";

/// Staging folders found beside a new project.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Leftovers {
    /// Removed: their run was killed (its process is gone).
    pub removed: Vec<PathBuf>,
    /// Kept: their run cannot be told (no process id in the name).
    pub unknown: Vec<PathBuf>,
}

/// Removes the staging folders that runs killed with SIGKILL (which no
/// handler sees) left in `parent`: those whose process is gone.
pub fn remove_leftovers(parent: &Path) -> Leftovers {
    let mut found = Leftovers::default();
    let Ok(entries) = fs::read_dir(parent) else {
        return found;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(STAGING_PREFIX)) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        match rest
            .split('-')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok())
        {
            Some(pid) if Path::new("/proc").join(pid.to_string()).exists() => {}
            Some(_) => {
                if fs::remove_dir_all(entry.path()).is_ok() {
                    found.removed.push(entry.path());
                }
            }
            None => found.unknown.push(entry.path()),
        }
    }
    found
}

/// Refuses a target that exists, unless it is an empty folder.
pub fn check_target(target: &Path) -> Result<(), WriteError> {
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(target)(e)),
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(WriteError::TargetIsLink {
                path: target.to_path_buf(),
                to: fs::read_link(target).unwrap_or_default(),
            });
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(WriteError::TargetNotAFolder(target.to_path_buf()));
        }
        Ok(_) => {
            if fs::read_dir(target).map_err(io(target))?.next().is_some() {
                return Err(WriteError::TargetNotEmpty(target.to_path_buf()));
            }
        }
    }
    let parent = parent_of(target);
    if !parent.is_dir() {
        return Err(WriteError::NoParent(parent.to_path_buf()));
    }
    Ok(())
}

fn parent_of(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `tree` to `target` atomically; `finish` runs on the complete
/// temporary folder before it is moved into place.
pub fn write_atomic<E>(
    tree: &Tree,
    target: &Path,
    tick: &(dyn Fn() + Sync),
    finish: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), anyhow::Error>
where
    E: Into<anyhow::Error>,
{
    check_target(target)?;
    let deferred = Deferred::start();
    let parent = parent_of(target);
    // The process id in the name lets a later run tell a leftover of a killed
    // run (see `remove_leftovers`) from one still being written.
    let staging = tempfile::Builder::new()
        .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
        .map_err(|e| WriteError::Staging {
            parent: parent.to_path_buf(),
            source: plain(e),
        })?;
    // Each folder once, parents first (the tree is sorted), then the files.
    let mut folders = std::collections::BTreeSet::new();
    for (path, _) in tree.iter() {
        let mut at = path.as_str();
        while let Some((parent, _)) = at.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            at = parent;
        }
    }
    for folder in &folders {
        fs::create_dir(staging.path().join(folder)).map_err(io(&target.join(folder)))?;
    }
    // The files in parallel: creating them is the kernel's work, which goes
    // faster on two cores than on one (BENCHMARKS.md). The first failure in
    // path order is the one reported.
    let files: Vec<_> = tree.iter().collect();
    let failed = files
        .par_iter()
        .map(|(path, entry)| -> anyhow::Result<()> {
            deferred.check()?;
            // Errors name the file as it would be in the project, not in the
            // staging folder that is removed on the way out.
            let shown = target.join(path.as_str());
            let failed = |source| WriteError::File {
                path: shown.clone(),
                origin: entry.origin.clone(),
                source,
            };
            let at = staging.path().join(path.as_str());
            if entry.mode == LINK_MODE {
                symlink(link_text(&entry.bytes), at).map_err(failed)?;
            } else {
                let mut out = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(entry.mode)
                    .open(at)
                    .map_err(failed)?;
                out.write_all(&entry.bytes).map_err(failed)?;
            }
            tick();
            Ok(())
        })
        .find_first(Result::is_err);
    if let Some(failed) = failed {
        failed?;
    }
    deferred.check()?;
    finish(staging.path()).map_err(Into::into)?;
    deferred.check()?;
    // The staging folder gets the usual folder mode, not tempfile's private 0700.
    fs::set_permissions(staging.path(), fs::Permissions::from_mode(0o755))
        .map_err(io(staging.path()))?;
    // The check above ran before the files were written; look again just before the rename.
    check_target(target)?;
    fs::rename(staging.path(), target).map_err(io(target))?;
    // Renamed: there is nothing left for the guard to remove.
    let _ = staging.keep();
    Ok(())
}

/// One change to a file of an existing project.
pub enum Change<'a> {
    /// Write `bytes` with `mode` at `path`.
    Write {
        /// The file, relative to the project.
        path: &'a str,
        /// Its new content.
        bytes: &'a [u8],
        /// Its mode.
        mode: u32,
    },
    /// Remove the file at `path`.
    Remove {
        /// The file, relative to the project.
        path: &'a str,
    },
}

impl Change<'_> {
    fn path(&self) -> &str {
        match self {
            Change::Write { path, .. } | Change::Remove { path } => path,
        }
    }
}

/// Applies `changes` to the project at `dir` (for `update` and `add`): every
/// path is checked first, so a refusal changes nothing; then the removals
/// (so a folder the template turned into a file or link, or back, makes way:
/// folders they leave empty go too), then each file is replaced atomically.
/// Ctrl-C stops between two files and says how far it got.
pub fn apply(dir: &Path, changes: &[Change<'_>]) -> Result<(), WriteError> {
    let removed: BTreeSet<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Remove { path } => Some(*path),
            Change::Write { .. } => None,
        })
        .collect();
    for change in changes {
        check_links_on_the_way(dir, change.path(), &removed)?;
        if let Change::Write { path, .. } = change {
            check_no_folder_in_the_way(dir, path, &removed)?;
        }
    }
    let (removals, writes): (Vec<_>, Vec<_>) = changes
        .iter()
        .partition(|c| matches!(c, Change::Remove { .. }));
    let deferred = Deferred::start();
    for (done, change) in removals.into_iter().chain(writes).enumerate() {
        if deferred.check().is_err() {
            return Err(WriteError::Stopped {
                done,
                total: changes.len(),
            });
        }
        match change {
            Change::Write { path, bytes, mode } => replace_file(dir, path, bytes, *mode)?,
            Change::Remove { path } => {
                remove_file(dir, path)?;
                remove_empty_folders(dir, path);
            }
        }
    }
    Ok(())
}

/// A link on the way to `rel` is refused, unless this change removes it.
fn check_links_on_the_way(
    dir: &Path,
    rel: &str,
    removed: &BTreeSet<&str>,
) -> Result<(), WriteError> {
    match check_no_links(dir, rel) {
        Err(WriteError::Link(at))
            if at
                .strip_prefix(dir)
                .ok()
                .and_then(Path::to_str)
                .is_some_and(|link| removed.contains(link)) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// A real folder at `rel` may give way to a file or link only when all it
/// holds is removed by this change.
fn check_no_folder_in_the_way(
    dir: &Path,
    rel: &str,
    removed: &BTreeSet<&str>,
) -> Result<(), WriteError> {
    let path = dir.join(rel);
    if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
        return Ok(());
    }
    let kept = walkdir::WalkDir::new(&path)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .any(|e| {
            let inside = e.path().strip_prefix(dir).ok().and_then(Path::to_str);
            !inside.is_some_and(|p| removed.contains(p))
        });
    if kept {
        return Err(WriteError::FolderInTheWay(path));
    }
    Ok(())
}

/// The folders above `rel` that its removal left empty, as git leaves none.
fn remove_empty_folders(dir: &Path, rel: &str) {
    let mut at = Path::new(rel).parent();
    while let Some(folder) = at.filter(|f| !f.as_os_str().is_empty()) {
        if fs::remove_dir(dir.join(folder)).is_err() {
            break;
        }
        at = folder.parent();
    }
}

/// Writes one file of an existing project (for `update` and `add`): into a
/// temporary file beside it, then renamed over it, so a reader never sees
/// half a file. Refuses to go through a symbolic link on the way.
fn replace_file(dir: &Path, rel: &str, bytes: &[u8], mode: u32) -> Result<(), WriteError> {
    let path = dir.join(rel);
    check_no_links(dir, rel)?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let folder = path.parent().unwrap_or(dir);
    if mode == LINK_MODE {
        // A link made beside the old file, then renamed over it (the rename
        // replaces the link itself, not what it points at).
        let temp = folder.join(format!(".scaffold-link-{}", std::process::id()));
        let _ = fs::remove_file(&temp);
        symlink(link_text(bytes), &temp).map_err(io(&path))?;
        return fs::rename(&temp, &path).map_err(|e| {
            let _ = fs::remove_file(&temp);
            WriteError::Io {
                path: path.clone(),
                source: e,
            }
        });
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".scaffold-")
        .tempfile_in(folder)
        .map_err(|e| io(folder)(plain(e)))?;
    temp.write_all(bytes).map_err(io(&path))?;
    temp.as_file()
        .set_permissions(fs::Permissions::from_mode(mode))
        .map_err(io(&path))?;
    temp.persist(&path).map_err(|e| WriteError::Io {
        path: path.clone(),
        source: plain(e.error),
    })?;
    Ok(())
}

/// Removes one file of an existing project (a file the template dropped).
fn remove_file(dir: &Path, rel: &str) -> Result<(), WriteError> {
    check_no_links(dir, rel)?;
    let path = dir.join(rel);
    fs::remove_file(&path).map_err(io(&path))
}

/// A link's target as the file system takes it: the render checked it is
/// UTF-8 text that stays inside the project.
fn link_text(bytes: &[u8]) -> &Path {
    Path::new(std::ffi::OsStr::from_bytes(bytes))
}

/// Every folder between `dir` and `rel` that exists must be a real folder, so
/// no write follows a link out of the project. `update` and `add` check every
/// path first, so a refusal comes before any file is written.
fn check_no_links(dir: &Path, rel: &str) -> Result<(), WriteError> {
    let mut at = dir.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    for segment in &segments[..segments.len().saturating_sub(1)] {
        at.push(segment);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(WriteError::Link(at)),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Ownership;
    use crate::tree::{Entry, RelPath};

    fn tree() -> Tree {
        let mut tree = Tree::default();
        for (path, mode) in [("a/b.txt", 0o644), ("run.sh", 0o755)] {
            let entry = Entry {
                bytes: path.as_bytes().to_vec().into(),
                mode,
                ownership: Ownership::Managed,
                origin: path.into(),
                layer: String::new(),
            };
            tree.insert(RelPath::new(path).unwrap(), entry).unwrap();
        }
        tree
    }

    #[test]
    fn writes_files_with_modes_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("p");
        write_atomic(&tree(), &target, &|| {}, |_| Ok::<_, WriteError>(())).unwrap();
        assert_eq!(fs::read(target.join("a/b.txt")).unwrap(), b"a/b.txt");
        let mode = fs::metadata(target.join("run.sh"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o755);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["p"]);
    }

    #[test]
    fn a_failing_finish_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("p");
        let error =
            write_atomic(&tree(), &target, &|| {}, |_| Err(anyhow::anyhow!("boom"))).unwrap_err();
        assert_eq!(error.to_string(), "boom");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn refuses_a_non_empty_target_and_touches_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("p");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("mine.txt"), "keep").unwrap();
        let error =
            write_atomic(&tree(), &target, &|| {}, |_| Ok::<_, WriteError>(())).unwrap_err();
        assert!(
            matches!(error.downcast_ref(), Some(WriteError::TargetNotEmpty(_))),
            "{error}"
        );
        assert_eq!(fs::read_to_string(target.join("mine.txt")).unwrap(), "keep");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn leftovers_of_dead_runs_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(".scaffold-new-999999999-abc");
        let live = dir
            .path()
            .join(format!(".scaffold-new-{}-abc", std::process::id()));
        let mine = dir.path().join(".scaffold-new-notapid");
        for folder in [&dead, &live, &mine] {
            fs::create_dir(folder).unwrap();
        }
        let found = remove_leftovers(dir.path());
        assert_eq!(
            found,
            Leftovers {
                removed: vec![dead.clone()],
                unknown: vec![mine.clone()]
            }
        );
        assert!(!dead.exists() && live.exists() && mine.exists());
    }

    #[test]
    fn the_path_tempfile_appends_is_dropped_from_the_cause() {
        let tempfile_like = std::io::Error::new(
            std::io::ErrorKind::ReadOnlyFilesystem,
            "Read-only file system (os error 30) at path \"/tmp/x/.scaffold-new-1\"",
        );
        let error = plain(tempfile_like);
        assert_eq!(error.to_string(), "Read-only file system (os error 30)");
        assert_eq!(error.kind(), std::io::ErrorKind::ReadOnlyFilesystem);
        let os = plain(std::io::Error::from_raw_os_error(28));
        assert_eq!(os.raw_os_error(), Some(28));
    }

    #[test]
    fn a_target_that_is_a_link_is_refused_as_a_link() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("p");
        std::os::unix::fs::symlink("real", &target).unwrap();
        let error = check_target(&target).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "`{}` is a symbolic link (to `real`); scaffold will not write through it",
                target.display()
            )
        );
        assert!(error.hint().is_some());
    }

    #[test]
    fn an_empty_target_folder_is_filled() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("p");
        fs::create_dir(&target).unwrap();
        write_atomic(&tree(), &target, &|| {}, |_| Ok::<_, WriteError>(())).unwrap();
        assert!(target.join("run.sh").is_file());
    }
}
