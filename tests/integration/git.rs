//! Template sets in git repositories: local bare repositories over file://.

use crate::harness::{Sandbox, commit_all, stderr};
use git2::{Repository, Signature};
use std::fs;
use std::path::Path;

/// Commits `files` (path → text) as the whole tree of `branch` in the bare
/// repository at `repo`, optionally tagging the commit.
fn publish(repo: &Path, files: &[(&str, &str)], tag: Option<&str>) -> String {
    let repo = Repository::open_bare(repo).unwrap();
    let mut index = git2::Index::new().unwrap();
    for (path, text) in files {
        let id = repo.blob(text.as_bytes()).unwrap();
        let entry = git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100_644,
            uid: 0,
            gid: 0,
            file_size: text.len() as u32,
            id,
            flags: 0,
            flags_extended: 0,
            path: path.as_bytes().to_vec(),
        };
        index.add(&entry).unwrap();
    }
    let tree = repo.find_tree(index.write_tree_to(&repo).unwrap()).unwrap();
    let signature = Signature::now("Author", "author@example.com").unwrap();
    let parent = repo
        .find_reference("refs/heads/main")
        .ok()
        .and_then(|r| r.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let id = repo
        .commit(
            Some("refs/heads/main"),
            &signature,
            &signature,
            "templates",
            &tree,
            &parents,
        )
        .unwrap();
    if let Some(tag) = tag {
        repo.tag_lightweight(tag, &repo.find_object(id, None).unwrap(), false)
            .unwrap();
    }
    id.to_string()
}

fn set(version: &str, greeting: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "templates/scaffold.yaml",
            format!(
                "name: remote\nversion: {version}\nlayers: [root]\nvariables:\n  project_name: {{default: Demo}}\n"
            ),
        ),
        ("templates/root/layer.yaml", "name: root\n".to_owned()),
        (
            "templates/root/files/hello.txt.tera",
            format!("{greeting}, {{{{ project_name }}}}\n"),
        ),
        ("README.md", "the template repository\n".to_owned()),
    ]
}

fn publish_set(repo: &Path, version: &str, greeting: &str, tag: Option<&str>) -> String {
    let files = set(version, greeting);
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    publish(repo, &files, tag)
}

/// A bare repository `remote.git` with v1.0.0 of the set (tagged) on main.
fn remote(sandbox: &Sandbox) -> (String, String) {
    let path = sandbox.root().join("remote.git");
    let repo = Repository::init_bare(&path).unwrap();
    repo.set_head("refs/heads/main").unwrap();
    let commit = publish_set(&path, "1.0.0", "Hello", Some("v1.0.0"));
    (format!("file://{}", path.display()), commit)
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn new_from_a_repository_records_the_commit() {
    let sandbox = Sandbox::new();
    let (url, commit) = remote(&sandbox);
    sandbox.git_identity("Test", "test@example.com");
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "-t",
        &url,
        "--subdir",
        "templates",
    ]);
    assert_eq!(read(sandbox.work().join("demo/hello.txt")), "Hello, demo\n");
    let answers = read(sandbox.work().join("demo/.scaffold/answers.yaml"));
    assert!(
        answers.contains(&format!("source:\n  kind: git\n  url: {url}\n  ref: main\n  commit: {commit}\n  subdir: templates\n")),
        "{answers}"
    );
    assert!(
        sandbox.home().join(".cache/scaffold/git").is_dir(),
        "the clone is cached"
    );
}

