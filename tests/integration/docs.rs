//! The docs' examples, run: every block of docs/template-sets.md that starts
//! with `# file: PATH` is written into one template set, which must render;
//! the README's config example must be a config scaffold accepts, and its
//! error example is what scaffold prints.

use crate::harness::{Sandbox, stderr};
use std::fs;

/// `(first line, rest)` of every fenced block in `markdown`.
fn blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("```") && line.len() > 3 {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
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

#[test]
fn the_manifest_reference_examples_render() {
    let sandbox = Sandbox::new();
    let doc = include_str!("../../docs/template-sets.md");
    let mut written = 0;
    for (first, rest) in blocks(doc) {
        if let Some(path) = first.strip_prefix("# file: ") {
            // The manifests keep their comment line; it is valid YAML.
            let text = if path.ends_with(".yaml") {
                format!("{first}\n{rest}")
            } else {
                rest
            };
            sandbox.write(&format!("tpl/{path}"), &text);
            written += 1;
        }
    }
    assert_eq!(
        written, 6,
        "the examples on the page changed: update this test"
    );
    let tpl = sandbox.root().join("tpl");
    let out = sandbox.run_ok(&[
        "new",
        "demo",
        "--defaults",
        "--no-git",
        "-t",
        tpl.to_str().unwrap(),
    ]);
    let demo = sandbox.work().join("demo");
    assert_eq!(
        fs::read_to_string(demo.join("backend/README.md")).unwrap(),
        "# API (graphql, port 8000)\n"
    );
    assert_eq!(
        fs::read_to_string(demo.join("backend/worker.py")).unwrap(),
        "BROKER = \"redis\"\n"
    );
    let env = fs::read_to_string(demo.join("backend/example/settings.env")).unwrap();
    assert_eq!(
        env.trim_end().strip_prefix("SECRET_KEY=").unwrap().len(),
        32
    );
    assert!(
        stderr(&out).ends_with("Next steps:\n  cd demo\n"),
        "{}",
        stderr(&out)
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
