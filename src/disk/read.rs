//! Reading a project's files back, for `check` and `diff`: only the paths
//! asked for (what the template renders and what the lock recorded), so the
//! size of the rest of the project does not matter.

use crate::compare::{Disk, DiskFile, Seen};
use crate::tree::LINK_MODE;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::Read;
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

/// The paths among `paths` that lie behind a link among their folders,
/// which are never read: reading through a link could show a file from
/// outside the project in a CI log. Such a link is refused, unless it is
/// itself one of `paths` (a link the template made, which the template may
/// now turn into a folder): then the paths behind it are simply not there.
fn behind_links(dir: &Path, paths: &BTreeSet<String>) -> Result<BTreeSet<String>, ReadError> {
    // Each folder is looked at once: a project has far fewer folders than files.
    let mut folders: HashMap<&str, bool> = HashMap::new();
    let mut behind = BTreeSet::new();
    for rel in paths {
        let link = rel
            .match_indices('/')
            .map(|(i, _)| &rel[..i])
            .find(|folder| {
                *folders.entry(folder).or_insert_with(|| {
                    fs::symlink_metadata(dir.join(folder)).is_ok_and(|m| m.file_type().is_symlink())
                })
            });
        if let Some(link) = link {
            // A link the template made (one of `paths`) may become a folder.
            if !paths.contains(link) {
                return Err(ReadError::Link(dir.join(link)));
            }
            behind.insert(rel.clone());
        }
    }
    Ok(behind)
}

/// The files among `paths` (relative to `dir`) that exist. A symbolic link is
/// read as its target's name, as git stores it; it is never followed, nor
/// read through ([`behind_links`]).
pub fn files(
    dir: &Path,
    paths: &BTreeSet<String>,
) -> Result<BTreeMap<String, DiskFile>, ReadError> {
    let behind = behind_links(dir, paths)?;
    let mut found = BTreeMap::new();
    for rel in paths.difference(&behind) {
        if let Some(file) = file(dir, rel)? {
            found.insert(rel.clone(), file);
        }
    }
    Ok(found)
}

/// What `path` is, if it is a file or a link (a folder where a file should
/// be is no such file).
fn kind(path: &Path) -> Result<Option<fs::Metadata>, ReadError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() || meta.file_type().is_symlink() => Ok(Some(meta)),
        Ok(_) => Ok(None),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(None)
        }
        Err(source) => Err(ReadError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The file `rel` under `dir`, read whole.
fn file(dir: &Path, rel: &str) -> Result<Option<DiskFile>, ReadError> {
    let path = dir.join(rel);
    let fail = |source| ReadError::Io {
        path: path.clone(),
        source,
    };
    let Some(meta) = kind(&path)? else {
        return Ok(None);
    };
    Ok(Some(if meta.file_type().is_symlink() {
        let target = fs::read_link(&path).map_err(fail)?;
        DiskFile {
            bytes: target.as_os_str().as_encoded_bytes().to_vec(),
            mode: LINK_MODE,
        }
    } else {
        DiskFile {
            bytes: fs::read(&path).map_err(fail)?,
            mode: meta.permissions().mode() & 0o777,
        }
    }))
}

/// Files up to this size are read whole (once); bigger ones are compared
/// with the render a chunk at a time.
const CHUNK: usize = 1 << 20;

/// The project's files, read one at a time as the comparison asks, so
/// memory holds one file (or one chunk of a big one) rather than the
/// project. An unchanged file is read once; only a big changed one is read
/// a second time, to hash it.
pub struct Reader<'a> {
    dir: &'a Path,
    buffer: Vec<u8>,
}

impl Reader<'_> {
    /// Reads the project at `dir`.
    pub fn new(dir: &Path) -> Reader<'_> {
        Reader {
            dir,
            buffer: Vec::new(),
        }
    }
}

