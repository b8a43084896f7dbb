//! The value of one answer (or of a variable's default, as written in a manifest).

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An answer. Serialises as plain YAML/JSON/Tera data: `true`, `8000`, `"x"`, `[a, b]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// Reads a value by hand, so a wrong one gets a message that says what is
/// accepted (serde's untagged enums only say "did not match any variant").
pub(crate) struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a yes/no, a whole number, a text or a list of texts")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("{v} is too large a number")))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // No variable type holds a fraction; as text, a `string` variable can.
        Ok(Value::Str(v.to_string()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Err(E::custom("an empty value: give one, or leave the key out"))
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            match item {
                Value::List(_) => return Err(de::Error::custom("a list inside a list")),
                other => items.push(other.to_string()),
            }
        }
        Ok(Value::List(items))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}
