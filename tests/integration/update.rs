//! `scaffold update` and `scaffold add` on real generated projects.

use crate::harness::{Sandbox, commit_all, names, stderr, stdout};
use std::fs;
use std::path::{Path, PathBuf};

const SET: &[(&str, &str)] = &[
    (
        "scaffold.yaml",
        "name: up\nversion: 1.0.0\nlayers: [root, extra]\nvariables:\n  project_name: {default: Demo}\n",
    ),
    (
        "root/layer.yaml",
        "name: root\nvariables:\n  port: {type: integer, default: 8000}\n\
         rules:\n  - {glob: README.md.tera, ownership: merged}\n  - {glob: 'example/**', ownership: seed}\n",
    ),
    (
        "root/files/README.md.tera",
        "# {{ project_name }}\n\none\ntwo\nthree\nfour\nfive\n",
    ),
    (
        "root/files/config.toml.tera",
        "port = {{ root.port }}\nlevel = \"info\"\n",
    ),
    ("root/files/notes.txt", "a\nb\nc\n"),
    ("root/files/old.txt", "old\n"),
    ("root/files/example/app.py", "print('hello')\n"),
    (
        "root/files/ci.yml.tera",
        "jobs:{% for l in layers %} {{ l }}{% endfor %}\n",
    ),
    (
        "extra/layer.yaml",
        "name: extra\ndestination: extra/\nrequires: [root]\nvariables:\n  flavour: {default: vanilla}\n",
    ),
    ("extra/files/extra.txt.tera", "{{ extra.flavour }}\n"),
];

/// A project `demo` (root only) in git, and the template folder.
fn project(sandbox: &Sandbox) -> (PathBuf, PathBuf) {
    let tpl = sandbox.template(SET);
    sandbox.git_identity("Test", "test@example.com");
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--layers",
        "root",
        "-t",
        tpl.to_str().unwrap(),
    ]);
    (tpl, sandbox.work().join("demo"))
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(path, text.replace(from, to)).unwrap();
}

fn read(path: PathBuf) -> String {
    fs::read_to_string(path).unwrap()
}

fn new_version(tpl: &Path) {
    edit(
        &tpl.join("scaffold.yaml"),
        "version: 1.0.0",
        "version: 1.1.0",
    );
}

