//! A real terminal: the prompts, driven through a pseudo-terminal.

use crate::harness::{SMALL_SET, Sandbox};
use expectrl::{Expect, Session};
use std::time::Duration;

#[test]
fn prompts_reask_an_invalid_answer_then_accept_a_valid_one() {
    let sandbox = Sandbox::new();
    let mut files = SMALL_SET.to_vec();
    let manifest = SMALL_SET[0].1.replace(
        "owner: {prompt: Owner}",
        "owner: {prompt: Owner, validate: {regex: '[A-Za-z ]+', message: letters and spaces only}}",
    );
    files[0] = ("scaffold.yaml", &manifest);
    let tpl = sandbox.template(&files);

    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("scaffold"));
    cmd.current_dir(sandbox.work())
        .env("HOME", sandbox.home())
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .args(["new", "demo", "--no-git", "-t", tpl.to_str().unwrap()]);
    let mut session = Session::spawn(cmd).unwrap();
    session.set_expect_timeout(Some(Duration::from_secs(30)));

    session.expect("Layers").unwrap();
    session.send("\r").unwrap(); // keep the preselection: api
    session.expect("Project name").unwrap();
    session.send("\r").unwrap(); // the default: the folder name
    session.expect("Owner").unwrap();
    session.send("42\r").unwrap();
    session.expect("letters and spaces only").unwrap();
    session.expect("Owner").unwrap();
    session.send("Ada\r").unwrap();
    session.expect("license").unwrap();
    session.send("\r").unwrap();
    session.expect("port").unwrap();
    session.send("\r").unwrap();
    session.expect("debug").unwrap();
    session.send("y").unwrap();
    session.expect("extras").unwrap();
    session.send("\r").unwrap();
    session.expect("Created demo").unwrap();

    let readme = std::fs::read_to_string(sandbox.work().join("demo/README.md")).unwrap();
    assert_eq!(readme, "# demo by Ada\n");
    let config = std::fs::read_to_string(sandbox.work().join("demo/api/config.toml")).unwrap();
    assert_eq!(config, "port = 8000\ndebug = true\nextras = x\n");
}

#[test]
fn ctrl_c_at_a_prompt_exits_130_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(SMALL_SET);
    for keys in ["", "\r"] {
        // At the layer list (raw mode: Ctrl-C is a key), then at a text prompt.
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("scaffold"));
        cmd.current_dir(sandbox.work())
            .env("HOME", sandbox.home())
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .args(["new", "demo", "-t", tpl.to_str().unwrap()]);
        let mut session = Session::spawn(cmd).unwrap();
        session.set_expect_timeout(Some(Duration::from_secs(30)));
        session.expect("Layers").unwrap();
        session.send(keys).unwrap();
        if !keys.is_empty() {
            session.expect("Project name").unwrap();
        }
        session.send("\x03").unwrap();
        session.expect("interrupted; nothing was written").unwrap();
        let status = session.get_process_mut().wait().unwrap();
        assert_eq!(
            format!("{status:?}"),
            format!("Exited(Pid({}), 130)", session.get_process().pid())
        );
        assert!(crate::harness::names(&sandbox.work()).is_empty());
    }
}
