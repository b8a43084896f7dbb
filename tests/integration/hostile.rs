//! Hostile input and faults (issue 8): no template, answer or record makes
//! scaffold write outside the target; an interrupted or failed run leaves a
//! complete project or nothing; every error exits 2 and names the file at
//! fault. Error texts are insta snapshots (`snapshots/integration__hostile__*`),
//! with the sandbox's path shown as `[SANDBOX]`.

use crate::harness::{Sandbox, names, read_tree, stderr, stdout};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

// Helpers

/// One thing on disk, as found without following links.
#[derive(Debug, PartialEq, Eq)]
enum Node {
    Dir(u32),
    File(u32, Vec<u8>),
    Link(PathBuf),
}

/// Everything under `root` (folders, files with their bytes and modes, links
/// with their targets), never following a link.
fn disk(root: &Path) -> BTreeMap<PathBuf, Node> {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let meta = e.path().symlink_metadata().unwrap();
            let mode = meta.permissions().mode() & 0o7777;
            let node = if meta.file_type().is_symlink() {
                Node::Link(fs::read_link(e.path()).unwrap())
            } else if meta.is_dir() {
                Node::Dir(mode)
            } else {
                Node::File(mode, fs::read(e.path()).unwrap())
            };
            (e.path().strip_prefix(root).unwrap().to_path_buf(), node)
        })
        .collect()
}

/// Asserts that nothing under the snapshot's root changed, listing what did.
fn assert_unchanged(before: &BTreeMap<PathBuf, Node>, after: &BTreeMap<PathBuf, Node>, what: &str) {
    let changed: std::collections::BTreeSet<&PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(
        changed.is_empty(),
        "{what}: the disk changed at {changed:?}"
    );
}

/// `text` with the sandbox's path replaced by `[SANDBOX]` and the random
/// part of temporary names by `XXXXXX`, so snapshots hold on any machine.
fn scrub(sandbox: &Sandbox, text: &str) -> String {
    let canonical = sandbox.root().canonicalize().unwrap();
    let text = text
        .replace(canonical.to_str().unwrap(), "[SANDBOX]")
        .replace(sandbox.root().to_str().unwrap(), "[SANDBOX]");
    regex::Regex::new(r"\.scaffold-new-[0-9]+-[A-Za-z0-9]{6}")
        .unwrap()
        .replace_all(&text, ".scaffold-new-XXXXXX")
        .into_owned()
}

/// Asserts a refusal: exit 2, nothing on stdout, and the exact stderr, as a snapshot.
macro_rules! refused {
    ($sandbox:expr, $out:expr, $name:expr) => {{
        let out: &Output = &$out;
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}: expected exit 2, stderr:\n{}",
            $name,
            stderr(out)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{}", $name);
        insta::assert_snapshot!($name, scrub($sandbox, &stderr(out)));
    }};
}

/// `scaffold new demo --defaults -t TPL` is refused (see [`refused!`]), and
/// nothing under the sandbox changed.
macro_rules! new_is_refused {
    ($sandbox:expr, $tpl:expr, $name:expr) => {{
        let before = disk($sandbox.root());
        let out = $sandbox.run(&["new", "demo", "--defaults", "-t", $tpl]);
        refused!($sandbox, out, $name);
        assert_unchanged(&before, &disk($sandbox.root()), $name);
    }};
}

/// A one-layer set at `tpl/` with the shared variable `dir` (default `ok`)
/// and the given files under `root/files/`.
fn one_layer(sandbox: &Sandbox, files: &[(&str, &str)]) -> String {
    sandbox.template(&[
        (
            "scaffold.yaml",
            "name: h\nversion: 1.0.0\nlayers: [root]\nvariables:\n  dir: {default: ok}\n",
        ),
        ("root/layer.yaml", "name: root\n"),
    ]);
    for (path, text) in files {
        sandbox.write(&format!("tpl/root/files/{path}"), text);
    }
    sandbox.root().join("tpl").display().to_string()
}

/// `scaffold ARGS` in the sandbox as a child process, to be signalled.
fn spawn(sandbox: &Sandbox, args: &[&str]) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("scaffold"))
        .current_dir(sandbox.work())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", sandbox.home())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {signal} failed");
}

/// Waits (up to two minutes) until `ready` holds.
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed().as_secs() < 120, "never: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A one-layer set of `count` files in 50 folders (`d7/f1234.txt`).
fn big_set(sandbox: &Sandbox, count: usize, content: &str) -> String {
    let tpl = one_layer(sandbox, &[]);
    write_big_files(sandbox, count, content);
    tpl
}

