//! `scaffold lint` for template authors.

use crate::harness::{Sandbox, stderr, stdout};

#[test]
fn the_built_in_set_lints_clean() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["lint"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).lines().all(|l| l.starts_with("warning: ")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn every_choice_is_rendered_and_every_problem_named() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        (
            "scaffold.yaml",
            "name: l\nversion: 1.0.0\nlayers: [root, api]\nvariables:\n  owner: {}\n  \
             slug: {default: 'Not A Slug', validate: {regex: '[a-z]+', message: lowercase only}}\n",
        ),
        ("root/layer.yaml", "name: root\nvariables:\n  db: {type: choice, choices: [postgres, sqlite], default: postgres}\n"),
        ("root/files/db.txt.tera", "{% if root.db == 'sqlite' %}{{ root.path }}{% else %}pg{% endif %}\n"),
        ("root/files/empty.txt.tera", "{% if false %}x{% endif %}"),
        ("root/files/chart.yaml", "name: {{ .Values.name }}\n"),
        ("root/files/README.md", "root\n"),
        ("api/layer.yaml", "name: api\n"),
        ("api/files/bad.tera", "line\n{{ owner | nofilter }}\n"),
        ("api/files/README.md", "api\n"),
    ]);
    let out = sandbox.run(&["lint", "-t", tpl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    let t = tpl.display();
    for expected in [
        "error: the default of `slug` fails its own check: lowercase only".to_owned(),
        format!("error: {t}/api/files/bad.tera: Unknown filter `nofilter`"),
        format!("--> {t}/api/files/bad.tera:2:"),
        format!("error: {t}/root/files/db.txt.tera: Field `path` is not defined"),
        format!("warning: {t}/root/files/chart.yaml: holds `{{{{` or `{{%` but is copied as it is"),
        format!(
            "error: {t}/api/files/README.md: renders to `README.md`, which clashes with `README.md` from `{t}/root/files/README.md`"
        ),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(
        stderr(&out).lines().last(),
        Some("4 error(s), 1 warning(s)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn two_layers_writing_one_path_and_json_output() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        (
            "scaffold.yaml",
            "name: l\nversion: 1.0.0\nlayers: [root, api]\n",
        ),
        ("root/layer.yaml", "name: root\n"),
        ("root/files/README.md", "root\n"),
        ("api/layer.yaml", "name: api\n"),
        ("api/files/README.md", "api\n"),
    ]);
    let out = sandbox.run(&["lint", "-t", tpl.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json:#}");
    assert!(
        errors[0]
            .as_str()
            .unwrap()
            .contains("renders to `README.md`, which clashes with `README.md`"),
        "{json:#}"
    );
}

#[test]
fn a_manifest_that_does_not_parse_is_reported_as_findings() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        ("scaffold.yaml", "name: l\nversion: 1.0.0\nlayers: [root]\n"),
        (
            "root/layer.yaml",
            "name: root\nrequires: [root]\nvariabels: {}\n",
        ),
    ]);
    let out = sandbox.run(&["lint", "-t", tpl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("(did you mean `variables`?)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_set_can_be_given_as_an_argument() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(crate::harness::SMALL_SET);
    let out = sandbox.run(&["lint", tpl.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}
