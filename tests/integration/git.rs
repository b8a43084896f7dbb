//! Template sets in git repositories: local bare repositories over file://.

use crate::harness::{Sandbox, commit_all, stderr, stdout};
use git2::{Repository, Signature};
use std::fs;
use std::path::Path;

/// Commits `files` (path → text) as the whole tree of `branch` in the bare
/// repository at `repo`, optionally tagging the commit.
pub fn publish(repo: &Path, files: &[(&str, &str)], tag: Option<&str>) -> String {
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
    let path = bare_repo(sandbox, "remote.git");
    let commit = publish_set(&path, "1.0.0", "Hello", Some("v1.0.0"));
    (format!("file://{}", path.display()), commit)
}

/// An empty bare repository `name` in the sandbox, its HEAD on `main`.
fn bare_repo(sandbox: &Sandbox, name: &str) -> std::path::PathBuf {
    let path = sandbox.root().join(name);
    Repository::init_bare(&path)
        .unwrap()
        .set_head("refs/heads/main")
        .unwrap();
    path
}

/// `scaffold new demo --defaults` from the set in `url`'s `templates/`.
fn new_demo(sandbox: &Sandbox, url: &str) {
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "-t",
        url,
        "--subdir",
        "templates",
    ]);
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn new_from_a_repository_records_the_commit() {
    let sandbox = Sandbox::new();
    let (url, commit) = remote(&sandbox);
    sandbox.git_identity("Test", "test@example.com");
    new_demo(&sandbox, &url);
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
    new_demo(&sandbox, &url);
    let demo = sandbox.work().join("demo");
    let second = publish_set(&sandbox.root().join("remote.git"), "1.1.0", "Hi", None);

    // check looks at the newest commit: a clean update is waiting, with --latest.
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(3));
    assert!(stdout(&check).contains("`scaffold update --latest` would apply it cleanly"));
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
    let path = bare_repo(&sandbox, "hooked.git");
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

/// `remote.git` with one version of a set whose `hello.txt` is `body` (Tera).
fn publish_body(repo: &Path, version: &str, body: &str, tag: Option<&str>) -> String {
    let manifest = format!(
        "name: remote\nversion: {version}\nlayers: [root]\nvariables:\n  project_name: {{default: Demo}}\n"
    );
    publish(
        repo,
        &[
            ("templates/scaffold.yaml", &manifest),
            ("templates/root/layer.yaml", "name: root\n"),
            ("templates/root/files/hello.txt.tera", body),
        ],
        tag,
    )
}

#[test]
fn a_project_without_git_merges_a_new_version_from_a_render_of_the_recorded_one() {
    let sandbox = Sandbox::new();
    let path = bare_repo(&sandbox, "remote.git");
    let url = format!("file://{}", path.display());
    publish_body(
        &path,
        "1.0.0",
        "Hello, {{ project_name }}\ntwo\nthree\n",
        Some("v1.0.0"),
    );
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--no-git",
        "-t",
        &url,
        "--ref",
        "v1.0.0",
        "--subdir",
        "templates",
    ]);
    let demo = sandbox.work().join("demo");
    fs::write(demo.join("hello.txt"), "Hello, ours\ntwo\nthree\n").unwrap();
    let second = publish_body(
        &path,
        "2.0.0",
        "Hello, {{ project_name }}\ntwo\nthree, in v2\n",
        Some("v2.0.0"),
    );

    // Compared with v1.0.0: the project's edit is drift; v2.0.0 would merge.
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert_eq!(
        stdout(&check),
        format!(
            "demo: 1 of 1 files differ from remote 1.0.0\n  \
             modified            hello.txt  managed, changed in the project\n\
             drift: template-owned files were changed in the project; `scaffold diff` shows how\n\
             a newer template version exists, remote 2.0.0 (commit {}): `scaffold update --latest` would apply it cleanly (1 file(s)); `scaffold check --latest` lists them (exit 1)\n",
            &second[..12]
        )
    );
    let plan = sandbox.run_ok(&["update", "demo", "--latest", "--plan"]);
    assert_eq!(stdout(&plan), "clean merge   hello.txt\n");
    let out = sandbox.run_ok(&["update", "demo", "--latest"]);
    assert_eq!(stdout(&out), "clean merge   hello.txt\n");
    assert_eq!(
        read(demo.join("hello.txt")),
        "Hello, ours\ntwo\nthree, in v2\n"
    );
    assert!(read(demo.join(".scaffold/answers.yaml")).contains("  ref: v2.0.0\n"));
    // The managed file keeps the project's edit: still drift, and update said so.
    assert!(
        stderr(&out).ends_with(
            "note: 1 managed file(s) keep the project's own edits, which `scaffold check` reports as drift (exit 1): hello.txt; move the change into the template, or list the file under `ignore:` in .scaffold/answers.yaml\n"
        ),
        "{}",
        stderr(&out)
    );
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        stdout(&check),
        "demo: 1 of 1 files differ from remote 2.0.0\n  \
         modified            hello.txt  managed, changed in the project\n\
         drift: template-owned files were changed in the project; `scaffold diff` shows how (exit 1)\n"
    );
}