fn write_big_files(sandbox: &Sandbox, count: usize, content: &str) {
    for i in 0..count {
        sandbox.write(
            &format!("tpl/root/files/d{}/f{i}.txt", i % 50),
            &format!("{content} {i}\n"),
        );
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

/// `len` bytes that do not compress (xorshift), so git cannot pack them small.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

/// Mounts a tmpfs at `dir` (root only); unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, options: &str) -> Option<Tmpfs> {
        if !is_root() {
            return None;
        }
        fs::create_dir_all(dir).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

// 1. Containment

#[test]
fn hostile_template_paths_are_refused_naming_the_file() {
    // (name, files under root/files/, destination, answers file)
    let cases: &[(&str, &str, &str, &str)] = &[
        ("path_segment_dotdot", "{{ \"..\" }}", "", ""),
        (
            "path_segment_tera_suffix_dotdot",
            "{{ dir }}.tera",
            "",
            "dir: ..\n",
        ),
        (
            "path_answer_absolute",
            "{{ dir }}/passwd",
            "",
            "dir: /etc\n",
        ),
        ("path_answer_climbs", "{{ dir }}", "", "dir: a/../../b\n"),
        ("path_answer_nul", "{{ dir }}/f.txt", "", "dir: \"a\\0b\"\n"),
        (
            "path_answer_backslash",
            "{{ dir }}/f.txt",
            "",
            "dir: '..\\..\\x'\n",
        ),
        (
            "path_answer_dotdot",
            "{{ dir }}.txt",
            "",
            "dir: ../../escape\n",
        ),
        ("path_literal_backslash", "a\\b.txt", "", ""),
        ("path_into_git_folder", "sub/.git/hooks/pre-commit", "", ""),
        ("path_into_records", ".scaffold/lock.yaml", "", ""),
        ("destination_dotdot", "f.txt", "{{ dir }}", "dir: ..\n"),
        (
            "destination_climbs",
            "f.txt",
            "x/{{ dir }}",
            "dir: ../../..\n",
        ),
    ];
    for (name, file, destination, answers) in cases {
        let sandbox = Sandbox::new();
        let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n"), (file, "x\n")]);
        if !destination.is_empty() {
            sandbox.write(
                "tpl/root/layer.yaml",
                &format!("name: root\ndestination: '{destination}'\n"),
            );
        }
        let answers_file = sandbox.write(
            "answers.yaml",
            if answers.is_empty() { "{}\n" } else { answers },
        );
        let before = disk(sandbox.root());
        let out = sandbox.run(&[
            "new",
            "demo",
            "--defaults",
            "-t",
            &tpl,
            "--answers",
            answers_file.to_str().unwrap(),
        ]);
        refused!(&sandbox, out, *name);
        assert_unchanged(&before, &disk(sandbox.root()), name);
    }
}

#[test]
fn a_segment_that_renders_empty_drops_the_file_or_folder_without_escaping() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(
        &sandbox,
        &[
            ("{{ dir }}/in-folder.txt", "x\n"),
            ("a/{{ dir }}", "x\n"),
            ("kept.txt", "kept\n"),
        ],
    );
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--no-git",
        "-t",
        &tpl,
        "--set",
        "dir=",
    ]);
    let tree = read_tree(&sandbox.work().join("demo"));
    assert_eq!(
        tree.keys().collect::<Vec<_>>(),
        [".scaffold/answers.yaml", ".scaffold/lock.yaml", "kept.txt"]
    );
    assert_eq!(names(&sandbox.work()), ["demo"]);
}

#[test]
fn a_file_name_that_is_not_utf8_is_refused_naming_it() {
    use std::os::unix::ffi::OsStrExt;
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
    let bad = Path::new(&tpl)
        .join("root/files")
        .join(std::ffi::OsStr::from_bytes(b"bad-\xff.txt"));
    fs::write(&bad, "x").unwrap();
    // The name is shown lossily: `bad-\u{fffd}.txt`.
    new_is_refused!(&sandbox, &tpl, "file_name_not_utf8");
}

/// A symbolic link in a set that points out of the project, into `.git`, or
/// that stands where a manifest should be, is refused, naming the link.
#[test]
fn symlinks_out_of_the_project_are_refused_naming_the_link() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "symlink_to_outside_file",
            "root/files/passwd",
            "/etc/passwd",
        ),
        (
            "symlink_to_outside_folder",
            "root/files/etc",
            "../../../secret",
        ),
        (
            "symlink_up_through_a_name",
            "root/files/d/up",
            "inner/../../../secret",
        ),
        (
            "symlink_into_git",
            "root/files/hook",
            ".git/hooks/pre-commit",
        ),
        ("symlink_as_manifest", "root/layer.yaml.link", "layer.yaml"),
    ];
    for (name, link, target) in cases {
        let sandbox = Sandbox::new();
        sandbox.write("secret/key.txt", "secret\n");
        let tpl = one_layer(
            &sandbox,
            &[("fine.txt", "fine\n"), ("d/inner/x.txt", "x\n")],
        );
        std::os::unix::fs::symlink(target, Path::new(&tpl).join(link)).unwrap();
        new_is_refused!(&sandbox, &tpl, *name);
        // lint, which renders the set, finds it too.
        let out = sandbox.run(&["lint", &tpl]);
        assert_eq!(out.status.code(), Some(1), "{name}: lint: {}", stdout(&out));
        assert!(
            stdout(&out).contains("symbolic link"),
            "{name}: lint: {}",
            stdout(&out)
        );
    }
}

/// A link that points inside the project is kept as a link (never followed
/// or copied), committed as a link, recorded, and checked like any file.
#[test]
fn symlinks_inside_the_project_are_kept_as_links() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(
        &sandbox,
        &[("fine.txt", "fine\n"), ("docs/guide.md", "guide\n")],
    );
    let files = Path::new(&tpl).join("root/files");
    std::os::unix::fs::symlink("fine.txt", files.join("alias.txt")).unwrap();
    fs::create_dir_all(files.join("web")).unwrap();
    std::os::unix::fs::symlink("../docs", files.join("web/docs")).unwrap();
    std::os::unix::fs::symlink("not-rendered-yet.txt", files.join("dangling.txt")).unwrap();
    sandbox.run_ok(&["new", "demo", "--defaults", "-t", &tpl]);
    let demo = sandbox.work().join("demo");
    for (link, target) in [
        ("alias.txt", "fine.txt"),
        ("web/docs", "../docs"),
        ("dangling.txt", "not-rendered-yet.txt"),
    ] {
        let meta = demo.join(link).symlink_metadata().unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is not a link");
        assert_eq!(fs::read_link(demo.join(link)).unwrap(), Path::new(target));
    }
    assert_eq!(
        fs::read_to_string(demo.join("web/docs/guide.md")).unwrap(),
        "guide\n"
    );
    // git holds them as links (mode 120000), so a clone has links too.
    let repo = git2::Repository::open(&demo).unwrap();
    let head = repo.head().unwrap().peel_to_tree().unwrap();
    let entry = head.get_path(Path::new("alias.txt")).unwrap();
    assert_eq!(entry.filemode(), 0o120_000);
    let lock = fs::read_to_string(demo.join(".scaffold/lock.yaml")).unwrap();
    assert!(
        lock.contains("alias.txt:") && lock.contains("mode: '120000'"),
        "{lock}"
    );
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&demo)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        "",
        "git sees changes"
    );
    sandbox.run_ok(&["check", "demo"]);
    // Retargeting the link is drift, like editing a file.
    fs::remove_file(demo.join("alias.txt")).unwrap();
    std::os::unix::fs::symlink("docs/guide.md", demo.join("alias.txt")).unwrap();
    let out = sandbox.run(&["check", "demo"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("alias.txt"), "{}", stdout(&out));
    // The template retargets a link: update replaces the link itself, not
    // the file it points at.
    fs::remove_file(demo.join("alias.txt")).unwrap();
    std::os::unix::fs::symlink("fine.txt", demo.join("alias.txt")).unwrap();
    fs::remove_file(files.join("alias.txt")).unwrap();
    std::os::unix::fs::symlink("docs/guide.md", files.join("alias.txt")).unwrap();
    sandbox.run_ok(&["update", "demo"]);
    assert_eq!(
        fs::read_link(demo.join("alias.txt")).unwrap(),
        Path::new("docs/guide.md")
    );
    assert_eq!(fs::read_to_string(demo.join("fine.txt")).unwrap(), "fine\n");
    assert_eq!(
        fs::read_to_string(demo.join("alias.txt")).unwrap(),
        "guide\n"
    );
    sandbox.run_ok(&["check", "demo"]);
}

