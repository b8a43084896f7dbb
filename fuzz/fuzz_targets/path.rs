//! `scaffold::tree::RelPath::new`, the one gate every rendered path passes:
//! what it accepts must stay inside the project when joined to it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scaffold::tree::RelPath;
use std::path::{Component, Path};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(path) = RelPath::new(text) else {
        return;
    };
    let path = path.as_str();
    assert_eq!(path, text);
    assert!(!path.contains('\0') && !path.contains('\\'));
    assert!(path != ".scaffold" && !path.starts_with(".scaffold/"));
    // Joined to a project, every component is a plain name: no root, no `..`.
    let joined = Path::new("/project").join(path);
    let rest = joined
        .strip_prefix("/project")
        .expect("stays under the project");
    for component in rest.components() {
        match component {
            Component::Normal(name) => assert!(name != ".git"),
            other => panic!("{text:?} has the component {other:?}"),
        }
    }
    assert_eq!(rest.components().count(), path.split('/').count());
});
