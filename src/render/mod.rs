//! The heart of scaffold: template set + answers → [`Tree`]. Pure and
//! deterministic: no I/O, no clock, no randomness; the same inputs give the
//! same tree byte for byte. Every problem is collected and reported at once.

pub mod context;
pub mod engine;
mod path;
mod rules;

use crate::answers::Answers;
use crate::manifest::{Ownership, TemplateFile, TemplateSet, holds_tera};
use crate::tree::{Bytes, Entry, LINK_MODE, RelPath, Tree, link_target};
use engine::Engine;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt;

/// One file that could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The template file (or manifest) at fault, inside the set.
    pub origin: String,
    /// What went wrong; Tera's messages carry line, column and an excerpt.
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
}

/// Everything that went wrong in one render, sorted by file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RenderErrors(pub Vec<RenderError>);

impl fmt::Display for RenderErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [one] => write!(f, "cannot render `{}`: {}", one.origin, one.message),
            many => {
                write!(f, "cannot render {} template files:", many.len())?;
                many.iter()
                    .try_for_each(|e| write!(f, "\n  - `{}`: {}", e.origin, e.message))
            }
        }
    }
}

impl RenderErrors {
    /// What the user can do, each hint once, in the order of the files.
    pub fn hints(&self) -> Vec<String> {
        let mut hints: Vec<String> = Vec::new();
        for hint in self.0.iter().filter_map(|e| e.hint.as_ref()) {
            if !hints.contains(hint) {
                hints.push(hint.clone());
            }
        }
        hints
    }
}

/// What to do about a Tera error, for the mistakes a template author or a
/// user is likely to make.
fn tera_hint(message: &str) -> Option<String> {
    let hint = if message.starts_with("Unknown function `now`") {
        "files render without the clock, so `check` gives the same result later; use a variable whose default is `{{ now() }}` (its answer is recorded)"
    } else if message.starts_with("Unknown function `get_env`") {
        "files cannot read the environment; use a variable instead, and give its value with --set"
    } else if message.starts_with("Unknown function `get_random`")
        || message.starts_with("Unknown function `random_token`")
    {
        "files render without randomness; use a variable whose default is `{{ random_token() }}`"
    } else if message.starts_with("Unknown template") {
        "`include` takes another `.tera` file of the set by its path inside the set (e.g. `root/files/header.tera`), not a path on disk"
    } else if message.contains("` is not defined") {
        "`scaffold list` shows the variables; a layer's variable is `layer.name` (e.g. `backend.port`)"
    } else {
        return None;
    };
    Some(hint.to_owned())
}

/// `text` as it can be shown on a terminal: control characters (a NUL from
/// an answer) escaped as `\0`, `\n`, …, everything else as it is.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// What to do about a path that renders out of the project: change the
/// answers used in it, or the name written in the template set.
fn path_hint(from_answers: bool) -> String {
    if from_answers {
        "change the answers used in the path (with --set or --answers) so each part is a plain name, or rename the template file".into()
    } else {
        "rename the file in the template set".into()
    }
}

/// The template suffix: such files are rendered (and lose it); all others are copied.
pub const TEMPLATE_SUFFIX: &str = ".tera";

/// A post-generate hook, rendered: `command` runs with `sh -c` in `dir`, the
/// layer's destination (relative to the project's top).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// The layer that declares it.
    pub layer: String,
    /// Where it runs, relative to the project's top (`""` for the top).
    pub dir: String,
    /// The shell command.
    pub command: String,
}

