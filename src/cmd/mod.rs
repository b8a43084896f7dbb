//! One module per command: orchestration only. Each calls the pure core, then
//! performs its effects at the edge.

pub mod add;
pub mod check;
pub mod list;
pub mod new;
mod project;
pub mod update;

use crate::answers::Environment;
use crate::cli::TemplateArgs;
use crate::manifest::{self, TemplateSet};
use crate::source::{self, Provenance, Source};
use std::sync::Arc;

/// The source that `args` names: a folder, or the built-in set.
pub fn source_of(args: &TemplateArgs) -> Source {
    match &args.template {
        Some(path) => Source::Dir(path.clone()),
        None => Source::Builtin,
    }
}

/// Loads and checks the template set at `source`.
pub fn load_set(source: &Source) -> anyhow::Result<(TemplateSet, Provenance)> {
    let label = match source {
        Source::Dir(path) => path.display().to_string().trim_end_matches('/').to_owned(),
        Source::Builtin => "<built-in>".to_owned(),
    };
    let (files, provenance) = source::load(source)?;
    let set = manifest::parse(&files, &label)?;
    Ok((set, provenance))
}

/// The real clock and the operating system's random source, for defaults.
pub fn environment() -> Environment {
    Environment {
        now: jiff::Timestamp::now(),
        random: Arc::new(random_token),
    }
}

/// `length` random letters and digits from the operating system's generator.
fn random_token(length: usize) -> Result<String, String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut token = String::with_capacity(length);
    let mut byte = [0u8; 1];
    while token.len() < length {
        getrandom::fill(&mut byte).map_err(|e| format!("no random source: {e}"))?;
        // Rejection sampling keeps the letters uniformly likely (248 = 62 * 4).
        if byte[0] < 248 {
            token.push(char::from(ALPHABET[usize::from(byte[0] % 62)]));
        }
    }
    Ok(token)
}