impl Disk for Reader<'_> {
    type Error = ReadError;

    fn seen(&mut self, rel: &str, rendered: Option<&[u8]>) -> Result<Option<Seen>, ReadError> {
        let path = self.dir.join(rel);
        let fail = |source| ReadError::Io {
            path: path.clone(),
            source,
        };
        let Some(meta) = kind(&path)? else {
            return Ok(None);
        };
        let small = usize::try_from(meta.len()).is_ok_and(|len| len <= CHUNK);
        if meta.file_type().is_symlink() || small {
            return Ok(file(self.dir, rel)?.map(|f| Seen::of(&f, rendered)));
        }
        let mode = meta.permissions().mode() & 0o777;
        let same = match rendered {
            Some(r) if r.len() as u64 == meta.len() => {
                let mut input = fs::File::open(&path).map_err(fail)?;
                same_content(&mut input, r, &mut self.buffer).map_err(fail)?
            }
            _ => false,
        };
        let blob = if same {
            None
        } else {
            let id = git2::Oid::hash_file(git2::ObjectType::Blob, &path)
                .map_err(|e| fail(std::io::Error::other(e)))?;
            Some(id.to_string())
        };
        Ok(Some(Seen { mode, blob }))
    }

    fn bytes(&mut self, rel: &str) -> Result<Option<Vec<u8>>, ReadError> {
        Ok(file(self.dir, rel)?.map(|f| f.bytes))
    }
}

/// The files among `paths`, seen against `rendered` by [`Reader`] on every
/// core at once (each thread holds one file at a time); what the comparison
/// needs of each is kept, not its content. Nothing is read through a link
/// ([`behind_links`]).
pub fn scan<'a>(
    dir: &'a Path,
    paths: &BTreeSet<String>,
    rendered: &crate::tree::Tree,
) -> Result<Scanned<'a>, ReadError> {
    let behind = behind_links(dir, paths)?;
    let paths: Vec<&String> = paths.difference(&behind).collect();
    let mut seen = paths
        .par_iter()
        .map_init(
            || Reader::new(dir),
            |reader, path| {
                let render = rendered.get(path).map(|e| &e.bytes[..]);
                Ok(((*path).clone(), reader.seen(path, render)?))
            },
        )
        .collect::<Result<BTreeMap<_, _>, ReadError>>()?;
    seen.extend(behind.into_iter().map(|path| (path, None)));
    Ok(Scanned {
        reader: Reader::new(dir),
        seen,
    })
}

/// The project's files as [`scan`] saw them.
pub struct Scanned<'a> {
    reader: Reader<'a>,
    seen: BTreeMap<String, Option<Seen>>,
}

impl Disk for Scanned<'_> {
    type Error = ReadError;

    fn seen(&mut self, rel: &str, rendered: Option<&[u8]>) -> Result<Option<Seen>, ReadError> {
        match self.seen.remove(rel) {
            Some(seen) => Ok(seen),
            None => self.reader.seen(rel, rendered),
        }
    }

    fn bytes(&mut self, rel: &str) -> Result<Option<Vec<u8>>, ReadError> {
        self.reader.bytes(rel)
    }
}

/// Whether `input` holds exactly `expected`, read a chunk at a time.
fn same_content(
    input: &mut impl Read,
    mut expected: &[u8],
    buffer: &mut Vec<u8>,
) -> std::io::Result<bool> {
    buffer.resize(CHUNK, 0);
    loop {
        let n = match input.read(buffer) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(expected.is_empty());
        }
        match expected.split_at_checked(n) {
            Some((head, rest)) if head == &buffer[..n] => expected = rest,
            _ => return Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_compared_across_chunks() {
        let expected: Vec<u8> = (0..CHUNK * 2 + 7).map(|i| (i % 251) as u8).collect();
        let mut buffer = Vec::new();
        let same = |bytes: &[u8], buffer: &mut Vec<u8>| {
            same_content(&mut &bytes[..], &expected, buffer).unwrap()
        };
        assert!(same(&expected, &mut buffer));
        assert!(!same(&expected[..expected.len() - 1], &mut buffer));
        let mut longer = expected.clone();
        longer.push(0);
        assert!(!same(&longer, &mut buffer));
        let mut changed = expected.clone();
        changed[CHUNK + 3] ^= 1;
        assert!(!same(&changed, &mut buffer));
    }
}
