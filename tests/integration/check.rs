//! `scaffold check` and `scaffold diff` on real generated projects.

use crate::harness::{Sandbox, stderr, stdout};
use std::fs;
use std::path::PathBuf;

/// A set with a managed, a merged and a seed file, and an executable.
const SET: &[(&str, &str)] = &[
    (
        "scaffold.yaml",
        "name: drift\nversion: 1.0.0\nlayers: [root]\nvariables:\n  project_name: {default: Demo}\n",
    ),
    (
        "root/layer.yaml",
        "name: root\nvariables:\n  port: {type: integer, default: 8000}\n\
         rules:\n  - {glob: README.md.tera, ownership: merged}\n  - {glob: 'example/**', ownership: seed}\n  - {glob: 'bin/*', mode: '0755'}\n",
    ),
    (
        "root/files/config.toml.tera",
        "name = \"{{ project_name }}\"\nport = {{ root.port }}\nlevel = \"info\"\n",
    ),
    (
        "root/files/README.md.tera",
        "# {{ project_name }}\n\nline two\n\nline three\n",
    ),
    ("root/files/example/app.py", "print('hello')\n"),
    ("root/files/bin/run", "#!/bin/sh\necho run\n"),
];

/// A project `demo` made from `SET` (a git repository unless `git` is false).
fn project(sandbox: &Sandbox, git: bool) -> (String, PathBuf) {
    let tpl = sandbox.template(SET).display().to_string();
    let mut args = vec!["new", "demo", "--defaults", "-t", &tpl];
    if !git {
        args.push("--no-git");
    }
    sandbox.git_identity("Test", "test@example.com");
    sandbox.run_ok(&args);
    (tpl, sandbox.work().join("demo"))
}

fn check(sandbox: &Sandbox, args: &[&str]) -> (i32, String) {
    let out = sandbox.run(&[&["check", "demo"], args].concat());
    assert!(
        out.stderr.is_empty() || out.status.code() == Some(2),
        "{}",
        stderr(&out)
    );
    (out.status.code().unwrap(), stdout(&out))
}

