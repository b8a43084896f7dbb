//! Template sets in git repositories (`https://`, `ssh://`, `git@host:path`,
//! `file://`). A repository is cloned once into a cache
//! (`$XDG_CACHE_HOME/scaffold/git`), fetched again only when asked
//! (`--refresh`) or when the ref is a branch, and read straight from the
//! commit's tree: there is no checkout to go stale. With no network, a cached
//! clone that has the ref is used as it is.

use super::{SetFiles, SourceError, SourceFile};
use git2::{AutotagOption, Direction, FetchOptions, Oid, RemoteCallbacks, Repository};
use std::path::{Path, PathBuf};

/// A template set in a git repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    /// Where the repository is.
    pub url: String,
    /// A tag, branch or commit; the remote's default branch if `None`.
    pub reference: Option<String>,
    /// The set's folder inside the repository, if not its top.
    pub subdir: Option<String>,
    /// When the ref is a version tag, take the highest version tag instead
    /// (`--latest`); a branch is followed to its newest commit anyway.
    pub latest: bool,
}

/// What was read: the files, and exactly which commit they came from.
#[derive(Debug)]
pub struct Resolved {
    /// The set's files.
    pub files: SetFiles,
    /// The ref as it should be recorded (the default branch's name if none was given).
    pub reference: String,
    /// The commit, in full.
    pub commit: String,
    /// Set when the fetch failed and the cached clone was used.
    pub offline: Option<String>,
}

/// Whether `template` names a git repository rather than a folder.
pub fn is_url(template: &str) -> bool {
    ["https://", "http://", "ssh://", "git://", "file://"]
        .iter()
        .any(|p| template.starts_with(p))
        || template.split_once(':').is_some_and(|(user_host, path)| {
            user_host.contains('@') && !user_host.contains('/') && !path.is_empty()
        })
}

/// The folder of the cached clones.
pub fn cache_root() -> Option<PathBuf> {
    let env = |key| {
        std::env::var_os(key)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("XDG_CACHE_HOME")
        .or_else(|| env("HOME").map(|home| home.join(".cache")))
        .map(|dir| dir.join("scaffold").join("git"))
}

fn git_error<'a>(
    url: &'a str,
    action: &'static str,
) -> impl FnOnce(git2::Error) -> SourceError + 'a {
    move |source| SourceError::Git {
        url: url.to_owned(),
        action,
        source,
    }
}

/// Reads the set at `source`; `refresh` fetches even when the ref is a tag
/// or commit already cached. `progress(received, total)` follows a fetch.
pub fn load(
    source: &GitSource,
    refresh: bool,
    progress: &dyn Fn(usize, usize),
) -> Result<Resolved, SourceError> {
    let url = source.url.as_str();
    let root = cache_root().ok_or(SourceError::NoCache)?;
    // One folder per URL, named by a hash of it.
    let key = Oid::hash_object(git2::ObjectType::Blob, url.as_bytes())
        .map_err(git_error(url, "hash the URL"))?;
    let cache = root.join(&key.to_string()[..16]);
    let (repo, fresh) = match Repository::open_bare(&cache) {
        Ok(repo) => (repo, false),
        Err(_) => (clone(url, &root, &cache, progress)?, true),
    };
    let known = |name: &str| resolve(&repo, Some(name)).is_ok();
    let needs_fetch = !fresh
        && (refresh
            || match &source.reference {
                None => true,
                Some(r) => repo.find_reference(&format!("refs/heads/{r}")).is_ok() || !known(r),
            });
    let mut offline = None;
    if let Some(Err(error)) = needs_fetch.then(|| fetch(&repo, url, progress)) {
        // Offline: a cached clone that has the ref still serves.
        if source.reference.as_deref().is_none_or(known) {
            offline = Some(error.to_string());
        } else {
            return Err(error);
        }
    }
    let highest = source
        .reference
        .as_deref()
        .filter(|r| source.latest && repo.find_reference(&format!("refs/tags/{r}")).is_ok())
        .and_then(|r| highest_version_tag(&repo, r));
    let wanted = highest.as_deref().or(source.reference.as_deref());
    let (commit, reference) = resolve(&repo, wanted).map_err(|()| SourceError::NoSuchRef {
        url: url.to_owned(),
        reference: source.reference.clone().unwrap_or_else(|| "HEAD".into()),
        known: refs(&repo),
    })?;
    let files = read_tree(&repo, commit, source.subdir.as_deref(), url)?;
    Ok(Resolved {
        files,
        reference,
        commit: commit.to_string(),
        offline,
    })
}