#[test]
fn changes_on_different_lines_merge_cleanly_and_check_passes_after() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    edit(&demo.join("README.md"), "two", "two, ours");
    commit_all(&demo, "our edit");
    new_version(&tpl);
    edit(
        &tpl.join("root/files/README.md.tera"),
        "four",
        "four, theirs",
    );
    edit(&tpl.join("root/files/config.toml.tera"), "info", "warn");
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(3));

    let plan = sandbox.run_ok(&["update", "demo", "--plan"]);
    assert_eq!(
        stdout(&plan),
        "clean merge   README.md\nunchanged     ci.yml\nclean update  config.toml\nunchanged     notes.txt\nunchanged     old.txt\n"
    );
    assert_eq!(
        read(demo.join("config.toml")),
        "port = 8000\nlevel = \"info\"\n",
        "--plan writes nothing"
    );

    let out = sandbox.run_ok(&["update", "demo"]);
    assert_eq!(
        stdout(&out),
        "clean merge   README.md\nclean update  config.toml\n"
    );
    assert_eq!(
        stderr(&out),
        "Updated demo from up 1.0.0 to 1.1.0: 1 clean update, 1 clean merge.\n"
    );
    assert_eq!(
        read(demo.join("README.md")),
        "# demo\n\none\ntwo, ours\nthree\nfour, theirs\nfive\n"
    );
    assert_eq!(
        read(demo.join("config.toml")),
        "port = 8000\nlevel = \"warn\"\n"
    );
    assert!(read(demo.join(".scaffold/answers.yaml")).contains("  version: 1.1.0\n"));
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn changes_to_the_same_line_get_conflict_markers_and_nothing_else_is_lost() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    edit(&demo.join("config.toml"), "info", "debug");
    edit(&demo.join("notes.txt"), "a\n", "a, ours\n");
    commit_all(&demo, "our edits");
    new_version(&tpl);
    edit(&tpl.join("root/files/config.toml.tera"), "info", "warn");
    edit(&tpl.join("root/files/notes.txt"), "c\n", "c, theirs\n");
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(4));

    let out = sandbox.run(&["update", "demo"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "conflict      config.toml\nclean merge   notes.txt\n"
    );
    assert!(
        stderr(&out).ends_with("Resolve the conflicts in config.toml, then commit.\n"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        read(demo.join("config.toml")),
        "port = 8000\n<<<<<<< ours\nlevel = \"debug\"\n||||||| original\nlevel = \"info\"\n=======\nlevel = \"warn\"\n>>>>>>> theirs\n"
    );
    assert_eq!(read(demo.join("notes.txt")), "a, ours\nb\nc, theirs\n");
    assert!(
        !names(&demo)
            .iter()
            .any(|n| n.ends_with(".rej") || n.ends_with(".orig"))
    );
}

#[test]
fn files_the_template_adds_and_drops() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    edit(&demo.join("notes.txt"), "b", "b, ours");
    commit_all(&demo, "our edit");
    new_version(&tpl);
    sandbox.write("tpl/root/files/NEW.md", "new\n");
    fs::remove_file(tpl.join("root/files/old.txt")).unwrap();
    fs::remove_file(tpl.join("root/files/notes.txt")).unwrap();
    let out = sandbox.run_ok(&["update", "demo"]);
    assert_eq!(
        stdout(&out),
        "new           NEW.md\nunchanged     notes.txt  (dropped by the template; kept, as the project changed it)\ndeleted       old.txt\n"
    );
    assert_eq!(read(demo.join("NEW.md")), "new\n");
    assert!(!demo.join("old.txt").exists());
    assert_eq!(read(demo.join("notes.txt")), "a\nb, ours\nc\n");
    assert!(
        !read(demo.join(".scaffold/lock.yaml")).contains("notes.txt"),
        "a kept file is the project's own now"
    );
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(0));
}

#[test]
fn a_file_the_project_deleted_is_not_resurrected() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    fs::remove_file(demo.join("notes.txt")).unwrap();
    commit_all(&demo, "we do not want notes");
    new_version(&tpl);
    edit(&tpl.join("root/files/notes.txt"), "c", "c, theirs");
    let out = sandbox.run(&["update", "demo"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "conflict      notes.txt  (deleted in the project, changed in the template: not restored)\n"
    );
    assert!(!demo.join("notes.txt").exists());
}

#[test]
fn a_changed_answer_rerenders_its_files_and_keeps_edits_elsewhere() {
    let sandbox = Sandbox::new();
    let (_, demo) = project(&sandbox);
    edit(&demo.join("notes.txt"), "b", "b, ours");
    edit(&demo.join("README.md"), "two", "two, ours");
    commit_all(&demo, "our edits");
    let out = sandbox.run_ok(&[
        "update",
        "demo",
        "--set",
        "root.port=9000",
        "--set",
        "project_name=Shop",
    ]);
    assert_eq!(
        stdout(&out),
        "clean merge   README.md\nclean update  config.toml\nunchanged     notes.txt  (changed in the project only)\n"
    );
    assert_eq!(
        read(demo.join("config.toml")),
        "port = 9000\nlevel = \"info\"\n"
    );
    assert_eq!(
        read(demo.join("README.md")),
        "# Shop\n\none\ntwo, ours\nthree\nfour\nfive\n"
    );
    assert_eq!(read(demo.join("notes.txt")), "a\nb, ours\nc\n");
    let answers = read(demo.join(".scaffold/answers.yaml"));
    assert!(
        answers.contains("  project_name: Shop\n") && answers.contains("    port: 9000\n"),
        "{answers}"
    );
}