fn edit(path: PathBuf, from: &str, to: &str) {
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn a_fresh_project_is_in_sync() {
    let sandbox = Sandbox::new();
    project(&sandbox, true);
    assert_eq!(
        check(&sandbox, &[]),
        (
            0,
            "demo: in sync with drift 1.0.0 (3 files checked)\n".to_owned()
        )
    );
    let out = sandbox
        .scaffold()
        .current_dir(sandbox.work().join("demo"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "demo: in sync with drift 1.0.0 (3 files checked)\n"
    );
}

#[test]
fn an_edited_managed_file_is_drift() {
    let sandbox = Sandbox::new();
    let (_, demo) = project(&sandbox, true);
    edit(demo.join("config.toml"), "info", "debug");
    let (code, text) = check(&sandbox, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        text,
        "demo: 1 of 3 files differ from drift 1.0.0\n  \
         modified            config.toml  managed, changed in the project\n\
         drift: template-owned files were changed in the project; `scaffold diff` shows how (exit 1)\n"
    );
    let out = sandbox.run(&["diff", "demo"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "--- a/config.toml (project)\n+++ b/config.toml (template)\n@@ -1,3 +1,3 @@\n name = \"demo\"\n port = 8000\n-level = \"debug\"\n+level = \"info\"\n"
    );
}

#[test]
fn an_edited_merged_file_is_reported_but_passes_and_seed_files_are_not_looked_at() {
    let sandbox = Sandbox::new();
    let (_, demo) = project(&sandbox, true);
    edit(demo.join("README.md"), "line two", "our own line");
    fs::write(demo.join("example/app.py"), "print('ours')\n").unwrap();
    fs::write(demo.join("notes.txt"), "a file of our own\n").unwrap();
    let (code, text) = check(&sandbox, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        text,
        "demo: 1 of 3 files differ from drift 1.0.0\n  \
         modified            README.md  merged, changed in the project (a merged file: reported only)\n\
         in sync: only merged files differ (exit 0)\n"
    );
}

#[test]
fn deleted_files_and_changed_modes_are_drift() {
    let sandbox = Sandbox::new();
    let (_, demo) = project(&sandbox, false);
    fs::remove_file(demo.join("config.toml")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(demo.join("bin/run"), fs::Permissions::from_mode(0o644)).unwrap();
    let (code, text) = check(&sandbox, &["--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["summary"], "drift");
    let files: Vec<(&str, &str, &str)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
                f["changed_by"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("bin/run", "mode", "project"),
            ("config.toml", "missing", "project")
        ]
    );
    // Only the executable bit counts: a checkout's umask is no drift.
    fs::write(
        demo.join("config.toml"),
        "name = \"demo\"\nport = 8000\nlevel = \"info\"\n",
    )
    .unwrap();
    fs::set_permissions(demo.join("config.toml"), fs::Permissions::from_mode(0o664)).unwrap();
    fs::set_permissions(demo.join("bin/run"), fs::Permissions::from_mode(0o775)).unwrap();
    assert_eq!(check(&sandbox, &[]).0, 0);
}

#[test]
fn a_template_change_with_an_untouched_project_is_a_clean_update() {
    let sandbox = Sandbox::new();
    let (tpl, _) = project(&sandbox, true);
    edit(
        PathBuf::from(&tpl).join("root/files/config.toml.tera"),
        "info",
        "warn",
    );
    edit(
        PathBuf::from(&tpl).join("scaffold.yaml"),
        "version: 1.0.0",
        "version: 1.1.0",
    );
    let (code, text) = check(&sandbox, &[]);
    assert_eq!(code, 3, "{text}");
    assert_eq!(
        text,
        "demo: 1 of 3 files differ from drift 1.1.0 (recorded: 1.0.0)\n  \
         modified            config.toml  managed, changed in the template\n\
         the template has changed; `scaffold update` would apply it cleanly (exit 3)\n"
    );
}

#[test]
fn both_sides_changing_the_same_line_is_a_conflict() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox, true);
    edit(
        PathBuf::from(&tpl).join("root/files/config.toml.tera"),
        "info",
        "warn",
    );
    edit(demo.join("config.toml"), "info", "debug");
    let (code, text) = check(&sandbox, &["--format", "json"]);
    assert_eq!(code, 4, "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["summary"], "update-conflicts");
    assert_eq!(json["files"][0]["changed_by"], "both");
    assert_eq!(json["files"][0]["conflict"], true);
}

#[test]
fn both_sides_changing_different_lines_of_a_merged_file_merges_cleanly() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox, true);
    edit(
        PathBuf::from(&tpl).join("root/files/README.md.tera"),
        "line three",
        "line three, by the template",
    );
    edit(
        demo.join("README.md"),
        "line two",
        "line two, by the project",
    );
    let (code, text) = check(&sandbox, &[]);
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains("merged, changed in the project and the template; update would merge them"),
        "{text}"
    );
}

#[test]
fn without_git_history_a_render_of_the_recorded_version_is_the_base() {
    let sandbox = Sandbox::new();
    let remote = sandbox.root().join("set.git");
    let repo = git2::Repository::init_bare(&remote).unwrap();
    repo.set_head("refs/heads/main").unwrap();
    crate::git::publish(&remote, SET, Some("v1.0.0"));
    let url = format!("file://{}", remote.display());
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--no-git",
        "-t",
        &url,
        "--ref",
        "v1.0.0",
    ]);
    let demo = sandbox.work().join("demo");
    edit(
        demo.join("README.md"),
        "line two",
        "line two, by the project",
    );
    let newer: Vec<(&str, String)> = SET
        .iter()
        .map(|(path, text)| {
            let text = text
                .replace("version: 1.0.0", "version: 1.1.0")
                .replace("line three", "line three, by the template");
            (*path, text)
        })
        .collect();
    let newer: Vec<(&str, &str)> = newer.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let commit = crate::git::publish(&remote, &newer, Some("v1.1.0"));

    let (code, text) = check(&sandbox, &[]);
    assert_eq!(code, 3, "{text}");
    assert_eq!(
        text,
        format!(
            "demo: 1 of 3 files differ from drift 1.0.0\n  \
             modified            README.md  merged, changed in the project (a merged file: reported only)\n\
             in sync: only merged files differ\n\
             a newer template version exists, drift 1.1.0 (commit {}): `scaffold update --latest` would apply it cleanly (1 file(s)); `scaffold check --latest` lists them (exit 3)\n",
            &commit[..12]
        )
    );
    let (code, text) = check(&sandbox, &["--latest"]);
    assert_eq!(code, 3, "{text}");
    assert_eq!(
        text,
        "demo: 1 of 3 files differ from drift 1.1.0 (recorded: 1.0.0)\n  \
         modified            README.md  merged, changed in the project and the template; update would merge them\n\
         the template has changed; `scaffold update --latest` would apply it cleanly (exit 3)\n"
    );
    sandbox.run_ok(&["update", "demo", "--latest"]);
    assert_eq!(
        fs::read_to_string(demo.join("README.md")).unwrap(),
        "# demo\n\nline two, by the project\n\nline three, by the template\n"
    );
}

