//! The git edge: a new repository on branch `main` with one commit holding
//! every file scaffold wrote, and finding an enclosing work tree.

use crate::tree::{LINK_MODE, Tree};
use git2::{Repository, RepositoryInitOptions, Signature};
use std::path::{Path, PathBuf};

/// Who a commit is by, as `Name <email>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The name.
    pub name: String,
    /// The email address.
    pub email: String,
}

impl Identity {
    /// Parses `Name <email>`, as git's `--author` takes it.
    pub fn parse(text: &str) -> Option<Identity> {
        let (name, rest) = text.split_once('<')?;
        let email = rest.strip_suffix('>')?.trim();
        let name = name.trim();
        (!name.is_empty() && !email.is_empty() && !email.contains(['<', '>'])).then(|| Identity {
            name: name.to_owned(),
            email: email.to_owned(),
        })
    }

    /// Used when no identity is configured anywhere, so `new` still commits.
    pub fn fallback() -> Identity {
        Identity {
            name: "scaffold".into(),
            email: "scaffold@localhost".into(),
        }
    }
}

/// Where the commit's identity came from, to tell the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentitySource {
    /// `--author`.
    Flag,
    /// `GIT_AUTHOR_NAME`/`GIT_AUTHOR_EMAIL`.
    Environment,
    /// `user.name`/`user.email` of the git config.
    GitConfig,
    /// Nothing was configured.
    Fallback,
}

/// A git operation that failed.
#[derive(Debug, thiserror::Error)]
#[error("git: cannot {action} in `{}`", path.display())]
pub struct GitError {
    /// What was being done.
    pub action: &'static str,
    /// The repository.
    pub path: PathBuf,
    /// libgit2's error.
    #[source]
    pub source: git2::Error,
}

impl GitError {
    /// What the user can do: making the first commit fails on a full or
    /// read-only disk, and `--no-git` leaves the repository to the user.
    pub fn hint(&self) -> Option<String> {
        (self.action != "read the status").then(|| {
            "check that the disk has space (`df -h .`) and can be written, then run this again; or pass --no-git and run `git init` yourself".to_owned()
        })
    }
}

/// The top of the git work tree that contains `dir`, if any.
pub fn enclosing_work_tree(dir: &Path) -> Option<PathBuf> {
    let repo = Repository::discover(dir).ok()?;
    repo.workdir().map(Path::to_path_buf)
}

/// The git history around a project, opened once, for reading back the
/// pristine files scaffold committed (by the blob ids of the lock).
pub struct History(Option<Repository>);

impl History {
    /// The repository that holds `dir`; empty when there is none.
    pub fn open(dir: &Path) -> History {
        History(Repository::discover(dir).ok())
    }

    /// Whether `dir` is inside a git work tree.
    pub fn exists(&self) -> bool {
        self.0.as_ref().is_some_and(|r| r.workdir().is_some())
    }

    /// Keeps the pristine render `tree` reachable from the ref
    /// `refs/scaffold/pristine` (a commit per update, never checked out), so
    /// a later update can read each file back by the blob id the lock records
    /// even where the disk holds a merge, and `git gc` keeps it.
    pub fn keep(&self, tree: &Tree, message: &str) -> Result<(), git2::Error> {
        let Some(repo) = &self.0 else { return Ok(()) };
        let mut index = git2::Index::new()?;
        for (path, entry) in tree.iter() {
            let id = repo.blob(&entry.bytes)?;
            index.add(&index_entry(
                path.as_str(),
                entry.mode,
                id,
                entry.bytes.len(),
                None,
            ))?;
        }
        let tree = repo.find_tree(index.write_tree_to(repo)?)?;
        let reference = "refs/scaffold/pristine";
        let parent = repo
            .find_reference(reference)
            .and_then(|r| r.peel_to_commit())
            .ok();
        let signature = Signature::now("scaffold", "scaffold@localhost")?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        repo.commit(
            Some(reference),
            &signature,
            &signature,
            message,
            &tree,
            &parents,
        )?;
        Ok(())
    }

    /// Files with uncommitted changes (or untracked) under `dir`, relative to
    /// the work tree's top; empty outside a repository.
    pub fn uncommitted(&self, dir: &Path) -> Result<Vec<String>, GitError> {
        let Some(repo) = &self.0 else {
            return Ok(Vec::new());
        };
        let Some(top) = repo.workdir() else {
            return Ok(Vec::new());
        };
        let fail = |source| GitError {
            action: "read the status",
            path: dir.to_path_buf(),
            source,
        };
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let top = top.canonicalize().unwrap_or_else(|_| top.to_path_buf());
        let mut options = git2::StatusOptions::new();
        options.include_untracked(true).recurse_untracked_dirs(true);
        if let Some(under) = dir
            .strip_prefix(&top)
            .ok()
            .and_then(Path::to_str)
            .filter(|p| !p.is_empty())
        {
            options.pathspec(format!("{under}/"));
        }
        let statuses = repo.statuses(Some(&mut options)).map_err(fail)?;
        Ok(statuses
            .iter()
            .filter_map(|s| s.path().ok().map(str::to_owned))
            .collect())
    }