#[test]
fn a_dirty_work_tree_is_refused() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    new_version(&tpl);
    edit(&tpl.join("root/files/config.toml.tera"), "info", "warn");
    edit(&demo.join("notes.txt"), "b", "b, uncommitted");
    let out = sandbox.run(&["update", "demo"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `demo` has uncommitted changes (1 file(s), e.g. `notes.txt`)\n\
         hint: commit or stash them first, so the update can be undone with git, or pass --allow-dirty\n"
    );
    assert_eq!(
        read(demo.join("config.toml")),
        "port = 8000\nlevel = \"info\"\n"
    );
    sandbox.run_ok(&["update", "demo", "--allow-dirty"]);
    assert_eq!(
        read(demo.join("config.toml")),
        "port = 8000\nlevel = \"warn\"\n"
    );
}

#[test]
fn the_plan_as_json() {
    let sandbox = Sandbox::new();
    let (tpl, _) = project(&sandbox);
    new_version(&tpl);
    sandbox.write("tpl/root/files/NEW.md", "new\n");
    let out = sandbox.run_ok(&["update", "demo", "--plan", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            json["from"].as_str(),
            json["to"].as_str(),
            json["conflicts"].as_u64()
        ),
        (Some("1.0.0"), Some("1.1.0"), Some(0))
    );
    assert_eq!(
        json["files"][0],
        serde_json::json!({"path": "NEW.md", "action": "new", "note": null})
    );
}

#[test]
fn add_writes_the_new_layer_and_leaves_the_rest_to_update() {
    let sandbox = Sandbox::new();
    let (_, demo) = project(&sandbox);
    let out = sandbox.run_ok(&["add", "extra", "demo", "--set", "extra.flavour=lemon"]);
    assert_eq!(
        stderr(&out),
        "Added extra to demo: 1 files.\nOther files render differently with the new layer: `scaffold check` lists them, `scaffold update` brings them in.\n"
    );
    assert_eq!(read(demo.join("extra/extra.txt")), "lemon\n");
    assert_eq!(
        read(demo.join("ci.yml")),
        "jobs: root\n",
        "not changed silently"
    );
    let answers = read(demo.join(".scaffold/answers.yaml"));
    assert!(
        answers.contains("layers:\n- root\n- extra\n")
            && answers.contains("  extra:\n    flavour: lemon\n"),
        "{answers}"
    );
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(3), "{}", stdout(&check));
    assert!(stdout(&check).contains("ci.yml"));
    commit_all(&demo, "add extra");
    sandbox.run_ok(&["update", "demo"]);
    assert_eq!(read(demo.join("ci.yml")), "jobs: root extra\n");
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(0));

    let again = sandbox.run(&["add", "extra", "demo"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already has the layer `extra`"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn add_never_overwrites_a_file() {
    let sandbox = Sandbox::new();
    let (_, demo) = project(&sandbox);
    sandbox.write("work/demo/extra/extra.txt", "mine\n");
    let out = sandbox.run(&["add", "extra", "demo", "--defaults"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: adding `extra` would overwrite 1 existing file(s): extra/extra.txt\n\
         hint: move them away first, then run this again\n"
    );
    assert_eq!(read(demo.join("extra/extra.txt")), "mine\n");
    assert!(!read(demo.join(".scaffold/answers.yaml")).contains("- extra"));
}

#[test]
fn a_merged_file_merges_again_on_the_next_update() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    edit(&demo.join("README.md"), "one", "one, ours");
    commit_all(&demo, "our edit");
    new_version(&tpl);
    edit(
        &tpl.join("root/files/README.md.tera"),
        "three",
        "three, v1.1",
    );
    sandbox.run_ok(&["update", "demo"]);
    commit_all(&demo, "update to 1.1");
    // The disk holds a merge; the pristine 1.1 render is kept under a ref, so
    // even git's garbage collection leaves it.
    let repo = git2::Repository::open(&demo).unwrap();
    assert!(repo.find_reference("refs/scaffold/pristine").is_ok());
    let gc = std::process::Command::new("git")
        .args(["gc", "--quiet", "--prune=now"])
        .current_dir(&demo)
        .status();
    assert!(gc.is_err() || gc.unwrap().success());
    edit(
        &tpl.join("scaffold.yaml"),
        "version: 1.1.0",
        "version: 1.2.0",
    );
    edit(&tpl.join("root/files/README.md.tera"), "five", "five, v1.2");
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(3));
    sandbox.run_ok(&["update", "demo"]);
    assert_eq!(
        read(demo.join("README.md")),
        "# demo\n\none, ours\ntwo\nthree, v1.1\nfour\nfive, v1.2\n"
    );
}

