//! Template sources: where a template set's files come from. Reading a folder is
//! an effect, so it lives here at the edge; everything after this works on the
//! in-memory [`SetFiles`].

pub mod builtin;
pub mod git;

use crate::tree::Bytes;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// One file of a template set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The file's bytes, borrowed from the binary for the built-in set.
    pub bytes: Bytes,
    /// `0o755` when the file is executable, else `0o644`.
    pub mode: u32,
}

/// A template set's files, keyed by their `/`-separated path inside the set.
pub type SetFiles = BTreeMap<String, SourceFile>;

/// Where to take a template set from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The set embedded in this binary.
    Builtin,
    /// A set in a folder on disk.
    Dir(PathBuf),
    /// A set in a git repository.
    Git(git::GitSource),
}

/// What a project records about its source, so `check` can find it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// The built-in set of this scaffold version.
    Builtin,
    /// A folder, by its absolute path.
    Dir(PathBuf),
    /// A git repository, at an exact commit.
    Git {
        /// The repository.
        url: String,
        /// The tag, branch or commit asked for (or the default branch).
        reference: String,
        /// The commit read.
        commit: String,
        /// The set's folder inside the repository.
        subdir: Option<String>,
    },
}

/// A source that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The folder given with `--template` does not exist or is not a folder.
    #[error("template folder `{}` does not exist or is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// Reading a file or folder failed.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A symbolic link whose target is not UTF-8 text, so cannot be checked.
    #[error("`{}` is a symbolic link to a path that is not UTF-8", .0.display())]
    LinkTarget(PathBuf),
    /// A file name that is not UTF-8 cannot be matched by rules or rendered.
    #[error("`{}` has a name that is not UTF-8", .0.display())]
    NonUtf8Name(PathBuf),
    /// A git operation on a template repository failed.
    #[error("cannot {action} `{url}`")]
    Git {
        /// The repository.
        url: String,
        /// What was being done.
        action: &'static str,
        /// libgit2's error.
        source: git2::Error,
    },
    /// The ref is neither a tag, a branch nor a commit of the repository.
    #[error("`{url}` has no tag, branch or commit `{reference}`")]
    NoSuchRef {
        /// The repository.
        url: String,
        /// The ref asked for.
        reference: String,
        /// The tags and branches it has.
        known: Vec<String>,
    },
    /// `--subdir` names no folder of the repository.
    #[error("`{url}` has no folder `{subdir}`")]
    NoSubdir {
        /// The repository.
        url: String,
        /// The folder asked for.
        subdir: String,
    },
    /// Neither XDG_CACHE_HOME nor HOME is set, so there is no cache for clones.
    #[error("no cache folder for cloned templates: set XDG_CACHE_HOME or HOME")]
    NoCache,
}

impl SourceError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            SourceError::Git { url, .. } => Some(format!(
                "check the URL, your network and your credentials (an ssh agent, or a git credential helper); `git ls-remote {url}` shows what git can reach"
            )),
            SourceError::NoSuchRef { known, .. } if !known.is_empty() => Some(format!(
                "it has: {}; pass --refresh if the ref is new",
                known.join(", ")
            )),
            SourceError::NoSuchRef { .. } => Some("pass --refresh if the ref is new".into()),
            SourceError::NoSubdir { .. } => Some(
                "--subdir takes the set's folder inside the repository, e.g. `templates/web`"
                    .into(),
            ),
            SourceError::NotAFolder(_) => Some(
                "--template takes a folder holding scaffold.yaml, a git URL, or a name from `templates:` in the user config (`scaffold config` shows it)".into(),
            ),
            SourceError::NonUtf8Name(_) => Some(
                "rename it: file names are matched by rules and rendered as UTF-8 text".into(),
            ),
            SourceError::LinkTarget(_) => Some(
                "point the link at a UTF-8 path, or replace it with a copy of what it points to".into(),
            ),
            _ => None,
        }
    }
}

/// How to load a git source.
#[derive(Default)]
pub struct Fetch<'a> {
    /// Fetch even when the cached clone has the ref.
    pub refresh: bool,
    /// Follows a fetch: `(received, total)` objects.
    pub progress: Option<&'a dyn Fn(usize, usize)>,
    /// Told when the network failed and the cached clone was used.
    pub offline: Option<&'a dyn Fn(&str)>,
}

