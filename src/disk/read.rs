//! Reading a project's files back, for `check` and `diff`: only the paths
//! asked for (what the template renders and what the lock recorded), so the
//! size of the rest of the project does not matter.

use crate::compare::DiskFile;
use crate::tree::LINK_MODE;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A project file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Reading failed.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A folder on the way to a file is a link the template did not make.
    #[error("`{}` is a symbolic link to a folder, where the template has a folder; scaffold does not read or write through links", .0.display())]
    Link(PathBuf),
}

impl ReadError {
    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ReadError::Link(p) => Some(format!(
                "replace the link `{}` with a real folder, then run this again",
                p.display()
            )),
            ReadError::Io { .. } => None,
        }
    }
}

/// The files among `paths` (relative to `dir`) that exist. A symbolic link is
/// read as its target's name, as git stores it; it is never followed. A link
/// among a path's folders is refused (reading through it could show a file
/// from outside the project in a CI log), unless it is itself one of `paths`
/// (a link the template made, which the template may now turn into a folder):
/// then the path is simply not there.
pub fn files(
    dir: &Path,
    paths: &BTreeSet<String>,
) -> Result<BTreeMap<String, DiskFile>, ReadError> {
    let mut found = BTreeMap::new();
    for rel in paths {
        let path = dir.join(rel);
        let fail = |source| ReadError::Io {
            path: path.clone(),
            source,
        };
        if let Err(super::write::WriteError::Link(link)) = super::write::check_no_links(dir, rel) {
            let managed = link
                .strip_prefix(dir)
                .ok()
                .and_then(Path::to_str)
                .is_some_and(|l| paths.contains(l));
            if managed {
                continue;
            }
            return Err(ReadError::Link(link));
        }
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                continue;
            }
            Err(e) => return Err(fail(e)),
        };
        let file = if meta.file_type().is_symlink() {
            let target = fs::read_link(&path).map_err(fail)?;
            DiskFile {
                bytes: target.as_os_str().as_encoded_bytes().to_vec(),
                mode: LINK_MODE,
            }
        } else if meta.is_file() {
            DiskFile {
                bytes: fs::read(&path).map_err(fail)?,
                mode: meta.permissions().mode() & 0o777,
            }
        } else {
            // A folder where a file should be: there is no such file.
            continue;
        };
        found.insert(rel.clone(), file);
    }
    Ok(found)
}
