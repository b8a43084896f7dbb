//! The rendered project in memory: a sorted map from a checked relative path
//! to bytes, mode and ownership. Every effect (write, compare) takes a `Tree`.
//! Pure: no I/O.

use crate::manifest::Ownership;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A file's content, shared rather than copied: a template file that is
/// copied as it is and the rendered entry hold the same bytes, so a big file
/// is in memory once. Borrowed from the binary for the built-in set.
#[derive(Clone)]
pub enum Bytes {
    /// Bytes that live as long as the program (the embedded set).
    Static(&'static [u8]),
    /// Bytes on the heap, shared by every clone.
    Shared(Arc<Vec<u8>>),
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Static(bytes) => bytes,
            Bytes::Shared(bytes) => bytes,
        }
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Bytes {
        Bytes::Shared(Arc::new(bytes))
    }
}

impl From<String> for Bytes {
    fn from(text: String) -> Bytes {
        Bytes::from(text.into_bytes())
    }
}

impl From<&'static [u8]> for Bytes {
    fn from(bytes: &'static [u8]) -> Bytes {
        Bytes::Static(bytes)
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        **self == **other
    }
}

impl Eq for Bytes {}

impl PartialEq<Vec<u8>> for Bytes {
    fn eq(&self, other: &Vec<u8>) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// A `/`-separated relative path that stays inside the project: not empty, not
/// absolute, no `.`/`..`/empty segments, no NUL or `\`, and no `.git` segment
/// (writing into a git folder could plant hooks that run later).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelPath(String);

/// Why a path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The path is empty.
    #[error("it is empty")]
    Empty,
    /// The path starts at `/`.
    #[error("it is absolute")]
    Absolute,
    /// A segment is `..` or `.`, or empty (`a//b`).
    #[error("it has a `..`, `.` or empty segment")]
    Traversal,
    /// A NUL byte, which no file system accepts.
    #[error("it contains a NUL byte")]
    Nul,
    /// A backslash, a separator on Windows.
    #[error("it contains a backslash")]
    Backslash,
    /// A `.git` segment.
    #[error("it writes into a `.git` folder")]
    Git,
    /// The top-level `.scaffold` folder holds scaffold's own records.
    #[error("`.scaffold/` is reserved for scaffold's records")]
    Reserved,
}

/// The folder, at a project's top, where scaffold keeps its records.
pub const RECORD_DIR: &str = ".scaffold";

impl RelPath {
    /// Checks `path`, which a template produced.
    pub fn new(path: &str) -> Result<RelPath, PathError> {
        let path = RelPath::any(path)?;
        if path.0 == RECORD_DIR || path.0.starts_with(".scaffold/") {
            return Err(PathError::Reserved);
        }
        Ok(path)
    }

    /// A path of scaffold's own records, under `.scaffold/`.
    pub fn record(name: &str) -> Result<RelPath, PathError> {
        RelPath::any(&format!("{RECORD_DIR}/{name}"))
    }

    fn any(path: &str) -> Result<RelPath, PathError> {
        if path.is_empty() {
            return Err(PathError::Empty);
        }
        if path.starts_with('/') {
            return Err(PathError::Absolute);
        }
        if path.contains('\0') {
            return Err(PathError::Nul);
        }
        if path.contains('\\') {
            return Err(PathError::Backslash);
        }
        for segment in path.split('/') {
            match segment {
                "" | "." | ".." => return Err(PathError::Traversal),
                ".git" => return Err(PathError::Git),
                _ => {}
            }
        }
        Ok(RelPath(path.to_owned()))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Lookups by `&str` need no allocation; `String` and `str` order alike.
impl std::borrow::Borrow<str> for RelPath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The mode of a symbolic link (git's): the entry's bytes are its target.
pub const LINK_MODE: u32 = 0o120_000;

/// Checks the target of a symbolic link at `link`: it must resolve inside the
/// project, whatever the links it passes through. So it is relative, its `..`
/// segments all come first and climb no higher than the project's top (they
/// go up from the link's own folder, which scaffold made: a real folder), and
/// the rest names a path allowed for a file. Returns the path it points at.
pub fn link_target(link: &RelPath, target: &str) -> Result<RelPath, String> {
    if target.is_empty() {
        return Err("it is empty".into());
    }
    if target.starts_with('/') {
        return Err("it is absolute".into());
    }
    let mut up = 0;
    let mut down = Vec::new();
    for segment in target.split('/').filter(|s| !s.is_empty() && *s != ".") {
        match segment {
            ".." if down.is_empty() => up += 1,
            ".." => return Err("it has a `..` after a folder name".into()),
            name => down.push(name),
        }
    }
    let mut at: Vec<&str> = link.as_str().split('/').collect();
    at.pop(); // the link's own name
    if up > at.len() {
        return Err("it climbs out of the project".into());
    }
    at.truncate(at.len() - up);
    at.extend(down);
    if at.is_empty() {
        return Err("it points at the project's top folder".into());
    }
    RelPath::new(&at.join("/")).map_err(|why| format!("the path it points at is refused: {why}"))
}

/// One file of a rendered project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file's content (a link's target, for a link).
    pub bytes: Bytes,
    /// Its permissions, e.g. `0o644`, or [`LINK_MODE`].
    pub mode: u32,
    /// Who owns it after creation.
    pub ownership: Ownership,
    /// The template file it came from (`backend/files/...`), for messages.
    pub origin: String,
    /// The layer that rendered it (empty for scaffold's own records).
    pub layer: String,
}

/// A rendered project: relative path → file, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    entries: BTreeMap<RelPath, Entry>,
}

impl Tree {
    /// Adds a file. Refused, returning the entry in the way, when the path is
    /// taken, or when one of the two would have to be a folder of the other.
    pub fn insert(&mut self, path: RelPath, entry: Entry) -> Result<(), (RelPath, &Entry)> {
        let clash = self
            .entries
            .get_key_value(&path)
            .or_else(|| {
                // A file at one of this path's parent folders.
                let text = path.as_str();
                text.match_indices('/')
                    .find_map(|(i, _)| self.entries.get_key_value(&text[..i]))
            })
            .or_else(|| {
                // A file below this path, which would make it a folder.
                let below = format!("{path}/");
                self.entries
                    .range::<str, _>((
                        std::ops::Bound::Included(below.as_str()),
                        std::ops::Bound::Unbounded,
                    ))
                    .next()
                    .filter(|(p, _)| p.as_str().starts_with(&below))
            })
            .map(|(p, _)| p.clone());
        match clash {
            Some(p) => Err((p.clone(), &self.entries[&p])),
            None => {
                self.entries.insert(path, entry);
                Ok(())
            }
        }
    }

