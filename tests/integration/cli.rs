//! The command line itself: help texts, completions, the man page, colour.

use crate::harness::{SMALL_SET, Sandbox, stderr, stdout};

const COMMANDS: &[&str] = &[
    "new",
    "list",
    "check",
    "diff",
    "update",
    "add",
    "lint",
    "config",
    "completions",
    "man",
];

#[test]
fn help_texts() {
    let sandbox = Sandbox::new();
    let top = sandbox.run_ok(&["--help"]);
    insta::assert_snapshot!("help", stdout(&top));
    for command in COMMANDS {
        let help = stdout(&sandbox.run_ok(&[command, "--help"]));
        assert_eq!(
            help,
            stdout(&sandbox.run_ok(&["help", command])),
            "`help {command}` differs from `{command} --help`"
        );
        insta::assert_snapshot!(format!("help_{command}"), help);
    }
}

#[test]
fn completions_and_the_man_page_come_from_the_same_definitions() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout(&sandbox.run_ok(&["completions", shell]));
        for command in COMMANDS {
            assert!(
                script.contains(command),
                "{shell} completions lack `{command}`"
            );
        }
        assert!(
            script.contains("template"),
            "{shell} completions lack flags"
        );
    }
    let man = stdout(&sandbox.run_ok(&["man"]));
    assert!(man.contains(".TH scaffold 1"), "{man}");
    assert!(man.contains("scaffold\\-new(1)"), "{man}");
    // Each command has a page of its own, with its flags.
    let new = stdout(&sandbox.run_ok(&["man", "new"]));
    assert!(new.contains(".TH scaffold-new 1"), "{new}");
    assert!(new.contains("\\-\\-no\\-git"), "{new}");
    let pages = sandbox.work().join("man1");
    std::fs::create_dir(&pages).unwrap();
    sandbox.run_ok(&["man", "--dir", pages.to_str().unwrap()]);
    for command in COMMANDS {
        let page = std::fs::read_to_string(pages.join(format!("scaffold-{command}.1"))).unwrap();
        assert!(page.contains(".SH SYNOPSIS"), "{command}: {page}");
    }
    assert!(pages.join("scaffold.1").is_file());
    let unknown = sandbox.run(&["man", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("there is no command `nope`"));
}

#[test]
fn clap_output_follows_the_colour_settings_too() {
    let sandbox = Sandbox::new();
    let help = |env: &[(&str, &str)], args: &[&str]| {
        let mut command = sandbox.scaffold();
        command.env_remove("NO_COLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        command.args(args).output().unwrap()
    };
    let coloured =
        |out: &std::process::Output| out.stdout.contains(&0x1b) || out.stderr.contains(&0x1b);
    assert!(coloured(&help(&[], &["--color", "always", "--help"])));
    assert!(coloured(&help(&[], &["new", "--help", "--color=always"])));
    assert!(coloured(&help(&[("CLICOLOR_FORCE", "1")], &["--help"])));
    assert!(coloured(&help(
        &[("CLICOLOR_FORCE", "1")],
        &["new", "--bogus"]
    )));
    assert!(!coloured(&help(
        &[("CLICOLOR_FORCE", "1")],
        &["--color", "never", "new", "--bogus"]
    )));
    assert!(!coloured(&help(
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
        &["--help"]
    )));
    assert!(!coloured(&help(&[], &["--help"])), "piped: no colour");
}

#[test]
fn no_progress_bar_without_a_terminal_even_for_thousands_of_files() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(&[
        (
            "scaffold.yaml",
            "name: big\nversion: 1.0.0\nlayers: [root]\n",
        ),
        ("root/layer.yaml", "name: root\n"),
    ]);
    for i in 0..1500 {
        sandbox.write(&format!("tpl/root/files/d{}/f{i}.txt", i % 10), "text\n");
    }
    let out = sandbox
        .scaffold()
        .env_remove("NO_COLOR")
        .args(["new", "demo", "--defaults", "-t", tpl.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(!text.contains(['\r', '\x1b']), "{text:?}");
    assert!(text.contains("1500 files."), "{text}");
}

#[test]
fn the_summary_after_new() {
    let sandbox = Sandbox::new();
    let out = sandbox.run_ok(&["new", "demo", "--defaults"]);
    insta::assert_snapshot!("summary_after_new", stderr(&out));
    let set = sandbox.template(SMALL_SET);
    let out = sandbox.run_ok(&[
        "new",
        "small",
        "--defaults",
        "--no-git",
        "--set",
        "owner=Ada",
        "-t",
        set.to_str().unwrap(),
    ]);
    insta::assert_snapshot!(
        "summary_after_new_small",
        stderr(&out).replace(set.to_str().unwrap(), "<set>")
    );
}

#[test]
fn no_escape_codes_without_a_terminal_unless_asked() {
    let sandbox = Sandbox::new();
    let new = sandbox
        .scaffold()
        .env_remove("NO_COLOR")
        .args(["new", "demo", "--defaults"])
        .output()
        .unwrap();
    std::fs::write(sandbox.work().join("demo/Makefile"), "edited\n").unwrap();
    let check = sandbox
        .scaffold()
        .env_remove("NO_COLOR")
        .args(["check", "demo"])
        .output()
        .unwrap();
    let diff = sandbox
        .scaffold()
        .env_remove("NO_COLOR")
        .args(["diff", "demo"])
        .output()
        .unwrap();
    let error = sandbox
        .scaffold()
        .env_remove("NO_COLOR")
        .args(["check", "nowhere"])
        .output()
        .unwrap();
    for out in [&new, &check, &diff, &error] {
        assert!(
            !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
            "{}{}",
            stdout(out),
            stderr(out)
        );
    }
    let forced = sandbox.run(&["--color", "always", "diff", "demo"]);
    assert!(
        forced.stdout.contains(&0x1b),
        "--color always colours the diff"
    );
    let forced = sandbox
        .scaffold()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["check", "nowhere"])
        .output()
        .unwrap();
    assert!(
        stderr(&forced).starts_with("\x1b["),
        "CLICOLOR_FORCE colours errors: {:?}",
        stderr(&forced)
    );
    let never = sandbox
        .scaffold()
        .env("CLICOLOR_FORCE", "1")
        .args(["--color", "never", "check", "nowhere"])
        .output()
        .unwrap();
    assert!(!never.stderr.contains(&0x1b));
}

#[test]
fn quiet_prints_only_errors_and_verbose_tells_more() {
    let sandbox = Sandbox::new();
    let quiet = sandbox.run_ok(&["new", "a", "--defaults", "-q"]);
    assert_eq!(stderr(&quiet), "");
    let verbose = sandbox.run_ok(&["new", "b", "--defaults", "--verbose", "--no-git"]);
    let text = stderr(&verbose);
    assert!(
        text.contains("  Makefile  (managed, root: <built-in>/root/files/Makefile.tera)"),
        "{text}"
    );
    assert!(
        text.contains("render: ") && text.contains(" ms\n"),
        "{text}"
    );
    assert!(
        text.ends_with("Next steps:\n  cd b\n  make help\n"),
        "{text}"
    );
}
