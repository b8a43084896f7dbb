//! Embeds the built-in template set (`templates/`) into the binary.
//!
//! `include_dir`-style crates drop file modes, and the built-in set ships
//! executable files, so this walks `templates/` itself and writes a table of
//! `(path, mode, include_bytes!(..))` for `source::builtin` to include.

use std::fmt::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::{env, fs};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    println!("cargo:rerun-if-changed=templates");
    // `scaffold --version` names the built-in set: its `name` and `version`.
    let manifest = fs::read_to_string(root.join("scaffold.yaml")).unwrap();
    let field = |key: &str| {
        manifest
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    println!(
        "cargo:rustc-env=SCAFFOLD_BUILTIN_SET={} {}",
        field("name:"),
        field("version:")
    );
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();

    let mut table = String::from("&[\n");
    for (rel, abs, mode) in &files {
        writeln!(table, "    ({rel:?}, 0o{mode:o}, include_bytes!({abs:?})),").unwrap();
    }
    table.push_str("]\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_templates.rs");
    fs::write(out, table).unwrap();
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String, u32)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let meta = fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            collect(root, &path, files);
        } else if meta.is_file() {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            let mode = if meta.permissions().mode() & 0o111 != 0 {
                0o755
            } else {
                0o644
            };
            files.push((rel, path.to_str().unwrap().to_owned(), mode));
        } else {
            panic!(
                "templates/ may hold only files and folders: {}",
                path.display()
            );
        }
    }
}