    /// The content of blob `id`, if the repository has it.
    pub fn blob(&self, id: &str) -> Option<Vec<u8>> {
        let repo = self.0.as_ref()?;
        let blob = repo.find_blob(git2::Oid::from_str(id).ok()?).ok()?;
        Some(blob.content().to_vec())
    }

    /// The content of `rel` under `dir` in the commit HEAD points to, if any.
    pub fn committed(&self, dir: &Path, rel: &str) -> Option<Vec<u8>> {
        let repo = self.0.as_ref()?;
        let top = repo.workdir()?.canonicalize().ok()?;
        let under = dir.canonicalize().ok()?;
        let path = under.strip_prefix(&top).ok()?.join(rel);
        let tree = repo.head().ok()?.peel_to_tree().ok()?;
        let object = tree.get_path(&path).ok()?.to_object(repo).ok()?;
        Some(object.as_blob()?.content().to_vec())
    }
}

/// `git init -b main` in `dir`, add every file of `tree` (ignore rules do not
/// apply: each file scaffold writes is recorded) and the `extra` files (made
/// by hooks), and commit with `message`.
/// `author` wins over the environment and the git config.
///
/// The objects are built from the tree (not read back from disk) in an
/// in-memory store and streamed out as one pack, not thousands of loose
/// files. A file of [`LOOSE_BYTES`] or more goes straight to a loose object
/// instead, deflated as it is written, so it is never copied in memory. The
/// index gets each file's stat data, so `git status` need not read them again.
pub fn init_and_commit(
    dir: &Path,
    tree: &Tree,
    extra: &[String],
    message: &str,
    author: Option<&Identity>,
) -> Result<IdentitySource, GitError> {
    let fail = |action| {
        move |source| GitError {
            action,
            path: dir.to_path_buf(),
            source,
        }
    };
    let mut options = RepositoryInitOptions::new();
    options.initial_head("main");
    let repo = Repository::init_opts(dir, &options).map_err(fail("initialise a repository"))?;
    // A second handle without the in-memory store, for big files.
    let loose = Repository::open(dir).map_err(fail("open the repository"))?;
    let odb = repo.odb().map_err(fail("open the object database"))?;
    odb.add_new_mempack_backend(1000)
        .map_err(fail("open an in-memory object store"))?;
    let mut index = repo.index().map_err(fail("open the index"))?;
    // What the pack gets: every object in the in-memory store, with its file
    // name, which the delta search sorts by (as git does).
    let mut packed: Vec<(git2::Oid, String)> = Vec::with_capacity(tree.len() + extra.len() + 1);
    for (path, entry) in tree.iter() {
        let id = if entry.bytes.len() >= LOOSE_BYTES {
            loose.blob(&entry.bytes)
        } else {
            let id = repo.blob(&entry.bytes);
            packed.extend(id.iter().map(|id| (*id, file_name(path.as_str()))));
            id
        }
        .map_err(fail("store a file"))?;
        let stat = std::fs::symlink_metadata(dir.join(path.as_str())).map_err(|e| GitError {
            action: "read a file's status",
            path: dir.join(path.as_str()),
            source: git2::Error::from_str(&e.to_string()),
        })?;
        index
            .add(&index_entry(
                path.as_str(),
                entry.mode,
                id,
                entry.bytes.len(),
                Some(&stat),
            ))
            .map_err(fail("add the files"))?;
    }
    // Files the hooks made are committed too (read from disk, as git add would).
    for path in extra {
        index
            .add_path(Path::new(path))
            .map_err(fail("add the files the hooks made"))?;
        packed.extend(
            index
                .get_path(Path::new(path), 0)
                .map(|e| (e.id, file_name(path))),
        );
    }
    index.write().map_err(fail("write the index"))?;
    let tree_id = index.write_tree().map_err(fail("write the tree"))?;
    let git_tree = repo.find_tree(tree_id).map_err(fail("read the tree"))?;
    packed.push((tree_id, String::new()));
    git_tree
        .walk(git2::TreeWalkMode::PreOrder, |_, entry| {
            if entry.kind() == Some(git2::ObjectType::Tree) {
                let name = String::from_utf8_lossy(entry.name_bytes());
                packed.push((entry.id(), name.into_owned()));
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(fail("read the tree"))?;
    let (identity, source) = identity(&repo, author);
    let signature =
        Signature::now(&identity.name, &identity.email).map_err(fail("make a signature"))?;
    let commit = repo
        .commit(
            Some("HEAD"),
            &signature,
            &signature,
            message,
            &git_tree,
            &[],
        )
        .map_err(fail("commit"))?;
    packed.push((commit, String::new()));
    // The pack goes to the indexer a chunk at a time, never whole in memory.
    let mut builder = repo.packbuilder().map_err(fail("pack the objects"))?;
    // Search for deltas on every core, as the mempack's dump did.
    builder.set_threads(0);
    for (id, path) in &packed {
        builder
            .insert_object(*id, Some(path))
            .map_err(fail("pack the objects"))?;
    }
    // Buffered: the pack builder hands over each object's header and data
    // apart, and the indexer writes what it gets, a system call each.
    let packwriter = odb.packwriter().map_err(fail("write the pack"))?;
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, packwriter);
    let mut written = Ok(());
    let streamed = builder.foreach(|chunk| {
        written = std::io::Write::write_all(&mut writer, chunk);
        written.is_ok()
    });
    let io_error = |e: std::io::Error| GitError {
        action: "write the pack",
        path: dir.to_path_buf(),
        source: git2::Error::from_str(&e.to_string()),
    };
    // The write's own error says more than the callback's abort.
    written.map_err(io_error)?;
    streamed.map_err(fail("write the pack"))?;
    let mut writer = writer.into_inner().map_err(|e| io_error(e.into_error()))?;
    writer.commit().map_err(fail("write the pack"))?;
    Ok(source)
}

/// The last segment of a `/`-separated path.
fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

/// A file this big is written as a loose object of its own rather than
/// through the in-memory store and the pack, which would each hold a copy.
const LOOSE_BYTES: usize = 1 << 20;

/// An index entry for `path`; with `stat` (a file just written) git status
/// need not read the file again, without it (a tree never checked out) the
/// stat fields stay zero.
fn index_entry(
    path: &str,
    mode: u32,
    id: git2::Oid,
    size: usize,
    stat: Option<&std::fs::Metadata>,
) -> git2::IndexEntry {
    use std::os::unix::fs::MetadataExt;
    // The index keeps 32-bit fields; git truncates the same way.
    let time = |secs: i64, nanos: i64| git2::IndexTime::new(secs as i32, nanos as u32);
    let field = |f: fn(&std::fs::Metadata) -> u64| stat.map_or(0, |s| f(s) as u32);
    git2::IndexEntry {
        ctime: stat.map_or(time(0, 0), |s| time(s.ctime(), s.ctime_nsec())),
        mtime: stat.map_or(time(0, 0), |s| time(s.mtime(), s.mtime_nsec())),
        dev: field(MetadataExt::dev),
        ino: field(MetadataExt::ino),
        mode: if mode == LINK_MODE {
            LINK_MODE
        } else if mode & 0o111 == 0 {
            0o100_644
        } else {
            0o100_755
        },
        uid: stat.map_or(0, MetadataExt::uid),
        gid: stat.map_or(0, MetadataExt::gid),
        file_size: size as u32,
        id,
        // The low 12 bits hold the path's length (0xfff when longer).
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

fn identity(repo: &Repository, author: Option<&Identity>) -> (Identity, IdentitySource) {
    if let Some(author) = author {
        return (author.clone(), IdentitySource::Flag);
    }
    let env = |key| {
        std::env::var(key)
            .ok()
            .filter(|v: &String| !v.trim().is_empty())
    };
    if let (Some(name), Some(email)) = (env("GIT_AUTHOR_NAME"), env("GIT_AUTHOR_EMAIL")) {
        return (Identity { name, email }, IdentitySource::Environment);
    }
    if let Ok(signature) = repo.signature()
        && let (Ok(name), Ok(email)) = (signature.name(), signature.email())
    {
        let identity = Identity {
            name: name.to_owned(),
            email: email.to_owned(),
        };
        return (identity, IdentitySource::GitConfig);
    }
    (Identity::fallback(), IdentitySource::Fallback)
}

#[cfg(test)]
mod tests {
    use super::Identity;

    #[test]
    fn parses_name_and_email() {
        assert_eq!(
            Identity::parse("Ada Lovelace <ada@example.com>"),
            Some(Identity {
                name: "Ada Lovelace".into(),
                email: "ada@example.com".into()
            })
        );
        assert_eq!(Identity::parse("Ada"), None);
        assert_eq!(Identity::parse("<ada@example.com>"), None);
    }
}
