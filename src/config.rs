//! The user's config file, `$XDG_CONFIG_HOME/scaffold/config.yaml` (by default
//! `~/.config/scaffold/config.yaml`): default answers and layers for every
//! `new`, and named template sources.

use crate::answers::AnswerMap;
use crate::yaml::{self, YamlError};
use serde::Deserialize;
use std::path::PathBuf;

/// The parsed config file; empty when there is none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Default answers (author, email, license ...), below `--answers` and `--set`.
    #[serde(default)]
    pub defaults: AnswerMap,
    /// The layers to preselect.
    pub layers: Option<Vec<String>>,
    /// Named template sources: `--template NAME` uses one.
    #[serde(default)]
    pub templates: std::collections::BTreeMap<String, TemplateAlias>,
}

/// A named template source: a git repository or a folder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateAlias {
    /// A git repository's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A folder (`~/` is the home folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// For a repository: the tag, branch or commit.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// For a repository: the set's folder inside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subdir: Option<String>,
}

/// The config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Reading it failed.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// It is not valid.
    #[error("invalid user config `{}`", .0.file)]
    Invalid(#[from] YamlError),
}

impl ConfigError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::Invalid(_) => Some(
                "the config holds `defaults:` (answers, e.g. `author: Ada`, or `backend: {api: rest}`), `layers:` and `templates:` (e.g. `company: {url: https://…, ref: main}`)".into(),
            ),
            ConfigError::Io { .. } => None,
        }
    }
}

/// Where the config file is looked for.
pub fn path() -> Option<PathBuf> {
    let env = |key| {
        std::env::var_os(key)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("XDG_CONFIG_HOME")
        .or_else(|| env("HOME").map(|home| home.join(".config")))
        .map(|dir| dir.join("scaffold").join("config.yaml"))
}

/// Reads the config file, if there is one.
pub fn load() -> Result<(UserConfig, Option<PathBuf>), ConfigError> {
    let Some(path) = path() else {
        return Ok((UserConfig::default(), None));
    };
    match std::fs::read_to_string(&path) {
        Ok(text) if text.trim().is_empty() => Ok((UserConfig::default(), Some(path))),
        Ok(text) => Ok((yaml::parse(&path.display().to_string(), &text)?, Some(path))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((UserConfig::default(), None)),
        Err(source) => Err(ConfigError::Io { path, source }),
    }
}

/// The home folder for `~/` in an alias's path.
fn expand_home(path: &std::path::Path) -> PathBuf {
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path.to_path_buf(),
    }
}

impl TemplateAlias {
    /// The folder an alias names, with `~/` expanded.
    pub fn folder(&self) -> Option<PathBuf> {
        self.path.as_deref().map(expand_home)
    }
}