#[test]
fn a_tag_a_missing_ref_and_a_missing_repository() {
    let sandbox = Sandbox::new();
    let (url, _) = remote(&sandbox);
    sandbox.run_ok(&[
        "new",
        "a",
        "--defaults",
        "--no-git",
        "-t",
        &url,
        "--ref",
        "v1.0.0",
        "--subdir",
        "templates",
    ]);
    assert!(read(sandbox.work().join("a/.scaffold/answers.yaml")).contains("  ref: v1.0.0\n"));

    let out = sandbox.run(&[
        "new",
        "b",
        "--defaults",
        "-t",
        &url,
        "--ref",
        "v9",
        "--subdir",
        "templates",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: `{url}` has no tag, branch or commit `v9`\nhint: it has: main, v1.0.0; pass --refresh if the ref is new\n"
        )
    );

    let out = sandbox.run(&["new", "c", "--defaults", "-t", &url, "--subdir", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(&format!("error: `{url}` has no folder `nope`\n")),
        "{}",
        stderr(&out)
    );

    let missing = format!("file://{}/nowhere.git", sandbox.root().display());
    let out = sandbox.run(&["new", "d", "--defaults", "-t", &missing]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.starts_with(&format!("error: cannot fetch `{missing}`\n  caused by: ")),
        "{message}"
    );
    // libgit2's `; class=Os (2)` is Rust debug notation: not shown.
    assert!(!message.contains("class="), "{message}");
    assert!(message.contains(&format!("hint: check the URL, your network and your credentials (an ssh agent, or a git credential helper); `git ls-remote {missing}`")), "{message}");
    assert!(!sandbox.work().join("d").exists());
}

#[test]
fn a_cached_clone_serves_when_the_repository_is_gone() {
    let sandbox = Sandbox::new();
    let (url, _) = remote(&sandbox);
    sandbox.run_ok(&[
        "new",
        "a",
        "--defaults",
        "--no-git",
        "-t",
        &url,
        "--subdir",
        "templates",
    ]);
    fs::rename(
        sandbox.root().join("remote.git"),
        sandbox.root().join("gone.git"),
    )
    .unwrap();
    let out = sandbox.run_ok(&[
        "new",
        "b",
        "--defaults",
        "--no-git",
        "-t",
        &url,
        "--subdir",
        "templates",
    ]);
    assert!(
        stderr(&out).starts_with("warning: cannot fetch"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("; using the cached clone\n"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(sandbox.work().join("b/hello.txt")), "Hello, b\n");
    // A tag already in the cache needs no fetch at all.
    let out = sandbox.run_ok(&[
        "new",
        "c",
        "--defaults",
        "--no-git",
        "-t",
        &url,
        "--ref",
        "v1.0.0",
        "--subdir",
        "templates",
    ]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

#[test]
fn check_sees_the_newest_commit_and_update_latest_brings_it_in() {
    let sandbox = Sandbox::new();
    let (url, first) = remote(&sandbox);
    sandbox.git_identity("Test", "test@example.com");
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "-t",
        &url,
        "--subdir",
        "templates",
    ]);
    let demo = sandbox.work().join("demo");
    let second = publish_set(&sandbox.root().join("remote.git"), "1.1.0", "Hi", None);

    // check looks at the newest commit: a clean update is waiting, with --latest.
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(3));
    assert!(
        crate::harness::stdout(&check)
            .contains("`scaffold update --latest` would apply it cleanly")
    );
    // update without --latest re-renders the recorded commit: nothing changes.
    sandbox.run_ok(&["update", "demo"]);
    assert_eq!(read(demo.join("hello.txt")), "Hello, demo\n");
    sandbox.run_ok(&["update", "demo", "--latest"]);
    assert_eq!(read(demo.join("hello.txt")), "Hi, demo\n");
    let answers = read(demo.join(".scaffold/answers.yaml"));
    assert!(
        answers.contains(&format!("  ref: main\n  commit: {second}\n")),
        "{answers}"
    );
    assert!(!answers.contains(&first));
    commit_all(&demo, "update");
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(0));
}

#[test]
fn latest_follows_the_highest_version_tag() {
    let sandbox = Sandbox::new();
    let (url, _) = remote(&sandbox);
    sandbox.git_identity("Test", "test@example.com");
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "-t",
        &url,
        "--ref",
        "v1.0.0",
        "--subdir",
        "templates",
    ]);
    let remote = sandbox.root().join("remote.git");
    publish_set(&remote, "1.10.0", "Hey", Some("v1.10.0"));
    publish_set(&remote, "1.9.0", "Yo", Some("v1.9.0"));
    sandbox.run_ok(&["update", "demo", "--latest"]);
    let demo = sandbox.work().join("demo");
    assert_eq!(read(demo.join("hello.txt")), "Hey, demo\n");
    assert!(read(demo.join(".scaffold/answers.yaml")).contains("  ref: v1.10.0\n"));
}

#[test]
fn hooks_of_a_repository_run_only_when_trusted() {
    let sandbox = Sandbox::new();
    let path = sandbox.root().join("hooked.git");
    Repository::init_bare(&path)
        .unwrap()
        .set_head("refs/heads/main")
        .unwrap();
    publish(
        &path,
        &[
            (
                "scaffold.yaml",
                "name: hooked\nversion: 1.0.0\nlayers: [root]\n",
            ),
            (
                "root/layer.yaml",
                "name: root\nhooks:\n  post_generate: ['touch ran']\n",
            ),
            ("root/files/a.txt", "a\n"),
        ],
        None,
    );
    let url = format!("file://{}", path.display());
    let out = sandbox.run(&["new", "a", "--defaults", "--no-git", "-t", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: the template set from `{url}` has post_generate hooks, which would run on this machine:\n  root: touch ran\n\
             hint: pass --trust to run them, or --no-hooks to skip them\n"
        )
    );
    assert!(!sandbox.work().join("a").exists());
    sandbox.run_ok(&["new", "b", "--defaults", "--no-git", "-t", &url, "--trust"]);
    assert!(sandbox.work().join("b/ran").exists());
    sandbox.run_ok(&[
        "new",
        "c",
        "--defaults",
        "--no-git",
        "-t",
        &url,
        "--no-hooks",
    ]);
    assert!(!sandbox.work().join("c/ran").exists());
}
