//! `post_generate` hooks: run in the staging project before it is moved into
//! place, their output on stderr, their files committed; a failure leaves nothing.

use crate::harness::{Sandbox, names, stderr, stdout};
use std::fs;

fn set_with_hooks(sandbox: &Sandbox, hooks: &str) -> String {
    sandbox
        .template(&[
            ("scaffold.yaml", "name: h\nversion: 1.0.0\nlayers: [root, api]\nvariables:\n  project_name: {default: Demo}\n"),
            ("root/layer.yaml", "name: root\n"),
            ("root/files/README.md", "readme\n"),
            ("api/layer.yaml", &format!("name: api\ndestination: api/\nhooks:\n  post_generate: {hooks}\n")),
            ("api/files/app.txt", "app\n"),
        ])
        .display()
        .to_string()
}

#[test]
fn hooks_run_in_the_layers_folder_and_their_files_are_committed() {
    let sandbox = Sandbox::new();
    sandbox.git_identity("Test", "test@example.com");
    let tpl = set_with_hooks(
        &sandbox,
        "['echo made by {{ project_name }} > made.txt', 'echo to stdout; ls']",
    );
    let out = sandbox.run_ok(&["new", "demo", "--defaults", "-t", &tpl]);
    assert_eq!(stdout(&out), "", "hook output goes to stderr");
    assert_eq!(
        stderr(&out),
        "Running the api hook: echo made by demo > made.txt\n\
         Running the api hook: echo to stdout; ls\n\
         to stdout\napp.txt\nmade.txt\n\
         Created demo from h 1.0.0: 2 layers (root, api), 2 files.\nCommitted on branch main.\n"
    );
    let demo = sandbox.work().join("demo");
    assert_eq!(
        fs::read_to_string(demo.join("api/made.txt")).unwrap(),
        "made by demo\n"
    );
    let repo = git2::Repository::open(&demo).unwrap();
    let tree = repo.head().unwrap().peel_to_tree().unwrap();
    assert!(
        tree.get_path(std::path::Path::new("api/made.txt")).is_ok(),
        "the hook's file is committed"
    );
    let mut options = git2::StatusOptions::new();
    options.include_untracked(true);
    assert_eq!(repo.statuses(Some(&mut options)).unwrap().len(), 0);
    // check never runs hooks, and a file a hook made is not drift.
    fs::remove_file(demo.join("api/made.txt")).unwrap();
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(0));
    assert!(!demo.join("api/made.txt").exists());
}

#[test]
fn a_failing_hook_leaves_nothing_behind() {
    let sandbox = Sandbox::new();
    let tpl = set_with_hooks(&sandbox, "['echo about to fail >&2; exit 3']");
    let out = sandbox.run(&["new", "demo", "--defaults", "-t", &tpl]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "Running the api hook: echo about to fail >&2; exit 3\nabout to fail\n\
         error: the post_generate hook `echo about to fail >&2; exit 3` of layer `api` failed (exit status: 3); nothing was written\n\
         hint: fix the hook (its output is above), or pass --no-hooks to skip hooks\n"
    );
    assert!(names(&sandbox.work()).is_empty());
}

#[test]
fn no_hooks_skips_them_and_dry_run_lists_them() {
    let sandbox = Sandbox::new();
    let tpl = set_with_hooks(&sandbox, "['exit 1']");
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--no-git",
        "--no-hooks",
        "-t",
        &tpl,
    ]);
    let plan = sandbox.run_ok(&["new", "other", "--defaults", "--dry-run", "-t", &tpl]);
    assert!(
        stdout(&plan).ends_with("hook api: exit 1\n"),
        "{}",
        stdout(&plan)
    );
}

#[test]
fn a_hook_that_does_not_render_is_an_error_before_anything_is_written() {
    let sandbox = Sandbox::new();
    let tpl = set_with_hooks(&sandbox, "['echo {{ nope }}']");
    let out = sandbox.run(&["new", "demo", "--defaults", "-t", &tpl]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(&format!("error: cannot render `{tpl}/api/layer.yaml`: hook `echo {{{{ nope }}}}`: Variable `nope` is not defined")),
        "{}",
        stderr(&out)
    );
    assert!(names(&sandbox.work()).is_empty());
}

#[test]
fn add_lists_the_new_layers_hooks_and_does_not_run_them() {
    let sandbox = Sandbox::new();
    let tpl = set_with_hooks(&sandbox, "['echo ran > ran.txt']");
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--no-git",
        "--layers",
        "root",
        "-t",
        &tpl,
    ]);
    let out = sandbox.run_ok(&["add", "api", "demo", "--defaults", "-t", &tpl]);
    assert!(
        stderr(&out).ends_with(
            "Not run: the post_generate hooks of api; run them yourself if you trust them:\n  (cd demo/api && echo ran > ran.txt)\n"
        ),
        "{}",
        stderr(&out)
    );
    let demo = sandbox.work().join("demo");
    assert_eq!(
        fs::read_to_string(demo.join("api/app.txt")).unwrap(),
        "app\n"
    );
    assert!(!demo.join("api/ran.txt").exists(), "add ran a hook");
}
