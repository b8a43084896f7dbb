//! Path rendering, end to end: a template set whose one file has a fuzzed,
//! Tera-templated path and whose one link has a fuzzed target, rendered with
//! a fuzzed answer. Rendering may refuse (an error naming the file), never
//! panic; and every path it returns stays inside the project when joined to
//! it, and every link points inside it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scaffold::answers::{Environment, Given, Origin, Request, resolve};
use scaffold::source::{SetFiles, SourceFile};
use scaffold::tree::{LINK_MODE, link_target};
use scaffold::value::Value;
use std::borrow::Cow;
use std::path::{Component, Path};

fn file(bytes: &[u8], mode: u32) -> SourceFile {
    SourceFile {
        bytes: Cow::Owned(bytes.to_vec()),
        mode,
    }
}

/// Every component of `path` joined to a project is a plain name.
fn inside(path: &str) {
    let joined = Path::new("/project").join(path);
    let rest = joined.strip_prefix("/project").expect("stays under the project");
    for component in rest.components() {
        match component {
            Component::Normal(name) => assert!(name != ".git"),
            other => panic!("{path:?} has the component {other:?}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // "path template \n answer \n link name \n link target"
    let mut parts = text.splitn(4, '\n');
    let (Some(path), Some(answer), Some(link), Some(target)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return;
    };
    let mut files = SetFiles::new();
    files.insert(
        "scaffold.yaml".into(),
        file(b"name: fuzz\nversion: 1.0.0\nlayers: [root]\nvariables:\n  dir: {default: x}\n", 0o644),
    );
    files.insert("root/layer.yaml".into(), file(b"name: root\ndestination: app/\n", 0o644));
    files.insert(format!("root/files/{path}"), file(b"content\n", 0o644));
    files.insert(format!("root/files/{link}"), file(target.as_bytes(), LINK_MODE));
    let Ok(set) = scaffold::manifest::parse(files, "set") else {
        return;
    };
    let environment = Environment {
        now: "2026-11-30T12:00:00Z".parse().unwrap(),
        random: std::sync::Arc::new(|n| Ok("r".repeat(n))),
    };
    let request = Request {
        layers: None,
        given: vec![Given {
            origin: Origin::Set,
            values: [("dir".to_owned(), Value::Str(answer.to_owned()))].into(),
        }],
        environment: &environment,
    };
    let Ok(answers) = resolve(&set, &request, None) else {
        return;
    };
    let Ok(tree) = scaffold::render::render(&set, &answers) else {
        return;
    };
    for (path, entry) in tree.iter() {
        inside(path.as_str());
        if entry.mode == LINK_MODE {
            let target = std::str::from_utf8(&entry.bytes).unwrap();
            let points_at = link_target(path, target).expect("a rendered link was checked");
            inside(points_at.as_str());
        }
    }
});
