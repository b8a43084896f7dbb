//! `scaffold config`: the resolved user config, and where each part comes from.

use crate::config::{self, UserConfig};
use crate::yaml;
use std::io::Write;

/// Runs `scaffold config`.
pub fn run() -> anyhow::Result<i32> {
    let (config, found) = config::load()?;
    let from_env = |key: &str| std::env::var_os(key).is_some_and(|v| !v.is_empty());
    let mut out = String::new();
    let origin = if from_env("XDG_CONFIG_HOME") {
        "$XDG_CONFIG_HOME"
    } else {
        "$HOME/.config"
    };
    match (&found, config::path()) {
        (Some(path), _) => out.push_str(&format!(
            "# config file: {} (from {origin})\n",
            path.display()
        )),
        (None, Some(path)) => out.push_str(&format!(
            "# config file: {} (from {origin}; not there: nothing set)\n",
            path.display()
        )),
        (None, None) => {
            out.push_str("# config file: none (neither XDG_CONFIG_HOME nor HOME is set)\n")
        }
    }
    if let Some(cache) = crate::source::git::cache_root() {
        let origin = if from_env("XDG_CACHE_HOME") {
            "$XDG_CACHE_HOME"
        } else {
            "$HOME/.cache"
        };
        out.push_str(&format!(
            "# cloned templates: {} (from {origin})\n",
            cache.display()
        ));
    }
    out.push_str(&yaml::to_string(&Shown::from(&config)).map_err(anyhow::Error::msg)?);
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(crate::exit::OK)
}

/// The config as YAML, every section shown even when empty.
#[derive(serde::Serialize)]
struct Shown<'a> {
    defaults: &'a crate::answers::AnswerMap,
    layers: Option<&'a Vec<String>>,
    templates: &'a std::collections::BTreeMap<String, config::TemplateAlias>,
}

impl<'a> From<&'a UserConfig> for Shown<'a> {
    fn from(config: &'a UserConfig) -> Shown<'a> {
        Shown {
            defaults: &config.defaults,
            layers: config.layers.as_ref(),
            templates: &config.templates,
        }
    }
}