/// The `post_generate` hooks of the selected layers, in layer order, rendered
/// with the answers (secrets excluded, as hooks are printed).
pub fn hooks(set: &TemplateSet, answers: &Answers) -> Result<Vec<Hook>, RenderErrors> {
    let engine = Engine::pure();
    let context = context::build(answers, false);
    let mut hooks = Vec::new();
    let mut errors = Vec::new();
    for layer in answers.layers.iter().filter_map(|name| set.layer(name)) {
        let dir = match path::render(&layer.destination, &mut |s| engine.render_str(s, &context)) {
            Ok(Some(dir)) => dir,
            Ok(None) => continue,
            Err(message) => {
                errors.push(RenderError {
                    origin: layer.manifest.clone(),
                    message: format!("destination: {message}"),
                    hint: Some(path_hint(true)),
                });
                continue;
            }
        };
        for command in &layer.post_generate {
            match engine.render_str(command, &context) {
                Ok(command) => hooks.push(Hook {
                    layer: layer.name.clone(),
                    dir: dir.clone(),
                    command,
                }),
                Err(message) => errors.push(RenderError {
                    origin: layer.manifest.clone(),
                    hint: tera_hint(&message),
                    message: format!("hook `{command}`: {message}"),
                }),
            }
        }
    }
    if errors.is_empty() {
        Ok(hooks)
    } else {
        Err(RenderErrors(errors))
    }
}

/// One file to write, planned before any content is rendered.
struct Job<'a> {
    file: &'a TemplateFile,
    layer: &'a str,
    path: RelPath,
    mode: u32,
    ownership: Ownership,
}

/// Whether a template includes, extends or imports another, so every template
/// must be loaded by name before rendering.
fn refers_to_templates(text: &str) -> bool {
    text.contains("{%")
        && ["include", "extends", "import"].iter().any(|tag| {
            text.contains(&format!("{{% {tag}")) || text.contains(&format!("{{%- {tag}"))
        })
}