/// The template turns a folder into a link, and back: update makes way
/// (the old entries go first, with the folders they leave empty), unless the
/// folder holds files of the project's own; then nothing is written.
#[test]
fn update_turns_a_folder_into_a_link_and_back() {
    let sandbox = Sandbox::new();
    sandbox.git_identity("Test", "test@example.com");
    let tpl = one_layer(
        &sandbox,
        &[
            ("a.txt", "one\n"),
            ("docs/guide.md", "guide\n"),
            ("site/guide.md", "site\n"),
        ],
    );
    let files = Path::new(&tpl).join("root/files");
    sandbox.run_ok(&["new", "demo", "--defaults", "-t", &tpl]);
    let demo = sandbox.work().join("demo");

    // v2: docs is a link to site.
    fs::remove_dir_all(files.join("docs")).unwrap();
    std::os::unix::fs::symlink("site", files.join("docs")).unwrap();
    fs::write(files.join("a.txt"), "two\n").unwrap();
    sandbox.run_ok(&["update", "demo"]);
    assert_eq!(fs::read_link(demo.join("docs")).unwrap(), Path::new("site"));
    assert_eq!(
        fs::read_to_string(demo.join("docs/guide.md")).unwrap(),
        "site\n"
    );
    assert_eq!(fs::read_to_string(demo.join("a.txt")).unwrap(), "two\n");
    sandbox.run_ok(&["check", "demo"]);
    crate::harness::commit_all(&demo, "v2");

    // v3: docs is a folder again.
    fs::remove_file(files.join("docs")).unwrap();
    sandbox.write("tpl/root/files/docs/guide.md", "guide 3\n");
    sandbox.run_ok(&["update", "demo"]);
    assert!(demo.join("docs").symlink_metadata().unwrap().is_dir());
    assert_eq!(
        fs::read_to_string(demo.join("docs/guide.md")).unwrap(),
        "guide 3\n"
    );
    assert_eq!(
        fs::read_to_string(demo.join("site/guide.md")).unwrap(),
        "site\n"
    );
    sandbox.run_ok(&["check", "demo"]);
    crate::harness::commit_all(&demo, "v3");

    // v4 makes docs a link again, but the project keeps a file of its own there.
    fs::write(demo.join("docs/mine.txt"), "mine\n").unwrap();
    crate::harness::commit_all(&demo, "mine");
    fs::remove_dir_all(files.join("docs")).unwrap();
    std::os::unix::fs::symlink("site", files.join("docs")).unwrap();
    fs::write(files.join("a.txt"), "four\n").unwrap();
    let before = disk(&demo);
    let out = sandbox.run(&["update", "demo"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`demo/docs` is a folder with files of the project's own"),
        "{}",
        stderr(&out)
    );
    assert_unchanged(&before, &disk(&demo), "refused update");
}

/// check and diff never read through a linked folder: a managed file behind
/// a link to outside the project is an error naming the link, and its
/// content (which could be a secret) is never shown.
#[test]
fn check_does_not_read_through_a_linked_folder() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("conf/app.env", "MODE=dev\n")]);
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    sandbox.write("outside/app.env", "SECRET=hunter2\n");
    let demo = sandbox.work().join("demo");
    fs::remove_dir_all(demo.join("conf")).unwrap();
    std::os::unix::fs::symlink(sandbox.root().join("outside"), demo.join("conf")).unwrap();
    for command in ["check", "diff"] {
        let out = sandbox.run(&[command, "demo"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            !text.contains("hunter2"),
            "{command} showed the outside file: {text}"
        );
        assert_eq!(
            stderr(&out),
            "error: `demo/conf` is a symbolic link to a folder, where the template has a folder; scaffold does not read or write through links\n\
             hint: replace the link `demo/conf` with a real folder, then run this again\n",
            "{command}"
        );
    }
}

/// A target that is a link (to an empty folder outside, to a full one, or
/// dangling) is refused: scaffold never writes through it.
#[test]
fn a_target_that_is_a_symlink_is_refused_and_nothing_is_written_through_it() {
    for (name, target, setup) in [
        ("target_link_to_empty_folder", "../outside", true),
        ("target_link_to_full_folder", "../outside-full", true),
        ("target_link_dangling", "../nowhere", false),
    ] {
        let sandbox = Sandbox::new();
        let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
        if setup {
            fs::create_dir_all(sandbox.root().join("outside")).unwrap();
            sandbox.write("outside-full/mine.txt", "mine\n");
        }
        std::os::unix::fs::symlink(target, sandbox.work().join("demo")).unwrap();
        new_is_refused!(&sandbox, &tpl, name);
    }
}

