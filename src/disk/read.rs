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
#[error("cannot read `{}`", path.display())]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// The files among `paths` (relative to `dir`) that exist. A symbolic link is
/// read as its target's name, as git stores it; it is never followed.
pub fn files(
    dir: &Path,
    paths: &BTreeSet<String>,
) -> Result<BTreeMap<String, DiskFile>, ReadError> {
    let mut found = BTreeMap::new();
    for rel in paths {
        let path = dir.join(rel);
        let fail = |source| ReadError {
            path: path.clone(),
            source,
        };
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