/// Renders the selected layers of `set` with `answers`. Paths and conditions
/// first, in order; then the files' contents in parallel; then the tree, in
/// order again, so the result does not depend on scheduling.
pub fn render(set: &TemplateSet, answers: &Answers) -> Result<Tree, RenderErrors> {
    let layers: Vec<_> = answers
        .layers
        .iter()
        .filter_map(|name| set.layer(name))
        .collect();
    let mut errors = Vec::new();
    let mut fail = |origin: &str, message: String, hint: Option<String>| {
        errors.push(RenderError {
            origin: origin.to_owned(),
            message,
            hint,
        });
    };

    let mut engine = Engine::pure();
    let templates: Vec<&TemplateFile> = layers
        .iter()
        .flat_map(|l| &l.files)
        .filter(|f| f.path.ends_with(TEMPLATE_SUFFIX))
        .collect();
    for file in &templates {
        if std::str::from_utf8(&file.bytes).is_err() {
            fail(
                &file.origin,
                "a `.tera` file must be UTF-8 text".into(),
                Some(
                    "save it as UTF-8, or drop the `.tera` suffix to copy it byte for byte".into(),
                ),
            );
        }
    }
    // When templates use each other, all are loaded by name (each parsed once).
    // Otherwise each is parsed as it is rendered and then dropped, so memory
    // follows the output rather than the whole set.
    let texts = || {
        templates
            .iter()
            .filter_map(|f| Some((f.name.as_str(), std::str::from_utf8(&f.bytes).ok()?)))
    };
    // Loaded templates go by their name in the set (so `{% include %}` works
    // wherever the set is); messages show where the file is.
    let shown = |message: String| {
        templates.iter().fold(message, |m, f| {
            m.replace(&format!("--> {}:", f.name), &format!("--> {}:", f.origin))
        })
    };
    let shared = texts().any(|(_, text)| refers_to_templates(text));
    if shared && engine.tera.add_raw_templates(texts()).is_err() {
        // Add them one by one to report every broken template, not just the first.
        for file in &templates {
            let Ok(text) = std::str::from_utf8(&file.bytes) else {
                continue;
            };
            if let Err(e) = engine.tera.add_raw_template(&file.name, text) {
                let message = engine::describe(&e);
                fail(&file.origin, shown(message.clone()), tera_hint(&message));
            }
        }
    }

    let public = context::build(answers, false);
    let with_secrets = context::build(answers, true);
    // Secrets are for seed files only: those are never re-rendered by check or update.
    let context_for = |ownership| {
        if ownership == Ownership::Seed {
            &with_secrets
        } else {
            &public
        }
    };
    let mut segments: HashMap<(String, bool), Result<String, String>> = HashMap::new();
    let mut jobs = Vec::new();
    for layer in &layers {
        let manifest = &layer.manifest;
        let mut render_segment = |text: &str, seed: bool| {
            let key = (text.to_owned(), seed);
            let context = if seed { &with_secrets } else { &public };
            segments
                .entry(key)
                .or_insert_with(|| engine.render_str(text, context))
                .clone()
        };
        let destination = match path::render(&layer.destination, &mut |s| render_segment(s, false))
        {
            Ok(Some(d)) => d,
            // Like a file's path, a destination that renders empty drops the layer.
            Ok(None) => continue,
            Err(message) => {
                fail(
                    manifest,
                    format!("destination: {message}"),
                    Some(path_hint(true)),
                );
                continue;
            }
        };
        for file in &layer.files {
            let applied = rules::apply(&layer.rules, &file.path);
            let ownership = applied.ownership.unwrap_or_default();
            let context = context_for(ownership);
            let mut keep = true;
            for when in &applied.when {
                match engine.is_true(when, context) {
                    Ok(holds) => keep &= holds,
                    Err(message) => fail(
                        manifest,
                        format!("rule condition `{when}`: {message}"),
                        tera_hint(&message),
                    ),
                }
            }
            if !keep {
                continue;
            }
            let written = file
                .path
                .strip_suffix(TEMPLATE_SUFFIX)
                .unwrap_or(&file.path);
            let seed = ownership == Ownership::Seed;
            let rendered = match path::render(written, &mut |s| render_segment(s, seed)) {
                Ok(Some(p)) => p,
                Ok(None) => continue,
                Err(message) => {
                    // Tera calls a segment `(expression)`: render the file's
                    // whole path again, named as itself, so the column is the path's.
                    let whole = file.origin.strip_suffix(TEMPLATE_SUFFIX);
                    let whole = whole.unwrap_or(&file.origin);
                    let folder = whole.strip_suffix(written).unwrap_or(whole);
                    let text = if holds_tera(folder) { written } else { whole };
                    let located = engine.render_named(&file.origin, text, context);
                    fail(
                        &file.origin,
                        located.err().unwrap_or(message),
                        Some(path_hint(true)),
                    );
                    continue;
                }
            };
            let full = if destination.is_empty() {
                rendered
            } else {
                format!("{destination}/{rendered}")
            };
            let link = file.mode == LINK_MODE;
            match RelPath::new(&full) {
                Ok(path) if link => {
                    let target = String::from_utf8_lossy(&file.bytes);
                    match link_target(&path, &target) {
                        Ok(_) => jobs.push(Job {
                            file,
                            layer: &layer.name,
                            path,
                            mode: LINK_MODE, // a rule's mode would make it a file
                            ownership,
                        }),
                        Err(why) => fail(
                            &file.origin,
                            format!(
                                "it is a symbolic link to `{}`, which is refused: {why}",
                                visible(&target)
                            ),
                            Some("a link in a template set must stay inside the project: make its target relative and below the project's top, or replace the link with a copy of the file".into()),
                        ),
                    }
                }
                Ok(path) => jobs.push(Job {
                    file,
                    layer: &layer.name,
                    path,
                    mode: applied.mode.unwrap_or(file.mode),
                    ownership,
                }),
                Err(why) => fail(
                    &file.origin,
                    format!(
                        "renders to the path `{}`, which is refused: {why}",
                        visible(&full)
                    ),
                    Some(path_hint(
                        crate::manifest::holds_tera(written)
                            || crate::manifest::holds_tera(&layer.destination),
                    )),
                ),
            }
        }
    }

    let contents: Vec<Result<Bytes, Option<String>>> = jobs
        .par_iter()
        .map(|job| {
            let file = job.file;
            // A link's bytes are its target: copied, never rendered. Shared,
            // not copied: a big file stays in memory once.
            if !file.path.ends_with(TEMPLATE_SUFFIX) || job.mode == LINK_MODE {
                return Ok(file.bytes.clone());
            }
            // Not UTF-8, or a syntax error when shared: already reported.
            let text = std::str::from_utf8(&file.bytes).map_err(|_| None)?;
            let context = context_for(job.ownership);
            let rendered = if shared {
                if !engine.tera.get_template_names().any(|n| n == file.name) {
                    return Err(None);
                }
                engine
                    .tera
                    .render(&file.name, context)
                    .map_err(|e| shown(engine::describe(&e)))
            } else {
                engine.render_named(&file.origin, text, context)
            };
            rendered.map(Bytes::from).map_err(Some)
        })
        .collect();

    let mut tree = Tree::default();
    for (job, content) in jobs.into_iter().zip(contents) {
        let bytes = match content {
            Ok(bytes) => bytes,
            Err(Some(message)) => {
                let hint = tera_hint(&message);
                fail(&job.file.origin, message, hint);
                continue;
            }
            Err(None) => continue,
        };
        let entry = Entry {
            bytes,
            mode: job.mode,
            ownership: job.ownership,
            origin: job.file.origin.clone(),
            layer: job.layer.to_owned(),
        };
        if let Err((other, existing)) = tree.insert(job.path.clone(), entry) {
            fail(
                &job.file.origin,
                format!(
                    "renders to `{}`, which clashes with `{other}` from `{}`",
                    job.path, existing.origin
                ),
                Some("rename or remove one of the two files, or give one a `when` rule in its layer.yaml so they are never rendered together".into()),
            );
        }
    }
    if errors.is_empty() {
        Ok(tree)
    } else {
        errors.sort_by(|a, b| a.origin.cmp(&b.origin));
        Err(RenderErrors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::parse;
    use crate::source::SourceFile;
    use crate::testing::{answers, files, set};

    const SET: &str =
        "name: s\nversion: 1.0.0\nlayers: [root, backend]\nvariables:\n  name: {default: demo}\n";
    const ROOT: &str = "name: root\nvariables:\n  ci: {type: bool, default: true}\nrules:\n  - {glob: ci.yml, when: root.ci}\n  - {glob: 'bin/*', mode: '0700'}\n  - {glob: seed.txt.tera, ownership: seed}\n";
    const BACKEND: &str = "name: backend\ndestination: backend/\nvariables:\n  pkg: {default: '{{ name }}'}\n  tests: {type: bool, default: true}\n  key: {secret: true, default: k}\n";

    fn tree_of(extra: &[(&str, &str)], pairs: &[(&str, &str)]) -> Result<Tree, RenderErrors> {
        let mut all = vec![
            ("scaffold.yaml", SET),
            ("root/layer.yaml", ROOT),
            ("backend/layer.yaml", BACKEND),
        ];
        all.extend_from_slice(extra);
        let set = set(&all);
        render(&set, &answers(&set, pairs))
    }

    fn text(tree: &Tree, path: &str) -> String {
        String::from_utf8(
            tree.get(path)
                .unwrap_or_else(|| panic!("no {path}"))
                .bytes
                .to_vec(),
        )
        .unwrap()
    }

    fn paths(tree: &Tree) -> Vec<&str> {
        tree.iter().map(|(p, _)| p.as_str()).collect()
    }

    #[test]
    fn paths_are_shown_as_written_with_control_characters_escaped() {
        assert_eq!(visible("..\\..\\x/f.txt"), "..\\..\\x/f.txt");
        assert_eq!(visible("a\0b/f.txt"), "a\\0b/f.txt");
        assert_eq!(visible("tab\there"), "tab\\there");
    }

    #[test]
    fn tera_files_are_rendered_and_others_copied_as_they_are() {
        let tree = tree_of(
            &[
                (
                    "root/files/README.md.tera",
                    "# {{ name }} ({{ layers | join(sep=',') }}) {{ backend.pkg }}\n",
                ),
                ("root/files/chart.yaml", "name: {{ .Values.name }}\n"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(text(&tree, "README.md"), "# demo (root,backend) demo\n");
        assert_eq!(text(&tree, "chart.yaml"), "name: {{ .Values.name }}\n");
    }

    #[test]
    fn binary_files_are_copied_byte_for_byte() {
        let mut all = files(&[
            ("scaffold.yaml", SET),
            ("root/layer.yaml", "name: root\n"),
            ("backend/layer.yaml", "name: backend\n"),
        ]);
        let bytes = vec![0u8, 0xff, 0xfe, b'{', b'{', 0x80];
        all.insert(
            "root/files/logo.png".into(),
            SourceFile {
                bytes: bytes.clone().into(),
                mode: 0o644,
            },
        );
        let set = parse(all, "set").unwrap();
        let tree = render(&set, &answers(&set, &[])).unwrap();
        assert_eq!(tree.get("logo.png").unwrap().bytes, bytes);
    }

    #[test]
    fn paths_render_and_empty_segments_or_false_conditions_drop_files() {
        let tree = tree_of(
            &[
                ("backend/files/{{ backend.pkg }}/app.py", ""),
                (
                    "backend/files/{% if backend.tests %}tests{% endif %}/test_app.py",
                    "",
                ),
                ("root/files/ci.yml", ""),
            ],
            &[
                ("backend.tests", "false"),
                ("root.ci", "false"),
                ("name", "shop"),
            ],
        )
        .unwrap();
        assert_eq!(paths(&tree), ["backend/shop/app.py"]);
        let tree = tree_of(
            &[
                (
                    "backend/files/{% if backend.tests %}tests{% endif %}/test_app.py",
                    "",
                ),
                ("root/files/ci.yml", ""),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(paths(&tree), ["backend/tests/test_app.py", "ci.yml"]);
    }

    #[test]
    fn modes_come_from_the_template_file_or_a_rule() {
        let tree = tree_of(
            &[
                ("backend/files/bin/run", "#!/bin/sh\n"),
                ("root/files/bin/tool", ""),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(tree.get("backend/bin/run").unwrap().mode, 0o755);
        assert_eq!(tree.get("bin/tool").unwrap().mode, 0o700);
    }

    #[test]
    fn secrets_reach_seed_files_only() {
        let tree = tree_of(&[("root/files/seed.txt.tera", "{{ backend.key }}")], &[]).unwrap();
        assert_eq!(text(&tree, "seed.txt"), "k");
        assert_eq!(tree.get("seed.txt").unwrap().ownership, Ownership::Seed);
        let error =
            tree_of(&[("root/files/managed.txt.tera", "{{ backend.key }}")], &[]).unwrap_err();
        assert!(
            error.to_string().contains("Field `key` is not defined"),
            "{error}"
        );
    }

    #[test]
    fn a_template_error_names_the_file_and_line() {
        let error = tree_of(&[("root/files/a.txt.tera", "ok\n{{ nope }}\n")], &[]).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with(
                "cannot render `set/root/files/a.txt.tera`: Variable `nope` is not defined"
            ),
            "{message}"
        );
        assert!(
            message.contains("set/root/files/a.txt.tera:2:"),
            "{message}"
        );
    }

    #[test]
    fn every_broken_template_is_reported() {
        let error = tree_of(
            &[
                ("root/files/a.tera", "{{ x | nofilter }}"),
                ("root/files/b.tera", "{% if %}"),
                ("root/files/c.tera", "{{ y }}"),
            ],
            &[],
        )
        .unwrap_err();
        let origins: Vec<_> = error.0.iter().map(|e| e.origin.as_str()).collect();
        assert_eq!(
            origins,
            [
                "set/root/files/a.tera",
                "set/root/files/b.tera",
                "set/root/files/c.tera"
            ]
        );
        assert!(
            error.0[0].message.contains("Unknown filter `nofilter`"),
            "{}",
            error.0[0].message
        );
    }

    #[test]
    fn paths_that_would_leave_the_project_are_refused_naming_the_template() {
        for (template, why) in [
            ("root/files/{{ name }}/x", "which contains `/`"),
            (
                "root/files/{{ name }}",
                "it has a `..`, `.` or empty segment",
            ),
        ] {
            let error = tree_of(
                &[(template, "")],
                &[("name", if why.contains('/') { "../../etc" } else { ".." })],
            )
            .unwrap_err();
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("cannot render `set/{template}`")),
                "{message}"
            );
            assert!(message.contains(why), "{message}");
        }
        let error = tree_of(&[("root/files/.git/hooks/post-checkout", "")], &[]).unwrap_err();
        assert!(
            error.to_string().contains("it writes into a `.git` folder"),
            "{error}"
        );
    }

    #[test]
    fn two_layers_writing_one_path_is_an_error_naming_both() {
        let backend = "name: backend\n";
        let set = set(&[
            ("scaffold.yaml", SET),
            ("root/layer.yaml", "name: root\n"),
            ("backend/layer.yaml", backend),
            ("root/files/README.md", "a"),
            ("backend/files/README.md.tera", "b"),
        ]);
        let error = render(&set, &answers(&set, &[])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot render `set/backend/files/README.md.tera`: renders to `README.md`, which clashes with `README.md` from `set/root/files/README.md`"
        );
    }

    /// The built-in set's tree, one line per file: a change to the templates
    /// shows here for review (`INSTA_UPDATE=always cargo test` accepts it).
    #[test]
    fn the_built_in_set_renders_as_recorded() {
        let built_in = parse(crate::source::builtin::files(), "<built-in>").unwrap();
        let tree = render(&built_in, &answers(&built_in, &[])).unwrap();
        let listing: String = tree
            .iter()
            .map(|(path, e)| {
                let blob = crate::tree::blob_id(&e.bytes);
                format!(
                    "{:04o} {:<8} {} {path}\n",
                    e.mode,
                    e.ownership.name(),
                    &blob[..12]
                )
            })
            .collect();
        insta::assert_snapshot!(listing);
    }

    #[test]
    fn templates_can_include_each_other_by_their_name_in_the_set() {
        let tree = tree_of(
            &[
                (
                    "root/files/a.txt.tera",
                    "[{% include \"root/files/_part.tera\" %}]",
                ),
                ("root/files/_part.tera", "{{ name }}"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(text(&tree, "a.txt"), "[demo]");
        let error = tree_of(
            &[
                (
                    "root/files/a.txt.tera",
                    "{% include \"root/files/_part.tera\" %}",
                ),
                ("root/files/_part.tera", "\n{{ nope }}"),
            ],
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("--> set/root/files/_part.tera:2:"),
            "{error}"
        );
    }

    #[test]
    fn a_destination_that_renders_empty_drops_the_layer() {
        let set = set(&[
            (
                "scaffold.yaml",
                "name: s\nversion: 1.0.0\nlayers: [root, extra]\nvariables:\n  sub: {default: ''}\n",
            ),
            ("root/layer.yaml", "name: root\n"),
            ("root/files/kept", ""),
            (
                "extra/layer.yaml",
                "name: extra\ndestination: '{{ sub }}'\n",
            ),
            ("extra/files/Makefile", ""),
        ]);
        assert_eq!(paths(&render(&set, &answers(&set, &[])).unwrap()), ["kept"]);
        assert_eq!(
            paths(&render(&set, &answers(&set, &[("sub", "x")])).unwrap()),
            ["kept", "x/Makefile"]
        );
    }
}
