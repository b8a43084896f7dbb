//! Helpers for unit tests: template sets from inline files.

use crate::manifest::{self, TemplateSet};
use crate::source::{SetFiles, SourceFile};

/// The files of a set, from `(path, content)` pairs; paths under `bin/` are executable.
pub fn files(files: &[(&str, &str)]) -> SetFiles {
    files
        .iter()
        .map(|(path, text)| {
            let mode = if path.contains("/bin/") { 0o755 } else { 0o644 };
            (
                path.to_string(),
                SourceFile {
                    bytes: text.as_bytes().to_vec().into(),
                    mode,
                },
            )
        })
        .collect()
}

/// A parsed set from `(path, content)` pairs.
pub fn set(files_: &[(&str, &str)]) -> TemplateSet {
    manifest::parse(files(files_), "set").unwrap()
}

/// A fixed clock and entropy, so tests are repeatable.
pub fn environment() -> crate::answers::Environment {
    crate::answers::Environment {
        now: "2026-11-30T12:00:00Z".parse().unwrap(),
        random: std::sync::Arc::new(|n| Ok("r".repeat(n))),
    }
}

/// Answers resolved without prompting, from `--set`-style pairs and all layers.
pub fn answers(set: &TemplateSet, pairs: &[(&str, &str)]) -> crate::answers::Answers {
    use crate::answers::{Given, Origin, Request, resolve};
    let environment = environment();
    let given = vec![Given {
        origin: Origin::Set,
        values: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), crate::value::Value::Str(v.to_string())))
            .collect(),
    }];
    resolve(
        set,
        &Request {
            layers: None,
            given,
            environment: &environment,
        },
        None,
    )
    .unwrap()
}

/// Files on disk, from `(path, content)` pairs, mode 0644.
pub fn disk(
    files: &[(&str, &str)],
) -> std::collections::BTreeMap<String, crate::compare::DiskFile> {
    files
        .iter()
        .map(|(path, text)| {
            let file = crate::compare::DiskFile {
                bytes: text.as_bytes().to_vec(),
                mode: 0o644,
            };
            (path.to_string(), file)
        })
        .collect()
}