#[test]
fn check_compares_with_the_recorded_commit_and_with_latest_the_newest() {
    let sandbox = Sandbox::new();
    let (url, _) = remote(&sandbox);
    sandbox.git_identity("Test", "test@example.com");
    new_demo(&sandbox, &url);
    let demo = sandbox.work().join("demo");
    let second = publish_set(&sandbox.root().join("remote.git"), "1.1.0", "Hi", None);
    let short = &second[..12];

    // By default: in sync with the recorded commit; the newer one decides exit 3.
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(3), "{}", stderr(&check));
    assert_eq!(
        stdout(&check),
        format!(
            "demo: in sync with remote 1.0.0 (1 files checked)\n\
             a newer template version exists, remote 1.1.0 (commit {short}): `scaffold update --latest` would apply it cleanly (1 file(s)); `scaffold check --latest` lists them (exit 3)\n"
        )
    );
    let github = sandbox.run(&["check", "demo", "--format", "github"]);
    assert_eq!(github.status.code(), Some(3));
    assert_eq!(
        stdout(&github),
        format!(
            "::warning title=scaffold%3A update-available::a newer template version exists, remote 1.1.0 (commit {short}): `scaffold update --latest` would apply it cleanly (1 file(s))\n"
        )
    );
    let diff = sandbox.run(&["diff", "demo"]);
    assert_eq!(diff.status.code(), Some(3));
    assert_eq!(stdout(&diff), "");
    assert!(
        stderr(&diff).ends_with("; `scaffold diff --latest` shows its changes\n"),
        "{}",
        stderr(&diff)
    );

    // With --latest: compared with the newest commit.
    let check = sandbox.run(&["check", "demo", "--latest"]);
    assert_eq!(check.status.code(), Some(3));
    assert_eq!(
        stdout(&check),
        "demo: 1 of 1 files differ from remote 1.1.0 (recorded: 1.0.0)\n  \
         modified            hello.txt  managed, changed in the template\n\
         the template has changed; `scaffold update --latest` would apply it cleanly (exit 3)\n"
    );
    let diff = sandbox.run(&["diff", "demo", "--latest"]);
    assert_eq!(diff.status.code(), Some(3));
    assert_eq!(
        stdout(&diff),
        "--- a/hello.txt (project)\n+++ b/hello.txt (template)\n@@ -1 +1 @@\n-Hello, demo\n+Hi, demo\n"
    );

    // The project edits the same line: drift against the recorded commit, and
    // the newer one would conflict (4 decides).
    fs::write(demo.join("hello.txt"), "Howdy, demo\n").unwrap();
    let check = sandbox.run(&["check", "demo", "--format", "json"]);
    assert_eq!(check.status.code(), Some(4));
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(json["summary"], "update-conflicts");
    assert_eq!(json["template"]["version"], "1.0.0");
    assert_eq!(
        json["newer"],
        serde_json::json!({"version": "1.1.0", "commit": second, "changes": 1, "conflicts": 1, "needs_answers": false, "exit_code": 4})
    );
    assert_eq!(
        (
            &json["files"][0]["path"],
            &json["files"][0]["changed_by"],
            &json["files"][0]["exit_code"]
        ),
        (
            &serde_json::json!("hello.txt"),
            &serde_json::json!("project"),
            &serde_json::json!(1)
        )
    );
    let diff = sandbox.run(&["diff", "demo"]);
    assert_eq!(diff.status.code(), Some(4));
    assert_eq!(
        stdout(&diff),
        "--- a/hello.txt (project)\n+++ b/hello.txt (template)\n@@ -1 +1 @@\n-Howdy, demo\n+Hello, demo\n"
    );
    let check = sandbox.run(&["check", "demo", "--latest", "--format", "json"]);
    assert_eq!(check.status.code(), Some(4));
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(json["newer"], serde_json::Value::Null);
    assert_eq!(json["template"]["version"], "1.1.0");
    assert_eq!(json["files"][0]["changed_by"], "both");
    assert_eq!(json["files"][0]["conflict"], true);
}