/// `.scaffold/answers.yaml` may point its source anywhere: a file, a folder
/// that is no template set (the project itself, the home folder), a folder
/// that does not exist, a relative path, nothing. Each is an error naming
/// the answers file and the path, and check/update/add change nothing.
#[test]
fn an_answers_file_pointing_the_source_somewhere_odd_is_refused() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    let demo = sandbox.work().join("demo");
    let answers = demo.join(".scaffold/answers.yaml");
    let recorded = fs::read_to_string(&answers).unwrap();
    let tpl_abs = Path::new(&tpl).canonicalize().unwrap();
    let line = format!("  path: {}\n", tpl_abs.display());
    assert!(recorded.contains(&line), "{recorded}");
    let passwd = sandbox.write("etc/passwd", "root:x:0:0\n");
    let project = demo.canonicalize().unwrap();
    let home = sandbox.home();
    for (name, path) in [
        ("source_path_is_a_file", passwd.to_str().unwrap()),
        ("source_path_is_the_project", project.to_str().unwrap()),
        ("source_path_is_home", home.to_str().unwrap()),
        ("source_path_missing", "/nonexistent/templates"),
        ("source_path_relative", "relative/templates"),
        ("source_path_climbs", "../../../../../../../../nonexistent"),
    ] {
        fs::write(
            &answers,
            recorded.replace(&line, &format!("  path: {path}\n")),
        )
        .unwrap();
        let before = disk(sandbox.root());
        for command in ["check", "diff", "update", "add"] {
            let mut args = vec![command];
            if command == "add" {
                args.push("root");
            }
            args.push("demo");
            let out = sandbox.run(&args);
            if command == "check" {
                refused!(&sandbox, out, name);
            } else {
                assert_eq!(
                    out.status.code(),
                    Some(2),
                    "{name}: {command}: {}",
                    stderr(&out)
                );
            }
            assert_unchanged(&before, &disk(sandbox.root()), name);
        }
    }
}

/// A project folder replaced by a link to a folder outside: `update` and `add`
/// refuse to write through it, and the outside folder is unchanged.
#[test]
fn update_and_add_do_not_write_through_a_linked_folder() {
    let sandbox = Sandbox::new();
    sandbox.template(&[
        (
            "scaffold.yaml",
            "name: h\nversion: 1.0.0\nlayers: [root, extra]\n",
        ),
        ("root/layer.yaml", "name: root\n"),
        ("root/files/linked/c.txt", "two\n"),
        ("extra/layer.yaml", "name: extra\ndestination: extra/\n"),
        ("extra/files/b.txt", "one\n"),
    ]);
    let tpl = sandbox.root().join("tpl").display().to_string();
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
    let demo = sandbox.work().join("demo");
    // The project's folders become links to a folder outside.
    sandbox.write("outside/c.txt", "two\n");
    fs::remove_dir_all(demo.join("linked")).unwrap();
    std::os::unix::fs::symlink("../../outside", demo.join("linked")).unwrap();
    std::os::unix::fs::symlink("../../outside", demo.join("extra")).unwrap();
    // The template changes the linked file.
    sandbox.write("tpl/root/files/linked/c.txt", "two, changed\n");
    sandbox.write(
        "tpl/scaffold.yaml",
        "name: h\nversion: 1.1.0\nlayers: [root, extra]\n",
    );
    let outside = sandbox.root().join("outside");
    let before = disk(&outside);

    let out = sandbox.run(&["update", "demo", "--allow-dirty"]);
    refused!(&sandbox, out, "update_through_linked_folder");
    assert_unchanged(&before, &disk(&outside), "update");

    let out = sandbox.run(&["add", "extra", "demo"]);
    refused!(&sandbox, out, "add_through_linked_folder");
    assert_unchanged(&before, &disk(&outside), "add");
}

// 2. Atomicity

/// SIGKILL cannot be caught: afterwards the target is complete or absent,
/// and at most the `.scaffold-new-*` staging folder is left beside it. The
/// next run then makes the complete project.
#[test]
fn sigkill_while_writing_leaves_a_complete_project_or_none() {
    let sandbox = Sandbox::new();
    let tpl = big_set(&sandbox, 5_000, "content");
    let args = ["new", "demo", "--defaults", "--no-git", "-t", &tpl];
    let child = spawn(&sandbox, &args);
    wait_for("a staging folder", || !names(&sandbox.work()).is_empty());
    signal(&child, "-KILL");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), None, "not killed: {}", stderr(&out));
    let left = names(&sandbox.work());
    eprintln!("after SIGKILL: {left:?}");
    for name in &left {
        assert!(
            name == "demo" || name.starts_with(".scaffold-new-"),
            "left behind: {left:?}"
        );
    }
    if left.iter().any(|n| n == "demo") {
        // The rename happened: the project is whole.
        assert_eq!(read_tree(&sandbox.work().join("demo")).len(), 5_002);
        return;
    }
    let out = sandbox.run_ok(&args);
    assert_eq!(read_tree(&sandbox.work().join("demo")).len(), 5_002);
    assert!(
        stderr(&out).starts_with("Created demo from h 1.0.0"),
        "{}",
        stderr(&out)
    );
}