#[test]
fn a_file_the_template_renamed_carries_the_projects_edits_to_its_new_path() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    edit(&demo.join("notes.txt"), "b\n", "b, ours\n");
    commit_all(&demo, "our edit");
    new_version(&tpl);
    fs::remove_file(tpl.join("root/files/notes.txt")).unwrap();
    sandbox.write(
        "tpl/root/files/docs/NOTES.txt",
        "a\nb\nc\nd, new in the template\n",
    );
    let out = sandbox.run_ok(&["update", "demo"]);
    assert_eq!(
        stdout(&out),
        "clean merge   docs/NOTES.txt  (renamed by the template; the project's changes moved here)\n\
         deleted       notes.txt  (renamed by the template)\n"
    );
    assert_eq!(
        read(demo.join("docs/NOTES.txt")),
        "a\nb, ours\nc\nd, new in the template\n"
    );
    assert!(!demo.join("notes.txt").exists());
}

#[test]
fn a_small_or_empty_file_is_never_taken_for_a_rename() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    sandbox.write("tpl/root/files/pkg/__init__.py", "");
    sandbox.run_ok(&["update", "demo", "--allow-dirty"]);
    commit_all(&demo, "new template file");
    fs::write(demo.join("pkg/__init__.py"), "VERSION = 1\n").unwrap();
    commit_all(&demo, "our edit");
    new_version(&tpl);
    fs::remove_file(tpl.join("root/files/pkg/__init__.py")).unwrap();
    sandbox.write("tpl/root/files/requirements-dev.txt", "ruff==0.5\n");
    let out = sandbox.run_ok(&["update", "demo"]);
    assert_eq!(
        stdout(&out),
        "unchanged     pkg/__init__.py  (dropped by the template; kept, as the project changed it)\nnew           requirements-dev.txt\n"
    );
    assert_eq!(read(demo.join("pkg/__init__.py")), "VERSION = 1\n");
    assert_eq!(read(demo.join("requirements-dev.txt")), "ruff==0.5\n");
}

#[test]
fn the_executable_bit_is_updated_and_a_projects_chmod_kept() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o111 != 0;
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    // The template makes notes.txt executable: update applies it, check passes.
    fs::set_permissions(
        tpl.join("root/files/notes.txt"),
        fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(3));
    let out = sandbox.run_ok(&["update", "demo"]);
    assert_eq!(stdout(&out), "clean update  notes.txt  (mode)\n");
    assert!(mode(&demo.join("notes.txt")));
    assert_eq!(sandbox.run(&["check", "demo"]).status.code(), Some(0));
    commit_all(&demo, "update");
    // The project makes old.txt executable; a content update keeps that.
    fs::set_permissions(demo.join("old.txt"), fs::Permissions::from_mode(0o755)).unwrap();
    commit_all(&demo, "chmod");
    edit(&tpl.join("root/files/old.txt"), "old", "older");
    sandbox.run_ok(&["update", "demo"]);
    assert_eq!(read(demo.join("old.txt")), "older\n");
    assert!(mode(&demo.join("old.txt")), "the project's chmod is kept");
}

