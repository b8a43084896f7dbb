//! `scaffold new`, point by point as the pipeline issue lists them.

use crate::harness::{SMALL_SET, Sandbox, names, read_tree, stderr, stdout};
use std::fs;

fn small(sandbox: &Sandbox) -> String {
    sandbox.template(SMALL_SET).display().to_string()
}

fn git_log(dir: &std::path::Path) -> Vec<(String, String, String)> {
    let repo = git2::Repository::open(dir).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    walk.map(|oid| {
        let commit = repo.find_commit(oid.unwrap()).unwrap();
        let author = commit.author();
        (
            commit.message().unwrap().to_owned(),
            author.name().unwrap().to_owned(),
            author.email().unwrap().to_owned(),
        )
    })
    .collect()
}

// 1. Template set format

#[test]
fn a_misspelt_manifest_key_is_named_with_file_line_and_the_key_meant() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    sandbox.write(
        "tpl/api/layer.yaml",
        "name: api\nrequires: [root]\ndestinaton: api/\n",
    );
    let out = sandbox.run(&["new", "demo", "--defaults", "--set", "owner=x", "-t", &tpl]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: invalid template set: {tpl}/api/layer.yaml:3:1: unknown field `destinaton`, expected one of `name`, \
             `description`, `destination`, `requires`, `variables`, `rules`, `hooks` (did you mean `destination`?)\n"
        )
    );
    assert!(names(&sandbox.work()).is_empty());
}

// 2. Sources

#[test]
fn the_built_in_set_works_from_any_folder() {
    let sandbox = Sandbox::new();
    sandbox.run_ok(&["new", "demo", "--defaults"]);
    let demo = sandbox.work().join("demo");
    for layer in ["backend", "frontend", "infra", "e2e", "docs"] {
        assert!(demo.join(layer).is_dir(), "no {layer}/");
    }
    let answers = fs::read_to_string(demo.join(".scaffold/answers.yaml")).unwrap();
    assert!(
        answers.contains("source:\n  kind: builtin\ntemplate:\n  name: seed-stack\n"),
        "{answers}"
    );
    assert!(answers.contains("  project_name: demo\n"), "{answers}");
    let log = git_log(&demo);
    assert_eq!(log.len(), 1);
    assert!(
        log[0]
            .0
            .starts_with("Initial commit from seed-stack 0.1.0\n"),
        "{}",
        log[0].0
    );
    // Helm's own {{ }} is copied, not rendered.
    let deployment =
        fs::read_to_string(demo.join("infra/helm/demo/templates/backend-deployment.yaml")).unwrap();
    assert!(deployment.contains("replicas: {{ .Values.backend.replicaCount }}"));
}

/// The generated CI fails on drift: a `drift` job runs `scaffold check`,
/// for GitHub Actions and for GitLab CI.
#[test]
fn the_generated_ci_runs_scaffold_check() {
    let sandbox = Sandbox::new();
    sandbox.run_ok(&["new", "gh", "--defaults", "--no-git"]);
    sandbox.run_ok(&[
        "new",
        "gl",
        "--defaults",
        "--no-git",
        "--set",
        "root.ci=gitlab",
    ]);
    let github = fs::read_to_string(sandbox.work().join("gh/.github/workflows/ci.yml")).unwrap();
    let drift = &github[github.find("\n  drift:\n").expect("a drift job")..];
    assert!(drift.contains("run: scaffold check\n"), "{drift}");
    let gitlab = fs::read_to_string(sandbox.work().join("gl/.gitlab-ci.yml")).unwrap();
    let drift = &gitlab[gitlab.find("\ndrift:\n").expect("a drift job")..];
    assert!(drift.contains("    - scaffold check\n"), "{drift}");
}

#[test]
fn a_template_folder_is_used_and_recorded_by_its_absolute_path() {
    let sandbox = Sandbox::new();
    sandbox.template(SMALL_SET);
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--set",
        "owner=Ada",
        "-t",
        "../tpl",
    ]);
    let answers = fs::read_to_string(sandbox.work().join("demo/.scaffold/answers.yaml")).unwrap();
    let tpl = sandbox.root().join("tpl").canonicalize().unwrap();
    assert!(
        answers.contains(&format!(
            "source:\n  kind: dir\n  path: {}\n",
            tpl.display()
        )),
        "{answers}"
    );
}

