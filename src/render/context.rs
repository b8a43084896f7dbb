//! The template context: shared answers top-level, each selected layer's
//! answers under its name, and `layers`, the list of selected layers.

use crate::answers::Answers;
use std::collections::BTreeMap;
use tera::{Context, Value};

/// The context for rendering with `answers`; secrets only when `with_secrets`
/// (for `seed` files, which are never re-rendered).
pub fn build(answers: &Answers, with_secrets: bool) -> Context {
    let mut context = Context::new();
    let mut layer_maps: BTreeMap<&str, BTreeMap<&str, Value>> = answers
        .layers
        .iter()
        .map(|l| (l.as_str(), BTreeMap::new()))
        .collect();
    for (key, value) in &answers.values {
        if !with_secrets && answers.secrets.contains(key) {
            continue;
        }
        let value = Value::from_serializable(value);
        match &key.layer {
            None => context.insert_value(key.name.clone(), value),
            Some(layer) => {
                layer_maps
                    .entry(layer)
                    .or_default()
                    .insert(&key.name, value);
            }
        }
    }
    for (layer, values) in layer_maps {
        context.insert(layer.to_owned(), &values);
    }
    context.insert("layers", &answers.layers);
    context
}
