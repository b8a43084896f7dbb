//! One module per command: orchestration only. Each calls the pure core, then
//! performs its effects at the edge.

pub mod add;
pub mod check;
pub mod config;
pub mod lint;
pub mod list;
pub mod new;
mod project;
pub mod update;

use crate::answers::Environment;
use crate::answers::prompt::Terminal;
use crate::cli::TemplateArgs;
use crate::manifest::{self, TemplateSet};
use crate::source::{self, Provenance, Source};
use crate::ui::Ui;
use std::io::IsTerminal;
use std::sync::Arc;

pub use project::RecordedSourceError;

/// A command refused: what is wrong, and what to do instead (a `hint:` line).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

/// A [`Refusal`], as the error a command returns.
fn refuse(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    Refusal {
        message: message.into(),
        hint: hint.into(),
    }
    .into()
}

/// The source that `args` names: a git URL, a folder, a name from the user
/// config's `templates:` (when no such folder exists), or the built-in set.
pub fn source_of(args: &TemplateArgs) -> anyhow::Result<Source> {
    let git = |url: &str, reference: Option<String>, subdir: Option<String>| {
        Source::Git(source::git::GitSource {
            url: url.to_owned(),
            reference,
            subdir,
            latest: false,
        })
    };
    let Some(template) = &args.template else {
        return Ok(Source::Builtin);
    };
    if let Some(url) = template.to_str().filter(|s| source::git::is_url(s)) {
        return Ok(git(url, args.reference.clone(), args.subdir.clone()));
    }
    let name = template
        .to_str()
        .filter(|n| !n.contains('/') && !template.exists());
    if let Some(name) = name {
        let (config, _) = crate::config::load()?;
        if let Some(alias) = config.templates.get(name) {
            return Ok(match (&alias.url, alias.folder()) {
                (Some(url), _) => git(
                    url,
                    args.reference.clone().or_else(|| alias.reference.clone()),
                    args.subdir.clone().or_else(|| alias.subdir.clone()),
                ),
                (None, Some(folder)) => Source::Dir(folder),
                (None, None) => {
                    return Err(refuse(
                        format!(
                            "the template `{name}` of the user config has neither `url` nor `path`"
                        ),
                        format!(
                            "give it one in the config's `templates:`, e.g. `{name}: {{url: https://…, ref: main}}` or `{name}: {{path: ~/templates}}`"
                        ),
                    ));
                }
            });
        }
    }
    // A folder may be a checkout of a repository: --subdir works there too.
    Ok(Source::Dir(match &args.subdir {
        Some(subdir) => template.join(subdir),
        None => template.clone(),
    }))
}

/// Loads and checks the template set at `source`; `refresh` fetches a git
/// source even when its cached clone has the ref.
pub fn load_set(
    source: &Source,
    refresh: bool,
    ui: &Ui,
) -> anyhow::Result<(TemplateSet, Provenance)> {
    let bar = matches!(source, Source::Git(_))
        .then(|| ui.spinner("fetching templates"))
        .flatten();
    let progress = |received: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(received as u64);
        }
    };
    let offline = |reason: &str| {
        ui.status(format!(
            "warning: cannot fetch ({reason}); using the cached clone"
        ))
    };
    let fetch = source::Fetch {
        refresh,
        progress: Some(&progress),
        offline: Some(&offline),
    };
    let loaded = source::load(source, &fetch);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let (files, provenance) = loaded?;
    let label = match (source, &provenance) {
        (Source::Dir(path), _) => path.display().to_string().trim_end_matches('/').to_owned(),
        (
            _,
            Provenance::Git {
                url,
                commit,
                subdir,
                ..
            },
        ) => {
            let short = commit.get(..12).unwrap_or(commit);
            match subdir {
                Some(subdir) => format!("{url}@{short}/{}", subdir.trim_matches('/')),
                None => format!("{url}@{short}"),
            }
        }
        _ => "<built-in>".to_owned(),
    };
    let set = manifest::parse(files, &label)?;
    Ok((set, provenance))
}

/// A terminal to ask on, unless `--defaults` was given or stdin or stderr is
/// not a terminal (then nothing is asked, DESIGN.md "Commands").
pub fn terminal(defaults: bool) -> Option<Terminal> {
    let interactive =
        !defaults && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    interactive.then(Terminal::new)
}

/// `--set key=value` pairs as answers.
pub fn set_values(
    pairs: &[(String, String)],
) -> std::collections::BTreeMap<String, crate::value::Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.clone(), crate::value::Value::Str(v.clone())))
        .collect()
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
