//! Answers: what the user chose, as data. [`resolve`] merges every source of
//! answers in precedence order; [`prompt`] asks on a terminal.

pub mod prompt;
mod resolve;

pub use resolve::{AnswerError, Environment, Given, Origin, Request, resolve};

use crate::value::{Value, ValueVisitor};
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

/// Answers as a file holds them (`--answers FILE`, `defaults:` of the user
/// config, `answers:` of `.scaffold/answers.yaml`): shared answers as
/// `key: value`, a layer's as `layer: {key: value}` (or `layer.key: value`).
/// Kept in the order written, so a recorded file reads in the set's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnswerMap(InOrder<AnswerEntry>);

/// One entry of an [`AnswerMap`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AnswerEntry {
    /// `key: value`.
    Value(Value),
    /// `layer: {key: value}`, in order.
    Layer(AnswerMap),
}

impl<'de> Deserialize<'de> for AnswerEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// A mapping is a layer's answers; anything else is one answer.
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = AnswerEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an answer, or a layer's answers as a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<AnswerEntry, A::Error> {
                let layer =
                    AnswerMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(AnswerEntry::Layer(layer))
            }
            fn visit_bool<E>(self, v: bool) -> Result<AnswerEntry, E> {
                Ok(AnswerEntry::Value(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<AnswerEntry, E> {
                Ok(AnswerEntry::Value(Value::Int(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<AnswerEntry, E> {
                ValueVisitor.visit_u64(v).map(AnswerEntry::Value)
            }
            fn visit_f64<E>(self, v: f64) -> Result<AnswerEntry, E> {
                Ok(AnswerEntry::Value(Value::Str(v.to_string())))
            }
            fn visit_str<E>(self, v: &str) -> Result<AnswerEntry, E> {
                Ok(AnswerEntry::Value(Value::Str(v.to_owned())))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<AnswerEntry, E> {
                ValueVisitor.visit_unit().map(AnswerEntry::Value)
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<AnswerEntry, E> {
                self.visit_unit()
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<AnswerEntry, A::Error> {
                ValueVisitor.visit_seq(seq).map(AnswerEntry::Value)
            }
        }
        deserializer.deserialize_any(Entry)
    }
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

    /// Takes out the top-level entry `key`, if there is one.
    pub fn take(&mut self, key: &str) -> Option<AnswerEntry> {
        let at = self.0.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.0.remove(at).1)
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
