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
        format!(
            "error: {t}/root/files/db.txt.tera:1: reads `root.path`, but the layer `root` has no variable `path`; declare it in {t}/root/layer.yaml, or fix the name"
        ),
        // Judged per file, though bad.tera fails the defaults render.
        format!(
            "warning: {t}/root/files/empty.txt.tera: renders to an empty `empty.txt` with the defaults"
        ),
        format!("warning: {t}/root/files/chart.yaml: holds `{{{{` or `{{%` but is copied as it is"),
        format!(
            "error: {t}/api/files/README.md: renders to `README.md`, which clashes with `README.md` from `{t}/root/files/README.md`"
        ),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(
        stderr(&out).lines().last(),
        Some("5 error(s), 2 warning(s)"),
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

#[test]
fn variables_are_checked_without_rendering_them() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        (
            "scaffold.yaml",
            "name: l\nversion: 1.0.0\nlayers: [root, api]\nvariables:\n  owner: {default: me}\n",
        ),
        ("root/layer.yaml", "name: root\n"),
        (
            "root/files/guarded.txt.tera",
            "top\n{% if owner == \"zz\" %}\n{{ nothere }}\n{% endif %}\n",
        ),
        (
            "root/files/fine.txt.tera",
            "{% for x in layers %}{{ x }}{{ loop.index }}{% endfor %}{% set y = 'api.gone' %}{{ y }}{{ api.port }}\n",
        ),
        ("root/files/{{ api.dir }}/a.txt", "a\n"),
        (
            "api/layer.yaml",
            "name: api\ndestination: api/\nvariables:\n  port: {type: integer, default: 1}\n",
        ),
        ("api/files/x.txt.tera", "{% if false %}{{ api.host }}{% endif %}x\n"),
    ]);
    let out = sandbox.run(&["lint", tpl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let t = tpl.display();
    // The path's `api.dir` also fails the render; the others no variation reaches.
    let text = stdout(&out);
    for expected in [
        format!(
            "error: {t}/root/files/guarded.txt.tera:3: reads `nothere`, which no manifest declares; declare it under `variables:` in scaffold.yaml or a layer.yaml, or fix the name\n"
        ),
        format!(
            "error: {t}/api/files/x.txt.tera:1: reads `api.host`, but the layer `api` has no variable `host`; declare it in {t}/api/layer.yaml, or fix the name\n"
        ),
        format!(
            "error: {t}/root/files/{{{{ api.dir }}}}/a.txt: its path reads `api.dir`, but the layer `api` has no variable `dir`; declare it in {t}/api/layer.yaml, or fix the name\n"
        ),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("fine.txt"), "{text}");
    assert_eq!(
        stderr(&out).lines().last(),
        Some("4 error(s), 0 warning(s)")
    );
}

#[test]
fn manifest_and_syntax_errors_name_file_and_line() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        (
            "scaffold.yaml",
            "name: l\nversion: 1.0.0\nlayers: [root, api]\n",
        ),
        ("root/layer.yaml", "name: root\nrequires:\n  - api\n"),
        ("api/layer.yaml", "name: api\nrequires: [web, root]\n"),
    ]);
    let out = sandbox.run(&["lint", tpl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let t = tpl.display();
    assert_eq!(
        stdout(&out),
        format!(
            "error: {t}/root/layer.yaml:3:5: `requires` forms a cycle: root → api → root; remove one of these requirements\n\
             error: {t}/api/layer.yaml:2:12: requires `web`, which is not a layer of this set; list it in scaffold.yaml `layers` or remove it\n"
        )
    );

    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        (
            "scaffold.yaml",
            "name: l\nversion: 1.0.0\nlayers: [root]\nvariables:\n  owner: {default: me}\n",
        ),
        ("root/layer.yaml", "name: root\n"),
        ("root/files/a.txt.tera", "one\ntwo {{ owner }\n"),
        ("root/files/src/{{ owner | nofilter }}.txt", "x\n"),
    ]);
    let out = sandbox.run(&["lint", tpl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let t = tpl.display();
    let text = stdout(&out);
    for expected in [
        format!(
            "error: {t}/root/files/a.txt.tera: Found `}}` but expected }}}}.\n --> {t}/root/files/a.txt.tera:2:14\n"
        ),
        format!(
            "error: {t}/root/files/src/{{{{ owner | nofilter }}}}.txt: Unknown filter `nofilter`\n --> {t}/root/files/src/{{{{ owner | nofilter }}}}.txt:1:{}\n",
            t.to_string().len() + "/root/files/src/{{ owner | ".len() + 1
        ),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
}