#[test]
fn a_changed_folder_without_git_history_leaves_no_base_so_both_sides_changed_conflicts() {
    // A folder's earlier content is gone once it changes, and there is no git
    // history to read it back from: the file would conflict as a whole.
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox, false);
    edit(
        PathBuf::from(&tpl).join("root/files/README.md.tera"),
        "line three",
        "line three, by the template",
    );
    edit(
        demo.join("README.md"),
        "line two",
        "line two, by the project",
    );
    let (code, text) = check(&sandbox, &[]);
    assert_eq!(code, 4, "{text}");
    assert!(
        text.contains(
            "README.md  merged, changed in the project and the template; update would conflict\n"
        ),
        "{text}"
    );
    let plan = sandbox.run_ok(&["update", "demo", "--plan"]);
    assert_eq!(
        stdout(&plan),
        "conflict      README.md\nunchanged     bin/run\nunchanged     config.toml\n"
    );
    assert_eq!(
        stderr(&plan),
        "note: no base for a 3-way merge of README.md (neither the recorded template version nor the project's git history has what scaffold last wrote), so each conflicts as a whole: resolve the markers by hand; with the project in git, later updates merge from its history\n"
    );
}

#[test]
fn files_added_and_removed_by_the_template() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox, true);
    sandbox.write("tpl/root/files/NEW.md", "new\n");
    fs::remove_file(PathBuf::from(&tpl).join("root/files/config.toml.tera")).unwrap();
    let (code, text) = check(&sandbox, &["--format", "github"]);
    assert_eq!(code, 3);
    assert_eq!(
        text,
        "::warning file=demo/NEW.md,title=scaffold%3A added-by-template::NEW.md (managed, changed in the template)\n\
         ::warning file=demo/config.toml,title=scaffold%3A removed-by-template::config.toml (managed, changed in the template)\n"
    );
    // A file the project edited and the template dropped is also the project's drift.
    edit(demo.join("config.toml"), "info", "debug");
    assert_eq!(check(&sandbox, &[]).0, 1);
}

#[test]
fn ignored_paths_are_never_reported() {
    let sandbox = Sandbox::new();
    let (_, demo) = project(&sandbox, true);
    edit(demo.join("config.toml"), "info", "debug");
    edit(
        demo.join(".scaffold/answers.yaml"),
        "ignore: []",
        "ignore:\n- '*.toml'",
    );
    assert_eq!(check(&sandbox, &[]).0, 0);
}

#[test]
fn works_in_a_sub_folder_of_a_larger_repository() {
    let sandbox = Sandbox::new();
    git2::Repository::init(sandbox.work()).unwrap();
    let (_, demo) = project(&sandbox, true);
    assert!(!demo.join(".git").exists());
    edit(demo.join("config.toml"), "info", "debug");
    assert_eq!(check(&sandbox, &[]).0, 1);
}

#[test]
fn errors_say_what_to_do() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `.` has no .scaffold/answers.yaml\n\
         hint: run this in the top folder of a project made by scaffold, or pass that folder\n"
    );

    let (tpl, demo) = project(&sandbox, true);
    fs::write(
        demo.join(".scaffold/lock.yaml"),
        "files:\n  a: {blob: xyz, mode: '0644', ownership: managed}\n",
    )
    .unwrap();
    let out = sandbox.run(&["check", "demo"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: corrupt lock `demo/.scaffold/lock.yaml`: `a` has the blob id `xyz`, which is not 40 hex digits\n\
         hint: restore it with `git -C demo checkout -- .scaffold/lock.yaml`\n"
    );

    let git = std::process::Command::new("git")
        .args(["checkout", "--", ".scaffold/lock.yaml"])
        .current_dir(&demo)
        .status();
    if git.is_err() {
        return; // no git CLI here: the rest needs it
    }
    fs::rename(&tpl, sandbox.root().join("moved")).unwrap();
    let out = sandbox.run(&["check", "demo"]);
    assert_eq!(out.status.code(), Some(2));
    let canonical = sandbox.root().canonicalize().unwrap().join("tpl");
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot load the template set recorded in `demo/.scaffold/answers.yaml`\n  \
             caused by: template folder `{}` does not exist or is not a folder\n\
             hint: pass --template PATH with a checkout of it, or correct `source:` in `demo/.scaffold/answers.yaml`\n",
            canonical.display()
        )
    );
    let moved = sandbox.root().join("moved");
    let out = sandbox.run(&["check", "demo", "--template", moved.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_file_deleted_in_the_project_and_changed_in_the_template_is_a_conflict() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox, true);
    fs::remove_file(demo.join("config.toml")).unwrap();
    edit(
        PathBuf::from(&tpl).join("root/files/config.toml.tera"),
        "info",
        "warn",
    );
    let (code, text) = check(&sandbox, &[]);
    assert_eq!(code, 4, "{text}");
    assert!(
        text.contains(
            "managed, deleted in the project, changed in the template; update would not restore it"
        ),
        "{text}"
    );
}
