//! A template set from fuzz input: `scaffold::manifest::parse` must return
//! `Ok` or `Err`, never panic; a set it accepts is then resolved with its
//! defaults and rendered (Tera included), which must not panic either.
//!
//! Input: text split at lines `%%%`: `scaffold.yaml`, `root/layer.yaml`, then
//! pairs of (path in the set, content). Seeds: `fuzz/seeds/manifest/`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scaffold::answers::Environment;
use scaffold::answers::{self, Request};
use scaffold::source::{SetFiles, SourceFile};
use std::borrow::Cow;
use std::sync::Arc;

fn file(text: &str) -> SourceFile {
    SourceFile {
        bytes: Cow::Owned(text.as_bytes().to_vec()),
        mode: 0o644,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut chunks = text.split("\n%%%\n");
    let mut files = SetFiles::new();
    files.insert(
        "scaffold.yaml".into(),
        file(chunks.next().unwrap_or_default()),
    );
    if let Some(layer) = chunks.next() {
        files.insert("root/layer.yaml".into(), file(layer));
    }
    while let (Some(path), Some(content)) = (chunks.next(), chunks.next()) {
        files.insert(path.to_owned(), file(content));
    }
    let Ok(set) = scaffold::manifest::parse(&files, "fuzz") else {
        return;
    };
    // Defaults only: a fixed clock and a fixed "random" source.
    let environment = Environment {
        now: jiff::Timestamp::UNIX_EPOCH,
        random: Arc::new(|n| Ok("x".repeat(n.min(64)))),
    };
    let request = Request {
        layers: None,
        given: Vec::new(),
        environment: &environment,
    };
    if let Ok(answers) = answers::resolve(&set, &request, None) {
        let _ = scaffold::render::render(&set, &answers);
    }
});