/// SIGTERM (what `kill` and service managers send) is handled as Ctrl-C:
/// exit 130 and nothing left behind.
#[test]
fn sigterm_while_writing_leaves_no_trace() {
    let sandbox = Sandbox::new();
    let tpl = big_set(&sandbox, 5_000, "content");
    let child = spawn(&sandbox, &["new", "demo", "--defaults", "-t", &tpl]);
    wait_for("a staging folder", || !names(&sandbox.work()).is_empty());
    signal(&child, "-TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_eq!(stderr(&out), "error: interrupted; nothing was written\n");
    assert!(
        names(&sandbox.work()).is_empty(),
        "left behind: {:?}",
        names(&sandbox.work())
    );
}

/// `update` killed with SIGKILL while replacing thousands of files: each file
/// is whole, old or new, never half-written; running update again finishes
/// the job and `check` is then clean.
#[test]
fn sigkill_during_update_leaves_every_file_old_or_new() {
    let sandbox = Sandbox::new();
    let count = 3_000;
    let tpl = big_set(&sandbox, count, "old");
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    write_big_files(&sandbox, count, "new");
    sandbox.write(
        "tpl/scaffold.yaml",
        "name: h\nversion: 1.1.0\nlayers: [root]\nvariables:\n  dir: {default: ok}\n",
    );
    let demo = sandbox.work().join("demo");
    let child = spawn(&sandbox, &["update", "demo", "--allow-dirty"]);
    let first = demo.join("d0/f0.txt");
    wait_for("the first file updated", || {
        fs::read_to_string(&first).is_ok_and(|t| t.starts_with("new"))
    });
    signal(&child, "-KILL");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), None, "not killed: {}", stderr(&out));
    let tree = read_tree(&demo);
    let updated = (0..count)
        .filter(|i| tree[&format!("d{}/f{i}.txt", i % 50)].1.starts_with(b"new"))
        .count();
    let temporary: Vec<&String> = tree.keys().filter(|p| p.contains(".scaffold-")).collect();
    eprintln!(
        "after SIGKILL: {updated} of {count} files updated, temporary files left: {temporary:?}"
    );
    for i in 0..count {
        let path = format!("d{}/f{i}.txt", i % 50);
        let bytes = &tree[&path].1;
        assert!(
            *bytes == format!("old {i}\n").into_bytes()
                || *bytes == format!("new {i}\n").into_bytes(),
            "{path} is half-written: {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    sandbox.run_ok(&["update", "demo", "--allow-dirty"]);
    let out = sandbox.run(&["check", "demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// `update` interrupted with Ctrl-C (SIGINT) while replacing thousands of
/// files: exit 130, and each file is whole, old or new.
#[test]
fn sigint_during_update_leaves_every_file_old_or_new() {
    let sandbox = Sandbox::new();
    let count = 3_000;
    let tpl = big_set(&sandbox, count, "old");
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    write_big_files(&sandbox, count, "new");
    let demo = sandbox.work().join("demo");
    let child = spawn(&sandbox, &["update", "demo", "--allow-dirty"]);
    let first = demo.join("d0/f0.txt");
    wait_for("the first file updated", || {
        fs::read_to_string(&first).is_ok_and(|t| t.starts_with("new"))
    });
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    let tree = read_tree(&demo);
    let updated = (0..count)
        .filter(|i| tree[&format!("d{}/f{i}.txt", i % 50)].1.starts_with(b"new"))
        .count();
    eprintln!(
        "after SIGINT: exit {:?}, {updated} of {count} files updated, stderr: {:?}",
        out.status.code(),
        stderr(&out)
    );
    if updated < count {
        assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    }
    for i in 0..count {
        let path = format!("d{}/f{i}.txt", i % 50);
        let bytes = &tree[&path].1;
        assert!(
            *bytes == format!("old {i}\n").into_bytes()
                || *bytes == format!("new {i}\n").into_bytes(),
            "{path} is half-written: {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

// 3. Faults

#[test]
fn a_full_disk_leaves_nothing_behind() {
    let sandbox = Sandbox::new();
    let full = sandbox.work().join("full");
    let Some(_mount) = Tmpfs::mount(&full, "size=1m") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    // Files that do not fit, then files that fit but whose git objects do not.
    for (name, size) in [
        ("disk_full_writing_files", 3_000_000),
        ("disk_full_in_git", 600_000),
    ] {
        let random = noise(size);
        let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
        fs::write(Path::new(&tpl).join("root/files/big.bin"), &random).unwrap();
        let out = sandbox.run(&["new", "demo", "--defaults", "--output", "full", "-t", &tpl]);
        refused!(&sandbox, out, name);
        assert!(
            names(&full).is_empty(),
            "{name}: left behind {:?}",
            names(&full)
        );
    }
}

#[test]
fn a_read_only_parent_folder_is_an_error_and_nothing_is_written() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
    let parent = sandbox.work().join("ro");
    // Root ignores folder permissions: a read-only mount then.
    let _mount = if is_root() {
        let mount = Tmpfs::mount(&parent, "size=1m,ro");
        if mount.is_none() {
            eprintln!("skipped: cannot mount a read-only tmpfs");
            return;
        }
        mount
    } else {
        fs::create_dir(&parent).unwrap();
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o555)).unwrap();
        None
    };
    let out = sandbox.run(&["new", "demo", "--defaults", "--output", "ro", "-t", &tpl]);
    // As root, a read-only mount ("Read-only file system"); otherwise a folder
    // without write permission ("Permission denied"): a snapshot for each.
    let name = if is_root() {
        "read_only_parent_mount"
    } else {
        "read_only_parent_folder"
    };
    refused!(&sandbox, out, name);
    assert!(names(&parent).is_empty());
    let _ = fs::set_permissions(&parent, fs::Permissions::from_mode(0o755));
}

#[test]
fn corrupt_records_are_errors_that_change_nothing() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(
        &sandbox,
        &[("fine.txt", "fine\n"), ("sub/more.txt", "more\n")],
    );
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    let demo = sandbox.work().join("demo");
    let answers_path = demo.join(".scaffold/answers.yaml");
    let lock_path = demo.join(".scaffold/lock.yaml");
    let answers = fs::read(&answers_path).unwrap();
    let lock = fs::read(&lock_path).unwrap();
    let lock_text = String::from_utf8(lock.clone()).unwrap();
    let cases: Vec<(&str, PathBuf, Vec<u8>)> = vec![
        (
            "lock_truncated",
            lock_path.clone(),
            lock[..lock.len() - 30].to_vec(),
        ),
        ("lock_empty", lock_path.clone(), Vec::new()),
        ("lock_not_yaml", lock_path.clone(), b"files: [\n".to_vec()),
        (
            "lock_binary",
            lock_path.clone(),
            b"\xff\xfe\x00garbage".to_vec(),
        ),
        (
            "lock_bad_blob",
            lock_path.clone(),
            regex::Regex::new("blob: [0-9a-f]{4}")
                .unwrap()
                .replace(&lock_text, "blob: zzzz")
                .into_owned()
                .into_bytes(),
        ),
        (
            "lock_bad_mode",
            lock_path.clone(),
            lock_text
                .replacen("mode: '0644'", "mode: 'rwx'", 1)
                .into_bytes(),
        ),
        (
            "answers_truncated",
            answers_path.clone(),
            answers[..answers.len() * 2 / 3].to_vec(),
        ),
        ("answers_empty", answers_path.clone(), Vec::new()),
        (
            "answers_binary",
            answers_path.clone(),
            b"\xff\xfe\x00garbage".to_vec(),
        ),
        (
            "answers_unknown_key",
            answers_path.clone(),
            [answers.as_slice(), b"extra: 1\n"].concat(),
        ),
    ];
    for (name, path, bytes) in cases {
        fs::write(&path, &bytes).unwrap();
        let before = disk(sandbox.root());
        for command in ["check", "diff", "update"] {
            let mut args = vec![command, "demo"];
            if command == "update" {
                args.push("--allow-dirty");
            }
            let out = sandbox.run(&args);
            if command == "check" {
                refused!(&sandbox, out, name);
            } else {
                assert_eq!(
                    out.status.code(),
                    Some(2),
                    "{name}: {command}: {}",
                    stderr(&out)
                );
            }
            assert_unchanged(&before, &disk(sandbox.root()), name);
        }
        fs::write(&answers_path, &answers).unwrap();
        fs::write(&lock_path, &lock).unwrap();
    }
    // A missing lock, and a record that is a folder.
    fs::remove_file(&lock_path).unwrap();
    let out = sandbox.run(&["check", "demo"]);
    refused!(&sandbox, out, "lock_missing");
    fs::write(&lock_path, &lock).unwrap();
    fs::remove_file(&answers_path).unwrap();
    fs::create_dir(&answers_path).unwrap();
    let out = sandbox.run(&["check", "demo"]);
    refused!(&sandbox, out, "answers_is_a_folder");
}

#[test]
fn template_faults_are_errors_that_write_nothing() {
    type Files = &'static [(&'static str, &'static [u8])];
    let cases: &[(&str, Files)] = &[
        ("tera_not_utf8", &[("root/files/bad.txt.tera", b"\xff\xfe{{ dir }}\n")]),
        (
            "same_path_twice_in_a_layer",
            &[("root/files/a.txt", b"a\n"), ("root/files/a.txt.tera", b"{{ dir }}\n")],
        ),
        (
            "same_path_twice_via_segments",
            &[("root/files/{{ dir }}.txt", b"a\n"), ("root/files/ok.txt", b"b\n")],
        ),
        (
            "file_and_folder_at_one_path",
            &[("root/files/a", b"a\n"), ("root/files/{{ \"a\" }}/b.txt", b"b\n")],
        ),
        (
            "same_path_twice_across_layers",
            &[
                ("scaffold.yaml", b"name: h\nversion: 1.0.0\nlayers: [root, b]\nvariables:\n  dir: {default: ok}\n"),
                ("b/layer.yaml", b"name: b\nrequires: [root]\n"),
                ("b/files/fine.txt", b"from b\n"),
            ],
        ),
        (
            "requires_cycle",
            &[
                ("scaffold.yaml", b"name: h\nversion: 1.0.0\nlayers: [root, b, c]\n"),
                ("b/layer.yaml", b"name: b\nrequires: [c]\n"),
                ("c/layer.yaml", b"name: c\nrequires: [root, b]\n"),
            ],
        ),
        (
            "requires_itself",
            &[("root/layer.yaml", b"name: root\nrequires: [root]\n")],
        ),
    ];
    for (name, files) in cases {
        let sandbox = Sandbox::new();
        let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
        for (path, bytes) in *files {
            let path = Path::new(&tpl).join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        new_is_refused!(&sandbox, &tpl, *name);
    }
}

/// A template reads nothing but the set and the answers: no file by path,
/// no environment, no clock.
#[test]
fn a_template_cannot_read_files_the_environment_or_the_clock() {
    for (name, text) in [
        ("include_absolute_path", "{% include \"/etc/passwd\" %}\n"),
        (
            "include_climbing_path",
            "{% include \"../../../../etc/passwd\" %}\n",
        ),
        ("get_env", "{{ get_env(name=\"HOME\") }}\n"),
        ("now_in_a_file", "{{ now() }}\n"),
    ] {
        let sandbox = Sandbox::new();
        let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n"), ("a.txt.tera", text)]);
        new_is_refused!(&sandbox, &tpl, name);
    }
}

/// A name longer than the file system allows fails while writing the
/// staging folder: exit 2, the file named, nothing left.
#[test]
fn a_file_name_too_long_for_the_disk_leaves_nothing() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n"), ("{{ dir }}", "x\n")]);
    let long = "x".repeat(300);
    let out = sandbox.run(&[
        "new",
        "demo",
        "--defaults",
        "-t",
        &tpl,
        "--set",
        &format!("dir={long}"),
    ]);
    let out_text = stderr(&out).replace(&long, "x...x");
    assert_eq!(out.status.code(), Some(2), "{out_text}");
    insta::assert_snapshot!("file_name_too_long", scrub(&sandbox, &out_text));
    assert!(
        names(&sandbox.work()).is_empty(),
        "left behind: {:?}",
        names(&sandbox.work())
    );
}

/// Without `--author`, `GIT_AUTHOR_*` or a git config identity, the first
/// commit is by a fallback author, and scaffold says how to set one: exit 0.
#[test]
fn a_missing_git_identity_falls_back_and_says_how_to_set_one() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
    let out = sandbox.run_ok(&["new", "demo", "--defaults", "-t", &tpl]);
    insta::assert_snapshot!("missing_git_identity", scrub(&sandbox, &stderr(&out)));
    let repo = git2::Repository::open(sandbox.work().join("demo")).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.author().email().unwrap(), "scaffold@localhost");
}

/// `--template` naming no folder: exit 2, the path named, and what
/// `--template` takes.
#[test]
fn a_template_folder_that_does_not_exist_is_refused() {
    let sandbox = Sandbox::new();
    let before = disk(sandbox.root());
    let out = sandbox.run(&["new", "demo", "--defaults", "--template", "/does/not/exist"]);
    refused!(&sandbox, out, "template_does_not_exist");
    assert_unchanged(&before, &disk(sandbox.root()), "template_does_not_exist");
}

/// A 50 MB file that is not a template is copied byte for byte, and checked;
/// what the user sees is a snapshot.
#[test]
fn a_huge_file_is_copied_exactly() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
    let huge = noise(50_000_000);
    fs::write(Path::new(&tpl).join("root/files/huge.bin"), &huge).unwrap();
    let out = sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    insta::assert_snapshot!("huge_file", scrub(&sandbox, &stderr(&out)));
    let written = fs::read(sandbox.work().join("demo/huge.bin")).unwrap();
    assert!(written == huge, "huge.bin differs");
    let out = sandbox.run(&["check", "demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// 5. Properties

/// A random set: up to 12 files at nested names from a safe alphabet, some
/// `.tera` (valid Tera over `project_name`), the rest arbitrary bytes that
/// may hold `{{ }}`.
fn random_set() -> impl Strategy<Value = BTreeMap<String, (bool, Vec<u8>)>> {
    let name = "[a-z][a-z0-9_.-]{0,5}";
    let path = proptest::collection::vec(name, 1..4).prop_map(|s| s.join("/"));
    let tera_piece = prop_oneof![
        Just("{{ project_name }}".to_owned()),
        Just("{% if true %}yes{% endif %}".to_owned()),
        Just("\n".to_owned()),
        "[a-zA-Z0-9 ,.:;-]{0,12}",
    ];
    let tera = proptest::collection::vec(tera_piece, 0..6).prop_map(|p| p.concat().into_bytes());
    let bytes = (proptest::collection::vec(any::<u8>(), 0..64), any::<bool>()).prop_map(
        |(mut b, braces)| {
            if braces {
                b.extend_from_slice(b"{{ .Values.x }} {% raw %}");
            }
            b
        },
    );
    let file = prop_oneof![tera.prop_map(|t| (true, t)), bytes.prop_map(|b| (false, b))];
    proptest::collection::btree_map(path, file, 1..12).prop_map(|files| {
        // Drop files that would clash: one path a folder of another, or
        // `x` and `x.tera`, which both render to `x`.
        let mut kept: BTreeMap<String, (bool, Vec<u8>)> = BTreeMap::new();
        for (path, (tera, bytes)) in files {
            if path.ends_with(".tera") {
                continue;
            }
            let clash = kept.keys().any(|k| {
                k == &path
                    || k.starts_with(&format!("{path}/"))
                    || path.starts_with(&format!("{k}/"))
            });
            if !clash {
                kept.insert(path, (tera, bytes));
            }
        }
        kept
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// Two runs give identical trees; nothing is written outside the targets;
    /// `check` right after `new` is clean.
    #[test]
    fn new_is_deterministic_contained_and_checks_clean(files in random_set()) {
        let sandbox = Sandbox::new();
        sandbox.template(&[
            ("scaffold.yaml", "name: p\nversion: 1.0.0\nlayers: [root]\nvariables:\n  project_name: {default: x}\n"),
            ("root/layer.yaml", "name: root\n"),
        ]);
        let tpl = sandbox.root().join("tpl");
        for (path, (tera, bytes)) in &files {
            let written = if *tera { format!("{path}.tera") } else { path.clone() };
            let at = tpl.join("root/files").join(written);
            fs::create_dir_all(at.parent().unwrap()).unwrap();
            fs::write(at, bytes).unwrap();
        }
        fs::create_dir(sandbox.work().join("one")).unwrap();
        fs::create_dir(sandbox.work().join("two")).unwrap();
        let before = disk(sandbox.root());
        for out_dir in ["one", "two"] {
            let out = sandbox.run(&["new", "demo", "--defaults", "--no-git", "-o", out_dir, "-t", tpl.to_str().unwrap()]);
            prop_assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        }
        let one = read_tree(&sandbox.work().join("one/demo"));
        let two = read_tree(&sandbox.work().join("two/demo"));
        prop_assert_eq!(one.len(), files.len() + 2);
        prop_assert!(one == two, "two runs differ");
        // Outside the two targets, nothing changed.
        let after: BTreeMap<PathBuf, Node> = disk(sandbox.root())
            .into_iter()
            .filter(|(p, _)| !p.starts_with("work/one/demo") && !p.starts_with("work/two/demo"))
            .collect();
        assert_unchanged(&before, &after, "new");
        for (path, (tera, bytes)) in &files {
            let got = &one[path].1;
            if !*tera {
                prop_assert!(got == bytes, "{} was not copied byte for byte", path);
            }
        }
        let out = sandbox.run(&["check", "one/demo"]);
        prop_assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
}

/// A lock entry is a path like any other: `../x` or `/abs` must not make
/// `update` delete, or `diff` read, a file outside the project.
#[test]
fn a_lock_entry_outside_the_project_is_refused() {
    for (name, entry) in [
        ("lock_path_climbs", "../../outside/victim.txt"),
        ("lock_path_absolute", "ABS"),
    ] {
        let sandbox = Sandbox::new();
        let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
        sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
        let victim = sandbox.write("outside/victim.txt", "victim\n");
        let entry = entry.replace("ABS", victim.to_str().unwrap());
        let lock = sandbox.work().join("demo/.scaffold/lock.yaml");
        let mut text = fs::read_to_string(&lock).unwrap();
        text.push_str(&format!(
            "  {entry}:\n    blob: 4360c36d857bccdd9496f65e9820d327ca971dd1\n    mode: '0644'\n    ownership: managed\n"
        ));
        fs::write(&lock, text).unwrap();
        let before = disk(sandbox.root());
        for command in ["check", "diff", "update"] {
            let out = sandbox.run(
                &[command, "demo", "--allow-dirty"][..if command == "update" { 3 } else { 2 }],
            );
            assert_eq!(
                out.status.code(),
                Some(2),
                "{name}: {command}: {}",
                stderr(&out)
            );
            assert!(
                !String::from_utf8_lossy(&out.stdout).contains("victim"),
                "{name}: {command} printed the file"
            );
            assert_unchanged(&before, &disk(sandbox.root()), name);
        }
    }
}

/// `add` refused by a linked folder must write none of the layer's files.
#[test]
fn add_refused_by_a_link_writes_nothing() {
    let sandbox = Sandbox::new();
    sandbox.template(&[
        (
            "scaffold.yaml",
            "name: h\nversion: 1.0.0\nlayers: [root, extra]\n",
        ),
        ("root/layer.yaml", "name: root\n"),
        ("root/files/a.txt", "a\n"),
        ("extra/layer.yaml", "name: extra\n"),
        ("extra/files/b.txt", "one\n"),
        ("extra/files/zz/c.txt", "two\n"),
    ]);
    let tpl = sandbox.root().join("tpl").display().to_string();
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
    fs::create_dir(sandbox.root().join("outside")).unwrap();
    std::os::unix::fs::symlink("../../outside", sandbox.work().join("demo/zz")).unwrap();
    let before = disk(sandbox.root());
    let out = sandbox.run(&["add", "extra", "demo"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_unchanged(&before, &disk(sandbox.root()), "add");
}

/// `update` refused by a linked folder must change no file.
#[test]
fn update_refused_by_a_link_writes_nothing() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("a.txt", "a\n"), ("zz/c.txt", "c\n")]);
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    let demo = sandbox.work().join("demo");
    sandbox.write("outside/c.txt", "c\n");
    fs::remove_dir_all(demo.join("zz")).unwrap();
    std::os::unix::fs::symlink("../../outside", demo.join("zz")).unwrap();
    sandbox.write("tpl/root/files/a.txt", "a2\n");
    sandbox.write("tpl/root/files/zz/c.txt", "c2\n");
    let before = disk(sandbox.root());
    let out = sandbox.run(&["update", "demo", "--allow-dirty"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_unchanged(&before, &disk(sandbox.root()), "update");
}

/// After SIGKILL, the next run removes the staging folder, or says it is there.
#[test]
fn the_run_after_a_sigkill_cleans_up_or_says_so() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("fine.txt", "fine\n")]);
    sandbox.write("work/.scaffold-new-AbC123/half.txt", "half\n");
    let out = sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    let cleaned = !names(&sandbox.work())
        .iter()
        .any(|n| n.starts_with(".scaffold-new-"));
    assert!(
        cleaned || stderr(&out).contains(".scaffold-new-AbC123"),
        "{}",
        stderr(&out)
    );
}

/// DESIGN: absolute paths are refused with the template file named.
#[test]
fn an_absolute_destination_is_refused() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("f.txt", "x\n")]);
    sandbox.write(
        "tpl/root/layer.yaml",
        "name: root\ndestination: /tmp/{{ dir }}\n",
    );
    let out = sandbox.run(&["new", "demo", "--defaults", "-t", &tpl]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("layer.yaml"), "{}", stderr(&out));
}

/// A recorded layer the set no longer has: the message names answers.yaml.
#[test]
fn an_unknown_recorded_layer_names_the_answers_file() {
    let sandbox = Sandbox::new();
    let tpl = one_layer(&sandbox, &[("f.txt", "x\n")]);
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    let answers = sandbox.work().join("demo/.scaffold/answers.yaml");
    let text = fs::read_to_string(&answers)
        .unwrap()
        .replace("- root", "- nolayer");
    fs::write(&answers, text).unwrap();
    let out = sandbox.run(&["check", "demo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".scaffold/answers.yaml"),
        "{}",
        stderr(&out)
    );
}

/// Ctrl-C during `update` must not claim "nothing was written" once files
/// were replaced (and prints no escape codes when stderr is not a terminal).
#[test]
fn ctrl_c_during_update_tells_the_truth() {
    let sandbox = Sandbox::new();
    let count = 3_000;
    let tpl = big_set(&sandbox, count, "old");
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", &tpl]);
    write_big_files(&sandbox, count, "new");
    let first = sandbox.work().join("demo/d0/f0.txt");
    let child = spawn(&sandbox, &["update", "demo", "--allow-dirty"]);
    wait_for("the first file updated", || {
        fs::read_to_string(&first).is_ok_and(|t| t.starts_with("new"))
    });
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    assert!(
        !stderr(&out).contains("nothing was written"),
        "{:?}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains('\u{1b}'), "{:?}", stderr(&out));
}
