//! A sandbox per test: its own HOME (so no user or git config leaks in), a
//! work folder to run in, and helpers to build template sets and read trees.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let sandbox = Sandbox {
            dir: tempfile::tempdir().unwrap(),
        };
        fs::create_dir_all(sandbox.home()).unwrap();
        fs::create_dir_all(sandbox.work()).unwrap();
        sandbox
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    /// The folder scaffold runs in.
    pub fn work(&self) -> PathBuf {
        self.root().join("work")
    }

    /// `scaffold` in `work/`, with an isolated environment and no terminal.
    pub fn scaffold(&self) -> Command {
        let mut cmd = Command::cargo_bin("scaffold").unwrap();
        cmd.current_dir(self.work())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs `scaffold ARGS` in the sandbox.
    pub fn run(&self, args: &[&str]) -> Output {
        self.scaffold().args(args).output().unwrap()
    }

    /// Runs `scaffold ARGS`, which must succeed.
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "scaffold {args:?} failed:\n{}",
            stderr(&out)
        );
        out
    }

    /// Writes `text` at `rel` under the sandbox root, making folders.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    /// A template set at `tpl/` from `(path, content)` pairs.
    pub fn template(&self, files: &[(&str, &str)]) -> PathBuf {
        for (path, text) in files {
            self.write(&format!("tpl/{path}"), text);
        }
        self.root().join("tpl")
    }

    /// A git config with a user, as a developer machine has.
    pub fn git_identity(&self, name: &str, email: &str) {
        self.write(
            "home/.gitconfig",
            &format!("[user]\n\tname = {name}\n\temail = {email}\n"),
        );
    }
}

/// Every file under `dir` except `.git/`: path → (mode, bytes).
pub fn read_tree(dir: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            let mode = e.metadata().unwrap().permissions().mode() & 0o777;
            (rel, (mode, fs::read(e.path()).unwrap()))
        })
        .collect()
}

/// The names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A small valid set: every variable type, a `when` rule, a seed file and an
/// executable file, in two layers.
pub const SMALL_SET: &[(&str, &str)] = &[
    (
        "scaffold.yaml",
        "name: small\nversion: 2.1.0\nlayers: [root, api]\nvariables:\n  project_name: {prompt: Project name, default: Demo}\n  \
         owner: {prompt: Owner}\nnext_steps: 'cd {{ project_dir }}'\n",
    ),
    (
        "root/layer.yaml",
        "name: root\ndescription: the top\nvariables:\n  license: {type: choice, choices: [MIT, none], default: MIT}\n\
         rules:\n  - {glob: LICENSE.tera, when: \"root.license != 'none'\"}\n  - {glob: 'bin/*', mode: '0755'}\n",
    ),
    (
        "root/files/README.md.tera",
        "# {{ project_name }} by {{ owner }}\n",
    ),
    ("root/files/LICENSE.tera", "{{ root.license }}\n"),
    ("root/files/bin/run", "#!/bin/sh\necho run\n"),
    (
        "api/layer.yaml",
        "name: api\ndescription: the API\ndestination: api/\nrequires: [root]\nvariables:\n  port: {type: integer, default: 8000}\n  \
         debug: {type: bool, default: false}\n  extras: {type: multi-choice, choices: [x, y], default: [x]}\n  \
         token: {secret: true, default: 'fixed-secret'}\nrules:\n  - {glob: 'example/**', ownership: seed}\n",
    ),
    (
        "api/files/config.toml.tera",
        "port = {{ api.port }}\ndebug = {{ api.debug }}\nextras = {{ api.extras | join(sep=',') }}\n",
    ),
    (
        "api/files/example/hello.txt.tera",
        "token={{ api.token }}\n",
    ),
];

/// `git add -A && git commit` in the repository at `dir`, as a user would
/// before an update.
pub fn commit_all(dir: &Path, message: &str) {
    let repo = git2::Repository::open(dir).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let signature = git2::Signature::now("Test", "test@example.com").unwrap();
    let parent = repo.head().unwrap().peel_to_commit().unwrap();
    repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &[&parent],
    )
    .unwrap();
}
