//! The heart of scaffold: template set + answers → [`Tree`]. Pure and
//! deterministic: no I/O, no clock, no randomness; the same inputs give the
//! same tree byte for byte. Every problem is collected and reported at once.

pub mod context;
pub mod engine;
mod path;
mod rules;

use crate::answers::Answers;
use crate::manifest::{Ownership, TemplateSet};
use crate::tree::{Entry, RelPath, Tree};
use engine::Engine;
use std::fmt;

/// One file that could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The template file (or manifest) at fault, inside the set.
    pub origin: String,
    /// What went wrong; Tera's messages carry line, column and an excerpt.
    pub message: String,
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

/// The template suffix: such files are rendered (and lose it); all others are copied.
pub const TEMPLATE_SUFFIX: &str = ".tera";

/// Renders the selected layers of `set` with `answers`.
pub fn render(set: &TemplateSet, answers: &Answers) -> Result<Tree, RenderErrors> {
    let layers: Vec<_> = answers
        .layers
        .iter()
        .filter_map(|name| set.layer(name))
        .collect();
    let mut errors = Vec::new();
    let mut fail = |origin: &str, message: String| {
        errors.push(RenderError {
            origin: origin.to_owned(),
            message,
        });
    };

    // Parse every template once, named by its path in the set so errors name it.
    let mut engine = Engine::pure();
    let mut templates = Vec::new();
    for file in layers.iter().flat_map(|l| &l.files) {
        if file.path.ends_with(TEMPLATE_SUFFIX) {
            match std::str::from_utf8(&file.bytes) {
                Ok(text) => templates.push((file.origin.as_str(), text)),
                Err(_) => fail(
                    &file.origin,
                    "a `.tera` file must be UTF-8 text; drop the suffix to copy it as bytes".into(),
                ),
            }
        }
    }
    if engine
        .tera
        .add_raw_templates(templates.iter().copied())
        .is_err()
    {
        // Add them one by one to report every broken template, not just the first.
        for (name, text) in &templates {
            if let Err(e) = engine.tera.add_raw_template(name, text) {
                fail(name, engine::describe(&e));
            }
        }
    }

    let public = context::build(answers, false);
    let with_secrets = context::build(answers, true);
    let mut tree = Tree::default();
    for layer in &layers {
        let manifest = format!("{}/layer.yaml", layer.name);
        let destination = match path::render(&layer.destination, &engine, &public) {
            Ok(Some(d)) => d,
            Ok(None) => String::new(),
            Err(message) => {
                fail(&manifest, format!("destination: {message}"));
                continue;
            }
        };
        for file in &layer.files {
            let applied = rules::apply(&layer.rules, &file.path);
            let ownership = applied.ownership.unwrap_or_default();
            // Secrets are for seed files only: those are never re-rendered by check or update.
            let context = if ownership == Ownership::Seed {
                &with_secrets
            } else {
                &public
            };
            let mut keep = true;
            for when in &applied.when {
                match engine.is_true(when, context) {
                    Ok(holds) => keep &= holds,
                    Err(message) => fail(&manifest, format!("rule condition `{when}`: {message}")),
                }
            }
            if !keep {
                continue;
            }
            let is_template = file.path.ends_with(TEMPLATE_SUFFIX);
            let written = file
                .path
                .strip_suffix(TEMPLATE_SUFFIX)
                .unwrap_or(&file.path);
            let rendered = match path::render(written, &engine, context) {
                Ok(Some(p)) => p,
                Ok(None) => continue,
                Err(message) => {
                    fail(&file.origin, message);
                    continue;
                }
            };
            let full = if destination.is_empty() {
                rendered
            } else {
                format!("{destination}/{rendered}")
            };
            let path = match RelPath::new(&full) {
                Ok(p) => p,
                Err(why) => {
                    fail(
                        &file.origin,
                        format!(
                            "renders to the path `{}`, which is refused: {why}",
                            full.escape_debug()
                        ),
                    );
                    continue;
                }
            };
            let bytes = if is_template {
                match engine.tera.render(&file.origin, context) {
                    Ok(text) => text.into_bytes(),
                    Err(e) => {
                        if engine.tera.get_template_names().any(|n| n == file.origin) {
                            fail(&file.origin, engine::describe(&e));
                        }
                        continue;
                    }
                }
            } else {
                file.bytes.to_vec()
            };
            let entry = Entry {
                bytes,
                mode: applied.mode.unwrap_or(file.mode),
                ownership,
                origin: file.origin.clone(),
            };
            if let Err((other, existing)) = tree.insert(path.clone(), entry) {
                fail(
                    &file.origin,
                    format!(
                        "renders to `{path}`, which clashes with `{other}` from `{}`",
                        existing.origin
                    ),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(tree)
    } else {
        errors.sort_by(|a, b| a.origin.cmp(&b.origin));
        Err(RenderErrors(errors))
    }
}
