//! The user's config file, `$XDG_CONFIG_HOME/scaffold/config.yaml` (by default
//! `~/.config/scaffold/config.yaml`): default answers and layers for every `new`.

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
    #[error(transparent)]
    Invalid(#[from] YamlError),
}

impl ConfigError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::Invalid(_) => Some(
                "the config holds `defaults:` (answers, e.g. `author: Ada`, or `backend: {api: rest}`) and `layers:`".into(),
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