#[test]
fn a_checkout_of_the_repository_serves_as_template_for_a_recorded_subdir() {
    let sandbox = Sandbox::new();
    let (url, _) = remote(&sandbox);
    sandbox.git_identity("Test", "test@example.com");
    new_demo(&sandbox, &url);
    // A checkout of the repository, one commit ahead.
    for (path, text) in set("1.1.0", "Hey") {
        sandbox.write(&format!("checkout/{path}"), &text);
    }
    let checkout = sandbox.root().join("checkout");
    let checkout = checkout.to_str().unwrap();
    let inner = format!("{checkout}/templates");
    for args in [
        vec!["check", "demo", "--template", checkout],
        vec![
            "check",
            "demo",
            "--template",
            checkout,
            "--subdir",
            "templates",
        ],
        vec!["check", "demo", "--template", &inner],
    ] {
        let out = sandbox.run(&args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            "demo: 1 of 1 files differ from remote 1.1.0 (recorded: 1.0.0)\n  \
             modified            hello.txt  managed, changed in the template\n\
             the template has changed; `scaffold update` would apply it cleanly (exit 3)\n",
            "{args:?}"
        );
    }
    let out = sandbox.run(&["check", "demo", "--template", checkout, "--subdir", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "`{checkout}/nope` does not exist or is not a folder"
        )),
        "{}",
        stderr(&out)
    );
    // `new` takes --subdir with a folder too.
    sandbox.run_ok(&[
        "new",
        "other",
        "--defaults",
        "--no-git",
        "-t",
        checkout,
        "--subdir",
        "templates",
    ]);
    assert_eq!(read(sandbox.work().join("other/hello.txt")), "Hey, other\n");
}

/// A set with a merged README, as published at tag `v1` or `v2`: v2 changes
/// the README's first line and adds CHANGELOG.md.
fn versioned_set(v2: bool) -> Vec<(&'static str, String)> {
    let mut files = vec![
        (
            "scaffold.yaml",
            format!(
                "name: versioned\nversion: {}\nlayers: [root]\nvariables:\n  project_name: {{default: Demo}}\n",
                if v2 { "2.0.0" } else { "1.0.0" }
            ),
        ),
        (
            "root/layer.yaml",
            "name: root\nrules:\n  - {glob: README.md.tera, ownership: merged}\n".to_owned(),
        ),
        (
            "root/files/README.md.tera",
            format!(
                "# {{{{ project_name }}}}{}\n\nWritten by the template.\n\nNotes: none yet.\n",
                if v2 { ", version two" } else { "" }
            ),
        ),
    ];
    if v2 {
        files.push(("root/files/CHANGELOG.md", "v2: a changelog\n".to_owned()));
    }
    files
}

