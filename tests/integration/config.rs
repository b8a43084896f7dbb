//! The user config: named template sources, and `scaffold config`.

use crate::harness::{SMALL_SET, Sandbox, stdout};
use std::fs;

#[test]
fn a_named_template_from_the_config() {
    let sandbox = Sandbox::new();
    sandbox.template(SMALL_SET);
    sandbox.write(
        "home/.config/scaffold/config.yaml",
        "defaults:\n  owner: Ada\ntemplates:\n  small: {path: ~/../tpl}\n  broken: {ref: main}\n",
    );
    sandbox.run_ok(&["new", "demo", "--defaults", "--no-git", "-t", "small"]);
    assert_eq!(
        fs::read_to_string(sandbox.work().join("demo/README.md")).unwrap(),
        "# demo by Ada\n"
    );
    let out = sandbox.run(&["new", "other", "--defaults", "-t", "broken"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        crate::harness::stderr(&out),
        "error: the template `broken` of the user config has neither `url` nor `path`\n\
         hint: give it one in the config's `templates:`, e.g. `broken: {url: https://…, ref: main}` or `broken: {path: ~/templates}`\n"
    );
    // A folder of that name wins over the alias.
    fs::create_dir(sandbox.work().join("small")).unwrap();
    let out = sandbox.run(&["list", "-t", "small"]);
    assert!(
        crate::harness::stderr(&out).contains("scaffold.yaml: not found"),
        "{}",
        crate::harness::stderr(&out)
    );
}

#[test]
fn config_shows_what_is_set_and_where_it_comes_from() {
    let sandbox = Sandbox::new();
    let out = sandbox.run_ok(&["config"]);
    let home = sandbox.home();
    assert_eq!(
        stdout(&out),
        format!(
            "# config file: {0}/.config/scaffold/config.yaml (from $HOME/.config; not there: nothing set)\n\
             # cloned templates: {0}/.cache/scaffold/git (from $HOME/.cache)\n\
             defaults: {{}}\nlayers: null\ntemplates: {{}}\n",
            home.display()
        )
    );
    sandbox.write(
        "xdg/scaffold/config.yaml",
        "layers: [docs]\ntemplates:\n  co: {url: 'https://example.com/t.git', ref: v1}\n",
    );
    let out = sandbox
        .scaffold()
        .env("XDG_CONFIG_HOME", sandbox.root().join("xdg"))
        .arg("config")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "# config file: {}/xdg/scaffold/config.yaml (from $XDG_CONFIG_HOME)\n",
            sandbox.root().display()
        )),
        "{text}"
    );
    assert!(
        text.ends_with(
            "layers:\n- docs\ntemplates:\n  co:\n    url: https://example.com/t.git\n    ref: v1\n"
        ),
        "{text}"
    );
}

#[test]
fn the_layers_of_the_config_are_the_default_selection() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(SMALL_SET);
    let tpl = tpl.to_str().unwrap();
    sandbox.write(
        "home/.config/scaffold/config.yaml",
        "defaults:\n  owner: Ada\nlayers: [root]\n",
    );
    sandbox.run_ok(&["new", "only-root", "--defaults", "--no-git", "-t", tpl]);
    let made = sandbox.work().join("only-root");
    assert!(made.join("README.md").is_file());
    assert!(!made.join("api").exists(), "the config leaves out api");
    let answers = fs::read_to_string(made.join(".scaffold/answers.yaml")).unwrap();
    assert!(answers.contains("layers:\n- root\n"), "{answers}");
    // --layers still wins over the config.
    sandbox.run_ok(&[
        "new",
        "both",
        "--defaults",
        "--no-git",
        "-t",
        tpl,
        "--layers",
        "api",
    ]);
    assert!(sandbox.work().join("both/api/config.toml").is_file());
}
