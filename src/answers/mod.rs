//! Answers: what the user chose, as data. [`resolve`] merges every source of
//! answers in precedence order; [`prompt`] asks on a terminal.

pub mod prompt;
mod resolve;

pub use resolve::{AnswerError, Environment, Given, Origin, Request, resolve};

use crate::value::Value;
use crate::yaml::InOrder;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Names a variable: `project_slug` (shared) or `backend.api` (a layer's own).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarKey {
    /// The layer, for a layer variable.
    pub layer: Option<String>,
    /// The variable's name.
    pub name: String,
}

impl VarKey {
    /// A shared variable's key.
    pub fn shared(name: &str) -> VarKey {
        VarKey {
            layer: None,
            name: name.to_owned(),
        }
    }

    /// A layer variable's key.
    pub fn of_layer(layer: &str, name: &str) -> VarKey {
        VarKey {
            layer: Some(layer.to_owned()),
            name: name.to_owned(),
        }
    }
}

impl fmt::Display for VarKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.layer {
            Some(layer) => write!(f, "{layer}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Everything the user chose: the layers and one value per variable asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    /// The selected layers, in the set's order.
    pub layers: Vec<String>,
    /// Every variable's answer, secrets included.
    pub values: BTreeMap<VarKey, Value>,
    /// Which of `values` are secrets: never recorded, only for `seed` files.
    pub secrets: BTreeSet<VarKey>,
}

impl Answers {
    /// The answers that may be recorded and used outside `seed` files.
    pub fn public(&self) -> impl Iterator<Item = (&VarKey, &Value)> {
        self.values
            .iter()
            .filter(|(k, _)| !self.secrets.contains(*k))
    }
}

/// Answers as a file holds them (`--answers FILE`, `defaults:` of the user
/// config, `answers:` of `.scaffold/answers.yaml`): shared answers as
/// `key: value`, a layer's as `layer: {key: value}` (or `layer.key: value`).
/// Kept in the order written, so a recorded file reads in the set's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnswerMap(InOrder<AnswerEntry>);

/// One entry of an [`AnswerMap`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerEntry {
    /// `key: value`.
    Value(Value),
    /// `layer: {key: value}`, in order.
    Layer(AnswerMap),
}

impl AnswerMap {
    /// Adds `key: value`, or `value` under `layer` when one is given.
    pub fn push(&mut self, layer: Option<&str>, key: &str, value: Value) {
        let Some(layer) = layer else {
            self.0.0.push((key.to_owned(), AnswerEntry::Value(value)));
            return;
        };
        if !matches!(self.0.0.last(), Some((name, AnswerEntry::Layer(_))) if name == layer) {
            let entry = AnswerEntry::Layer(AnswerMap::default());
            self.0.0.push((layer.to_owned(), entry));
        }
        if let Some((_, AnswerEntry::Layer(values))) = self.0.0.last_mut() {
            values.push(None, key, value);
        }
    }

    /// The answers as `dotted.key → value`.
    pub fn flatten(self) -> BTreeMap<String, Value> {
        let mut flat = BTreeMap::new();
        for (key, entry) in self.0.0 {
            match entry {
                AnswerEntry::Value(value) => {
                    flat.insert(key, value);
                }
                AnswerEntry::Layer(values) => {
                    flat.extend(
                        values
                            .flatten()
                            .into_iter()
                            .map(|(name, v)| (format!("{key}.{name}"), v)),
                    );
                }
            }
        }
        flat
    }
}