#[test]
fn a_set_tagged_v1_and_v2_generates_checks_and_updates_across_versions() {
    let sandbox = Sandbox::new();
    sandbox.git_identity("Test", "test@example.com");
    let path = bare_repo(&sandbox, "versioned.git");
    let publish_version = |v2, tag| {
        let files = versioned_set(v2);
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        publish(&path, &files, Some(tag))
    };
    let v1 = publish_version(false, "v1");
    let url = format!("file://{}", path.display());
    sandbox.run_ok(&["new", "demo", "--defaults", "-t", &url, "--ref", "v1"]);
    let demo = sandbox.work().join("demo");
    let answers = read(demo.join(".scaffold/answers.yaml"));
    assert!(
        answers.contains(&format!("  ref: v1\n  commit: {v1}\n")),
        "{answers}"
    );
    // The project edits another line of the merged README.
    fs::write(
        demo.join("README.md"),
        "# demo\n\nWritten by the template.\n\nNotes: ours.\n",
    )
    .unwrap();
    commit_all(&demo, "our notes");
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(0));

    let v2 = publish_version(true, "v2");
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(3), "{}", stderr(&check));
    // Each change named, with the version it comes from and the command that applies it.
    let report = crate::harness::stdout(&check);
    for line in [
        "demo: 1 of 1 files differ from versioned 1.0.0",
        "a newer template version exists, versioned 2.0.0 (commit",
        "`scaffold update --latest` would apply it cleanly (2 file(s))",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    // --latest lists what the new version changes.
    let latest = sandbox.run(&["check", "demo", "--latest"]);
    let report = crate::harness::stdout(&latest);
    for line in ["CHANGELOG.md", "README.md"] {
        assert!(report.contains(line), "{line}\n{report}");
    }

    sandbox.run_ok(&["update", "demo", "--latest"]);
    assert_eq!(
        read(demo.join("README.md")),
        "# demo, version two\n\nWritten by the template.\n\nNotes: ours.\n"
    );
    assert_eq!(read(demo.join("CHANGELOG.md")), "v2: a changelog\n");
    let answers = read(demo.join(".scaffold/answers.yaml"));
    assert!(
        answers.contains(&format!("  ref: v2\n  commit: {v2}\n")),
        "{answers}"
    );
    assert!(answers.contains("version: 2.0.0"), "{answers}");
    commit_all(&demo, "update to v2");
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        crate::harness::stdout(&check)
    );
}

#[test]
fn latest_skips_pre_releases_unless_on_one() {
    let sandbox = Sandbox::new();
    let (url, _) = remote(&sandbox);
    sandbox.git_identity("Test", "test@example.com");
    let new = |name: &str, reference: &str| {
        sandbox.run_ok(&[
            "new",
            name,
            "--defaults",
            "-t",
            &url,
            "--ref",
            reference,
            "--subdir",
            "templates",
        ]);
    };
    new("stable", "v1.0.0");
    let remote = sandbox.root().join("remote.git");
    publish_set(&remote, "2.0.0-rc.1", "Soon", Some("v2.0.0-rc.1"));
    new("early", "v2.0.0-rc.1");
    let stable = sandbox.work().join("stable");
    let early = sandbox.work().join("early");

    // Only a release candidate above v1.0.0: a release stays where it is.
    assert_eq!(sandbox.run(&["check", "stable"]).status.code(), Some(0));
    sandbox.run_ok(&["update", "stable", "--latest"]);
    assert_eq!(read(stable.join("hello.txt")), "Hello, stable\n");

    // The release wins over its candidates, for both projects.
    publish_set(&remote, "2.0.0-rc.2", "Almost", Some("v2.0.0-rc.2"));
    sandbox.run_ok(&["update", "early", "--latest"]);
    assert_eq!(read(early.join("hello.txt")), "Almost, early\n");
    commit_all(&early, "rc.2");
    publish_set(&remote, "2.0.0", "Hi", Some("v2.0.0"));
    for (project, dir) in [("stable", &stable), ("early", &early)] {
        sandbox.run_ok(&["update", project, "--latest"]);
        assert_eq!(read(dir.join("hello.txt")), format!("Hi, {project}\n"));
        assert!(read(dir.join(".scaffold/answers.yaml")).contains("  ref: v2.0.0\n"));
    }
}

