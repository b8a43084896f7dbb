//! The docs' examples, run. Every fenced block of docs/template-sets.md is
//! used: the `# file: PATH` blocks are written into one template set (or, under
//! `tests/`, into the folder the commands run in), the hooks go into a layer,
//! the folder picture must match the set, and every `scaffold` command of its
//! testing section is run against the set. The README's config example must
//! be a config scaffold accepts, and its error example is what scaffold prints.

use crate::harness::{Sandbox, read_tree, stderr, stdout};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// `(first line, rest)` of every fenced block in `markdown`; an indented
/// block (in a list) loses its indentation.
fn blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let fence = line.trim_start();
        let indent = line.len() - fence.len();
        if fence.starts_with("```") && fence.len() > 3 {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.trim_start().starts_with("```"))
                .map(|l| l.get(indent..).unwrap_or_else(|| l.trim_start()))
                .collect();
            if let Some((first, rest)) = body.split_first() {
                out.push((
                    first.to_string(),
                    rest.iter().map(|l| format!("{l}\n")).collect(),
                ));
            }
        }
    }
    out
}

/// The `scaffold …` commands quoted in the prose of `section` (fenced blocks
/// left out).
fn commands(section: &str) -> Vec<String> {
    let mut fenced = false;
    let prose: Vec<&str> = section
        .lines()
        .filter(|l| {
            if l.trim_start().starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect();
    prose
        .join(" ")
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|code| code.starts_with("scaffold "))
        .map(str::to_owned)
        .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Checks the folder picture (`my-templates/` and its indented entries)
/// against the set at `tpl`.
fn matches_the_picture(picture: &str, tpl: &Path) {
    let mut stack: Vec<String> = Vec::new();
    for line in picture.lines() {
        let entry = line.split(" #").next().unwrap().trim_end();
        let depth = (entry.len() - entry.trim_start().len()) / 2;
        let name = entry
            .trim()
            .trim_end_matches("...")
            .trim_end_matches('/')
            .to_owned();
        stack.truncate(depth - 1);
        stack.push(name);
        let path = tpl.join(stack.join("/"));
        assert!(
            path.exists(),
            "the guide's folder picture shows {}, which its examples do not make",
            stack.join("/")
        );
    }
}

#[test]
fn the_guide_examples_render_and_its_commands_work() {
    let sandbox = Sandbox::new();
    let doc = include_str!("../../docs/template-sets.md");
    let tpl = sandbox.root().join("tpl");
    let (mut picture, mut hooks) = (None, None);
    for (first, rest) in blocks(doc) {
        if let Some(path) = first.strip_prefix("# file: ") {
            // The manifests keep their comment line; it is valid YAML.
            let text = if path.ends_with(".yaml") {
                format!("{first}\n{rest}")
            } else {
                rest
            };
            let folder = if path.starts_with("tests/") {
                "work"
            } else {
                "tpl"
            };
            sandbox.write(&format!("{folder}/{path}"), &text);
        } else if first == "# in a layer.yaml" {
            hooks = Some(format!("{first}\n{rest}"));
        } else if first == "my-templates/" {
            picture = Some(rest);
        } else {
            panic!(
                "docs/template-sets.md has a block that docs.rs does not run: {first:?}; teach the test about it"
            );
        }
    }
    matches_the_picture(&picture.expect("the folder picture"), &tpl);
    // The hooks run in the backend layer, with an `npm` that notes its calls.
    let manifest = tpl.join("backend/layer.yaml");
    let layer = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        format!("{layer}{}", hooks.expect("the hooks example")),
    )
    .unwrap();
    let npm = sandbox.write(
        "bin/npm",
        "#!/bin/sh\necho \"$(basename \"$PWD\") npm $*\" >> \"$NPM_LOG\"\n",
    );
    fs::set_permissions(&npm, fs::Permissions::from_mode(0o755)).unwrap();
    let log = sandbox.root().join("npm.log");
    let path = format!(
        "{}:{}",
        sandbox.root().join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |args: &[&str]| {
        sandbox
            .scaffold()
            .env("PATH", &path)
            .env("NPM_LOG", &log)
            .args(args)
            .output()
            .unwrap()
    };

    let out = run(&[
        "new",
        "demo",
        "--defaults",
        "--no-git",
        "-t",
        tpl.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let demo = sandbox.work().join("demo");
    let read = |path: &str| fs::read_to_string(demo.join(path)).unwrap();
    assert_eq!(read("backend/README.md"), "# API (graphql, port 8000)\n");
    assert_eq!(read("backend/worker.py"), "BROKER = \"redis\"\n");
    let env = read("backend/example/settings.env");
    assert_eq!(
        env.trim_end().strip_prefix("SECRET_KEY=").unwrap().len(),
        32
    );
    assert_eq!(read("backend/graphql/schema.py"), "# the API's schema\n");
    assert_eq!(
        read("backend/tests/test_worker.py"),
        "def test_worker(): ...\n"
    );
    assert_eq!(read("README.md"), "# demo\n\nThe API is in backend/.\n\n");
    assert_eq!(
        read("backend/settings.py"),
        "# demo: generated by scaffold\n\nDEBUG = False\n"
    );
    let tree = read_tree(&demo);
    assert!(
        !tree.keys().any(|p| p.contains("_header")),
        "{:?}",
        tree.keys()
    );
    assert_eq!(tree["backend/bin/serve"].0, 0o755);
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        "backend npm ci --ignore-scripts\n"
    );
    assert!(stderr(&out).contains("demo is ready\n"), "{}", stderr(&out));
    assert!(
        stderr(&out).ends_with("Next steps:\n  cd demo\n"),
        "{}",
        stderr(&out)
    );

    // The testing section's commands, as written, on this set.
    let testing = doc
        .split("## Testing a template set")
        .nth(1)
        .expect("a testing section");
    let commands = commands(testing);
    assert_eq!(
        commands,
        [
            "scaffold lint --template PATH",
            "scaffold new golden --defaults --no-git --answers tests/golden/case/answers.yaml -t PATH -o tests/golden/case",
            "scaffold check tests/golden/case/golden --template PATH",
        ],
        "the commands of the guide changed: update this test"
    );
    let args = |command: &str| -> Vec<String> {
        command
            .split(' ')
            .skip(1)
            .map(|a| a.replace("PATH", tpl.to_str().unwrap()))
            .collect()
    };
    let args: Vec<Vec<String>> = commands.iter().map(|c| args(c)).collect();
    let lint = run(&strs(&args[0]));
    assert_eq!(
        lint.status.code(),
        Some(0),
        "{}{}",
        stdout(&lint),
        stderr(&lint)
    );
    let new = run(&strs(&args[1]));
    assert!(new.status.success(), "{}", stderr(&new));
    let golden = sandbox.work().join("tests/golden/case/golden");
    assert!(golden.join("backend/rest/schema.py").is_file());
    assert!(!golden.join("backend/graphql").exists());
    let check = run(&strs(&args[2]));
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    // A template change that alters the output: check exits 3.
    let settings = tpl.join("backend/files/settings.py.tera");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(&settings, format!("{text}DEBUG_TOOLBAR = False\n")).unwrap();
    let check = run(&strs(&args[2]));
    assert_eq!(check.status.code(), Some(3), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("backend/settings.py"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn the_readme_config_example_is_accepted() {
    let sandbox = Sandbox::new();
    let readme = include_str!("../../README.md");
    let (_, config) = blocks(readme)
        .into_iter()
        .find(|(first, _)| first == "# ~/.config/scaffold/config.yaml")
        .expect("the README shows a config file");
    sandbox.write("home/.config/scaffold/config.yaml", &config);
    sandbox.run_ok(&["new", "demo", "--no-git", "--set", "year=2026"]);
    let license = fs::read_to_string(sandbox.work().join("demo/LICENSE")).unwrap();
    assert!(
        license.contains("Apache License\n                           Version 2.0, January 2004\n"),
        "{license}"
    );
    assert!(
        license.contains("   Copyright 2026 Ada Lovelace\n"),
        "{license}"
    );
}

#[test]
fn the_readme_error_example_is_what_scaffold_prints() {
    let readme = include_str!("../../README.md");
    let (command, printed) = blocks(readme)
        .into_iter()
        .find(|(first, _)| first == "$ scaffold check demo")
        .expect("the README shows an error");
    assert_eq!(command, "$ scaffold check demo");
    let sandbox = Sandbox::new();
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git"]);
    fs::write(
        sandbox.work().join("demo/.scaffold/lock.yaml"),
        "files: [\n",
    )
    .unwrap();
    let out = sandbox.run(&["check", "demo"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), printed);
}

#[test]
fn the_drift_json_example_has_the_fields_check_prints() {
    let doc = include_str!("../../docs/drift.md");
    let example = doc
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a JSON example");
    let example: serde_json::Value = serde_json::from_str(example).unwrap();
    let sandbox = Sandbox::new();
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git"]);
    fs::write(sandbox.work().join("demo/Makefile"), "edited\n").unwrap();
    let out = sandbox.run(&["check", "demo", "--format", "json"]);
    let real: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&example), keys(&real));
    assert_eq!(keys(&example["template"]), keys(&real["template"]));
    assert_eq!(keys(&example["files"][0]), keys(&real["files"][0]));
    assert_eq!(example["files"][0]["path"], real["files"][0]["path"]);
}