#[test]
fn a_missing_template_folder_is_an_error() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["new", "demo", "--defaults", "-t", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: template folder `nowhere` does not exist or is not a folder\n\
         hint: --template takes a folder holding scaffold.yaml, a git URL, or a name from `templates:` in the user config (`scaffold config` shows it)\n"
    );
}

// 3. Answers

#[test]
fn without_a_terminal_a_missing_answer_names_the_variable_and_the_flag() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    let out = sandbox.run(&["new", "demo", "-t", &tpl]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no answer for `owner`: it has no default, and nothing was asked (no terminal, or --defaults)\n\
         hint: pass --set owner=VALUE\n"
    );
    assert!(names(&sandbox.work()).is_empty());
}

#[test]
fn answers_follow_config_then_file_then_set() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    sandbox.write(
        "home/.config/scaffold/config.yaml",
        "defaults:\n  owner: from-config\n  api:\n    port: 1\n    debug: true\n",
    );
    let file = sandbox.write("answers.yaml", "owner: from-file\napi.port: 2\n");
    sandbox.run_ok(&[
        "new",
        "demo",
        "-t",
        &tpl,
        "--answers",
        file.to_str().unwrap(),
        "--set",
        "api.extras=x,y",
    ]);
    let config = fs::read_to_string(sandbox.work().join("demo/api/config.toml")).unwrap();
    assert_eq!(config, "port = 2\ndebug = true\nextras = x,y\n");
    let readme = fs::read_to_string(sandbox.work().join("demo/README.md")).unwrap();
    assert_eq!(readme, "# demo by from-file\n");
}

#[test]
fn xdg_config_home_is_honoured() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    sandbox.write("xdg/scaffold/config.yaml", "defaults:\n  owner: xdg\n");
    let out = sandbox
        .scaffold()
        .env("XDG_CONFIG_HOME", sandbox.root().join("xdg"))
        .args(["new", "demo", "-t", &tpl])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(sandbox.work().join("demo/README.md")).unwrap(),
        "# demo by xdg\n"
    );
}

#[test]
fn a_broken_config_or_answers_file_is_named() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    let config = sandbox.write("home/.config/scaffold/config.yaml", "defualts: {}\n");
    let out = sandbox.run(&["new", "demo", "-t", &tpl]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: invalid user config `{0}`\n  \
             caused by: {0}:1:1: unknown field `defualts`, expected one of `defaults`, `layers`, `templates` (did you mean `defaults`?)\n\
             hint: the config holds `defaults:` (answers, e.g. `author: Ada`, or `backend: {{api: rest}}`), `layers:` and `templates:` (e.g. `company: {{url: https://…, ref: main}}`)\n",
            config.display()
        )
    );
    fs::remove_file(config).unwrap();
    let file = sandbox.write("answers.yaml", "ownr: x\n");
    let out = sandbox.run(&[
        "new",
        "demo",
        "-t",
        &tpl,
        "--answers",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: answers file {} sets `ownr`, which is not a variable of this template set\n\
             hint: did you mean `owner`? `scaffold list` shows every variable\n",
            file.display()
        )
    );
    let file = sandbox.write("answers.yaml", "- owner\n");
    let out = sandbox.run(&[
        "new",
        "demo",
        "-t",
        &tpl,
        "--answers",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: invalid answers file `{0}`\n  \
             caused by: {0}:1:1: invalid type: sequence, expected a mapping\n\
             hint: an answers file maps variables to answers (`owner: Ada`, `backend: {{api: rest}}`); another project's .scaffold/answers.yaml works too\n",
            file.display()
        )
    );
}

