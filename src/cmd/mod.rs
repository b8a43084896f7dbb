//! One module per command: orchestration only. Each calls the pure core, then
//! performs its effects at the edge.

pub mod list;
pub mod new;

use crate::cli::TemplateArgs;
use crate::manifest::{self, TemplateSet};
use crate::source::{self, Provenance, Source};

/// Loads and checks the template set that `args` names.
pub fn load_set(args: &TemplateArgs) -> anyhow::Result<(TemplateSet, Provenance)> {
    let (source, label) = match &args.template {
        Some(path) => (Source::Dir(path.clone()), path.display().to_string()),
        None => (Source::Builtin, "<built-in>".to_owned()),
    };
    let (files, provenance) = source::load(&source)?;
    let label = label.trim_end_matches('/').to_owned();
    let set = manifest::parse(&files, &label)?;
    Ok((set, provenance))
}