#[test]
fn a_managed_file_merged_cleanly_keeps_the_projects_edit_and_check_says_drift() {
    let sandbox = Sandbox::new();
    let (tpl, demo) = project(&sandbox);
    edit(&demo.join("notes.txt"), "a\n", "a, ours\n");
    commit_all(&demo, "our edit");
    new_version(&tpl);
    edit(&tpl.join("root/files/notes.txt"), "c\n", "c, theirs\n");
    let plan = sandbox.run_ok(&["update", "demo", "--plan"]);
    assert!(
        stderr(&plan).contains("note: 1 managed file(s) would keep the project's own edits"),
        "{}",
        stderr(&plan)
    );
    let out = sandbox.run_ok(&["update", "demo"]);
    assert_eq!(stdout(&out), "clean merge   notes.txt\n");
    assert_eq!(
        stderr(&out),
        "Updated demo from up 1.0.0 to 1.1.0: 1 clean merge.\n\
         note: 1 managed file(s) keep the project's own edits, which `scaffold check` reports as drift (exit 1): notes.txt; move the change into the template, or list the file under `ignore:` in .scaffold/answers.yaml\n"
    );
    assert_eq!(read(demo.join("notes.txt")), "a, ours\nb\nc, theirs\n");
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        stdout(&check),
        "demo: 1 of 5 files differ from up 1.1.0\n  \
         modified            notes.txt  managed, changed in the project\n\
         drift: template-owned files were changed in the project; `scaffold diff` shows how (exit 1)\n"
    );
}

#[test]
fn answers_edited_by_hand_are_brought_in_by_update_and_check_passes_after() {
    let sandbox = Sandbox::new();
    let (_, demo) = project(&sandbox);
    edit(&demo.join("README.md"), "four", "four, ours");
    edit(
        &demo.join(".scaffold/answers.yaml"),
        "port: 8000",
        "port: 9000",
    );
    edit(
        &demo.join(".scaffold/answers.yaml"),
        "project_name: demo",
        "project_name: Shop",
    );
    commit_all(&demo, "a new port and name");
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(3), "{}", stdout(&check));
    let out = sandbox.run_ok(&["update", "demo"]);
    assert_eq!(
        stdout(&out),
        "clean merge   README.md\nclean update  config.toml\n"
    );
    assert_eq!(
        read(demo.join("README.md")),
        "# Shop\n\none\ntwo\nthree\nfour, ours\nfive\n"
    );
    assert_eq!(
        read(demo.join("config.toml")),
        "port = 9000\nlevel = \"info\"\n"
    );
    let answers = read(demo.join(".scaffold/answers.yaml"));
    assert!(
        answers.contains("  project_name: Shop\n") && answers.contains("    port: 9000\n"),
        "{answers}"
    );
    let check = sandbox.run(&["check", "demo"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert_eq!(
        stdout(&check),
        "demo: 1 of 5 files differ from up 1.0.0\n  \
         modified            README.md  merged, changed in the project (a merged file: reported only)\n\
         in sync: only merged files differ (exit 0)\n"
    );
}

#[test]
fn a_built_in_project_without_git_merges_a_changed_answer() {
    let sandbox = Sandbox::new();
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git"]);
    let demo = sandbox.work().join("demo");
    let readme = read(demo.join("README.md"));
    assert!(readme.starts_with("# demo\n"), "{readme}");
    fs::write(demo.join("README.md"), format!("{readme}Our own line.\n")).unwrap();
    let plan = sandbox.run_ok(&["update", "demo", "--set", "project_name=Shop", "--plan"]);
    let plan = stdout(&plan);
    assert!(plan.contains("clean merge   README.md\n"), "{plan}");
    assert!(!plan.contains("conflict"), "{plan}");
    sandbox.run_ok(&["update", "demo", "--set", "project_name=Shop"]);
    assert_eq!(
        read(demo.join("README.md")),
        format!("# Shop\n{}Our own line.\n", &readme["# demo\n".len()..])
    );
    assert!(read(demo.join(".scaffold/answers.yaml")).contains("  project_name: Shop\n"));
}