#[test]
fn layers_are_selected_with_what_they_require() {
    let sandbox = Sandbox::new();
    sandbox.run_ok(&["new", "demo", "--defaults", "--layers", "e2e"]);
    let demo = sandbox.work().join("demo");
    assert_eq!(
        names(&demo),
        [
            ".editorconfig",
            ".git",
            ".github",
            ".gitignore",
            ".pre-commit-config.yaml",
            ".scaffold",
            "LICENSE",
            "Makefile",
            "README.md",
            "backend",
            "e2e",
            "frontend",
            "scripts"
        ]
    );
    let out = sandbox.run(&["new", "other", "--defaults", "--layers", "backnd"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `backnd` is not a layer of this template set\nhint: did you mean `backend`? `scaffold list` shows the layers\n"
    );
}

// 4. Render

#[test]
fn rules_decide_presence_mode_and_ownership() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    sandbox.run_ok(&["new", "a", "--defaults", "--set", "owner=Ada", "-t", &tpl]);
    let a = read_tree(&sandbox.work().join("a"));
    assert_eq!(a["LICENSE"], (0o644, b"MIT\n".to_vec()));
    assert_eq!(a["bin/run"].0, 0o755);
    assert_eq!(a["api/example/hello.txt"].1, b"token=fixed-secret\n");
    sandbox.run_ok(&[
        "new",
        "b",
        "--defaults",
        "--set",
        "owner=Ada",
        "--set",
        "root.license=none",
        "-t",
        &tpl,
    ]);
    assert!(!sandbox.work().join("b/LICENSE").exists());
}

#[test]
fn the_same_answers_give_a_byte_identical_tree() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    for out_dir in ["one", "two"] {
        fs::create_dir(sandbox.work().join(out_dir)).unwrap();
        for args in [
            vec!["new", "demo", "--defaults", "--set", "year=2026"],
            vec![
                "new",
                "small",
                "--defaults",
                "--set",
                "owner=Ada",
                "-t",
                &tpl,
            ],
        ] {
            let out = sandbox
                .scaffold()
                .args(args)
                .args(["-o", out_dir])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        }
    }
    for project in ["demo", "small"] {
        let one = read_tree(&sandbox.work().join("one").join(project));
        let two = read_tree(&sandbox.work().join("two").join(project));
        assert!(one.len() > 5);
        assert_eq!(one, two, "{project} differs between runs");
    }
}

// 5. Write

