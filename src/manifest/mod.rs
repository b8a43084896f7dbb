//! The template set as data: `scaffold.yaml` plus one `layer.yaml` and `files/`
//! per layer, parsed and checked by [`parse`]. Pure: no I/O.

mod parse;
mod version;

pub use parse::{ManifestError, Problem, parse};
pub use version::{Version, tag_version};

use crate::tree::Bytes;
use crate::value::Value;
use globset::GlobMatcher;
use regex::Regex;
use serde::{Deserialize, Serialize};

/// The name of the layer that is always selected.
pub const ROOT_LAYER: &str = "root";

/// Whether `text` holds Tera (an expression, a statement or a comment), so a
/// default or a path segment must be rendered rather than taken as it is.
pub fn holds_tera(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("{#")
}

/// A parsed, checked template set.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    /// The set's name, e.g. `seed-stack`.
    pub name: String,
    /// Its `scaffold.yaml` as messages show it.
    pub manifest: String,
    /// The set's own version, recorded in every project made from it.
    pub version: String,
    /// One line about the set.
    pub description: String,
    /// The oldest scaffold that can render this set.
    pub min_scaffold_version: Option<Version>,
    /// Shared variables: top-level in the template context, asked first.
    pub variables: Vec<Variable>,
    /// Layers in the order of `scaffold.yaml`'s `layers`: the order of prompting and rendering.
    pub layers: Vec<Layer>,
    /// A Tera template shown after `new`, e.g. `cd {{ project_slug }} && make up`.
    pub next_steps: Option<String>,
}

impl TemplateSet {
    /// The layer called `name`.
    pub fn layer(&self, name: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.name == name)
    }
}

/// One layer: a manifest and the files it renders.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The layer's name, equal to its folder's.
    pub name: String,
    /// One line about the layer.
    pub description: String,
    /// Its `layer.yaml` as messages show it (`<set>/backend/layer.yaml`).
    pub manifest: String,
    /// Where its files go in the project, `/`-separated, `""` for the top; may hold Tera.
    pub destination: String,
    /// Layers this one needs; selecting it selects them.
    pub requires: Vec<String>,
    /// The layer's own variables, under its name in the template context.
    pub variables: Vec<Variable>,
    /// Per-glob rules, in the order written.
    pub rules: Vec<Rule>,
    /// The files under the layer's `files/`, sorted by path.
    pub files: Vec<TemplateFile>,
    /// Shell commands (Tera templates) run in the layer's destination after
    /// `new` has written the project, before it is moved into place.
    pub post_generate: Vec<String>,
}

/// One file under a layer's `files/`.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Its path under `files/`, as written (`.tera` included); rules match this.
    pub path: String,
    /// Its path inside the set (`backend/files/...`): the name other
    /// templates include it by.
    pub name: String,
    /// Its path as messages show it (`<set>/backend/files/...`).
    pub origin: String,
    /// The file's bytes.
    pub bytes: Bytes,
    /// The template file's own mode (`0o644` or `0o755`).
    pub mode: u32,
}

/// The type of a variable's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Free text.
    #[default]
    String,
    /// Yes or no.
    Bool,
    /// A whole number.
    Integer,
    /// One of `choices`.
    Choice,
    /// Any subset of `choices`.
    MultiChoice,
}

impl Kind {
    /// The name used in manifests.
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Bool => "bool",
            Kind::Integer => "integer",
            Kind::Choice => "choice",
            Kind::MultiChoice => "multi-choice",
        }
    }
}

/// A question the template asks.
#[derive(Debug, Clone)]
pub struct Variable {
    /// Its name (an identifier).
    pub name: String,
    /// The type of its answer.
    pub kind: Kind,
    /// The question shown; defaults to the name.
    pub prompt: Option<String>,
    /// A longer explanation shown with the question.
    pub help: Option<String>,
    /// The default answer; text may be a Tera template over earlier answers.
    /// `None` makes the variable required.
    pub default: Option<Value>,
    /// For `choice` and `multi-choice`: the allowed values.
    pub choices: Vec<String>,
    /// A regex a text answer must match, with the message shown when it does not.
    pub validate: Option<Validation>,
    /// A Tera expression over earlier answers; when false the question is not
    /// asked and the default is taken.
    pub when: Option<String>,
    /// A secret answer is never recorded and only `seed` files can use it.
    pub secret: bool,
}

/// A regex check on a text answer.
#[derive(Debug, Clone)]
pub struct Validation {
    /// The compiled regex.
    pub regex: Regex,
    /// What to tell the user when an answer does not match.
    pub message: String,
}

/// Who owns a generated file after creation (DESIGN.md, "Rendering rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ownership {
    /// The template owns it: a local edit is drift.
    #[default]
    Managed,
    /// Shared: local edits are reported, template changes are merged in.
    Merged,
    /// Written once, then the project's own.
    Seed,
}

impl Ownership {
    /// The name used in manifests and records.
    pub fn name(self) -> &'static str {
        match self {
            Ownership::Managed => "managed",
            Ownership::Merged => "merged",
            Ownership::Seed => "seed",
        }
    }
}

/// A per-glob rule of a layer.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The glob as written; it matches paths under `files/`, `.tera` included.
    pub glob: String,
    /// The compiled glob.
    pub matcher: GlobMatcher,
    /// A Tera expression; a matched file is dropped when it is false.
    pub when: Option<String>,
    /// The ownership of matched files.
    pub ownership: Option<Ownership>,
    /// The mode of matched files, e.g. `0o755`.
    pub mode: Option<u32>,
}