/// Reads every file of `source`, returning them with the provenance to record.
pub fn load(source: &Source, fetch: &Fetch<'_>) -> Result<(SetFiles, Provenance), SourceError> {
    match source {
        Source::Builtin => Ok((builtin::files(), Provenance::Builtin)),
        Source::Git(repo) => {
            let resolved = git::load(repo, fetch.refresh, fetch.progress.unwrap_or(&|_, _| {}))?;
            if let (Some(reason), Some(tell)) = (&resolved.offline, fetch.offline) {
                tell(reason);
            }
            let provenance = Provenance::Git {
                url: repo.url.clone(),
                reference: resolved.reference,
                commit: resolved.commit,
                subdir: repo.subdir.clone(),
            };
            Ok((resolved.files, provenance))
        }
        Source::Dir(dir) => {
            let dir = dir
                .canonicalize()
                .ok()
                .filter(|d| d.is_dir())
                .ok_or_else(|| SourceError::NotAFolder(dir.clone()))?;
            Ok((read_dir(&dir)?, Provenance::Dir(dir)))
        }
    }
}

/// Reads the files under `root`; a `.git` folder at the top is skipped.
fn read_dir(root: &Path) -> Result<SetFiles, SourceError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SourceError::Io { path, source }
    };
    let mut files = SetFiles::new();
    let walk = walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == ".git"));
    for entry in walk {
        let entry = entry.map_err(|e| SourceError::Io {
            path: e.path().unwrap_or(root).to_path_buf(),
            source: e.into(),
        })?;
        let path = entry.path();
        let kind = entry.file_type();
        if !kind.is_file() && !kind.is_symlink() {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .ok()
            .and_then(Path::to_str)
            .ok_or_else(|| SourceError::NonUtf8Name(path.to_path_buf()))?;
        // A link is kept as a link, never followed: its target is checked
        // where it is rendered (tree::link_target).
        if kind.is_symlink() {
            let target = std::fs::read_link(path).map_err(io(path))?;
            let target = target
                .into_os_string()
                .into_string()
                .map_err(|_| SourceError::LinkTarget(path.to_path_buf()))?;
            files.insert(
                rel.to_owned(),
                SourceFile {
                    bytes: target.into_bytes().into(),
                    mode: crate::tree::LINK_MODE,
                },
            );
            continue;
        }
        let meta = entry.metadata().map_err(|e| SourceError::Io {
            path: path.to_path_buf(),
            source: e.into(),
        })?;
        let bytes = std::fs::read(path).map_err(io(path))?;
        let mode = if meta.permissions().mode() & 0o111 == 0 {
            0o644
        } else {
            0o755
        };
        files.insert(
            rel.to_owned(),
            SourceFile {
                bytes: bytes.into(),
                mode,
            },
        );
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_folder_with_modes_and_skips_git() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/.git")).unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/HEAD"), "x").unwrap();
        std::fs::write(dir.path().join("a/run.sh"), "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(
            dir.path().join("a/run.sh"),
            std::fs::Permissions::from_mode(0o700),
        )
        .unwrap();
        std::fs::write(dir.path().join("a/.git/keep"), "").unwrap();
        let (files, provenance) =
            load(&Source::Dir(dir.path().to_path_buf()), &Fetch::default()).unwrap();
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["a/.git/keep", "a/run.sh"]
        );
        assert_eq!(files["a/run.sh"].mode, 0o755);
        assert_eq!(
            provenance,
            Provenance::Dir(dir.path().canonicalize().unwrap())
        );
    }

    #[test]
    fn a_missing_folder_is_named() {
        let error = load(&Source::Dir("/no/such/dir".into()), &Fetch::default()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "template folder `/no/such/dir` does not exist or is not a folder"
        );
    }

    #[test]
    fn symlinks_are_read_as_links_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("link")).unwrap();
        let (files, _) = load(&Source::Dir(dir.path().to_path_buf()), &Fetch::default()).unwrap();
        let link = &files["link"];
        assert_eq!(link.mode, crate::tree::LINK_MODE);
        assert_eq!(&*link.bytes, b"/etc/passwd");
    }
}