#[test]
fn an_existing_non_empty_target_is_refused_and_untouched() {
    let sandbox = Sandbox::new();
    sandbox.write("work/demo/mine.txt", "mine");
    let out = sandbox.run(&["new", "demo", "--defaults"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `demo` already exists and is not empty\nhint: choose another name, or another folder with --output\n"
    );
    assert_eq!(names(&sandbox.work()), ["demo"]);
    assert_eq!(names(&sandbox.work().join("demo")), ["mine.txt"]);
    assert_eq!(
        fs::read_to_string(sandbox.work().join("demo/mine.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_late_template_error_leaves_no_trace() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    sandbox.write("tpl/api/files/zzz.txt.tera", "fine\n{{ api.nope }}\n");
    let out = sandbox.run(&["new", "demo", "--defaults", "--set", "owner=x", "-t", &tpl]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.starts_with(&format!(
            "error: cannot render `{tpl}/api/files/zzz.txt.tera`: Field `nope` is not defined"
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("--> {tpl}/api/files/zzz.txt.tera:2:")),
        "{message}"
    );
    assert!(names(&sandbox.work()).is_empty());
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    let out = sandbox.run_ok(&[
        "new",
        "demo",
        "--dry-run",
        "--defaults",
        "--set",
        "owner=x",
        "-t",
        &tpl,
    ]);
    assert_eq!(
        stdout(&out),
        "7 files for demo (dry run: nothing written)\n\
         0644 managed  .scaffold/answers.yaml\n\
         0644 managed  .scaffold/lock.yaml\n\
         0644 managed  LICENSE\n\
         0644 managed  README.md\n\
         0644 managed  api/config.toml\n\
         0644 seed     api/example/hello.txt\n\
         0755 managed  bin/run\n"
    );
    assert!(names(&sandbox.work()).is_empty());
}

#[test]
fn output_sets_the_parent_folder_which_must_exist() {
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.work().join("projects")).unwrap();
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--no-git",
        "--output",
        "projects",
    ]);
    assert!(sandbox.work().join("projects/demo/Makefile").is_file());
    let out = sandbox.run(&["new", "demo", "--defaults", "--output", "missing"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: the output folder `missing` does not exist\nhint: create it first: mkdir -p missing\n"
    );
}

#[test]
fn a_name_with_a_path_in_it_is_refused() {
    let sandbox = Sandbox::new();
    for name in ["../escape", "a/b", "..", "."] {
        let out = sandbox.run(&["new", name, "--defaults"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(
            stderr(&out).contains("is not a plain folder name"),
            "{}",
            stderr(&out)
        );
    }
    assert!(
        names(sandbox.root())
            .iter()
            .all(|n| n == "home" || n == "work")
    );
}

#[test]
fn ctrl_c_while_writing_leaves_no_trace() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        (
            "scaffold.yaml",
            "name: big\nversion: 1.0.0\nlayers: [root]\n",
        ),
        ("root/layer.yaml", "name: root\n"),
    ]);
    for i in 0..20_000 {
        sandbox.write(
            &format!("tpl/root/files/d{}/f{i}.txt", i % 100),
            "some content\n",
        );
    }
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("scaffold"))
        .current_dir(sandbox.work())
        .env("HOME", sandbox.home())
        .args(["new", "demo", "--defaults", "-t", tpl.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the staging folder, then interrupt.
    let started = std::time::Instant::now();
    while names(&sandbox.work()).is_empty() {
        assert!(
            started.elapsed().as_secs() < 120,
            "scaffold never started writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_eq!(stderr(&out), "error: interrupted; nothing was written\n");
    assert!(
        names(&sandbox.work()).is_empty(),
        "left behind: {:?}",
        names(&sandbox.work())
    );
}

// 6. Record

#[test]
fn records_hold_answers_without_secrets_and_a_sorted_lock() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--set",
        "owner=Ada",
        "-t",
        &tpl,
    ]);
    let demo = sandbox.work().join("demo");
    let answers = fs::read_to_string(demo.join(".scaffold/answers.yaml")).unwrap();
    let tpl_abs = sandbox.root().join("tpl").canonicalize().unwrap();
    assert_eq!(
        answers,
        format!(
            "# How this project was made, recorded by scaffold. Edit an answer and run\n\
             # `scaffold update` to re-render with it. Secrets are never recorded.\n\
             scaffold_version: {}\nsource:\n  kind: dir\n  path: {}\ntemplate:\n  name: small\n  version: 2.1.0\n\
             layers:\n- root\n- api\nanswers:\n  project_name: demo\n  owner: Ada\n  root:\n    license: MIT\n  api:\n    port: 8000\n    \
             debug: false\n    extras:\n    - x\nignore: []\n",
            env!("CARGO_PKG_VERSION"),
            tpl_abs.display()
        )
    );
    let lock = fs::read_to_string(demo.join(".scaffold/lock.yaml")).unwrap();
    let repo = git2::Repository::open(&demo).unwrap();
    let readme_blob = repo
        .head()
        .unwrap()
        .peel_to_tree()
        .unwrap()
        .get_path(std::path::Path::new("README.md"))
        .unwrap()
        .id();
    assert!(
        lock.contains(&format!(
            "  README.md:\n    blob: {readme_blob}\n    mode: '0644'\n    ownership: managed\n"
        )),
        "{lock}"
    );
    assert!(
        lock.contains("  bin/run:\n    blob: ") && lock.contains("    mode: '0755'\n"),
        "{lock}"
    );
    assert!(
        !lock.contains("example/hello.txt"),
        "seed files are not locked: {lock}"
    );
    let paths: Vec<&str> = lock
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    // The secret is only in the seed file.
    for (path, (_, bytes)) in read_tree(&demo) {
        let has = String::from_utf8_lossy(&bytes).contains("fixed-secret");
        assert_eq!(has, path == "api/example/hello.txt", "{path}");
    }
}

// 7. Git

#[test]
fn the_first_commit_is_on_main_by_the_configured_author_and_holds_every_file() {
    let sandbox = Sandbox::new();
    sandbox.git_identity("Ada Lovelace", "ada@example.com");
    let tpl = sandbox.template(&[
        ("scaffold.yaml", "name: g\nversion: 3.0.0\nlayers: [root]\n"),
        ("root/layer.yaml", "name: root\n"),
        ("root/files/.gitignore", ".env\n"),
        ("root/files/.env", "LOCAL=1\n"),
    ]);
    let out = sandbox.run_ok(&["new", "demo", "--defaults", "-t", tpl.to_str().unwrap()]);
    let demo = sandbox.work().join("demo");
    let log = git_log(&demo);
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0].0,
        format!(
            "Initial commit from g 3.0.0\n\nCreated by scaffold {} with layers: root.\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(
        (log[0].1.as_str(), log[0].2.as_str()),
        ("Ada Lovelace", "ada@example.com")
    );
    let repo = git2::Repository::open(&demo).unwrap();
    assert_eq!(repo.head().unwrap().shorthand().unwrap(), "main");
    // Every file scaffold wrote is committed, ignored or not; the work tree is clean.
    let tree = repo.head().unwrap().peel_to_tree().unwrap();
    assert!(tree.get_path(std::path::Path::new(".env")).is_ok());
    assert!(
        tree.get_path(std::path::Path::new(".scaffold/lock.yaml"))
            .is_ok()
    );
    let mut options = git2::StatusOptions::new();
    options.include_untracked(true).include_ignored(true);
    assert_eq!(repo.statuses(Some(&mut options)).unwrap().len(), 0);
    assert_eq!(
        stderr(&out),
        "Created demo from g 3.0.0: 1 layer (root), 2 files.\nCommitted on branch main.\n"
    );
}

#[test]
fn author_comes_from_the_flag_then_the_environment_then_a_named_fallback() {
    let sandbox = Sandbox::new();
    sandbox.git_identity("Config Person", "config@example.com");
    sandbox.run_ok(&[
        "new",
        "a",
        "--defaults",
        "--author",
        "Flag Person <flag@example.com>",
    ]);
    assert_eq!(git_log(&sandbox.work().join("a"))[0].1, "Flag Person");
    let out = sandbox
        .scaffold()
        .env("GIT_AUTHOR_NAME", "Env Person")
        .env("GIT_AUTHOR_EMAIL", "env@example.com")
        .args(["new", "b", "--defaults"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(git_log(&sandbox.work().join("b"))[0].1, "Env Person");
    fs::remove_file(sandbox.home().join(".gitconfig")).unwrap();
    let out = sandbox.run_ok(&["new", "c", "--defaults"]);
    assert_eq!(
        git_log(&sandbox.work().join("c"))[0].2,
        "scaffold@localhost"
    );
    assert!(
        stderr(&out).contains("no git identity is configured"),
        "{}",
        stderr(&out)
    );
    let out = sandbox.run(&["new", "d", "--defaults", "--author", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --author `nobody` is not `Name <email>`\n"
    );
}

#[test]
fn inside_a_git_work_tree_no_new_repository_is_made() {
    let sandbox = Sandbox::new();
    git2::Repository::init(sandbox.work()).unwrap();
    let out = sandbox.run_ok(&["new", "demo", "--defaults"]);
    assert!(!sandbox.work().join("demo/.git").exists());
    let work = sandbox.work().canonicalize().unwrap();
    assert!(
        stderr(&out).contains(&format!(
            "Not initialising git: demo is inside the git work tree at {}/.",
            work.display()
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_git_makes_no_repository() {
    let sandbox = Sandbox::new();
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git"]);
    assert!(!sandbox.work().join("demo/.git").exists());
    assert!(sandbox.work().join("demo/.scaffold/answers.yaml").is_file());
}

// 9. Errors

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["new"]);
    assert_eq!(out.status.code(), Some(2));
    let out = sandbox.run(&["new", "x", "--set", "novalue"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`novalue` is not KEY=VALUE"),
        "{}",
        stderr(&out)
    );
    let out = sandbox.run(&["new", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("scaffold new demo --defaults"));
    let out = sandbox.run(&["--version"]);
    assert_eq!(
        stdout(&out),
        format!(
            "scaffold {} (built-in templates: seed-stack 0.1.0)\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn another_projects_recorded_answers_can_be_reused() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    sandbox.run_ok(&[
        "new",
        "first",
        "--defaults",
        "--no-git",
        "--set",
        "owner=Ada",
        "--set",
        "api.port=9",
        "-t",
        &tpl,
    ]);
    let recorded = sandbox.work().join("first/.scaffold/answers.yaml");
    sandbox.run_ok(&[
        "new",
        "second",
        "--defaults",
        "--no-git",
        "-t",
        &tpl,
        "--answers",
        recorded.to_str().unwrap(),
    ]);
    let config = fs::read_to_string(sandbox.work().join("second/api/config.toml")).unwrap();
    assert!(config.starts_with("port = 9\n"), "{config}");
    // project_name came along too: a recorded answer is a fixed answer.
    assert_eq!(
        fs::read_to_string(sandbox.work().join("second/README.md")).unwrap(),
        "# first by Ada\n"
    );
}

#[test]
fn set_beats_the_answers_file_for_the_same_key() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    let file = sandbox.write("answers.yaml", "owner: from-file\napi:\n  port: 2\n");
    sandbox.run_ok(&[
        "new",
        "demo",
        "-t",
        &tpl,
        "--answers",
        file.to_str().unwrap(),
        "--set",
        "api.port=3",
        "--set",
        "owner=from-set",
    ]);
    assert_eq!(
        fs::read_to_string(sandbox.work().join("demo/README.md")).unwrap(),
        "# demo by from-set\n"
    );
    assert!(
        fs::read_to_string(sandbox.work().join("demo/api/config.toml"))
            .unwrap()
            .starts_with("port = 3\n")
    );
}

#[test]
fn a_wrong_value_in_an_answers_file_names_the_key() {
    let sandbox = Sandbox::new();
    let tpl = small(&sandbox);
    for (text, expected) in [
        (
            "owner:\n",
            "answers.yaml:1:7: owner: an empty value: give one, or leave the key out",
        ),
        (
            "owner: x\napi:\n  port: 2.5\n",
            "answers file {file} gives `api.port` an invalid value: `2.5` is not a whole number",
        ),
        (
            "owner: x\nowner: y\n",
            "answers.yaml:1:1: `owner` is given twice",
        ),
    ] {
        let file = sandbox.write("answers.yaml", text);
        let out = sandbox.run(&[
            "new",
            "demo",
            "-t",
            &tpl,
            "--answers",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        let expected = expected.replace("{file}", file.to_str().unwrap());
        assert!(
            stderr(&out).contains(&expected),
            "{text:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn no_template_or_answer_can_write_outside_the_project() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        (
            "scaffold.yaml",
            "name: h\nversion: 1.0.0\nlayers: [root]\nvariables:\n  dir: {default: ok}\n",
        ),
        ("root/layer.yaml", "name: root\n"),
        ("root/files/{{ dir }}/file.txt", "x\n"),
    ]);
    let before = read_tree(sandbox.root());
    for (answer, why) in [
        ("..", "it has a `..`, `.` or empty segment"),
        ("../../escape", "which contains `/`"),
        ("/etc", "which contains `/`"),
        (".git", "it writes into a `.git` folder"),
        (".scaffold", "`.scaffold/` is reserved"),
    ] {
        let out = sandbox.run(&[
            "new",
            "demo",
            "--defaults",
            "-t",
            tpl.to_str().unwrap(),
            "--set",
            &format!("dir={answer}"),
        ]);
        assert_eq!(out.status.code(), Some(2), "{answer}");
        let message = stderr(&out);
        assert!(
            message.starts_with(&format!(
                "error: cannot render `{}/root/files/{{{{ dir }}}}/file.txt`",
                tpl.display()
            )),
            "{message}"
        );
        assert!(message.contains(why), "{answer}: {message}");
        assert_eq!(
            read_tree(sandbox.root()),
            before,
            "{answer}: the disk changed"
        );
    }
}

#[test]
fn the_leftover_of_a_killed_run_is_removed_and_said() {
    let sandbox = Sandbox::new();
    let leftover = sandbox.work().join(".scaffold-new-999999999-abcdef");
    fs::create_dir_all(leftover.join("half")).unwrap();
    let out = sandbox.run_ok(&["new", "demo", "--defaults", "--no-git"]);
    assert!(!leftover.exists());
    assert!(
        stderr(&out).contains(
            "Removed .scaffold-new-999999999-abcdef, left by an earlier run that was killed.\n"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(names(&sandbox.work()), ["demo"]);
}

#[test]
fn a_set_for_a_newer_scaffold_is_refused_naming_both_versions() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        (
            "scaffold.yaml",
            "name: future\nversion: 1.0.0\nmin_scaffold_version: 99.0.0\nlayers: [root]\n",
        ),
        ("root/layer.yaml", "name: root\n"),
        ("root/files/a.txt", "a\n"),
    ]);
    let out = sandbox.run(&["new", "demo", "--defaults", "-t", tpl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        crate::harness::stderr(&out),
        format!(
            "error: invalid template set: {}/scaffold.yaml: this template set needs scaffold 99.0.0 or newer, but this is scaffold {}; upgrade scaffold\n",
            tpl.display(),
            env!("CARGO_PKG_VERSION")
        )
    );
    assert!(!sandbox.work().join("demo").exists());
}

#[test]
fn an_answers_file_may_select_layers() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(SMALL_SET);
    let tpl = tpl.to_str().unwrap();
    sandbox.write("answers.yaml", "layers: [root]\nowner: Ada\n");
    // Over the user config's `layers`, under --layers.
    sandbox.write("xdg/scaffold/config.yaml", "layers: [api]\n");
    let new = |name: &str, more: &[&str]| {
        let out = sandbox
            .scaffold()
            .env("XDG_CONFIG_HOME", sandbox.root().join("xdg"))
            .args([
                "new",
                name,
                "--defaults",
                "--no-git",
                "-t",
                tpl,
                "--answers",
                "../answers.yaml",
            ])
            .args(more)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        names(&sandbox.work().join(name))
    };
    assert_eq!(new("a", &[]), [".scaffold", "LICENSE", "README.md", "bin"]);
    assert!(new("b", &["--layers", "api"]).contains(&"api".to_owned()));

    sandbox.write("bad.yaml", "layers: root\n");
    let out = sandbox.run(&[
        "new",
        "c",
        "--defaults",
        "-t",
        tpl,
        "--answers",
        "../bad.yaml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `layers` in the answers file `../bad.yaml` is not a list of layer names; write it as `layers: [backend, docs]`\n"
    );
}

#[test]
fn a_big_file_is_committed_whole_and_checks_in_sync() {
    // Bigger than the size from which git objects are written loose and
    // files are compared a chunk at a time (1 MiB).
    let big: String = (0..500_000).map(|i| format!("{i:x}\n")).collect();
    assert!(big.len() > 2 << 20);
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        ("scaffold.yaml", "name: g\nversion: 1.0.0\nlayers: [root]\n"),
        ("root/layer.yaml", "name: root\n"),
        ("root/files/big.txt", &big),
        ("root/files/small.txt", "small\n"),
    ]);
    sandbox.run_ok(&["new", "demo", "--defaults", "-t", tpl.to_str().unwrap()]);
    let demo = sandbox.work().join("demo");
    let repo = git2::Repository::open(&demo).unwrap();
    let tree = repo.head().unwrap().peel_to_tree().unwrap();
    let blob = tree
        .get_path(std::path::Path::new("big.txt"))
        .unwrap()
        .to_object(&repo)
        .unwrap()
        .peel_to_blob()
        .unwrap();
    assert_eq!(blob.content(), big.as_bytes());
    let mut options = git2::StatusOptions::new();
    options.include_untracked(true);
    assert_eq!(repo.statuses(Some(&mut options)).unwrap().len(), 0);
    let demo = demo.to_str().unwrap();
    sandbox.run_ok(&["check", demo]);
    // One byte changed past the first chunk is drift.
    let mut edited = big.into_bytes();
    edited[(1 << 20) + 5] = b'!';
    fs::write(sandbox.work().join("demo/big.txt"), &edited).unwrap();
    let out = sandbox.run(&["check", demo]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("big.txt"), "{}", stdout(&out));
}
