//! The command line itself: help texts, completions, the man page, colour.

use crate::harness::{Sandbox, stderr, stdout};

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
    assert!(man.contains("check"));
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