    /// The files in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&RelPath, &Entry)> {
        self.entries.iter()
    }

    /// The file at `path`.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The git blob id of `bytes` (what `git hash-object` prints), so a project's
/// own history can give the pristine content back.
pub fn blob_id(bytes: &[u8]) -> String {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
        .map(|oid| oid.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn links_may_point_anywhere_inside_and_nowhere_else() {
        let link = |at: &str, target: &str| {
            link_target(&RelPath::new(at).unwrap(), target).map(|p| p.to_string())
        };
        assert_eq!(link("a/b/l", "c").unwrap(), "a/b/c");
        assert_eq!(link("a/b/l", "../../c/d").unwrap(), "c/d");
        assert_eq!(link("a/b/l", "./../c/").unwrap(), "a/c");
        assert_eq!(link("l", "docs").unwrap(), "docs");
        for (at, target) in [
            ("l", "../x"),
            ("a/l", "../../x"),
            ("a/l", "/etc/passwd"),
            ("a/l", "b/../../x"), // `..` after a name: the name may be a link
            ("a/l", ".."),        // the project's top itself
            ("a/l", "../.git/hooks"),
            ("a/l", "../.scaffold/lock.yaml"),
            ("a/l", ""),
        ] {
            assert!(link(at, target).is_err(), "{at} -> {target} was allowed");
        }
    }

    fn entry(origin: &str) -> Entry {
        Entry {
            bytes: b"x".to_vec().into(),
            mode: 0o644,
            ownership: Ownership::Managed,
            origin: origin.into(),
            layer: String::new(),
        }
    }

    #[test]
    fn refuses_paths_that_leave_the_project() {
        assert_eq!(RelPath::new(""), Err(PathError::Empty));
        assert_eq!(RelPath::new("/etc/passwd"), Err(PathError::Absolute));
        assert_eq!(RelPath::new("a/../../b"), Err(PathError::Traversal));
        assert_eq!(RelPath::new("a//b"), Err(PathError::Traversal));
        assert_eq!(RelPath::new("./a"), Err(PathError::Traversal));
        assert_eq!(RelPath::new("a\0b"), Err(PathError::Nul));
        assert_eq!(RelPath::new("a\\..\\b"), Err(PathError::Backslash));
        assert_eq!(RelPath::new("x/.git/hooks/pre-commit"), Err(PathError::Git));
        assert_eq!(
            RelPath::new(".scaffold/lock.yaml"),
            Err(PathError::Reserved)
        );
        assert!(RelPath::new(".github/workflows/ci.yml").is_ok());
        assert!(RelPath::record("lock.yaml").is_ok());
    }

    proptest! {
        #[test]
        fn accepted_paths_never_escape(path in "[a-z./\\\\\0]{0,12}") {
            if let Ok(p) = RelPath::new(&path) {
                prop_assert!(!p.as_str().starts_with('/'));
                prop_assert!(p.as_str().split('/').all(|s| !s.is_empty() && s != ".." && s != "."));
            }
        }
    }

    #[test]
    fn a_file_cannot_also_be_a_folder() {
        let mut tree = Tree::default();
        tree.insert(RelPath::new("a/b").unwrap(), entry("one"))
            .unwrap();
        let (clash, _) = tree
            .insert(RelPath::new("a").unwrap(), entry("two"))
            .unwrap_err();
        assert_eq!(clash.as_str(), "a/b");
        let (clash, _) = tree
            .insert(RelPath::new("a/b/c").unwrap(), entry("three"))
            .unwrap_err();
        assert_eq!(clash.as_str(), "a/b");
        let (clash, e) = tree
            .insert(RelPath::new("a/b").unwrap(), entry("four"))
            .unwrap_err();
        assert_eq!((clash.as_str(), e.origin.as_str()), ("a/b", "one"));
        tree.insert(RelPath::new("a/bc").unwrap(), entry("five"))
            .unwrap();
        assert_eq!(tree.len(), 2);
    }

    #[test]
    fn blob_ids_match_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }
}
