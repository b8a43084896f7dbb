//! The value of one answer (or of a variable's default, as written in a manifest).

use serde::{Deserialize, Serialize};
use std::fmt;

/// An answer. Serialises as plain YAML/JSON/Tera data: `true`, `8000`, `"x"`, `[a, b]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A `bool` variable's answer.
    Bool(bool),
    /// An `integer` variable's answer.
    Int(i64),
    /// A `string` or `choice` variable's answer; also any text before it is typed.
    Str(String),
    /// A `multi-choice` variable's answer.
    List(Vec<String>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Str(s) => f.write_str(s),
            Value::List(items) => f.write_str(&items.join(",")),
        }
    }
}
