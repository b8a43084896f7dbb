//! The built-in template set (`templates/` in this repository), embedded in the
//! binary by `build.rs` so `scaffold` works from any folder with nothing beside it.

use super::{SetFiles, SourceFile};
use crate::tree::Bytes;

/// `(path inside the set, mode, bytes)` for every file under `templates/`.
static FILES: &[(&str, u32, &[u8])] = include!(concat!(env!("OUT_DIR"), "/builtin_templates.rs"));

/// The built-in set's files; the bytes are borrowed from the binary, not copied.
pub fn files() -> SetFiles {
    FILES
        .iter()
        .map(|&(path, mode, bytes)| {
            let file = SourceFile {
                bytes: Bytes::Static(bytes),
                mode,
            };
            (path.to_owned(), file)
        })
        .collect()
}
