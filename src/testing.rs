//! Helpers for unit tests: template sets from inline files.

use crate::manifest::{self, TemplateSet};
use crate::source::{SetFiles, SourceFile};
use std::borrow::Cow;

/// The files of a set, from `(path, content)` pairs; paths under `bin/` are executable.
pub fn files(files: &[(&str, &str)]) -> SetFiles {
    files
        .iter()
        .map(|(path, text)| {
            let mode = if path.contains("/bin/") { 0o755 } else { 0o644 };
            (
                path.to_string(),
                SourceFile {
                    bytes: Cow::Owned(text.as_bytes().to_vec()),
                    mode,
                },
            )
        })
        .collect()
}

/// A parsed set from `(path, content)` pairs.
pub fn set(files_: &[(&str, &str)]) -> TemplateSet {
    manifest::parse(&files(files_), "set").unwrap()
}