#[test]
fn a_config_alias_names_a_repository_with_ref_and_subdir() {
    let sandbox = Sandbox::new();
    let (url, _) = remote(&sandbox);
    let remote = sandbox.root().join("remote.git");
    let v1 = publish_set(&remote, "1.0.1", "Howdy", Some("v1.0.1"));
    publish_set(&remote, "2.0.0", "Hi", None);
    sandbox.write(
        "home/.config/scaffold/config.yaml",
        &format!("templates:\n  company: {{url: '{url}', ref: v1.0.1, subdir: templates}}\n"),
    );
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", "company"]);
    let demo = sandbox.work().join("demo");
    assert_eq!(read(demo.join("hello.txt")), "Howdy, demo\n");
    let answers = read(demo.join(".scaffold/answers.yaml"));
    assert!(
        answers.contains(&format!(
            "  url: {url}\n  ref: v1.0.1\n  commit: {v1}\n  subdir: templates\n"
        )),
        "{answers}"
    );
}

#[test]
fn clones_go_to_the_xdg_cache_and_check_works_from_it_offline() {
    let sandbox = Sandbox::new();
    let (url, _) = remote(&sandbox);
    sandbox.git_identity("Test", "test@example.com");
    let cache = sandbox.root().join("cache");
    let run = |args: &[&str]| {
        sandbox
            .scaffold()
            .env("XDG_CACHE_HOME", &cache)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "new",
        "demo",
        "--defaults",
        "-t",
        &url,
        "--subdir",
        "templates",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let clones = crate::harness::names(&cache.join("scaffold/git"));
    assert_eq!(clones.len(), 1, "{clones:?}");
    assert!(
        cache
            .join("scaffold/git")
            .join(&clones[0])
            .join("HEAD")
            .is_file(),
        "a bare clone"
    );
    assert!(!sandbox.home().join(".cache").exists(), "not under HOME");

    // The repository goes away: check still works from the cached clone.
    fs::rename(
        sandbox.root().join("remote.git"),
        sandbox.root().join("gone.git"),
    )
    .unwrap();
    let out = run(&["check", "demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        crate::harness::stdout(&out).starts_with("demo: in sync with remote 1.0.0"),
        "{}",
        crate::harness::stdout(&out)
    );
    // Without the cache it is an error that says what to do.
    fs::remove_dir_all(&cache).unwrap();
    let out = run(&["check", "demo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot load the template set recorded in"),
        "{}",
        stderr(&out)
    );
}

/// A newer version asks a question the recorded answers do not answer: check
/// still reports the project's own state, and says an update is waiting
/// that needs answers (exit 4), instead of failing.
#[test]
fn check_on_a_newer_version_with_a_new_question_says_update_asks_it() {
    let sandbox = Sandbox::new();
    let (url, _) = remote(&sandbox);
    sandbox.git_identity("Test", "test@example.com");
    new_demo(&sandbox, &url);
    let mut files = set("2.0.0", "Hello");
    files[0].1 = "name: remote\nversion: 2.0.0\nlayers: [root]\nvariables:\n  project_name: {default: Demo}\n  owner: {prompt: Owner}\n".into();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    publish(&sandbox.root().join("remote.git"), &files, Some("v2.0.0"));
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(4), "{}", stderr(&check));
    assert!(
        stdout(&check).contains("a newer template version exists, remote 2.0.0 (commit")
            && stdout(&check).contains(
                "`scaffold update --latest` would first ask what the recorded answers do not say"
            ),
        "{}",
        stdout(&check)
    );
    let json = sandbox.run(&["check", "demo", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["newer"]["needs_answers"], true);
    assert_eq!(json["newer"]["exit_code"], 4);
}