/// A bare clone into `cache`, made beside it and renamed into place.
fn clone(
    url: &str,
    root: &Path,
    cache: &Path,
    progress: &dyn Fn(usize, usize),
) -> Result<Repository, SourceError> {
    std::fs::create_dir_all(root).map_err(|source| SourceError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let staging = tempfile::Builder::new()
        .prefix(".clone-")
        .tempdir_in(root)
        .map_err(|source| SourceError::Io {
            path: root.to_path_buf(),
            source: crate::disk::write::plain(source),
        })?;
    let repo = Repository::init_bare(staging.path()).map_err(git_error(url, "create the cache"))?;
    repo.remote("origin", url)
        .map_err(git_error(url, "add the remote"))?;
    fetch(&repo, url, progress)?;
    drop(repo);
    let path = staging.keep();
    if let Err(source) = std::fs::rename(&path, cache) {
        let _ = std::fs::remove_dir_all(&path);
        // Another run may have cloned the same URL meanwhile: use its clone.
        if Repository::open_bare(cache).is_err() {
            return Err(SourceError::Io {
                path: cache.to_path_buf(),
                source,
            });
        }
    }
    Repository::open_bare(cache).map_err(git_error(url, "open the cache"))
}

/// Fetches every branch and tag, and remembers the remote's default branch.
fn fetch(repo: &Repository, url: &str, progress: &dyn Fn(usize, usize)) -> Result<(), SourceError> {
    let mut remote = repo
        .find_remote("origin")
        .map_err(git_error(url, "open the remote"))?;
    let mut callbacks = RemoteCallbacks::new();
    callbacks.credentials(|url, username, allowed| {
        if allowed.contains(git2::CredentialType::SSH_KEY) {
            git2::Cred::ssh_key_from_agent(username.unwrap_or("git"))
        } else if allowed.contains(git2::CredentialType::USER_PASS_PLAINTEXT) {
            let config = git2::Config::open_default()?;
            git2::Cred::credential_helper(&config, url, username)
        } else {
            git2::Cred::default()
        }
    });
    callbacks.transfer_progress(|stats| {
        progress(stats.received_objects(), stats.total_objects());
        true
    });
    let mut options = FetchOptions::new();
    options
        .remote_callbacks(callbacks)
        .download_tags(AutotagOption::All)
        .prune(git2::FetchPrune::On);
    remote
        .fetch(
            &["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
            Some(&mut options),
            None,
        )
        .map_err(git_error(url, "fetch"))?;
    // The default branch, for a source given without --ref.
    if remote.connect(Direction::Fetch).is_ok() {
        if let Ok(head) = remote.default_branch()
            && let Ok(head) = head.as_str()
        {
            let _ = repo.set_head(head);
        }
        let _ = remote.disconnect();
    }
    Ok(())
}

/// The commit a ref names (tag, branch, or commit id) and how to record the ref.
fn resolve(repo: &Repository, reference: Option<&str>) -> Result<(Oid, String), ()> {
    let peel = |object: git2::Object<'_>| object.peel_to_commit().map(|c| c.id()).map_err(|_| ());
    match reference {
        None => {
            let head = repo.head().map_err(|_| ())?;
            let name = head.shorthand().unwrap_or("HEAD").to_owned();
            Ok((head.peel_to_commit().map_err(|_| ())?.id(), name))
        }
        Some(name) => {
            for full in [format!("refs/tags/{name}"), format!("refs/heads/{name}")] {
                if let Ok(found) = repo.find_reference(&full) {
                    return Ok((
                        peel(found.peel(git2::ObjectType::Any).map_err(|_| ())?)?,
                        name.to_owned(),
                    ));
                }
            }
            let object = repo.revparse_single(name).map_err(|_| ())?;
            Ok((peel(object)?, name.to_owned()))
        }
    }
}

/// The tag `--latest` moves `current` to: the one with the highest version
/// (`v2`, `v2.1`, `2.1.3`, see [`tag_version`]). Pre-releases (`v2.0.0-rc.1`)
/// count only when `current` is itself one, as cargo skips them unless asked;
/// `current` is kept when no tag is newer. `None` when no tag is a version.
///
/// [`tag_version`]: crate::manifest::tag_version
fn highest_version_tag(repo: &Repository, current: &str) -> Option<String> {
    let tags = repo.tag_names(None).ok()?;
    let names: Vec<&str> = (0..tags.len())
        .filter_map(|i| tags.get(i).ok().flatten())
        .collect();
    newest_tag(current, &names)
}

/// [`highest_version_tag`] over the tag names `tags`.
fn newest_tag(current: &str, tags: &[&str]) -> Option<String> {
    let now = crate::manifest::tag_version(current);
    let pre = now.as_ref().is_some_and(|v| !v.pre.is_empty());
    let (version, tag) = tags
        .iter()
        .filter_map(|tag| Some((crate::manifest::tag_version(tag)?, *tag)))
        .filter(|(version, _)| pre || version.pre.is_empty())
        .max()?;
    match now {
        Some(now) if now >= version => Some(current.to_owned()),
        _ => Some(tag.to_owned()),
    }
}

/// The tags and branches of the cached clone, for a "no such ref" message.
fn refs(repo: &Repository) -> Vec<String> {
    let mut names: Vec<String> = ["refs/heads/*", "refs/tags/*"]
        .iter()
        .filter_map(|glob| repo.references_glob(glob).ok())
        .flat_map(|refs| {
            refs.filter_map(Result::ok)
                .filter_map(|r| r.shorthand().ok().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort();
    names
}

/// Every file of the commit's tree (below `subdir`), with its mode.
fn read_tree(
    repo: &Repository,
    commit: Oid,
    subdir: Option<&str>,
    url: &str,
) -> Result<SetFiles, SourceError> {
    let commit = repo
        .find_commit(commit)
        .map_err(git_error(url, "read the commit"))?;
    let mut tree = commit.tree().map_err(git_error(url, "read the tree"))?;
    if let Some(subdir) = subdir
        .map(|s| s.trim_matches('/'))
        .filter(|s| !s.is_empty())
    {
        let entry = tree
            .get_path(Path::new(subdir))
            .map_err(|_| SourceError::NoSubdir {
                url: url.to_owned(),
                subdir: subdir.to_owned(),
            })?;
        tree = entry
            .to_object(repo)
            .and_then(|o| o.peel_to_tree())
            .map_err(|_| SourceError::NoSubdir {
                url: url.to_owned(),
                subdir: subdir.to_owned(),
            })?;
    }
    let mut files = SetFiles::new();
    let mut problem = None;
    tree.walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
        let path = format!("{folder}{}", entry.name().unwrap_or(""));
        match entry.filemode() {
            0o040_000 => git2::TreeWalkResult::Ok,
            0o100_644 | 0o100_755 => {
                match entry.to_object(repo).ok().and_then(|o| o.into_blob().ok()) {
                    Some(blob) => {
                        let mode = if entry.filemode() == 0o100_755 {
                            0o755
                        } else {
                            0o644
                        };
                        files.insert(
                            path,
                            SourceFile {
                                bytes: blob.content().to_vec().into(),
                                mode,
                            },
                        );
                        git2::TreeWalkResult::Ok
                    }
                    None => {
                        problem = Some(SourceError::Git {
                            url: url.to_owned(),
                            action: "read a file",
                            source: git2::Error::from_str(&path),
                        });
                        git2::TreeWalkResult::Abort
                    }
                }
            }
            // A link: its blob holds the target, checked where it is rendered.
            0o120_000 => match entry.to_object(repo).ok().and_then(|o| o.into_blob().ok()) {
                Some(blob) if std::str::from_utf8(blob.content()).is_ok() => {
                    files.insert(
                        path,
                        SourceFile {
                            bytes: blob.content().to_vec().into(),
                            mode: crate::tree::LINK_MODE,
                        },
                    );
                    git2::TreeWalkResult::Ok
                }
                _ => {
                    problem = Some(SourceError::LinkTarget(PathBuf::from(&path)));
                    git2::TreeWalkResult::Abort
                }
            },
            // A submodule: its files are not in this repository.
            _ => git2::TreeWalkResult::Skip,
        }
    })
    .map_err(git_error(url, "read the tree"))
    .or_else(|e| if problem.is_some() { Ok(()) } else { Err(e) })?;
    match problem {
        Some(problem) => Err(problem),
        None => Ok(files),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_url, newest_tag};

    #[test]
    fn latest_takes_the_highest_release_tag() {
        let tags = ["v1", "v2", "v1.5", "stable", "v10-rc.1"];
        assert_eq!(newest_tag("v1", &tags).as_deref(), Some("v2"));
        // A pre-release never wins ties with its release.
        let tags = ["v1", "v2.0.0-rc.1", "v2.0.0"];
        assert_eq!(newest_tag("v1", &tags).as_deref(), Some("v2.0.0"));
        let tags = ["v2.0.0", "v2.0.0-rc.1", "v1"];
        assert_eq!(newest_tag("v1", &tags).as_deref(), Some("v2.0.0"));
    }

    #[test]
    fn pre_releases_count_only_from_a_pre_release() {
        let tags = ["v1", "v2.0.0-rc.1", "v2.0.0-rc.2"];
        assert_eq!(newest_tag("v1", &tags).as_deref(), Some("v1"));
        assert_eq!(
            newest_tag("v2.0.0-rc.1", &tags).as_deref(),
            Some("v2.0.0-rc.2")
        );
        let tags = ["v2.0.0-rc.1", "v2.0.0"];
        assert_eq!(newest_tag("v2.0.0-rc.1", &tags).as_deref(), Some("v2.0.0"));
    }

    #[test]
    fn latest_never_goes_back_and_ignores_other_tags() {
        // The same version under another name, or none higher: stay.
        assert_eq!(
            newest_tag("v2", &["v2", "2.0.0", "v1"]).as_deref(),
            Some("v2")
        );
        assert_eq!(newest_tag("v3", &["v2"]).as_deref(), Some("v3"));
        // From a tag that is not a version, the highest version tag.
        assert_eq!(
            newest_tag("stable", &["stable", "v1", "v2"]).as_deref(),
            Some("v2")
        );
        assert_eq!(newest_tag("stable", &["stable", "nightly"]), None);
    }

    #[test]
    fn urls_and_folders_are_told_apart() {
        for url in [
            "https://h/o/t.git",
            "ssh://git@h/o/t",
            "git@github.com:org/templates.git",
            "file:///srv/t.git",
        ] {
            assert!(is_url(url), "{url}");
        }
        for folder in [
            "./templates",
            "/srv/templates",
            "templates",
            "C:/x",
            "a@b/c:d",
        ] {
            assert!(!is_url(folder), "{folder}");
        }
    }
}
